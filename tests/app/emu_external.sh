#!/usr/bin/env bash
# tender-emu run --config: the whole certification suite against a separate tender-hostsim on
# 127.0.0.1, named by a terminal configuration, once as Aurora and once as FullStack. Each run
# must exit 0 with no failures; exactly the scenarios that need the built-in simulator are
# skipped (another host kind, or host_behaviour steps: counted from the files with jq), each
# with <skipped/> in JUnit and its reason; every other scenario passes in the run of its host.
# host.log shows what the terminal sent and received, masked; the hostsim's own log shows the
# terminal's sales. Every wait is bounded; the hostsim is stopped on any exit (trap).
#   usage: emu_external.sh path/to/tender-emu path/to/tender-hostsim path/to/tests
set -uo pipefail
. "$(dirname "$0")/../lib/process.sh"
emu=${1:?usage: emu_external.sh TENDER_EMU TENDER_HOSTSIM TESTS_DIR}
hostsim=${2:?usage: emu_external.sh TENDER_EMU TENDER_HOSTSIM TESTS_DIR}
tests=${3:?usage: emu_external.sh TENDER_EMU TENDER_HOSTSIM TESTS_DIR}
command -v jq >/dev/null || { echo "emu_external: jq is not installed (scripts/setup installs it)"; exit 1; }
suite=$tests/scenarios
work=$(mktemp -d "${TMPDIR:-/tmp}/emu_external.XXXXXX")
cleanup() {
  stop_hostsim
  rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
started=$SECONDS

# --- the hostsim, on loopback, its test CA in its state folder ------------------------------
HOSTSIM_START_SECONDS=60 start_hostsim "$hostsim" 0 --verbose
port=$sim_port
echo "emu_external: tender-hostsim on 127.0.0.1:$port after $((SECONDS - started)) s"

# --- what to expect, from the files themselves ------------------------------------------------
# one line per scenario: "FILE HOST BEHAVIOUR" (BEHAVIOUR 1 when a step scripts the built-in
# simulator: host_behaviour, advance_clock, other_terminal_sale)
jq -r '[input_filename, (.host // "aurora"), ([.steps[] | has("host_behaviour") or has("advance_clock") or has("other_terminal_sale")] | any | if . then 1 else 0 end)] | join(" ")' \
  "$suite"/*.json | sort >"$work/expected"
total=$(wc -l <"$work/expected")
behaviour=$(awk '$3 == 1' "$work/expected" | wc -l)
check "the suite has scenarios with host_behaviour" '[[ $behaviour -gt 0 && $total -gt $behaviour ]]'

write_config() {  # KIND FILE
  local host_block
  if [[ $1 == aurora ]]; then
    host_block='"aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret", "payment_processor_id": "emu-external"}'
  elif [[ $1 == connexpay ]]; then  # the simulator's merchant (net/hostsim/connexpay_api.hpp)
    host_block='"connexpay": {"username": "tender-test", "password": "tender-test-secret", "device_guid": "8f2d6c1e-4b3a-4e9f-a7d5-c1b2e3f4a5d6", "merchant_guid": "3c9e5b1a-7d2f-4a8e-b6c4-e2f1a9d8c7b5"}'
  else
    host_block='"fullstack": {"api_key": "api_tender_test", "terminal_id": "1ucio551tlv85l7moe5s"}'
  fi
  cat >"$2" <<CONFIG
{ "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "merchant_id": "MID0001"},
  "currency": "USD", "state_dir": "$work/config-state", "device_key": "test",
  "host": {"kind": "$1", "url": "https://127.0.0.1:$port", "ca_file": "$work/sim/ca.pem",
           "server_name": "localhost", "timeout_ms": 5000,
           $host_block} }
CONFIG
}

# junit_cases JUNIT: "FILE skipped|ran MESSAGE" per testcase (the message of <skipped/>; the
# file from the "scenario: FILE" line of its <system-out>)
junit_cases() {
  awk '
    /<testcase / { state = "ran"; msg = ""; file = "" }
    /<skipped / { match($0, /message="[^"]*"/); state = "skipped"; msg = substr($0, RSTART + 9, RLENGTH - 10) }
    /<system-out>scenario: / { file = $0; sub(/.*<system-out>scenario: /, "", file) }
    /<\/testcase>/ { if (state == "skipped") print file, state, msg; else print file, state }' "$1" | sort
}

mkdir -p "$work/config-state"  # the configuration's own; the runner keeps one per scenario
declare -A passed_in
for kind in aurora fullstack connexpay; do
  config=$work/$kind.json
  write_config "$kind" "$config"
  report=$work/report-$kind
  t0=$SECONDS
  mark=$(wc -l <"$work/sim.err")  # the hostsim's log lines of this run start after this one
  timeout 300 "$emu" run "$suite" --config "$config" --report-dir "$report" --state-dir "$work/state-$kind" \
    >"$work/out-$kind" 2>"$work/err-$kind"
  code=$?
  echo "emu_external: $kind run: exit $code in $((SECONDS - t0)) s; $(tail -n 2 "$work/out-$kind" | head -n 1)"
  check "$kind: exit 0" '[[ $code == 0 ]]'
  [[ $code == 0 ]] || { grep -A3 '^FAIL' "$work/out-$kind" | head -n 40; tail -n 5 "$work/err-$kind"; }

  # Expected: the other kind's files and this kind's host_behaviour files are skipped.
  awk -v k="$kind" '$2 != k || $3 == 1 { print $1 }' "$work/expected" | sort >"$work/want-skipped-$kind"
  awk -v k="$kind" '$2 == k && $3 == 0 { print $1 }' "$work/expected" | sort >"$work/want-ran-$kind"
  skipped=$(wc -l <"$work/want-skipped-$kind")
  ran=$(wc -l <"$work/want-ran-$kind")
  check "$kind: summary counts" 'tail -n 1 "$report/summary.txt" | grep -qx "$ran passed, 0 failed, $skipped skipped"'
  check "$kind: no FAIL line" '! grep -q "^FAIL" "$report/summary.txt"'
  check "$kind: junit counts" 'grep -q "<testsuite name=\"tender-emu\" tests=\"$total\" failures=\"0\" errors=\"0\" skipped=\"$skipped\"" "$report/junit.xml"'
  junit_cases "$report/junit.xml" >"$work/cases-$kind"
  check "$kind: <skipped/> for exactly those" 'diff <(awk "\$2 == \"skipped\" { print \$1 }" "$work/cases-$kind") "$work/want-skipped-$kind" >/dev/null'
  check "$kind: every other scenario ran" 'diff <(awk "\$2 == \"ran\" { print \$1 }" "$work/cases-$kind") "$work/want-ran-$kind" >/dev/null'
  # The reasons: host_behaviour files name the step; the other kind's files name the host.
  check "$kind: skip reasons" '
    ok=1
    declare -A reason=()
    while read -r f state msg; do [[ $state == skipped ]] && reason[$f]=$msg; done <"$work/cases-$kind"
    while read -r f h b; do
      msg=${reason[$f]:-}
      if [[ $h != "$kind" ]]; then [[ $msg == *"needs a $h host; the configured host is $kind"* ]] || ok=0
      elif [[ $b == 1 ]]; then [[ $msg == *"step "*"the built-in host simulator"* ]] || ok=0
      fi
    done <"$work/expected"
    [[ $ok == 1 ]]'
  while read -r f; do passed_in[$f]=$(( ${passed_in[$f]:-0} + 1 )); done <"$work/want-ran-$kind"

  # host.log: what the terminal sent and what came back, card data and token masked.
  if [[ $kind == aurora ]]; then
    sale_path=/pay-api/v1/transactions/sale
    log=$report/aurora_swipe_approved/host.log
    check "aurora: host.log has the token exchange, token masked" \
      'grep -q "\"path\":\"/oauth2/token\"" "$log" && grep -q "\"access_token\":\"\[masked" "$log"'
  elif [[ $kind == connexpay ]]; then
    sale_path=/api/v1/sales
    log=$report/connexpay_swipe_approved/host.log
    check "connexpay: host.log has the token request, token masked" \
      'grep -q "\"path\":\"/api/v1/token\"" "$log" && grep -q "\"access_token\":\"\[masked" "$log"'
  else
    sale_path=/api/transaction
    log=$report/fullstack_swipe_approved/host.log
  fi
  check "$kind: host.log shows the sale sent and its answer" \
    'jq -e --arg p "$sale_path" "select(.path == \$p and .method == \"POST\" and .status == 200 and .response != null)" "$log" >/dev/null'
  check "$kind: host.log masks the PAN" 'grep -q "411111\*\*\*\*\*\*1111\|\[masked" "$log"'
  # The hostsim answered every sale the terminals saw answered, and only those.
  sent=$(cat "$report"/*/host.log | jq -c --arg p "$sale_path" 'select(.path == $p and .method == "POST" and .status == 200)' | wc -l)
  seen=$(tail -n +$((mark + 1)) "$work/sim.err" | grep -c "POST $sale_path -> 200 ")
  check "$kind: the hostsim's log shows the terminal's sales ($sent answered)" '[[ $sent -gt 0 && $seen == "$sent" ]]'
  # Nothing clear: no PAN, track or credential in the report or the output.
  check "$kind: no card data or credential in the report" \
    '! grep -rqE "4111111111111111|5413330089010434|4761739001010010|tender-test-secret|api_tender_test" "$report" "$work/out-$kind" "$work/err-$kind"'
done

# A configuration that cannot be read is bad input (exit 2), one line naming the file.
timeout 60 "$emu" run "$suite" --config "$work/no-such.json" --report-dir "$work/report-none" >"$work/out-bad" 2>"$work/err-bad"
code=$?
check "unreadable --config: exit 2, no report" '[[ $code == 2 && ! -e "$work/report-none/junit.xml" && $(wc -l <"$work/err-bad") == 1 ]]'

# Across the runs: every scenario without host_behaviour passed in exactly one run, and the
# scenarios skipped in all of them are exactly the host_behaviour ones.
check "each scenario without host_behaviour passed once" '
  ok=1
  while read -r f h b; do
    if [[ $b == 0 && ${passed_in[$f]:-0} != 1 ]]; then ok=0; fi
    if [[ $b == 1 && ${passed_in[$f]:-0} != 0 ]]; then ok=0; fi
  done <"$work/expected"
  [[ $ok == 1 ]]'
check "skipped in every run = the host_behaviour files ($behaviour)" \
  '[[ $(comm -12 "$work/want-skipped-aurora" "$work/want-skipped-fullstack" | comm -12 - "$work/want-skipped-connexpay" | wc -l) == "$behaviour" ]]'
check "no card data in the hostsim's log" '! grep -qE "[0-9]{13,}" "$work/sim.err"'

echo "emu_external: $pass passed, $fail failed in $((SECONDS - started)) s"
[[ $fail == 0 ]]
