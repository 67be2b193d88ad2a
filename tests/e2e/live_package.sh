#!/bin/sh
# A package already running: varied and then paused from the Call-off screen
# (issue 16). The package is placed from the command line today; the screen
# runs ten days later (BROKERAGE_NOW, a demo database), varies it from that
# day, pauses the new call-off for a hospital stay on a retainer, resumes it,
# and checks what the screen says at each step, the timeline included.
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
TODAY=$(date -u +%Y-%m-%d)
LATER=$(date -u -d '+10 days' +%Y-%m-%d)
# an active, unrestricted person in Wallasey with a name nobody else has and
# no call-off under way (so the new one is first in the Person screen's picker)
"$B" $C --as admin export requests | awk -F, 'NR > 1 { print $1, $2 }' | sort >"$T/req"
"$B" $C --as admin export calloffs | awk -F, 'NR > 1 && ($5 == "active" || $5 == "approved" || $5 == "awaiting_approval") { print $2 }' |
	sort -u >"$T/live"
awk 'NR == FNR { live[$1] = 1; next } ($1 in live) { print $2 }' "$T/live" "$T/req" | sort -u >"$T/busy"
name=$("$B" $C --as admin export service-users |
	awk -F, -v busy="$T/busy" 'BEGIN { while ((getline r < busy) > 0) b[r] = 1 }
		NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0 && !($1 in b)) { ok[key] = 1; ref[key] = $1 } }
		END { for (k in ok) if (n[k] == 1) { print ref[k] " " k; exit } }')
ref=${name%% *}
name=${name#* }
[ -n "$ref" ] || { bad "nobody to place"; finish; exit 1; }
req=$("$B" $C --as officer request new --user "$ref" --service HC --units 6 --start "$TODAY" --urgency routine --funding ASC)
prov=$("$B" $C --as officer match "$req" | awk '/^offerable/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1; exit }')
off=$("$B" $C --as officer offer "$req" "$prov")
"$B" $C --as officer respond "$off" accept >"$T/accept" || { bad "accept: $(cat "$T/accept")"; finish; exit 1; }
co=$(sed -n 's/^call-off \([0-9]*\):.*/\1/p' "$T/accept")

start_ui "BROKERAGE_NOW=${LATER}T10:00:00Z"
keys 2
keys /
keys C-u
type_text "$name"
keys Enter
check "the person opens" "brokerage | Person"
check "the weekly cost now, by funding" "Weekly cost now: council £"
keys c
check "the call-off picker" "$co  *HC active"
keys Enter
check "the call-off screen" "Call-off $co for request $req: active"
check "its history: placed" "^ \* *$co $TODAY placed "
# vary: 6 -> 9 hours from today (ten days on)
keys v
check "asks what changes" "What changes?"
keys Enter
check "asks the new units" "New hours/week (now 6)"
type_text "9"
keys Enter
check "asks the date" "From which date?"
type_text "$LATER"
keys Enter
check "asks why" "Why is it changing?"
type_text "More help at tea time"
keys Enter
check "varied" "Varied: call-off $co ends the day before"
new=$((co + 1))
check "the screen follows the new call-off" "Call-off $new for request $req: active"
check "9 hours now" "9 hours/week at"
check "history: the original" "^  *$co $TODAY placed  *6 "
check "history: the variation, with why" "^ \* *$new $LATER varied  *9 .*More help at tea"
# pause it: a hospital stay, the provider keeps the capacity on a retainer
keys p
check "pause reasons" "Why is the care paused?"
keys Enter
check "retainer or release" "Retainer: 80% for up to 28 days"
keys Enter
check "asks the date" "Paused from which date?"
type_text "$LATER"
keys Enter
check "paused" "Paused from $LATER (in hospital): the provider keeps the capacity"
check "status in words" "Call-off $new for request $req: paused, on a retainer"
check "costing the retainer" "Paused     costing .* a week now (retainer)"
check "history: the pause" "^ \* *$new $LATER paused, retained  *9 .*in hospital, kept to"
# and back home from hospital
keys r
check "asks when" "Care starts again on which date?"
type_text "$LATER"
keys Enter
check "resumed" "Resumed from $LATER: active."
check "history: resumed" "^ \* *$new $LATER resumed "
keys ?
check "help lists the new keys" "vary"
keys q
# one officer per request: t on Home takes the first waiting request
keys 1
check "Home" "Waiting requests ("
check "Mine beside the team queue" "Mine (0)"
keys t
check "taken" "Request [0-9]* is yours."
check "Mine counts it" "Mine (1)"
keys Tab
check "Mine lists it with its officer" "^>.* officer *$"
keys Q
check "the program ends" "EXITED 0"
# on the record, through the one table
"$B" $C --as admin export audit | grep -c "calloff\.\(vary\|pause\|resume\)" | grep -q '^[4-9]$' && ok || bad "audit rows"
finish
