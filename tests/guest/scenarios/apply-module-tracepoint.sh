# SPDX-License-Identifier: GPL-2.0
# A changed function of a module (kyber-iosched.ko's kyber_dispatch_cur_domain) holds a
# tracepoint: its jump-label entry names the module's key, which a module patch can reach
# only through a livepatch relocation, applied after the kernel reads the entry. create
# leaves the entry out (the tracepoint does not fire in the new code; create says so).
# Applied: I/O through kyber on a loop device runs the new code (its message); kyber's
# tracepoints are enabled and disabled while it is live (the jump-label code walks the
# module's sites; the patch has none to be walked); undo; I/O again.
# guest-timeout: 120
# guest-module: block/kyber-iosched.ko
# guest-package: kyber-tp tests/guest/patches/kyber-dispatch-module.patch
T=/sys/kernel/tracing
kyber_io() {	# kyber_io DEV: 1 MiB written through the scheduler and flushed
	dd if=/dev/zero of="$1" bs=4096 count=256 conv=fsync 2> /dev/null
}
insmod /hs/modules/kyber-iosched.ko &&
dd if=/dev/zero of=/tmp/kyber.img bs=1M count=2 2> /dev/null &&
dev=$(losetup -f) && losetup "$dev" /tmp/kyber.img &&
echo kyber > /sys/block/${dev#/dev/}/queue/scheduler &&
test_grep '\[kyber\]' /sys/block/${dev#/dev/}/queue/scheduler &&
kyber_io "$dev" &&
hotsplice check -q $HS_PACKAGES/kyber-tp.hsu &&
hotsplice apply -q $HS_PACKAGES/kyber-tp.hsu &&
test_eq 1 "$(lp_sysfs hs_kyber_tp enabled)" "kyber-tp enabled" &&
kyber_io "$dev" &&
dmesg > klog && test_grep 'kyber: dispatched by the new code \(hotsplice\)' klog &&
{ [ -d $T/events ] || mount -t tracefs nodev $T; } &&
echo 1 > $T/events/kyber/enable && kyber_io "$dev" &&
echo 0 > $T/events/kyber/enable &&
hotsplice undo -q kyber-tp &&
kyber_io "$dev" &&
echo none > /sys/block/${dev#/dev/}/queue/scheduler &&
losetup -d "$dev"
