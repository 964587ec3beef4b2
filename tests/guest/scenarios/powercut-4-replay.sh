# SPDX-License-Identifier: GPL-2.0
# Power cut story, boot 4 of 4: after the cut while apply recorded the update,
# the state is before or after it and replay restored exactly that. Undo
# clears everything.
# guest-disk: powercut
# guest-boot: 4
# guest-boot-replay: yes
# guest-timeout: 60
S=/var/lib/hotsplice

cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
hotsplice list > list &&
test_grep '^cmdline-mark1 +applied ' list && grep -q '^hotsplice-1: ' /proc/cmdline &&
if grep -q '^applied f-02 ' $S/state; then
	say "the state is the one after the apply of f-02" &&
	test_eq 3 "$(wc -l < $S/state)" "lines of the state" &&
	test -f $S/updates/f-02.hsu && test_grep '^f-02 +applied ' list &&
	test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version"
else
	say "the state is the one before the apply of f-02" &&
	test_eq 2 "$(wc -l < $S/state)" "lines of the state" &&
	test_must_fail test -d /sys/kernel/livepatch/hs_f_02 &&
	test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version"
fi &&
hotsplice undo -q --all &&
test_eq "" "$(ls /sys/kernel/livepatch 2>/dev/null)" "livepatches" &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
hotsplice list > list2 && test_grep '^no updates applied' list2
