#!/bin/sh
# Every code gcx sets itself (include/gcx/error_codes.hpp) has a row in the README's "Error codes"
# table, and the table names no code the header lacks. Fails, naming them.
cd "$(dirname "$0")/../.." || exit 2
header=$(sed -n 's/^inline constexpr std::string_view [a-z_]* *=$//; s/^ *"\([a-z_]*\)";.*/\1/p; s/^inline constexpr std::string_view [a-z_]* = "\([a-z_]*\)";.*/\1/p' \
    include/gcx/error_codes.hpp | sort -u)
table=$(sed -n '/^### Error codes/,/^### /p' README.md | grep '^| `' | cut -d'|' -f2 | grep -o '`[a-z_]*`' | tr -d '`' | sort -u)
[ -n "$header" ] && [ -n "$table" ] || { echo "no codes read (header: $(echo "$header" | wc -l), table: $(echo "$table" | wc -l))" >&2; exit 2; }
missing=$(printf '%s\n' "$header" | grep -vxF "$table")
extra=$(printf '%s\n' "$table" | grep -vxF "$header")
status=0
[ -z "$missing" ] || { echo "codes in error_codes.hpp without a row in README.md's Error codes table:" $missing >&2; status=1; }
[ -z "$extra" ] || { echo "codes in README.md's Error codes table that error_codes.hpp does not name:" $extra >&2; status=1; }
exit $status
