# SPDX-License-Identifier: GPL-2.0
# Under module.sig_enforce=1 an unsigned module is refused by hotsplice itself
# (exit 4, the reason named) before the kernel is asked; a module signed with
# a key the kernel does not hold (Debian's kernel trusts only Debian's keys;
# the test key is not enrolled) passes hotsplice's check, and the kernel then
# refuses to load it: apply fails with the kernel's reason, nothing changed.
# guest-append: module.sig_enforce=1
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: cmdline-signed tests/guest/patches/cmdline-mark1.patch 6.1.192-1 @SIGN@
cd /tmp &&
test "$(cat /sys/module/module/parameters/sig_enforce)" = Y &&
hotsplice list > enf-list0 && cat /proc/cmdline > enf-cmdline0 &&
test_exit_code 4 hotsplice check $HS_PACKAGES/cmdline-mark1.hsu 2> enf-check.err &&
test_grep "update 'cmdline-mark1': module 'hs_cmdline_mark1.ko' is not signed, and this kernel loads only signed modules \(module.sig_enforce is set\): refused" enf-check.err &&
test_exit_code 4 hotsplice apply $HS_PACKAGES/cmdline-mark1.hsu 2> enf-apply.err &&
test_grep "is not signed, and this kernel loads only signed modules" enf-apply.err &&
hotsplice check $HS_PACKAGES/cmdline-signed.hsu &&
test_exit_code 1 hotsplice apply $HS_PACKAGES/cmdline-signed.hsu 2> enf-signed.err &&
test_grep "cannot load module 'hs_cmdline_signed': the kernel loads only modules signed with a key in its keyrings, and this one's is not" enf-signed.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_signed &&
hotsplice list > enf-list1 && test_cmp enf-list0 enf-list1 &&
cat /proc/cmdline > enf-cmdline1 && test_cmp enf-cmdline0 enf-cmdline1
