#!/usr/bin/env python3
"""An assessor's day in the workbench, in a real browser (Debian's chromium through Playwright).

Drives `fieldbook ui` over a copy of the sample engagement and checks after each step that the
CLI's --json shows the same state. Also: requests without the secret, with a forged Host, from
another site or without the form token are refused; a change made by the CLI appears in the open
page; a hostile name is shown as text; no request leaves 127.0.0.1; axe-core finds no critical or
serious violation on any page. Screenshots go to $FIELDBOOK_SCREENSHOTS when it is set.

Usage: workbench_day.py BUILD_FOLDER   (the folder holding fieldbook, fieldbook-workbench, fieldbook-server)
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

BIN = Path(sys.argv[1]).resolve()
ROOT = Path(__file__).resolve().parents[2]
WORK = Path(tempfile.mkdtemp(prefix="fieldbook-browser."))
SHOTS = os.environ.get("FIELDBOOK_SCREENSHOTS")
CHROMIUM = os.environ.get("FIELDBOOK_CHROMIUM", "/usr/bin/chromium")
passed = []


def fb(workspace, *args, check=True):
    done = subprocess.run([str(BIN / "fieldbook"), "--workspace", str(workspace), *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"fieldbook {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def fb_json(workspace, *args):
    return json.loads(fb(workspace, *args, "--json").stdout)


def step(name):
    passed.append(name)
    print(f"browser: ok  {name}", flush=True)


def start(command, pattern, env=None):
    """Starts a process and waits for the line that says where it listens."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        found = re.search(pattern, line)
        if found:
            return process, found.group(1)
    process.kill()
    raise AssertionError(f"{command[0]} did not start: {process.stderr.read()}")


def raw(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def main():
    ana = WORK / "ana"
    env = dict(os.environ, FIELDBOOK=str(BIN / "fieldbook"))
    subprocess.run([str(ROOT / "Fixtures/sample-engagement/build.sh"), str(ana)], check=True, env=env, capture_output=True)

    # A colleague's bundle that disagrees with Ana on A.6.2.4: a conflict to resolve in the browser.
    fb(ana, "bundle", "export", "-o", str(WORK / "ana.fbbundle"))
    subprocess.run([str(BIN / "fieldbook"), "clone", str(WORK / "ana.fbbundle"), "--workspace", str(WORK / "ben"), "--assessor", "Ben Okafor"],
                   check=True, capture_output=True)
    fb(WORK / "ben", "assess", "A.6.2.4", "--result", "compliant", "--note", "Ben saw the fairness fix")
    fb(ana, "assess", "A.6.2.4", "--result", "non-compliant", "--note", "Ana saw the breach")
    fb(WORK / "ben", "bundle", "export", "-o", str(WORK / "ben.fbbundle"))
    fb(ana, "bundle", "import", str(WORK / "ben.fbbundle"))
    assert fb_json(ana, "conflicts")["conflicts"], "the bundle import made no conflict"

    # A real server to sync with (embedded SQLite, plain HTTP on loopback).
    engagement = fb(ana, "status", "--field", "engagement").stdout.strip()
    database = str(WORK / "server.sqlite")
    server_bin = str(BIN / "fieldbook-server")
    subprocess.run([server_bin, "engagement", "create", "Acme", "--id", engagement, "--database", database], check=True, capture_output=True)
    token = subprocess.run([server_bin, "token", "create", "--assessor", "Ana Ruiz", "--engagement", engagement, "--public-key",
                            fb(ana, "status", "--field", "public-key").stdout.strip(), "--database", database],
                           check=True, capture_output=True, text=True).stdout.strip()
    # Ben's key bound too, so Ana may relay his signed work that reached her by bundle.
    subprocess.run([server_bin, "token", "create", "--assessor", "Ben Okafor", "--engagement", engagement, "--public-key",
                    fb(WORK / "ben", "status", "--field", "public-key").stdout.strip(), "--database", database], check=True, capture_output=True)
    server, server_url = start([server_bin, "serve", "--port", "0", "--database", database], r"listening on (\S+)")
    fb(ana, "remote", "add", "origin", server_url, "--token", token)

    workbench, url = start([str(BIN / "fieldbook"), "--workspace", str(ana), "ui", "--no-open", "--port", "0"], r"Open (http://\S+)")
    try:
        day(ana, url)
    finally:
        workbench.terminate()
        server.terminate()
        workbench.wait(10)
        server.wait(10)
    print(f"browser: {len(passed)} checks passed")


def day(ana, url):
    port = int(re.search(r":(\d+)/", url).group(1))
    origin = f"http://127.0.0.1:{port}"

    # The gate, over plain HTTP.
    status, _, _ = raw(port, "GET", "/")
    assert status == 401, f"a request without the secret got {status}"
    step("a request without the secret is refused (401)")
    status, _, _ = raw(port, "GET", "/?key=not-the-secret")
    assert status == 401, f"a wrong secret got {status}"
    status, _, _ = raw(port, "GET", "/", {"Host": f"evil.example:{port}"})
    assert status == 421, f"a forged Host got {status}"
    step("a forged Host is refused (421)")
    status, headers, _ = raw(port, "GET", url[len(origin):])
    cookie = headers.get("Set-Cookie", "")
    assert status == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie, f"the start URL gave {status} {cookie}"
    session = cookie.split(";")[0]
    risks_before = len(fb_json(ana, "risk", "list")["risks"])
    form = "title=Cross-site&likelihood=3&impact=3&back=/risks"
    status, _, _ = raw(port, "POST", "/risks", {"Cookie": session, "Origin": "http://evil.example",
                                                "Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 403, f"a cross-site POST got {status}"
    status, _, _ = raw(port, "POST", "/risks", {"Cookie": session, "Origin": origin, "Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 403, f"a POST without the form token got {status}"
    assert len(fb_json(ana, "risk", "list")["risks"]) == risks_before, "a refused POST wrote a risk"
    step("a cross-site POST and a POST without the form token are refused (403) and write nothing")
    status, headers, _ = raw(port, "GET", "/", {"Cookie": session})
    policy = headers.get("Content-Security-Policy", "")
    assert status == 200 and "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
    step("pages carry a Content-Security-Policy with no inline script")

    # Each rule refused through both front ends with the same sentence: the CLI's stderr and the
    # notice the workbench shows after the form is posted.
    token = re.search(rb'name="csrf" value="([^"]+)"', raw(port, "GET", "/risks", {"Cookie": session})[2]).group(1).decode()

    def post(path, fields):
        body = "&".join(f"{key}={value}" for key, value in {**fields, "csrf": token, "back": "/risks"}.items())
        status, headers, _ = raw(port, "POST", path, {"Cookie": session, "Origin": origin,
                                                      "Content-Type": "application/x-www-form-urlencoded"}, body)
        assert status == 303, f"POST {path} got {status}"
        page = raw(port, "GET", headers["Location"], {"Cookie": session})[2].decode()
        notice = re.search(r'<div class="notice refused" role="alert">([^<]*)</div>', page)
        return notice.group(1).replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&") if notice else None

    def cli_refusal(*args):
        done = fb(ana, *args, check=False)
        assert done.returncode != 0, f"the CLI took {args}"
        return done.stderr.strip()

    rules = [
        ("a result only on a leaf requirement", ("assess", "A.6.2", "--result", "compliant"),
         "/requirements/iso42001:A.6.2/assess", {"status": "compliant"}),
        ("a risk's title says something", ("risk", "add", "%20", "--likelihood", "2", "--impact", "2"),
         "/risks", {"title": "%20", "likelihood": "2", "impact": "2"}),
        ("likelihood within 1 to 5", ("risk", "add", "Too likely", "--likelihood", "9", "--impact", "2"),
         "/risks", {"title": "Too+likely", "likelihood": "9", "impact": "2"}),
        ("a request's due date is a date", ("request", "add", "Logs", "--requirement", "A.6.2.5", "--due", "31/01/2027"),
         "/requests", {"title": "Logs", "requirements": "A.6.2.5", "due": "31/01/2027"}),
        ("a request's requirements exist", ("request", "add", "Logs", "--requirement", "Z.99"),
         "/requests", {"title": "Logs", "requirements": "Z.99"}),
        ("a request's title says something", ("request", "add", "%20", "--requirement", "A.6.2.5"),
         "/requests", {"title": "%20", "requirements": "A.6.2.5"}),
    ]
    for rule, command, path, fields in rules:
        said = cli_refusal(*[" " if part == "%20" else part for part in command])
        shown = post(path, fields)
        assert shown and shown in said, f"{rule}: the CLI said {said!r}, the workbench {shown!r}"
    assert len(fb_json(ana, "risk", "list")["risks"]) == risks_before, "a refused write wrote a risk"
    assert not fb_json(ana, "request", "list")["requests"], "a refused write wrote a request"
    step("rules refused through both front ends with the same sentence")

    # A hostile title, written by the CLI, must show as text.
    hostile = '<img src=x onerror="alert(document.cookie)">Bias'
    fb(ana, "risk", "add", hostile, "--likelihood", "2", "--impact", "2")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(accept_downloads=True)
        elsewhere, dialogs = [], []

        def guard(route):
            if route.request.url.startswith(origin + "/") or route.request.url.startswith("data:"):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        axe = Axe()

        def visit(path, name):
            page.goto(origin + path)
            expect(page.locator("h1")).to_be_visible()
            results = axe.run(page)
            serious = [v for v in results.response["violations"] if v.get("impact") in ("critical", "serious")]
            assert not serious, f"axe on {path}: " + "; ".join(f"{v['id']}: {v['help']}" for v in serious)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)

        page.goto(url)
        expect(page.locator("h1")).to_have_text("Acme Credit AI governance review")
        step("the printed URL opens the dashboard")
        visit("/", "dashboard")

        # Assess a requirement.
        visit("/frameworks/iso42001", "requirements")
        visit("/requirements/iso42001:A.6.2.5", "requirement")
        page.get_by_label("Result").select_option("partially-compliant")
        page.get_by_label("Maturity (0 to 5)").select_option("2")
        page.get_by_label("Note: what you observed").fill("Deployment plan exists, no rollback test")
        page.get_by_role("button", name="Record result").click()
        expect(page.get_by_role("status")).to_contain_text("partially-compliant recorded")
        shown = fb_json(ana, "show", "A.6.2.5")
        assert shown["result"]["status"] == "partially-compliant", shown["result"]
        step("assess in the browser; the CLI shows the result")

        # A rule refused in the browser with the CLI's sentence: a group takes no result.
        refusal = fb(ana, "assess", "A.6.2", "--result", "compliant", check=False)
        assert refusal.returncode != 0
        status, _, body = raw(port, "GET", "/requirements/iso42001:A.6.2", {"Cookie": session})
        assert b"takes no result" in body

        # Upload evidence with the file picker.
        evidence = WORK / "rollback-plan.pdf"
        evidence.write_bytes(b"%PDF-1.4 rollback plan\n")
        page.set_input_files("#file", str(evidence))
        page.get_by_label("Description").fill("Rollback plan, draft 2")
        page.get_by_role("button", name="Attach evidence").click()
        expect(page.get_by_role("status")).to_contain_text("Attached rollback-plan.pdf")
        files = [item.get("filename") for item in fb_json(ana, "evidence", "list")["evidence"]]
        assert "rollback-plan.pdf" in files, files
        step("upload evidence with the file picker; the CLI lists it")

        # And by dropping a file on the upload area.
        dropped = page.evaluate_handle("""() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["dropped evidence"], "dropped-minutes.txt", { type: "text/plain" }));
            return transfer;
        }""")
        page.dispatch_event("[data-drop]", "drop", {"dataTransfer": dropped})
        expect(page.locator("[data-drop-name]")).to_have_text("dropped-minutes.txt")
        page.get_by_role("button", name="Attach evidence").click()
        expect(page.get_by_role("status")).to_contain_text("Attached dropped-minutes.txt")
        files = [item.get("filename") for item in fb_json(ana, "evidence", "list")["evidence"]]
        assert "dropped-minutes.txt" in files, files
        step("upload evidence by drag and drop; the CLI lists it")

        # Log a risk; the hostile title shows as text and runs nothing.
        visit("/risks", "risks")
        page.get_by_label("Title").fill("Model drift unnoticed")
        page.get_by_label("Likelihood (1 rare to 5 almost certain)").select_option("4")
        page.get_by_label("Impact (1 negligible to 5 severe)").select_option("3")
        page.get_by_role("button", name="Log risk").click()
        expect(page.get_by_role("status")).to_contain_text("Logged risk Model drift unnoticed")
        titles = [risk.get("title") for risk in fb_json(ana, "risk", "list")["risks"]]
        assert "Model drift unnoticed" in titles, titles
        step("log a risk in the browser; the CLI lists it")
        expect(page.get_by_text(hostile)).to_be_visible()
        assert page.locator('img[src="x"]').count() == 0 and not dialogs, dialogs
        step("a hostile title is shown as text and runs nothing")

        # Record a finding against a requirement.
        visit("/findings", "findings")
        page.get_by_label("Title").fill("No rollback test before release")
        page.get_by_label("Severity").select_option("minor")
        page.get_by_label("Link requirements (ids, comma-separated)").fill("A.6.2.5")
        page.get_by_label("Corrective action due").fill("2027-03-31")
        page.get_by_role("button", name="Record finding").click()
        expect(page.get_by_role("status")).to_be_visible()
        findings = {item.get("title"): item for item in fb_json(ana, "finding", "list")["findings"]}
        assert "No rollback test before release" in findings, list(findings)
        assert findings["No rollback test before release"]["requirements"] == ["iso42001:A.6.2.5"]
        step("record a finding in the browser; the CLI lists it against its requirement")

        # Close it: refused until its correction is verified effective (the CLI's sentence), then taken.
        finding_id = findings["No rollback test before release"]["id"]
        visit(f"/findings/{finding_id}", "finding")
        page.get_by_role("button", name="Close finding").click()
        expect(page.get_by_role("alert")).to_contain_text("A minor nonconformity closes only once its correction is verified effective")
        page.get_by_label("Result").select_option("effective")
        page.get_by_label("Verified on").fill("2027-04-02")
        page.get_by_role("button", name="Record verification").click()
        expect(page.get_by_role("status")).to_contain_text("effective")
        page.get_by_role("button", name="Close finding").click()
        expect(page.get_by_role("status")).to_contain_text("Closed finding")
        shown = fb_json(ana, "show", finding_id)
        assert shown["status"] == "closed" and shown["verification"] == "effective" and shown["verified_on"] == "2027-04-02", shown
        step("a nonconformity closes in the browser once verified effective, refused before as by the CLI")

        # Chase evidence from the client: ask for it from the request list, attach the file that came
        # as fulfilling it, accept it; the CLI sees each state.
        visit("/requests", "requests")
        page.get_by_label("What is asked, in a few words").fill("Access review log Q1")
        page.get_by_label("Requirements the evidence is for (ids, comma-separated)").fill("A.6.2.5")
        page.get_by_label("Asked of (who at the client)").fill("Ops team")
        page.get_by_label("Due", exact=True).fill("2027-01-31")
        page.get_by_role("button", name="Request evidence").click()
        expect(page.get_by_role("status")).to_contain_text("Asked for Access review log Q1")
        asked = {item.get("title"): item for item in fb_json(ana, "request", "list")["requests"]}
        assert "Access review log Q1" in asked, list(asked)
        request_id = asked["Access review log Q1"]["id"]
        shown = fb_json(ana, "request", "show", request_id)["request"]
        assert shown["status"] == "requested" and shown["requirements"] == ["iso42001:A.6.2.5"] and shown["due"] == "2027-01-31", shown
        step("ask the client for evidence in the browser; the CLI shows the request")

        page.get_by_role("link", name="Access review log Q1").click()
        expect(page.locator("h1")).to_have_text("Access review log Q1")
        visit(f"/requests/{request_id}", "request")
        review = WORK / "access-review-q1.pdf"
        review.write_bytes(b"%PDF-1.4 access review Q1\n")
        page.set_input_files("#file", str(review))
        page.get_by_label("Description", exact=True).fill("Signed by the CISO")
        page.get_by_role("button", name="Attach evidence fulfilling it").click()
        expect(page.get_by_role("status")).to_contain_text("Attached access-review-q1.pdf")
        shown = fb_json(ana, "request", "show", request_id)
        assert shown["request"]["status"] == "received", shown["request"]
        assert [item.get("filename") for item in shown["evidence"]] == ["access-review-q1.pdf"], shown["evidence"]
        assert shown["evidence"][0]["requirements"] == ["iso42001:A.6.2.5"], shown["evidence"][0]
        step("attach a file fulfilling the request in the browser; the CLI shows it received with the file")

        page.get_by_label("Status", exact=True).select_option("accepted")
        page.get_by_label("The client's comment").fill("Q2 follows in July")
        page.get_by_role("button", name="Save request").click()
        expect(page.get_by_role("status")).to_contain_text("Saved request")
        shown = fb_json(ana, "request", "show", request_id)["request"]
        assert shown["status"] == "accepted" and shown["client_comment"] == "Q2 follows in July", shown
        step("accept the request in the browser; the CLI shows it accepted with the client's comment")

        # Ask from a requirement's page, already late: the dashboard's overdue figure leads to it.
        visit("/requirements/iso42001:A.6.2.5", "requirement-requests")
        page.get_by_label("What is asked, in a few words").fill("Rollback test record")
        page.get_by_label("Due", exact=True).fill("2020-06-30")
        page.get_by_role("button", name="Request evidence").click()
        expect(page.get_by_role("status")).to_contain_text("Asked for Rollback test record")
        late = [item["title"] for item in fb_json(ana, "request", "list", "--overdue")["requests"]]
        assert late == ["Rollback test record"], late
        visit("/", "dashboard")
        page.get_by_role("link", name="1 overdue").click()
        expect(page).to_have_url(re.compile(r"/requests\?overdue=1$"))
        expect(page.get_by_role("row", name=re.compile("Rollback test record"))).to_contain_text("overdue")
        expect(page.get_by_role("link", name="Access review log Q1")).to_have_count(0)
        visit("/requests?overdue=1", "requests-overdue")
        step("ask from a requirement's page; the dashboard's overdue figure opens the filtered list, the request marked overdue")

        # Test a control on a sample: draw it from a population CSV in the browser, record one item
        # passed and one exception (with the file looked at and a finding raised in the same step);
        # the CLI's workpaper agrees item by item.
        population = WORK / "change-tickets.csv"
        population.write_text("ticket,approved_by\n" + "".join(f"CHG-{n},Lead {n}\n" for n in range(1, 9)))
        visit("/tests", "tests")
        said = fb(ana, "test", "add", "Too many", "--requirement", "A.6.2.5", "--population", str(population), "--size", "99", check=False).stderr
        page.get_by_label("What is tested, in a few words").fill("Too many")
        page.get_by_label("Requirements whose control is tested (ids, comma-separated)").fill("A.6.2.5")
        page.set_input_files("#population", str(population))
        page.get_by_label("Sample size (items to draw)").fill("99")
        page.get_by_role("button", name="Draw the sample").click()
        expect(page.get_by_role("alert")).to_contain_text("larger than the population of 8 rows")
        assert page.get_by_role("alert").inner_text().strip() in said, (said, page.get_by_role("alert").inner_text())
        assert not fb_json(ana, "test", "list")["tests"], "a refused draw wrote a test"
        page.get_by_label("What is tested, in a few words").fill("Change approval before deployment")
        page.get_by_label("Requirements whose control is tested (ids, comma-separated)").fill("A.6.2.5")
        page.set_input_files("#population", str(population))
        page.get_by_label("Sample size (items to draw)").fill("3")
        page.get_by_label("Seed (optional)").fill("2026")
        page.get_by_role("button", name="Draw the sample").click()
        expect(page.get_by_role("status")).to_contain_text("Drew 3 of 8 rows from change-tickets.csv with seed 2026")
        tests = {item["test"]["title"]: item for item in fb_json(ana, "test", "list")["tests"]}
        assert "Change approval before deployment" in tests, list(tests)
        test_id = tests["Change approval before deployment"]["test"]["id"]
        rows = sorted(item["row"] for item in tests["Change approval before deployment"]["items"])
        assert len(rows) == 3, rows
        page.get_by_role("link", name="Change approval before deployment").click()
        expect(page.locator("h1")).to_have_text("Change approval before deployment")
        visit(f"/tests/{test_id}", "test")
        page.get_by_role("button", name=f"Row {rows[0]} passed").click()
        expect(page.get_by_role("status")).to_contain_text(f"Row {rows[0]}: passed")
        scan = WORK / "chg-ticket-scan.pdf"
        scan.write_bytes(b"%PDF-1.4 change ticket\n")
        page.get_by_text(f"Record an exception in row {rows[1]}").click()
        page.get_by_label(f"What was found wrong with row {rows[1]}").fill("Deployed two days before approval")
        page.set_input_files(f"#row-{rows[1]}-evidence", str(scan))
        page.get_by_label(f"Raise a finding from the exception in row {rows[1]}").check()
        page.get_by_role("button", name=f"Record the exception in row {rows[1]}").click()
        expect(page.get_by_role("status")).to_contain_text("chg-ticket-scan.pdf attached as evidence")
        shown = fb_json(ana, "test", "show", test_id)
        assert shown["test"]["seed"] == 2026 and shown["test"]["population_file"] == "change-tickets.csv", shown["test"]
        results = {item["row"]: item for item in shown["items"]}
        assert results[rows[0]].get("result") == "pass", results[rows[0]]
        assert results[rows[1]].get("result") == "exception" and results[rows[1]].get("exception") == "Deployed two days before approval", results[rows[1]]
        assert results[rows[1]].get("evidence") and results[rows[1]].get("findings"), results[rows[1]]
        assert "result" not in results[rows[2]] or results[rows[2]]["result"] is None, results[rows[2]]
        assert shown["conclusion"] == "exceptions", shown["conclusion"]
        expect(page.locator("main")).to_contain_text(shown["summary"])
        raised = [item["title"] for item in fb_json(ana, "finding", "list")["findings"]]
        assert any(title.startswith("Exception in sampled test: Change approval before deployment") for title in raised), raised
        visit(f"/tests/{test_id}", "test-recorded")
        step("draw a sample from a population CSV in the browser (a sample larger than it refused with the CLI's sentence), record a pass and an exception with evidence and a finding; test show agrees")

        # Record an interview; the CLI lists it; the requirement's page links the interview and the test.
        visit("/interviews", "interviews")
        page.get_by_label("With whom (name, role)").fill("Dana Lee, Head of Data")
        page.get_by_label("Held on").fill("2026-03-02")
        page.get_by_label("Requirements it speaks to (ids, comma-separated)").fill("A.6.2.5")
        page.get_by_label("Notes taken").fill("Walked through the change board's minutes")
        page.get_by_role("button", name="Record interview").click()
        expect(page.get_by_role("status")).to_contain_text("Recorded the interview with Dana Lee")
        interviews = fb_json(ana, "interview", "list")["interviews"]
        assert len(interviews) == 1, interviews
        held = interviews[0]
        assert held["interviewee"] == "Dana Lee" and held["role"] == "Head of Data" and held["date"] == "2026-03-02", held
        assert held["requirements"] == ["iso42001:A.6.2.5"] and held["notes"] == "Walked through the change board's minutes", held
        visit(f"/interviews/{held['id']}", "interview")
        visit("/requirements/iso42001:A.6.2.5", "requirement-fieldwork")
        expect(page.get_by_role("link", name="Interview with Dana Lee, Head of Data")).to_be_visible()
        expect(page.locator("li", has=page.get_by_role("link", name="Change approval before deployment", exact=True))).to_contain_text(shown["summary"])
        step("record an interview in the browser; interview list agrees; the requirement's page links the interview and the test")

        # Exclude a control: refused without a justification (the CLI's sentence), taken with one.
        visit("/applicability", "applicability")
        page.get_by_label("Decision on A.8.4").select_option("excluded")
        page.get_by_role("button", name="Save A.8.4").click()
        said = fb(ana, "applicability", "set", "A.8.4", "--excluded", check=False).stderr
        expect(page.get_by_role("alert")).to_contain_text("needs a justification")
        assert "needs a justification" in said, said
        page.get_by_label("Decision on A.8.4").select_option("excluded")
        page.get_by_label("Justification for A.8.4").fill("No external reporting obligation")
        page.get_by_role("button", name="Save A.8.4").click()
        expect(page.get_by_role("status")).to_be_visible()
        soa = json.loads(fb(ana, "report", "soa", "--format", "json").stdout)
        row = next(row for row in soa["controls"] if row["control"] == "iso42001:A.8.4")
        assert row["applicability"] == "excluded" and row.get("justification") == "No external reporting obligation", row
        step("exclude a control with a justification in the browser (refused without one); the CLI shows it")

        # Resolve the conflict the bundle import made: keep Ben's status, write a new note.
        visit("/conflicts", "conflicts")
        status_section = page.locator("section", has=page.get_by_role("heading", name=re.compile(r": status$")))
        status_section.get_by_role("button", name="Keep Ben Okafor's value").click()
        expect(page.get_by_role("status")).to_be_visible()
        note_section = page.locator("section", has=page.get_by_role("heading", name=re.compile(r": note$")))
        note_section.get_by_label("Write a new value of note").fill("Fairness fix seen by Ben; breach seen by Ana before it")
        note_section.get_by_role("button", name="Resolve with this value").click()
        expect(page.get_by_role("status")).to_be_visible()
        assert not fb_json(ana, "conflicts")["conflicts"], "conflicts remain after resolving in the browser"
        shown = fb_json(ana, "show", "A.6.2.4")["result"]
        assert shown["status"] == "compliant" and shown["note"].startswith("Fairness fix seen by Ben"), shown
        step("resolve the bundle import's conflict in the browser (keep a value, write a new one); the CLI agrees")

        # A change made by the CLI shows in the open page without a reload.
        page.goto(origin + "/risks")
        page.locator("h1").click()
        fb(ana, "risk", "add", "Live from the CLI", "--likelihood", "1", "--impact", "1")
        expect(page.get_by_text("Live from the CLI")).to_be_visible(timeout=3000)
        step("a change made by the CLI appears in the open page within a second or two")

        for path, name in [("/systems", "systems"), ("/sync", "sync"), ("/reports", "reports")]:
            visit(path, name)
        step("axe-core finds no critical or serious violation on any page")

        # Sync with the real server.
        visit("/sync", "sync")
        page.get_by_role("button", name="Sync now with origin").click()
        expect(page.get_by_role("status")).to_contain_text("Synced with origin")
        assert fb_json(ana, "status")["last_sync"], "the CLI shows no last sync"
        step("sync with a real fieldbook-server from the browser; the CLI shows the last sync")

        # Download the gap report in Word.
        visit("/reports", "reports")
        with page.expect_download() as download:
            page.locator('a[href="/reports/gap.docx?framework=iso42001"]').click()
        saved = Path(download.value.path())
        assert saved.read_bytes()[:2] == b"PK", "the Word download is not a ZIP container"
        step("download the gap report in Word")

        assert not elsewhere, f"requests left 127.0.0.1: {elsewhere}"
        step("no request left 127.0.0.1")
        browser.close()


if __name__ == "__main__":
    main()
