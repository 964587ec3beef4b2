# SPDX-License-Identifier: GPL-2.0
# Damaged state story, boot 3 of 3: the state is sound but the stored package of
# the first update has overwritten bytes. Replay refuses that one, naming the
# damage, still applies the second (it replaces other functions) and exits 1.
# Undo then clears both.
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
hotsplice list > list2 && test_grep '^no updates applied' list2
