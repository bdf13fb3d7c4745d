#!/usr/bin/env bash
# tender-vcard, the real binary, and tender on a real PC/SC stack with no card and no reader.
#   1. The command line (no pcscd needed): --help and --version on stdout; bad arguments, an
#      unknown card and a broken profile: exit 2 with one line on stderr; a vpcd that is not
#      there: one "unreachable" line, then quiet retries; commands on stdin (status, list,
#      a refused insert, quit); end of a piped script keeps the card in until SIGTERM; on a
#      terminal (tmux, when installed) the prompt, and Ctrl-D quits.
#   2. pcscd with vsmartcard's vpcd (started here as the PC/SC suites start theirs, or the
#      system's; skipped where that cannot run, failed instead under CI=true), tender-vcard
#      with a built-in card, tender-hostsim --port 0, a TCP 9100 printer listener
#      (print_listener), and `tender --config F --once AMOUNT` on the lines display:
#        a. a chip sale with online PIN through tender-vcard (visa_online_pin, PIN typed on stdin);
#        b. `swap mc_signature`, a second chip sale with that card;
#        pcscd restarted (when started here): tender-vcard reconnects, the card sells again;
#        c. `remove`, then a swipe from the recorded wedge-reader events (a FIFO for msr.evdev);
#      each one's bytes at the printer: ESC @, the masked PAN (6+4), the amount, APPROVED,
#      the cut (GS V 66 0); never a clear PAN or track anywhere.
# Every wait is bounded; everything started here is stopped on exit (trap); KEEP_WORK=1 keeps
# the work directory (logs, receipts as printed) for a look after a failure.
#   usage: vcard_process.sh TENDER_VCARD TENDER TENDER_HOSTSIM TENDER_SWIPE PRINT_LISTENER SWIPE_RECORDING CAPK_FILE [LONG_BYTES]
# The swipe is written by tender-swipe for the test track; in the 64-bit layout it must be the
# checked-in recording SWIPE_RECORDING byte for byte (which msr_test checks on its own).
# LONG_BYTES: the size of a long where tender runs (4 on armhf), which sets its input_event layout.
set -euo pipefail
. "$(dirname "$0")/../../lib/process.sh"
usage="usage: vcard_process.sh TENDER_VCARD TENDER TENDER_HOSTSIM TENDER_SWIPE PRINT_LISTENER SWIPE_RECORDING CAPK_FILE [LONG_BYTES]"
vcard=${1:?$usage}
tender=${2:?$usage}
sim=${3:?$usage}
swipe_tool=${4:?$usage}
listener=${5:?$usage}
recorded=$(realpath "${6:?$usage}")
capk=$(realpath "${7:?$usage}")  # the config resolves relative paths against its own directory
# The terminal's AIDs: the test set the repository ships (tender refuses a chip reader without them).
terminal_file=$(realpath "$(dirname "$0")/../../../data/emv/terminal.sample.json")
long_bytes=${8:-$(($(getconf LONG_BIT) / 8))}
failures=0; passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/vcard_process.XXXXXX")
pids=()          # everything started in the background, stopped at exit
sock=""          # a tmux server started here
cleanup() {
  local p
  if [[ -n "$sock" ]]; then tmux -L "$sock" kill-server 2>/dev/null || true; fi
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
  done
  stop_pcscd
  exec 5>&- 6>&- 7>&- 8>&- 9>&- 2>/dev/null || true
  [[ -n "${KEEP_WORK:-}" ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# The full PANs of the cards used here and the recorded track: never outside the processes.
no_card_data() {
  local name=$1; shift
  local f
  for f in "$@"; do
    [[ -e "$f" ]] || continue
    if grep -qa -e "4761739001010010" -e "5413330089020011" -e "4111111111111111" -e "=3012101" -e "D30122011" "$f"; then
      fail "$name: card data in $(basename "$f")"
      return
    fi
  done
  pass
}
# expect_exit NAME CODE ARGS...: tender-vcard exits CODE with nothing on stdout and one line on stderr.
expect_exit() {
  local name=$1 code=$2; shift 2
  local out err rc=0
  out=$(timeout 30 "$vcard" "$@" </dev/null 2>"$work/err") || rc=$?
  err=$(cat "$work/err")
  if [[ $rc -ne $code ]]; then fail "$name: expected exit $code, got $rc ($err)"; return; fi
  if [[ -n "$out" ]]; then fail "$name: printed to stdout: $out"; return; fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 || -z "$err" ]]; then fail "$name: stderr is not one line: $err"; return; fi
  pass
}

# ====================================================================== 1. the command line
out=$("$vcard" --help) && pass || fail "--help: exit $?"
[[ "$out" == "usage: tender-vcard "* && "$out" == *"swap CARD"* ]] && pass || fail "--help: $out"
out=$("$vcard" --version) && pass || fail "--version: exit $?"
[[ "$out" =~ ^tender-vcard\ [0-9]+\.[0-9]+\.[0-9]+$ ]] && pass || fail "--version: $out"
expect_exit "unknown argument" 2 --slot 1
expect_exit "--vpcd with a name" 2 --vpcd localhost:35963
expect_exit "--vpcd without a port" 2 --vpcd 127.0.0.1
expect_exit "--insert twice" 2 --insert visa_dda --insert mc_cda
expect_exit "--insert an unknown card" 2 --insert visa_platinum
grep -q "no card visa_platinum" "$work/err" && pass || fail "unknown card: $(cat "$work/err")"
printf '{"description": "broken", "applications": [' >"$work/broken.json"
expect_exit "--card a broken profile" 2 --card "$work/broken.json"
grep -q "card profile $work/broken.json" "$work/err" && pass || fail "broken profile: not named: $(cat "$work/err")"
expect_exit "--card a missing file" 2 --card "$work/absent.json"

# tender-swipe: bad input is exit 2 with one line (a tab types nothing on a US layout).
out=$("$swipe_tool" --help) && [[ "$out" == "usage: tender-swipe "* ]] && pass || fail "tender-swipe --help: $out"
rc=0; printf ';4111111111111111\t=3012?\n' | "$swipe_tool" --layout 64 >"$work/bad.bin" 2>"$work/err" || rc=$?
[[ $rc -eq 2 && $(wc -l <"$work/err") -eq 1 && ! -s "$work/bad.bin" ]] && pass || fail "tender-swipe, a tab: exit $rc: $(cat "$work/err")"
grep -q "character 18: no key types it" "$work/err" && pass || fail "tender-swipe, a tab: $(cat "$work/err")"
rc=0; "$swipe_tool" --layout 16 </dev/null >"$work/bad.bin" 2>"$work/err" || rc=$?
[[ $rc -eq 2 ]] && pass || fail "tender-swipe --layout 16: exit $rc"
no_card_data "tender-swipe errors" "$work/err"

# A vpcd that is not there: a free port (the listener's, once it has gone).
"$listener" "$work/probe.bin" >"$work/probe.out" 2>&1 &
probe_pid=$!; pids+=("$probe_pid")
free_port=""
wait_listening "$work/probe.out" "$probe_pid" 20 && free_port=$listen_port
kill -TERM "$probe_pid"; wait_exit "$probe_pid" 10
mkfifo "$work/cmd1.fifo"
exec 5<>"$work/cmd1.fifo"
"$vcard" --vpcd "127.0.0.1:$free_port" --insert visa_online_pin <"$work/cmd1.fifo" >"$work/v1.out" 2>"$work/v1.err" &
v1=$!; pids+=("$v1")
if wait_for "$work/v1.out" "unreachable vpcd 127.0.0.1:$free_port" 30 "$v1"; then pass; else fail "unreachable vpcd: no line: $(cat "$work/v1.out" "$work/v1.err")"; fi
head -n 1 "$work/v1.out" | grep -qx "inserted visa_online_pin 476173\*\*\*\*\*\*0010" && pass || fail "first line: $(head -n 1 "$work/v1.out")"
printf 'status\ninsert visa_dda\neject\nlist\n' >&5
wait_for "$work/v1.out" "status inserted visa_online_pin 476173******0010, waiting for vpcd 127.0.0.1:$free_port" 20 "$v1" \
  && pass || fail "status while unreachable: $(cat "$work/v1.out")"
wait_for "$work/v1.out" "visa_online_pin  476173******0010  " 20 "$v1" && pass || fail "list: $(cat "$work/v1.out")"
wait_for "$work/v1.err" "error: insert: visa_online_pin is in the slot; remove it first, or swap" 10 "$v1" \
  && pass || fail "a second insert: $(cat "$work/v1.err")"
grep -q "^error: unknown command eject" "$work/v1.err" && pass || fail "unknown command: $(cat "$work/v1.err")"
printf 'quit\n' >&5
wait_exit "$v1" 20
[[ $rc -eq 0 ]] && pass || fail "quit: exit $rc"
tail -n 1 "$work/v1.out" | grep -qx "removed visa_online_pin" && pass || fail "quit: last line $(tail -n 1 "$work/v1.out")"
[[ $(grep -c "^unreachable" "$work/v1.out") -eq 1 ]] && pass || fail "unreachable said more than once: $(cat "$work/v1.out")"
exec 5>&-

# A piped script: its end is not a quit; SIGTERM is.
printf 'insert mc_cda\nstatus\n' | "$vcard" --vpcd "127.0.0.1:$free_port" >"$work/v2.out" 2>"$work/v2.err" &
v2=$!; pids+=("$v2")
if wait_for "$work/v2.out" "input ended" 20 "$v2"; then
  kill -0 "$v2" 2>/dev/null && pass || fail "the end of a piped script stopped tender-vcard"
  kill -TERM "$v2"
  wait_exit "$v2" 20
  [[ $rc -eq 0 ]] && pass || fail "SIGTERM: exit $rc"
  tail -n 1 "$work/v2.out" | grep -qx "removed mc_cda" && pass || fail "SIGTERM: $(cat "$work/v2.out")"
else
  fail "piped script: $(cat "$work/v2.out" "$work/v2.err")"
fi

# On a terminal (tmux): the prompt, a command, and Ctrl-D (end of input) quits with the card removed.
if command -v tmux >/dev/null; then
  sock="vcard-process-$$"
  pane() { tmux -L "$sock" capture-pane -p -t v 2>/dev/null || true; }
  wait_pane() {  # PATTERN SECONDS
    for ((i = 0; i < $2 * 10; i++)); do pane | grep -qE -- "$1" && return 0; sleep 0.1; done
    return 1
  }
  tmux -L "$sock" new-session -d -s v -x 150 -y 20 \
    "'$vcard' --vpcd 127.0.0.1:$free_port --insert visa_dda 2>'$work/tty.err'; echo VCARD-EXITED \$?; sleep 30"
  if wait_pane "^vcard>" 20; then  # capture-pane drops the trailing blank
    tmux -L "$sock" send-keys -t v "status" Enter
    wait_pane "^status inserted visa_dda 476173\\*{6}0267, waiting for vpcd" 20 && pass || fail "tty: status: $(pane)"
    tmux -L "$sock" send-keys -t v C-d
    wait_pane "VCARD-EXITED 0" 20 && pass || fail "tty: Ctrl-D did not quit cleanly: $(pane)"
    pane | grep -q "^removed visa_dda" && pass || fail "tty: no removed line: $(pane)"
  else
    fail "tty: no prompt: $(pane) $(cat "$work/tty.err")"
  fi
  tmux -L "$sock" kill-server 2>/dev/null || true
  sock=""
else
  echo "vcard_process: tmux is not installed: the prompt on a terminal is not tested"
fi
no_card_data "command line" "$work/v1.out" "$work/v1.err" "$work/v2.out" "$work/v2.err"

# ====================================================================== 2. on pcscd + vpcd
skip_or_fail() {
  if in_ci; then fail "PC/SC unavailable under CI: $1"; else echo "vcard_process: PC/SC part skipped: $1"; fi
  echo "vcard_process: $passes passed, $failures failed"
  [[ $failures -eq 0 ]]
  exit
}
pcsc_reader || skip_or_fail "$pcsc_why"
pass

# --- the host simulator and the printer ---------------------------------------------
mkdir -p "$work/state"
start_hostsim "$sim"
pids+=("$sim_pid")
"$listener" "$work/printed.bin" >"$work/printer.out" 2>"$work/printer.err" &
printer_pid=$!; pids+=("$printer_pid")
wait_listening "$work/printer.out" "$printer_pid" 20 || { fail "print_listener did not start"; exit 1; }
printer_port=$listen_port

# --- the recorded swipe, written by tender-swipe in tender's input_event layout ---------
# The Visa test number with a made-up name: tests/data/msr's track.
track='%B4111111111111111^DOE-SMITH/JOHN Q.MR^3012101000000000000?;4111111111111111=30121010000000000000?'
swipe_ok=1
if [[ ($long_bytes != 8 && $long_bytes != 4) || $(printf '\1\0' | od -An -tu2 | tr -d ' ') != 1 ]]; then
  echo "vcard_process: recordings are for little-endian machines with a 4- or 8-byte long: no swipe sale"
  swipe_ok=0
else
  swipe=$work/swipe.bin
  printf '%s\n' "$track" | "$swipe_tool" --layout $((long_bytes * 8)) >"$swipe" 2>"$work/swipe_tool.err" \
    && pass || fail "tender-swipe: exit $?: $(cat "$work/swipe_tool.err")"
  if [[ $long_bytes == 8 ]]; then
    cmp -s "$swipe" "$recorded" && pass || fail "tender-swipe's recording differs from $(basename "$recorded")"
  else
    [[ $(stat -c %s "$swipe") -eq $(($(stat -c %s "$recorded") / 24 * 16)) ]] && pass || fail "tender-swipe --layout 32: wrong size"
  fi
fi
mkfifo "$work/msr.fifo" "$work/keys.fifo" "$work/cmd.fifo"
exec 6<>"$work/msr.fifo"   # held open: the reader never sees the stream end between sales
exec 7<>"$work/keys.fifo"  # tender's keypad (the lines display reads stdin)
exec 8<>"$work/cmd.fifo"   # tender-vcard's commands

terminal_json "$work/state" "env:TENDER_TEST_DEVICE_KEY" "$(aurora_host_json 10000)" \
  '{"host_timeout_ms": 15000, "prompt_timeout_ms": 60000}' \
  '{"card_reader": {"pcsc": "'"$reader"'"}, "msr": {"evdev": "'"$work/msr.fifo"'", "inter_char_timeout_ms": 100},
    "pin_pad": '"$TEST_PIN_PAD_JSON"', "printer": {"tcp": "127.0.0.1:'"$printer_port"'"},
    "display": {"kind": "lines", "size": "4x20"}}' \
  '"emv": {"terminal_file": "'"$terminal_file"'", "capk_file": "'"$capk"'"}' >"$work/tender.json"

"$vcard" --insert visa_online_pin <"$work/cmd.fifo" >"$work/vcard.out" 2>"$work/vcard.err" &
vcard_pid=$!; pids+=("$vcard_pid")
wait_for "$work/vcard.out" "connected vpcd 127.0.0.1:35963: visa_online_pin is in the reader" 30 "$vcard_pid" \
  && pass || fail "tender-vcard did not connect to vpcd: $(cat "$work/vcard.out" "$work/vcard.err")"

# printed_since OFFSET: the printer's bytes after OFFSET, as one line of hex.
printed_since() { tail -c "+$(($1 + 1))" "$work/printed.bin" | xxd -p | tr -d '\n'; }
hex_of() { printf '%s' "$1" | xxd -p | tr -d '\n'; }
# check_receipt NAME OFFSET MASKED_PAN AMOUNT: a whole receipt job arrived after OFFSET.
check_receipt() {
  local name=$1 offset=$2 pan=$3 amount=$4 job=""
  for ((i = 0; i < 100; i++)); do  # the job's last bytes may still be on their way
    job=$(printed_since "$offset")
    [[ $job == *1d564200* ]] && break
    sleep 0.1
  done
  [[ $job == 1b40* ]] && pass || fail "$name: the job does not start with ESC @"
  [[ $job == *"$(hex_of "$pan")"* ]] && pass || fail "$name: no masked PAN $pan on the receipt"
  [[ $job == *"$(hex_of "$amount")"* ]] && pass || fail "$name: no amount $amount on the receipt"
  [[ $job == *"$(hex_of APPROVED)"* ]] && pass || fail "$name: no APPROVED on the receipt"
  [[ $job == *1d564200* ]] && pass || fail "$name: no cut (GS V 66 0) at the end of the receipt"
}
printed_size() { stat -c %s "$work/printed.bin" 2>/dev/null || echo 0; }

# run_sale NAME AMOUNT HOW: tender --once AMOUNT; HOW is "pin" (type 1234 at ENTER PIN),
# "swipe" (write the recording at the card prompt) or "chip" (nothing to do).
run_sale() {
  local name=$1 amount=$2 how=$3 out="$work/$1.out" err="$work/$1.err"
  "$tender" --config "$work/tender.json" --once "$amount" <"$work/keys.fifo" >"$out" 2>"$err" &
  local pid=$!; pids+=("$pid")
  case $how in
    pin)
      if wait_for "$out" "ENTER PIN" 60 "$pid"; then printf '1234\n' >&7; else fail "$name: no PIN prompt: $(tail -n 8 "$out")"; fi ;;
    swipe)
      if wait_for "$out" "INSERT, SWIPE" 60 "$pid"; then cat "$swipe" >&6; else fail "$name: no card prompt: $(tail -n 8 "$out")"; fi ;;
  esac
  wait_exit "$pid" 120
  [[ $rc -eq 0 ]] && pass || fail "$name: tender exit $rc: $(tail -n 12 "$out") / $(tail -n 8 "$err")"
  grep -q "^result: approved USD $amount" "$out" && pass || fail "$name: no approved result: $(tail -n 3 "$out")"
}

# Amounts avoid the simulator's magic cents (.51 to .58: declines, lost answers; net/hostsim/README.md).
# a. chip with online PIN through tender-vcard.
offset=$(printed_size)
run_sale chip_pin 12.34 pin
check_receipt chip_pin "$offset" "476173******0010" "12.34"

# b. swap, then a chip sale with the other card.
printf 'swap mc_signature\n' >&8
wait_for "$work/vcard.out" "inserted mc_signature 541333******0011" 20 "$vcard_pid" && pass || fail "swap: $(cat "$work/vcard.out" "$work/vcard.err")"
grep -qx "removed visa_online_pin" "$work/vcard.out" && pass || fail "swap: no removed line"
wait_for "$work/vcard.out" "connected vpcd 127.0.0.1:35963: mc_signature is in the reader" 20 "$vcard_pid" \
  && pass || fail "swap: mc_signature never reached vpcd: $(cat "$work/vcard.out")"
offset=$(printed_size)
run_sale chip_swapped 23.45 chip
check_receipt chip_swapped "$offset" "541333******0011" "23.45"

# pcscd restarts (only one started here can be): vpcd's socket closes, tender-vcard says so,
# comes back by itself, and the card serves a sale again.
if [[ -n "$pcscd_pid" ]]; then
  connected_before=$(grep -c "^connected vpcd" "$work/vcard.out" || true)
  stop_pcscd
  wait_for "$work/vcard.out" "disconnected vpcd 127.0.0.1:35963 closed the connection" 20 "$vcard_pid" \
    && pass || fail "pcscd stopped: no disconnected line: $(cat "$work/vcard.out")"
  start_pcscd
  for ((i = 0; i < 300; i++)); do
    [[ $(grep -c "^connected vpcd" "$work/vcard.out" || true) -gt $connected_before ]] && break
    sleep 0.1
  done
  [[ $(grep -c "^connected vpcd" "$work/vcard.out" || true) -gt $connected_before ]] \
    && pass || fail "pcscd restarted: tender-vcard did not reconnect: $(cat "$work/vcard.out")"
  offset=$(printed_size)
  run_sale chip_restarted 45.60 chip
  check_receipt chip_restarted "$offset" "541333******0011" "45.60"
fi

# c. remove; the recorded swipe through the wedge reader's FIFO.
printf 'remove\nstatus\n' >&8
wait_for "$work/vcard.out" "status empty slot (vpcd 127.0.0.1:35963)" 20 "$vcard_pid" && pass || fail "remove: $(cat "$work/vcard.out")"
if [[ $swipe_ok == 1 ]]; then
  offset=$(printed_size)
  run_sale swipe 34.60 swipe
  check_receipt swipe "$offset" "411111******1111" "34.60"
fi

printf 'quit\n' >&8
wait_exit "$vcard_pid" 20
[[ $rc -eq 0 ]] && pass || fail "tender-vcard quit: exit $rc"
no_card_data "on PC/SC" "$work/printed.bin" "$work/vcard.out" "$work/vcard.err" "$work"/chip_*.out "$work"/chip_*.err \
  "$work/swipe.out" "$work/swipe.err" "$work/sim.err"

echo "vcard_process: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
