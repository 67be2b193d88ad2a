#!/bin/sh
# Finding 11 of issue 12, the small things: End keeps the last page full
# (not the last row alone at the top of an empty list); My offers shows
# when each offer was sent and when its answer is due, in local time.
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
ref=$("$B" $C --as admin export service-users |
	awk -F, 'NR > 1 && $7 == "WAL" && $10 == "active" && $12 == 0 { print $1; exit }')
req=$("$B" $C --as officer request new --user "$ref" --service HC --units 6 --start "$(date -u -d tomorrow +%Y-%m-%d)" \
	--urgency routine --funding ASC) || { echo "e2e small_things: request failed"; exit 1; }
"$B" $C --as officer offer "$req" 1 >/dev/null || { echo "e2e small_things: offer failed"; exit 1; }
start_ui
keys Tab Tab   # past Mine, to My offers
check "My offers" "My offers"
check "a sent-at column" " Sent "
check "an answer-due column" "Answer due"
check "the offer with its times" "Premier Care  *[0-9][0-9] [A-Z][a-z][a-z] [0-9][0-9]:[0-9][0-9] *[0-9][0-9] [A-Z][a-z][a-z] [0-9][0-9]:[0-9][0-9]"
keys 2
check "Service users" "brokerage | Service users"
keys End
check "End selects the last row" "^>SU"
n=$(screen | grep -c "^[ >]SU")
[ "$n" -ge 15 ] && ok || bad "after End only $n rows are shown: the last page is not full"
check "the list says there is more above" "\^ *$"
finish
