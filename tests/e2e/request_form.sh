#!/bin/sh
# Finding 1 of issue 12: a request is never saved wrong by a slip, and can
# be changed or cancelled from the screens. The first keystroke replaces a
# pre-filled value; units are bounded per service (config units_max); Enter
# walks the fields and a review line asks before saving; Esc on a changed
# form asks; edit (e) and cancel (x) from the Match and the Person screens;
# F1 and ! work even in a text field.
. tests/e2e/lib.sh
setup_db
# a council-funded person (the review line below says so) with a name nobody else has
name=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 { key = $4 " " $3; n[key]++; if ($10 == "active" && $12 == 0 && $14 ~ /^ASC/) ok[key] = 1 }
		END { for (k in ok) if (n[k] == 1) { print k; exit } }')
[ -n "$name" ] || { echo "e2e request_form: nobody to use"; exit 1; }
start_ui
keys 2
keys /
keys C-u
type_text "$name"
keys Enter
check "person opens" "brokerage | Person"
keys n
check "new request form" "New request for"
keys Tab
type_text "14"
check "typing replaces the pre-filled units" "Units  *14_"
check_not "typing does not append" "1014"
# F1 and ! in a text field
keys F1
check "F1 in a text field opens help" "Keys on the New request screen"
keys q
check "back to the form" "New request for"
keys !
check "! in a text field opens respite" "Emergency respite for the night"
keys Escape
check "back to the form, as it was" "Units  *14_"
# Enter walks the fields; the last one shows a review line
keys Enter
check "Enter moves to the start date" "Start date"
check_not "Enter does not save from Units" "brokerage | Match"
keys Enter Enter Enter
check_not "nothing saved before the review" "brokerage | Match"
keys Enter
check "the review line" "Save request: HC 14 hours/week from .*, routine, council-funded? y/n"
keys n
check_not "n goes back to the form" "Save request:"
keys Enter
check "the review line again" "Save request: HC 14 hours/week"
keys y
check "saved: the match" "brokerage | Match"
check "the request as typed" "HC 14 hours/week"
# edit from the Match
keys e
check "edit form" "Edit request [0-9]* for"
type_text "20"
keys Enter Enter Enter Enter Enter
check "the change reviewed" "Change request: HC 20 hours/week"
keys y
check "changed" "Request [0-9]* changed"
check "the match shows the change" "HC 20 hours/week"
# a second request: units above the service's bound are refused
keys q
check "back on the person" "brokerage | Person"
keys n
keys Tab
type_text "1014"
keys Enter Enter Enter Enter Enter
keys y
check "1014 hours a week refused with the bound" "at most 168"
check_not "not saved" "brokerage | Match"
# Esc on a changed form asks
keys Escape
check "Esc asks" "Discard this new request? y/n"
keys n
check "n keeps the form" "Units  *1014_"
keys Escape
keys y
check "y discards" "New request abandoned: nothing was saved"
# the open request: edit and cancel from the Person screen
keys e
check "e on Person edits the open request" "Edit request [0-9]* for"
keys Escape
check "Esc on an unchanged form leaves at once" "brokerage | Person"
keys x
check "x asks why" "Why is request [0-9]* cancelled"
type_text "duplicate raised in error"
keys Enter
check "cancelled from Person" "Request [0-9]* cancelled: duplicate raised in error"
check "the Person screen shows no open request" "Open requests (0)"
keys e
check "nothing left to edit" "has no open request"
finish
