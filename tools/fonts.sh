#!/bin/sh
# Fills fonts/ from Debian's font packages: Liberation Serif/Sans 2.x (metric-compatible with
# Times New Roman, which Nghị định 30 prescribes) and Noto Serif/Sans, four faces each, with
# their licences. Font binaries are not committed.
set -eu
dst=${1:-fonts}
mkdir -p "$dst"
lib=/usr/share/fonts/truetype/liberation2
noto=/usr/share/fonts/truetype/noto
for fam in LiberationSerif LiberationSans LiberationMono; do
    for f in Regular Bold Italic BoldItalic; do
        cp -f "$lib/$fam-$f.ttf" "$dst/"
    done
done
for fam in NotoSerif NotoSans; do
    for f in Regular Bold Italic BoldItalic; do
        cp -f "$noto/$fam-$f.ttf" "$dst/"
    done
done
cp -f /usr/share/doc/fonts-liberation2/copyright "$dst/LICENSE-Liberation.txt"
cp -f /usr/share/doc/fonts-noto-core/copyright "$dst/LICENSE-Noto.txt"
