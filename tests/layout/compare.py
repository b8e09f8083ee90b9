#!/usr/bin/env python3
"""compare.py A.pgm B.pgm [TOLERANCE]: exit 0 when two greyscale renders (binary PGM, as
pdftoppm -gray writes) have the same size and their mean absolute pixel difference is at
most TOLERANCE (grey levels, default 2.0); prints the difference."""
import sys


def read_pgm(path):
    data = open(path, 'rb').read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b'P5':
        sys.exit('%s: not a binary PGM' % path)
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + w * h]


def main():
    a, b = read_pgm(sys.argv[1]), read_pgm(sys.argv[2])
    tol = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    if a[:2] != b[:2]:
        print('size differs: %dx%d vs %dx%d' % (a[0], a[1], b[0], b[1]))
        return 1
    diff = sum(abs(x - y) for x, y in zip(a[2], b[2])) / float(len(a[2]) or 1)
    print('mean difference %.3f (tolerance %.1f)' % (diff, tol))
    return 0 if diff <= tol else 1


sys.exit(main())
