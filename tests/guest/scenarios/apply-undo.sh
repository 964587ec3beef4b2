# SPDX-License-Identifier: GPL-2.0
# The main story through the real commands: check, apply (the effect shows),
# list and uname report it, a second apply is "nothing to do", undo (the effect
# is gone), list is empty.
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
P=$HS_PACKAGES/cmdline-mark1.hsu

cat /proc/cmdline > before &&
test_must_fail grep -q hotsplice before &&
hotsplice list > list0 && test_grep '^no updates applied' list0 &&

hotsplice check $P > check.out 2>&1 &&
test_grep "verified: 1 function matched" check.out &&
test_grep "fits this kernel; nothing was changed" check.out &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&

hotsplice apply $P > apply.out 2>&1 &&
test_grep "update 'cmdline-mark1' applied" apply.out &&
test_eq 1 "$(lp_sysfs hs_cmdline_mark1 enabled)" enabled &&
test_eq 0 "$(lp_sysfs hs_cmdline_mark1 transition)" transition &&
grep -q "^hotsplice-1: $(cat before)\$" /proc/cmdline &&
hotsplice list > list1 && test_grep '^cmdline-mark1 +applied ' list1 &&
hotsplice list --json > list1.json && test_grep '"id": "cmdline-mark1", "state": "applied"' list1.json &&
test -f /var/lib/hotsplice/updates/cmdline-mark1.hsu &&
test_exit_code 3 hotsplice apply $P &&

hotsplice undo cmdline-mark1 > undo.out 2>&1 &&
test_grep "update 'cmdline-mark1' undone" undo.out &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail grep -q '^hs_cmdline_mark1 ' /proc/modules &&
cat /proc/cmdline > after && test_cmp before after &&
hotsplice list > list2 && test_grep '^no updates applied' list2 &&
test_must_fail test -f /var/lib/hotsplice/updates/cmdline-mark1.hsu &&
test_exit_code 1 hotsplice undo cmdline-mark1
