# SPDX-License-Identifier: GPL-2.0
# Cumulative story, boot 2 of 2: replay applies only what is live, the
# cumulative update B (A's fix with it); A, which B replaced, is skipped and
# its livepatch never loaded. undo B makes A live again; undo --all ends with
# nothing.
# guest-disk: cumul
# guest-boot: 2
# guest-boot-replay: yes
# guest-timeout: 90
cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^replay: update 'cmdline-mark1' skipped: replaced by cumulative update 'version-on-mark1'" /run/hs-boot/replay.out &&
test_grep "^replay: update 'version-on-mark1' applied" /run/hs-boot/replay.out &&
test_grep "^replay: 1 applied, 0 already applied, 0 for another kernel, 0 failed" /run/hs-boot/replay.out &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version" &&
hotsplice undo -q version-on-mark1 &&
test_eq 1 "$(lp_sysfs hs_cmdline_mark1 enabled)" "A live again" &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_must_fail grep -q 'live patched' /proc/version &&
hotsplice undo -q --all &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
hotsplice list --all > list && test_grep '^no updates applied' list
