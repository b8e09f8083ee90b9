#!/bin/sh
# Runs each named libFuzzer harness for SECONDS on a scratch copy of its seed corpus.
# usage: tools/fuzz.sh BUILD_DIR SECONDS NAME...
set -eu
dir=$1; secs=$2; shift 2
mkdir -p "$dir/crashes"
status=0
for name in "$@"; do
    work="$dir/corpus-$name"
    mkdir -p "$work"
    [ -d "tests/fuzz/corpus/$name" ] && cp -r "tests/fuzz/corpus/$name/." "$work/"
    dict=""
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    echo "fuzz: $name for ${secs}s"
    # shellcheck disable=SC2086
    if ! "$dir/fuzz_$name" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$dir/crashes/$name-" "$work" \
            >"$dir/fuzz_$name.log" 2>&1; then
        echo "fuzz: $name FAILED, see $dir/fuzz_$name.log and $dir/crashes/" >&2
        tail -30 "$dir/fuzz_$name.log" >&2
        status=1
    else
        grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "$dir/fuzz_$name.log" | tail -1
    fi
done
exit $status
