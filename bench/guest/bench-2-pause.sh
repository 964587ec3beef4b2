# SPDX-License-Identifier: GPL-2.0
# Benchmark (not a test): the pause applications see. `hsb gaps` reads the clock
# in a loop on every vCPU and reports the longest interval between two readings;
# windows holding one apply, or one undo, against a window of the same length
# with neither, in the same boot.
# guest-timeout: 900
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
. /hs/extra/bench.conf
H=/hs/extra/hsb
P=$HS_PACKAGES/cmdline-mark1.hsu

# window OUT CMD...: the gaps seen while CMD runs (after a 0.2 s lead-in)
window() {
	out=$1
	shift
	$H gaps > "$out" &
	g=$!
	sleep 0.2
	"$@"
	rc=$?
	kill "$g"
	wait "$g"
	return $rc
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2"; }

i=0
: > /tmp/pause.apply; : > /tmp/pause.undo; : > /tmp/pause.idle
while [ $i -lt "$PAUSE_RUNS" ]; do
	window /tmp/ga hotsplice apply -q "$P" &&
	window /tmp/gu hotsplice undo -q cmdline-mark1 &&
	$H gaps "$(field window /tmp/ga)" > /tmp/gi &&
	field max_ms /tmp/ga >> /tmp/pause.apply &&
	field max_ms /tmp/gu >> /tmp/pause.undo &&
	field max_ms /tmp/gi >> /tmp/pause.idle &&
	say "window $(field window /tmp/ga) s: longest gap apply $(field max_ms /tmp/ga) ms, undo $(field max_ms /tmp/gu) ms, none $(field max_ms /tmp/gi) ms" || exit 1
	i=$((i + 1))
done
for w in apply undo idle; do
	echo "BENCH pause $w ms $(tr '\n' ' ' < /tmp/pause.$w)"
done
