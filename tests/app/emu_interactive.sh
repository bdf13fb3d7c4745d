#!/usr/bin/env bash
# tender-emu's interactive mode, driven for real in tmux: start it, type a sale of 12.34 on
# the keypad (F1, digits, ENTER), choose the card visa_online_pin, insert it (F2), enter the
# PIN on the PED, and read the approval and the printed receipt off the screen. Then CANCEL
# at the idle screen quits. Run twice: with the host simulator in-process (no --config), and,
# when the tender-hostsim path is given, against that separate process named by a terminal
# configuration (--config).
#   usage: emu_interactive.sh path/to/tender-emu [path/to/tender-hostsim]
set -euo pipefail
emu=$1
hostsim=${2:-}
command -v tmux >/dev/null || { echo "emu_interactive: tmux is not installed (scripts/setup installs it)"; exit 1; }
sock="tender-emu-test-$$"
session=emu
work=$(mktemp -d)
sim_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [[ -n "$sim_pid" ]] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
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

# one_sale COMMAND: the whole sale in a fresh tmux server running COMMAND.
one_sale() {
  tmux -L "$sock" new-session -d -s "$session" -x 120 -y 60 "$1; echo EMULATOR-EXITED \$?; sleep 30"
  wait_for 'WELCOME' 30
  wait_for 'CARDS'

  keys F1
  wait_for 'AMOUNT +USD 0\.00'
  if screen | grep -q 'TIP'; then echo "emu_interactive: the sale's amount entry reads TIP"; screen; exit 1; fi
  keys 1 2 3 4
  wait_for 'USD 12\.34'
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
  if screen | grep -q '1234'; then echo "emu_interactive: the PIN digits are on the screen"; exit 1; fi
  keys Enter
  wait_for 'APPROVED' 30
  wait_for 'CUSTOMER COPY|MERCHANT COPY' 10
  screen | grep -q '476173\*\*\*\*\*\*0010' || { echo "emu_interactive: no masked PAN on the receipt"; screen; exit 1; }
  if screen | grep -q '4761739001010010'; then echo "emu_interactive: a clear PAN on the screen"; exit 1; fi
  # The idle screen comes back by itself after the outcome (the trial's terminal never did).
  wait_for 'WELCOME' 15
  keys Escape
  wait_for 'EMULATOR-EXITED 0' 10
  tmux -L "$sock" kill-server 2>/dev/null || true
}

one_sale "$emu --host aurora"
echo "emu_interactive: sale approved in the interactive emulator (built-in host simulator)"

[[ -n "$hostsim" ]] || exit 0
"$hostsim" --port 0 --state-dir "$work/sim" --verbose >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
line=""
for _ in $(seq 1 400); do  # 40 s: the first start makes keys, under ASan
  line=$(head -n 1 "$work/sim.out" 2>/dev/null || true)
  [[ -n "$line" ]] && break
  sleep 0.1
done
[[ "$line" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] || { echo "emu_interactive: tender-hostsim did not start"; exit 1; }
port=${BASH_REMATCH[1]}
cat >"$work/terminal.json" <<EOF
{ "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "merchant_id": "MID0001"},
  "currency": "USD", "state_dir": "$work/state", "device_key": "test",
  "host": {"kind": "aurora", "url": "https://127.0.0.1:$port", "ca_file": "$work/sim/ca.pem",
           "server_name": "localhost",
           "aurora": {"client_id": "tender-test", "client_secret": "tender-test-secret", "payment_processor_id": "proc-1"}} }
EOF
one_sale "$emu --config $work/terminal.json --state-dir $work/emu"
# The sale reached that host, not an in-process one.
grep -q "POST /pay-api/v1/transactions/sale -> 200" "$work/sim.err" || { echo "emu_interactive: the configured host saw no sale"; exit 1; }
echo "emu_interactive: sale approved in the interactive emulator (configured host: tender-hostsim)"
