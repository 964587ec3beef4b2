#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Time `hotsplice create` (patch to package): cold (no prepared tree), warm with a new
# patch to a file compiled before (its pre object comes from the object cache), warm
# with a file never compiled, a repeat (everything cached), and fixture 24 (a notrace
# global function: its callers in another file are found and compiled too).
#
# usage: bench/create.sh [VERSION]   (default 6.1.192-1, fetched by scripts/fetch-kernel)
# Uses a scratch cache (the fetched kernel linked in), so the real cache's trees stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
VER=${1:-6.1.192-1}
CACHE=${HOTSPLICE_CACHE:-$HOME/.cache/hotsplice}
SRC=$CACHE/$VER/source
[ -d "$SRC" ] || { echo "bench: run scripts/fetch-kernel $VER first" >&2; exit 1; }
W=$(mktemp -d /tmp/hs-bench-XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/cache" && ln -s "$CACHE/$VER" "$W/cache/$VER"

mkpatch() { # FILE SED-EXPR OUT: a one-line change of FILE as a -p1 patch
	mkdir -p "$W/p/a/$(dirname "$1")" "$W/p/b/$(dirname "$1")"
	cp "$SRC/$1" "$W/p/a/$1" && cp "$SRC/$1" "$W/p/b/$1" && sed -i "$2" "$W/p/b/$1"
	(cd "$W/p" && diff -u "a/$1" "b/$1") >> "$3" || true
}
mkpatch kernel/sys.c 's/v = LINUX_VERSION_PATCHLEVEL + 60;/v = LINUX_VERSION_PATCHLEVEL + 61;/' "$W/sys.diff"
mkpatch kernel/sys.c 's/v = LINUX_VERSION_PATCHLEVEL + 60;/v = LINUX_VERSION_PATCHLEVEL + 62;/' "$W/sys2.diff"
mkpatch fs/proc/cmdline.c 's/seq_putc(m, .\\n.);/seq_puts(m, " hotsplice\\n");/' "$W/cmdline.diff"

run() { # NAME PATCH
	local t0 t1
	t0=$(date +%s.%N)
	HOTSPLICE_CACHE=$W/cache ./hotsplice create -q --patch "$2" --kernel "$VER" \
		--workdir "$W/out-${1//[^a-z0-9.]/_}" -o "$W/pkg.hsu"
	t1=$(date +%s.%N)
	printf '%-28s %6.1f s\n' "$1" "$(echo "$t1 - $t0" | bc)"
}
echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), Debian $VER"
run "cold kernel/sys.c" "$W/sys.diff"
run "warm kernel/sys.c, new patch" "$W/sys2.diff"
run "warm fs/proc/cmdline.c" "$W/cmdline.diff"
run "repeat fs/proc/cmdline.c" "$W/cmdline.diff"
# a global function without __fentry__: the #include index, the caller search, one extra unit
run "notrace fs/open.c + callers" tests/patches/24-notrace-global-open-how.patch
cmp -s "$W/out-cold_kernel_sys.c/pre/kernel/sys.o" "$W/out-warm_kernel_sys.c__new_patch/pre/kernel/sys.o" &&
	echo "pre kernel/sys.o identical in both runs"
