#!/bin/sh
# package.sh — the Debian package (issue 15), as root: build it, install it
# with dpkg -i, check what the postinst set up, run the deployment checks
# (tests/deploy.sh) against the installed files, then purge it.
#   sh tests/package.sh          (`make test` runs it as root)
set -u
if [ "$(id -u)" != 0 ]; then
	echo "package: skipped: it needs root (dpkg -i)"
	exit 0
fi
if [ -e /usr/bin/brokerage ] || [ -d /var/lib/brokerage ] || getent group brokerage >/dev/null; then
	echo "package: skipped: this machine already has a brokerage installed (/usr/bin, /var/lib or the group)"
	exit 0
fi
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL package: $1"; fail=$((fail + 1)); }
cleanup() { BROKERAGE_PURGE_DATA=yes dpkg --purge brokerage >/dev/null 2>&1; }
trap cleanup EXIT INT TERM

make -s deb >/tmp/brokerage-deb.log 2>&1 || { tail -20 /tmp/brokerage-deb.log; bad "make deb"; exit 1; }
deb=$(ls build/deb/brokerage_*_amd64.deb build/deb/brokerage_*_*.deb 2>/dev/null | grep -v dbgsym | head -1)
[ -n "$deb" ] && ok || { bad "no .deb"; exit 1; }
dpkg -i "$deb" >/tmp/brokerage-dpkg.log 2>&1 && ok || { cat /tmp/brokerage-dpkg.log; bad "dpkg -i"; exit 1; }
grep -q "brokerage init --admin LOGIN" /tmp/brokerage-dpkg.log && ok || bad "postinst says what to do next"
[ "$(stat -c '%a %U %G' /usr/bin/brokerage)" = "2755 root brokerage" ] && ok || bad "binary is $(stat -c '%a %U %G' /usr/bin/brokerage)"
[ "$(stat -c '%a %U %G' /var/lib/brokerage)" = "2770 root brokerage" ] && ok || bad "data dir is $(stat -c '%a %U %G' /var/lib/brokerage)"
dpkg-statoverride --list /usr/bin/brokerage | grep -q "root brokerage 2755" && ok || bad "no statoverride"
grep -q '^/etc/brokerage/brokerage.cfg$' /var/lib/dpkg/info/brokerage.conffiles && ok || bad "the config is not a conffile"
/usr/bin/brokerage --version | grep -q "^brokerage $(cat VERSION) (schema" && ok || bad "--version: $(/usr/bin/brokerage --version)"
grep -q '^database = "/var/lib/brokerage/brokerage.db";' /etc/brokerage/brokerage.cfg && ok || bad "config's database"
man -w brokerage >/dev/null 2>&1 && man -w 5 brokerage.cfg >/dev/null 2>&1 && man -w 7 brokerage >/dev/null 2>&1 && ok || bad "man pages not installed"
MANWIDTH=80 man brokerage 2>/dev/null | grep -q "DEPLOYMENT" && ok || bad "man brokerage does not show the page"
[ -f /usr/share/bash-completion/completions/brokerage ] && ok || bad "no bash completion"
/usr/bin/brokerage export --help | grep -q "^example:" && ok || bad "export --help from the package"

# the deployment checks against the installed files
DEPLOY_INSTALLED=1 sh tests/deploy.sh >/tmp/brokerage-deploy.log 2>&1 && ok || { grep -E "FAIL|deploy:" /tmp/brokerage-deploy.log; bad "deploy checks"; }
tail -1 /tmp/brokerage-deploy.log

# remove keeps the data; purge without asking keeps it too, root's only, and
# removes the group; asked, it removes the data
dpkg --remove brokerage >/dev/null 2>&1 && ok || bad "dpkg --remove"
[ ! -e /usr/bin/brokerage ] && [ -f /var/lib/brokerage/brokerage.db ] && ok || bad "remove: program gone, data kept"
dpkg --purge brokerage >/tmp/brokerage-purge.log 2>&1 && ok || bad "dpkg --purge"
[ -f /var/lib/brokerage/brokerage.db ] && [ "$(stat -c '%a %U %G' /var/lib/brokerage)" = "700 root root" ] && ok \
	|| bad "purge without asking: data is $(stat -c '%a %U %G' /var/lib/brokerage 2>&1)"
! getent group brokerage >/dev/null && ok || bad "purge left the group"
! dpkg-statoverride --list /usr/bin/brokerage >/dev/null 2>&1 && ok || bad "purge left the statoverride"
# installed again, the kept data is the group's again; then purged, asked
dpkg -i "$deb" >/dev/null 2>&1 && [ "$(stat -c '%a %G' /var/lib/brokerage)" = "2770 brokerage" ] && ok || bad "reinstall over kept data"
BROKERAGE_PURGE_DATA=yes dpkg --purge brokerage >/dev/null 2>&1 && [ ! -e /var/lib/brokerage ] && ok || bad "purge, asked, kept the data"
rm -rf /var/lib/brokerage

echo "package: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
