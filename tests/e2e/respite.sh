#!/bin/sh
# On-call at night: ! , a surname, Enter, Enter: booked. Home shows it to the
# day team; the supervisor sees it in Approvals and approves it.
. tests/e2e/lib.sh
setup_db
# an active person with a bed free tonight for their need, a surname nobody else has
pick=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { n[$3]++; if ($10 == "active" && $12 == 0) ok[$3] = $1 } END { for (f in ok) if (n[f] == 1) print ok[f] "," f }' |
	while IFS=, read -r ref fam; do
		if "$B" --config "$T/b.cfg" --as oncall respite --user "$ref" | grep -q ' of .* free'; then echo "$ref,$fam"; break; fi
	done)
ref=${pick%%,*} family=${pick#*,}
[ -n "$ref" ] || { echo "e2e respite: nobody with a bed free tonight"; exit 1; }
LOGIN=oncall start_ui
check "on-call's footer shows !" "! respite"
presses=0
keys '!'; presses=$((presses + 1))
check "respite opens from Home" "brokerage | Emergency respite"
type_text "$family"
check "the person is found" "> $ref"
keys Enter; presses=$((presses + 1))
check "beds free tonight, nearest first" "free tonight for this need"
keys Enter; presses=$((presses + 1))
check "booked" "BOOKED"
check "the phone number to call" "Phone .* now: 0151"
check "a line to read out" "approval due"
echo "e2e respite: booked in $presses keystrokes after ! (plus typing the surname); the goal is at most 10"
[ "$presses" -le 10 ] && ok || bad "took $presses keystrokes"
keys Escape
check "back where it was" "brokerage | Home"
keys q
tm kill-server
SOCK="$SOCK-day"
LOGIN=officer start_ui
check "the day team sees the overnight booking on Home" "Booked overnight: [1-9]"
keys q
tm kill-server
SOCK="$SOCK-sup"
LOGIN=supervisor start_ui
keys 4
check "Approvals lists the booking" "$family"
keys End Enter
check "the on-call booking, not another" "Call-off [0-9]* for $family"
check "as an emergency booking" "emergency booking, approved afterwards"
check "due on the next working day" "Proposed by oncall .*; due 20"
keys a
type_text "Agreed"
keys Enter
check "approved" "approved."
n=$("$B" --config "$T/b.cfg" --as admin export calloffs | awk -F, '$4 == "emergency" && $5 == "active" && $17 == "oncall"' | wc -l)
[ "$n" -ge 1 ] && ok || bad "no active emergency call-off by oncall"
finish
