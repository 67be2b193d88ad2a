#!/bin/sh
# Findings 2 and 3 of issue 12. Modes as in mutt: Service users opens on the
# list, / enters the search field and Esc/Enter leave it; !, ? and F1 are
# never eaten as search text. Choosing a person: Enter opens only when
# exactly one matches, else moves into the list; the pickers show date of
# birth, postcode and locality; the respite finder never guesses among
# several and flags a restricted record, asking break-glass first.
. tests/e2e/lib.sh
setup_db
export_su() { "$B" --config "$T/b.cfg" --as admin export service-users "$@"; }
# a full name two active, unrestricted people share (the demo's "Lloyd, Siân")
twin=$(export_su | awk -F, 'NR > 1 && $10 == "active" && $12 == 0 { k = $4 " " $3; n[k]++ }
	END { for (k in n) if (n[k] >= 2) { print k; exit } }')
[ -n "$twin" ] || { echo "e2e modes_and_choosing: no shared name in the demo"; exit 1; }
tfamily=${twin#* } tgiven=${twin%% *}
LOGIN=officer start_ui
keys 2
check "Service users" "brokerage | Service users"
check "the list shows date of birth" " Born "
check "and the postcode" "Postcode"
check "and the locality" " Loc "
check "the footer is the list's, not the search's" "/ search"
keys '?'
check "? on the list is help, not search text" "Keys on the Service users screen"
keys q
keys !
check "! on the list opens respite" "brokerage | Emergency respite"
keys Escape
check "back on Service users" "brokerage | Service users"
check_not "nothing was typed into the search" "Search: [^ _]"
# / enters the search; Esc leaves it; then keys are commands again
keys /
type_text "$tfamily"
check "typed into the search" "Search: $tfamily"
keys Escape
keys 3
check "after Esc a digit goes to its screen" "brokerage | Providers"
keys 2 /
type_text "$tgiven $tfamily"
keys Enter
check "several match: Enter stays on the list" "people match: Up/Down to choose"
check_not "and opens nobody" "brokerage | Person"
n=$(screen | grep -c "$tfamily, $tgiven")
[ "$n" -ge 2 ] && ok || bad "expected two \"$tfamily, $tgiven\" rows, saw $n"
keys Down Enter
check "Enter on the list opens the one chosen" "brokerage | Person"
keys q
check "back on the list" "brokerage | Service users"
keys q
# the respite finder: never the top match among several
keys !
type_text "$tgiven $tfamily"
check "the matches show date of birth and postcode" "Ref  *Born  *Postcode  *Loc"
keys Enter
check "Enter with several matches asks to choose" "people match: check the date of birth"
check_not "no beds before a person is chosen" "free tonight for this need"
keys Down Enter
check "the chosen one is taken" "free tonight for this need"
keys Escape
# a restricted person in the respite finder: flagged, break-glass first
r=$(export_su --include-restricted --reason "e2e check" |
	awk -F, 'NR > 1 && $12 == 1 && $10 == "active" { print $1; exit }')
keys !
type_text "$r"
check "a restricted record is flagged" "\[restricted\]"
keys Enter
check "break-glass asked first" "This record is restricted. Why do you need it"
keys Escape
check_not "nothing shown without a reason" "free tonight for this need"
keys Enter
type_text "on-call emergency, carer collapsed"
keys Enter
check "with a reason the beds are shown" "free tonight for this need\|No respite bed is free"
n=$("$B" --config "$T/b.cfg" --as admin export audit | grep "person.breakglass" | grep -c "carer collapsed")
[ "$n" -eq 1 ] && ok || bad "the break-glass is not in the audit once ($n)"
finish
