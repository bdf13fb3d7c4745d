#!/usr/bin/env bash
# The tender-hostsim contract, checked by running the real binary on loopback:
# "listening on 127.0.0.1:N" once on stdout, the test CA in --state-dir (reused on the
# next start), Aurora (OAuth2 token, sale) and FullStack (key, transaction, terminals)
# over HTTPS with curl --cacert, 401 without credentials, the state surviving a restart,
# a clean stop on SIGTERM, exit 2 with one stderr line for bad arguments, and no card
# data in the logs. Every wait is bounded; every simulator started is killed (trap).
set -uo pipefail
. "$(dirname "$0")/../lib/process.sh"
bin=${1:?usage: hostsim_cli_test.sh PATH_TO_TENDER_HOSTSIM}
failures=0; passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/hostsim_cli.XXXXXX")
state=$work/state
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=""
# start_sim NAME ARGS...: starts the simulator, waits (bounded) for its listening line.
start_sim() {
  local name=$1; shift
  : >"$work/$name.out"
  "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  if ! wait_listening "$work/$name.out" "$pid" 60; then  # the first start makes keys, under ASan
    fail "$name: no listening line (got '$listen_line'); stderr: $(head -c 2000 "$work/$name.err")"
    return 1
  fi
  port=$listen_port
  if [[ "$port" -eq 0 ]]; then fail "$name: printed port 0"; return 1; fi
  pass
}

# stop_sim NAME [SIGNAL]: SIGTERM (or SIGNAL), bounded wait, exit 0 expected, stdout
# exactly the one line.
stop_sim() {
  local name=$1 signal=${2:-TERM} i rc
  kill -"$signal" "$pid" 2>/dev/null
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$name: still running 20 s after SIG$signal"; kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=""; return
  fi
  wait "$pid"; rc=$?; pid=""
  if [[ $rc -ne 0 ]]; then fail "$name: exit $rc after SIG$signal; stderr: $(tail -c 2000 "$work/$name.err")"; else pass; fi
  if [[ $(wc -l <"$work/$name.out") -ne 1 ]]; then fail "$name: stdout is not exactly one line"; else pass; fi
}

cacert=$state/ca.pem
# call METHOD PATH [curl args...] -> sets $status and $body
call() {
  local method=$1 path=$2; shift 2
  local out
  out=$(curl -sS --noproxy '*' --max-time 15 --cacert "$cacert" -X "$method" -o "$work/body" -w '%{http_code}' \
        "$@" "https://127.0.0.1:$port$path" 2>"$work/curl.err")
  status=$out
  body=$(cat "$work/body" 2>/dev/null)
  [[ -s "$work/curl.err" ]] && echo "curl: $(cat "$work/curl.err")"
}
json_str() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2" | head -n 1; }
expect_status() {  # NAME EXPECTED
  if [[ "$status" != "$2" ]]; then fail "$1: HTTP $status, expected $2: $(head -c 400 <<<"$body")"; return 1; fi
  pass
}

# Bodies: the documents' examples (tests/net/hostsim/fixtures.hpp) with expiry dates that
# have not passed on the machine's clock (the simulator runs on the system clock).
aurora_sale='{"paymentProcessorId":"fe520286-0125-4cc4-bd3c-f50333e679e5","customerId":null,
"paymentMethodId":null,"amount":123.45,"tipAmount":1,"tipRate":null,"currencyId":1,
"percentageOffRate":3,"surchargeRate":4,"useCardPrice":null,
"billingAddress":{"city":"Phoenix","countryId":1,"line1":null,"line2":null,"postalCode":"12345","stateName":null,"stateId":1},
"shippingAddress":{"city":"Phoenix","countryId":1,"line1":null,"line2":null,"postalCode":"12345","stateName":null,"stateId":1},
"contactInfo":{"firstName":"John","lastName":"Smith","companyName":"Aurora","email":"example@example.com","mobileNumber":null,"smsNotification":null},
"accountNumber":"4111111111111111","securityCode":"123","expirationMonth":12,"expirationYear":49,
"track1":null,"track2":null,"emvTags":null,"emvPaymentAppVersion":null,"cardDataSource":1,"pin":null,
"pinKsn":null,"debit":null,"emvFallbackCondition":null,"emvFallbackLastChipRead":null,"referenceId":null,
"l2":null,"l3":null,"customerInitiatedTransaction":false}'
connexpay_form='grant_type=password&username=tender-test&password=tender-test-secret'
# H's keyed sale (L864-L940) on the simulator's device, with the objects V1 requires.
connexpay_sale='{"DeviceGuid":"8f2d6c1e-4b3a-4e9f-a7d5-c1b2e3f4a5d6","Amount":15.50,"SequenceNumber":"849741","TenderType":"Credit",
  "ConnexPayTransaction":{"ExpectedPayments":1},"RiskData":{},"CardDataSource":"MANUAL",
  "Card":{"CardNumber":"4111111111111111","CardHolderName":"John Doe","Cvv2":"999","ExpirationDate":"3012"}}'
fullstack_sale='{"type":"sale","amount":1112,"tax_amount":100,"shipping_amount":100,"currency":"USD",
"description":"test transaction","order_id":"someOrderID","po_number":"somePONumber","ip_address":"4.2.2.2",
"email_receipt":false,"email_address":"user@home.com","create_vault_record":true,
"payment_method":{"card":{"entry_type":"keyed","number":"4012000098765439","expiration_date":"12/49","cvc":"999"}},
"billing_address":{"first_name":"John","last_name":"Smith","company":"Test Company","address_line_1":"123 Some St",
"city":"Wheaton","state":"IL","postal_code":"60187","country":"US","phone":"5555555555","fax":"5555555555","email":"help@website.com"}}'
token_form='grant_type=client_credentials&client_id=tender-test&client_secret=tender-test-secret'

# --- bad arguments: exit 2, one line on stderr, nothing on stdout --------------------
expect_bad_args() {  # NAME ARGS...
  local name=$1; shift
  local out err rc
  out=$(timeout 20 "$bin" "$@" 2>"$work/bad.err"); rc=$?
  err=$(cat "$work/bad.err")
  if [[ $rc -ne 2 ]]; then fail "$name: expected exit 2, got $rc"; return; fi
  if [[ -n "$out" ]]; then fail "$name: printed to stdout"; return; fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 || -z "$err" ]]; then fail "$name: stderr is not one line: $err"; return; fi
  pass
}
expect_bad_args "unknown option" --bogus
expect_bad_args "port not a number" --port abc
expect_bad_args "port too large" --port 65536
expect_bad_args "port without value" --port
expect_bad_args "state dir without value" --port 0 --state-dir
expect_bad_args "positional argument" serve

# --- first start: creates the test PKI --------------------------------------------
if start_sim first --port 0 --state-dir "$state"; then
  for f in ca.pem server.pem server-key.pem; do
    [[ -s "$state/$f" ]] && pass || fail "first start: $state/$f missing"
  done
  if [[ $(stat -c %a "$state/server-key.pem") == 600 ]]; then pass; else fail "server key is not 0600"; fi
  cp "$state/ca.pem" "$work/ca.first.pem"

  # Aurora: a token (form-encoded), then the sale.
  call POST /oauth2/token -H 'Content-Type: application/x-www-form-urlencoded' --data "$token_form"
  expect_status "aurora token" 200
  token=$(json_str access_token "$body")
  [[ -n "$token" ]] && pass || fail "aurora token: no access_token in $body"

  call POST /pay-api/v1/transactions/sale -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "$aurora_sale"
  expect_status "aurora sale" 200
  aurora_id=$(json_str transactionId "$body")
  [[ -n "$aurora_id" ]] && pass || fail "aurora sale: no transactionId in $body"
  [[ $(json_str status "$body") == Captured ]] && pass || fail "aurora sale: not captured: $body"

  call POST /pay-api/v1/transactions/sale -H 'Content-Type: application/json' --data "$aurora_sale"
  expect_status "aurora sale without a token" 401
  call POST /pay-api/v1/transactions/sale -H 'Authorization: Bearer not-a-token' -H 'Content-Type: application/json' \
    --data "$aurora_sale"
  expect_status "aurora sale with a wrong token" 401
  call POST /oauth2/token -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'grant_type=client_credentials&client_id=tender-test&client_secret=wrong'
  expect_status "aurora token with a wrong secret" 401

  # FullStack: the key, a transaction, the terminals.
  call POST /api/transaction -H 'Authorization: api_tender_test' -H 'Content-Type: application/json' \
    --data "$fullstack_sale"
  expect_status "fullstack transaction" 200
  # The transaction's own id is the first "id": its response_body.card has another one after it.
  fullstack_id=$(grep -o '"id":"[^"]*"' <<<"$body" | head -n 1 | cut -d'"' -f4)
  [[ -n "$fullstack_id" ]] && pass || fail "fullstack transaction: no id in $body"
  [[ $(json_str status "$body") == success ]] && pass || fail "fullstack transaction: $body"

  call GET /api/terminals -H 'Authorization: api_tender_test'
  expect_status "fullstack terminals" 200
  grep -q 1ucio551tlv85l7moe5s <<<"$body" && pass || fail "fullstack terminals: $body"

  call GET /api/terminals
  expect_status "fullstack without a key" 401
  call GET /api/terminals -H 'Authorization: api_wrong_key'
  expect_status "fullstack with a wrong key" 401

  # ConnexPay: the password grant, H's keyed sale (its own example's fields), the bearer.
  call POST /api/v1/token -H 'Content-Type: application/x-www-form-urlencoded' --data "$connexpay_form"
  expect_status "connexpay token" 200
  cx_token=$(json_str access_token "$body")
  [[ -n "$cx_token" ]] && pass || fail "connexpay token: no access_token in $body"
  call POST /api/v1/sales -H "Authorization: Bearer $cx_token" -H 'Content-Type: application/json' --data "$connexpay_sale"
  expect_status "connexpay sale" 200
  connexpay_id=$(jq -r '.guid // empty' <<<"$body" 2>/dev/null)
  [[ -n "$connexpay_id" && $(jq -r .status <<<"$body" 2>/dev/null) == "Transaction - Approved" ]] && pass || fail "connexpay sale: $body"
  call POST /api/v1/sales -H 'Authorization: Bearer not-a-token' -H 'Content-Type: application/json' --data "$connexpay_sale"
  expect_status "connexpay sale with a wrong token" 401
  call POST /api/v1/token -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'grant_type=password&username=tender-test&password=wrong'
  expect_status "connexpay token with a wrong password" 400

  stop_sim first
fi

# --- second start on the same state directory: same CA, state restored --------------
if start_sim second --port 0 --state-dir "$state"; then
  if cmp -s "$state/ca.pem" "$work/ca.first.pem"; then pass; else fail "second start: ca.pem changed"; fi

  call POST /oauth2/token -H 'Content-Type: application/x-www-form-urlencoded' --data "$token_form"
  expect_status "aurora token after restart" 200
  token=$(json_str access_token "$body")
  if [[ -n "${aurora_id:-}" ]]; then
    call GET "/pay-api/v1/transactions/$aurora_id" -H "Authorization: Bearer $token"
    expect_status "aurora transaction after restart" 200
    grep -q "\"$aurora_id\"" <<<"$body" && pass || fail "aurora transaction after restart: $body"
  fi
  if [[ -n "${fullstack_id:-}" ]]; then
    call GET "/api/transaction/$fullstack_id" -H 'Authorization: api_tender_test'
    expect_status "fullstack transaction after restart" 200
    grep -q "\"$fullstack_id\"" <<<"$body" && pass || fail "fullstack transaction after restart: $body"
  fi
  if [[ -n "${connexpay_id:-}" ]]; then  # tokens are not persisted: a new one
    call POST /api/v1/token -H 'Content-Type: application/x-www-form-urlencoded' --data "$connexpay_form"
    cx_token=$(json_str access_token "$body")
    call GET "/api/v1/sales/$connexpay_id" -H "Authorization: Bearer $cx_token"
    expect_status "connexpay sale after restart" 200
    grep -q "\"$connexpay_id\"" <<<"$body" && pass || fail "connexpay sale after restart: $body"
  fi
  stop_sim second
fi
[[ -s "$state/hostsim.db" ]] && pass || fail "no hostsim.db in the state directory"

# --- without --state-dir: in memory, certificates in a temporary directory -----------
saved_cacert=$cacert
if start_sim memory --port 0; then
  cacert=$(sed -n 's/.*test CA at \(.*ca\.pem\)$/\1/p' "$work/memory.err" | head -n 1)
  if [[ -n "$cacert" && -s "$cacert" ]]; then
    pass
    call GET /api/terminals -H 'Authorization: api_tender_test'
    expect_status "in-memory simulator: terminals" 200
  else
    fail "in-memory simulator: stderr does not say where ca.pem is: $(cat "$work/memory.err")"
  fi
  stop_sim memory INT
  if [[ -n "$cacert" && -e "$cacert" ]]; then fail "in-memory simulator: temporary directory left behind"; else pass; fi
fi
cacert=$saved_cacert

# --- the port is taken: exit 1 with one line, not a hang ------------------------------
if start_sim holder --port 0 --state-dir "$state"; then
  taken=$port; holder=$pid
  out=$(timeout 60 "$bin" --port "$taken" --state-dir "$state" 2>"$work/taken.err"); rc=$?
  if [[ $rc -ne 1 || -n "$out" || $(wc -l <"$work/taken.err") -ne 1 ]]; then
    fail "port in use: exit $rc, stdout '$out', stderr $(cat "$work/taken.err")"
  else
    pass
  fi
  pid=$holder
  stop_sim holder
fi

# --- logs never carry card data -------------------------------------------------------
for f in "$work"/*.err; do
  if grep -Eq '[0-9]{13,}' "$f"; then fail "$(basename "$f"): a long digit run in the log"; else pass; fi
  if grep -Eq '4111111111111111|4012000098765439|tender-test-secret|api_tender_test' "$f"; then
    fail "$(basename "$f"): card data or a credential in the log"
  else
    pass
  fi
done

echo "hostsim_cli: $passes passed, $failures failed"
[[ $failures -eq 0 ]]
