#!/bin/sh
# NO_COLOR=1 TERM=vt100 works; kill -HUP leaves no process and no lock; an
# unknown login is refused with one line before the screen starts.
. tests/e2e/lib.sh
setup_db
start_ui "NO_COLOR=1 TERM=vt100"
check "monochrome Home" "Waiting requests"
check "selection marker without colour" "^>"
keys 3
check "monochrome Providers" "brokerage | Providers"
pid=$(pgrep -f "brokerage --config $T/b.cfg" | head -1)
[ -n "$pid" ] && ok || bad "no process to hang up"
kill -HUP "$pid"
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && bad "process still there after SIGHUP" || ok
# no lock left: a write goes straight through (busy_timeout is 300 ms)
mkdir -p "$T/files"
if "$B" --config "$T/b.cfg" --as admin export providers --out "$T/files/p.csv" 2>"$T/err"; then ok
else bad "database locked after SIGHUP: $(cat "$T/err")"; fi
"$B" --config "$T/b.cfg" --as admin check >/dev/null 2>&1 && ok || bad "check after SIGHUP"
tm kill-server 2>/dev/null
# input that ends with no hang-up (stdin closed, a dropped link whose
# SIGHUP never came): the UI leaves as on a hang-up, it does not spin
SOCK="$SOCK-eof"
start_shell
run "$B --config $T/b.cfg --as officer </dev/null; echo EXITED \$?"
i=0; while ! screen | grep -q "EXITED" && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
check "end of input ends the session" "EXITED 129"
pgrep -f "brokerage --config $T/b.cfg --as officer" >/dev/null && bad "a process is left after end of input" || ok
tm kill-server 2>/dev/null
# Ctrl-\ (SIGQUIT) leaves like the other signals, the terminal as it was
# (issue 27, finding 5: exit 131 and the terminal left -icanon -echo)
SOCK="$SOCK-quit"
start_shell
run "$B --config $T/b.cfg --as officer; echo EXITED \$?; echo MO''DES: \$(stty -a | grep -o -e -icanon -e '-echo ' -e -onlcr | tr -d '\\n') :END"
check "the screen starts" "Waiting requests"
keys 'C-\'
check "Ctrl-\\ ends the session" "EXITED 131"
check "the terminal's modes were read" "^MODES: .*:END"
screen | grep "^MODES:" | grep -q -e "-icanon" -e "-echo" -e "-onlcr" && bad "terminal left raw: $(screen | grep '^MODES:')" || ok
tm kill-server 2>/dev/null
SOCK="$SOCK-login"
start_shell
run "$B --config $T/b.cfg --as nobody; echo EXITED \$?"
check "unknown login refused" "brokerage: login 'nobody' is not a brokerage user"
check "exit 77" "EXITED 77"
lines=$(screen | grep -c "brokerage:")
[ "$lines" -eq 1 ] && ok || bad "refusal is $lines lines"
# a TERM that is no terminal type, in a real terminal (issue 27, finding 6:
# ncurses's own "Error opening terminal", exit 1): one line of ours, exit 78,
# the terminal's modes as they were
for t in "\$(printf 'x%.0s' \$(seq 5000))" /etc/passwd ../../x; do
	SOCK="$SOCK-t"
	start_shell
	run "TERM=$t $B --config $T/b.cfg --as officer; echo EXITED \$?; echo MO''DES: \$(stty -a | grep -o -e -icanon -e '-echo ' -e -onlcr | tr -d '\\n') :END"
	check "TERM=$t: exit 78" "EXITED 78"
	check "TERM=$t: our own line" "^brokerage: TERM"
	check_not "TERM=$t: not ncurses's line" "Error opening terminal"
	lines=$(screen | grep -c "brokerage: TERM")
	[ "$lines" -eq 1 ] && ok || bad "TERM=$t: the refusal is $lines lines"
	check "TERM=$t: the terminal's modes were read" "^MODES: .*:END"
	screen | grep "^MODES:" | grep -q -e "-icanon" -e "-echo" -e "-onlcr" && bad "TERM=$t: terminal left raw: $(screen | grep '^MODES:')" || ok
	tm kill-server 2>/dev/null
done
finish
