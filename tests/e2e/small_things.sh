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
off1=$("$B" $C --as officer offer "$req" 1) || { echo "e2e small_things: offer failed"; exit 1; }
# a filter that matches more rows than fit but fewer than a page
prefix=$("$B" $C --as admin export service-users | awk -F, 'NR > 1 { n[substr($3, 1, 2)]++; if (substr($4, 1, 2) != substr($3, 1, 2)) n[substr($4, 1, 2)]++ }
	END { for (p in n) if (n[p] > 22 && n[p] < 50 && p ~ /^[A-Z][a-z]$/) { print p; exit } }')
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
keys /
type_text "$prefix"
keys Escape
check "filtered ($prefix)" "Search: $prefix"
check "a filtered list says there is more below" "Status *v$\|Status.* v *$"
keys End
check "and, at its end, more above" "Status.*\^ *$"
keys Q
tm kill-server
SOCK="$SOCK-oncall"
LOGIN=oncall start_ui
keys 2
check "on call: Service users" "brokerage | Service users"
check "on call: ! in the footer" "! respite"
keys 3
check "on call: ! in the Providers footer" "! respite"
keys Q
# the command line says a decline in words
out=$("$B" $C --as officer respond "$off1" decline --reason no_staff)
case $out in *"no staff in the area"*) ok ;; *) bad "respond decline says a code: $out" ;; esac
case $out in *no_staff*) bad "the code on the command line: $out" ;; *) ok ;; esac
# the reports: reasons in words for people (CSV keeps the codes)
"$B" $C --as supervisor report declines --format table | grep -q "no staff in the area" && ok ||
	bad "report declines --format table: no reason in words"
"$B" $C --as supervisor report declines --format table | grep -q "no_staff" && bad "report declines: a code" || ok
"$B" $C --as supervisor report declines --format csv | grep -q "no_staff" && ok || bad "the CSV lost its codes"
tm kill-server
SOCK="$SOCK-sup"
LOGIN=supervisor start_ui
keys 5
check "Reports" "brokerage | Reports"
i=0
while [ $i -lt 10 ] && ! screen | grep -q "^>declines"; do keys j; i=$((i + 1)); done
check "the declines' reasons in words" "no staff in the area"
check_not "not codes" "no_staff"
keys Q
finish
