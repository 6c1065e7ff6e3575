#!/usr/bin/env python3
"""Schemathesis against a live fieldbook-server, on SQLite and on PostgreSQL.

For each backend: a fresh database with an engagement seeded by the real `fieldbook` client (a
result, a risk and an evidence file, synced), an assessor's token from `fieldbook-server token
create`, and `fieldbook-server serve` on a free loopback port. Schemathesis reads the document
the server serves (`/v1/openapi.json`), fuzzes every operation with the token (most requests on
the seeded engagement and evidence file, the rest on generated ids) and fails on any 5xx, any
status the document does not list, and any answer whose content type or body breaks it.

PostgreSQL comes from FIELDBOOK_TEST_POSTGRES_URL (Scripts/test.sh starts a throwaway cluster);
without it, outside CI, only SQLite runs and the script says so. The servers are stopped and the
databases dropped at the end, whatever happened. FIELDBOOK_API_EXAMPLES sets the examples per
operation (default 100), FIELDBOOK_API_SEED the seed (default 1: CI runs the same cases each
time; another seed explores others).

Usage: schemathesis_run.py BUILD_FOLDER   (the folder holding fieldbook and fieldbook-server)
Prints `api: N passed, M failed` (the document's validity, then one per operation and backend) and
exits non-zero on any finding.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import openapi_spec_validator
import openapi_spec_validator.validation.exceptions

BIN = Path(sys.argv[1]).resolve()
HERE = Path(__file__).resolve().parent
# What the server serves byte for byte (OpenAPIDocumentTests checks that).
DOCUMENT = HERE.parents[1] / "Sources/FieldbookServer/Resources/openapi.json"
EXAMPLES = int(os.environ.get("FIELDBOOK_API_EXAMPLES", "100"))
# The four of the task, and the hooks' two on binary bodies (schemathesis_hooks.py).
CHECKS = ("not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,"
          "pull_page_conformance,blob_matches_its_name")
IS_CI = os.environ.get("CI", "") not in ("", "false")


def run(*args, **kwargs):
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:3]))} ... failed ({done.returncode}): {done.stderr.strip()[-600:]}")
    return done.stdout.strip()


def psql(url, statement):
    env = dict(os.environ)
    env["PGPASSWORD"] = env.get("PGPASSWORD") or env.get("FIELDBOOK_POSTGRES_PASSWORD", "")
    run("psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-c", statement, env=env)


class Backend:
    """One server on a fresh store, seeded; `close` stops it and removes everything it made."""

    def __init__(self, name, work):
        self.name = name
        self.work = work / name
        self.work.mkdir()
        self.process = None
        self.dropped_database = None
        base = os.environ.get("FIELDBOOK_TEST_POSTGRES_URL", "")
        if name == "sqlite":
            self.database = str(self.work / "server.sqlite")
        else:
            database = "fb_api_" + uuid.uuid4().hex[:16]
            psql(base, f"CREATE DATABASE {database}")
            self.dropped_database = (base, database)
            parts = urlsplit(base)
            self.database = urlunsplit(parts._replace(path="/" + database))

    def admin(self, *args):
        return run(BIN / "fieldbook-server", *args, "--database", self.database)

    def start(self):
        self.engagement = self.admin("engagement", "create", "API conformance")
        created = json.loads(self.admin("token", "create", "--assessor", "Ana", "--engagement", self.engagement, "--json"))
        self.token = created["token"]
        out = open(self.work / "server.out", "w")
        self.log = open(self.work / "server.log", "w")
        env = dict(os.environ, LOG_LEVEL="warning")
        self.process = subprocess.Popen(
            [str(BIN / "fieldbook-server"), "serve", "--port", "0", "--database", self.database, "--objects", str(self.work / "objects")],
            stdout=out, stderr=self.log, env=env)
        deadline = time.time() + 60
        while time.time() < deadline and self.process.poll() is None:
            text = (self.work / "server.out").read_text()
            if "listening on " in text:
                self.url = text.split("listening on ", 1)[1].split()[0]
                return
            time.sleep(0.1)
        raise RuntimeError(f"fieldbook-server did not start on {self.name}: {(self.work / 'server.log').read_text()[-600:]}")

    def seed(self):
        """What an assessor's laptop pushes: so pulls, vectors and blobs answer with real content."""
        laptop = self.work / "laptop"
        laptop.mkdir()
        fb = lambda *args: run(BIN / "fieldbook", "--workspace", laptop, *args, cwd=laptop)
        fb("clone", self.url, "--engagement", self.engagement, "--token", self.token, "--assessor", "Ana")
        fb("assess", "GV-1.1", "--result", "partially-compliant", "--maturity", "2")
        fb("risk", "add", "Fuzzed API", "--likelihood", "3", "--impact", "4", "--requirement", "MS-2.7")
        evidence = laptop / "evidence.txt"
        evidence.write_bytes(b"Evidence seeded for the API conformance run\n")
        fb("evidence", "add", evidence, "--requirement", "GV-1.1")
        fb("sync")
        self.evidence = evidence
        self.blob = hashlib.sha256(evidence.read_bytes()).hexdigest()
        # The first segment the server holds, as pushed: a batch the hooks send again.
        request = urllib.request.Request(f"{self.url}/v1/engagements/{self.engagement}/pull", method="POST",
                                         data=b'{"vector":{},"after":0,"limit":5000}', headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            page = answer.read()
        length = int.from_bytes(page[:4], "big")
        meta = json.loads(page[4:4 + length])
        self.batch = self.work / "seeded.batch"
        self.batch.write_bytes(page[4 + length:4 + length + meta["segments"][0]])

    def schemathesis(self):
        """Runs Schemathesis; returns (passed, failed) operations and the report's folder."""
        reports = self.work / "report"
        config = self.work / "schemathesis.toml"
        # Most generated requests name the seeded engagement and file, so handlers run past
        # the token check; the rest use generated ids and meet the refusals.
        config.write_text("\n".join([
            "[dictionaries.engagements]",
            f"values = [{json.dumps(self.engagement)}]",
            "[dictionaries.blobs]",
            f"values = [{json.dumps(self.blob)}, {json.dumps('0' * 64)}]",
            "[parameters]",
            '"path.engagement" = { dictionary = "engagements", probability = 0.8 }',
            '"path.sha256" = { dictionary = "blobs", probability = 0.5 }',
            "",
        ]))
        env = dict(os.environ, SCHEMATHESIS_HOOKS=str(HERE / "schemathesis_hooks.py"), FIELDBOOK_API_ENGAGEMENT=self.engagement,
                   FIELDBOOK_API_BATCH=str(self.batch), FIELDBOOK_API_EVIDENCE=str(self.evidence))
        command = [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "--no-color",
            "run", f"{self.url}/v1/openapi.json", "--url", self.url,
            "--checks", CHECKS, "--max-examples", str(EXAMPLES), "--seed", os.environ.get("FIELDBOOK_API_SEED", "1"),
            "--header", f"Authorization: Bearer {self.token}", "--phases", "examples,coverage,fuzzing",
            # Any filter at all: unfiltered, Schemathesis leaves out the operation it read the document from.
            "--include-path-regex", "^/",
            "--generation-database", "none", "--request-timeout", "20", "--workers", "2",
            "--report", "junit", "--report-junit-path", str(reports / "junit.xml"),
        ]
        print(f"api: {self.name}: schemathesis, {EXAMPLES} examples an operation, on {self.url}", flush=True)
        done = subprocess.run(command, cwd=self.work, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        print(done.stdout, flush=True)
        passed, failed = 0, 0
        junit = reports / "junit.xml"
        if junit.exists():
            for case in ElementTree.parse(junit).getroot().iter("testcase"):
                broken = case.find("failure") is not None or case.find("error") is not None or case.find("skipped") is not None
                print(f"api: {self.name}: {'FAIL' if broken else 'ok  '} {case.get('name')}", flush=True)
                failed, passed = failed + broken, passed + (not broken)
        # Schemathesis failing without a finding in its report (a schema it cannot load, a crash),
        # or a report of no operation at all, still fails.
        if (done.returncode != 0 and failed == 0) or passed + failed == 0:
            failed = max(failed, 1)
        if self.process.poll() is not None:
            print(f"api: {self.name}: the server died during the run (exit {self.process.returncode})", flush=True)
            failed += 1
        return passed, failed

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.dropped_database:
            base, database = self.dropped_database
            try:
                psql(base, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            except RuntimeError as error:
                print(f"api: {self.name}: could not drop {database}: {error}", file=sys.stderr)


def main():
    backends = ["sqlite"]
    if os.environ.get("FIELDBOOK_TEST_POSTGRES_URL"):
        backends.append("postgres")
    elif IS_CI:
        print("api: FIELDBOOK_TEST_POSTGRES_URL is not set: the PostgreSQL half cannot run (Scripts/test.sh starts a cluster).")
        print("api: 0 passed, 1 failed")
        return 1
    else:
        print("api: FIELDBOOK_TEST_POSTGRES_URL is not set: SQLite only (Scripts/test.sh starts a PostgreSQL).")
    work = Path(tempfile.mkdtemp(prefix="fieldbook-api."))
    passed, failed = 0, 0
    # The document against the OpenAPI 3.1 specification itself: Schemathesis reads a broken one leniently.
    try:
        openapi_spec_validator.validate(json.loads(DOCUMENT.read_text()))
        print(f"api: ok   {DOCUMENT.name} is valid OpenAPI 3.1", flush=True)
        passed += 1
    except openapi_spec_validator.validation.exceptions.OpenAPIValidationError as error:
        print(f"api: FAIL {DOCUMENT.name} is not valid OpenAPI 3.1: {error}", flush=True)
        failed += 1
    started = time.time()
    for name in backends:
        backend = None
        try:
            backend = Backend(name, work)
            backend.start()
            backend.seed()
            ok, broken = backend.schemathesis()
            passed, failed = passed + ok, failed + broken
        except Exception as error:  # a backend that cannot be set up is one failure, and the other still runs
            print(f"api: {name}: {error}", flush=True)
            failed += 1
        finally:
            if backend:
                backend.close()
    if failed:
        print(f"api: servers' logs and Schemathesis's reports kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"api: {time.time() - started:.0f} s over {', '.join(backends)}")
    print(f"api: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
