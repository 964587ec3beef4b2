# SPDX-License-Identifier: GPL-2.0
# Power cut story, boot 2 of 4: after the cut during the transition, the state
# is the one before the interrupted apply or the one after it, never a mix, and
# replay brought the kernel to exactly that state. Then apply the second update
# again and cut the power the moment the command returns: it said "applied", so
# the next boot must find it recorded.
# guest-disk: powercut
# guest-boot: 2
# guest-boot-replay: yes
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: f-02 tests/patches/02-static-version.patch
S=/var/lib/hotsplice

# replayed_exactly: the state is mark1, or mark1 then f-02, and the kernel runs exactly that.
replayed_exactly() {
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
	fi
}

replayed_exactly || fail "after the cut during the transition"
if grep -q '^applied f-02 ' $S/state; then hotsplice undo -q f-02 || fail "undo f-02"; fi
hotsplice apply -q $HS_PACKAGES/f-02.hsu || fail "apply f-02"
power_cut
