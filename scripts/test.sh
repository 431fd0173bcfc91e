#!/usr/bin/env bash
# Runs the whole test suite, installing what the tests need first.
# Ends with one line "N passed, N failed[, N skipped]" computed from bun test's own counts.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"

status=0
echo "== lint"; biome check . || status=1
echo "== typecheck"; tsc --noEmit || status=1

echo "== bun test"
out=$(mktemp)
bun test "$@" 2>&1 | tee "$out"
test_rc=${PIPESTATUS[0]}
pass=$(grep -Eo '^ *[0-9]+ pass$' "$out" | tail -1 | grep -Eo '[0-9]+' || echo 0)
fail=$(grep -Eo '^ *[0-9]+ fail$' "$out" | tail -1 | grep -Eo '[0-9]+' || echo 0)
skip=$(grep -Eo '^ *[0-9]+ skip$' "$out" | tail -1 | grep -Eo '[0-9]+' || echo 0)
rm -f "$out"
# lint/typecheck failures count as failed checks so a red run never reads as green.
[ $status -ne 0 ] && fail=$((fail + 1))
[ "$test_rc" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1
echo "$pass passed, $fail failed, $skip skipped"
[ "$test_rc" -eq 0 ] && [ $status -eq 0 ]
