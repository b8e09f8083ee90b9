#!/bin/sh
# Installs the Debian packages baocao builds, tests and renders with, if any is missing.
# Run by every make target; cheap when everything is present (one dpkg-query).
set -eu

PKGS="gcc make pkg-config clang libclang-rt-14-dev
libcsv-dev libutf8proc-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev
libhpdf-dev libyaml-dev libfreetype-dev libcmocka-dev libcjson-dev
fonts-liberation2 fonts-noto-core qpdf poppler-utils python3"
# Extra packages a later stage needs are listed in tools/deps.d/*.txt (one per line).
for f in "$(dirname "$0")"/deps.d/*.txt; do
    [ -f "$f" ] && PKGS="$PKGS $(grep -v '^#' "$f" | tr '\n' ' ')"
done

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing${missing}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && SUDO="sudo" || {
        echo "deps: error: missing packages${missing}, and not root (no sudo)" >&2
        exit 1
    }
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
