#!/bin/sh
# A supervisor opens Reports (5), picks tiers, changes the date range and
# the locality and sees the figures change; an officer sees only waiting
# and pickup; on a vt100 the bars are drawn with '#'.
. tests/e2e/lib.sh
setup_db
bars() { screen | grep -- "│ registered " | sed 's/.*│ registered *//'; }
LOGIN=supervisor start_ui
keys 5
check "Reports screen" "brokerage | Reports"
check "the list of reports" "residential"
check "waiting first" "Open requests waiting now"
keys j j
check "tiers" "Placements by award tier (tiers)"
check "the default range" "Range: the last 12 weeks"
check "a bar chart in eighths" "│ registered *[█▏▎▍▌▋▊▉]"
before=$(bars)
keys w
check "a week" "Range: the last week"
week=$(bars)
[ -n "$before" ] && [ "$week" != "$before" ] && ok || bad "the week's figures did not change: \"$before\" then \"$week\""
keys t
check "back to 12 weeks" "Range: the last 12 weeks"
[ "$(bars)" = "$before" ] && ok || bad "12 weeks again differs: \"$before\" then \"$(bars)\""
keys l
check "the locality picker" "Birkenhead"
keys Down Enter
check "Wallasey chosen" "Locality: Wallasey"
check "the scope line says so" "Wallasey, all services"
wal=$(bars)
[ -n "$wal" ] && [ "$wal" != "$before" ] && ok || bad "Wallasey's figures did not change: \"$before\" then \"$wal\""
keys PageDown
check "scrolls to the tables" "In all"
keys j j
check "market" "Market share by provider"
keys PageDown
check "market's table at 80 columns" "Provider .*Placed .*Share"
check_not "no room for the spend share at 80" "Spend sh"
tm resize-window -x 130 -y 30
check "wider shows more columns" "Provider .*Placed .*Share .*Weekly .*Spend sh"
tm resize-window -x 80 -y 24
keys k
check "spend" "Committed cost of active call-offs"
check "money as pounds" "£[0-9]"
keys d
check "custom range asks" "From and to"
type_text "2026-13-01 2026-02-01"
keys Enter
check "a bad date is refused" "Give two dates"
keys c
check "c clears the filters" "Locality: all"
keys '?'
check "help lists the range keys" "t  *12 wks"
keys q
keys q q
check "quits" "EXITED 0"
tm kill-server

SOCK="$SOCK-off"
LOGIN=officer start_ui
keys 5
check "officer's Reports" "Open requests waiting now"
check "officer sees pickup" "pickup"
check_not "officer does not see tiers" " tiers  "
keys q q
check "officer quits" "EXITED 0"
tm kill-server

SOCK="$SOCK-vt"
LOGIN=viewer start_ui TERM=vt100
keys 5 j j
check "viewer's tiers" "Placements by award tier"
check "ASCII bars on a vt100" "| registered *#"
check_not "no block elements" "█"
check_not "no box drawing" "│"
keys q q
check "viewer quits" "EXITED 0"
finish
