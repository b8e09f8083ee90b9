#!/bin/sh
# make run: shows how every sample table reads (encoding, delimiter, number convention,
# columns and types), checks input/ and templates/, then builds every report from
# templates/ into output/ (PDF and HTML, output/index.html to open them all).
set -u
cd "$(dirname "$0")/.."
status=0
echo "== the sample data (input/), as read"
for f in input/*.csv; do
    [ -f "$f" ] || continue
    ./baocao data "$f" >/dev/null || status=1
done
echo "== baocao check"
./baocao check || status=1
echo "== baocao build"
./baocao build || status=1
[ -f output/index.html ] && echo "open output/index.html ($(find output -name '*.pdf' | wc -l) PDF, $(find output -name '*.html' ! -name index.html | wc -l) HTML)"
exit $status
