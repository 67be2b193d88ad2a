#!/bin/sh
# Finding 8 of issue 12: Notes in the request form takes several lines
# (Enter starts a new line, it does not save); Tab, or Enter on an empty
# line, goes on to the review line, and y saves; the lines come back in the
# edit form. Esc on a changed form asks before anything is thrown away.
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
ref=$("$B" $C --as admin export service-users |
	awk -F, 'NR > 1 && $7 == "WAL" && $10 == "active" && $12 == 0 { print $1; exit }')
start_ui
keys 2 /
type_text "$ref"
keys Enter
check "the person" "brokerage | Person"
keys n
check "the form" "New request for"
keys Up
check "Up from the first field: Notes" "Notes: Enter starts a new line"
check "the footer says how to go on" "Tab next, review"
type_text "Ring the daughter first"
keys Enter
check_not "Enter in Notes does not save or review" "Save request:"
type_text "Key safe by the back door"
check "two lines of notes" "Key safe by the back door"
check "the first line kept" "Ring the daughter first"
keys Tab
check "Tab from Notes: the review line" "Save request: HC 10 hours/week"
keys y
check "saved: the Match" "brokerage | Match"
keys e
check "the edit form" "Edit request"
check "the notes' first line" "Ring the daughter first"
check "and its second" "Key safe by the back door"
keys Escape
check "unchanged: Esc leaves" "brokerage | Match"
keys q
check "the person again" "brokerage | Person"
keys n Tab
type_text "5"
keys Escape
check "Esc on a changed form asks" "Discard this new request? y/n"
keys n
check "n keeps the form" "New request for"
keys Escape y
check "y discards it" "New request abandoned: nothing was saved."
keys Q
finish
