# SPDX-License-Identifier: GPL-2.0
# A changed function of a module of several objects on Debian 12's 6.12 (null_blk.ko:
# main.o, trace.o, zoned.o) holds a tracepoint (null_zone_write's trace_nullb_zone_op).
# objtool has not run on zoned.o (6.12 runs it at vmlinux.o and at a module's link), so
# the jump-label site is still arch_static_branch()'s jmp: create makes it the NOP objtool
# would and leaves the entry out. A zoned null_blk device with conventional zones: writes
# run the new code (its message); undo. (Tracing is enabled while live in the kyber
# scenarios; here, in its first run, enabling null_blk's events oopsed once in __schedule's
# sched_switch site, "Oops: int3", and not in 8 runs after nor in 6 without the update.)
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 120
# guest-module: fs/configfs/configfs.ko.xz
# guest-module: drivers/block/null_blk/null_blk.ko.xz
# guest-package: k612-nullb-tp tests/guest/patches/nullb-zone-write-module-6.12.patch
nullb_write() {	# 1 MiB written at the start of the device (a conventional zone), flushed
	dd if=/dev/zero of=/dev/nullb0 bs=4096 count=256 conv=fsync 2> /dev/null
}
insmod /hs/modules/configfs.ko &&
insmod /hs/modules/null_blk.ko nr_devices=1 gb=1 zoned=1 zone_size=64 zone_nr_conv=2 &&
test_eq host-managed "$(cat /sys/block/nullb0/queue/zoned)" "a zoned null_blk" &&
nullb_write &&
hotsplice check -q $HS_PACKAGES/k612-nullb-tp.hsu &&
hotsplice apply -q $HS_PACKAGES/k612-nullb-tp.hsu &&
test_eq 1 "$(lp_sysfs hs_k612_nullb_tp enabled)" "k612-nullb-tp enabled" &&
nullb_write &&
dmesg > klog && test_grep 'null_blk: a zone written by the new code \(hotsplice\)' klog &&
hotsplice undo -q k612-nullb-tp &&
nullb_write
