#!/usr/bin/env python3
"""Mixed releases (issue 31): the previous release's real binaries beside this build's, in both
directions, on SQLite and PostgreSQL, and bundles both ways. Each finding is checked against the
compatibility table in docs/api.md, so the table says what these tests show.

Usage: mixed_releases.py NEW_BIN_DIR OLD_BIN_DIR
PostgreSQL: FIELDBOOK_TEST_POSTGRES_URL (with PGPASSWORD) names a cluster to make databases in;
without it the PostgreSQL half is skipped with a note.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

NEW, OLD = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
checks = 0
failures = []


def check(condition, what):
    global checks
    checks += 1
    if not condition:
        failures.append(what)
        print(f"compatibility: FAILED {what}")


def run(binary, *arguments, cwd=None):
    done = subprocess.run([binary, *arguments], cwd=cwd, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr.strip()


class Server:
    """A fieldbook-server of one release on loopback, on a SQLite file or a PostgreSQL database."""

    def __init__(self, bin_dir, folder, postgres_url=None, upgrading=None):
        """`upgrading`: a stopped server whose database, engagement and port this one takes over."""
        self.binary = os.path.join(bin_dir, "fieldbook-server")
        self.database = upgrading.database if upgrading else postgres_url or os.path.join(folder, "server.sqlite")
        objects = os.path.join(folder, "objects")
        self.engagement = upgrading.engagement if upgrading else self.admin("engagement", "create", "Mixed releases").strip()
        port = upgrading.url.rsplit(":", 1)[1] if upgrading else "0"
        self.process = subprocess.Popen([self.binary, "serve", "--port", port, "--database", self.database, "--objects", objects],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (\S+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"{self.binary} did not start: {line!r}")
        self.url = match.group(1)

    def admin(self, *arguments):
        status, out, err = run(self.binary, *arguments, "--database", self.database)
        if status != 0:
            raise RuntimeError(f"{self.binary} {' '.join(arguments)}: {err}")
        return out

    def token(self, assessor):
        return self.admin("token", "create", "--assessor", assessor, "--engagement", self.engagement).strip()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def laptop(bin_dir, folder, name, server):
    """A workspace cloned from `server` by `name` with the release in `bin_dir`; returns a runner."""
    workspace = os.path.join(folder, name)
    fieldbook = os.path.join(bin_dir, "fieldbook")
    status, _, err = run(fieldbook, "clone", server.url, "--engagement", server.engagement, "--token", server.token(name),
                         "--assessor", name, "--workspace", workspace)
    if status != 0:
        raise RuntimeError(f"clone by {name}: {err}")
    return lambda *arguments: run(fieldbook, "--workspace", workspace, *arguments)


def result_of(fb, requirement):
    status, out, _ = fb("show", requirement, "--json")
    return json.loads(out).get("result", {}).get("status") if status == 0 else None


def table_says(client, server, backend, outcome):
    """The row of docs/api.md's compatibility table for this pairing names `outcome`."""
    text = open(os.path.join(ROOT, "docs", "api.md")).read()
    row = f"| {client} | {server} | {backend} | {outcome} |"
    check(row in text, f"docs/api.md's compatibility table holds the row {row}")


def new_server_old_client(folder, backend, postgres_url):
    """An upgraded server, one laptop left behind."""
    server = Server(NEW, folder, postgres_url)
    try:
        ana = laptop(NEW, folder, "Ana", server)
        ben = laptop(OLD, folder, "Ben", server)
        ben("assess", "GV-1.1", "--result", "compliant")
        ana("assess", "GV-1.2", "--result", "compliant")
        check(ana("sync")[0] == 0 and ben("sync")[0] == 0 and ana("sync")[0] == 0, f"{backend}: 0.1 and 0.2 clients sync through a 0.2 server")
        check(result_of(ben, "GV-1.2") == "compliant" and result_of(ana, "GV-1.1") == "compliant",
              f"{backend}: each release's client receives the other's work")
        # Ana rates a risk after treatment: a field 0.1 does not know.
        ana("risk", "add", "Bias", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "2", "--residual-impact", "2")
        check(ana("sync")[0] == 0, f"{backend}: the 0.2 client pushes a residual rating")
        ben("assess", "GV-1.3", "--result", "partially-compliant")
        status, _, err = ben("sync")
        check(status == 4 and "install Fieldbook 0.2 or later" in err and "HTTP 426" in err,
              f"{backend}: the 0.1 client's pull is refused 426 naming the release to install (got {status}: {err})")
        ana("sync")
        check(result_of(ana, "GV-1.3") == "partially-compliant", f"{backend}: the 0.1 client's own change reached the server before the refusal")
        table_says("0.1", "0.2", backend, "syncs until the engagement holds a 0.2 field; then its pull is refused (426) naming Fieldbook 0.2, its pushes still taken")
    finally:
        server.stop()


def old_server_new_client(folder, backend, postgres_url):
    """A laptop upgraded before the server."""
    server = Server(OLD, folder, postgres_url)
    try:
        ana = laptop(NEW, folder, "Ana", server)
        ben = laptop(OLD, folder, "Ben", server)
        ana("assess", "GV-1.2", "--result", "compliant")
        ben("assess", "GV-1.1", "--result", "compliant")
        check(ana("sync")[0] == 0 and ben("sync")[0] == 0 and ana("sync")[0] == 0, f"{backend}: 0.2 and 0.1 clients sync through a 0.1 server")
        ana("risk", "add", "Bias", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "2")
        ana("assess", "GV-1.4", "--result", "non-compliant")
        status, _, err = ana("sync")
        check(status == 3 and "speaks protocol 1 (Fieldbook 0.1)" in err and "stay here" in err,
              f"{backend}: the 0.2 client keeps what the 0.1 server cannot read and says so (got {status}: {err})")
        ben("sync")
        check(result_of(ben, "GV-1.4") is None, f"{backend}: nothing after the held-back write reached the 0.1 server")
        check(result_of(ana, "GV-1.1") == "compliant", f"{backend}: the 0.2 client still pulls through a 0.1 server")
        table_says("0.2", "0.1", backend, "syncs; changes of 0.2 fields stay on the laptop (exit 3, naming the server's release) until the server is upgraded")
        # The server is upgraded in place (same database, same address): what was held back goes,
        # and the laptop left on 0.1 is then told what to install.
        server.stop()
        server = Server(NEW, folder, upgrading=server)
        status, _, err = ana("sync")
        check(status == 0, f"{backend}: after the server's upgrade the held-back changes go (got {status}: {err})")
        ben("sync")
        check(result_of(ben, "GV-1.4") is None, f"{backend}: the 0.1 laptop is not sent what it cannot read")
    finally:
        server.stop()


def bundles(folder):
    """Bundles both ways between the releases, by file."""
    old_fb, new_fb = os.path.join(OLD, "fieldbook"), os.path.join(NEW, "fieldbook")
    ana, ben = os.path.join(folder, "ana"), os.path.join(folder, "ben")
    run(new_fb, "init", "--engagement", "Bundles", "--assessor", "Ana", "--workspace", ana)
    run(new_fb, "--workspace", ana, "assess", "GV-1.1", "--result", "compliant")
    early = os.path.join(folder, "early.fbbundle")
    run(new_fb, "--workspace", ana, "bundle", "export", "-o", early)
    status, _, err = run(old_fb, "clone", early, "--assessor", "Ben", "--workspace", ben)
    check(status == 0, f"a 0.2 bundle of 0.1 fields opens in 0.1 (got {status}: {err})")
    run(old_fb, "--workspace", ben, "assess", "GV-1.2", "--result", "compliant")
    back = os.path.join(folder, "back.fbbundle")
    run(old_fb, "--workspace", ben, "bundle", "export", "-o", back)
    status, _, err = run(new_fb, "--workspace", ana, "bundle", "import", back)
    check(status == 0 and result_of(lambda *a: run(new_fb, "--workspace", ana, *a), "GV-1.2") == "compliant",
          f"a 0.1 bundle imports in 0.2 (got {status}: {err})")
    run(new_fb, "--workspace", ana, "risk", "add", "Bias", "--likelihood", "4", "--impact", "4", "--treatment", "modify")
    late = os.path.join(folder, "late.fbbundle")
    run(new_fb, "--workspace", ana, "bundle", "export", "-o", late)
    status, _, err = run(old_fb, "--workspace", ben, "bundle", "import", late)
    check(status != 0 and "uses format 2, newer than this Fieldbook reads (1)" in err,
          f"a 0.2 bundle holding a 0.2 field is refused by 0.1 in one sentence naming its format (got {status}: {err})")
    table_says("0.1", "0.2", "bundle", "a bundle of 0.1 fields opens (format 1); one holding a 0.2 field is refused as format 2, newer than 0.1 reads")
    table_says("0.2", "0.1", "bundle", "opens")


def postgres_database():
    url = os.environ.get("FIELDBOOK_TEST_POSTGRES_URL")
    if not url:
        return None
    name = "fb_compat_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return url.rsplit("/", 1)[0] + "/" + name


def main():
    for binary in ("fieldbook", "fieldbook-server"):
        for folder in (NEW, OLD):
            if not os.access(os.path.join(folder, binary), os.X_OK):
                sys.exit(f"compatibility: {folder} holds no {binary}")
    scenarios = [("sqlite", new_server_old_client), ("sqlite", old_server_new_client)]
    if os.environ.get("FIELDBOOK_TEST_POSTGRES_URL"):
        scenarios += [("postgres", new_server_old_client), ("postgres", old_server_new_client)]
    else:
        print("compatibility: FIELDBOOK_TEST_POSTGRES_URL is not set; the PostgreSQL half is skipped")
    for backend, scenario in scenarios:
        folder = tempfile.mkdtemp(prefix="fb-compat-")
        try:
            scenario(folder, backend, postgres_database() if backend == "postgres" else None)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    folder = tempfile.mkdtemp(prefix="fb-compat-")
    try:
        bundles(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print(f"compatibility: {len(failures)} of {checks} checks failed")
        sys.exit(1)
    print(f"compatibility: {checks} checks passed")


if __name__ == "__main__":
    main()
