# SPDX-License-Identifier: GPL-2.0
# A function of a loadable module (loop.ko, loaded by the harness) is replaced
# through a livepatch object for that module: run-pre matching reads the module's
# running code, the update applies, /sys/block/loopN/loop/offset shows it, undo
# restores it.
# guest-timeout: 90
# guest-package: loop-offset tests/guest/patches/loop-offset-module.patch
P=$HS_PACKAGES/loop-offset.hsu

grep -q '^loop ' /proc/modules &&
dd if=/dev/zero of=/tmp/loop.img bs=1M count=1 2>/dev/null &&
dev=$(losetup -f) && losetup "$dev" /tmp/loop.img &&
f=/sys/block/${dev#/dev/}/loop/offset &&
test_eq 0 "$(cat $f)" "offset before" &&
hotsplice show $P > show.out && test_grep 'loop_attr_do_show_offset +drivers/block/loop.o \(loop\)' show.out &&
hotsplice check $P > check.out 2>&1 && test_grep 'loop_attr_do_show_offset \(loop\): matches' check.out &&
hotsplice apply -q $P &&
test_eq "0 (hotsplice)" "$(cat $f)" "offset while patched" &&
hotsplice list > list && test_grep '^loop-offset +applied' list &&
hotsplice undo -q loop-offset &&
test_eq 0 "$(cat $f)" "offset after undo" &&
losetup -d "$dev"
