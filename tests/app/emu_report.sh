#!/usr/bin/env bash
# tender-emu's report: a passing and a failing scenario give exit 1, a JUnit file with the
# right counts, a summary line per scenario and "1 passed, 1 failed", and per scenario its
# receipts, masked host log and display log; a malformed scenario is exit 2 naming the step
# (and never quoting a value of it: a bad step holding a PAN).
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

set +e
"$emu" run "$tests/data/emu/malformed.json" --report-dir "$dir/r2" >"$dir/out2" 2>"$dir/err2"
code=$?
set -e
check "malformed scenario: exit 2" '[[ $code == 2 ]]'
check "malformed scenario: names the step" 'grep -q "step 1: unknown step \"sael\"" "$dir/err2"'
check "no report for a malformed run" '[[ ! -e "$dir/r2/junit.xml" ]]'

# A bad step holding a PAN: exit 2, the step and field named, the PAN nowhere.
set +e
"$emu" run "$tests/data/emu/bad_step_pan.json" --report-dir "$dir/r3" >"$dir/out3" 2>"$dir/err3"
code=$?
set -e
check "bad step with a PAN: exit 2" '[[ $code == 2 ]]'
check "bad step with a PAN: names the step and field" 'grep -q "step 2: keyed: takes PAN=YYMM" "$dir/err3"'
check "bad step with a PAN: no PAN in the output" '! grep -q "411111" "$dir/err3" "$dir/out3"'

echo "emu_report: $pass passed, $fail failed"
[[ $fail == 0 ]]
