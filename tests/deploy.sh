#!/bin/sh
# deploy.sh — the team deployment with real Unix logins (issue 9).
#
# As root: installs into a throwaway PREFIX/SYSCONFDIR/LOCALSTATEDIR with a
# throwaway group, exactly as README's "Deploying for a team" says; makes
# three throwaway logins (an admin, an officer, one that is no user); then,
# as those logins (runuser), books a package, and tries every attack that was
# found against the setgid program: each must be refused and leave the
# database and its audit chain as they were. It also runs the UI once over a
# real SSH login on 127.0.0.1, and checks the audit witness in syslog.
# Everything it made is removed at the end. Not root: it says it skipped.
#   sh tests/deploy.sh            (from the project root; `make test` runs it)
set -u
if [ "$(id -u)" != 0 ]; then
	echo "deploy: skipped: it needs root (real logins, a group, a setgid install)"
	exit 0
fi
SRC=$(pwd)
ROOT=$(mktemp -d /tmp/brokerage-deploy-XXXXXX)
chmod 0755 "$ROOT"
tag=$$
A=brka$tag O=brko$tag N=brkn$tag
# DEPLOY_INSTALLED=1: the program is already installed in the system's own
# places (the Debian package: tests/package.sh); otherwise make install here.
if [ "${DEPLOY_INSTALLED:-}" = 1 ]; then
	G=brokerage P=/usr E=/etc V=/var
else
	G=brkg$tag P=$ROOT/usr E=$ROOT/etc V=$ROOT/var
fi
BIN=$P/bin/brokerage
DATA=$V/lib/brokerage
DB=$DATA/brokerage.db
pass=0 fail=0
sshd_pid="" syslog_pid="" made_devlog=""

cleanup() {
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
	[ -n "$syslog_pid" ] && kill "$syslog_pid" 2>/dev/null
	[ -n "$made_devlog" ] && rm -f /dev/log
	tmux -L "brk-deploy-$tag" kill-server 2>/dev/null
	for u in $A $O $N; do userdel -r "$u" 2>/dev/null; done
	[ "${DEPLOY_INSTALLED:-}" = 1 ] || { getent group "$G" >/dev/null && groupdel "$G"; }
	rm -rf "$ROOT"
}
trap cleanup EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL deploy: $1"; fail=$((fail + 1)); }

# as LOGIN [VAR=value ...] CMD ...: a clean environment, the login's own rights
as() {
	login=$1; shift
	home=$(getent passwd "$login" | cut -d: -f6)
	(cd / && runuser -u "$login" -- env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@")
}
# expect NAME CODE PATTERN LOGIN CMD...: exit code, and a pattern in the output
expect() {
	name=$1 code=$2 pattern=$3
	shift 3
	as "$@" >"$ROOT/out" 2>"$ROOT/err"
	got=$?
	if [ "$got" -ne "$code" ]; then
		bad "$name: exit $got, wanted $code: $(head -c 300 "$ROOT/err") $(grep PROBLEM "$ROOT/out" | head -3)"; return
	fi
	if [ -n "$pattern" ] && ! cat "$ROOT/out" "$ROOT/err" | grep -q -- "$pattern"; then
		bad "$name: no \"$pattern\" in: $(cat "$ROOT/out" "$ROOT/err" | head -c 300)"; return
	fi
	ok
}
one_line() { [ "$(wc -l <"$ROOT/err")" -eq 1 ] && ok || bad "$1: the error is not one line"; }
# root's own look with sqlite3 keeps -wal and -shm (as the program does), so
# the next officer does not make them anew as that officer's files
sql() { sqlite3 -cmd ".filectrl persist_wal 1" "$@" | sed '1d'; }
# the database as the auditor sees it: rows, chain head, call-offs, users, size
snap() {
	sql "$DB" "SELECT (SELECT count(*) FROM audit) || ' ' || (SELECT hex(hash) FROM audit ORDER BY id DESC LIMIT 1)
		|| ' ' || (SELECT count(*) FROM calloff) || ' ' || (SELECT group_concat(login || '=' || role) FROM users)"
}

# ---- a syslog to witness the audit chain (the machine may have none) -------
if [ ! -e /dev/log ] && command -v socat >/dev/null; then
	socat -u UNIX-RECV:/dev/log,mode=666 OPEN:"$ROOT/auth.log",creat,append 2>/dev/null &
	syslog_pid=$!
	made_devlog=1
	i=0; while [ ! -S /dev/log ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fi

# ---- README: "Deploying for a team", step by step -------------------------
if [ "${DEPLOY_INSTALLED:-}" = 1 ]; then
	echo "next, as root: (the package)" >"$ROOT/install.log"
else
	make -s -C "$SRC" install PREFIX="$P" SYSCONFDIR="$E" LOCALSTATEDIR="$V" GROUP="$G" >"$ROOT/install.log" 2>&1 \
		|| { cat "$ROOT/install.log"; bad "make install"; echo "deploy: $pass passed, $fail failed"; exit 1; }
fi
[ "$(stat -c '%a %U %G' "$BIN")" = "2755 root $G" ] && ok || bad "binary is $(stat -c '%a %U %G' "$BIN")"
[ "$(stat -c '%a %U %G' "$DATA")" = "2770 root $G" ] && ok || bad "data dir is $(stat -c '%a %U %G' "$DATA")"
[ "$(stat -c '%a %U' "$E/brokerage/brokerage.cfg")" = "644 root" ] && ok || bad "config mode"
grep -q "next, as root:" "$ROOT/install.log" && ok || bad "install says what to do next"
if [ "${DEPLOY_INSTALLED:-}" != 1 ]; then
	man -M "$P/share/man" -w brokerage >/dev/null 2>&1 && man -M "$P/share/man" -w 5 brokerage.cfg >/dev/null 2>&1 \
		&& ok || bad "make install put no man pages"
	[ -f "$P/share/bash-completion/completions/brokerage" ] && ok || bad "make install put no completion"
fi
for u in $A $O $N; do
	useradd --create-home --shell /bin/sh "$u" && usermod -p '*' "$u" || bad "useradd $u"
done

# Nobody can use it before the first init; an officer cannot make it.
expect no-database-yet 77 "the first init is root's" $O "$BIN" init
[ ! -e "$DB" ] && ok || bad "an officer's init made a database"
expect no-demo-in-data-dir 77 "never built by the installed program" $N "$BIN" init --demo --scale 0.5
[ -z "$(ls -A "$DATA")" ] && ok || bad "files left in the data dir: $(ls -A "$DATA")"

# The register: here a small demo, built with root's own rights elsewhere,
# then made live (a council would import its CSV files instead).
mkdir -p "$ROOT/seed"
printf 'database = "seed.db";\n' >"$ROOT/seed/b.cfg"
S="$SRC/brokerage --config $ROOT/seed/b.cfg"
"$SRC/build/brokerage-demo" --config "$ROOT/seed/b.cfg" init --demo --scale 0.02 >/dev/null || bad "seed demo"
$S --as admin user add "$A" --role admin >/dev/null || bad "seed admin"
$S --as admin user add "$O" --role officer >/dev/null || bad "seed officer"
sqlite3 "$ROOT/seed/seed.db" "DELETE FROM meta WHERE key = 'demo'" || bad "seed made live"
install -o root -g "$G" -m 0660 "$ROOT/seed/seed.db" "$DB"
"$BIN" init >"$ROOT/out" 2>&1 && ok || bad "root's init: $(cat "$ROOT/out")"
for f in "$DB" "$DB-wal" "$DB-shm" "$DB-wq"; do
	[ "$(stat -c '%a %U %G' "$f" 2>/dev/null)" = "660 root $G" ] && ok || bad "$f is $(stat -c '%a %U %G' "$f" 2>&1)"
done

# the witness key is root's file, the group's to read, never in the database
# (issue 27, finding 2)
[ "$(stat -c '%a %U %G' "$E/brokerage/witness.key" 2>&1)" = "640 root $G" ] && ok \
	|| bad "the witness key is $(stat -c '%a %U %G' "$E/brokerage/witness.key" 2>&1)"
[ "$(sql "$DB" "SELECT count(*) FROM meta WHERE key = 'witness_key'")" = 0 ] && ok || bad "the witness key is in the database"
expect officer-cannot-read-key 1 "" $O cat "$E/brokerage/witness.key"

# ---- the officer books, through the program only -------------------------
START=$(date -u -d '+9 days' +%Y-%m-%d)
expect admin-exports 0 "^ref," $A "$BIN" export service-users
ref=$(awk -F, '$7 == "WAL" && $10 == "active" && $12 == 0 { print $1; exit }' "$ROOT/out")
expect officer-request 0 "^[0-9][0-9]*$" $O "$BIN" request new --user "$ref" --service HC --units 10 \
	--start "$START" --urgency routine --funding ASC
req=$(cat "$ROOT/out")
expect officer-offer 0 "^[0-9][0-9]*$" $O "$BIN" offer "$req" 1
offer=$(cat "$ROOT/out")
expect officer-books 0 "call-off [0-9]*: Premier Care" $O "$BIN" respond "$offer" accept
expect booking-audited-as-officer 0 "$O" $A "$BIN" export audit
expect officer-cannot-sqlite 1 "" $O sqlite3 "$DB" "DELETE FROM audit"
expect officer-cannot-read-file 1 "" $O cat "$DB"
for f in "$DB" "$DB-wal" "$DB-shm" "$DB-wq"; do
	[ "$(stat -c '%a %U %G' "$f")" = "660 root $G" ] && ok || bad "after the officer: $f is $(stat -c '%a %U %G' "$f")"
done

# ---- every attack that was found: refused, nothing changed ---------------
before=$(snap)
ohome=$(getent passwd "$O" | cut -d: -f6)
ahome=$(getent passwd "$A" | cut -d: -f6)
printf 'database = "%s";\n' "$DB" >"$ohome/evil.cfg"
printf 'database = "%s";\ndemo = true;\n' "$DB" >"$ohome/evil2.cfg"
chown "$O" "$ohome/evil.cfg" "$ohome/evil2.cfg"
# 1. any login becomes any login: a config of the caller's, --as, the clock
expect config-flag 77 "--config is refused" $O "$BIN" --config "$ohome/evil.cfg" user add "$O" --role admin
one_line config-flag
expect config-env 77 "BROKERAGE_CONFIG is refused" $O BROKERAGE_CONFIG="$ohome/evil2.cfg" "$BIN" --as "$A" user add "$O" --role admin
expect as-on-live 77 "--as is refused" $O "$BIN" --as "$A" user set-role "$O" admin
expect as-on-live-nonuser 77 "--as is refused" $N "$BIN" --as "$A" init
expect clock-on-live 77 "BROKERAGE_NOW .* is refused" $O BROKERAGE_NOW=2020-01-01 "$BIN" request new --user "$ref" \
	--service HC --units 5 --start "$START" --urgency routine --funding ASC
expect officer-init 77 "init on an existing database is for admins" $O "$BIN" init
expect officer-user-add 77 "not allowed" $O "$BIN" user add "$N" --role admin
# 2. an officer destroys the database through export/backup
ln -s "$DB" "$ohome/x.part"
expect export-link-officer 77 "not allowed for role officer" $O "$BIN" export audit --out "$ohome/x"
ln -s "$DB" "$ahome/x.part"
expect export-link-admin 74 "is in the way" $A "$BIN" export audit --out "$ahome/x"
expect export-over-db 77 "refusing to write" $A "$BIN" export audit --out "$DB"
expect export-into-data 77 "refusing to write" $A "$BIN" export audit --out "$DATA/evil.csv"
expect backup-over-wq 77 "refusing to write" $A "$BIN" backup "$DB-wq"
expect backup-officer 77 "not allowed" $O "$BIN" backup "$ohome/copy.db"
ln -s "$DB" "$ahome/y.db"
expect backup-over-link 77 "database's own files" $A "$BIN" backup "$ahome/y.db"
# a file the caller names is read with the caller's rights too
expect import-reads-as-caller 66 "cannot read" $A "$BIN" import providers "$DB"
expect witness-reads-as-caller 66 "cannot read" $A "$BIN" check --witness "$DB-wq"
# 4. a login that is no user
expect nonuser 77 "is not a brokerage user" $N "$BIN" user list
one_line nonuser
expect nonuser-ui 77 "is not a brokerage user" $N TERM=xterm "$BIN"
one_line nonuser-ui
expect nonuser-demo 77 "never built" $N "$BIN" init --demo --scale 0.5
[ "$(ls -A "$DATA" | tr '\n' ' ')" = "brokerage.db brokerage.db-shm brokerage.db-wal brokerage.db-wq " ] && ok \
	|| bad "the data dir now holds: $(ls -A "$DATA")"
after=$(snap)
[ "$before" = "$after" ] && ok || bad "the attacks changed the database: $before -> $after"
expect check-after 0 "audit chain: .* rows intact" $A "$BIN" check
[ "$(stat -c %s "$DB")" -gt 100000 ] && ok || bad "the database shrank"

# what an admin may do, as the admin, with the admin's own rights
expect admin-export 0 "wrote" $A "$BIN" export providers --out "$ahome/p.csv"
[ "$(stat -c '%U %a' "$ahome/p.csv")" = "$A 600" ] && ok || bad "export file is $(stat -c '%U %a' "$ahome/p.csv")"
expect admin-backup 0 "backed up" $A "$BIN" backup "$ahome/b.db"
[ "$(stat -c '%U %G %a' "$ahome/b.db")" = "$A $A 600" ] && ok || bad "backup is $(stat -c '%U %G %a' "$ahome/b.db")"
[ "$(sqlite3 "$ahome/b.db" 'SELECT count(*) FROM calloff')" = "$(sql "$DB" 'SELECT count(*) FROM calloff')" ] && ok \
	|| bad "the backup is not whole"

# ---- an officer who stops his own writer stops nobody else (issue 27, 1) ---
# Root holds SQLite's write lock a moment (as sqlite3 or a copy might); the
# officer's request waits behind it, holding the writers' turn, and the
# officer stops it from his own shell (SIGSTOP: no handler can refuse it).
# Once root lets go, the admin's write must get in before its deadline: the
# officer's guard ends the stopped writer, and what it had not saved is lost.
mkfifo "$ROOT/hold"
requests=$(sql "$DB" "SELECT count(*) FROM package_request")
{ echo "BEGIN IMMEDIATE;"; cat "$ROOT/hold"; echo "ROLLBACK;"; } | sqlite3 -cmd ".filectrl persist_wal 1" "$DB" >/dev/null &
holder=$!
sleep 0.3
# (setpriv, not runuser: runuser stops itself when its child stops)
(cd / && setpriv --reuid "$O" --regid "$O" --init-groups env -i HOME="$ohome" PATH=/usr/bin:/bin LANG=C.UTF-8 \
	"$BIN" request new --user "$ref" --service DAY --units 2 --start "$START" --urgency routine \
	--funding ASC >"$ROOT/stopped.out" 2>"$ROOT/stopped.err") &
officer_job=$!
i=0; while [ $i -lt 50 ] && ! pgrep -u "$O" -x brokerage >/dev/null; do sleep 0.05; i=$((i + 1)); done
sleep 0.3 # its guard is running too; the writer is the older of the two
writer=$(pgrep -u "$O" -o -x brokerage)
as $O kill -STOP "$writer"
echo >"$ROOT/hold"
wait "$holder"
t0=$(date +%s%N)
expect stopped-writer-stops-nobody 0 "" $A "$BIN" user add "$N" --role officer
t1=$(date +%s%N)
# a figure, not a threshold: the guard looks every 200 ms; before, the write
# waited out the 5 s busy timeout and was refused
echo "deploy: a write behind a SIGSTOPped writer took $(( (t1 - t0) / 1000000 )) ms (refused after 5,100 ms before)"
if [ "$(ps -o stat= -p "$writer" 2>/dev/null | cut -c1)" = T ]; then
	bad "the stopped writer is still stopped, holding the turn"
	kill -KILL "$writer"
fi
wait "$officer_job"; code=$?
[ "$code" -ne 0 ] && ok || bad "the stopped writer finished (exit $code)"
grep -q "ended so that others can write" "$ROOT/stopped.err" && ok \
	|| bad "the stopped writer's terminal was not told: $(cat "$ROOT/stopped.err")"
[ "$(sql "$DB" "SELECT count(*) FROM package_request")" = "$requests" ] && ok || bad "the stopped writer's request was kept"
sleep 0.3
pgrep -r R,S,D,T,t -u "$O" -x brokerage >/dev/null && bad "a process of the officer's is left: $(pgrep -u "$O" -a brokerage)" || ok
[ -n "$made_devlog" ] && { grep -q "ended, so that others can write" "$ROOT/auth.log" && ok || bad "syslog was not told"; }
# ---- root looks with plain sqlite3 (issue 27, finding 11) ----------------
# sqlite3 without persist_wal deletes -wal and -shm at its close; the next
# officer's session made them again as the officer's files. The program now
# refuses, in one line, and makes nothing; root's init makes them again.
sqlite3 "$DB" "SELECT count(*) FROM audit" >/dev/null || bad "root's plain sqlite3"
[ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] && ok || bad "plain sqlite3 left -wal/-shm: the case is not made"
expect officer-after-plain-sqlite 66 "brokerage.db-wal is missing .*as root, run 'brokerage init'" $O "$BIN" match "$req"
one_line officer-after-plain-sqlite
[ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] && ok \
	|| bad "the officer's session made: $(stat -c '%n %a %U %G' "$DB-wal" "$DB-shm" 2>/dev/null | tr '\n' ' ')"
"$BIN" init >"$ROOT/init.log" 2>&1 && ok || bad "root's init after sqlite3: $(cat "$ROOT/init.log")"
for f in "$DB" "$DB-wal" "$DB-shm" "$DB-wq"; do
	[ "$(stat -c '%a %U %G' "$f" 2>/dev/null)" = "660 root $G" ] && ok || bad "after init: $f is $(stat -c '%a %U %G' "$f" 2>&1)"
done
expect officer-after-init 0 "offerable" $O "$BIN" match "$req"
# the writers' queue deleted: sessions go on without it (SQLite's busy
# handler alone) and make none; check names it; root's init makes it again
rm -f "$DB-wq"
expect officer-without-wq 0 "offerable" $O "$BIN" match "$req"
[ ! -e "$DB-wq" ] && ok || bad "an officer's session made -wq: $(stat -c '%a %U %G' "$DB-wq")"
expect check-names-missing-wq 65 "files: .*brokerage.db-wq: missing" $A "$BIN" check
"$BIN" init >"$ROOT/init.log" 2>&1 && ok || bad "root's init after rm -wq: $(cat "$ROOT/init.log")"
[ "$(stat -c '%a %U %G' "$DB-wq" 2>/dev/null)" = "660 root $G" ] && ok || bad "after init: -wq is $(stat -c '%a %U %G' "$DB-wq" 2>&1)"
expect check-after-init 0 "files: the database and the files beside it: one owner" $A "$BIN" check
for f in "$DB" "$DB-wal" "$DB-shm" "$DB-wq"; do
	[ "$(stat -c '%a %U %G' "$f")" = "660 root $G" ] && ok || bad "at the end: $f is $(stat -c '%a %U %G' "$f")"
done

# ---- the witness: syslog has the committed heads -------------------------
if [ -n "$made_devlog" ]; then
	sleep 0.3
	cp "$ROOT/auth.log" "$ahome/auth.log" && chown "$A" "$ahome/auth.log"
	expect witness-agrees 0 "heads agree with the chain" $A "$BIN" check --witness "$ahome/auth.log"
	# an officer cannot make the check cry wolf: a line of theirs is not signed
	if command -v logger >/dev/null; then
		zeros=0000000000000000000000000000000000000000000000000000000000000000
		as $O logger -p authpriv.notice -t brokerage "audit-head db=$DB seq=99999999 hash=$zeros mac=$zeros"
		sleep 0.3
		cp "$ROOT/auth.log" "$ahome/auth.log" && chown "$A" "$ahome/auth.log"
		expect witness-forged 65 "not signed with its key" $A "$BIN" check --witness "$ahome/auth.log"
		grep -q "is missing" "$ROOT/out" && bad "a forged line passed for a cut tail" || ok
	fi
	# cut the tail, as someone with the group's rights might
	last=$(sql "$DB" "SELECT max(id) FROM audit")
	# and put a key of one's own in the database, as the probe did: the
	# program never signs or checks with a key kept there
	planted=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	sql "$DB" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > $((last - 3));
		INSERT OR REPLACE INTO meta VALUES ('witness_key', '$planted')"
	# (heads go a line a second while a process writes, the latest at its
	# close: the first row cut is named either way)
	expect witness-cut 65 "audit rows* $((last - 2)) .*missing" $A "$BIN" check --witness "$ahome/auth.log"
	expect check-names-planted-key 65 "witness key in the database" $A "$BIN" check
else
	echo "deploy: witness part skipped (this machine has its own /dev/log, or no socat)"
fi

# ---- the UI over a real SSH login -----------------------------------------
if command -v sshd >/dev/null && command -v ssh >/dev/null; then
	mkdir -p "$ROOT/ssh" /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$ROOT/ssh/host" && ssh-keygen -q -t ed25519 -N '' -f "$ROOT/ssh/user"
	cp "$ROOT/ssh/user.pub" "$ROOT/ssh/authorized_keys"
	port=$((20000 + tag % 20000))
	cat >"$ROOT/ssh/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $ROOT/ssh/host
PidFile $ROOT/ssh/sshd.pid
AuthorizedKeysFile $ROOT/ssh/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
AllowUsers $O
CFG
	/usr/sbin/sshd -D -e -f "$ROOT/ssh/sshd_config" 2>"$ROOT/ssh/log" &
	sshd_pid=$!
	sleep 0.5
	tm() { tmux -L "brk-deploy-$tag" "$@"; }
	tm new-session -d -x 80 -y 24 "ssh -tt -p $port -i $ROOT/ssh/user -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o BatchMode=yes $O@127.0.0.1 $BIN; sleep 5"
	i=0; while [ $i -lt 60 ] && ! tm capture-pane -p | grep -q "q quit"; do sleep 0.1; i=$((i + 1)); done
	if tm capture-pane -p | grep -q "$O"; then ok; else
		bad "the UI over ssh does not show the login $O"
		tm capture-pane -p | sed 's/^/    | /'; tail -5 "$ROOT/ssh/log"
	fi
	tm capture-pane -p | grep -q "DEMO" && bad "a live database says DEMO" || ok
	tm send-keys q
	sleep 0.5
	tm kill-server 2>/dev/null
	kill "$sshd_pid" 2>/dev/null; sshd_pid=""
else
	echo "deploy: ssh part skipped (no openssh-server)"
fi

# ---- make uninstall removes what install put, never the data --------------
if [ "${DEPLOY_INSTALLED:-}" = 1 ]; then
	echo "deploy: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
make -s -C "$SRC" uninstall PREFIX="$P" SYSCONFDIR="$E" LOCALSTATEDIR="$V" GROUP="$G" >/dev/null 2>&1
[ ! -e "$BIN" ] && [ ! -e "$E/brokerage/brokerage.cfg" ] && ok || bad "uninstall left the program or config"
[ -f "$DB" ] && ok || bad "uninstall removed the data"
# a staged install touches nothing outside its stage, and needs no group
make -s -C "$SRC" install DESTDIR="$ROOT/stage" PREFIX=/usr SYSCONFDIR="$ROOT/nowhere/etc" \
	LOCALSTATEDIR="$ROOT/nowhere/var" GROUP="brkstage$tag" >/dev/null 2>&1 || bad "staged install"
[ -x "$ROOT/stage/usr/bin/brokerage" ] && [ -f "$ROOT/stage$ROOT/nowhere/etc/brokerage/brokerage.cfg" ] && ok \
	|| bad "staged install is not in the stage"
[ ! -e "$ROOT/nowhere" ] && ! getent group "brkstage$tag" >/dev/null && ok || bad "staged install touched the system"

echo "deploy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
