# SPDX-License-Identifier: GPL-2.0
# A module's new code calls a function of vmlinux that the running kernel does not export
# (loop.ko's loop_attr_sizelimit_show now calls nr_processes()). The livepatch core lets a
# module's relocation sections name only that module's symbols, so create puts the call's
# relocation in vmlinux's section for the same code, which the module loader applies when
# the livepatch module loads. Applied: /sys/block/loopN/loop/sizelimit shows the count of
# processes the new code read from vmlinux (about what /proc lists); undo restores it.
# guest-timeout: 90
# guest-package: loop-nrproc tests/guest/patches/loop-sizelimit-vmlinux-call.patch
P=$HS_PACKAGES/loop-nrproc.hsu

grep -q '^loop ' /proc/modules &&
dd if=/dev/zero of=/tmp/loop.img bs=1M count=1 2>/dev/null &&
dev=$(losetup -f) && losetup "$dev" /tmp/loop.img &&
f=/sys/block/${dev#/dev/}/loop/sizelimit &&
test_eq 0 "$(cat $f)" "sizelimit before" &&
hotsplice check -q $P &&
hotsplice apply -q $P &&
cat $f > /tmp/shown && test_grep '^0 \(hotsplice: [0-9]+ processes\)$' /tmp/shown &&
n=$(sed 's/.*: \([0-9]*\) processes.*/\1/' /tmp/shown) &&
procs=$(ls -d /proc/[0-9]* | wc -l) &&
{ { [ "$n" -gt 0 ] && [ "$n" -ge $((procs - 20)) ] && [ "$n" -le $((procs + 20)) ]; } ||
	{ echo "FAIL: nr_processes() read $n, /proc lists $procs"; false; }; } &&
hotsplice undo -q loop-nrproc &&
test_eq 0 "$(cat $f)" "sizelimit after undo" &&
losetup -d "$dev"
