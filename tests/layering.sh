#!/bin/sh
# layering.sh — make check-layering refuses an upward use, by header and by
# symbol (a hand-written extern): each case must fail with its one line.
#   sh tests/layering.sh [BUILD-DIR]     (after the core objects are built)
set -u
build=${1:-build}
layers="base store records lifecycle flows views"
here=$(pwd)
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

cp -r core "$tmp/core" && mkdir -p "$tmp/build" && cp -r "$build/core" "$tmp/build/core"
cp tools/check-layering.sh "$tmp/"
cd "$tmp" || exit 1

sh check-layering.sh build $layers 2>out && ok "the tree as it is passes" || { bad "the tree as it is fails"; cat out; }

# an include from a layer above
printf '#include "calloff.h"\n' >> core/base/util.h
if sh check-layering.sh build $layers 2>out; then bad "base/ including lifecycle/ passed"
elif grep -q 'core/base/util.h includes calloff.h from lifecycle/, above base/' out; then ok "an upward include is refused"
else bad "an upward include: wrong words"; cat out; fi
cp "$here/core/base/util.h" core/base/util.h

# a folder's own insides from another folder (even one above it)
cp core/records/queue.c queue.c.orig
printf '#include "store_impl.h"\n' >> core/records/queue.c
if sh check-layering.sh build $layers 2>out; then bad "records/ including store_impl.h passed"
elif grep -q "core/records/queue.c includes store_impl.h, store/'s own insides" out; then ok "another folder's insides are refused"
else bad "another folder's insides: wrong words"; cat out; fi
cp queue.c.orig core/records/queue.c

# a call up the layers with no header at all
printf 'extern int calloff_get(void);\nint layering_probe(void);\nint layering_probe(void) { return calloff_get(); }\n' > probe.c
cc -c -o build/core/records/probe.o probe.c
if sh check-layering.sh build $layers 2>out; then bad "records/ calling lifecycle/ passed"
elif grep -q 'core/records/probe.o calls calloff_get in lifecycle/' out; then ok "an upward call is refused"
else bad "an upward call: wrong words"; cat out; fi
exit $fail
