# Sourced by the process tests that run tender (and its tools) against tender-hostsim: the
# simulator's start, the test terminal's config blocks and secrets, bounded waits. Nothing
# here runs on its own. The caller owns $work (a scratch directory) and its cleanup.

# The published test secrets the test terminals use:
# - the Aurora client secret tender-hostsim accepts for client tender-test;
# - the published test device key (A0 A1 ... BF), given as a merchant gives a key;
# - X9.24-1 A.4's IPEK of the published test BDK for KSN FFFF9876543210E00000 (the simulator
#   derives it again from the BDK to check the PIN block).
export TENDER_TEST_AURORA_SECRET=tender-test-secret
export TENDER_TEST_DEVICE_KEY=A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF
export TENDER_TEST_IPEK=6AC292FAA1315B4D858AB3A3D7D5933A
TEST_PIN_PAD_JSON='{"kind": "soft", "ksn": "FFFF9876543210E00000", "initial_key_env": "TENDER_TEST_IPEK"}'

# wait_listening OUT PID SECONDS: until the first line of OUT (a server's stdout) says
# "listening on 127.0.0.1:PORT" (the simulator's first start makes keys: slow under ASan or
# qemu); gives up early when PID has exited. Sets listen_port; otherwise returns 1 with
# listen_line set to what the line was.
wait_listening() {
  local out=$1 pid=$2 tenths=$(($3 * 10)) i
  listen_line=""
  for ((i = 0; i < tenths; i++)); do
    listen_line=$(head -n 1 "$out" 2>/dev/null || true)  # the file may not exist yet
    [[ -n "$listen_line" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ "$listen_line" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] || return 1
  listen_port=${BASH_REMATCH[1]}
}

# start_hostsim SIM [PORT [ARGS...]]: tender-hostsim on 127.0.0.1:PORT (0: any free port)
# with its state in $work/sim (its CA: $work/sim/ca.pem) and ARGS (e.g. --verbose), stdout
# and stderr in $work/sim.out and $work/sim.err (appended, so a restart keeps the earlier
# lines). It has HOSTSIM_START_SECONDS (default 40) to say it listens. Sets sim_pid and
# sim_port; when it does not come up, prints one FAIL line and exits 1.
start_hostsim() {
  local sim=$1 port=${2:-0}
  shift $(($# < 2 ? $# : 2))
  mkdir -p "$work/sim"
  : >"$work/sim.out"
  "$sim" --port "$port" --state-dir "$work/sim" "$@" >"$work/sim.out" 2>>"$work/sim.err" &
  sim_pid=$!
  if ! wait_listening "$work/sim.out" "$sim_pid" "${HOSTSIM_START_SECONDS:-40}"; then
    echo "FAIL: tender-hostsim did not start (got '$listen_line'): $(head -c 2000 "$work/sim.err")"
    exit 1
  fi
  sim_port=$listen_port
}

# stop_hostsim: SIGTERM, at most 10 s for it to go, then SIGKILL.
stop_hostsim() {
  [[ -n "${sim_pid:-}" ]] || return 0
  kill -TERM "$sim_pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$sim_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
  sim_pid=""
}

# aurora_host_json [TIMEOUT_MS [CA_FILE]]: the config's "host" object for tender-hostsim's
# Aurora (default 10000 ms and the simulator's CA).
aurora_host_json() {
  printf '{"kind": "aurora", "url": "https://127.0.0.1:%s", "ca_file": "%s", "server_name": "localhost",
           "timeout_ms": %s, "aurora": {"client_id": "tender-test",
           "client_secret_env": "TENDER_TEST_AURORA_SECRET", "payment_processor_id": "proc-1"}}' \
    "$sim_port" "${2:-$work/sim/ca.pem}" "${1:-10000}"
}

# terminal_json STATE_DIR DEVICE_KEY HOST_JSON ENGINE_JSON DEVICES_JSON [EXTRA_MEMBERS]: a
# terminal configuration of the test store on stdout.
terminal_json() {
  cat <<JSON
{
  "terminal_id": "TENDER01",
  "merchant": {"name": "TENDER TEST STORE", "address": ["1 TEST STREET"], "merchant_id": "MID0001"},
  "currency": "USD",
  "state_dir": "$1",
  "device_key": "$2",
  "host": $3,
  "engine": $4,${6:+
  $6,}
  "devices": $5
}
JSON
}

# wait_for FILE TEXT SECONDS [PID]: until FILE holds TEXT; gives up early when PID has exited.
wait_for() {
  local file=$1 text=$2 tenths=$(($3 * 10)) pid=${4:-}
  for ((i = 0; i < tenths; i++)); do
    grep -qF -- "$text" "$file" 2>/dev/null && return 0
    [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null && { grep -qF -- "$text" "$file" 2>/dev/null; return; }
    sleep 0.1
  done
  return 1
}

# wait_exit PID SECONDS: sets rc to its exit code, or 124 after killing it at the deadline.
wait_exit() {
  local pid=$1 tenths=$(($2 * 10))
  rc=0
  for ((i = 0; i < tenths; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rc=124
    return
  fi
  wait "$pid" || rc=$?
}

# --- PC/SC: pcscd with vsmartcard's vpcd ---------------------------------------------
in_ci() { [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]; }
pcscd_pid=""  # a pcscd started here (setsid: its process group); stop_pcscd stops it
pcscd_bin=""
for p in /usr/sbin/pcscd /usr/local/sbin/pcscd /sbin/pcscd /usr/bin/pcscd; do [[ -x $p ]] && { pcscd_bin=$p; break; }; done

# pcsc_reader: takes the machine's PC/SC turn (one pcscd serves the machine and vpcd's
# ports are fixed: /tmp/tender-pcscd.lock on fd 9, as the PC/SC suites take it), uses the
# running pcscd or starts one (root), and sets reader to vpcd's first reader. Returns 1
# with pcsc_why set when PC/SC cannot run here (the caller skips, or fails under CI);
# exits 1 when the lock is held too long or pcscd lists no vpcd reader.
pcsc_reader() {
  reader=""
  command -v pcsc_scan >/dev/null || { pcsc_why="pcsc_scan is not installed (scripts/setup installs pcsc-tools)"; return 1; }
  : >>/tmp/tender-pcscd.lock 2>/dev/null || true  # read-only is enough for flock (another user's file)
  exec 9</tmp/tender-pcscd.lock
  flock -w 120 9 || { echo "FAIL: another test held /tmp/tender-pcscd.lock too long"; exit 1; }
  if ! timeout 10 pcsc_scan -r >/dev/null 2>&1; then
    [[ -n "$pcscd_bin" ]] || { pcsc_why="pcscd is not installed (scripts/setup installs pcscd)"; return 1; }
    [[ -r /etc/reader.conf.d/vpcd ]] || { pcsc_why="vpcd is not configured: /etc/reader.conf.d/vpcd missing (scripts/setup installs vsmartcard-vpcd)"; return 1; }
    [[ $(id -u) -eq 0 ]] || { pcsc_why="no pcscd running and starting one needs root (it creates /run/pcscd)"; return 1; }
    start_pcscd
  fi
  for ((i = 0; i < 100; i++)); do
    reader=$(timeout 10 pcsc_scan -r 2>/dev/null | sed -nE 's/^[0-9]+: (Virtual PCD .* 00)$/\1/p' | head -n 1) || true
    [[ -n "$reader" ]] && return 0
    sleep 0.1
  done
  echo "FAIL: pcscd lists no vpcd reader: $(timeout 10 pcsc_scan -r 2>&1 | head -n 5) $(tail -c 2000 "$work/pcscd.log" 2>/dev/null)"
  exit 1
}
start_pcscd() {
  setsid "$pcscd_bin" --foreground --auto-exit </dev/null >>"$work/pcscd.log" 2>&1 &
  pcscd_pid=$!
}
# stop_pcscd: a pcscd started here, and its process group (bounded).
stop_pcscd() {
  [[ -n "$pcscd_pid" ]] || return 0
  kill -TERM -- "-$pcscd_pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pcscd_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pcscd_pid" 2>/dev/null || true
  wait "$pcscd_pid" 2>/dev/null || true
  pcscd_pid=""
}
