#!/bin/sh
# The whole tree follows its .clang-format (the root one; sim/ has its own): fails, naming the
# files, when clang-format would change any C++ file. Fix with scripts/format.sh.
# single_include/ is generated (tools/amalgamate.py) and not checked.
cd "$(dirname "$0")/../.." || exit 2
command -v clang-format >/dev/null 2>&1 || { echo "clang-format is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
list=$(scripts/format.sh --list) || exit 2
# One clang-format per 64 files (not one per file): --dry-run -Werror reports each place it would
# change as "<file>:<line>:<col>: error: ...".
out=$(printf '%s\n' $list | xargs -n 64 clang-format --dry-run -Werror 2>&1)
bad=$(printf '%s\n' "$out" | sed -n 's/^\([^: ]*\):[0-9]*:[0-9]*: error:.*/\1/p' | sort -u)
if [ -n "$bad" ] || printf '%s\n' "$out" | grep -q 'error'; then
    echo "not formatted (run scripts/format.sh):" >&2
    printf '%s\n' "${bad:-$out}" >&2
    exit 1
fi
exit 0
