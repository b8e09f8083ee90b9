#!/bin/sh
# tools/readme-pictures.sh [BAOCAO]: renders page 1 of each shipped report from the sample
# data and writes it as a small PNG to docs/img/ (committed; the README shows them).
# Run from the project folder, after `make` (the Makefile's `pictures` target does both).
# Needs poppler-utils (pdftoppm). Dated by SOURCE_DATE_EPOCH (6 January 2023) so that the
# pictures only change when the reports do.
set -eu
BAOCAO=${1:-./baocao}
OUT=docs/img
SIZE=${PICTURE_SIZE:-360} # pixels, the page's long side
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1672963200}
mkdir -p "$OUT"

# picture NAME TEMPLATE [--where COL=VALUE]...: page 1 of one document → $OUT/NAME.png
picture() {
    name=$1; shift
    "$BAOCAO" render "$@" --format pdf -o "$tmp/$name.pdf"
    pdftoppm -png -f 1 -l 1 -singlefile -scale-to "$SIZE" "$tmp/$name.pdf" "$tmp/$name"
    mv "$tmp/$name.png" "$OUT/$name.png"
    echo "$OUT/$name.png"
}

picture tong-ket-nam templates/tong-ket-nam.md --where ma_tinh=37 --where nam=2022
picture so-sanh-tinh templates/so-sanh-tinh.md --where nam=2022
picture xu-huong templates/xu-huong.md --where ma_tinh=37
