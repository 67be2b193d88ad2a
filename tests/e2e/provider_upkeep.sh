#!/bin/sh
# Provider upkeep from the provider detail, as an admin: capacity (reported
# today), a rate from a date, an award added and ended, a registration; an
# officer is refused each in one line.
. tests/e2e/lib.sh
setup_db
today=$(date -u +%Y-%m-%d)
LOGIN=admin start_ui
keys 3
keys l Down Enter
keys t Down Enter
check "Premier Care listed" "Premier Care"
keys Enter
check "provider detail" "brokerage | Provider"
check "upkeep in the footer" "s suspend  r reinstate  u upkeep  e edit  ? help  q back"
keys u
check "the upkeep menu" "Provider upkeep"
keys Enter
check "capacity: which service" "HC"
keys Enter
check "which locality" "Wallasey"
keys Enter
check "how many free" "HC in WAL: hours/week free now? (reported today)"
type_text "x"
keys Enter
check "not a number" "Free: \"x\" is not a whole number"
keys u Enter Enter Enter
type_text "12"
keys Enter
check "capacity set" "Premier Care HC in WAL: 12 free, reported today"
check "the detail shows it with its day" "HC  WAL     12 hours/week free, reported $today"
keys p
check "rate: which service" "Service"
keys Enter
check "the rate asked" "HC rate per hour in pence"
type_text "2500"
keys Enter
check "from which day" "From which day?"
type_text "2027-04-01"
keys Enter
check "rate set" "Premier Care HC: £25.00 a unit from 2027-04-01"
keys a Enter
check "tiers" "peripheral"
keys Down Down Enter
check "award from" "From which day?"
type_text "2027-04-01"
keys Enter
check "award added" "Award [0-9]*: Premier Care HC peripheral (whole borough) from 2027-04-01"
keys E
check "which award to end" "End which award?"
keys End Enter
check "its last day" "Its last day?"
type_text "2028-03-31"
keys Enter
check "award ended" "Award [0-9]* ends on 2028-03-31"
keys R S Enter
check "need picker" "Registered for the need"
keys M Enter
check "registered" "Premier Care is now registered for MH on SL"
# a new provider from the Providers list, edited, then leaving the framework
keys 3
keys N
check "the provider form" "New provider (then awards"
type_text "Wirral Care Co"; keys Enter
type_text "1-123456789"; keys Enter
keys Right Right
check "the rating" "< Good >"
keys Enter Enter Enter Enter Enter
type_text "WAL,BIR"; keys Enter
check "the review" "Add provider: Wirral Care Co, Good, covers WAL,BIR? y/n"
keys y
check "added, its detail opens" "Provider [0-9]* added: Wirral Care Co."
check "its detail" "Wirral Care Co   (provider"
check "its coverage" "Covers: Wallasey, Birkenhead"
keys e
check "the edit form, filled in" "Name              Wirral Care Co"
keys Down Down Down
type_text "0151 555 0100"
keys Enter Enter Enter Enter Enter
check "reviewed" "Save provider: Wirral Care Co, Good, covers WAL,BIR? y/n"
keys y
check "saved" "Provider [0-9]* saved: Wirral Care Co."
check "the detail shows the phone" "Phone: 0151 555 0100"
keys L
check "asks the day" "leaves the framework on which day?"
type_text "$today"
keys Enter
check "left" "Left the framework on $today: 0 offers withdrawn, 0 call-offs cancelled."
check "the detail says so" "Left the framework on $today"
keys q q q q q Q
check "quits" "EXITED 0"
# an officer: refused in one line
run "clear; $B --config $T/b.cfg --as officer; echo EXITED \$?"
check "the officer's UI" "q quit"
keys 3
keys l Down Enter
keys t Down Enter
keys Enter
check "officer on the detail" "brokerage | Provider"
check_not "no upkeep in an officer's footer" "u upkeep"
keys f
check "capacity refused" "capacity is not for role officer"
keys s
check "suspending refused" "suspend is not for role officer"
"$B" --config "$T/b.cfg" --as admin export audit | grep -c "capacity.set\|rate.set\|award.add\|award.end\|registration.add\|provider.add\|provider.edit\|provider.leave" | grep -q "^8$" && ok || bad "eight upkeep audit rows"
finish
