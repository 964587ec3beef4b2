# SPDX-License-Identifier: GPL-2.0
# Damaged state story, boot 2 of 3: the state file is cut off. The boot
# completes, replay says which file and line are wrong, applies nothing (not
# even the intact first update) and changes nothing. Then the state is put back
# and bytes of one stored package are overwritten for the next boot.
# guest-disk: corrupt
# guest-boot: 2
# guest-boot-replay: yes
# guest-timeout: 60
S=/var/lib/hotsplice

cat /run/hs-boot/replay.out &&
test_eq 1 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^error: replay: nothing applied: the state '$S/state' is damaged at line 3" /run/hs-boot/replay.out &&
test_grep "hotsplice: replay: nothing applied: the state '$S/state' is damaged at line 3" /run/hs-boot/klog &&
test_eq "" "$(ls /sys/kernel/livepatch 2>/dev/null)" "livepatches" &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
test_cmp $S/test-backup/state.damaged $S/state &&
test_exit_code 1 hotsplice list 2> list.err &&
test_grep "the state '$S/state' is damaged at line 3" list.err &&

cp $S/test-backup/state.good $S/state &&
cp $S/updates/f-02.hsu $S/test-backup/f-02.hsu &&
P=$S/updates/cmdline-mark1.hsu &&
cp $P $S/test-backup/mark1.hsu &&
printf 'HSXX' | dd of=$P bs=1 seek=$(( $(wc -c < $P) / 2 )) conv=notrunc 2>/dev/null &&
test_must_fail cmp -s $P $S/test-backup/mark1.hsu
