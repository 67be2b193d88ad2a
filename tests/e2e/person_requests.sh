#!/bin/sh
# Finding 7 of issue 12: the Person screen's call-offs and open requests
# are a selectable list (Up/Down, Enter opens; m, e and x act on the
# selected request, never a picker and never the newest by guess); a second
# open request for the same person and service is refused, naming the first
# (issue 27, finding 8).
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
ref=$("$B" $C --as admin export service-users |
	awk -F, 'NR > 1 && $7 == "WAL" && $10 == "active" && $12 == 0 && $11 != 1 { print $1; exit }')
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
r1=$("$B" $C --as officer request new --user "$ref" --service HC --units 6 --start "$tomorrow" \
	--urgency routine --funding ASC) || { echo "e2e person_requests: request failed"; exit 1; }
r2=$("$B" $C --as officer request new --user "$ref" --service DAY --units 2 --start "$tomorrow" \
	--urgency routine --funding ASC) || { echo "e2e person_requests: request failed"; exit 1; }
start_ui
keys 2 /
type_text "$ref"
keys Enter
check "the person" "brokerage | Person"
check "both open requests listed" "Open requests (2)"
keys m
check_not "no picker" "Match which request"
check "m with several asks for a choice on the screen itself" "2 open requests: choose one with Up/Down"
check "the first open request selected" "^> *request $r2 "
keys Down
check "Down selects the next open request" "^> *request $r1 "
keys m
check "m matches the selected request" "Request $r1: $ref"
keys q
check "back on the person" "brokerage | Person"
check "the same request still selected" "^> *request $r1 "
keys Up
check "Up selects the other" "^> *request $r2 "
keys Enter
check "Enter opens the selected request's Match" "Request $r2: $ref"
keys q x
check "x asks to cancel the selected request" "Why is request $r2 cancelled"
keys Escape
# a second open HC request: refused at y, the first named; the form stays
keys n
check "the form" "New request for"
i=0
while [ $i -lt 9 ] && ! screen | grep -q "request: .* y/n"; do keys Enter; i=$((i + 1)); done
keys y
check "the duplicate is refused, the first named" "request $r1 for $ref HC is already open"
check "the form stays for a change" "New request for"
keys Escape y
keys Q
finish
