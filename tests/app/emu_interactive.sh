#!/usr/bin/env bash
# tender-emu's interactive mode, driven for real in tmux: start it, type a sale of 12.34 on
# the keypad (F1, digits, ENTER), choose the card visa_online_pin, insert it (F2), enter the
# PIN on the PED, and read the approval and the printed receipt off the screen. Then CANCEL
# at the idle screen quits.   usage: emu_interactive.sh path/to/tender-emu
set -euo pipefail
emu=$1
command -v tmux >/dev/null || { echo "emu_interactive: tmux is not installed (scripts/setup installs it)"; exit 1; }
sock="tender-emu-test-$$"
session=emu
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmux -L "$sock" capture-pane -p -t "$session"; }
# Waits until the screen shows $1 (a grep -E pattern), up to $2 seconds.
wait_for() {
  local pattern=$1 limit=${2:-20} i=0
  while (( i < limit * 5 )); do
    if screen | grep -Eq "$pattern"; then return 0; fi
    sleep 0.2
    i=$((i + 1))
  done
  echo "emu_interactive: timed out waiting for /$pattern/; the screen was:"
  screen
  exit 1
}
keys() { tmux -L "$sock" send-keys -t "$session" "$@"; }

tmux -L "$sock" new-session -d -s "$session" -x 120 -y 60 "$emu --host aurora; echo EMULATOR-EXITED \$?; sleep 30"
wait_for 'WELCOME' 30
wait_for 'CARDS'

keys F1
wait_for 'ENTER TIP AMOUNT|ENTER AMOUNT'
keys 1 2 3 4
keys Enter
wait_for 'INSERT, SWIPE'
# Move the card cursor to visa_online_pin.
for _ in $(seq 1 30); do
  if screen | grep -q '> visa_online_pin'; then break; fi
  keys Down
  sleep 0.1
done
screen | grep -q '> visa_online_pin' || { echo "emu_interactive: card not found in the card set"; screen; exit 1; }
keys F2
wait_for 'ENTER PIN'
keys 1 2 3 4
wait_for '\*\*\*\*'
screen | grep -q '1234' && { echo "emu_interactive: the PIN digits are on the screen"; exit 1; }
keys Enter
wait_for 'APPROVED' 30
wait_for 'CUSTOMER COPY|MERCHANT COPY' 10
screen | grep -q '476173\*\*\*\*\*\*0010' || { echo "emu_interactive: no masked PAN on the receipt"; screen; exit 1; }
if screen | grep -q '4761739001010010'; then echo "emu_interactive: a clear PAN on the screen"; exit 1; fi
sleep 2.5
keys Escape
wait_for 'EMULATOR-EXITED 0' 10
echo "emu_interactive: sale approved in the interactive emulator"
