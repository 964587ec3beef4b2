# SPDX-License-Identifier: GPL-2.0
# Damaged state story, boot 3 of 3: the state is sound but the stored package of
# the first update has overwritten bytes. Replay refuses that one, naming the
# damage, still applies the second (it replaces other functions) and exits 1.
# Then, with sound packages again, a record that disagrees with its package
# (another function list) is refused by a replay run by hand. Undo clears all.
# guest-disk: corrupt
# guest-boot: 3
# guest-boot-replay: yes
# guest-timeout: 60
out=/run/hs-boot/replay.out

cat $out &&
test_eq 1 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^error: replay: update 'cmdline-mark1' failed: .*cmdline-mark1.hsu" $out &&
test_grep "^replay: update 'f-02' applied" $out &&
test_grep "replay: 1 applied, 0 already applied, 0 for another kernel, 1 failed" $out &&
test_grep "hotsplice: replay: update 'cmdline-mark1' failed: " /run/hs-boot/klog &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version" &&
hotsplice list > list &&
test_grep '^cmdline-mark1 +not-loaded ' list && test_grep '^f-02 +applied ' list &&
test_grep '^replay at this boot: 1 applied, 0 already applied, 0 for another kernel, 1 failed$' list &&
hotsplice undo -q f-02 && hotsplice undo -q cmdline-mark1 &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
hotsplice list > list2 && test_grep '^no updates applied' list2 &&

S=/var/lib/hotsplice &&
cp $S/test-backup/state.good $S/state &&
cp $S/test-backup/mark1.hsu $S/updates/cmdline-mark1.hsu &&
cp $S/test-backup/f-02.hsu $S/updates/f-02.hsu &&
sed -i '/^applied f-02 /s/version_proc_show/version_proc_shoX/' $S/state &&
test_exit_code 1 hotsplice replay > again.out 2>&1 &&
test_grep "^replay: update 'cmdline-mark1' applied" again.out &&
test_grep "^error: replay: update 'f-02' failed: .*f-02.hsu': the package disagrees with the record of update 'f-02' in the state" again.out &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
hotsplice undo -q --all &&
test_eq "" "$(ls /sys/kernel/livepatch 2>/dev/null)" "livepatches" &&
hotsplice list > list3 && test_grep '^no updates applied' list3
