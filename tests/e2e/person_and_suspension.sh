#!/bin/sh
# Issue 11's "done when": a supervisor suspends a provider from its detail
# (with a reason), adds a person from the New person form of Service users
# (NHS number checked, a namesake warned of, Esc on a changed form asks),
# raises a request for them, and the Match shows the suspension with its
# reason; then reinstates the provider with a note.
. tests/e2e/lib.sh
setup_db
LOGIN=supervisor start_ui

# --- suspend Premier Care (Wallasey's primary) from the provider detail
keys 3
check "providers screen" "brokerage | Providers"
keys l Down Enter
check "locality filter" "Locality: WAL"
keys t Down Enter
check "tier filter" "Tier: primary"
check "Premier Care listed" "Premier Care"
keys Enter
check "provider detail" "brokerage | Provider"
check "suspend and reinstate keys in the footer" "s suspend  r reinstate"
keys r
check "reinstating an active provider is refused" "Premier Care is active, not suspended"
keys s
check "asks for the reason" "Why is Premier Care suspended?"
keys Enter
check "a reason is needed" "A reason is needed"
type_text "Safeguarding concern 20 Nov"
keys Enter
check "suspended" "Premier Care suspended: its pending offers are withdrawn"
check "the detail shows the suspension" "SUSPENDED since .*: Safeguarding concern 20 Nov"
# the people it serves are listed below the capacity: scroll to them
keys Down Down Down Down Down Down Down Down Down Down Down Down
check "the people it serves, to review" "People it serves now ([0-9]*): review each one's care"

# --- a new person from Service users
keys 2
check "service users" "brokerage | Service users"
keys N
check "new person form" "New person: referred to the team"
check "its footer" "Tab/Enter next field  Left/Right choose  Esc cancel"
# Esc on a changed form asks first
type_text "9"
keys Escape
check "Esc asks" "Leave without saving?"
keys n
check_not "n goes back to the form" "Leave without saving?"
keys Escape
check "asks again" "Leave without saving?"
keys y
check "left, nothing saved" "Nothing was saved."
keys N
# a bad check digit: refused with the field named, the form kept
type_text "943 476 5918"; keys Enter
type_text "Testperson"; keys Enter
type_text "Ann"; keys Enter
type_text "1950-03-01"; keys Enter
type_text "CH44 1AA"; keys Enter
keys Enter          # locality: Wallasey (the first)
keys Enter          # primary need: LD
type_text "PD"; keys Enter
keys Enter          # forensic: no
keys Enter          # funding: ASC
keys Enter          # Section 117: no
keys Enter          # nursing (FNC): no
check "the review line" "Add person: Testperson, Ann, born 1 Mar 1950, WAL, LD+PD? y/n"
keys y
check "a bad NHS number is refused" "\"943 476 5918\" is not an NHS number"
check "the form stays" "New person: referred to the team"
# back to the NHS number; the first keystroke replaces it
keys Up Up Up Up Up Up Up Up Up Up Up
type_text "9434765919"
keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Enter
check "reviewed again" "Add person: Testperson, Ann, born 1 Mar 1950, WAL, LD+PD? y/n"
keys y
check "added, and the record opens" "brokerage | Person"
check "the new reference" "SU[0-9]* added: Testperson, Ann."
ref=$(screen | sed -n 's/.*\(SU[0-9]*\) added: Testperson.*/\1/p' | head -1)
n=$("$B" --config "$T/b.cfg" --as admin export service-users | grep -c "^$ref,9434765919,Testperson,Ann,1950-03-01,CH44 1AA,WAL,LD,PD,active")
[ "$n" = 1 ] && ok || bad "the person is not in the register as typed ($ref)"
"$B" --config "$T/b.cfg" --as admin export audit | grep -q "supervisor,person.add" && ok || bad "person.add not audited"

# --- a request for them: the Match shows the suspension with its reason
keys n
check "new request form" "New request for Testperson, Ann"
# Enter walks the fields to the review line; y saves
i=0; while ! screen | grep -q "Save request:" && [ $i -lt 10 ]; do keys Enter; i=$((i + 1)); done
keys y
check "match screen" "brokerage | Match"
i=0
while [ $i -lt 30 ] && ! screen | grep -q "Premier Care: suspended since"; do keys j; i=$((i + 1)); done
check "the suspension with its reason" "Premier Care: suspended since .*: Safeguarding concern 20 Nov"
check "marked in the list" "Premier Care .*SUSPENDED"

# --- a namesake (same name and date of birth) is added with a warning
keys 2
keys N
type_text "401 000 0007"; keys Enter
type_text "Testperson"; keys Enter
type_text "Ann"; keys Enter
type_text "1950-03-01"; keys Enter
type_text "CH44 1AB"; keys Enter
keys Enter Enter Enter Enter Enter Enter Enter
check "review" "Add person: Testperson, Ann, born 1 Mar 1950, WAL, LD? y/n"
keys y
check "the namesake warning" "Warning: $ref has the same name and date of birth"

# --- reinstate with a note
keys 3
keys l Down Enter
keys t Down Enter
check "Premier Care listed again" "Premier Care"
keys Enter
check "provider detail again" "SUSPENDED since"
keys r
check "asks for a note" "A note: why may Premier Care be offered packages again?"
type_text "Concern investigated and closed"
keys Enter
check "reinstated" "Premier Care reinstated"
check "active again" "Status: active"
"$B" --config "$T/b.cfg" --as admin export audit | grep -q "provider.reinstate" && ok || bad "reinstate not audited"
keys q q q Q
check "quits cleanly" "EXITED 0"
finish
