#!/usr/bin/env bash
# tenderctl journal list / queue list / queue flush / settle, run as the real binary against
# tender-hostsim on loopback: an empty journal lists [], an empty queue flushes to nothing,
# settlement is accepted by both hosts (Aurora and FullStack configs), and bad configs or an
# unusable host are exit 2 / exit 1 with exactly one line on stderr. Every wait is bounded;
# the simulator is killed on exit (trap).
set -euo pipefail
. "$(dirname "$0")/../lib/process.sh"
ctl=${1:?usage: tenderctl_engine.sh PATH_TO_TENDERCTL PATH_TO_TENDER_HOSTSIM}
sim=${2:?usage: tenderctl_engine.sh PATH_TO_TENDERCTL PATH_TO_TENDER_HOSTSIM}
failures=0; passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/tenderctl_engine.XXXXXX")
cleanup() {
  if [[ -n "${sim_pid:-}" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -KILL "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- the simulator ------------------------------------------------------------------
mkdir -p "$work/aurora" "$work/fullstack"
start_hostsim "$sim"
[[ -s "$work/sim/ca.pem" ]] || { echo "FAIL: no $work/sim/ca.pem"; exit 1; }

# --- configs --------------------------------------------------------------------------
# write_config FILE STATE_DIR HOST_JSON [ENGINE_JSON]
write_config() {
  local engine=${4:-'{"host_timeout_ms": 15000}'}
  cat >"$1" <<EOF
{
  "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "address": ["1 TEST STREET"], "merchant_id": "MID0001"},
  "currency": "USD",
  "state_dir": "$2",
  // the journal's key: a root-only file beside the config (file:), as a service would hold it
  "device_key": "file:device.key",
  "host": $3,
  "engine": $engine
}
EOF
}
# fullstack_host CA_FILE: the host block of a FullStack config (Aurora: aurora_host_json).
fullstack_host() {
  echo '{"kind": "fullstack", "url": "https://127.0.0.1:'"$sim_port"'", "ca_file": "'"$1"'",
  "server_name": "localhost", "timeout_ms": 10000,
  "fullstack": {"api_key": "api_tender_test", "terminal_id": "1ucio551tlv85l7moe5s"}}'
}
# The device key: 64 hex digits in a file only its owner reads (settings refuse anything looser).
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/device.key"
chmod 600 "$work/device.key"
write_config "$work/aurora.json" "$work/aurora" "$(aurora_host_json 10000 "$work/sim/ca.pem")"
write_config "$work/fullstack.json" "$work/fullstack" "$(fullstack_host "$work/sim/ca.pem")"

# --- helpers --------------------------------------------------------------------------
# expect_json NAME EXPECTED ARGS...: exit 0, stdout exactly EXPECTED.
expect_json() {
  local name=$1 expected=$2; shift 2
  local out rc=0
  out=$(timeout 30 "$ctl" "$@" 2>"$work/err") || rc=$?
  if [[ $rc -ne 0 ]]; then fail "$name: exit $rc: $(cat "$work/err")"; return; fi
  if [[ "$out" != "$expected" ]]; then fail "$name"$'\n'"  expected $expected"$'\n'"  got      $out"; return; fi
  pass
}
# expect_match NAME REGEX ARGS...: exit 0, stdout matches REGEX.
expect_match() {
  local name=$1 regex=$2; shift 2
  local out rc=0
  out=$(timeout 30 "$ctl" "$@" 2>"$work/err") || rc=$?
  if [[ $rc -ne 0 ]]; then fail "$name: exit $rc: $(cat "$work/err")"; return; fi
  if [[ ! "$out" =~ $regex ]]; then fail "$name: output $out does not match $regex"; return; fi
  pass
}
# expect_exit NAME CODE ARGS...: exit CODE, nothing on stdout, one line on stderr.
expect_exit() {
  local name=$1 code=$2; shift 2
  local out err rc=0
  out=$(timeout 30 "$ctl" "$@" 2>"$work/err") || rc=$?
  err=$(cat "$work/err")
  if [[ $rc -ne $code ]]; then fail "$name: expected exit $code, got $rc ($err)"; return; fi
  if [[ -n "$out" ]]; then fail "$name: printed to stdout on failure: $out"; return; fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 || -z "$err" ]]; then fail "$name: stderr is not one line: $err"; return; fi
  if grep -q "tender-test-secret" <<<"$err"; then fail "$name: stderr carries a credential"; return; fi
  pass
}

# --- an empty journal and queue -------------------------------------------------------
for host in aurora fullstack; do
  cfg=$work/$host.json
  expect_json "$host: journal list, empty" '[]' journal list --config "$cfg"
  expect_json "$host: journal list --limit, empty" '[]' journal list --config "$cfg" --limit 5
  expect_json "$host: queue list, empty" '[]' queue list --config "$cfg"
  expect_json "$host: queue flush, empty" \
    '{"forwarded":0,"forward_declined":0,"reversed":0,"remaining":0,"stopped_because":null}' \
    queue flush --config "$cfg"
  expect_match "$host: settle accepted" '^\{"accepted":true,"transactions":0,' settle --config "$cfg"
  expect_json "$host: journal still empty after settling" '[]' journal list --config "$cfg"
done

# --- bad input: exit 2 ----------------------------------------------------------------
expect_exit "no --config" 2 journal list
expect_exit "config file missing" 2 settle --config "$work/absent.json"
expect_exit "bad --limit" 2 journal list --config "$work/aurora.json" --limit ten
expect_exit "unknown option" 2 queue list --config "$work/aurora.json" --all
expect_exit "stray argument" 2 queue flush --config "$work/aurora.json" now
printf '{"terminal_id": "T1",' >"$work/broken.json"
expect_exit "config not JSON" 2 journal list --config "$work/broken.json"
sed 's/"currency"/"curency"/' "$work/aurora.json" >"$work/typo.json"
expect_exit "config with an unknown key" 2 settle --config "$work/typo.json"
sed 's#"file:device.key"#"test"#' "$work/aurora.json" >"$work/testkey.json"
expect_exit "the published test key refused" 2 queue flush --config "$work/testkey.json"
cp "$work/device.key" "$work/loose.key"; chmod 644 "$work/loose.key"
sed 's#"file:device.key"#"file:loose.key"#' "$work/aurora.json" >"$work/loose.json"
expect_exit "a key file others can read refused" 2 settle --config "$work/loose.json"
sed 's#"file:device.key"#"env:TENDER_TEST_NO_SUCH_KEY"#' "$work/aurora.json" >"$work/nokey.json"
expect_exit "key variable unset: settle refused" 2 settle --config "$work/nokey.json"
# The readers need no key (an operator's shell has none) and no credential.
expect_json "journal list with no key at hand" '[]' journal list --config "$work/nokey.json"
expect_json "queue list with no key at hand" '[]' queue list --config "$work/nokey.json"
sed 's#"url": "https://#"url": "http://#' "$work/aurora.json" >"$work/http.json"
expect_exit "config with an http url" 2 settle --config "$work/http.json"
unset TENDER_TEST_AURORA_SECRET
expect_exit "credential variable unset" 2 settle --config "$work/aurora.json"
export TENDER_TEST_AURORA_SECRET=tender-test-secret

# --- the operation fails: exit 1 ------------------------------------------------------
write_config "$work/no-ca.json" "$work/aurora" "$(aurora_host_json 10000 "$work/none.pem")"
expect_exit "settle: host cannot be configured (CA missing)" 1 settle --config "$work/no-ca.json"
expect_exit "queue flush: host cannot be configured (CA missing)" 1 queue flush --config "$work/no-ca.json"
write_config "$work/no-state.json" "$work/absent-state" "$(aurora_host_json 10000 "$work/sim/ca.pem")"
expect_exit "journal list: state_dir missing" 1 journal list --config "$work/no-state.json"
# One writer per journal: while another process holds the journal (as tender does), the
# writers refuse at once and the readers still read.
exec 9>>"$work/aurora/journal.db.lock"
flock -x -n 9 || fail "could not take the journal's lock for the busy test"
expect_exit "queue flush while the journal is held" 1 queue flush --config "$work/aurora.json"
if grep -q "in use by another process" "$work/err"; then pass; else fail "busy journal: stderr says $(cat "$work/err")"; fi
expect_exit "settle while the journal is held" 1 settle --config "$work/aurora.json"
expect_json "journal list while the journal is held" '[]' journal list --config "$work/aurora.json"
exec 9>&-  # released: the writers may open it again
# A port nothing listens on (the simulator's, once it is stopped): settlement cannot reach the host.
stop_hostsim
write_config "$work/down.json" "$work/aurora" "$(aurora_host_json 2000 "$work/sim/ca.pem")" '{"host_timeout_ms": 3000}'
expect_exit "settle: host unreachable" 1 settle --config "$work/down.json"
expect_match "queue flush with the host down and an empty queue" '"remaining":0' queue flush --config "$work/down.json"

echo "tenderctl_engine: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
