# SPDX-License-Identifier: GPL-2.0
# Power cut story, boot 3 of 4: the apply that returned before the cut is
# recorded and replayed. Then undo it, apply it again and cut the power when
# the kernel has switched, while apply records it.
# guest-disk: powercut
# guest-boot: 3
# guest-boot-replay: yes
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: f-02 tests/patches/02-static-version.patch
S=/var/lib/hotsplice

cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^replay: update 'cmdline-mark1' applied" /run/hs-boot/replay.out &&
test_grep "^replay: update 'f-02' applied" /run/hs-boot/replay.out &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version" &&
hotsplice undo -q f-02 || fail "the apply finished before the cut is not back"

hotsplice apply $HS_PACKAGES/f-02.hsu > apply.out 2>&1 &
pid=$!
i=0
while [ "$(lp_sysfs hs_f_02 transition 2>/dev/null)" != 0 ] && [ $i -lt 1000 ]; do
	sleep 0.02; i=$((i + 1))
done
say "cut: apply $(kill -0 $pid 2>/dev/null && echo running || echo finished)"
power_cut
