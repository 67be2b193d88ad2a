#!/bin/sh
# Finding 5 of issue 12: at 80x24 nothing that decides an action is cut (the
# Match shows the selected provider in full, its rating and every reason;
# footers end whole; long messages wrap); at 200x50 the width goes to the
# columns that were cut (provider names, reasons, who can approve).
# Second pass: the Match's request line wraps rather than being cut; a long
# message is read in full with M (the message history); the approval's
# detail and the call-off wrap their cost and reasons; the Match and the
# respite finder lay out their columns by the list's priorities, so at 200
# columns the CQC rating and the reasons are whole, and the respite finder
# shows the selected bed in full at 80.
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
	if [ -n "${2:-}" ]; then keys Tab C-u; type_text "$2"; fi
	save_request
	check "$1: match" "brokerage | Match"
}
start_ui
open_match 80 45
keys Down
check "80: the list cuts the long name" "^>.*Wirral Home Care Allia"
check "80: the selected provider in full, with its tier and rating" "Wirral Home Care Alliance (secondary tier), CQC "
check "80: the footer ends whole" "q back *$"
check "80: the request line wraps: its need is not cut" "need [A-Z][A-Z]*$"
keys Up o
check "80: offered" "sent to Premier Care"
keys a
check "80: the call-off" "brokerage | Call-off"
check "80: the call-off's cost whole, with its year" "a year)\\|^ *year)"
check "80: the reason it needs approval, whole" "threshold for$"
keys M
check "80: M shows the messages in full" "brokerage | Messages"
check "80: the long message whole" "threshold for Care and support at home"
keys q q q q q q y
tm kill-server
SOCK="$SOCK-80sup"
start_shell
run "$B --config $T/b.cfg --as supervisor; echo EXITED \$?"
wait_for "q quit" || true
keys 4
check "80: approvals" "brokerage | Approvals"
i=0
while [ $i -lt 30 ] && ! screen | grep -q "^>.*${name#* }"; do keys Down; i=$((i + 1)); done
keys Enter
check "80: the approval's cost wraps: the year is whole" "a year"
check "80: its reason whole" "threshold for Care and support at"
check_not "80: the cascade's times are local, not UTC stamps" "[0-9]T[0-9][0-9]:[0-9][0-9]"
keys q q Q
tm kill-server
SOCK="$SOCK-80resp"
start_shell
run "$B --config $T/b.cfg --as officer; echo EXITED \$?"
wait_for "q quit" || true
keys !
type_text "$name"
keys Enter
check "80: the respite finder's beds" "beds\? free tonight"
check "80: the selected bed in full, with its phone" "night; phone"
keys Escape Q
tm kill-server
tm kill-server
SOCK="$SOCK-wide"
start_shell 200 50
run "$B --config $T/b.cfg --as officer; echo EXITED \$?"
wait_for "q quit" || true
open_match 200
check "200: the name column is wide enough for the full name" "^ .*Wirral Home Care Alliance  "
check "200: the CQC rating column" "CQC rating"
check "200: the reasons whole in the list" "^ .*a higher tier can still answer"
keys q q q q y
tm kill-server
SOCK="$SOCK-wresp"
start_shell 200 50
run "$B --config $T/b.cfg --as officer; echo EXITED \$?"
wait_for "q quit" || true
keys !
type_text "$name"
keys Enter
check "200: the respite finder's CQC rating column" "Night CQC rating                "
tm kill-server
SOCK="$SOCK-sup"
start_shell 200 50
run "$B --config $T/b.cfg --as supervisor; echo EXITED \$?"
wait_for "q quit" || true
keys 4
check "200: approvals show who can approve" "Who can approve"
check "200: and who proposed" "Proposed by"
check "200: the reason it needs approval whole in the row" "Premier Care  *£921.60  weekly cost .*threshold for Care and support at home"
keys 3
check "200: Providers give width to Member of, not only the name" "Wirral Home Care Alliance  "
finish
