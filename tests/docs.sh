#!/bin/sh
# docs.sh — the manual pages, --help and the bash completion cannot drift
# from the program: every command of tui/cli.c's table is in brokerage(1)
# and answers --help (exit 0, with an example); every config key of
# core/base/config.c's key table is in brokerage.cfg(5); the pages render without
# warnings; the completion offers the commands, options and config codes.
set -u
B=${BROKERAGE:-./brokerage}
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL docs: $1"; fail=$((fail + 1)); }

commands=$(sed -n 's/^	X(\([a-z_]*\), ".*/\1/p' tui/cli.c)
[ -n "$commands" ] && ok || bad "no commands found in tui/cli.c"
for c in $commands; do
	grep -Eq "^\.B $c( |$)" man/brokerage.1 && ok || bad "brokerage(1) lacks the command $c"
	out=$($B "$c" --help 2>&1); rc=$?
	[ $rc -eq 0 ] && ok || bad "$c --help exits $rc"
	echo "$out" | grep -q "^usage: brokerage $c" && ok || bad "$c --help has no usage line"
	echo "$out" | grep -q "^example:" && ok || bad "$c --help has no example"
	$B "$c" --no-such-option >/dev/null 2>"${TMPDIR:-/tmp}/docs-err.$$"
	rc=$?
	[ $rc -eq 64 ] && grep -q -- "--help" "${TMPDIR:-/tmp}/docs-err.$$" && ok || bad "$c with a bad option: exit $rc, no pointer at --help"
done
rm -f "${TMPDIR:-/tmp}/docs-err.$$"

keys=$(sed -n 's/^[^"]*{"\([a-z_]*\)", K_.*/\1/p' core/base/config.c | sort -u)
[ -n "$keys" ] && ok || bad "no config keys found in core/base/config.c"
for k in $keys; do
	grep -q "\\b$k\\b" man/brokerage.cfg.5 && ok || bad "brokerage.cfg(5) lacks the key $k"
done
colours=$(sed -n 's/^	X(\([a-z_]*\), ".*\/.*").*/\1/p' core/base/config.h)
for k in $colours; do
	grep -q "\\b$k\\b" man/brokerage.cfg.5 && ok || bad "brokerage.cfg(5) lacks the colour $k"
done

for page in man/brokerage.1 man/brokerage.cfg.5 man/brokerage.7; do
	warn=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] && ok || bad "$page: $warn"
done

# the completion, driven as bash would
if command -v bash >/dev/null; then
	comp() {
		bash -c '. completion/brokerage.bash
			brokerage() { "'"$B"'" "$@"; }
			COMP_WORDS=("'"$B"'" '"$1"'); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			_brokerage; printf "%s\n" "${COMPREPLY[@]}"'
	}
	comp "ex" | grep -qx export && ok || bad "completion: ex -> export"
	comp "export ''" | grep -qx providers && ok || bad "completion: export tables"
	comp "request new --ser" | grep -qx -- --service && ok || bad "completion: request options"
	comp "request new --service ''" | grep -qx HC && ok || bad "completion: service codes"
	comp "--config config/brokerage.cfg respite --locality ''" | grep -qx WAL && ok || bad "completion: locality codes from the config"
	comp "offer 1 2 --override ''" | grep -qx spot && ok || bad "completion: override reasons"
	comp "person add --s1" | grep -qx -- --s117 && ok || bad "completion: an option with digits (--s117)"
	comp "vary 1 --r" | grep -qx -- --rate && ok || bad "completion: vary --rate"
fi

echo "docs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
