#!/bin/sh
# Finding 11 of issue 12, the small things: End keeps the last page full
# (not the last row alone at the top of an empty list).
. tests/e2e/lib.sh
setup_db
start_ui
keys 2
check "Service users" "brokerage | Service users"
keys End
check "End selects the last row" "^>SU"
n=$(screen | grep -c "^[ >]SU")
[ "$n" -ge 15 ] && ok || bad "after End only $n rows are shown: the last page is not full"
check "the list says there is more above" "\^ *$"
finish
