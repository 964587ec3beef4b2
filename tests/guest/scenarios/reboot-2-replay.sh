# SPDX-License-Identifier: GPL-2.0
# Reboot story, boot 2 of 4: same disk, same kernel. Replay ran from init before
# this scenario: both updates are back without any manual apply, in the
# recorded order, reported on stderr and in the kernel log. Replaying again
# changes nothing; /etc/hotsplice/disable turns replay off.
# guest-disk: reboot
# guest-boot: 2
# guest-boot-replay: yes
# guest-keep-livepatches: yes
# guest-timeout: 60
cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^replay: update 'cmdline-mark1' applied" /run/hs-boot/replay.out &&
test_grep "^replay: update 'f-02' applied" /run/hs-boot/replay.out &&
test_grep "^replay: 2 applied, 0 already applied, 0 for another kernel, 0 failed" /run/hs-boot/replay.out &&
test_grep "hotsplice: replay: update 'cmdline-mark1' applied" /run/hs-boot/klog &&
test_grep "hotsplice: replay: update 'f-02' applied" /run/hs-boot/klog &&
test "$(grep -n "replay: update 'cmdline-mark1' applied" /run/hs-boot/replay.out | cut -d: -f1)" -lt \
     "$(grep -n "replay: update 'f-02' applied" /run/hs-boot/replay.out | cut -d: -f1)" &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version" &&
test_eq 1 "$(lp_sysfs hs_cmdline_mark1 enabled)" "mark1 enabled" &&
test_eq 1 "$(lp_sysfs hs_f_02 enabled)" "f-02 enabled" &&
hotsplice list > list &&
test_grep '^cmdline-mark1 +applied ' list && test_grep '^f-02 +applied ' list &&
test_grep '^replay at this boot: 2 applied, 0 already applied, 0 for another kernel, 0 failed$' list &&

hotsplice replay > again.out 2>&1 &&
test_grep "^replay: update 'cmdline-mark1' skipped: already applied" again.out &&
test_grep "^replay: 0 applied, 2 already applied, 0 for another kernel, 0 failed" again.out &&
mkdir -p /etc/hotsplice && touch /etc/hotsplice/disable &&
hotsplice replay > off.out 2>&1 &&
test_grep '^replay: disabled \(/etc/hotsplice/disable exists\); no update applied' off.out &&
hotsplice list > list2 &&
test_grep '^replay at this boot: disabled: /etc/hotsplice/disable exists$' list2 &&
rm /etc/hotsplice/disable
