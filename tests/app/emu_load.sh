#!/usr/bin/env bash
# tender-emu load (issue 14), on a small fleet against a tender-hostsim on 127.0.0.1 (port 0):
# 3 terminals x 5 sales through a terminal configuration (Aurora), --json. The numbers must
# hold together: 15 sales, all approved, no errors, p50 <= p90 <= p99 <= max, a rate and a
# peak RSS; each terminal's journal holds its 5 approved sales; the hostsim's ledger
# (hostsim.db) holds exactly the 15 transactions the journals name. Then the human output
# against the built-in simulator (2 x 2, FullStack), and bad arguments (exit 2).
# Every wait is bounded; the hostsim is stopped on any exit (trap).
#   usage: emu_load.sh path/to/tender-emu path/to/tender-hostsim
set -uo pipefail
. "$(dirname "$0")/../lib/process.sh"
emu=${1:?usage: emu_load.sh TENDER_EMU TENDER_HOSTSIM}
hostsim=${2:?usage: emu_load.sh TENDER_EMU TENDER_HOSTSIM}
for tool in jq sqlite3; do
  command -v "$tool" >/dev/null || { echo "emu_load: $tool is not installed (scripts/setup installs it)"; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/emu_load.XXXXXX")
cleanup() {
  stop_hostsim
  rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

HOSTSIM_START_SECONDS=60 start_hostsim "$hostsim"
port=$sim_port

cat >"$work/aurora.json" <<CONFIG
{ "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "merchant_id": "MID0001"},
  "currency": "USD", "state_dir": "$work/config-state", "device_key": "test",
  "host": {"kind": "aurora", "url": "https://127.0.0.1:$port", "ca_file": "$work/sim/ca.pem",
           "server_name": "localhost", "timeout_ms": 10000,
           "aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret", "payment_processor_id": "emu-load"}} }
CONFIG
mkdir -p "$work/config-state"

# --- 3 x 5 against the hostsim, --json ----------------------------------------------------
timeout 120 "$emu" load --terminals 3 --sales 5 --config "$work/aurora.json" --state-dir "$work/fleet" --json \
  >"$work/load.json" 2>"$work/load.err"
code=$?
echo "emu_load: exit $code: $(jq -c 'del(.per_terminal)' "$work/load.json" 2>/dev/null | head -c 600)"
check "load: exit 0" '[[ $code == 0 ]]'
[[ $code == 0 ]] || head -c 2000 "$work/load.err"
j() { jq -e "$1" "$work/load.json" >/dev/null; }
check "load: 3 terminals x 5 sales, 15 approved" 'j ".terminals == 3 and .sales_per_terminal == 5 and .sales == 15 and .approved == 15"'
check "load: no errors" 'j ".error_count == 0 and (.errors | length) == 0"'
check "load: percentiles ordered and positive" \
  'j ".latency_ms | .p50 > 0 and .p50 <= .p90 and .p90 <= .p99 and .p99 <= .max"'
check "load: a rate, a duration, a peak RSS" 'j ".seconds > 0 and .sales_per_second > 0 and .peak_rss_kib > 0"'
check "load: each terminal approved 5 and its journal holds 5" \
  'j "[.per_terminal[] | .approved == 5 and .journal_sales == 5 and (.host_references | length) == 5] | all and length == 3"'
check "load: 15 journaled sales in all" 'j ".journal_sales == 15"'
check "load: each terminal its own state directory and journal" \
  '[[ $(find "$work/fleet" -name journal.db | wc -l) == 3 ]]'
# The host's side: its ledger holds exactly the transactions the journals name.
jq -r '.per_terminal[].host_references[]' "$work/load.json" | sort >"$work/journal-refs"
check "load: 15 distinct host references" '[[ $(sort -u "$work/journal-refs" | wc -l) == 15 ]]'
sqlite3 -readonly "$work/sim/hostsim.db" "SELECT id FROM txn" | sort >"$work/ledger-refs"
check "load: the hostsim's ledger holds exactly the journals' 15 sales" \
  '[[ $(wc -l <"$work/ledger-refs") == 15 ]] && diff "$work/journal-refs" "$work/ledger-refs" >/dev/null'
# The hostsim's side, by its own summary: only 2xx answers.
kill -TERM "$sim_pid"
for _ in $(seq 1 100); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
wait "$sim_pid" 2>/dev/null
sim_pid=""
check "load: the hostsim's summary shows no errors" \
  'grep -Eq "[0-9]+ requests \([0-9]+ ok, 0 4xx, 0 5xx, 0 unanswered\)" "$work/sim.err"'
check "load: no line per request in the hostsim's log" '! grep -q " -> 200" "$work/sim.err"'

# --- the human lines, against the built-in simulator --------------------------------------
timeout 120 "$emu" load --terminals 2 --sales 2 --host fullstack >"$work/human.out" 2>"$work/human.err"
code=$?
cat "$work/human.out"
check "builtin: exit 0" '[[ $code == 0 ]]'
check "builtin: the header names the fleet and the host" \
  'grep -q "^2 terminals x 2 sales against fullstack (built-in simulator on 127.0.0.1:[0-9]*)$" "$work/human.out"'
check "builtin: 4 of 4 approved, a rate" 'grep -Eq "^4 of 4 sales approved in [0-9.]+ s: [0-9.]+ sales/s$" "$work/human.out"'
check "builtin: latency percentiles" 'grep -Eq "^latency ms: p50 [0-9.]+, p90 [0-9.]+, p99 [0-9.]+, max [0-9.]+$" "$work/human.out"'
check "builtin: no errors" 'grep -qx "errors: 0" "$work/human.out"'
check "builtin: journals and peak RSS" 'grep -Eq "^journals: 4 approved sales recorded; peak RSS [0-9]+ MiB$" "$work/human.out"'

# --- bad arguments: exit 2, one line --------------------------------------------------------
bad() {  # NAME ARGS...
  local name=$1; shift
  timeout 30 "$emu" load "$@" >"$work/bad.out" 2>"$work/bad.err"
  local rc=$?
  check "bad arguments ($name): exit 2, one stderr line" '[[ $rc == 2 && ! -s "$work/bad.out" && $(wc -l <"$work/bad.err") == 1 ]]'
}
bad "no --sales" --terminals 2
bad "zero terminals" --terminals 0 --sales 1
bad "not a number" --terminals 2 --sales x
bad "unknown host" --terminals 1 --sales 1 --host nowhere
bad "unknown option" --terminals 1 --sales 1 --fast
bad "missing config" --terminals 1 --sales 1 --config "$work/no-such.json"
bad "both hosts" --terminals 1 --sales 1 --config "$work/aurora.json" --host aurora

check "no card data or credential in the output" \
  '! grep -qE "4111111111111111|4761739001010010|tender-test-secret" "$work/load.json" "$work/load.err" "$work/human.out" "$work/human.err" "$work/sim.err"'
echo "emu_load: $pass passed, $fail failed"
[[ $fail == 0 ]]
