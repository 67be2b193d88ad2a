# lib.sh — helpers for driving the real terminal UI in tmux.
# Sourced by each tests/e2e/*.sh; run from the project root.
set -u
B=${BROKERAGE_E2E:-$(pwd)/brokerage}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
# the demo database is made by brokerage-demo (brokerage has no generator)
BD=${BROKERAGE_E2E_DEMO:-$(pwd)/build/brokerage-demo}
T=$(mktemp -d "${TMPDIR:-/tmp}/brokerage-e2e-XXXXXX")
SOCK="brokerage-e2e-$$"
NAME=$(basename "$0" .sh)
pass=0 fail=0

tm() { tmux -u -L "$SOCK" "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

# A small demo database of our own.
setup_db() {
	printf 'database = "t.db";\nbusy_timeout_ms = 300;\n' >"$T/b.cfg"
	"$BD" --config "$T/b.cfg" init --demo --scale 0.1 >/dev/null || { echo "e2e $NAME: init failed"; exit 1; }
}

# Start a shell in an 80x24 tmux window; then run the program in it.
start_shell() {
	tm new-session -d -x "${1:-80}" -y "${2:-24}" -e LANG=C.UTF-8 "sh"
	tm set-option -g status off >/dev/null
	sleep 0.2
}
run() { tm send-keys -l "$*"; tm send-keys Enter; }
start_ui() {
	start_shell
	run "$* $B --config $T/b.cfg --as ${LOGIN:-officer}; echo EXITED \$?"
	wait_for "q quit" || true
}
keys() { tm send-keys "$@"; sleep 0.15; }
type_text() { tm send-keys -l "$1"; sleep 0.3; }
screen() { tm capture-pane -p; }

# wait_for PATTERN [SECONDS]: until the screen shows it.
wait_for() {
	i=0 limit=$(( ${2:-5} * 10 ))
	while [ $i -lt $limit ]; do
		if screen | grep -q -- "$1"; then return 0; fi
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# On the request form: Enter through the fields to the review line, then y.
# Prints how many keys it took into $T/keys (the journey's count).
save_request() {
	i=0
	while [ $i -lt 9 ] && ! screen | grep -q "request: .* y/n"; do
		keys Enter; i=$((i + 1))
	done
	keys y
	echo $((i + 1)) >>"$T/keys"
}

ok() { pass=$((pass + 1)); }
bad() {
	echo "FAIL e2e $NAME: $1"
	screen | sed 's/^/    | /'
	fail=$((fail + 1))
}
# check DESCRIPTION PATTERN [SECONDS]
check() { if wait_for "$2" "${3:-5}"; then ok; else bad "$1: no \"$2\""; fi; }
check_not() { if screen | grep -q -- "$2"; then bad "$1: unexpected \"$2\""; else ok; fi; }

finish() {
	echo "e2e $NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
