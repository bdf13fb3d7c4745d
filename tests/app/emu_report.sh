#!/usr/bin/env bash
# tender-emu's report: a passing and a failing scenario give exit 1, a JUnit file with the
# right counts, a summary line per scenario and "1 passed, 1 failed", and per scenario its
# receipts, masked host log and display log; a malformed scenario is an <error> test case
# naming the step (and never quoting a value of it: a bad step holding a PAN), exit 3, the
# others still run; the whole suite's junit.xml validates against the Jenkins JUnit schema
# (xmllint, tests/data/junit/jenkins-junit.xsd) and reads in junitparser, and a wrong
# expect_settlement fails its scenario.
#   usage: emu_report.sh path/to/tender-emu path/to/tests
set -euo pipefail
emu=$1
tests=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

set +e
"$emu" run "$tests/scenarios/fullstack_swipe_approved.json" "$tests/data/emu/must_fail.json" --report-dir "$dir/r" \
  --state-dir "$dir/state" >"$dir/out" 2>&1
code=$?
set -e
check "exit 1 when a scenario fails" '[[ $code == 1 ]]'
check "junit.xml counts" 'grep -q "tests=\"2\" failures=\"1\"" "$dir/r/junit.xml"'
check "junit failure names the step" 'grep -q "step 3 (expect_outcome): expected declined, got approved" "$dir/r/junit.xml"'
check "summary: one line per scenario" '[[ $(grep -c "^PASS \|^FAIL " "$dir/r/summary.txt") == 2 ]]'
check "summary: totals" 'tail -1 "$dir/r/summary.txt" | grep -qx "1 passed, 1 failed"'
check "per-scenario receipts" '[[ -s "$dir/r/fullstack_swipe_approved/receipts.txt" ]] && grep -q "APPROVED" "$dir/r/fullstack_swipe_approved/receipts.txt"'
check "per-scenario host log" 'grep -q "\"/api/transaction\"" "$dir/r/fullstack_swipe_approved/host.log"'
check "host log masked" '! grep -q "4111111111111111" "$dir/r/"*/host.log'

# A keyed sale on Aurora: the PAN and the security code are masked in the host log.
"$emu" run "$tests/scenarios/aurora_keyed_sale.json" --report-dir "$dir/k" >/dev/null 2>&1 || true
check "keyed: PAN masked" '! grep -q "4111111111111111" "$dir/k/aurora_keyed_sale/host.log" && grep -q "411111\*\*\*\*\*\*1111" "$dir/k/aurora_keyed_sale/host.log"'
check "keyed: security code masked" 'grep -q "\"securityCode\":\"\[masked" "$dir/k/aurora_keyed_sale/host.log"'
check "receipts masked" '! grep -q "4111111111111111" "$dir/r/"*/receipts.txt'
check "display log" 'grep -qi "insert, swipe" "$dir/r/fullstack_swipe_approved/display.log"'
check "state dir per scenario" '[[ -f "$dir/state/fullstack_swipe_approved/journal.db" && -f "$dir/state/must_fail/journal.db" ]]'
check "journal holds no clear PAN" '! grep -a -q "4111111111111111" "$dir/state/"*/journal.db*'

# A scenario file that does not parse is an <error> test case naming the step; the run goes on
# and says so in its exit status (3).
set +e
"$emu" run "$tests/data/emu/malformed.json" "$tests/scenarios/fullstack_swipe_approved.json" --report-dir "$dir/r2" \
  >"$dir/out2" 2>"$dir/err2"
code=$?
set -e
check "malformed scenario: exit 3" '[[ $code == 3 ]]'
check "malformed scenario: stdout names the step" 'grep -q "^ERROR .*malformed.json -- step 1: unknown step \"sael\"" "$dir/out2"'
check "malformed scenario: the others still ran" 'grep -q "^PASS fullstack" "$dir/out2" && tail -1 "$dir/r2/summary.txt" | grep -qx "1 passed, 0 failed, 1 errors"'
check "malformed scenario: <error> in junit.xml" 'grep -q "<error type=\"malformed\" message=\"step 1: unknown step &quot;sael&quot;\"" "$dir/r2/junit.xml"'

# A bad step holding a PAN: an error naming the step and field, the PAN nowhere.
set +e
"$emu" run "$tests/data/emu/bad_step_pan.json" --report-dir "$dir/r3" >"$dir/out3" 2>"$dir/err3"
code=$?
set -e
check "bad step with a PAN: exit 3" '[[ $code == 3 ]]'
check "bad step with a PAN: names the step and field" 'grep -q "step 2: keyed: takes PAN=YYMM" "$dir/out3" "$dir/r3/junit.xml"'
check "bad step with a PAN: no PAN in the output or the report" '! grep -rq "411111" "$dir/err3" "$dir/out3" "$dir/r3"'

# The whole suite plus a file with a bad step, one that is not JSON and one whose settlement
# expectation is wrong: junit.xml valid against the Jenkins JUnit schema (xmllint) and read by
# junitparser; each <error> names what is wrong, each <system-out> names files that exist.
command -v xmllint >/dev/null || { echo "emu_report: xmllint is not installed (scripts/setup: libxml2-utils)"; exit 1; }
py=/usr/bin/python3
[[ -x $py ]] || py=python3
"$py" -c 'import junitparser' || { echo "emu_report: junitparser is not installed (scripts/setup: python3-junitparser)"; exit 1; }
xsd=$tests/data/junit/jenkins-junit.xsd
set +e
"$emu" run "$tests/scenarios" "$tests/data/emu/malformed.json" "$tests/data/emu/not_json.json" \
  "$tests/data/emu/settlement_wrong.json" --report-dir "$dir/s" --state-dir "$dir/s-state" >"$dir/out-s" 2>"$dir/err-s"
code=$?
set -e
scenarios=$(ls "$tests/scenarios"/*.json | wc -l)
check "suite: exit 3 (an error wins over a failure)" '[[ $code == 3 ]]'
check "suite: summary totals" 'tail -1 "$dir/s/summary.txt" | grep -qx "$scenarios passed, 1 failed, 2 errors"'
check "suite: junit.xml valid against the Jenkins JUnit schema" 'xmllint --noout --schema "$xsd" "$dir/s/junit.xml" 2>"$dir/xmllint.err"'
check "the schema refuses what it must (a file= attribute on testcase)" \
  'sed "0,/<testcase /s//<testcase file=\"x.json\" /" "$dir/s/junit.xml" >"$dir/bad-junit.xml" && ! xmllint --noout --schema "$xsd" "$dir/bad-junit.xml" 2>/dev/null'
check "the settlement scenario passed" 'grep -q "^PASS aurora settlement counts and totals" "$dir/s/summary.txt"'
check "a wrong settlement expectation fails, naming what differed" \
  'grep -q "step 6 (expect_settlement): expected 2 transactions, got 1" "$dir/out-s" && grep -q "step 6 (expect_settlement): sale total expected 13.00, got 12.00" "$dir/out-s"'
check "junitparser reads it: counts, errors, system-out files" '"$py" - "$dir/s" "$scenarios" >"$dir/junitparser.out" 2>&1 <<"PY"
import os, sys
from junitparser import JUnitXml, Error, Failure, Skipped
report, scenarios = sys.argv[1], int(sys.argv[2])
xml = JUnitXml.fromfile(os.path.join(report, "junit.xml"))
suites = list(xml)
assert len(suites) == 1, len(suites)
suite = suites[0]
assert suite.tests == scenarios + 3, (suite.tests, scenarios)
assert (suite.failures, suite.errors, suite.skipped) == (1, 2, 0), (suite.failures, suite.errors, suite.skipped)
assert suite.timestamp and suite.hostname and suite.time > 0, (suite.timestamp, suite.hostname, suite.time)
errors, files = {}, 0
for case in suite:
    assert case.time is not None and case.time >= 0, case.name
    for r in case.result:
        if isinstance(r, Error):
            errors[os.path.basename(case.name)] = r.message
    out = case.system_out or ""
    assert out.startswith("scenario: "), (case.name, out)
    for line in out.splitlines():
        label, _, rest = line.partition(": ")
        if label in ("receipts", "host log", "display log"):
            path = os.path.join(report, rest.split(" (")[0])
            assert os.path.isfile(path), path
            files += 1
assert errors.get("malformed.json") == "step 1: unknown step \"sael\"", errors
assert errors.get("not_json.json") == "not JSON: syntax error at line 4, column 14", errors
assert files == 3 * (scenarios + 1), files
print("junitparser: %d cases, %d files named and present" % (suite.tests, files))
PY'
cat "$dir/junitparser.out" "$dir/xmllint.err" 2>/dev/null | grep -v "validates$" || true

echo "emu_report: $pass passed, $fail failed"
[[ $fail == 0 ]]
