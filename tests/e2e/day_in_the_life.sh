#!/bin/sh
# Issue 12's journey, one day in the life: find a person, raise a request,
# decline at the primary, place with the secondary, a supervisor approves,
# an admin sees it in Audit. Prints its keystroke count (typed text counts
# as one per field); the count should only go down.
. tests/e2e/lib.sh
setup_db
presses=0
press() { for k in "$@"; do keys "$k"; presses=$((presses + 1)); done; }
typed() { type_text "$1"; presses=$((presses + 1)); }
name=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0) ok[key] = 1 }
		END { for (k in ok) if (n[k] == 1) { print k; exit } }')
family=${name#* }
ref=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, -v n="$name" 'NR > 1 && $4 " " $3 == n { print $1; exit }')
LOGIN=officer start_ui
press 2 /
typed "$name"
press Enter
check "the person" "brokerage | Person"
press n
press Tab
typed "45"
# Enter through the fields to the review line, then y
i=0
while [ $i -lt 9 ] && ! screen | grep -q "request: .* y/n"; do press Enter; i=$((i + 1)); done
check "the review line" "Save request: HC 45 hours/week"
press y
check "the match" "brokerage | Match"
press o
check "offered to the primary" "sent to Premier Care (primary)"
press d 2
check "declined at the primary" "declined: no staff in the area"
check "the cursor on the secondary" "^>.*secondary"
press o
check "offered to the secondary" "sent to Wirral Home Care Alliance (secondary)"
press a
check "a call-off awaiting approval" "awaiting approval"
co=$(screen | sed -n 's/.*Call-off \([0-9]*\):.*/\1/p' | head -1)
press Q
check "officer done" "EXITED 0"
tm kill-server
SOCK="$SOCK-sup"
LOGIN=supervisor start_ui
press 4
check "approvals" "brokerage | Approvals"
i=0
while [ $i -lt 40 ] && ! screen | grep -q "^>.*$family"; do press Down; i=$((i + 1)); done
press Enter
check "the approval detail" "Call-off $co for"
press a
check "the note box" "A note for the record"
typed "Agreed: complex needs"
press Enter
check "approved" "approved"
press Q
tm kill-server
SOCK="$SOCK-admin"
LOGIN=admin start_ui
press 6 p
typed "$ref"
press Enter
check "the admin sees the approval in Audit" "calloff.approve"
check "and the request" "request.create"
echo "e2e day_in_the_life: $presses keystrokes (typed text counts one per field)"
finish
