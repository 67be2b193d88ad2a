#!/bin/sh
# Finding 10 of issue 12: Audit's person filter shows everything about that
# person (their requests, offers and call-offs, not only record openings),
# and times are UK local time on screen (storage is UTC), the whole row
# (Enter) too; a filter that matches nothing answers at once with an empty
# list (each filter's own statement and index: tests/test_audit_filters.c).
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
ref=$("$B" $C --as admin export service-users |
	awk -F, 'NR > 1 && $7 == "WAL" && $10 == "active" && $12 == 0 { print $1; exit }')
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
req=$("$B" $C --as officer request new --user "$ref" --service HC --units 6 --start "$tomorrow" \
	--urgency routine --funding ASC) || { echo "e2e audit_person: request failed"; exit 1; }
"$B" $C --as officer offer "$req" 1 >/dev/null || { echo "e2e audit_person: offer failed"; exit 1; }
LOGIN=admin start_ui
keys 6
check "Audit" "brokerage | Audit"
check "times in local time, not UTC" " When "
check_not "no UTC heading" "When (UTC)"
keys p
type_text "$ref"
keys Enter
check "the person filter" "Person: $ref (everything about them)"
check "their request is listed" "request.create"
check "and the offer" "offer.create\|offer.make\|offer "
keys Enter
check "the whole row" "request.create\|offer"
check_not "the whole row in local time, not a UTC stamp" "T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"
keys c w
type_text "nobody-at-all"
keys Enter
check "a login that matches nothing" "No audit rows match these filters"
keys c d
type_text "$(TZ=Europe/London date +%Y-%m-%d)"
keys Enter
check "today, a UK day" "Day: $(TZ=Europe/London date +%Y-%m-%d)"
check "today's rows" "request.create"
finish
