#!/bin/sh
# Finding 4 (and 6) of issue 12: the Match screen does what the command line
# does. An offer out of the cascade order with a written reason (the
# person's choice, clinical, spot, out of locality: it goes to approval);
# withdrawing an offer; correcting a decline recorded on the wrong provider.
# After a decline the cursor moves to the next offerable provider, and the
# numbered decline reasons take a digit.
. tests/e2e/lib.sh
setup_db
name=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0) ok[key] = 1 }
		END { for (k in ok) if (n[k] == 1) { print k; exit } }')
primary="Premier Care"
start_ui
keys 2 /
type_text "$name"
keys Enter
check "person" "brokerage | Person"
keys n
save_request
check "match" "brokerage | Match"
check "the primary first" "^>.*$primary.*primary"
# the person's own choice: a lower tier, out of order, with a reason
keys Down
sel=$(screen | grep '^>' | cut -c2-30)
keys O
check "the override kinds" "the person's own choice"
check "spot is one" "a spot purchase"
check "out of locality is one" "out of locality"
keys 1
check "the reason is asked" "Why offer .* (the person's own choice)?"
check "saying it goes to approval" "goes to approval\|approval\."
type_text "Mrs chose them: her sister is with them"
keys Enter
check "offered with the reason" "Offer [0-9]* sent to .*(the person's own choice)"
check "the long message is read in full, on two lines" "goes to a supervisor for approval"
n=$("$B" --config "$T/b.cfg" --as admin export audit | grep -c "override=person_choice")
[ "$n" -ge 1 ] && ok || bad "the override is not in the audit"
# withdraw it
keys w
check "withdraw asks why" "Why withdraw the offer to"
type_text "offered in error"
keys Enter
check "withdrawn" "Offer [0-9]* to .* withdrawn: offered in error"
# the primary: offer, decline with a digit; the cursor moves on
keys g o
check "offer to the primary" "sent to $primary (primary)"
keys d
check "decline reasons, numbered" "Why did they decline"
keys 2
check "a digit chooses the reason" "declined: no staff in the area"
check_not "the cursor left the declined primary" "^>.*$primary"
check "the cursor is on the next offerable provider" "^>.*secondary"
# the decline was recorded on the wrong provider: correct it
i=0
while [ $i -lt 40 ] && ! screen | grep -q "^>.*$primary"; do keys Down; i=$((i + 1)); done
keys u
check "correct asks why" "Why correct .*decline"
type_text "answer was from another provider"
keys Enter
check "the offer waits again" "waits for an answer again"
check "and the primary has the offer" "$primary.*offer pending"
n=$("$B" --config "$T/b.cfg" --as admin export audit | grep -c "offer.correct")
[ "$n" -eq 1 ] && ok || bad "offer.correct audited $n times"
keys a
check "accepted after the correction" "Call-off [0-9]*: $primary"
# the work order, from the Call-off screen, to a file the officer names
mkdir -p "$T/out"
keys W
check "the work order asks for a file" "Write the provider's work order to which file"
type_text "$T/out/wo.txt"
keys Enter
check "written" "Work order for call-off [0-9]* written to"
grep -q "WORK ORDER for $primary" "$T/out/wo.txt" && ok || bad "the work order file lacks the provider"
grep -q "Date of birth:" "$T/out/wo.txt" && ok || bad "the work order lacks the date of birth"
grep -q "NHS number" "$T/out/wo.txt" && bad "an NHS number on a council-funded work order" || ok
# issue 26: a restricted person's work order asks whether to include the
# details; the name and reference only, or a reason that goes on the record
ref=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, -v n="$name" 'NR > 1 && $4 " " $3 == n { print $1; exit }')
"$B" --config "$T/b.cfg" --as admin person restrict "$ref" on --reason "staff relative" >/dev/null || bad "restrict"
keys W
type_text "$T/out/wo2.txt"
keys Enter
check "a restricted record asks what to include" "A restricted record's work order"
check "name and reference only is one choice" "Name and reference only"
keys 1
check "written with the name and reference only" "reference only): send it\\|wo2.txt (name and reference only)"
grep -q "Date of birth: *[0-9]" "$T/out/wo2.txt" && bad "a restricted person's date of birth without a reason" || ok
keys W
type_text "$T/out/wo3.txt"
keys Enter
keys 2
check "the reason is asked" "Why does the provider need the restricted person's details"
type_text "Provider must know the date of birth for the care plan"
keys Enter
check "written with the details" "written to .*wo3.txt:"
grep -q "Date of birth: *[0-9]" "$T/out/wo3.txt" && ok || bad "the details with a reason: $(grep 'Date of birth' "$T/out/wo3.txt")"
n=$("$B" --config "$T/b.cfg" --as admin export audit | grep -c "person.breakglass.*care plan")
[ "$n" -eq 1 ] && ok || bad "the break-glass reason is audited $n times"
finish
