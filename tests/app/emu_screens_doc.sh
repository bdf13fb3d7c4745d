#!/usr/bin/env bash
# tests/scenarios/SCREENS.md (the texts expect_display can match) is generated from the
# display's tables: fails, showing the difference, when the file no longer says what the
# generator prints (a screen or a result text changed without the document).
#   usage: emu_screens_doc.sh path/to/tender-emu-screens path/to/SCREENS.md
set -euo pipefail
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
"$1" >"$generated"
[[ -s $generated ]] || { echo "emu_screens_doc: the generator printed nothing"; exit 1; }
if ! diff -u "$2" "$generated"; then
  echo "emu_screens_doc: $2 differs from the generated text; regenerate it: build/app/tender-emu-screens > tests/scenarios/SCREENS.md"
  exit 1
fi
echo "emu_screens_doc: SCREENS.md is up to date"
