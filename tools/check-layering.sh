#!/bin/sh
# check-layering.sh — core/ is layered (HACKING.md, "core/"): a file in a
# layer may use only its own layer and those below it. Checked twice: by the
# headers each file includes, and by the symbols each built object needs
# from another (so a hand-written extern cannot climb round the headers).
#   tools/check-layering.sh BUILD-DIR LAYER...   (lowest layer first)
# One line per upward use; exit 1 if any.
build=$1; shift
layers="$*"
rank() { i=0; for l in $layers; do [ "$l" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo 99; }
bad=0

# the headers
for l in $layers; do
	r=$(rank $l)
	for f in core/$l/*.[ch]; do
		[ -e "$f" ] || continue
		for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			hl=""
			for m in $layers; do [ -e "core/$m/$h" ] && hl=$m; done
			[ -e "core/$h" ] && [ -z "$hl" ] && hl=top
			[ -n "$hl" ] || continue
			hr=$(rank $hl)
			if [ "$hr" -gt "$r" ]; then
				echo "check-layering: $f includes $h from $hl/, above $l/" >&2; bad=1
			fi
			# a folder's *_impl.h is its own files' only
			case $h in *_impl.h) [ "$hl" = "$l" ] ||
				{ echo "check-layering: $f includes $h, $hl/'s own insides" >&2; bad=1; } ;; esac
		done
	done
done

for f in $(ls tui/*.[ch] demo/*.[ch] bench/*.[ch] tests/*.[ch] 2>/dev/null); do
	grep -q '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*_impl\.h"' "$f" &&
		{ echo "check-layering: $f includes a folder's own insides (*_impl.h)" >&2; bad=1; }
done

# the symbols: who defines what, then who needs what
if [ -d "$build/core" ]; then
	defs=$(mktemp) && trap 'rm -f "$defs"' EXIT
	for l in $layers; do
		for o in "$build"/core/$l/*.o; do
			[ -e "$o" ] || continue
			nm --defined-only "$o" | awk -v l=$l -v o="${o##*/}" '$2 ~ /^[TDRB]$/ {print $3, l, o}'
		done
	done > "$defs"
	for o in "$build"/core/*.o; do
		[ -e "$o" ] && nm --defined-only "$o" | awk -v o="${o##*/}" '$2 ~ /^[TDRB]$/ {print $3, "top", o}'
	done >> "$defs"
	for l in $layers; do
		r=$(rank $l)
		for o in "$build"/core/$l/*.o; do
			[ -e "$o" ] || continue
			nm -u "$o" | awk '{print $2}' | while read -r sym; do
				set -- $(awk -v s="$sym" '$1 == s {print $2, $3; exit}' "$defs")
				[ -n "$1" ] || continue
				if [ "$(rank $1)" -gt "$r" ]; then
					echo "check-layering: core/$l/${o##*/} calls $sym in $1/$2, above $l/" >&2
					echo bad
				fi
			done
		done
	done | grep -q bad && bad=1
fi
exit $bad
