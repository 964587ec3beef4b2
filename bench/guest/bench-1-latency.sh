# SPDX-License-Identifier: GPL-2.0
# Benchmark (not a test): apply and undo of a one-function update, command start
# to transition done, on an idle guest, then with `hsb load` busy on every vCPU.
# Each cycle also loads the same livepatch module with finit_module and waits for
# its transition in sysfs (hsb lp-load / lp-unload: the kernel's own floor).
# hotsplice's HS_TIMING marks split its time into stages (bench/guest/series.awk).
# guest-timeout: 2400
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
. /hs/extra/bench.conf
H=/hs/extra/hsb
P=$HS_PACKAGES/cmdline-mark1.hsu

# cycles SUFFIX: RUNS cycles of hotsplice apply/undo and of the bare module
cycles() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		HS_TIMING=1 $H time "apply-$1" hotsplice apply -q "$P" &&
		HS_TIMING=1 $H time "undo-$1" hotsplice undo -q cmdline-mark1 &&
		$H lp-load "insmod-$1" "$KO" &&
		$H lp-unload "rmmod-$1" "$M" || return 1
		i=$((i + 1))
	done
}

mkdir -p /tmp/pkg && tar -xf "$P" -C /tmp/pkg &&
KO=$(ls /tmp/pkg/*.ko) && M=$(basename "$KO" .ko) &&
say "the module of the update: $M ($(wc -c < "$KO") bytes)" &&
cycles idle 2>> /tmp/lat.log &&
{ $H load & } && LOAD=$! &&
{ cycles load 2>> /tmp/lat.log; rc=$?; kill "$LOAD"; wait "$LOAD"; test "$rc" = 0; } &&
awk -f /hs/extra/series.awk /tmp/lat.log > /tmp/lat.series &&
cat /tmp/lat.series &&
test_must_fail grep -q BENCH-FAILED /tmp/lat.series
