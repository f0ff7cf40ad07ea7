#!/bin/sh
# The whole tree follows its .clang-format (the root one; sim/ has its own): fails, naming the
# files, when clang-format would change any C++ file. Fix with scripts/format.sh.
# single_include/ is generated (tools/amalgamate.py) and not checked.
cd "$(dirname "$0")/../.." || exit 2
command -v clang-format >/dev/null 2>&1 || { echo "clang-format is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
files=$(scripts/format.sh --list) || exit 2
bad=""
for f in $files; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then
    echo "not formatted (run scripts/format.sh):$bad" >&2
    exit 1
fi
exit 0
