#!/usr/bin/env bash
# The product's executables (`tender`, `tenderctl`) carry no test key, test card or test PKI
# (ARCHITECTURE.md, product and simulation):
#   1. each link line names no simulation library (tender_sim_*), and does name the product's;
#   2. their bytes hold none of the test material: the X9.24 test BDKs and IPEK, the virtual
#      cards' test PKI (each key's n, d, p and q, as hex text and as raw bytes), and the built-in
#      card profiles' PANs.
# The same scan of tender-emu, which links the simulation, must find the material: a scan that
# finds nothing there could not find it in the product either.
#   product_test.sh BUILD_DIR SOURCE_DIR TENDER_EMU PRODUCT_PROGRAM...
# Prints what it found by name only (a label and a count), never the material itself.
set -euo pipefail
build=${1:?usage: product_test.sh BUILD_DIR SOURCE_DIR TENDER_EMU PRODUCT_PROGRAM...}
src=${2:?usage}
emu=${3:?usage}
shift 3
products=("$@")
(( ${#products[@]} > 0 )) || { echo "usage: no product program given"; exit 2; }
export LC_ALL=C
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- 1. the link lines -----------------------------------------------------------------
for program in "${products[@]}"; do
  name=$(basename "$program")
  if [[ -f "$build/build.ninja" ]]; then
    link=$(ninja -C "$build" -t commands "$name" | tail -n 1)
  elif [[ -f "$build/app/CMakeFiles/$name.dir/link.txt" ]]; then
    link=$(cat "$build/app/CMakeFiles/$name.dir/link.txt")
  else
    fail "no link command for $name in $build (neither Ninja nor Makefiles)"
    link=""
  fi
  if [[ -n "$link" ]]; then
    [[ $link == *libtender_app_engine.a* ]] || fail "the link line read is not $name's (no libtender_app_engine.a)"
    sims=$(grep -o 'libtender_sim_[a-z_]*\.a' <<<"$link" | sort -u | tr '\n' ' ' || true)
    [[ -z "$sims" ]] || fail "$name links simulation libraries: $sims"
  fi
done

# --- 2. the bytes --------------------------------------------------------------------------
# label<TAB>hex, one per line: the material to look for, as hex text and as raw bytes. A
# label ending in "(as text)" is looked for as hex text only: the X9.24-1 test BDK's sixteen
# bytes are SHA-1's (and MD5's) initial hash value, 67452301 EFCDAB89 98BADCFE 10325476 stored
# little-endian (FIPS 180-4 5.3.1, RFC 1321 3.3), which every binary with a SHA-1 carries:
# on aarch64 Beast's websocket key hash loads the four words as one 16-byte literal. Its test
# IPEK, derived from it, is still looked for in both forms.
material=$(mktemp)
trap 'rm -f "$material"' EXIT
{
  printf 'X9.24-1 test BDK (as text)\t0123456789ABCDEFFEDCBA9876543210\n'
  printf 'X9.24-1 A.4 test IPEK\t6AC292FAA1315B4D858AB3A3D7D5933A\n'
  printf 'X9.24-3 test BDK\tFEDCBA9876543210F1F1F1F1F1F1F1F1\n'
  # The first 16 bytes of each key part: enough to be unique, short enough to grep.
  grep -o '"\(name\|n\|d\|p\|q\)": "[^"]*"' "$src/drivers/icc/sim/pki/keys.json" |
    awk -F'"' '$2 == "name" { name = $4; next } { printf "test PKI %s.%s\t%s\n", name, $2, substr($4, 1, 32) }'
} >"$material"
pans=$(grep -ho '"pan": "[0-9]*"' "$src"/drivers/icc/sim/cards/*.json | cut -d'"' -f4 | sort -u)
[[ $(wc -l <"$material") -ge 20 ]] || fail "the test material list is short ($(wc -l <"$material") lines): keys.json changed shape?"
[[ $(wc -w <<<"$pans") -ge 10 ]] || fail "fewer than 10 card PANs read from the profiles"

# found BINARY: prints one label per piece of material in BINARY.
found() {
  local binary=$1 label hex raw
  while IFS=$'\t' read -r label hex; do
    if grep -qaF -e "$hex" -e "${hex,,}" "$binary"; then
      echo "$label"
      continue
    fi
    [[ $label == *"(as text)" ]] && continue
    raw=$(sed 's/../\\x&/g' <<<"$hex")
    # Twice for the raw bytes: grep splits at newlines, and with -z at NUL bytes.
    if grep -qaP "$raw" "$binary" || grep -qazP "$raw" "$binary"; then
      echo "$label"
    fi
  done <"$material"
  for pan in $pans; do
    grep -qaF "$pan" "$binary" && echo "card PAN ${pan:0:6}...${pan: -4}"
  done
  return 0
}
total=$(( $(wc -l <"$material") + $(wc -w <<<"$pans") ))
for program in "${products[@]}"; do
  in_product=$(found "$program")
  if [[ -n "$in_product" ]]; then
    fail "$(basename "$program") carries test material:"
    sed 's/^/  /' <<<"$in_product"
  fi
done
in_emu=$(found "$emu")
emu_count=$(grep -c . <<<"$in_emu" || true)
# tender-emu embeds the PKI and every profile (the test BDKs live in the host simulator).
[[ $emu_count -ge $((total - 3)) ]] || fail "the scan found only $emu_count of $total pieces in tender-emu: it cannot be trusted"
names=$(for p in "${products[@]}"; do basename "$p"; done | tr '\n' ' ')
echo "product_test: ${names}link no simulation library; 0 of $total pieces of test material in them, $emu_count in tender-emu"
if ((failures > 0)); then
  echo "product_test: $failures failure(s)"
  exit 1
fi
