#!/bin/sh
# schemas.sh — the embedder refuses what would never run on a live
# database: a new migration numbered at or below the latest released, a
# released one changed or removed, two with one number.
set -u
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
cp schemas/*.sql schemas/RELEASED "$tmp/"
run() { sh tools/embed-schemas.sh "$tmp/RELEASED" $(ls "$tmp"/[0-9]*.sql | sort) >/dev/null 2>"$tmp/err"; }
expect_refused() { # name words
	if run; then bad "$1: embedded"; elif grep -q "$2" "$tmp/err"; then ok "$1"; else bad "$1: $(cat "$tmp/err")"; fi
}
run && ok "the schemas as they are" || { bad "the schemas as they are: $(cat "$tmp/err")"; }
printf 'SELECT 1;\n' > "$tmp/006_late.sql"
expect_refused "a new 006 below the latest released" "numbered 6, at or below 15"
rm "$tmp/006_late.sql"
printf 'SELECT 1;\n' > "$tmp/099_next.sql"
run && ok "a new one above the latest" || bad "a new one above the latest: $(cat "$tmp/err")"
printf 'SELECT 2;\n' > "$tmp/099_again.sql"
expect_refused "two with one number" "a second schema numbered 99"
rm "$tmp"/099_*.sql
printf -- '-- edited\n' >> "$tmp/004_calloff_lifecycle.sql"
expect_refused "a released migration edited" "004_calloff_lifecycle.sql was released and has changed"
cp schemas/004_calloff_lifecycle.sql "$tmp/"
rm "$tmp/013_funding.sql"
expect_refused "a released migration removed" "013_funding.sql was released and is gone"
exit $fail
