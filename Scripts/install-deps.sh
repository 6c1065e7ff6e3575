#!/usr/bin/env bash
# Installs the system libraries Fieldbook builds against, only when they are absent.
set -euo pipefail
# openssl: the TLS tests and the demo make a private CA and server certificates with it.
# libreoffice-calc-nogui: the request list's test re-saves a client's XLSX with LibreOffice Calc.
needed=(libsqlite3-dev libcurl4-openssl-dev openssl libreoffice-calc-nogui)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# chromium: the workbench's browser test (Tests/Browser) drives Debian's build through Playwright.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The server suite runs on a throwaway PostgreSQL cluster (Scripts/postgres-cluster.sh).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi
# Second opinions in the tests: NIST's OSCAL schema (Scripts/validate-oscal.py: jsonschema,
# regex), compliance-trestle loading the OSCAL export, python-docx opening the Word reports.
if ! python3 -c "import jsonschema, regex, trestle, docx" 2>/dev/null; then
  echo "install-deps: installing the Python modules jsonschema, regex, compliance-trestle and python-docx"
  python3 -m pip install --quiet jsonschema regex compliance-trestle==5.2.0 python-docx==1.2.0
fi
# The request list's outside readers (Tests/FieldbookCLITests/RequestSheetCommandTests): openpyxl
# reads and edits the exported XLSX as a client would (LibreOffice Calc, installed above, re-saves it).
if ! python3 -c "import openpyxl" 2>/dev/null; then
  echo "install-deps: installing the Python module openpyxl"
  python3 -m pip install --quiet openpyxl==3.1.5
fi
# The workbench's browser test: Playwright (driving the system's chromium, so no browser
# download) and axe-core's accessibility checks.
if ! python3 -c "import playwright, axe_playwright_python" 2>/dev/null; then
  echo "install-deps: installing the Python modules playwright and axe-playwright-python"
  python3 -m pip install --quiet playwright==1.65.3 axe-playwright-python==0.1.8
fi
# The API's conformance stage (Tests/API): Schemathesis against a live server, and the OpenAPI
# document checked against the specification first.
if ! python3 -c "import schemathesis, openapi_spec_validator" 2>/dev/null; then
  echo "install-deps: installing the Python modules schemathesis and openapi-spec-validator"
  python3 -m pip install --quiet schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi
