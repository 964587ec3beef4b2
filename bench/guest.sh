#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The benchmarks inside a guest: the scenarios of bench/guest/ run by the guest
# harness (tests/guest/run, HS_SCENARIO_DIR), all in one boot of the Debian kernel,
# with the measuring tool, its parser, the run counts and the run-pre objects in
# /hs/extra (HS_GUEST_EXTRA). The guest prints "BENCH TAG STAGE UNIT V..." lines;
# they become the rows of the table here. Run by bench/run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
VER=6.1.192-1
X=$BENCH_WORK/extra
LOG=$BENCH_WORK/guest.log

# Run-pre objects: eight big files of the kernel, compiled by build-objects (a
# comment added at the end of each, so that the patch names them; 1358 functions).
runpre_objects() {
	local src f d=$BENCH_WORK/runpre
	[ -f "$d/.done" ] && return 0
	src=${HOTSPLICE_CACHE:-$HOME/.cache/hotsplice}/$VER/source
	rm -rf "$d"
	mkdir -p "$d"
	for f in kernel/sys.c kernel/fork.c kernel/signal.c mm/memory.c fs/namei.c \
		 kernel/sched/core.c mm/page_alloc.c kernel/workqueue.c; do
		mkdir -p "$d/a/${f%/*}" "$d/b/${f%/*}"
		cp "$src/$f" "$d/a/$f"
		{ cat "$src/$f"; echo "/* hotsplice benchmark */"; } > "$d/b/$f"
		(cd "$d" && diff -u "a/$f" "b/$f" >> objs.patch) || true
	done
	./hotsplice build-objects -q --patch "$d/objs.patch" --kernel "$VER" -o "$d/objs" > /dev/null
	touch "$d/.done"
}

scripts/fetch-kernel "$VER" > /dev/null
runpre_objects
rm -rf "$X"
mkdir -p "$X/objs"
cp "$HSB" bench/guest/series.awk "$X/"
find "$BENCH_WORK/runpre/objs/pre" -name '*.o' -exec cp {} "$X/objs/" \;
cat > "$X/bench.conf" <<C
RUNS=$RUNS
PAUSE_RUNS=$PAUSE_RUNS
CALL_RUNS=$CALL_RUNS
CALL_N=$CALL_N
RP_RUNS=$RP_RUNS
C
HS_VERBOSE=1 HS_GUEST_EXTRA=$X HS_SCENARIO_DIR=$PWD/bench/guest tests/guest/run > "$LOG" 2>&1 || true
if grep -q '^not ok' "$LOG" || ! grep -q '^ok' "$LOG"; then
	echo "bench: the guest benchmarks failed (all in $LOG):" >&2
	grep -v '^#   BENCH' "$LOG" | tail -40 >&2
	exit 1
fi

# vals TAG STAGE: the values of a series the guest printed
vals() {
	sed -n "s/^#   BENCH $1 $2 [^ ]* *//p" "$LOG"
}
# row SECTION FIGURE TAG STAGE UNIT METHOD
row() {
	# shellcheck disable=SC2046
	bench_row "$1" "$2" "$5" "$6" $(vals "$3" "$4")
}

for load in idle load; do
	if [ $load = idle ]; then S="apply and undo, idle guest"
	else S="apply and undo, guest busy (hsb load: CPU + syscalls on both vCPUs)"; fi
	M="command start to transition done (HS_TIMING mark 'switched')"
	F="finit_module, transition polled in sysfs every 1 ms (hsb lp-load)"
	row "$S" "apply: start to transition done" "apply-$load" done ms "$M"
	row "$S" "apply: whole command" "apply-$load" total ms "until it exits"
	row "$S" "insmod + sysfs wait (kernel floor)" "insmod-$load" done ms "$F"
	bench_ratio "$S" "apply / kernel floor" "ratio of the medians" \
		"apply: start to transition done" "insmod + sysfs wait (kernel floor)"
	M="stage of hotsplice apply: difference of consecutive HS_TIMING marks"
	row "$S" "apply stage: exec to main" "apply-$load" start ms "$M"
	row "$S" "apply stage: verify (read, run-pre, fit)" "apply-$load" verified ms "$M"
	row "$S" "apply stage: load (finit_module)" "apply-$load" loaded ms "$M"
	row "$S" "apply stage: transition (wait in sysfs)" "apply-$load" switched ms "$M"
	row "$S" "apply stage: record (state store)" "apply-$load" recorded ms "$M"
	row "$S" "apply stage: exit" "apply-$load" exit ms "$M"
	row "$S" "undo: start to transition done" "undo-$load" done ms "command start to the 'switched' mark"
	row "$S" "undo: whole command" "undo-$load" total ms "until it exits"
	row "$S" "disable + sysfs wait (kernel floor)" "rmmod-$load" done ms \
		"write 0 to enabled, transition polled every 1 ms (hsb lp-unload)"
	bench_ratio "$S" "undo / kernel floor" "ratio of the medians" \
		"undo: start to transition done" "disable + sysfs wait (kernel floor)"
	M="stage of hotsplice undo: difference of consecutive HS_TIMING marks"
	row "$S" "undo stage: exec to main, state" "undo-$load" start ms "$M"
	row "$S" "undo stage: transition (disable, wait)" "undo-$load" switched ms "$M"
	row "$S" "undo stage: unload (delete_module)" "undo-$load" unloaded ms "$M"
	row "$S" "undo stage: record (state store)" "undo-$load" recorded ms "$M"
	row "$S" "rmmod after the floor's transition" "rmmod-$load" unloaded ms "delete_module"
done

S="pause seen by applications (clock_gettime loop on both vCPUs)"
M="longest gap between two clock readings in a window holding the command"
row "$S" "longest gap, window with an apply" pause apply ms "$M"
row "$S" "longest gap, window with an undo" pause undo ms "$M"
row "$S" "longest gap, same window length, neither" pause idle ms "no command: the baseline"
bench_ratio "$S" "apply / no command" "ratio of the medians" \
	"longest gap, window with an apply" "longest gap, same window length, neither"
bench_ratio "$S" "undo / no command" "ratio of the medians" \
	"longest gap, window with an undo" "longest gap, same window length, neither"

S="cost of a replaced function (new code identical in behaviour)"
M="$CALL_N 1-byte writes to /dev/null, ns per call; unpatched and patched rounds alternate"
row "$S" "write to /dev/null, unpatched" call-null unpatched ns "$M"
row "$S" "write to /dev/null, write_null patched (null-write-noop)" call-null patched ns "$M"
bench_ratio "$S" "/dev/null: patched / unpatched" "ratio of the medians" \
	"write to /dev/null, write_null patched (null-write-noop)" "write to /dev/null, unpatched"
M="$CALL_N pairs of a 1-byte write and read on a pipe, ns per pair"
row "$S" "pipe write+read, unpatched" call-pipe unpatched ns "$M"
row "$S" "pipe write+read, pipe_read patched (pipe-read-noop)" call-pipe patched ns "$M"
bench_ratio "$S" "pipe: patched / unpatched" "ratio of the medians" \
	"pipe write+read, pipe_read patched (pipe-read-noop)" "pipe write+read, unpatched"

S="run-pre matching (hotsplice match-objects against /proc/kcore)"
M="whole command: load /proc/kallsyms, open /proc/kcore, match N functions"
for n in 1 10 100 1000; do
	row "$S" "$n function$([ $n = 1 ] || echo s)" "runpre-$n" total ms "$M"
	bench_note "$S" "$n: $(vals "runpre-$n" matched)"
done
bench_note "$S" "objects: the pre objects of kernel/sched/core.c, kernel/fork.c, mm/memory.c, fs/namei.c, mm/page_alloc.c, kernel/signal.c, kernel/sys.c, kernel/workqueue.c, functions taken in that order (symbol table order)"
