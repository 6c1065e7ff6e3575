#!/usr/bin/env bash
# Builds the sample engagement "Acme Credit AI governance review" through the real CLI, in
# the folder given as the first argument (created; must not hold a workspace yet).
# FIELDBOOK (default: fieldbook on PATH) names the binary; ASSESSOR the assessor.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:?usage: build.sh FOLDER}"
fb="${FIELDBOOK:-fieldbook}"
mkdir -p "$dir"
f() { "$fb" --workspace "$dir" "$@"; }

f init --engagement "Acme Credit AI governance review" --assessor "${ASSESSOR:-Ana Ruiz}" \
  --scope "Credit scoring model CS-7 and the customer chat assistant" >/dev/null

# ISO/IEC 42001: management system clauses and Annex A controls.
f assess 4.3 --result compliant --maturity 3 --note "Scope statement covers both AI systems" >/dev/null
f assess 5.2 --result compliant --maturity 4 --note "AI policy v1.2 approved by the board" >/dev/null
f assess 6.1.2 --result partially-compliant --maturity 2 --note "Risk assessment method defined, not yet applied to the chat assistant" >/dev/null
f assess 6.1.4 --result non-compliant --maturity 1 --note "No impact assessment for CS-7" >/dev/null
f assess A.2.2 --result compliant --maturity 4 >/dev/null
f assess A.5.2 --result non-compliant --maturity 1 --note "Impact assessment process not documented" >/dev/null
f assess A.6.2.4 --result partially-compliant --maturity 2 --note "Validation done; fairness threshold breached" >/dev/null
f assess A.6.2.6 --result compliant --maturity 3 --note "Drift monitoring in place since May" >/dev/null
f assess A.8.4 --result not-applicable --note "No external reporting obligation in scope" >/dev/null

# NIST AI RMF subcategories.
f assess GV-1.1 --result compliant --maturity 3 --note "Legal register includes the consumer credit act" >/dev/null
f assess GV-1.2 --result compliant --maturity 3 >/dev/null
f assess MP-1.1 --result partially-compliant --maturity 2 --note "Context documented for CS-7 only" >/dev/null
f assess MS-2.11 --result non-compliant --maturity 1 --note "Fairness evaluated but not acted on" >/dev/null
f assess MG-2.2 --result compliant --maturity 3 >/dev/null

# Evidence, one file serving both frameworks.
f evidence add "$here/evidence/ai-policy.md" --requirement 5.2 --requirement A.2.2 --requirement GV-1.1 \
  --description "Board-approved AI policy" >/dev/null
f evidence add "$here/evidence/model-validation-report.md" --requirement A.6.2.4 --requirement MS-2.11 \
  --description "Independent validation of CS-7" >/dev/null
f evidence add "$here/evidence/incident-log-extract.csv" --requirement A.6.2.6 \
  --description "Incident log extract, 2026" >/dev/null

# Risks and findings.
f risk add "Unfair outcomes for older applicants" --likelihood 4 --impact 5 --owner "Head of Credit Risk" \
  --treatment mitigate --requirement MS-2.11 --requirement A.6.2.4 >/dev/null
f risk add "Score drift after upstream data changes" --likelihood 3 --impact 3 --owner "Model owner CS-7" \
  --treatment mitigate --status mitigated --requirement A.6.2.6 >/dev/null
f risk add "Chat assistant gives wrong product information" --likelihood 2 --impact 2 --owner "Digital channels" \
  --treatment accept --requirement MP-1.1 >/dev/null
f finding add "No AI system impact assessment for CS-7" --requirement 6.1.4 --requirement A.5.2 --severity major \
  --corrective-action "Run and document an impact assessment before the next release" --owner "CRO" --due 2027-02-28 >/dev/null
f finding add "Fairness threshold breached without follow-up" --requirement MS-2.11 --severity minor \
  --corrective-action "Retrain with reweighting; re-validate" --owner "Model owner CS-7" --due 2027-01-31 >/dev/null
echo "sample engagement built in $dir"
