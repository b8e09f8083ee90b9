#!/bin/sh
# make run: renders the sample reports from input/ into output/.
# Each stage is added here as it lands (README, "What make run does").
set -eu
cd "$(dirname "$0")/.."
status=0
for f in input/*.csv; do
    [ -f "$f" ] || continue
    ./baocao data "$f" >/dev/null || status=1
done
exit $status
