#!/bin/sh
# Live packages, the rest of issue 16 on the screens: another officer's
# request taken over from Home (refused without a reason, then with one), a
# supervisor's A giving it to an officer from the picker, and a package ended
# from a later date from the Call-off screen (the capacity kept until then),
# with a pause scheduled before that date and called off again with r.
. tests/e2e/lib.sh
setup_db
C="--config $T/b.cfg"
TODAY=$(date -u +%Y-%m-%d)
LATER=$(date -u -d '+10 days' +%Y-%m-%d)
SOON=$(date -u -d '+5 days' +%Y-%m-%d)

start_ui
check "Home" "Waiting requests ("
# the first waiting request (a hand-back or not): Jo Hughes has it (taken
# from the command line)
ref=$(screen | sed -n 's/^>[A-Za-z-]* *[0-9]* \(SU[0-9]*\) .*/\1/p' | head -1)
req=$("$B" $C --as admin export requests | awk -F, -v r="$ref" '$2 == r && $10 == "open" { print $1; exit }')
[ -n "$req" ] && ok || { bad "no first request ($ref)"; finish; exit 1; }
"$B" $C --as jhughes take "$req" >/dev/null && ok || bad "jhughes takes $req"
keys C-l
keys 1
check "Home shows who has it" "^>.* jhughes *$"
keys t
check "asks why, naming the officer" "jhughes has it. Why are you taking it over?"
keys Enter
check "refused without a reason" "A reason is needed"
type_text "Jo is on leave today"
keys Enter
check "taken over, with the reason" "Request $req is yours (taken over: Jo is on leave today)."
check "Home shows the new officer" "^>.* officer *$"
"$B" $C --as admin export audit | grep -q "request.takeover.*$req\|$req.*request.takeover" && ok || bad "the take-over is audited"
keys A
check "assigning is for supervisors" "assigning requests is not allowed for role officer"
keys Q
check "the program ends" "EXITED 0"

# a supervisor gives it to an officer from the picker
run "$B $C --as supervisor; echo EXITED \$?"
check "Home as a supervisor" "Waiting requests ("
keys A
check "the officers to choose from" "Assign request $req to"
check "with what each has" "Jo Hughes, officer, [0-9]* open"
keys k
keys Enter
check "assigned" "Request $req is kmorris's now."
check "Home shows it" "^>.* kmorris *$"
"$B" $C --as admin export audit | grep -q "request.assign" && ok || bad "the assignment is audited"
keys Q
check "the program ends again" "EXITED 0"

# a package placed today, ended from a later date on the Call-off screen
"$B" $C --as admin export requests | awk -F, 'NR > 1 { print $1, $2 }' | sort >"$T/req"
"$B" $C --as admin export calloffs | awk -F, 'NR > 1 && ($5 == "active" || $5 == "approved" || $5 == "awaiting_approval") { print $2 }' |
	sort -u >"$T/live"
awk 'NR == FNR { live[$1] = 1; next } ($1 in live) { print $2 }' "$T/live" "$T/req" | sort -u >"$T/busy"
name=$("$B" $C --as admin export service-users |
	awk -F, -v busy="$T/busy" 'BEGIN { while ((getline r < busy) > 0) b[r] = 1 }
		NR > 1 { key = $4 " " $3; n[key]++; if ($7 == "WAL" && $10 == "active" && $12 == 0 && !($1 in b)) { ok[key] = 1; ref[key] = $1 } }
		END { for (k in ok) if (n[k] == 1) { print ref[k] " " k; exit } }')
pref=${name%% *}
name=${name#* }
[ -n "$pref" ] || { bad "nobody to place"; finish; exit 1; }
# Section 117 aftercare on the person, carried onto the call-off placed next
"$B" $C --as officer person edit "$pref" --s117 >/dev/null && ok || bad "person edit --s117"
preq=$("$B" $C --as officer request new --user "$pref" --service HC --units 6 --start "$TODAY" --urgency routine --funding ASC)
prov=$("$B" $C --as officer match "$preq" | awk '/^offerable/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1; exit }')
off=$("$B" $C --as officer offer "$preq" "$prov")
"$B" $C --as officer respond "$off" accept >"$T/accept" || { bad "accept: $(cat "$T/accept")"; finish; exit 1; }
co=$(sed -n 's/^call-off \([0-9]*\):.*/\1/p' "$T/accept")
free_now() { "$B" $C --as admin export capacity | awk -F, -v p="$prov" '$1 == p && $2 == "HC" && $3 == "WAL" { print $4 }'; }
before=$(free_now)

run "$B $C --as officer; echo EXITED \$?"
check "Home again" "Waiting requests ("
keys 2
keys /
keys C-u
type_text "$name"
keys Enter
check "the person opens" "brokerage | Person"
check "Section 117 on the person" "Section 117 aftercare (free to them)"
check "of the weekly cost" "of which: funded nursing care (NHS) £0.00; Section 117 aftercare £"
keys c
keys Enter
check "the call-off screen" "Call-off $co for request $preq: active"
check "Section 117 on the call-off" "Section 117 aftercare: free to the person"
# a pause from a later date is only scheduled: active until then
keys p
check "pause reasons" "Why is the care paused?"
keys Enter
keys 2
check "asks the date" "Paused from which date?"
type_text "$SOON"
keys Enter
check "scheduled" "Pause scheduled from $SOON (in hospital): active until then"
check "the status says so" "Call-off $co for request $preq: active, pause scheduled from"
check "the timeline shows it" "$SOON pause scheduled"
keys r
check "r calls it off" "The pause scheduled from $SOON is called off: active."
check "the timeline too" "$SOON pause called off"
# the end from a later date keeps the care and the capacity until then
keys e
check "end reasons" "Why does the care end?"
keys 3
check "asks the date" "Ends from which date?"
type_text "$LATER"
keys Enter
check "ends later" "Ends $LATER (moved out of the area): the capacity returns on that date."
check "still active" "Call-off $co for request $preq: active, ends"
check "the timeline shows the end" "$LATER ends .*moved out of the area"
[ "$(free_now)" = "$before" ] && ok || bad "the capacity is kept until the end date ($before -> $(free_now))"
"$B" $C --as admin export calloffs | awk -F, -v c="$co" '$1 == c { print $5, $10 }' | grep -q "^active $LATER$" && ok ||
	bad "the call-off is active and ends $LATER"
# and the rate varied from a day before the end: v asks what changes
keys v
check "what changes" "What changes?"
keys 2
check "asks the new rate" "New unit rate in pounds (now £"
type_text "16.40"
keys Enter
check "asks the date" "From which date?"
type_text "$SOON"
keys Enter
check "asks why" "Why is it changing?"
type_text "New provider rate agreed"
keys Enter
check "varied" "Varied: call-off $co ends the day before; call-off [0-9]*, 6 at £98.40 a week,"
check "the new one runs to the old end" "from $SOON to $LATER"
check "history: the variation with why" "$SOON varied  *6 .*New provider rate agreed"
"$B" $C --as admin export calloffs | awk -F, -v c="$co" '$1 == c + 1 { print $6, $7, $9 }' | grep -q "^1640 6 $SOON$" && ok ||
	bad "the new call-off: 6 hours at 1640 pence from $SOON"
keys Q
check "the program ends at last" "EXITED 0"
finish
