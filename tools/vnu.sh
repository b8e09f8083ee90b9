#!/bin/sh
# Prints the path of the Nu HTML Checker's jar (vnu.jar), installing the pinned npm package
# vnu-jar (tools/vnu/package.json + package-lock.json) into build/vnu/ when it is missing or
# the lock file changed.  Install scripts are not run: the package's postinstall fetches a
# Java runtime from outside the npm registry, and the machine's Java (default-jre-headless,
# tools/deps.d/html.txt) runs the jar.  Fails with a message when npm or the registry is not
# there: the HTML validation test must not be skipped silently.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build/vnu"
jar="$dir/node_modules/vnu-jar/build/dist/vnu.jar"

if [ -f "$jar" ] && cmp -s "$top/tools/vnu/package-lock.json" "$dir/package-lock.json"; then
    echo "$jar"
    exit 0
fi
command -v npm >/dev/null 2>&1 || {
    echo "vnu: error: npm is not installed (it comes with nodejs); cannot install vnu-jar" >&2
    exit 1
}
mkdir -p "$dir"
cp "$top/tools/vnu/package.json" "$top/tools/vnu/package-lock.json" "$dir/"
echo "vnu: installing vnu-jar into build/vnu/ (npm ci)" >&2
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2) || {
    echo "vnu: error: npm ci failed in build/vnu/ (is the npm registry reachable?)" >&2
    rm -f "$dir/package-lock.json"
    exit 1
}
[ -f "$jar" ] || { echo "vnu: error: $jar missing after npm ci" >&2; exit 1; }
echo "$jar"
