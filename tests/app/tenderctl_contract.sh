#!/usr/bin/env bash
# The tenderctl contract (issue 2), checked by running the real binary:
# exact JSON for the standards' known answers, exit 2 + one stderr line for bad input.
# The AES-DUKPT working-key step and the format 4 encipherment are re-computed
# independently with the openssl CLI (a test peer only; the product never links it).
set -uo pipefail
ctl=${1:?usage: tenderctl_contract.sh PATH_TO_TENDERCTL PATH_TO_TENDER_EMU}
# The kernel against the virtual cards is simulation: tender-emu's emv command, same contract.
emu=${2:?usage: tenderctl_contract.sh PATH_TO_TENDERCTL PATH_TO_TENDER_EMU}
failures=0; passes=0

pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

expect_json() {  # expect_json NAME EXPECTED ARGS...
  local name=$1 expected=$2; shift 2
  local out rc
  out=$("$ctl" "$@" 2>/tmp/tenderctl_err.$$); rc=$?
  if [[ $rc -ne 0 ]]; then fail "$name: exit $rc: $(cat /tmp/tenderctl_err.$$)"; return; fi
  if [[ "$out" != "$expected" ]]; then fail "$name"$'\n'"  expected $expected"$'\n'"  got      $out"; return; fi
  pass
}

expect_bad_input() {  # expect_bad_input NAME ARGS...
  local name=$1; shift
  local out err rc
  out=$("${bin:-$ctl}" "$@" 2>/tmp/tenderctl_err.$$); rc=$?
  err=$(cat /tmp/tenderctl_err.$$)
  if [[ $rc -ne 2 ]]; then fail "$name: expected exit 2, got $rc"; return; fi
  if [[ -n "$out" ]]; then fail "$name: printed to stdout on bad input"; return; fi
  if [[ $(printf '%s\n' "$err" | wc -l) -ne 1 || -z "$err" ]]; then fail "$name: stderr is not one line: $err"; return; fi
  if grep -Eq '[0-9]{7,}' <<<"$err"; then fail "$name: stderr carries a long digit run: $err"; return; fi
  pass
}

json_field() { sed -n "s/.*\"$1\":\"\([0-9A-F]*\)\".*/\1/p" <<<"$2"; }
aes_ecb() {  # aes_ecb enc|dec KEYHEX DATAHEX -> HEX
  local mode=-e; [[ $1 == dec ]] && mode=-d
  xxd -r -p <<<"$3" | openssl enc "$mode" -aes-$(( ${#2} * 4 ))-ecb -K "$2" -nopad | xxd -p -c 64 | tr a-f A-F
}
xor_hex() {  # equal-length hex strings, 4 bytes at a time
  local a=$1 b=$2 out="" i
  for ((i = 0; i < ${#a}; i += 8)); do out+=$(printf '%08X' $((0x${a:i:8} ^ 0x${b:i:8}))); done
  echo "$out"
}

# --- track parse (ISO/IEC 7813; public test cards) ---------------------------------
expect_json "track1 with sentinels" \
  '{"track":1,"pan":"411111******1111","pan_length":16,"luhn_ok":true,"expiry":"2512","service_code":"101","chip_card":false,"name":"TEST/CARD"}' \
  track parse '%B4111111111111111^TEST/CARD^2512101000000000000?'
expect_json "track1 without sentinels" \
  '{"track":1,"pan":"541333******0434","pan_length":16,"luhn_ok":true,"expiry":"2812","service_code":"201","chip_card":true,"name":"MC/TEST CARD"}' \
  track parse 'B5413330089010434^MC/TEST CARD^2812201123400000'
expect_json "track2" \
  '{"track":2,"pan":"476173******0010","pan_length":16,"luhn_ok":true,"expiry":"2212","service_code":"201","chip_card":true,"name":null}' \
  track parse ';4761739001010010=22122011143804400000?'
expect_json "track2 equivalent (tag 57)" \
  '{"track":2,"pan":"476173******0010","pan_length":16,"luhn_ok":true,"expiry":"2212","service_code":"201","chip_card":true,"name":null}' \
  track parse '4761739001010010D22122011143804400000F'
expect_json "track2 bad luhn" \
  '{"track":2,"pan":"411111******1112","pan_length":16,"luhn_ok":false,"expiry":"3001","service_code":"101","chip_card":false,"name":null}' \
  track parse ';4111111111111112=3001101?'
expect_bad_input "track no separator" track parse ';4111111111111111?'
expect_bad_input "track short pan" track parse ';41111111111=2512101?'
expect_bad_input "track bad month" track parse ';4111111111111111=2513101?'
expect_bad_input "track truncated" track parse '%B4111111111111111^TEST/CARD^25'
expect_bad_input "track garbage" track parse 'hello'
expect_bad_input "track missing arg" track parse

# --- tlv decode (EMV Book 3 Annex B) -------------------------------------------------
expect_json "tlv GPO format 2" \
  '[{"tag":"77","name":"Response Message Template Format 2","length":14,"children":[{"tag":"82","name":"Application Interchange Profile","length":2,"value":"1980"},{"tag":"94","name":"Application File Locator (AFL)","length":8,"value":"0801010010010301"}]}]' \
  tlv decode 770E8202198094080801010010010301
expect_json "tlv amount and long length" \
  '[{"tag":"9F02","name":"Amount, Authorised (Numeric)","length":6,"value":"000000001234"},{"tag":"DF01","name":"Unknown","length":1,"value":"00"}]' \
  tlv decode 9F0206000000001234DF010100
expect_json "tlv masks PAN and track 2" \
  '[{"tag":"70","name":"READ RECORD Response Message Template","length":31,"children":[{"tag":"5A","name":"Application Primary Account Number (PAN)","length":8,"value":"476173******0010","masked":true},{"tag":"57","name":"Track 2 Equivalent Data","length":19,"value":"476173******0010**********************","masked":true}]}]' \
  tlv decode 701F5A08476173900101001057134761739001010010D22122011143804400000F
expect_bad_input "tlv odd hex" tlv decode 9F020
expect_bad_input "tlv length past end" tlv decode 9F020600000000
expect_bad_input "tlv indefinite length" tlv decode 7080
expect_bad_input "tlv non-hex" tlv decode 9G

# --- pinblock (ISO 9564-1) -----------------------------------------------------------
expect_json "format 0 (X9.24-1 A.4)" '{"pin_block":"041274EDCBA9876F"}' \
  pinblock --format 0 --pin 1234 --pan 4012345678909
expect_json "format 4 fields" \
  '{"pin_field":"441234AAAAAAAAAAFFC853BBF9685D5E","pan_field":"45237481234567895000000000000000"}' \
  pinblock --format 4 --pin 1234 --pan 5237481234567895 --fill FFC853BBF9685D5E
out=$("$ctl" pinblock --format 4 --pin 123456 --pan 4111111111111111)
if [[ "$out" =~ ^\{\"pin_field\":\"46123456AAAAAAAA[0-9A-F]{16}\",\"pan_field\":\"44111111111111111000000000000000\"\}$ ]]; then pass; else fail "format 4 random fill: $out"; fi
expect_bad_input "pin too short" pinblock --format 0 --pin 123 --pan 4012345678909
expect_bad_input "pin too long" pinblock --format 0 --pin 1234567890123 --pan 4012345678909
expect_bad_input "pin not digits" pinblock --format 0 --pin 12a4 --pan 4012345678909
expect_bad_input "bad format" pinblock --format 1 --pin 1234 --pan 4012345678909
expect_bad_input "unknown option" pinblock --format 0 --pin 1234 --pan 4012345678909 --foo 1
expect_bad_input "missing pan" pinblock --format 0 --pin 1234

# --- dukpt derive ----------------------------------------------------------------------
TDES_BDK=0123456789ABCDEFFEDCBA9876543210
AES_BDK=FEDCBA9876543210F1F1F1F1F1F1F1F1
expect_json "tdes derive E00001 (X9.24-1 A.4.2)" \
  '{"scheme":"tdes","ipek":"6AC292FAA1315B4D858AB3A3D7D5933A","pin_key":"042666B49184CF5C68DE9628D0397B36"}' \
  dukpt derive --bdk $TDES_BDK --ksn FFFF9876543210E00001
expect_json "tdes derive EFF800 (X9.24-1 A.4.3)" \
  '{"scheme":"tdes","ipek":"6AC292FAA1315B4D858AB3A3D7D5933A","pin_key":"F9CDFEBF4F5B1D61B3EC12454527E189"}' \
  dukpt derive --bdk $TDES_BDK --ksn FFFF9876543210EFF800
# An initial KSN (counter 0): the key to inject (X9.24-1 A.4.2's IPEK; X9.24-3's initial key), no working key.
expect_json "tdes derive initial KSN: the IPEK" '{"scheme":"tdes","ipek":"6AC292FAA1315B4D858AB3A3D7D5933A"}' \
  dukpt derive --bdk $TDES_BDK --ksn FFFF9876543210E00000
expect_json "aes derive initial KSN: the initial key" '{"scheme":"aes128","initial_key":"1273671EA26AC29AFA4D1084127652A1"}' \
  dukpt derive --bdk $AES_BDK --ksn 123456789012345600000000
aes=$("$ctl" dukpt derive --bdk $AES_BDK --ksn 123456789012345600000001)
if [[ "$aes" == '{"scheme":"aes128","initial_key":"1273671EA26AC29AFA4D1084127652A1","derivation_key":"4F21B565BAD9835E112B6465635EAE44","pin_key":"'*'"}' ]]; then pass; else fail "aes derive: $aes"; fi
# X9.24-3 working key: AES-ECB under the derivation key of the derivation data
# 01 | 01 | usage 1000 (PIN) | algorithm 0002 (AES-128) | length 0080 | IKID right half | counter.
want_pin_key=$(aes_ecb enc 4F21B565BAD9835E112B6465635EAE44 01011000000200809012345600000001)
if [[ "$(json_field pin_key "$aes")" == "$want_pin_key" ]]; then pass; else fail "aes pin_key $(json_field pin_key "$aes") != openssl $want_pin_key"; fi
aes256=$("$ctl" dukpt derive --bdk ${AES_BDK}${AES_BDK} --ksn 123456789012345600000001)
if [[ "$aes256" == '{"scheme":"aes256","initial_key":"CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F",'* ]]; then pass; else fail "aes256 derive: $aes256"; fi
expect_bad_input "bdk wrong size for tdes" dukpt derive --bdk 0123456789ABCDEF --ksn FFFF9876543210E00001
expect_bad_input "ksn wrong size" dukpt derive --bdk $TDES_BDK --ksn FFFF9876543210E000
expect_bad_input "bdk not hex" dukpt derive --bdk ZZ23456789ABCDEFFEDCBA9876543210 --ksn FFFF9876543210E00001

# --- pinblock encrypt ------------------------------------------------------------------
expect_json "tdes encrypt from initial KSN (A.4.2 #1)" '{"ksn":"FFFF9876543210E00001","pin_block":"1B9C1845EB993A7A"}' \
  pinblock encrypt --pin 1234 --pan 4012345678909 --bdk $TDES_BDK --ksn FFFF9876543210E00000
expect_json "tdes encrypt E00015 (A.4.2 #21)" '{"ksn":"FFFF9876543210E00015","pin_block":"72105C22EBC791E6"}' \
  pinblock encrypt --pin 1234 --pan 4012345678909 --bdk $TDES_BDK --ksn FFFF9876543210E00015
expect_json "tdes encrypt F00000 (A.4.3 last)" '{"ksn":"FFFF9876543210F00000","pin_block":"73EC88AD0AC5830E"}' \
  pinblock encrypt --pin 1234 --pan 4012345678909 --bdk $TDES_BDK --ksn FFFF9876543210F00000
expect_bad_input "tdes counter with 11 one-bits" pinblock encrypt --pin 1234 --pan 4012345678909 --bdk $TDES_BDK --ksn FFFF9876543210E007FF
enc=$("$ctl" pinblock encrypt --pin 1234 --pan 5237481234567895 --bdk $AES_BDK --ksn 123456789012345600000000 --fill FFC853BBF9685D5E)
if [[ "$(json_field ksn "$enc")" == 123456789012345600000001 ]]; then pass; else fail "aes encrypt ksn: $enc"; fi
# ISO 9564-1 format 4 decipher with openssl: P = D(D(C) XOR PAN field) must be the PIN field.
step1=$(aes_ecb dec "$want_pin_key" "$(json_field pin_block "$enc")")
plain=$(aes_ecb dec "$want_pin_key" "$(xor_hex "$step1" 45237481234567895000000000000000)")
if [[ "$plain" == 441234AAAAAAAAAAFFC853BBF9685D5E ]]; then pass; else fail "aes pin block deciphers to $plain"; fi

# --- emv (the kernel against the built-in virtual cards and a recorded trace) --------
bin=$emu  # expect_bad_input runs tender-emu in this section
here=$(cd "$(dirname "$0")" && pwd)
expect_emv() {  # expect_emv NAME REGEX ARGS...
  local name=$1 regex=$2; shift 2
  local out rc
  out=$("$emu" emv run "$@" 2>/tmp/tenderctl_err.$$); rc=$?
  if [[ $rc -ne 0 ]]; then fail "$name: exit $rc: $(cat /tmp/tenderctl_err.$$)"; return; fi
  if [[ "$out" =~ $regex ]]; then pass; else fail "$name: $out"; fi
}
TAGS='"online_tags":"([0-9A-F]{2})+"'
expect_emv "emv dda approved online" \
  "^\{\"aid\":\"A0000000031010\",\"label\":\"VISA CREDIT\",\"outcome\":\"approved_online\",\"tvr\":\"0000008000\",\"tsi\":\"F800\",\"cvm_results\":\"1E0300\",\"cryptogram\":\{\"type\":\"TC\"\},$TAGS\}$" \
  --card visa_dda --amount 12.34
expect_emv "emv online PIN, host declines" \
  "\"outcome\":\"declined_online\",\"tvr\":\"0000048000\",\"tsi\":\"F800\",\"cvm_results\":\"420300\",\"cryptogram\":\{\"type\":\"AAC\"\}" \
  --card visa_online_pin --amount 12.34 --pin 1234 --online decline
expect_emv "emv host unreachable" "\"outcome\":\"declined_offline\".*\"cryptogram\":\{\"type\":\"AAC\"\}" \
  --card mc_cda --amount 12.34 --online unreachable
expect_emv "emv card declines offline" "\"outcome\":\"declined_offline\".*\"cryptogram\":\{\"type\":\"AAC\"\}" \
  --card visa_decline_offline --amount 12.34
expect_emv "emv no common application" "\"outcome\":\"fallback\".*\"cryptogram\":null" --card unknown_aid --amount 12.34
expect_emv "emv blocked application" "\"outcome\":\"terminated\".*\"cryptogram\":null" --card visa_blocked --amount 12.34
expect_emv "emv replayed trace" \
  "\"outcome\":\"approved_online\",\"tvr\":\"0200008000\",\"tsi\":\"E800\",\"cvm_results\":\"1E0300\",\"cryptogram\":\{\"type\":\"TC\"\}" \
  --trace "$here/../data/traces/visa_sda.json" --amount 12.34
verbose=$("$emu" emv run --card visa_dda --amount 12.34 --verbose 2>/dev/null)
if [[ "$verbose" == *'"exchange":[{"c":"00A404000E315041592E5359532E444446303100"'* ]]; then pass; else fail "emv --verbose has no exchange"; fi
# visa_dda's PAN is the public test card 4761739001010267: its middle digits (beyond
# first 6 / last 4) must not appear; 8-digit windows over them cannot occur by chance
# in random signature bytes.
if grep -Eq '73900101|39001010|90010102' <<<"$verbose"; then
  fail "emv --verbose leaks PAN digits"
else pass; fi
cards=$("$emu" emv cards)
n=$(grep -o '"name":' <<<"$cards" | wc -l)
if (( n >= 12 )) && [[ "$cards" == *'"name":"visa_online_pin"'* ]]; then pass; else fail "emv cards lists $n"; fi
printf '{"exchanges":[{"c":"00A404000E315041592E5359532E444446303100","r":"6A82"}]}' >/tmp/tenderctl_short_trace.$$.json
expect_bad_input "emv trace runs out: unexpected command fails loudly" emv run --trace /tmp/tenderctl_short_trace.$$.json --amount 1.00
rm -f /tmp/tenderctl_short_trace.$$.json
expect_bad_input "emv unknown card" emv run --card no_such_card --amount 1.00
expect_bad_input "emv bad amount" emv run --card visa_dda --amount 1.234
expect_bad_input "emv bad online mode" emv run --card visa_dda --amount 1.00 --online maybe
expect_bad_input "emv both card and trace" emv run --card visa_dda --trace x.json --amount 1.00
# A PIN is 4 to 12 digits (ISO 9564-1): anything else is bad input, not a PIN entry that
# fails and falls back to a signature; the message never quotes the PIN.
for bad_pin in 12ab 123 1234567890123 "" "12 34" -1234 1234x; do
  expect_bad_input "emv pin '$bad_pin'" emv run --card visa_online_pin --amount 12.34 --pin "$bad_pin"
  if grep -Fq -- "${bad_pin:-@@}" /tmp/tenderctl_err.$$ 2>/dev/null && [[ ${#bad_pin} -ge 4 ]]; then
    fail "emv pin '$bad_pin': stderr quotes the PIN"
  else pass; fi
done
expect_emv "emv 12-digit pin accepted" "\"outcome\":\"declined_online\"" \
  --card visa_online_pin --amount 12.34 --pin 123456789012 --online decline

unset bin
expect_bad_input "tenderctl has no emv command (simulation)" emv cards

# --- general -------------------------------------------------------------------------
expect_bad_input "no such command" frobnicate
expect_bad_input "no command at all"
expect_bad_input "pan as command is scrubbed" 4111111111111111
"$ctl" --help >/dev/null || fail "--help exits non-zero"
# One --version style for every executable: "PROGRAM VERSION" on stdout, exit 0.
for prog in "$ctl" "$emu"; do
  name=$(basename "$prog")
  v=$("$prog" --version 2>/dev/null) || fail "$name --version exits non-zero"
  if [[ "$v" =~ ^$name\ [0-9]+\.[0-9]+\.[0-9]+$ ]]; then pass; else fail "$name --version prints '$v'"; fi
  h=$("$prog" --help 2>/dev/null) || fail "$name --help exits non-zero"
  if [[ "$h" == "usage: $name "* ]]; then pass; else fail "$name --help does not start with usage"; fi
done

rm -f /tmp/tenderctl_err.$$
echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
