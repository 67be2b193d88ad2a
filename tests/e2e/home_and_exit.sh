#!/bin/sh
# Home shows the work queue; help lists the keys; q exits to the prompt.
. tests/e2e/lib.sh
setup_db
start_ui
check "status bar" "brokerage | Home"
check "demo marker" "officer DEMO"
check "queue counts" "open: .* emergency, .* urgent, .* routine"
check "the queue list" "Waiting requests ("
check "a selected row" "^>"
check "footer keys" "Enter match  Tab next list"
check "the footer is never cut: it ends with q quit" "q quit *$"
check "! is in the footer" "! respite"
keys "?"
check "help opens" "Keys on the Home screen"
check "help lists the global keys" "Service users"
keys q
check "back to Home" "Waiting requests"
keys Tab
check "my offers pane" "My offers"
keys q
check "q on Home asks first" "Quit brokerage? y/n"
check_not "and has not quit" "EXITED"
keys n
check "n stays" "brokerage | Home"
keys Q
check "Q quits at once and the prompt comes back" "EXITED 0"
finish
