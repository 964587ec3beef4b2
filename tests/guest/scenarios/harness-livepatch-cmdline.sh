# SPDX-License-Identifier: GPL-2.0
# The harness's own proof: a hand-written livepatch (kmod/tests/hs_test_cmdline.c)
# replaces cmdline_proc_show; /proc/cmdline shows it while loaded, and the
# original text comes back after disable + unload.
# guest-timeout: 60

cat /proc/cmdline > /tmp/cmdline.before &&
test_grep 'console=ttyS0' /tmp/cmdline.before &&
test_must_fail test -d /sys/kernel/livepatch/hs_test_cmdline &&

lp_load $HS_KMOD/hs_test_cmdline.ko &&
test_eq 1 "$(lp_sysfs hs_test_cmdline enabled)" enabled &&
test_eq 0 "$(lp_sysfs hs_test_cmdline transition)" transition &&
echo "hotsplice: this has been live patched" > /tmp/cmdline.expect &&
cat /proc/cmdline > /tmp/cmdline.patched &&
test_cmp /tmp/cmdline.expect /tmp/cmdline.patched &&
grep -q '^hs_test_cmdline ' /proc/modules &&

lp_unload hs_test_cmdline &&
test_must_fail test -d /sys/kernel/livepatch/hs_test_cmdline &&
cat /proc/cmdline > /tmp/cmdline.after &&
test_cmp /tmp/cmdline.before /tmp/cmdline.after
