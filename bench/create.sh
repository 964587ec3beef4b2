#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `hotsplice create` (patch to package): wall and CPU seconds and peak RSS (hsb time:
# getrusage of the children, the largest process of the tree), and the sizes of the
# packages of the fixtures. Run by bench/run (BENCH_OUT, BENCH_WORK, HSB, runs).
#
# A private cache (BENCH_WORK/create/cache, the fetched kernel linked in) holds the
# prepared tree and its object cache (<tree>/objcache), so that a cold run can remove
# them without touching the shared cache:
#   cold: no prepared tree, no object cache; warm: both kept (the same patch again);
#   "objects compiled": the prepared tree kept, its object cache emptied before each run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
VER=${BENCH_KERNEL:-6.1.192-1}
NEW=${BENCH_RELEASE:-6.1.192-2}	# the whole-release update: VER -> NEW
CACHE=${HOTSPLICE_CACHE:-$HOME/.cache/hotsplice}
W=$BENCH_WORK/create
S="create (host, Debian $VER)"

scripts/fetch-kernel "$VER" > /dev/null
scripts/fetch-kernel "$NEW" > /dev/null
rm -rf "$W"
mkdir -p "$W/cache" "$W/p"
ln -s "$CACHE/$VER" "$W/cache/$VER"
ln -s "$CACHE/$NEW" "$W/cache/$NEW"

# create NAME PATCH [OPTION...]: one timed run of hotsplice create, its lines in W/NAME.time;
# PATCH '-': the whole-release update of VER to NEW
create() {
	local name=$1 patch=(--patch "$2")
	[ "$2" != - ] || patch=(--release "$NEW")
	shift 2
	HOTSPLICE_CACHE=$W/cache "$HSB" time "$name" ./hotsplice create -q "${patch[@]}" \
		--kernel "$VER" -o "$W/p/$name.hsu" "$@" 2>> "$W/$name.time" > /dev/null ||
		{ echo "bench: hotsplice create ${patch[*]} failed:" >&2; cat "$W/$name.time" >&2; return 1; }
}

# series NAME PATCH RUNS BEFORE [OPTION...]: RUNS runs, BEFORE (a command) before each
series() {
	local name=$1 patch=$2 runs=$3 before=$4 i
	shift 4
	: > "$W/$name.time"
	for i in $(seq "$runs"); do
		$before
		create "$name" "$patch" "$@"
	done
}
no_tree() { rm -rf "$W/cache/trees"; }
no_objects() { rm -rf "$W"/cache/trees/*/objcache; }
keep() { :; }

# rows NAME FIGURE METHOD: wall, CPU and peak RSS rows of the runs of NAME
rows() {
	bench_row "$S" "$2: wall" s "$3" $(hsb_wall "$W/$1.time")
	bench_row "$S" "$2: CPU (user+sys)" s "$3" $(hsb_field cpu "$W/$1.time")
	bench_row "$S" "$2: peak RSS" MiB "$3" \
		$(hsb_field maxrss_kb "$W/$1.time" | awk '{ printf "%.0f\n", $1 / 1024 }')
}

# five files: the one-file fixtures 01, 02, 03, 04 and 06 in one patch
for p in tests/patches/0[12346]-*.patch; do
	sed -n '/^diff --git /,$p' "$p"	# (without the description before the first diff)
done > "$W/five.patch"
[ "$(grep -c '^+++ ' "$W/five.patch")" = 5 ] || { echo "bench: five.patch: not 5 files" >&2; exit 1; }

ONE=tests/patches/02-static-version.patch
series cold "$ONE" "$COLD_RUNS" no_tree
series warm "$ONE" "$WARM_RUNS" keep
series compile1 "$ONE" "$WARM_RUNS" no_objects
series compile5 "$W/five.patch" "$MULTI_RUNS" no_objects
series header20 tests/patches/20-header-screen-proc-uptime.patch "$MULTI_RUNS" no_objects
series header22 tests/patches/22-header-names-kernel-h-softirqs.patch "$MULTI_RUNS" no_objects
# (--dry-run: the module of this one is refused, see doc/performance.md)
series headerwide bench/patches/header-get-proc-task.patch "$MULTI_RUNS" no_objects --dry-run
series release - "$MULTI_RUNS" no_objects
rows cold "one file (fs/proc/version.c), cold" "no prepared tree, no object cache (make syncconfig prepare, objtool, both objects)"
rows warm "one file, warm" "the same patch again: prepared tree and object cache kept"
rows compile1 "one file, objects compiled" "prepared tree kept, object cache emptied before each run"
rows compile5 "five files (fixtures 01 02 03 04 06)" "prepared tree kept, object cache emptied before each run"
rows header20 "header fs/proc/internal.h (fixture 20)" "23 includers screened, 1 compiled; object cache emptied"
rows header22 "header include/linux/kernel.h (fixture 22)" "~23900 includers screened by name, 1 compiled; object cache emptied"
rows headerwide "header get_proc_task() (47 functions, 5 files)" "a header inline every caller inlines: 26 includers screened, 5 compiled, --dry-run; object cache emptied"
rows release "whole release $VER -> $NEW (create --release)" "both source trees compared, each changed file made; object cache emptied"

# sizes: every fixture that makes an update (it has an .observe), and the benchmark's
S="sizes (packages from hotsplice create)"
for p in tests/patches/*.observe bench/patches/null-write-noop.patch \
	 tests/guest/patches/cmdline-mark1.patch tests/guest/patches/pipe-read-noop.patch; do
	p=${p%.observe}
	p=${p%.patch}.patch
	n=$(basename "$p" .patch)
	create "size-$n" "$p"
	ko=$(tar -tvf "$W/p/size-$n.hsu" | awk '$6 ~ /\.ko$/ { print $3 }')
	nf=$(./hotsplice show "$W/p/size-$n.hsu" | sed -n 's/^functions *//p')
	M="the .hsu file, and the livepatch .ko in it"
	bench_row "$S" "$n ($nf function$([ "$nf" = 1 ] || echo s)): package" KiB "$M" \
		"$(stat -c %s "$W/p/size-$n.hsu" | awk '{ printf "%.1f", $1 / 1024 }')"
	bench_row "$S" "$n: module" KiB "$M" "$(awk -v b="$ko" 'BEGIN { printf "%.1f", b / 1024 }')"
done
