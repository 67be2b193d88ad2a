#!/bin/sh
# Resizing keeps the selection; below 80x24 a notice, never garbage.
. tests/e2e/lib.sh
setup_db
start_ui
keys 2 Down Down Down
check "fourth row selected" "^>SU"
before=$(screen | grep '^>' | cut -c2-9)
tm resize-window -x 120 -y 40
sleep 0.4
check "wider shows more columns" "Born .*Postcode"
after=$(screen | grep '^>' | cut -c2-9)
[ -n "$before" ] && [ "$before" = "$after" ] && ok || bad "selection at 120x40: $before -> $after"
tm resize-window -x 80 -y 24
sleep 0.4
again=$(screen | grep '^>' | cut -c2-9)
[ "$before" = "$again" ] && ok || bad "selection back at 80x24: $before -> $again"
tm resize-window -x 60 -y 20
check "small window notice" "at least 80x24 (it is 60x20"
tm resize-window -x 80 -y 24
check "the screen comes back" "brokerage | Service users"
again=$(screen | grep '^>' | cut -c2-9)
[ "$before" = "$again" ] && ok || bad "selection after the notice: $before -> $again"
finish
