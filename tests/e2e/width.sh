#!/bin/sh
# Finding 5 of issue 12: at 80x24 nothing that decides an action is cut (the
# Match shows the selected provider in full, its rating and every reason;
# footers end whole; long messages wrap); at 200x50 the width goes to the
# columns that were cut (provider names, reasons, who can approve).
. tests/e2e/lib.sh
setup_db
name=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0) ok[key] = 1 }
		END { for (k in ok) if (n[k] == 1) { print k; exit } }')
open_match() {
	keys 2 /
	type_text "$name"
	keys Enter
	check "$1: person" "brokerage | Person"
	keys n
	save_request
	check "$1: match" "brokerage | Match"
}
start_ui
open_match 80
keys Down
check "80: the list cuts the long name" "^>.*Wirral Home Care Allia "
check "80: the selected provider in full, with its tier and rating" "Wirral Home Care Alliance (secondary tier), CQC "
check "80: the footer ends whole" "q back *$"
keys q q q q y
tm kill-server
SOCK="$SOCK-wide"
start_shell 200 50
run "$B --config $T/b.cfg --as officer; echo EXITED \$?"
wait_for "q quit" || true
open_match 200
check "200: the name column is wide enough for the full name" "^ .*Wirral Home Care Alliance  "
check "200: the CQC rating column" "CQC rating"
keys q q q q y
tm kill-server
SOCK="$SOCK-sup"
start_shell 200 50
run "$B --config $T/b.cfg --as supervisor; echo EXITED \$?"
wait_for "q quit" || true
keys 4
check "200: approvals show who can approve" "Who can approve"
check "200: and who proposed" "Proposed by"
finish
