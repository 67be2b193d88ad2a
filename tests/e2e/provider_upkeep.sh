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
check "upkeep in the footer" "u upkeep"
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
keys q q q q
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
"$B" --config "$T/b.cfg" --as admin export audit | grep -c "capacity.set\|rate.set\|award.add\|award.end\|registration.add" | grep -q "^5$" && ok || bad "five upkeep audit rows"
finish
