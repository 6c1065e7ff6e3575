#!/usr/bin/env python3
"""Randomized fault-injection runs against the real `fieldbook` and `fieldbook-server` binaries.

    Scripts/fault-harness.py [--bin DIR] [--seed N] [--runs N | --long] [--jobs N] [--keep]

Each run (one seed) starts a fieldbook-server on SQLite and Scripts/fault-proxy.py in front of
it, clones 2-4 laptop workspaces through the proxy, then plays a random sequence of steps:
edits of every kind, syncs through the faulty proxy (alone or two at once), SIGKILL of a client
sync at a random moment, SIGKILL and restart of the server on the same database, clock skew
within and beyond the server's 1 h bound, a full disk (a small tmpfs holds one laptop's
workspace; needs root, else counted as skipped), and corruption (bytes flipped in a bundle in
transit, or in an evidence file). Every edit whose command exited 0 is "reported saved", with
the values it wrote. Then the proxy stops, every laptop syncs directly until quiet, and the
run checks: exports byte-identical and change logs identical on every laptop; every reported
saved edit present in the log as a change by that laptop (a later edit may supersede its
value, never its change); the state shows the newest value of every field; evidence intact;
the far-future edit refused by the server kept locally and nowhere else; server healthy
holding exactly the converged changes; every SQLite file passes `PRAGMA integrity_check`.

Through TLS by default (--plain-http for the old plain-HTTP campaign): at the campaign's start
openssl makes one private CA and a certificate for 127.0.0.1 (an IP SAN) in the work folder;
every server serves HTTPS with it (--tls-cert/--tls-key), the proxy accepts TLS from the
laptops and opens TLS to the server (so its drops and truncations cut TLS connections, and it
also cuts TLS handshakes), every URL the laptops get is https:// with --ca-cert on clone and
remote add, and the harness's own checks trust the CA. A laptop told its server cannot be
trusted (exit 5) is always a failure: the CA is given.

It prints a summary (runs, faults by kind, edits checked, "lost edits: N", failures with the
seed to replay) and exits 1 on any lost edit, divergence or failed check. The binaries: --bin
DIR, else the debug build (`swift build --show-bin-path`). They must be built with DEBUG defined:
the harness sets FIELDBOOK_SYNC_BATCH, FIELDBOOK_SYNC_PAUSE_MS and FIELDBOOK_NOW_MS, which a
release build ignores (for a fast build that reads them: `swift build -c release -Xswiftc
-DDEBUG --scratch-path .build-faults`). Python 3.9+ standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, "fault-proxy.py")
PACKAGE = os.path.dirname(HERE)

ASSESSORS = ["Ana Ruiz", "Ben Okafor", "Chen Wei", "Dara Singh"]
SCRATCH_ASSESSOR = "Eve Ahead"
REQUIREMENTS = ["nist-ai-rmf:GOVERN-1.1", "nist-ai-rmf:MAP-1.1", "nist-ai-rmf:MEASURE-2.11", "nist-ai-rmf:MANAGE-1.1",
                "iso42001:6.1.2", "iso42001:6.1.4", "iso42001:A.6.2.4", "iso42001:A.8.4"]
CONTROLS = ["iso42001:A.5.2", "iso42001:A.6.2.4", "iso42001:A.7.4", "iso42001:A.8.4", "iso42001:A.9.2"]
RESULTS = ["compliant", "partially-compliant", "non-compliant", "not-applicable", "not-assessed"]
EXPORTED_KINDS = {"result": "results", "risk": "risks", "evidence": "evidence", "finding": "findings",
                  "system": "systems", "impact": "impacts", "applicability": "applicability"}
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
# The server refuses changes stamped more than this far ahead of its clock.
SKEW_BOUND_MS = HOUR_MS
COMMAND_TIMEOUT = 90
# Crashes outside Fieldbook's code, by a line of their stderr: counted and reported in the
# summary (with the seeds), failing a run only with --strict. Empty since the CLI calls libcurl
# instead of URLSession: the one entry, "Transfer completed, but there's no response"
# (URLSession's fatalError on a response cut inside its head, swift-corelibs-foundation #5285),
# can no longer occur, and any crash fails its run.
KNOWN_CRASHES = {}
# The CLI's sentence for a server certificate it does not trust (SyncError.untrustedServer):
# never right in the campaign, which gives the CA with --ca-cert.
UNTRUSTED_SENTENCE = "could not be trusted"

FAULT_KINDS = ["proxy_drops", "proxy_delays", "proxy_duplicates", "proxy_reorders", "proxy_truncations",
               "client_kills", "server_kills", "skews_within_bound", "skews_ahead_beyond_bound",
               "skews_behind_beyond_bound", "disk_full", "disk_full_skipped", "corrupted_bundles",
               "corrupted_evidence", "tls_handshake_cuts"]


def now_ms():
    return int(time.time() * 1000)


# Refusals that are the product's documented behaviour in a situation the harness creates on
# purpose (not a fault of the harness's making): counted as observations, not failures.
KNOWN_REFUSALS = {
    # A change relayed by bundle from an assessor who has not synced with their own token yet is
    # held back (exit 5) until they do: the server's sentence, and the CLI's since it reports
    # what it kept (PartialPush).
    "has not bound to them": "sync_refused_relayed_changes_of_unbound_key",
    "were held back because the server has not bound": "sync_refused_relayed_changes_of_unbound_key",
}


class Result:
    def __init__(self, code, out, err, seconds):
        self.code = code
        self.out = out
        self.err = err
        self.seconds = seconds

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError:
            return None

    @property
    def crashed(self):
        """Killed by a signal other than our SIGKILL, or an exit status outside the contract
        (reported by Run.keep_crash when it happens)."""
        return (self.code < 0 and self.code != -signal.SIGKILL) or self.code > 5

    def brief(self):
        text = (self.err or self.out).strip().splitlines()
        return f"exit {self.code}: {text[-1][:300] if text else ''}"


class RunFailure(Exception):
    pass


class Laptop:
    def __init__(self, index, name, folder, token):
        self.index = index
        self.name = name
        self.folder = folder
        self.token = token
        self.site = None
        self.mount = None  # the tmpfs mount point holding it, if any
        self.known = set()  # (kind, id) of entities this laptop certainly holds
        self.objects = {}  # sha256 -> original bytes of evidence it added
        self.direct_name = None


class Edit:
    """One reported-saved edit: the changes it wrote, each (entity, field, operation, value)."""

    def __init__(self, laptop, step, command, changes):
        self.laptop = laptop
        self.step = step
        self.command = command
        self.changes = changes


class Binaries:
    def __init__(self, folder):
        self.folder = os.path.abspath(folder)
        self.fieldbook = os.path.join(self.folder, "fieldbook")
        self.server = os.path.join(self.folder, "fieldbook-server")
        for path in (self.fieldbook, self.server):
            if not os.access(path, os.X_OK):
                raise SystemExit(f"fault-harness: {path} is not an executable; build with 'swift build' or pass --bin DIR")


def find_binaries(requested):
    if requested:
        return Binaries(requested)
    try:
        path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=PACKAGE,
                              capture_output=True, text=True, timeout=120).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        path = os.path.join(PACKAGE, ".build", "debug")
    if not (path and os.access(os.path.join(path, "fieldbook"), os.X_OK) and os.access(os.path.join(path, "fieldbook-server"), os.X_OK)):
        raise SystemExit("fault-harness: no debug fieldbook binaries; run 'swift build' or pass --bin DIR")
    # Debug only: the fault knobs are read by debug builds alone.
    return Binaries(path)


class Certificates:
    """One private CA and a server certificate for 127.0.0.1 (IP SAN), made with openssl in
    FOLDER (as Tests/FieldbookServerTests/Support/TestCertificates.swift does)."""

    def __init__(self, folder):
        os.makedirs(folder, exist_ok=True)
        self.folder = folder
        self.ca = os.path.join(folder, "ca.pem")
        self.cert = os.path.join(folder, "server.pem")
        self.key = os.path.join(folder, "server.key")
        curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        self.openssl(["req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
                      "-subj", "/CN=Fieldbook fault-harness CA"])
        self.openssl(["req", *curve, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        with open(os.path.join(folder, "server.cnf"), "w") as handle:
            handle.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
        self.openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                      "-out", "server.pem", "-days", "30", "-extfile", "server.cnf"])
        self.context = ssl.create_default_context(cafile=self.ca)

    def openssl(self, arguments):
        try:
            done = subprocess.run(["openssl", *arguments], cwd=self.folder, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SystemExit(f"fault-harness: openssl {arguments[0]} failed: {error} (--plain-http runs without TLS)")
        if done.returncode != 0:
            raise SystemExit(f"fault-harness: openssl {arguments[0]} failed: {done.stderr.strip()} (--plain-http runs without TLS)")


def can_mount_tmpfs(scratch):
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    folder = tempfile.mkdtemp(prefix="fb-mount-probe-", dir=scratch)
    try:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", folder], capture_output=True).returncode != 0:
            return False
        subprocess.run(["umount", folder], capture_output=True)
        return True
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Template:
    """One server database with the engagement and a token per assessor, copied for each run."""

    def __init__(self, binaries, folder):
        self.folder = folder
        self.database = os.path.join(folder, "server.sqlite")
        os.makedirs(folder, exist_ok=True)
        created = subprocess.run([binaries.server, "engagement", "create", "Fault-injection engagement", "--database", self.database, "--json"],
                                 capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        if created.returncode != 0:
            raise SystemExit(f"fault-harness: engagement create failed: {created.stderr.strip()}")
        self.engagement = json.loads(created.stdout)["id"]
        self.tokens = {}
        for name in ASSESSORS + [SCRATCH_ASSESSOR]:
            issued = subprocess.run([binaries.server, "token", "create", "--assessor", name, "--engagement", self.engagement,
                                     "--database", self.database, "--json"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
            if issued.returncode != 0:
                raise SystemExit(f"fault-harness: token create failed: {issued.stderr.strip()}")
            self.tokens[name] = json.loads(issued.stdout)["token"]

    def copy_to(self, folder):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.database + suffix):
                shutil.copyfile(self.database + suffix, os.path.join(folder, "server.sqlite" + suffix))
        return os.path.join(folder, "server.sqlite")


class Run:
    def __init__(self, seed, options, binaries, template, mountable, work, certificates=None):
        self.seed = seed
        self.certificates = certificates
        self.options = options
        self.binaries = binaries
        self.template = template
        self.mountable = mountable
        self.random = random.Random(seed)
        self.folder = os.path.join(work, f"run-{seed}")
        self.faults = {kind: 0 for kind in FAULT_KINDS}
        self.proxy_counts = {}
        self.edits = []
        self.failures = []
        self.observations = {}
        self.laptops = []
        self.scratch = None
        self.scratch_edits = []
        self.server = None
        self.server_port = None
        self.proxy = None
        self.proxy_port = None
        self.processes = []
        self.mounts = []
        self.tag_counter = 0
        self.server_known = set()
        self.trace = []
        self.changes_checked = 0
        self.lost = []
        self.diverged = False
        self.known_crashes = {}
        self.keep_folder = False

    # -- helpers ---------------------------------------------------------------------------
    def note(self, text):
        self.trace.append(f"{time.time():.3f} {text}")

    def observe(self, key, n=1):
        self.observations[key] = self.observations.get(key, 0) + n

    def fail(self, text):
        self.note("FAIL " + text)
        self.failures.append(text)

    def tag(self):
        self.tag_counter += 1
        return f"s{self.seed}-t{self.tag_counter}"

    def environment(self, extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDBOOK_")}
        env["CI"] = "1"
        if extra:
            env.update({k: str(v) for k, v in extra.items()})
        return env

    def fb(self, laptop, *arguments, env=None, timeout=COMMAND_TIMEOUT):
        command = [self.binaries.fieldbook, "--workspace", laptop.folder, *arguments]
        started = time.time()
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=self.environment(env), timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"'fieldbook {' '.join(arguments[:3])}' on {laptop.name} hung for {timeout} s")
            raise RunFailure("hang")
        result = Result(done.returncode, done.stdout, done.stderr, time.time() - started)
        self.note(f"{laptop.name}: fieldbook {' '.join(a if len(a) < 60 else a[:57] + '...' for a in arguments)} -> {result.brief()} [{result.seconds:.3f} s]")
        if result.code < 0 or result.code > 5:
            self.keep_crash(f"'fieldbook {' '.join(arguments[:2])}' on {laptop.name}", result)
        self.check_trusted(f"'fieldbook {' '.join(arguments[:2])}' on {laptop.name}", result)
        return result

    def check_trusted(self, what, result):
        if UNTRUSTED_SENTENCE in result.err:
            self.observe("untrusted_certificate")
            self.fail(f"{what} did not trust the server though its CA was given: {result.brief()}")

    def spawn_fb(self, laptop, *arguments, env=None):
        # A session of its own: a SIGKILL for the sync also ends a crash reporter it started
        # (swift-backtrace), which would otherwise outlive it holding the pipes open.
        process = subprocess.Popen([self.binaries.fieldbook, "--workspace", laptop.folder, *arguments], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=self.environment(env), start_new_session=True)
        self.processes.append(process)
        return process

    def finish(self, process, laptop, what):
        try:
            out, err = process.communicate(timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
            out, err = process.communicate()
            self.fail(f"{what} on {laptop.name} hung")
        result = Result(process.returncode, out, err, 0)
        self.note(f"{laptop.name}: {what} -> {result.brief()}")
        if result.code < 0 and result.code != -signal.SIGKILL or result.code > 5:
            self.keep_crash(f"{what} on {laptop.name}", result)
        self.check_trusted(f"{what} on {laptop.name}", result)
        return result

    def keep_crash(self, what, result):
        """A crash's whole stderr (the backtrace), kept in the run's folder. A crash with a known
        signature (KNOWN_CRASHES) is counted and reported, and fails the run only with --strict."""
        path = os.path.join(self.folder, f"crash-{len(self.failures)}-{self.tag()}.txt")
        with open(path, "w") as handle:
            handle.write(f"{what}\nexit {result.code}\n--- stderr\n{result.err}\n--- stdout\n{result.out}\n")
        for signature, name in KNOWN_CRASHES.items():
            if signature in result.err:
                self.known_crashes[name] = self.known_crashes.get(name, 0) + 1
                self.note(f"known crash ({name}): {what}; backtrace in {path}")
                self.keep_folder = True
                if self.options.strict:
                    self.fail(f"{what} crashed: {name} (exit {result.code}; backtrace in {path})")
                return
        self.fail(f"{what} crashed (exit {result.code}; backtrace in {path})")

    # -- server and proxy ------------------------------------------------------------------
    def start_server(self, port=0):
        log = open(os.path.join(self.folder, "server.log"), "ab")
        tls = ["--tls-cert", self.certificates.cert, "--tls-key", self.certificates.key] if self.certificates else []
        process = subprocess.Popen([self.binaries.server, "serve", "--port", str(port), "--database", self.database, *tls],
                                   stdout=subprocess.PIPE, stderr=log, text=True, env=self.environment())
        log.close()
        self.processes.append(process)
        line = process.stdout.readline()
        if "listening on" not in line:
            process.wait(timeout=10)
            raise RunFailure(f"fieldbook-server did not start (port {port}): {line.strip()}")
        self.server = process
        self.server_port = int(line.strip().rsplit(":", 1)[1])
        self.note(f"server listening on {self.server_port}")
        with open(os.path.join(self.folder, "upstream"), "w") as handle:
            handle.write(f"127.0.0.1:{self.server_port}\n")

    def kill_server(self):
        self.server.send_signal(signal.SIGKILL)
        self.server.wait()
        self.note("server killed")

    def restart_server(self):
        port = self.server_port
        for attempt in range(20):
            try:
                self.start_server(port)
                return
            except RunFailure:
                time.sleep(0.05 * (attempt + 1))
        # The port is taken: any free one; the proxy follows through its upstream file and the
        # laptops' direct remotes are re-added.
        self.observe("server_restarted_on_new_port")
        self.start_server(0)

    def start_proxy(self):
        rates = self.rates = {
            "drop": round(self.random.uniform(0.01, 0.06), 4),
            "delay": round(self.random.uniform(0.03, 0.12), 4),
            "duplicate": round(self.random.uniform(0.02, 0.08), 4),
            "reorder": round(self.random.uniform(0.02, 0.06), 4),
            "truncate": round(self.random.uniform(0.01, 0.06), 4),
        }
        if self.certificates:
            # Per connection: TLS handshakes the proxy cuts (its own kind of fault).
            rates["handshake-cut"] = round(self.random.uniform(0.01, 0.04), 4)
        if self.options.fault_scale != 1:
            rates = {k: v * self.options.fault_scale for k, v in rates.items()}
        arguments = [sys.executable, PROXY, "--upstream", f"127.0.0.1:{self.server_port}", "--upstream-file",
                     os.path.join(self.folder, "upstream"), "--seed", str(self.seed), "--counts",
                     os.path.join(self.folder, "proxy-counts.json"), "--exit-on-stdin-eof", "--log", "--body-timeout", "0.3"]
        for kind, rate in rates.items():
            arguments += [f"--{kind}", str(rate)]
        if self.certificates:
            arguments += ["--tls-cert", self.certificates.cert, "--tls-key", self.certificates.key,
                          "--upstream-ca", self.certificates.ca]
        log = open(os.path.join(self.folder, "proxy.log"), "ab")
        self.proxy = subprocess.Popen(arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        log.close()
        self.processes.append(self.proxy)
        line = self.proxy.stdout.readline()
        if "listening on" not in line:
            raise RunFailure(f"fault-proxy did not start: {line.strip()}")
        self.proxy_port = int(line.strip().rsplit(":", 1)[1])
        self.note(f"proxy listening on {self.proxy_port}, rates {rates}")

    def stop_proxy(self):
        if self.proxy is None:
            return
        self.proxy.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proxy.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proxy.kill()
            out, _ = self.proxy.communicate()
        for line in reversed(out.strip().splitlines()):
            if line.startswith("{"):
                self.proxy_counts = json.loads(line)
                break
        self.proxy = None

    @property
    def scheme(self):
        return "https" if self.certificates else "http"

    @property
    def proxy_url(self):
        return f"{self.scheme}://127.0.0.1:{self.proxy_port}"

    @property
    def server_url(self):
        return f"{self.scheme}://127.0.0.1:{self.server_port}"

    def ca_arguments(self):
        return ["--ca-cert", self.certificates.ca] if self.certificates else []

    def http(self, path, token=None):
        request = urllib.request.Request(self.server_url + path)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30, context=self.certificates.context if self.certificates else None) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:
            return 0, str(error).encode()

    # -- tmpfs -------------------------------------------------------------------------------
    def mount_tmpfs(self, folder, kilobytes):
        os.makedirs(folder, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", folder], capture_output=True)
        if done.returncode != 0:
            return False
        self.mounts.append(folder)
        return True

    def unmount_all(self):
        for folder in self.mounts:
            for _ in range(5):
                if subprocess.run(["umount", folder], capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
        self.mounts = []

    # -- laptops -----------------------------------------------------------------------------
    def clone(self, laptop, url, env=None, attempts=12):
        for attempt in range(attempts):
            result = self.fb(laptop, "clone", url, "--engagement", self.template.engagement, "--token", laptop.token,
                             "--assessor", laptop.name, *self.ca_arguments(), "--json", env=env)
            if result.code == 0:
                laptop.site = result.json()["site"]
                laptop.known |= self.server_known
                return True
            if result.crashed and os.path.exists(os.path.join(laptop.folder, ".fieldbook")):
                # A crash skips the clone's own clean-up: the half-made workspace stays, and
                # a second clone would refuse it. Start again, as a person would.
                self.observe("crashed_clone_left_workspace")
                shutil.rmtree(os.path.join(laptop.folder, ".fieldbook"))
                continue
            if result.code != 4:
                self.fail(f"clone of {laptop.name} through the proxy failed with {result.brief()} (a network fault must give exit 4)")
                return False
            if os.path.exists(os.path.join(laptop.folder, ".fieldbook")):
                self.fail(f"a failed clone of {laptop.name} left a workspace behind ({result.brief()})")
                return False
            self.observe("clone_retries")
        self.fail(f"clone of {laptop.name} failed {attempts} times through the proxy")
        return False

    def make_laptops(self):
        count = self.random.randint(2, 4)
        tmpfs_index = None
        if self.options.every_fault or self.random.random() < self.options.disk_full_share:
            tmpfs_index = self.random.randrange(count)
        for index in range(count):
            name = ASSESSORS[index]
            folder = os.path.join(self.folder, f"laptop-{index}")
            laptop = Laptop(index, name, folder, self.template.tokens[name])
            if index == tmpfs_index:
                if self.mountable and self.mount_tmpfs(folder, self.options.tmpfs_kb):
                    laptop.mount = folder
                else:
                    self.faults["disk_full_skipped"] += 1
            else:
                os.makedirs(folder, exist_ok=True)
            self.laptops.append(laptop)
            if not self.clone(laptop, self.proxy_url):
                raise RunFailure("clone")

    # -- recording ---------------------------------------------------------------------------
    def record(self, laptop, step, command, changes):
        self.edits.append(Edit(laptop, step, command, changes))

    def learn(self, laptop, kind, entity):
        laptop.known.add((kind, entity))

    def synced(self, laptop):
        """After a sync that exited 0: the server holds what the laptop held, and vice versa."""
        self.server_known |= laptop.known
        laptop.known |= self.server_known

    def known(self, laptop, kind):
        return sorted(entity for k, entity in laptop.known if k == kind)

    # -- edits -------------------------------------------------------------------------------
    def edit(self, laptop, step, env=None, big_note=0, big_file=0, expect_codes=(0,)):
        """One random edit on the laptop; returns (result, tag, changes, saved)."""
        r = self.random
        tag = self.tag()
        choices = ["risk_add", "assess", "finding_add", "evidence_add", "system_add", "applicability"]
        weights = [5, 5, 3, 3, 1, 2]
        if self.known(laptop, "risk"):
            choices += ["risk_update", "risk_delete"]
            weights += [5, 1]
        if self.known(laptop, "finding"):
            choices += ["finding_update"]
            weights += [3]
        if self.known(laptop, "system"):
            choices += ["impact_add"]
            weights += [2]
        kind = r.choices(choices, weights)[0]
        if big_note:
            kind = "assess"
        if big_file:
            kind = "evidence_add"
        changes = []
        entity_kind = None
        if kind == "risk_add":
            title = f"risk {tag}"
            likelihood, impact = r.randint(1, 5), r.randint(1, 5)
            arguments = ["risk", "add", title, "--likelihood", str(likelihood), "--impact", str(impact)]
            changes += [("title", "set", title), ("likelihood", "set", likelihood), ("impact", "set", impact)]
            if r.random() < 0.6:
                requirement = r.choice(REQUIREMENTS)
                arguments += ["--requirement", requirement]
                changes.append(("requirements", "add", requirement))
            entity_kind = "risk"
        elif kind == "risk_update":
            entity = r.choice(self.known(laptop, "risk"))
            arguments = ["risk", "update", entity]
            options = r.sample(["title", "status", "likelihood", "owner", "requirement"], r.randint(1, 3))
            for option in options:
                if option == "title":
                    arguments += ["--title", f"risk {tag}"]
                    changes.append(("title", "set", f"risk {tag}"))
                elif option == "status":
                    value = r.choice(["open", "mitigated", "closed"])
                    arguments += ["--status", value]
                    changes.append(("status", "set", value))
                elif option == "likelihood":
                    value = r.randint(1, 5)
                    arguments += ["--likelihood", str(value)]
                    changes.append(("likelihood", "set", value))
                elif option == "owner":
                    arguments += ["--owner", f"owner {tag}"]
                    changes.append(("owner", "set", f"owner {tag}"))
                else:
                    requirement = r.choice(REQUIREMENTS)
                    arguments += ["--requirement", requirement]
                    changes.append(("requirements", "add", requirement))
            entity_kind = ("risk", entity)
        elif kind == "risk_delete":
            entity = r.choice(self.known(laptop, "risk"))
            arguments = ["risk", "delete", entity]
            changes.append(("deleted", "set", True))
            entity_kind = ("risk", entity)
        elif kind == "assess":
            requirement = r.choice(REQUIREMENTS)
            result = r.choice(RESULTS)
            note = f"note {tag}"
            if big_note:
                note += " " + "observed " * (big_note // 9)
            arguments = ["assess", requirement, "--result", result, "--note", note]
            changes += [("status", "set", result), ("note", "set", note)]
            if r.random() < 0.5:
                maturity = r.randint(0, 5)
                arguments += ["--maturity", str(maturity)]
                changes.append(("maturity", "set", maturity))
            entity_kind = ("result", f"result:{requirement}")
        elif kind == "finding_add":
            title = f"finding {tag}"
            severity = r.choice(["minor", "major"])
            requirement = r.choice(REQUIREMENTS)
            arguments = ["finding", "add", title, "--requirement", requirement, "--severity", severity]
            changes += [("title", "set", title), ("severity", "set", severity), ("requirements", "add", requirement)]
            entity_kind = "finding"
        elif kind == "finding_update":
            entity = r.choice(self.known(laptop, "finding"))
            arguments = ["finding", "update", entity]
            for option in r.sample(["status", "corrective_action", "owner"], r.randint(1, 2)):
                if option == "status":
                    value = r.choice(["open", "in-progress", "closed"])
                    arguments += ["--status", value]
                    changes.append(("status", "set", value))
                elif option == "corrective_action":
                    arguments += ["--corrective-action", f"action {tag}"]
                    changes.append(("corrective_action", "set", f"action {tag}"))
                else:
                    arguments += ["--owner", f"owner {tag}"]
                    changes.append(("owner", "set", f"owner {tag}"))
            entity_kind = ("finding", entity)
        elif kind == "evidence_add":
            size = big_file or r.choice([16, 200, 3000, 40_000])
            content = (f"evidence {tag}\n".encode() + r.randbytes(size)) if hasattr(r, "randbytes") else \
                (f"evidence {tag}\n".encode() + bytes(r.getrandbits(8) for _ in range(size)))
            path = os.path.join(self.folder, f"evidence-{tag}.bin")
            with open(path, "wb") as handle:
                handle.write(content)
            requirement = r.choice(REQUIREMENTS)
            arguments = ["evidence", "add", path, "--requirement", requirement, "--description", f"evidence {tag}"]
            changes += [("description", "set", f"evidence {tag}"), ("requirements", "add", requirement)]
            entity_kind = "evidence"
        elif kind == "system_add":
            name = f"system {tag}"
            stage = r.choice(["design", "development", "deployed", "retired"])
            arguments = ["system", "add", name, "--stage", stage, "--risk-tier", r.choice(["low", "medium", "high"])]
            changes += [("name", "set", name), ("stage", "set", stage)]
            entity_kind = "system"
        elif kind == "impact_add":
            system = r.choice(self.known(laptop, "system"))
            severity = r.randint(1, 5)
            arguments = ["impact", "add", system, "--summary", f"impact {tag}", "--severity", str(severity)]
            changes += [("summary", "set", f"impact {tag}"), ("severity", "set", severity), ("systems", "add", system)]
            entity_kind = "impact"
        else:  # applicability
            control = r.choice(CONTROLS)
            if r.random() < 0.5:
                arguments = ["applicability", "set", control, "--excluded", "--justification", f"why {tag}"]
                changes += [("applicability", "set", "excluded"), ("justification", "set", f"why {tag}")]
            else:
                arguments = ["applicability", "set", control, "--included", "--justification", f"why {tag}"]
                changes += [("applicability", "set", "included"), ("justification", "set", f"why {tag}")]
            entity_kind = ("applicability", f"applicability:{control}")
        result = self.fb(laptop, *arguments, *([] if kind == "risk_delete" else ["--json"]), env=env)
        saved = result.code == 0
        if saved:
            document = result.json() or {}
            if isinstance(entity_kind, tuple):
                kind_name, entity = entity_kind
            else:
                kind_name, entity = entity_kind, document.get("id")
                if not entity:
                    self.fail(f"'{' '.join(arguments[:2])}' exited 0 without an id in its JSON")
                    return result, tag, [], False
                self.learn(laptop, kind_name, entity)
            if kind == "evidence_add":
                sha = document.get("sha256")
                changes.append(("sha256", "set", sha))
                laptop.objects[sha] = content
            # A value the entity already shows is not written again (EditBuilder): on an existing
            # entity, a set of a value that is not unique to this edit may leave no change.
            creates = kind in ("risk_add", "finding_add", "evidence_add", "system_add", "impact_add")
            self.record(laptop, step, " ".join(arguments[:2]) + f" ({tag})",
                        [(entity, f, o, v, creates or o != "set" or (isinstance(v, str) and tag in v)) for f, o, v in changes])
        elif result.code not in expect_codes and result.code not in (2, 3) and not result.crashed:
            # 2/3: an update of something deleted or otherwise refused for its content.
            self.fail(f"edit '{' '.join(arguments[:2])}' on {laptop.name} failed unexpectedly: {result.brief()}")
        return result, tag, changes, saved

    # -- steps -------------------------------------------------------------------------------
    def sync_env(self):
        env = {}
        if self.random.random() < 0.6:
            env["FIELDBOOK_SYNC_BATCH"] = self.random.choice([1, 2, 3, 5, 20])
        return env

    def known_refusal(self, result):
        for signature, name in KNOWN_REFUSALS.items():
            if signature in result.err:
                self.observe(name)
                return True
        return False

    def check_sync(self, laptop, result, allowed=(0, 4), what="sync through the proxy"):
        if result.crashed or (result.code != 0 and self.known_refusal(result)):
            return
        if result.code == 0:
            self.synced(laptop)
        elif result.code not in allowed:
            self.fail(f"{what} on {laptop.name} gave {result.brief()} (expected exit {' or '.join(map(str, allowed))})")

    def step_sync(self, step):
        laptop = self.random.choice(self.laptops)
        self.check_sync(laptop, self.fb(laptop, "sync", "--json", env=self.sync_env()))

    def step_concurrent_sync(self, step):
        pair = self.random.sample(self.laptops, 2)
        processes = [(laptop, self.spawn_fb(laptop, "sync", "--json", env=self.sync_env())) for laptop in pair]
        for laptop, process in processes:
            self.check_sync(laptop, self.finish(process, laptop, "concurrent sync"))

    def step_client_kill(self, step):
        laptop = self.random.choice(self.laptops)
        env = {"FIELDBOOK_SYNC_BATCH": self.random.choice([1, 2, 3]), "FIELDBOOK_SYNC_PAUSE_MS": self.random.randint(0, 40)}
        # Something to push, so the kill can land between pushes.
        self.edit(laptop, step)
        process = self.spawn_fb(laptop, "sync", "--json", env=env)
        if self.random.random() < 0.3:
            # The assessor keeps working while the sync runs.
            self.edit(laptop, step)
        time.sleep(self.random.uniform(0, 0.35))
        landed = process.poll() is None
        if landed:
            os.killpg(process.pid, signal.SIGKILL)
        result = self.finish(process, laptop, "sync (SIGKILL)")
        if landed:
            self.faults["client_kills"] += 1
        else:
            self.observe("client_kill_after_exit")
            self.check_sync(laptop, result)

    def step_server_kill(self, step):
        laptop = self.random.choice(self.laptops)
        process = None
        if self.random.random() < 0.7:
            process = self.spawn_fb(laptop, "sync", "--json",
                                    env={"FIELDBOOK_SYNC_BATCH": self.random.choice([1, 2]),
                                         "FIELDBOOK_SYNC_PAUSE_MS": self.random.randint(0, 30)})
            time.sleep(self.random.uniform(0, 0.25))
        self.kill_server()
        self.faults["server_kills"] += 1
        if process is not None:
            self.check_sync(laptop, self.finish(process, laptop, "sync while the server was killed"))
        if self.random.random() < 0.4:
            # While it is down, a sync reports the server unavailable (4) and keeps everything.
            other = self.random.choice(self.laptops)
            result = self.fb(other, "sync", "--json")
            if result.code != 4 and not result.crashed:
                self.fail(f"sync with the server down gave {result.brief()} (expected exit 4)")
        self.restart_server()
        status, body = self.http("/v1/health")
        if status != 200:
            self.fail(f"the restarted server's health check answered {status} {body[:200]!r}")

    def step_skew_within(self, step):
        laptop = self.random.choice(self.laptops)
        offset = self.random.choice([-1, 1]) * int(self.random.uniform(1, 25) * MINUTE_MS)
        self.faults["skews_within_bound"] += 1
        self.note(f"{laptop.name}: clock {offset / MINUTE_MS:+.1f} min")
        self.edit(laptop, step, env={"FIELDBOOK_NOW_MS": now_ms() + offset})
        result = self.fb(laptop, "sync", "--json", env={"FIELDBOOK_NOW_MS": now_ms() + offset})
        if result.code not in (0, 4) and ("ahead" in result.err or "clock" in result.err):
            self.fail(f"{laptop.name} with its clock {offset / MINUTE_MS:+.1f} min off (within the 1 h bound) was refused: {result.brief()}")
        else:
            self.check_sync(laptop, result, what=f"sync with the clock {offset / MINUTE_MS:+.1f} min off")

    def step_skew_ahead(self, step):
        """A laptop whose clock is hours ahead: the server refuses its edit with a clear error, the
        laptop keeps it. It is a scratch replica, left out of convergence (its future-stamped
        changes stay refused until real time catches up)."""
        self.faults["skews_ahead_beyond_bound"] += 1
        offset = int(self.random.uniform(SKEW_BOUND_MS + 5 * MINUTE_MS, 48 * HOUR_MS))
        if self.scratch is None:
            folder = os.path.join(self.folder, "scratch-ahead")
            os.makedirs(folder, exist_ok=True)
            self.scratch = Laptop(99, SCRATCH_ASSESSOR, folder, self.template.tokens[SCRATCH_ASSESSOR])
            if not self.clone(self.scratch, self.server_url):
                return
        env = {"FIELDBOOK_NOW_MS": now_ms() + offset}
        self.note(f"{self.scratch.name}: clock +{offset / HOUR_MS:.2f} h")
        title = f"future risk {self.tag()}"
        result = self.fb(self.scratch, "risk", "add", title, "--likelihood", "2", "--impact", "3", "--json", env=env)
        if result.code != 0:
            self.fail(f"an edit with the clock {offset / HOUR_MS:.1f} h ahead failed locally: {result.brief()}")
            return
        self.scratch_edits.append(title)
        direct = self.ensure_direct(self.scratch)
        refused = self.fb(self.scratch, "sync", direct, "--json", env=env)
        if refused.code != 3 or "ahead" not in refused.err:
            self.fail(f"the server did not refuse changes stamped {offset / HOUR_MS:.1f} h ahead with a clear error: {refused.brief()}")
        log = self.fb(self.scratch, "log", "--json")
        values = [change.get("value") for change in (log.json() or {}).get("changes", [])]
        if title not in values:
            self.fail(f"the laptop whose clock is ahead lost its refused edit '{title}' locally")
        if self.random.random() < 0.3:
            # The clock corrected: the changes keep their future stamps, so the server still refuses.
            again = self.fb(self.scratch, "sync", direct, "--json")
            self.observe("ahead_still_refused_after_clock_fixed" if again.code == 3 else "ahead_accepted_after_clock_fixed")

    def step_skew_behind(self, step):
        """A laptop whose clock is hours behind: its edits are saved and pushed; it refuses to
        apply changes stamped more than 1 h ahead of its clock (a clear error), and syncs fully
        once its clock is right."""
        laptop = self.random.choice(self.laptops)
        offset = -int(self.random.uniform(SKEW_BOUND_MS + 5 * MINUTE_MS, 24 * HOUR_MS))
        self.faults["skews_behind_beyond_bound"] += 1
        self.note(f"{laptop.name}: clock {offset / HOUR_MS:.2f} h")
        self.edit(laptop, step, env={"FIELDBOOK_NOW_MS": now_ms() + offset})
        direct = self.ensure_direct(laptop)
        result = self.fb(laptop, "sync", direct, "--json", env={"FIELDBOOK_NOW_MS": now_ms() + offset})
        if result.code == 0:
            self.synced(laptop)
            self.observe("behind_sync_ok")
        elif "ahead" in result.err and "clock" in result.err:
            self.observe(f"behind_refused_exit_{result.code}")
        elif self.known_refusal(result):
            pass
        else:
            self.fail(f"sync with the clock {offset / HOUR_MS:.1f} h behind failed without a clock error: {result.brief()}")

    def step_disk_full(self, step):
        candidates = [laptop for laptop in self.laptops if laptop.mount]
        if not candidates:
            self.faults["disk_full_skipped"] += 1
            return
        laptop = candidates[0]
        self.faults["disk_full"] += 1
        filler = os.path.join(laptop.mount, "filler")
        block = b"\0" * 65536
        with open(filler, "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(block)
            except OSError:
                pass
            try:
                while True:
                    handle.write(b"\0" * 512)
            except OSError:
                pass
        if self.random.random() < 0.5:
            # A note near the 10,000-byte limit: the database must grow.
            result, tag, _, saved = self.edit(laptop, step, big_note=9_000, expect_codes=(4,))
        else:
            # An evidence file: the object store must grow.
            result, tag, _, saved = self.edit(laptop, step, big_file=self.random.choice([64_000, 300_000]), expect_codes=(4,))
        if saved:
            self.observe("disk_full_edit_fit")
        elif result.code != 4 and not result.crashed:
            self.fail(f"an edit on a full disk gave {result.brief()} (expected exit 4)")
        elif "disk is full" not in result.err and "could not be written" not in result.err:
            self.fail(f"an edit on a full disk failed without saying so: {result.brief()}")
        if self.random.random() < 0.5:
            sync = self.fb(laptop, "sync", "--json")
            self.check_sync(laptop, sync, what="sync on a full disk")
        os.remove(filler)
        if not saved:
            log = self.fb(laptop, "log", "--json")
            if log.code != 0:
                self.fail(f"log after freeing the disk gave {log.brief()}")
            elif tag in log.out:
                self.fail(f"the edit refused on a full disk ({tag}) was partly kept")

    def step_corrupt_bundle(self, step):
        sender, receiver = self.random.sample(self.laptops, 2)
        bundle = os.path.join(self.folder, f"bundle-{self.tag()}.fbbundle")
        exported = self.fb(sender, "bundle", "export", "-o", bundle, "--json")
        if exported.code != 0:
            self.fail(f"bundle export on {sender.name} gave {exported.brief()}")
            return
        with open(bundle, "rb") as handle:
            data = bytearray(handle.read())
        mode = self.random.choice(["flip", "flip", "flip-hash", "truncate"])
        if mode == "flip":
            for _ in range(self.random.randint(1, 3)):
                data[self.random.randrange(len(data))] ^= 1 << self.random.randrange(8)
        elif mode == "flip-hash":
            data[len(data) - 1 - self.random.randrange(32)] ^= 0xFF
        else:
            data = data[:self.random.randrange(1, len(data))]
        damaged = bundle + ".damaged"
        with open(damaged, "wb") as handle:
            handle.write(data)
        self.faults["corrupted_bundles"] += 1
        before = self.fb(receiver, "status", "--json")
        imported = self.fb(receiver, "bundle", "import", damaged, "--json")
        if imported.code == 0:
            self.fail(f"bundle import accepted a damaged bundle ({mode}): {imported.out[:200]}")
        elif imported.code != 1 and imported.code != 3:
            self.fail(f"bundle import of a damaged bundle ({mode}) gave {imported.brief()}")
        after = self.fb(receiver, "status", "--json")
        if (before.json() or {}).get("changes") != (after.json() or {}).get("changes"):
            self.fail(f"a refused damaged bundle changed {receiver.name}'s workspace")
        if self.random.random() < 0.5:
            intact = self.fb(receiver, "bundle", "import", bundle, "--json")
            if intact.code == 0:
                receiver.known |= sender.known
            else:
                self.fail(f"import of the intact bundle from {sender.name} gave {intact.brief()}")

    def evidence_objects(self):
        found = []
        for laptop in self.laptops:
            objects = os.path.join(laptop.folder, ".fieldbook", "objects")
            for root, _, files in os.walk(objects):
                for name in files:
                    found.append((laptop, os.path.join(root, name)))
        return found

    def step_corrupt_evidence(self, step):
        candidates = self.evidence_objects()
        if not candidates:
            self.edit(self.random.choice([l for l in self.laptops if not l.mount] or self.laptops), step, big_file=200)
            candidates = self.evidence_objects()
        if not candidates:
            return
        laptop, path = self.random.choice(sorted(candidates, key=lambda c: c[1]))
        with open(path, "rb") as handle:
            original = handle.read()
        mode = self.random.choice(["flip", "flip", "truncate", "append"])
        damaged = bytearray(original)
        if mode == "flip" and damaged:
            damaged[self.random.randrange(len(damaged))] ^= 1 << self.random.randrange(8)
        elif mode == "truncate" and damaged:
            damaged = damaged[:self.random.randrange(len(damaged))]
        else:
            damaged += b"x"
        mode_bits = os.stat(path).st_mode
        os.chmod(path, 0o644)
        with open(path, "wb") as handle:
            handle.write(damaged)
        self.faults["corrupted_evidence"] += 1
        sha = os.path.basename(os.path.dirname(path)) + os.path.basename(path)
        verify = self.fb(laptop, "evidence", "verify", "--json")
        document = verify.json() or {}
        conditions = {entry.get("sha256"): entry.get("condition") for entry in document.get("files", [])}
        if verify.code == 0 or conditions.get(sha) in (None, "intact"):
            self.fail(f"evidence verify on {laptop.name} did not report the damaged file {sha[:12]} ({mode}): {verify.brief()}")
        with open(path, "wb") as handle:
            handle.write(original)
        os.chmod(path, mode_bits)

    def step_resolve(self, step):
        laptop = self.random.choice(self.laptops)
        listed = self.fb(laptop, "conflicts", "--json")
        document = listed.json()
        conflicts = document.get("conflicts", []) if isinstance(document, dict) else (document or [])
        if not conflicts:
            self.edit(laptop, step)
            return
        conflict = self.random.choice(conflicts)
        value = self.random.choice(conflict["values"])["value"]
        text = json.dumps(value) if isinstance(value, bool) else str(value)
        result = self.fb(laptop, "resolve", conflict["entity"], conflict["field"], "--value", text, "--json")
        if result.code == 0:
            self.record(laptop, step, f"resolve {conflict['field']}", [(conflict["entity"], conflict["field"], "set", value, True)])
        else:
            self.observe(f"resolve_exit_{result.code}")

    def step_edit(self, step):
        self.edit(self.random.choice(self.laptops), step)

    def ensure_direct(self, laptop):
        """A second remote straight to the server (no proxy), named after its port."""
        name = f"direct-{self.server_port}"
        if laptop.direct_name != name:
            added = self.fb(laptop, "remote", "add", name, self.server_url, "--token", laptop.token, *self.ca_arguments())
            if added.code != 0:
                self.fail(f"remote add on {laptop.name} gave {added.brief()}")
                raise RunFailure("remote add")
            laptop.direct_name = name
        return name

    # -- the run -----------------------------------------------------------------------------
    def play(self):
        steps = {
            "edit": (self.step_edit, 40),
            "sync": (self.step_sync, 16),
            "concurrent_sync": (self.step_concurrent_sync, 6),
            "client_kill": (self.step_client_kill, 6),
            "server_kill": (self.step_server_kill, 4),
            "skew_within": (self.step_skew_within, 4),
            "skew_ahead": (self.step_skew_ahead, 2),
            "skew_behind": (self.step_skew_behind, 2),
            "disk_full": (self.step_disk_full, 4 if any(l.mount for l in self.laptops) else 0),
            "corrupt_bundle": (self.step_corrupt_bundle, 3),
            "corrupt_evidence": (self.step_corrupt_evidence, 3),
            "resolve": (self.step_resolve, 2),
        }
        names = [name for name, (_, weight) in steps.items() if weight]
        weights = [steps[name][1] for name in names]
        count = self.random.randint(self.options.min_steps, self.options.max_steps)
        plan = [self.random.choices(names, weights)[0] for _ in range(count)]
        if self.options.every_fault:
            # Each kind of fault at least once, at random places among the random steps.
            for name in ["concurrent_sync", "client_kill", "server_kill", "skew_within", "skew_ahead", "skew_behind",
                         "disk_full", "corrupt_bundle", "corrupt_evidence"]:
                plan.insert(self.random.randrange(len(plan) + 1), name)
        for step, name in enumerate(plan):
            self.note(f"step {step}: {name}")
            steps[name][0](step)

    def converge(self):
        self.stop_proxy()
        if self.server.poll() is not None:
            self.fail("the server exited by itself during the run")
            self.restart_server()
        for laptop in self.laptops:
            self.ensure_direct(laptop)
        names = {laptop.index: self.ensure_direct(laptop) for laptop in self.laptops}
        for round_number in range(8):
            pushed = 0
            failed = []
            # The laptops of a round sync at once: a round in which nothing was pushed left the
            # server unchanged, so every laptop that synced in it holds all the server holds.
            with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
                results = list(pool.map(lambda laptop: self.fb(laptop, "sync", names[laptop.index], "--json"), self.laptops))
            for laptop, result in zip(self.laptops, results):
                if result.code != 0:
                    failed.append(f"{laptop.name}: {result.brief()}")
                    continue
                self.synced(laptop)
                pushed += (result.json() or {}).get("pushed", 0)
            if not failed and pushed == 0 and round_number > 0:
                return True
            if failed and round_number >= 2:
                self.fail("direct syncs without faults keep failing: " + "; ".join(failed))
                return False
        self.fail("the laptops did not become quiet after 8 rounds of direct syncs")
        return False

    def gather(self, laptop, kinds):
        results = {}
        for kind in kinds:
            arguments = {"export": ["export", "--json"], "log": ["log", "--json"], "verify": ["evidence", "verify", "--json"],
                         "systems": ["system", "list", "--json"], "impacts": ["impact", "list", "--json"]}[kind]
            results[kind] = self.fb(laptop, *arguments)
        return results

    def check(self):
        kinds = ["export", "log", "verify"]
        if any(k in ("system", "impact") for k, _ in self.server_known):
            kinds += ["systems", "impacts"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            gathered = list(pool.map(lambda laptop: self.gather(laptop, kinds), self.laptops))
        for laptop, results in zip(self.laptops, gathered):
            for kind, result in results.items():
                if kind != "verify" and result.code != 0:
                    self.fail(f"{kind} on {laptop.name} gave {result.brief()}")
                    return
        # Convergence: byte-identical exports (the whole state, AI systems, impact assessments and
        # applicability included), identical change sets, identical system and impact lists.
        for kind in kinds:
            if kind in ("log", "verify"):
                continue
            texts = [results[kind].out for results in gathered]
            if len(set(texts)) > 1:
                self.diverged = True
                for laptop, text in zip(self.laptops, texts):
                    with open(os.path.join(self.folder, f"{kind}-{laptop.index}.json"), "w") as handle:
                        handle.write(text)
                self.fail(f"divergence: '{kind}' differs between laptops ({len(set(texts))} versions; files in {self.folder})")
        logs = []
        for results in gathered:
            document = results["log"].json() or {}
            logs.append(document.get("changes", []))
        sets = [frozenset(change["change"] for change in log) for log in logs]
        if len(set(sets)) > 1:
            self.diverged = True
            union = frozenset().union(*sets)
            for laptop, held in zip(self.laptops, sets):
                if held != union:
                    self.fail(f"divergence: {laptop.name} lacks {len(union - held)} changes others hold, e.g. {sorted(union - held)[:3]}")
        log = logs[0]
        # Every reported-saved edit: its changes are in the log, written by that laptop. A set
        # that may have left no change (the value was there already) must find that value in
        # the log, stamped before the edit's own changes.
        held = {}
        anywhere = {}
        for change in log:
            value = json.dumps(change.get("value"), sort_keys=True)
            key = (change.get("site"), change.get("entity"), change.get("field"), change.get("operation"), value)
            held.setdefault(key, []).append(change["hlc"])
            anywhere.setdefault(key[1:], []).append(change["hlc"])
        for hlcs in held.values():
            hlcs.sort()
        # A laptop stamps its own changes in increasing HLC order, so the changes of an edit come
        # after those of the laptop's earlier edits: match each to the first such change.
        last_stamp = {}
        for edit in self.edits:
            stamps = []
            unresolved = []
            after = last_stamp.get(edit.laptop.site, -1)
            for entity, field, operation, value, strict in edit.changes:
                self.changes_checked += 1
                key = (edit.laptop.site, entity, field, operation, json.dumps(value, sort_keys=True))
                candidates = held.get(key, [])
                match = next((i for i, h in enumerate(candidates) if h > after), None)
                if match is not None:
                    stamps.append(candidates.pop(match))
                elif strict:
                    self.lost.append(f"{edit.laptop.name} step {edit.step} '{edit.command}': {field} {operation} {value!r} on {entity}")
                else:
                    unresolved.append((entity, field, operation, value))
            if stamps:
                last_stamp[edit.laptop.site] = max(after, max(stamps))
            for entity, field, operation, value in unresolved:
                before = [h for h in anywhere.get((entity, field, operation, json.dumps(value, sort_keys=True)), [])
                          if not stamps or h < min(stamps)]
                if before:
                    self.observe("unchanged_values_not_rewritten")
                else:
                    self.lost.append(f"{edit.laptop.name} step {edit.step} '{edit.command}': {field} {operation} {value!r} on {entity} "
                                     f"(neither written nor there before)")
        for text in self.lost:
            self.fail("LOST EDIT " + text)
        # The state shows the newest value of every field (the change with the highest HLC of a
        # field cannot have been superseded: whatever supersedes a change saw it, so stamps later).
        export = gathered[0]["export"].json() or {}
        entities = {}
        for kind, section in EXPORTED_KINDS.items():
            for entity in export.get(section, []):
                entities[entity["id"]] = entity
        conflict_values = {}
        for conflict in export.get("conflicts", []):
            conflict_values[(conflict["entity"], conflict["field"])] = [v["value"] for v in conflict["values"]]
        newest = {}
        newest_link = {}
        for change in log:
            if change.get("kind") not in EXPORTED_KINDS:
                continue
            if change.get("operation") == "set":
                key = (change["entity"], change["field"])
                if key not in newest or change["hlc"] > newest[key]["hlc"]:
                    newest[key] = change
            elif change.get("operation") in ("add", "remove"):
                key = (change["entity"], change["field"], json.dumps(change.get("value")))
                if key not in newest_link or change["hlc"] > newest_link[key]["hlc"]:
                    newest_link[key] = change
        for (entity, field), change in newest.items():
            record = entities.get(entity)
            if record is None:
                self.fail(f"the export lacks {change['kind']} {entity} that the log holds")
                continue
            shown = record.get("deleted") if field == "deleted" else record.get("fields", {}).get(field)
            if shown != change.get("value") and change.get("value") not in conflict_values.get((entity, field), []):
                self.fail(f"the state of {entity} shows {field}={shown!r}, not its newest value {change.get('value')!r} ({change['change']})")
        for (entity, field, _), change in newest_link.items():
            if change["operation"] == "add" and entity in entities:
                if change.get("value") not in entities[entity].get("links", {}).get(field, []):
                    self.fail(f"the state of {entity} lacks the link {field} {change.get('value')!r} added last ({change['change']})")
        # The far-future edits the server refused are nowhere else.
        if self.scratch is not None and self.scratch.site:
            leaked = [change["change"] for change in log if change.get("site") == self.scratch.site]
            if leaked:
                self.fail(f"changes stamped beyond the skew bound reached other laptops: {leaked[:3]}")
        # Evidence intact everywhere (damaged files were restored).
        for laptop, results in zip(self.laptops, gathered):
            document = results["verify"].json() or {}
            if results["verify"].code != 0 or document.get("intact") != document.get("checked"):
                self.fail(f"evidence verify on {laptop.name}: {results['verify'].brief()} {document.get('intact')}/{document.get('checked')} intact")
        # The server: healthy, and holding exactly the converged changes.
        status, body = self.http("/v1/health")
        if status != 200 or b'"ok"' not in body:
            self.fail(f"the server's health check answered {status} {body[:200]!r}")
        status, body = self.http(f"/v1/engagements/{self.template.engagement}/vector", token=self.laptops[0].token)
        if status == 200:
            vector = json.loads(body)
            count = sum(entry.get("c", 0) + len(entry.get("x", [])) for entry in vector.values())
            if count != len(log):
                self.fail(f"the server holds {count} changes, the converged laptops {len(log)}")
        else:
            self.fail(f"the server's vector answered {status} {body[:200]!r}")

    def check_server_objects(self):
        """Every evidence file the server keeps hashes to its name; scratch files that killed
        uploads left behind are counted."""
        import hashlib
        root = self.database + ".objects"
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                if os.path.basename(folder) == "tmp":
                    self.observe("server_scratch_files_left")
                    continue
                digest = hashlib.sha256()
                with open(path, "rb") as handle:
                    digest.update(handle.read())
                if digest.hexdigest() != name:
                    self.fail(f"the server keeps an evidence file whose bytes do not match its name: {path}")

    def integrity(self):
        files = [self.database] + [os.path.join(laptop.folder, ".fieldbook", "fieldbook.sqlite") for laptop in self.laptops]
        for path in files:
            try:
                connection = sqlite3.connect(path, timeout=30)
                answer = connection.execute("PRAGMA integrity_check").fetchone()[0]
                connection.close()
            except sqlite3.Error as error:
                answer = str(error)
            if answer != "ok":
                self.fail(f"PRAGMA integrity_check on {path}: {answer}")

    def execute(self):
        started = time.time()
        os.makedirs(self.folder, exist_ok=True)
        try:
            self.database = self.template.copy_to(self.folder)
            self.start_server()
            self.start_proxy()
            self.make_laptops()
            self.play()
            if self.converge():
                self.check()
            self.stop_server()
            self.check_server_objects()
            self.integrity()
        except RunFailure as error:
            if not self.failures:
                self.fail(str(error))
        except Exception:
            self.fail("harness error: " + traceback.format_exc().strip().splitlines()[-1])
            self.note(traceback.format_exc())
        finally:
            self.cleanup()
        self.seconds = time.time() - started
        for key, value in self.proxy_counts.items():
            if key in ("drops", "delays", "duplicates", "reorders", "truncations"):
                self.faults["proxy_" + key] += value
            elif key == "handshake_cuts":
                self.faults["tls_handshake_cuts"] += value
        with open(os.path.join(self.folder, "trace.log"), "w") as handle:
            handle.write("\n".join(self.trace) + "\n")
        if self.failures:
            with open(os.path.join(self.folder, "edits.json"), "w") as handle:
                json.dump([{"laptop": e.laptop.name, "site": e.laptop.site, "step": e.step, "command": e.command,
                            "changes": e.changes} for e in self.edits], handle, indent=1)
        if not self.failures and not self.keep_folder and not self.options.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
        return self

    def stop_server(self):
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()

    def cleanup(self):
        if self.proxy is not None:
            try:
                self.stop_proxy()
            except Exception:
                pass
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
            for stream in (process.stdout, process.stderr, process.stdin):
                if stream:
                    stream.close()
        self.unmount_all()


def summarize(runs, options, binaries, seconds, first_seed):
    faults = {kind: 0 for kind in FAULT_KINDS}
    detail = {}
    observations = {}
    edits = changes = lost = 0
    failed = []
    for run in runs:
        for kind, value in run.faults.items():
            faults[kind] += value
        for key, value in run.proxy_counts.items():
            detail[key] = detail.get(key, 0) + value
        for key, value in run.observations.items():
            observations[key] = observations.get(key, 0) + value
        edits += len(run.edits)
        changes += run.changes_checked
        lost += len(run.lost)
        if run.failures:
            failed.append(run)
    known = {}
    for run in runs:
        for name, count in run.known_crashes.items():
            known.setdefault(name, []).append((run.seed, count))
    per_run = [run.seconds for run in runs]
    lines = [
        f"fault harness: {len(runs)} runs, seeds {first_seed}..{first_seed + len(runs) - 1}, binaries {binaries.folder}, {'through TLS' if options.tls else 'plain HTTP'}",
        f"time: {seconds:.1f} s wall, {sum(per_run) / max(1, len(runs)):.2f} s per run (max {max(per_run, default=0):.2f} s), jobs {options.jobs}",
        "faults injected:",
        f"  proxy: drops {faults['proxy_drops']} (before the server {detail.get('drops_request', 0)}, after it answered {detail.get('drops_response', 0)}, "
        f"at accept {detail.get('drops_connection', 0)}), delays {faults['proxy_delays']}, duplicates {faults['proxy_duplicates']}, "
        f"reorders {faults['proxy_reorders']} (overtaken by a later request {detail.get('reorders_overtaken', 0)}), "
        f"truncations {faults['proxy_truncations']} (requests {detail.get('truncated_requests', 0)}, responses {detail.get('truncated_responses', 0)}); "
        f"{detail.get('requests', 0)} requests through the proxy; "
        f"{detail.get('stalled_bodies', 0)} retried requests whose body never came (closed after 0.3 s)",
        f"  TLS: {'on' if options.tls else 'off (--plain-http)'}; handshakes cut {faults['tls_handshake_cuts']} "
        f"(inside the client's hello {detail.get('handshake_cuts_client_hello', 0)}, inside the server's first flight "
        f"{detail.get('handshake_cuts_server_flight', 0)}), handshakes that failed at the proxy {detail.get('client_handshake_failures', 0)}",
        f"  client kills {faults['client_kills']}, server kills {faults['server_kills']}",
        f"  clock skews {faults['skews_within_bound'] + faults['skews_ahead_beyond_bound'] + faults['skews_behind_beyond_bound']} "
        f"(within 1 h {faults['skews_within_bound']}, ahead beyond {faults['skews_ahead_beyond_bound']}, behind beyond {faults['skews_behind_beyond_bound']})",
        f"  disk full {faults['disk_full']} (skipped {faults['disk_full_skipped']})",
        f"  corruptions {faults['corrupted_bundles'] + faults['corrupted_evidence']} (bundles {faults['corrupted_bundles']}, evidence files {faults['corrupted_evidence']})",
        f"edits checked: {edits} reported saved ({changes} changes)",
        f"lost edits: {lost}",
        f"divergent runs: {sum(1 for run in runs if run.diverged)}",
        f"failed runs: {len(failed)}",
    ]
    if observations:
        lines.append("observations: " + ", ".join(f"{k} {v}" for k, v in sorted(observations.items())))
    for name, seeds in sorted(known.items()):
        lines.append(f"known crashes: {sum(c for _, c in seeds)} x {name}; seeds {', '.join(str(seed) for seed, _ in seeds[:20])}"
                     + (" ..." if len(seeds) > 20 else "") + ("" if options.strict else " (not failures; --strict makes them so)"))
    script = os.path.relpath(os.path.abspath(__file__))
    for run in failed:
        lines.append(f"FAILED seed {run.seed} (replay: python3 {script} --seed {run.seed} --runs 1 --bin {binaries.folder} --keep; files in {run.folder}):")
        for failure in run.failures[:12]:
            lines.append(f"    {failure}")
        if len(run.failures) > 12:
            lines.append(f"    ... and {len(run.failures) - 12} more")
    return "\n".join(lines), {
        "runs": len(runs), "first_seed": first_seed, "seconds": round(seconds, 2),
        "seconds_per_run": round(sum(per_run) / max(1, len(runs)), 3), "faults": faults, "proxy": detail,
        "observations": observations, "edits_checked": edits, "changes_checked": changes, "lost_edits": lost,
        "failed_seeds": [run.seed for run in failed], "tls": options.tls,
        "known_crashes": {name: [seed for seed, _ in seeds] for name, seeds in known.items()},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", help="the folder holding fieldbook and fieldbook-server (default: swift build --show-bin-path)")
    parser.add_argument("--seed", type=int, help="the first run's seed (default: random, printed)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--long", action="store_true", help="1000 runs, as many at once as there are cores")
    parser.add_argument("--jobs", type=int, help="runs at once, each with its own server and proxy (default 1; with --long, the cores)")
    parser.add_argument("--keep", action="store_true", help="keep every run's folder (failed runs are always kept)")
    parser.add_argument("--work", help="folder for the runs (default: a new temporary folder)")
    parser.add_argument("--min-steps", type=int, default=10)
    parser.add_argument("--max-steps", type=int, default=18)
    parser.add_argument("--fault-scale", type=float, default=1.0, help="multiplies the proxy's fault rates")
    parser.add_argument("--disk-full-share", type=float, default=0.35, help="share of runs with a laptop on a small tmpfs")
    parser.add_argument("--tmpfs-kb", type=int, default=4096)
    parser.add_argument("--no-mount", action="store_true", help="skip the full-disk fault (counted as skipped)")
    parser.add_argument("--summary-json", help="also write the summary as JSON here")
    parser.add_argument("--quiet", action="store_true", help="no line per run")
    parser.add_argument("--strict", action="store_true", help="known crashes outside Fieldbook's code fail the run too")
    parser.add_argument("--tls", dest="tls", action="store_true", default=True,
                        help="run through TLS: a private CA made with openssl, HTTPS servers, a TLS proxy (the default)")
    parser.add_argument("--plain-http", dest="tls", action="store_false", help="run over plain HTTP, as before TLS")
    parser.add_argument("--every-fault", action="store_true",
                        help="every run injects each kind of fault at least once (and puts a laptop on a tmpfs)")
    options = parser.parse_args()
    if options.long:
        options.runs = 1000
        if options.jobs is None:
            options.jobs = os.cpu_count() or 1
    options.jobs = max(1, options.jobs or 1)
    first_seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    binaries = find_binaries(options.bin)
    work = options.work or tempfile.mkdtemp(prefix="fieldbook-faults-")
    os.makedirs(work, exist_ok=True)
    mountable = not options.no_mount and can_mount_tmpfs(work)
    template = Template(binaries, os.path.join(work, "template"))
    certificates = Certificates(os.path.join(work, "tls")) if options.tls else None
    print(f"fault harness: {options.runs} runs from seed {first_seed}, binaries {binaries.folder}, work {work}, "
          + ("through TLS (CA " + certificates.ca + ")" if certificates else "plain HTTP")
          + ("" if mountable else ", full disk skipped (no tmpfs: needs root)"), flush=True)
    started = time.time()
    runs = []
    lock = threading.Lock()

    def one(seed):
        run = Run(seed, options, binaries, template, mountable, work, certificates).execute()
        with lock:
            runs.append(run)
            if not options.quiet:
                status = "ok" if not run.failures else f"FAILED ({run.failures[0][:160]})"
                print(f"seed {seed}: {len(run.laptops)} laptops, {len(run.edits)} edits, {run.seconds:.2f} s, {status}", flush=True)
        return run

    interrupted = False
    # SIGTERM (a CI timeout) ends like Ctrl-C: the runs under way finish and clean up (servers
    # stopped, tmpfs unmounted), the others are not started, and the summary is printed.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs)
    futures = [pool.submit(one, seed) for seed in range(first_seed, first_seed + options.runs)]
    try:
        for future in futures:
            future.result()
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: finishing the runs under way", flush=True)
        pool.shutdown(wait=True, cancel_futures=True)
    pool.shutdown(wait=True)
    runs.sort(key=lambda run: run.seed)
    text, document = summarize(runs, options, binaries, time.time() - started, first_seed)
    print(text, flush=True)
    if options.summary_json:
        with open(options.summary_json, "w") as handle:
            json.dump(document, handle, indent=2, sort_keys=True)
    if not options.work and not any(run.failures or run.keep_folder for run in runs) and not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    elif any(run.failures or run.keep_folder for run in runs):
        print(f"run folders kept under {work}", flush=True)
    failed = interrupted or any(run.failures for run in runs) or document["lost_edits"] > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
