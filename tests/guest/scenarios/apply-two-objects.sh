# SPDX-License-Identifier: GPL-2.0
# One update patches two klp objects: vmlinux (/proc/version gets a last line)
# and the module binfmt_misc (its status file says "(hotsplice)").
#  1. binfmt_misc is not loaded: check and apply say so, the vmlinux function is
#     matched and replaced, and the livepatch core patches binfmt_misc when it
#     loads afterwards; undo takes both back out.
#  2. binfmt_misc is loaded: its running code is matched too, then replaced.
#  3. binfmt_misc unloaded and loaded again while the update is applied: Linux 6.1
#     keeps the livepatch's relocations of it and x86 will not write them twice, so
#     the kernel refuses the module (documented in hotsplice-apply(1)); after undo
#     it loads.
# guest-timeout: 120
# guest-package: two-objects tests/guest/patches/two-objects-binfmt.patch
# guest-module: fs/binfmt_misc.ko
P=$HS_PACKAGES/two-objects.hsu
B=/proc/sys/fs/binfmt_misc
NOTE="hotsplice: two objects"

binfmt_status() { cat $B/status; }
version_noted() { grep -q "^$NOTE\$" /proc/version; }

test_must_fail grep -q '^binfmt_misc ' /proc/modules &&
hotsplice show $P > show.out &&
test_grep '^  bm_status_read +fs/binfmt_misc.o \(binfmt_misc\)' show.out &&
test_grep '^  version_proc_show +fs/proc/version.o \(vmlinux\)' show.out &&
say "1: binfmt_misc not loaded" &&
hotsplice check $P > check.out 2>&1 &&
test_grep 'bm_status_read \(binfmt_misc\): module not loaded' check.out &&
test_grep 'version_proc_show \(vmlinux\): matches' check.out &&
hotsplice apply $P > apply.out 2>&1 &&
test_grep 'verified: 1 function matched the running kernel; the others are in modules not loaded' apply.out &&
version_noted &&
dmesg -c > /dev/null &&
insmod /hs/modules/binfmt_misc.ko &&
dmesg > load.klog &&
test_grep "applying patch 'hs_two_objects' to loading module 'binfmt_misc'" load.klog &&
mount -t binfmt_misc binfmt_misc $B &&
test_eq "enabled (hotsplice)" "$(binfmt_status)" "binfmt_misc status while patched" &&
hotsplice undo -q two-objects &&
test_eq "enabled" "$(binfmt_status)" "binfmt_misc status after undo" &&
test_must_fail version_noted &&
say "2: binfmt_misc loaded" &&
hotsplice check $P > check2.out 2>&1 &&
test_grep 'bm_status_read \(binfmt_misc\): matches the running code' check2.out &&
hotsplice apply -q $P &&
test_eq "enabled (hotsplice)" "$(binfmt_status)" "binfmt_misc status while patched (loaded first)" &&
version_noted &&
hotsplice undo -q two-objects &&
test_eq "enabled" "$(binfmt_status)" "binfmt_misc status after the second undo" &&
test_must_fail version_noted &&
umount $B &&
say "3: binfmt_misc unloaded and loaded again while patched (Linux 6.1 refuses)" &&
hotsplice apply -q $P &&
rmmod binfmt_misc &&
dmesg -c > /dev/null &&
test_must_fail insmod /hs/modules/binfmt_misc.ko &&
dmesg > reload.klog &&
test_grep "Skipping invalid relocation target, existing value is nonzero" reload.klog &&
test_grep "refusing to load module 'binfmt_misc'" reload.klog &&
hotsplice undo -q two-objects &&
insmod /hs/modules/binfmt_misc.ko &&
rmmod binfmt_misc
