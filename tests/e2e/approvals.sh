#!/bin/sh
# An officer proposes a call-off over the weekly threshold; a supervisor sees
# it on Home and in Approvals and approves it; the person's record shows it
# approved and the audit lists both steps.
. tests/e2e/lib.sh
setup_db
name=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0) ok[key] = 1 }
		 END { for (k in ok) if (n[k] == 1) { print k; exit } }')
family=${name#* }
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
LOGIN=officer start_ui
keys 2 /
type_text "$name"
keys Enter
check "person" "brokerage | Person"
keys n
check "form" "New request for"
keys Tab C-u
type_text "45"
keys Tab C-u
type_text "$tomorrow"
save_request
check "match" "brokerage | Match"
keys o
check "offered to the primary" "sent to Premier Care (primary)"
keys a
check "over the threshold: awaiting approval, in words" "awaiting approval: weekly cost"
check "funding in words, not council 100%, NHS CHC 0%" "Funding    council-funded"
check_not "no rule codes on screen" "weekly_cost"
keys q q q q q y
check "officer done" "EXITED 0"
tm kill-server
SOCK="$SOCK-sup"
LOGIN=supervisor start_ui
check "supervisor's Home counts approvals" "Awaiting approval: [1-9]"
keys Tab Tab Tab
check "Home's approvals list shows it" "$family"
keys 4
check "Approvals screen" "brokerage | Approvals"
check "it is in the queue" "$family"
check "with the rule in words" "weekly cost"
# open the officer's one: it is the newest, so the last row
keys End Enter
check "approval detail" "brokerage | Approval"
check "the officer's call-off, not another" "Call-off [0-9]* for $family"
check "the rule that fired" "is above the £800.00 threshold"
check "the cascade as it was" "Premier Care .*primary *accepted"
keys a
check "note asked" "A note for the record"
type_text "Complex needs, agreed at panel"
keys Enter
check "approved" "approved."
keys 2 /
type_text "$name"
keys Enter
check "person again" "brokerage | Person"
check "the person's record shows it approved" "Premier Care (primary): approved"
keys 6
check "audit screen" "brokerage | Audit"
check "the approval on the record" "supervisor *approval.approve"
check "the officer's proposal on the record" "officer *approval.request"
finish
