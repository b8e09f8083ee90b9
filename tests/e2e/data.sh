#!/bin/sh
# baocao data on every fixture of tests/data/ (expected stdout in tests/data/expected/NAME.tsv,
# stderr in NAME.err; bad-*.csv must exit 1, the others 0), --json on one, and baocao check
# on the small project tests/data/project/ (rule, bound and duplicate-key violations).
. tests/e2e/common.inc

for f in tests/data/*.csv; do
    fx=$(basename "$f" .csv)
    want=0
    case "$fx" in bad-*) want=1 ;; esac
    expect_status "data $fx status" $want "$BAOCAO" data "$f"
    if cmp -s "$E2E_TMP/out" "tests/data/expected/$fx.tsv"; then ok; else
        bad "data $fx: stdout differs"; diff "tests/data/expected/$fx.tsv" "$E2E_TMP/out" | head -10; fi
    if cmp -s "$E2E_TMP/err" "tests/data/expected/$fx.err"; then ok; else
        bad "data $fx: stderr differs"; diff "tests/data/expected/$fx.err" "$E2E_TMP/err" | head -10; fi
done

expect_status "data --json" 0 "$BAOCAO" data --json tests/data/semicolon-vn.csv
check "data --json output" cmp -s "$E2E_TMP/out" tests/data/expected/semicolon-vn.json
expect_status "data usage" 2 "$BAOCAO" data
expect_status "data missing file" 1 "$BAOCAO" data tests/data/no-such-file.csv
expect_grep "data missing file message" "no-such-file.csv: error" "$E2E_TMP/err"
expect_status "data --dict explicit" 0 "$BAOCAO" data --dict tests/data/columns.csv tests/data/ambiguous.csv
expect_status "data --convention en" 0 "$BAOCAO" data --no-dict --convention en tests/data/ambiguous.csv
expect_grep "convention en reads 1.234 as a decimal" "^01	2022	1\.234$" "$E2E_TMP/out"

expect_status "check project" 1 "$BAOCAO" check -C tests/data/project
check "check project errors" cmp -s "$E2E_TMP/err" tests/data/expected/project.err
expect_grep "check: Hòa/Hoà Bình is one key" "htx_tinh.csv:3:1: error: duplicate" "$E2E_TMP/err"
expect_status "check usage" 2 "$BAOCAO" check --bogus
finish
