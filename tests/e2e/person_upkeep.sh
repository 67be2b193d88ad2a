#!/bin/sh
# People upkeep from the Person screen: edit the record (the form comes
# filled in; a field's first keystroke replaces it; a review line saves),
# close it as moved away (its open request cancelled in the same step), and
# restrict on/off is refused to an officer.
. tests/e2e/lib.sh
setup_db
ref=$("$B" --config "$T/b.cfg" --as officer person add --nhs 4010000015 --family Upkeep --given Ursula \
	--dob 1948-07-09 --postcode "CH41 1AA" --locality BIR --need PD 2>/dev/null)
[ -n "$ref" ] && ok || bad "person add for the test"
start_ui
keys 2 /
type_text "Upkeep"
keys Enter
check "the person opens" "Upkeep, Ursula   ($ref)"
check "edit and close in the footer" "E edit person"
keys R
check "restricting is for admins" "restrict on/off is not for role officer"
keys E
check "the edit form" "Edit person $ref"
check "filled in" "Postcode          CH41 1AA"
keys Down Down Down Down
type_text "CH45 2AA"
check "the first keystroke replaced the postcode" "Postcode          CH45 2AA_"
keys Down Right Enter Enter Enter Enter Enter Enter Enter
check "the review line" "Save person: Upkeep, Ursula, born 9 Jul 1948, WW, PD? y/n"
keys y
check "saved" "$ref saved: Upkeep, Ursula."
check "the record shows it" "Postcode CH45 2AA"
"$B" --config "$T/b.cfg" --as admin export audit | grep -q "person.edit.*$ref: postcode, locality" && ok || bad "person.edit audited with what changed"
# a request, then close the record: the request is cancelled with it
keys n
check "new request form" "New request for Upkeep, Ursula"
# Enter walks the fields to the review line; y saves
i=0; while ! screen | grep -q "Save request:" && [ $i -lt 10 ]; do keys Enter; i=$((i + 1)); done
keys y
check "match" "brokerage | Match"
keys q
check "back on the person" "Upkeep, Ursula   ($ref)"
keys X
check "close reasons" "moved away"
keys Enter
check "asks why" "Why (moved away)? Open requests are cancelled with this note."
type_text "to Chester"
keys Enter
check "closed, the request cancelled" "$ref closed (moved away): 1 open request cancelled."
check "status closed" "Status closed"
keys X
check "closing twice is refused" "$ref is already closed."
"$B" --config "$T/b.cfg" --as admin export requests | grep -q "person moved away: to Chester" || \
	"$B" --config "$T/b.cfg" --as admin export audit | grep -q "request.cancel.*person moved away: to Chester" && ok || bad "request cancelled with the reason"
keys q q q Q
check "quits cleanly" "EXITED 0"
finish
