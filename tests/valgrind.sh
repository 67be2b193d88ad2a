#!/bin/sh
# The command-line paths under valgrind: no leaks, no invalid reads or
# writes. Run by `make test`.
set -u
B=$(pwd)/${BROKERAGE:-brokerage}
BD=$(pwd)/${BROKERAGE_DEMO:-build/brokerage-demo}
T=$(mktemp -d "${TMPDIR:-/tmp}/brokerage-vg-XXXXXX")
trap 'rm -rf "$T"' EXIT
printf 'database = "t.db";\n' >"$T/b.cfg"
mkdir "$T/files"   # caller-named files never go beside the database
pass=0 fail=0
vg() {
	name=$1 want=$2
	shift 2
	valgrind -q --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		${VG_BIN:-$B} --config "$T/b.cfg" "$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL valgrind $name: exit $got (wanted $want)"; head -30 "$T/err"; fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
VG_BIN=$BD; vg init-demo 0 init --demo --scale 0.02
VG_BIN=$B
vg init-demo-refused 77 init --demo --scale 0.02
vg init-again 0 --as admin init
vg check 0 --as admin check
vg export-csv 0 --as admin export service-users
vg export-json 0 --as admin export providers --format json
vg export-out 0 --as admin export providers --out "$T/files/p.csv"
vg export-refused-beside-db 77 --as admin export providers --out "$T/p.csv"
vg backup 0 --as admin backup "$T/files/copy.db"
vg check-witness-missing 66 --as admin check --witness "$T/files/none.log"
"$B" --config "$T/b.cfg" --as admin export service-users >"$T/people.csv" 2>/dev/null
"$B" --config "$T/b.cfg" --as admin export providers >"$T/providers.csv" 2>/dev/null
vg import-dry-run 0 --as admin import service-users "$T/people.csv" --dry-run
vg import-unchanged 0 --as admin import providers "$T/providers.csv"
printf 'name,cqc_rating\nA,Goood\n"B\n' >"$T/bad.csv"
vg capacity-set 0 --as admin capacity set 1 --service HC --locality WAL --free 9
vg rate-set 0 --as admin rate set 1 --service HC --pence 2150 --from 2027-04-01
vg award-add 0 --as admin award add 2 --service SL --tier peripheral --from 2027-04-01
vg award-refused 65 --as admin award add 3 --service HC --tier primary --locality WW --from 2027-04-01
vg registration-add 0 --as admin registration add 2 --service SL --need AUT
vg person-add 0 --as officer person add --nhs 4010232137 --family Doe --given Jane --dob 1950-01-01 --postcode "CH41 5LH" --locality BIR --need LD --other-needs PD
vg person-edit 0 --as officer person edit "$(cat "$T/out")" --postcode "CH45 2AA" --other-needs ""
vg person-close 0 --as officer person close "$("$B" --config "$T/b.cfg" --as admin export service-users | awk -F, '$2 == "4010232137" { print $1 }')" --reason moved_away --cancel-requests
vg person-close-refused 65 --as officer person close "$("$B" --config "$T/b.cfg" --as admin export service-users | awk -F, '$2 == "4010232137" { print $1 }')" --reason closed
vg person-restrict 0 --as admin person restrict "$("$B" --config "$T/b.cfg" --as admin export service-users | awk -F, '$2 == "4010232137" { print $1 }')" on --reason "staff relative"
vg person-add-refused 77 --as viewer person add --nhs 4505577104 --family Doe --given Jo --dob 1950-01-01 --postcode "CH41 5LH" --locality BIR --need LD
vg import-bad 65 --as admin import providers "$T/bad.csv"
ref=$("$B" --config "$T/b.cfg" --as admin export service-users | awk -F, '$7 == "BIR" && $10 == "active" && $12 == 0 { print $1; exit }')
vg request 0 --as officer request new --user "$ref" --service HC --units 8 --start "$(date -u -d '+9 days' +%Y-%m-%d)" --urgency urgent --funding CHC
req=$(cat "$T/out")
vg match 0 --as officer match "$req"
vg match-json 0 --as officer match "$req" --json
vg offer-refused 77 --as officer offer "$req" 2
vg offer 0 --as officer offer "$req" 1
offer=$(cat "$T/out")
vg decline 0 --as officer respond "$offer" decline --reason no_staff
vg correct 0 --as officer respond "$offer" correct --note "recorded on the wrong provider"
vg withdraw 0 --as officer respond "$offer" withdraw --note "offered in error"
vg offer-again 0 --as officer offer "$req" 1
offer=$(cat "$T/out")
vg accept 0 --as officer respond "$offer" accept
co=$(sed -n 's/^call-off \([0-9]*\):.*/\1/p' "$T/out")
vg workorder 0 --as officer workorder "$co"
vg workorder-out 0 --as officer workorder "$co" --out "$T/files/wo.txt"
vg workorder-refused 77 --as viewer workorder "$co"
vg handback 0 --as officer handback "$co" --reason no_staff --date "$(date -u -d '+20 days' +%Y-%m-%d)"
vg suspend-refused 77 --as officer provider suspend 1 --reason "Safeguarding concern"
vg suspend 0 --as supervisor provider suspend 1 --reason "Safeguarding concern"
vg reinstate 0 --as admin provider reinstate 1 --note "Embargo lifted after review"
vg provider-add 0 --as admin provider add --name "Wirral Care Co" --cqc 1-123456789 --localities WAL,BIR
newp=$(cat "$T/out")
vg provider-edit 0 --as admin provider edit "$newp" --phone "0151 555 0100" --localities SW
vg provider-add-refused 65 --as admin provider add --name "Wirral Care Co"
vg provider-leave 0 --as supervisor provider leave 2 --on "$(date -u +%Y-%m-%d)" --note "contract ended"
vg export-restricted 0 --as admin export service-users --include-restricted --reason "Subject access request"
vg export-restricted-refused 77 --as viewer export service-users --include-restricted --reason "x"
vg export-calloffs 0 --as admin export calloffs --format json
vg respite-list 0 --as oncall respite --user "$ref"
# live packages (issue 16)
today=$(date -u +%Y-%m-%d)
# another person: $ref's request is open again after the hand-back (one open request per service)
ref2=$("$B" --config "$T/b.cfg" --as admin export service-users | awk -F, -v r="$ref" '$7 == "BIR" && $10 == "active" && $12 == 0 && $1 != r { print $1; exit }')
"$B" --config "$T/b.cfg" --as officer request new --user "$ref2" --service HC --units 6 --start "$today" --urgency routine --funding ASC >"$T/req2"
offer2=$("$B" --config "$T/b.cfg" --as officer offer "$(cat "$T/req2")" 1)
co2=$("$B" --config "$T/b.cfg" --as officer respond "$offer2" accept | sed -n 's/^call-off \([0-9]*\):.*/\1/p')
vg pause 0 --as officer pause "$co2" --from "$today" --reason hospital --retain
vg resume 0 --as officer resume "$co2" --from "$today"
vg pause-later 0 --as officer pause "$co2" --from "$(date -u -d '+3 days' +%Y-%m-%d)" --reason away --release
vg resume-calls-off 0 --as officer resume "$co2" --from "$today"
vg vary 0 --as officer vary "$co2" --units 8 --asc-pct 90 --from "$(date -u -d '+7 days' +%Y-%m-%d)" --reason "More help"
vg end-refused 65 --as officer end "$co2" --from "$today" --reason moved_away
vg take 0 --as officer take "$req"
vg takeover-refused 77 --as msmith take "$req"
vg assign 0 --as supervisor assign "$req" officer
vg deceased 0 --as officer person deceased "$ref" --date "$today"
vg vary-help 0 vary --help
for r in waiting pickup tiers spend market handbacks declines approvals respite residential; do
	vg "report-$r" 0 --as supervisor report "$r"
done
vg report-csv 0 --as viewer report market --format csv --locality WAL
vg report-json 0 --as admin report pickup --format json --service HC --from 2026-01-01
vg report-refused 77 --as officer report spend
vg report-bad-range 64 --as supervisor report tiers --from 2026-11-01 --to 2026-10-01
vg approve-refused 77 --as officer approve 1
vg refused 77 --as officer export providers
vg unknown-login 77 --as nobody check
vg bad-usage 64 --as admin export nothing
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
