#!/bin/sh
# Place a home care package in each locality through the screens, from
# search to call-off, and check the locality's primary was offered first.
. tests/e2e/lib.sh
setup_db
# the demo's own call-offs, some proposed by this officer today: only the
# ones above these are this test's
before=$("$B" --config "$T/b.cfg" --as admin export calloffs | awk -F, 'NR > 1 && $1 > m { m = $1 } END { print m + 0 }')
start_ui
for pair in "WAL:Premier Care" "BIR:Premier Care" "WW:Wirral Home Care Alliance" "SW:Haven Care"; do
	loc=${pair%%:*} primary=${pair#*:}
	# an active, unrestricted, council-funded person of that locality with a name
	# nobody else has (a joint-funded request's review line is longer: it wraps)
	name=$("$B" --config "$T/b.cfg" --as admin export service-users |
		awk -F, -v loc="$loc" 'NR > 1 { key = $4 " " $3; n[key]++; if ($7 == loc && $10 == "active" && $12 == 0 && $14 ~ /^ASC/) ok[key] = 1 }
			END { for (k in ok) if (n[k] == 1) { print k; exit } }')
	[ -n "$name" ] || { bad "$loc: nobody to place"; continue; }
	keys 2 /
	keys C-u
	type_text "$name"
	keys Enter
	check "$loc: person opens" "brokerage | Person"
	keys n
	check "$loc: new request form" "New request for"
	save_request
	check "$loc: match screen" "brokerage | Match"
	first=$(screen | grep -m1 '^>' )
	short=$(printf '%s' "$primary" | cut -c1-20)
	case $first in *"$short"*primary*) ok ;; *) bad "$loc: first offerable is not $primary: $first" ;; esac
	check "$loc: lower tiers wait for the primary" "Waiting on: $primary (primary"
	keys o
	check "$loc: offer sent to the primary first" "sent to $primary (primary)"
	keys a
	check "$loc: accepted into a call-off" "Call-off [0-9]*: $primary"
	check "$loc: the call-off detail" "Call-off [0-9]* for request"
	last_name=$name
	[ "$loc" = SW ] && break
	keys q q q
done
# the provider hands the last one back: through the screens
keys h
check "hand-back reasons" "Why is it handed back?"
keys Enter
check "notice date asked" "Notice date"
notice=$(date -u -d '+28 days' +%Y-%m-%d)
type_text "$notice"
keys Enter
check "handed back" "Handed back: care and capacity continue until $notice"
check "the call-off is still active, marked" "Call-off [0-9]* for request .*: active, handed back, ends "
keys 1
family=${last_name#* }
# hand-backs come first, oldest first: the demo may hold one older than this
check "Home shows the hand-back among the hand-backs at the top" "^[> ]HAND-BACK .*$family"
above=$(screen | awk -v f="$family" '/^[> ](HAND-BACK|emergency|urgent|routine) / { if (index($0, f)) { print bad + 0; exit } if ($1 !~ /HAND-BACK/) bad++ }')
[ "$above" = 0 ] && ok || bad "a request that is not a hand-back is above $family's hand-back ($above)"
# the call-offs are on the record, each at the primary tier
n=$("$B" --config "$T/b.cfg" --as admin export calloffs | awk -F, -v b="$before" -v today="$(date -u +%Y-%m-%d)" 'NR > 1 && $1 > b && $17 == "officer" && index($18, today) == 1 && $4 == "primary"' | wc -l)
[ "$n" -eq 4 ] && ok || bad "expected 4 new primary call-offs, found $n"
finish
