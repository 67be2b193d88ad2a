#!/bin/sh
# A surname taken from `export service-users` is found; Enter shows the
# person's NHS number and locality.
. tests/e2e/lib.sh
setup_db
# someone whose "given family" is unique, active, not restricted
line=$("$B" --config "$T/b.cfg" --as admin export service-users |
	awk -F, 'NR > 1 && $12 == 0 { key = $4 " " $3; n[key]++; row[key] = $0 }
		 END { for (k in n) if (n[k] == 1) { print row[k]; exit } }')
family=$(echo "$line" | cut -d, -f3)
given=$(echo "$line" | cut -d, -f4)
nhs=$(echo "$line" | cut -d, -f2)
loc=$(echo "$line" | cut -d, -f7)
nhs_shown=$(echo "$nhs" | sed 's/^\(...\)\(...\)\(....\)$/\1 \2 \3/')
case $loc in WAL) locname=Wallasey ;; BIR) locname=Birkenhead ;; WW) locname="West Wirral" ;; SW) locname="South Wirral" ;; esac
start_ui
keys 2
check "service users screen" "brokerage | Service users"
keys /
type_text "$family"
check "surname search lists the person" "$family, $given"
keys C-u
type_text "$given $family"
check "given + family narrows" "$family, $given"
keys Enter
check "person opens" "brokerage | Person"
check "NHS number shown" "NHS number $nhs_shown"
check "locality shown" "Locality $locname ($loc)"
keys q
check "back to the list" "Service users"
# search by NHS number too
keys "/" C-u
type_text "$nhs"
check "NHS number search" "$nhs_shown"
# a restricted person: name and reference only in the list
rline=$("$B" --config "$T/b.cfg" --as admin export service-users --include-restricted --reason "e2e check" |
	awk -F, 'NR > 1 && $12 == 1 && !r { r = $0 } END { print r }')
rfamily=$(echo "$rline" | cut -d, -f3)
rgiven=$(echo "$rline" | cut -d, -f4)
rnhs=$(echo "$rline" | cut -d, -f2 | sed 's/^\(...\)\(...\)\(....\)$/\1 \2 \3/')
keys C-u
type_text "$rgiven $rfamily"
check "a restricted person is listed, marked" "\[restricted\] $rfamily"
check_not "without the NHS number" "$rnhs"
keys Escape 1
check "1 goes Home" "brokerage | Home"
finish
