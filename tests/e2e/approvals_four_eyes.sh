#!/bin/sh
# Finding 9 (and 5 for Approvals) of issue 12: the queue shows who proposed
# each call-off; a supervisor's own items are marked and `a` says at once
# why not, before any note is typed; `a` on a decided item says so at once;
# at 80 columns the reasons and who can approve are read in full.
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
ref=$("$B" $C --as admin export service-users |
	awk -F, 'NR > 1 && $7 == "WAL" && $10 == "active" && $12 == 0 { print $1; exit }')
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
req=$("$B" $C --as supervisor request new --user "$ref" --service HC --units 45 --start "$tomorrow" \
	--urgency routine --funding ASC) || { echo "e2e approvals_four_eyes: request failed"; exit 1; }
off=$("$B" $C --as supervisor offer "$req" 1) || { echo "e2e approvals_four_eyes: offer failed"; exit 1; }
co=$("$B" $C --as supervisor respond "$off" accept | sed -n 's/^call-off \([0-9]*\):.*/\1/p')
[ -n "$co" ] || { echo "e2e approvals_four_eyes: accept failed"; exit 1; }
LOGIN=supervisor start_ui
keys 4
check "Approvals" "brokerage | Approvals"
keys End
i=0
while [ $i -lt 60 ] && ! screen | grep -q "^>.*\[yours\]"; do keys Up; i=$((i + 1)); done
check "the supervisor's own item is marked" "^>.*\[yours\]"
check "the detail line names the proposer, in full" "Proposed by supervisor (you: another supervisor must decide)"
check "and says who can approve, in full" "Who can\( approve:\)\{0,1\}$\|approve: [a-z]"
check "the reason in full" "weekly cost"
keys Enter
check "the detail" "Call-off $co for"
check "proposers shown" "Shaped by (four eyes: none of them decides): .*supervisor.*That includes you"
keys a
check "a says at once why not" "four eyes: supervisor shaped call-off $co"
check_not "no note box first" "A note for the record"
finish
