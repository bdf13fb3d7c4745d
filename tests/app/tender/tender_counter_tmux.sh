#!/usr/bin/env bash
# The merchant's day at the counter on `tender` itself (issue 13): the curses display inside
# tmux (send-keys, capture-pane), against tender-hostsim on loopback (--port 0, its CA), a
# printer to a file, cards by a recorded wedge-reader swipe (a FIFO of input_event records)
# and by keyed entry. Every function of the menu (app/terminal/counter_menu): sale, keyed
# sale, pre-auth and capture, tip adjust, void picked from a list, reprint (either copy),
# the journal view, a printer failure shown and printed again once the printer is back, the
# offline queue and its flush, settlement with its printed report, a referenced refund; then
# Esc at idle quits with exit 0. The screens and the printer's bytes never hold a clear PAN.
#
# With TENDER_VCARD, TERMINAL_FILE and CAPK_FILE, a chip sale with online PIN comes first:
# the card is tender-vcard's, behind pcscd with vsmartcard's vpcd (skipped where PC/SC cannot
# run here, failed under CI=true), inserted at the card prompt, the PIN typed at the keypad.
# Steps are functions run in order (STEPS below).
# Exit 77 (ctest SKIP_RETURN_CODE) when tmux is not installed. Every wait is bounded.
#   usage: tender_counter_tmux.sh TENDER TENDER_HOSTSIM SWIPE_RECORDING LONG_BYTES [TENDER_VCARD TERMINAL_FILE CAPK_FILE]
set -euo pipefail
. "$(dirname "$0")/../../lib/process.sh"
usage="usage: tender_counter_tmux.sh TENDER TENDER_HOSTSIM SWIPE_RECORDING LONG_BYTES [TENDER_VCARD TERMINAL_FILE CAPK_FILE]"
tender=${1:?$usage}
sim=${2:?$usage}
swipe=${3:?$usage}
long_bytes=${4:-$(($(getconf LONG_BIT) / 8))}
vcard=${5:-}
terminal_file=${6:+$(realpath "$6")}
capk=${7:+$(realpath "$7")}
if ! command -v tmux >/dev/null; then
  echo "tender_counter_tmux: skipped: tmux is not installed"
  exit 77
fi
if [[ ($long_bytes != 8 && $long_bytes != 4) || $(printf '\1\0' | od -An -tu2 | tr -d ' ') != 1 ]]; then
  echo "tender_counter_tmux: skipped (the swipe recording is for little-endian machines)"
  exit 77
fi

failures=0; passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/tender_counter.XXXXXX")
sock="tender-counter-$$"
vcard_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  if [[ -n "${sim_pid:-}" ]] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -KILL "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if [[ -n "$vcard_pid" ]] && kill -0 "$vcard_pid" 2>/dev/null; then
    kill -KILL "$vcard_pid" 2>/dev/null || true
    wait "$vcard_pid" 2>/dev/null || true
  fi
  stop_pcscd
  exec 3>&- 5>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $long_bytes == 4 ]]; then
  xxd -p -c 24 "$swipe" | sed -E 's/^(.{8}).{8}(.{8}).{8}(.{16})$/\1\2\3/' | xxd -r -p >"$work/swipe32.bin"
  swipe=$work/swipe32.bin
fi

# --- the simulator: started again on the same port and state after the offline step ---
mkdir -p "$work/state" "$work/paper"
start_hostsim "$sim"

mkfifo "$work/msr.fifo"
exec 3<>"$work/msr.fifo"
printer="$work/paper/printer.bin"
devices='{"msr": {"evdev": "'"$work/msr.fifo"'", "inter_char_timeout_ms": 100}, "pin_pad": '"$TEST_PIN_PAD_JSON"',
  "printer": {"file": "'"$printer"'"}, "display": {"kind": "curses", "size": "4x20"}'
emv=""
chip=0
if [[ -n "$vcard" ]]; then
  if pcsc_reader; then
    chip=1
    devices+=', "card_reader": {"pcsc": "'"$reader"'"}'
    emv='"emv": {"terminal_file": "'"$terminal_file"'", "capk_file": "'"$capk"'"}'
    # tender-vcard takes its commands from a FIFO, as a tester's script would.
    mkfifo "$work/vcard.fifo"
    exec 5<>"$work/vcard.fifo"
    "$vcard" <"$work/vcard.fifo" >"$work/vcard.out" 2>"$work/vcard.err" &
    vcard_pid=$!
  elif in_ci; then
    fail "chip: PC/SC unavailable under CI: $pcsc_why"
  else
    echo "tender_counter_tmux: no chip sale: $pcsc_why"
  fi
fi
terminal_json "$work/state" "env:TENDER_TEST_DEVICE_KEY" "$(aurora_host_json 5000)" \
  '{"host_timeout_ms": 8000, "prompt_timeout_ms": 60000, "offline_swipe_limit": "50.00"}' "$devices}" "$emv" \
  >"$work/tender.json"

# --- tmux -----------------------------------------------------------------------------
pane() { tmux -L "$sock" capture-pane -p -t t 2>/dev/null || true; }
keys() { tmux -L "$sock" send-keys -t t "$@"; sleep 0.2; }
# wait_pane PATTERN SECONDS: until the pane shows PATTERN (extended regex).
wait_pane() {
  for ((i = 0; i < $2 * 10; i++)); do pane | grep -qE -- "$1" && return 0; sleep 0.1; done
  return 1
}
# expect NAME PATTERN [SECONDS]: a pass when the pane shows it in time.
expect() {
  if wait_pane "$2" "${3:-30}"; then pass; else fail "$1: no '$2' on the screen: $(pane | head -n 12)"; fi
}
printed() { tr -c '[:print:]\n' ' ' <"$printer" 2>/dev/null || true; }
expect_printed() {  # NAME TEXT SECONDS: the printer file gets TEXT
  for ((i = 0; i < ${3:-20} * 10; i++)); do printed | grep -qF -- "$2" && { pass; return; }; sleep 0.1; done
  fail "$1: the printer never got '$2'"
}
idle() { wait_pane "WELCOME" 20 || fail "no idle screen: $(pane | head -n 8)"; }
swipe_card() { wait_pane "INSERT, SWIPE" 20 && cat "$swipe" >&3; }

tmux -L "$sock" new-session -d -s t -x 100 -y 30 \
  "'$tender' --config '$work/tender.json' 2>'$work/tender.err'; echo TENDER-EXITED \$?; sleep 60"
wait_pane "WELCOME" 60 || { echo "FAIL: no idle screen: $(pane) $(cat "$work/tender.err")"; exit 1; }

# --- the steps ------------------------------------------------------------------------
# The menu on Aurora: 1 SALE 2 REFUND 3 VOID 4 PRE-AUTH 5 CAPTURE 6 TIP ADJUST 7 KEYED SALE
# 8 REPRINT 9 JOURNAL 0 SETTLE BATCH, then Down for OFFLINE QUEUE.
step_sale() {
  keys F1; expect "sale: amount entry" "ENTER AMOUNT|SALE"
  keys 1 2 3 4; expect "sale: amount" "USD 12.34"
  keys Enter; swipe_card || fail "sale: no card prompt"
  expect "sale: approved" "APPROVED" 60
  expect "sale: auth code" "AUTH [0-9A-Z]+" 5
  expect_printed "sale: receipt" "MERCHANT COPY"
  idle
}
step_chip() {
  keys F1 2 0 0 0 Enter
  wait_pane "INSERT, SWIPE" 20 && echo "insert visa_online_pin" >&5 || fail "chip: no card prompt"
  expect "chip: PIN prompt" "ENTER PIN" 60
  if pane | grep -q "20\.00"; then pass; else fail "chip: no amount on the PIN screen: $(pane | head -n 6)"; fi
  keys 1 2 3 4
  if pane | grep -q 1234; then fail "chip: the PIN shows on the screen"; else pass; fi
  keys Enter; expect "chip: approved" "APPROVED" 60
  echo "remove" >&5
  expect_printed "chip: the AID on the receipt" "A0000000031010"
  expect_printed "chip: PIN verified" "PIN VERIFIED"
  idle
}
step_keyed() {
  keys Enter 7 Enter; expect "keyed: amount" "KEYED SALE"
  keys 2 0 0 0 Enter; expect "keyed: card number" "CARD NUMBER"
  keys 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1; expect "keyed: masked number" "\*{12}1111"
  keys Enter 1 2 3 0 Enter; expect "keyed: approved" "APPROVED" 60
  idle
}
step_preauth_capture() {
  keys Enter 4 Enter; expect "pre-auth: amount" "PRE-AUTH"
  keys 5 0 0 0 Enter; swipe_card || fail "pre-auth: no card prompt"
  expect "pre-auth: approved" "APPROVED" 60; idle
  keys Enter 5 Enter; expect "capture: list" "PICK FOR CAPTURE"
  keys Enter; expect "capture: amount starts at the pre-auth's" "USD 50.00"
  keys Enter; expect "capture: approved" "APPROVED" 60; idle
}
step_tip_adjust() {
  keys Enter 6 Enter; expect "tip adjust: list" "PICK FOR TIP ADJUST"
  keys Enter; expect "tip adjust: tip" "TIP AMOUNT"
  keys 3 0 0 Enter; expect "tip adjust: approved" "APPROVED" 60; idle
}
step_void() {
  keys Enter 3 Enter; expect "void: list of the open batch" "PICK FOR VOID"
  expect "void: masked rows" "\*1111" 5
  keys Enter; expect "void: done" "APPROVED" 60; idle
}
# reprinted COPY KEY: REPRINT, the copy picked with KEY; one more COPY on the paper.
reprinted() {
  local before; before=$(printed | grep -c "$1" || true)
  keys Enter 8 Enter "$2" Enter
  for ((i = 0; i < 100; i++)); do [[ $(printed | grep -c "$1" || true) -gt $before ]] && break; sleep 0.1; done
  if [[ $(printed | grep -c "$1" || true) -gt $before ]]; then pass; else fail "reprint: no $1 printed"; fi
  idle
}
step_reprint() {
  reprinted "CUSTOMER COPY" 2
  reprinted "MERCHANT COPY" 1
}
step_journal() {
  keys Enter 9 Enter; expect "journal: list" "JOURNAL"
  expect "journal: masked" "\*1111" 5
  keys Enter; expect "journal: one row, masked" "411111\*{6}1111" 5
  keys Escape Escape; idle
}
step_printer_error() {
  mv "$work/paper" "$work/paper.off"
  keys F1 7 7 Enter; swipe_card || fail "printer: no card prompt"
  expect "printer failure shown" "PRINTER ERROR" 60
  mv "$work/paper.off" "$work/paper"
  keys Enter; expect_printed "printer back: the receipt printed again" "USD 0.77"
  idle
}
step_offline_queue() {
  stop_hostsim
  keys F1 1 5 0 0 Enter; swipe_card || fail "offline: no card prompt"
  expect "offline: approved offline" "APPROVED" 90; idle
  expect "offline: queued on the idle screen" "QUEUED 1" 5
  start_hostsim "$sim" "$sim_port"
  keys Enter 0 Down Enter; expect "queue: view" "OFFLINE QUEUE"
  expect "queue: send entry" "SEND 1 NOW" 5
  keys Enter; expect "queue: sent" "QUEUE SENT" 60; idle
}
step_settle() {
  keys Enter 0 Enter; expect "settle: settled" "BATCH SETTLED" 60
  expect_printed "settle: the report" "SETTLEMENT REPORT"
  expect_printed "settle: per kind" "SALE x"
  expect_printed "settle: per card type" "BY CARD TYPE"
  idle
}
step_refund() {
  keys Enter 2 Enter; expect "refund: list" "PICK FOR REFUND"
  keys Enter Escape; idle  # CANCEL at the amount: nothing happens
  keys Enter 2 Enter Enter x 1 0 0 Enter
  expect "refund: approved" "APPROVED" 60; idle
}
STEPS=()
[[ $chip == 1 ]] && STEPS+=(step_chip)
STEPS+=(step_sale step_keyed step_preauth_capture step_tip_adjust step_void step_reprint step_journal
       step_printer_error step_offline_queue step_settle step_refund)
for s in "${STEPS[@]}"; do
  if ! tmux -L "$sock" has-session -t t 2>/dev/null || pane | grep -q "TENDER-EXITED"; then
    fail "$s: tender is gone: $(tail -n 5 "$work/tender.err")"
    break
  fi
  "$s"
done

keys Escape
if wait_pane "TENDER-EXITED 0" 30; then pass; else fail "Esc at idle did not quit cleanly: $(pane | tail -n 5)"; fi
for f in "$printer" "$work/tender.err" "$work/state/tender.log"; do
  if [[ -f "$f" ]] && grep -qa -e "4111111111111111" -e "=3012101" -e "4761739001010010" "$f"; then fail "card data in $(basename "$f")"; else pass; fi
done

echo "tender_counter_tmux: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
