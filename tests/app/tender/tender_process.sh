#!/usr/bin/env bash
# tender, the real binary, against tender-hostsim on loopback: the stripe reader is a FIFO
# that a recorded wedge-reader swipe (tests/data/msr) is written into once the terminal asks
# for the card, the printer is a file, the display is "lines" (stdout, keys on stdin).
#   - a config that does not load, bad arguments: exit 2, one line on stderr;
#   - a device that is not there, a CAPK file that does not load, a chip reader without
#     emv.terminal_file: exit 1, one line naming it;
#   - the published test device key ("device_key": "test"): exit 2;
#   - --once 12.34 with the stripe card: exit 0, ESC @ first in the printer file;
#   - --once 12.51 (the simulator's decline cents): exit 1;
#   - SIGTERM at the card prompt: the sale ends cancelled, exit 1;
#   - the idle loop on stdin: s, amount, ENTER, swipe, then CANCEL quits; SIGTERM at idle stops it;
#   - stdin at EOF (as under a service manager): the terminal keeps waiting until SIGTERM, exit 0;
#   - the curses display in tmux (when tmux is there): a sale, then Esc at idle quits;
#   - never a clear PAN or track in the printer file, stdout or stderr.
# No chip: the PC/SC path needs pcscd with a virtual reader and is tested by pcsc_test.
# Every wait is bounded; the simulator and any terminal left are killed on exit (trap).
#   usage: tender_process.sh PATH_TO_TENDER PATH_TO_TENDER_HOSTSIM SWIPE_RECORDING [LONG_BYTES]
# LONG_BYTES: the size of a long where tender runs (CMAKE_SIZEOF_VOID_P: 4 for an armhf
# build under qemu), which sets its input_event layout; default: this machine's.
set -euo pipefail
. "$(dirname "$0")/../../lib/process.sh"
usage="usage: tender_process.sh PATH_TO_TENDER PATH_TO_TENDER_HOSTSIM SWIPE_RECORDING [LONG_BYTES]"
tender=${1:?$usage}
sim=${2:?$usage}
swipe=${3:?$usage}
long_bytes=${4:-$(($(getconf LONG_BIT) / 8))}
failures=0; passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The recording is in the 64-bit little-endian input_event layout (24-byte records); a
# 32-bit tender reads 16-byte ones (4-byte seconds and microseconds), converted below.
if [[ ($long_bytes != 8 && $long_bytes != 4) || $(printf '\1\0' | od -An -tu2 | tr -d ' ') != 1 ]]; then
  echo "tender_process: skipped (the swipe recording is for little-endian machines with a 4- or 8-byte long)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tender_process.XXXXXX")
term_pid=""
sock=""
cleanup() {
  if [[ -n "$sock" ]]; then tmux -L "$sock" kill-server 2>/dev/null || true; fi
  for p in "$term_pid" "${sim_pid:-}"; do
    if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
      kill -KILL "$p" 2>/dev/null || true
      wait "$p" 2>/dev/null || true
    fi
  done
  exec 3>&- 4>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $long_bytes == 4 ]]; then
  # Each record: the low (little-endian first) 4 bytes of seconds and of microseconds, then
  # type, code and value as they are. The recording's times fit in 32 bits.
  xxd -p -c 24 "$swipe" | sed -E 's/^(.{8}).{8}(.{8}).{8}(.{16})$/\1\2\3/' | xxd -r -p >"$work/swipe32.bin"
  swipe=$work/swipe32.bin
fi

# --- the simulator ------------------------------------------------------------------
mkdir -p "$work/state"
start_hostsim "$sim"

# --- the config -----------------------------------------------------------------------
mkfifo "$work/msr.fifo" "$work/keys.fifo"
# Held open read-write for the whole test: the terminal never sees the stripe reader's
# stream end, and a swipe written here waits in the FIFO until the terminal reads it.
exec 3<>"$work/msr.fifo"
exec 4<>"$work/keys.fifo"
# write_config FILE DEVICES_JSON
write_config() {
  terminal_json "$work/state" "${DEVICE_KEY_SPEC:-env:TENDER_TEST_DEVICE_KEY}" "$(aurora_host_json 10000)" \
    '{"host_timeout_ms": 15000, "prompt_timeout_ms": 60000}' "$2" >"$1"
}
devices='{"msr": {"evdev": "'"$work/msr.fifo"'", "inter_char_timeout_ms": 100},
  "pin_pad": '"$TEST_PIN_PAD_JSON"',
  "printer": {"file": "'"$work/printer.bin"'"},
  "display": {"kind": "lines", "size": "4x20"}}'
write_config "$work/tender.json" "$devices"

# --- helpers --------------------------------------------------------------------------
# expect_exit NAME CODE ARGS...: exit CODE, nothing on stdout, one line on stderr.
expect_exit() {
  local name=$1 code=$2; shift 2
  local out err rc=0
  out=$(timeout 60 "$tender" "$@" </dev/null 2>"$work/err") || rc=$?
  err=$(cat "$work/err")
  if [[ $rc -ne $code ]]; then fail "$name: expected exit $code, got $rc ($err)"; return; fi
  if [[ -n "$out" ]]; then fail "$name: printed to stdout: $out"; return; fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 || -z "$err" ]]; then fail "$name: stderr is not one line: $err"; return; fi
  if grep -q "tender-test-secret" <<<"$err"; then fail "$name: stderr carries a credential"; return; fi
  pass
}
# term_wait_for FILE TEXT SECONDS: until FILE holds TEXT (the terminal's display on stdout).
term_wait_for() {
  local file=$1 text=$2 tenths=$(($3 * 10))
  for ((i = 0; i < tenths; i++)); do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    [[ -n "$term_pid" ]] && ! kill -0 "$term_pid" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}
# term_wait_exit SECONDS: sets rc to the terminal's exit code, or 124 after killing it at the deadline.
term_wait_exit() {
  local tenths=$(($1 * 10))
  rc=0
  for ((i = 0; i < tenths; i++)); do
    kill -0 "$term_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$term_pid" 2>/dev/null; then
    kill -KILL "$term_pid" 2>/dev/null || true
    wait "$term_pid" 2>/dev/null || true
    term_pid=""
    rc=124
    return
  fi
  wait "$term_pid" || rc=$?
  term_pid=""
}
no_card_data() {
  local name=$1; shift
  local f
  for f in "$@"; do
    if grep -qa -e "4111111111111111" -e "=3012101" -e "DOE-SMITH" "$f"; then
      fail "$name: card data in $(basename "$f")"
      return
    fi
  done
  pass
}

# --- bad input: exit 2; a missing device: exit 1 --------------------------------------
expect_exit "no --config" 2
expect_exit "config file missing" 2 --config "$work/absent.json"
expect_exit "unknown argument" 2 --config "$work/tender.json" --twice
expect_exit "bad --once amount" 2 --config "$work/tender.json" --once 12.3.4
printf '{"terminal_id": "T1",' >"$work/broken.json"
expect_exit "config not JSON" 2 --config "$work/broken.json"
write_config "$work/bad-devices.json" '{"printer": {"file": "/tmp/x", "tcp": "10.0.0.1"}}'
expect_exit "devices block: two printers" 2 --config "$work/bad-devices.json"
write_config "$work/bad-display.json" '{"display": {"kind": "web"}}'
expect_exit "devices block: unknown display" 2 --config "$work/bad-display.json"
DEVICE_KEY_SPEC=test write_config "$work/test-key.json" "$devices"
expect_exit "the published test device key" 2 --config "$work/test-key.json" --once 1.00
printf '{"capks": [{"rid": "A000000003"}]}' >"$work/bad-capk.json"
write_config "$work/bad-capk-config.json" "$devices"
sed -i 's#"devices":#"emv": {"capk_file": "'"$work"'/bad-capk.json"}, "devices":#' "$work/bad-capk-config.json"
expect_exit "a CAPK file that does not load" 1 --config "$work/bad-capk-config.json" --once 1.00
# A chip reader without the terminal's AID list (emv.terminal_file): refused before any
# device is opened, so no pcscd is needed to see it.
write_config "$work/no-aids.json" '{"card_reader": {"pcsc": ""}, "display": {"kind": "lines"}}'
expect_exit "a chip reader without emv.terminal_file" 1 --config "$work/no-aids.json" --once 1.00
if grep -q "emv.terminal_file: missing" "$work/err"; then pass; else fail "no AID list: error does not name emv.terminal_file: $(cat "$work/err")"; fi
write_config "$work/no-msr.json" '{"msr": {"evdev": "'"$work"'/no-such-event-kbd"}, "display": {"kind": "lines"}}'
expect_exit "stripe reader missing" 1 --config "$work/no-msr.json" --once 1.00
if grep -q "no-such-event-kbd" "$work/err"; then pass; else fail "stripe reader missing: error does not name it: $(cat "$work/err")"; fi
write_config "$work/no-lp.json" '{"printer": {"file": "/dev/tender-test-no-such-lp"}, "display": {"kind": "lines"}}'
expect_exit "printer device missing" 1 --config "$work/no-lp.json" --once 1.00

# --- one approved stripe sale ---------------------------------------------------------
"$tender" --config "$work/tender.json" --once 12.34 </dev/null >"$work/once.out" 2>"$work/once.err" &
term_pid=$!
if term_wait_for "$work/once.out" "INSERT, SWIPE" 60; then
  cat "$swipe" >&3
  term_wait_exit 60
  if [[ $rc -eq 0 ]]; then pass; else fail "--once 12.34: exit $rc: $(tail -n 5 "$work/once.err")"; fi
  if grep -q "^result: approved USD 12.34" "$work/once.out"; then pass; else fail "--once 12.34: no result line: $(tail -n 3 "$work/once.out")"; fi
  if grep -q "APPROVED" "$work/once.out"; then pass; else fail "--once 12.34: the display never said APPROVED"; fi
else
  fail "--once 12.34: no card prompt on the display: $(tail -n 5 "$work/once.out") / $(tail -n 5 "$work/once.err")"
  term_wait_exit 1
fi
if [[ -s "$work/printer.bin" && $(head -c 2 "$work/printer.bin" | od -An -tx1 | tr -d ' \n') == "1b40" ]]; then
  pass
else
  fail "printer file does not start with ESC @"
fi
no_card_data "--once 12.34" "$work/printer.bin" "$work/once.out" "$work/once.err"

# --- a declined sale: exit 1 ----------------------------------------------------------
"$tender" --config "$work/tender.json" --once 12.51 </dev/null >"$work/decline.out" 2>"$work/decline.err" &
term_pid=$!
if term_wait_for "$work/decline.out" "INSERT, SWIPE" 60; then
  cat "$swipe" >&3
  term_wait_exit 60
  if [[ $rc -eq 1 ]]; then pass; else fail "--once 12.51: expected exit 1, got $rc"; fi
  if grep -q "^result: declined" "$work/decline.out"; then pass; else fail "--once 12.51: no declined result: $(tail -n 3 "$work/decline.out")"; fi
else
  fail "--once 12.51: no card prompt: $(tail -n 5 "$work/decline.err")"
  term_wait_exit 1
fi
no_card_data "--once 12.51" "$work/printer.bin" "$work/decline.out" "$work/decline.err"

# --- SIGTERM at the card prompt: the prompt is answered CANCEL, the sale ends cancelled -
"$tender" --config "$work/tender.json" --once 3.00 </dev/null >"$work/stop.out" 2>"$work/stop.err" &
term_pid=$!
if term_wait_for "$work/stop.out" "INSERT, SWIPE" 60; then
  kill -TERM "$term_pid"
  term_wait_exit 30
  if [[ $rc -eq 1 ]]; then pass; else fail "SIGTERM at the card prompt: expected exit 1, got $rc"; fi
  if grep -q "^result: cancelled" "$work/stop.out"; then pass; else fail "SIGTERM at the card prompt: $(tail -n 3 "$work/stop.out")"; fi
else
  fail "SIGTERM at the card prompt: no card prompt: $(tail -n 5 "$work/stop.err")"
  term_wait_exit 1
fi

# --- the idle loop: s, 5 0 0 ENTER, swipe, then c (CANCEL) quits ----------------------
"$tender" --config "$work/tender.json" <"$work/keys.fifo" >"$work/idle.out" 2>"$work/idle.err" &
term_pid=$!
if term_wait_for "$work/idle.out" "WELCOME" 60; then
  printf 's500\n' >&4
  if term_wait_for "$work/idle.out" "INSERT, SWIPE" 30; then
    cat "$swipe" >&3
    if term_wait_for "$work/idle.out" "APPROVED" 60; then pass; else fail "idle loop: the sale was not approved: $(tail -n 8 "$work/idle.out")"; fi
  else
    fail "idle loop: s + amount did not start a sale: $(tail -n 8 "$work/idle.out")"
  fi
  # The outcome stays up for 3 s, then the idle screen comes back.
  for ((i = 0; i < 150; i++)); do
    [[ $(grep -c "WELCOME" "$work/idle.out") -ge 2 ]] && break
    sleep 0.1
  done
  if [[ $(grep -c "WELCOME" "$work/idle.out") -ge 2 ]]; then pass; else fail "idle loop: no idle screen after the sale"; fi
  printf 'c' >&4
  term_wait_exit 20
  if [[ $rc -eq 0 ]]; then pass; else fail "idle loop: CANCEL at idle: exit $rc"; fi
else
  fail "idle loop: no idle screen: $(tail -n 5 "$work/idle.err")"
  term_wait_exit 1
fi
no_card_data "idle loop" "$work/printer.bin" "$work/idle.out" "$work/idle.err"

# --- stdin at its end (a service manager's /dev/null): the terminal waits for SIGTERM ----
"$tender" --config "$work/tender.json" </dev/null >"$work/eof.out" 2>"$work/eof.err" &
term_pid=$!
if term_wait_for "$work/eof.out" "WELCOME" 60; then
  sleep 2  # the old terminal quit at once on EOF; this one must still be there
  if kill -0 "$term_pid" 2>/dev/null; then pass; else fail "stdin at EOF: the terminal quit without SIGTERM"; fi
  kill -TERM "$term_pid" 2>/dev/null || true
  term_wait_exit 20
  if [[ $rc -eq 0 ]]; then pass; else fail "stdin at EOF: SIGTERM: exit $rc"; fi
else
  fail "stdin at EOF: no idle screen: $(tail -n 5 "$work/eof.err")"
  term_wait_exit 1
fi

# --- SIGTERM at idle: a clean stop ----------------------------------------------------
"$tender" --config "$work/tender.json" <"$work/keys.fifo" >"$work/term.out" 2>"$work/term.err" &
term_pid=$!
if term_wait_for "$work/term.out" "WELCOME" 60; then
  kill -TERM "$term_pid"
  term_wait_exit 20
  if [[ $rc -eq 0 ]]; then pass; else fail "SIGTERM at idle: exit $rc"; fi
else
  fail "SIGTERM: no idle screen: $(tail -n 5 "$work/term.err")"
  term_wait_exit 1
fi

# --- the curses display in tmux: F1, amount, ENTER, swipe, APPROVED, Esc quits ---------
if command -v tmux >/dev/null; then
  curses_devices='{"msr": {"evdev": "'"$work/msr.fifo"'"}, "printer": {"file": "'"$work/printer.bin"'"},
    "display": {"kind": "curses", "size": "4x20"}}'
  write_config "$work/curses.json" "$curses_devices"
  sock="tender-process-$$"
  pane() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null || true; }
  wait_pane() {  # PATTERN SECONDS
    for ((i = 0; i < $2 * 10; i++)); do pane | grep -qE -- "$1" && return 0; sleep 0.1; done
    return 1
  }
  tmux -L "$sock" new-session -d -s t -x 100 -y 30 \
    "'$tender' --config '$work/curses.json' 2>'$work/curses.err'; echo TENDER-EXITED \$?; sleep 30"
  if wait_pane "WELCOME" 60; then
    tmux -L "$sock" send-keys -t t F1 7 0 0 Enter
    if wait_pane "INSERT, SWIPE" 20; then
      cat "$swipe" >&3
      if wait_pane "APPROVED" 60; then pass; else fail "curses: no approval: $(pane)"; fi
    else
      fail "curses: F1 + amount did not start a sale: $(pane)"
    fi
    # The idle screen comes back after the sale (the trial's terminal never returned).
    if wait_pane "WELCOME" 20; then pass; else fail "curses: no idle screen after the sale: $(pane)"; fi
    tmux -L "$sock" send-keys -t t Escape
    if wait_pane "TENDER-EXITED 0" 20; then pass; else fail "curses: Esc at idle did not quit cleanly: $(pane)"; fi
  else
    fail "curses: no idle screen: $(pane) $(cat "$work/curses.err")"
  fi
  tmux -L "$sock" kill-server 2>/dev/null || true
  no_card_data "curses" "$work/printer.bin" "$work/curses.err" "$work/state/tender.log"
else
  echo "tender_process: tmux is not installed: the curses display is not tested"
fi

echo "tender_process: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
