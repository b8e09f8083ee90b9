#!/bin/sh
# Runs every test program in each build directory given, then every end-to-end script in
# tests/e2e/ against ./baocao, and closes with one line: "N passed, N failed".
#
# A cmocka program reports "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"; a spec
# runner or an e2e script ends with its own "N passed, N failed" line.  A program that dies
# without a summary (a sanitizer abort, a crash) counts as one failure.
set -u
: "${SHARED:=$(cd "$(dirname "$0")/../.." && pwd)/shared}"
export SHARED
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

passed=0; failed=0; broken=""
log=$(mktemp); trap 'rm -f "$log"' EXIT

count() {  # count NAME STATUS: adds the summary in $log to the totals
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        line=$(grep -E '^[A-Za-z]*:? ?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
        p=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p'); p=${p:-0}
        f=$(echo "$line" | sed -n 's/.*passed, \([0-9][0-9]*\) failed.*/\1/p'); f=${f:-0}
    fi
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then broken="$broken $1"; fi
    printf '%-48s %5d passed, %d failed\n' "$1" "$p" "$f"
    if [ "$f" -ne 0 ]; then sed 's/^/    | /' "$log" | tail -60; fi
}

for dir in "$@"; do
    for t in "$dir"/tests/*; do
        case "$t" in *.o|*.d) continue ;; esac
        [ -x "$t" ] || continue
        "$t" >"$log" 2>&1; st=$?
        count "$(basename "$dir")/$(basename "$t")" $st
    done
done

for s in tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    BAOCAO="$top/baocao" sh "$s" >"$log" 2>&1; st=$?
    count "e2e/$(basename "$s" .sh)" $st
done

[ -n "$broken" ] && echo "failing:$broken"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
