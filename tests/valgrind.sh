#!/bin/sh
# The command-line paths under valgrind: no leaks, no invalid reads or
# writes. Run by `make test`.
set -u
B=$(pwd)/${BROKERAGE:-brokerage}
T=$(mktemp -d "${TMPDIR:-/tmp}/brokerage-vg-XXXXXX")
trap 'rm -rf "$T"' EXIT
printf 'database = "t.db";\ndemo = true;\n' >"$T/b.cfg"
pass=0 fail=0
vg() {
	name=$1 want=$2
	shift 2
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		"$B" --config "$T/b.cfg" "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL valgrind $name: exit $got (wanted $want)"; head -30 "$T/err"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
vg init-demo 0 init --demo --scale 0.02
vg init-again 0 --as admin init
vg check 0 --as admin check
vg export-csv 0 --as admin export service-users
vg export-json 0 --as admin export providers --format json
vg export-out 0 --as admin export providers --out "$T/p.csv"
vg backup 0 --as admin backup "$T/copy.db"
vg refused 77 --as officer export providers
vg unknown-login 77 --as nobody check
vg bad-usage 64 --as admin export nothing
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
