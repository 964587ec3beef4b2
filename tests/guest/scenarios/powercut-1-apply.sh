# SPDX-License-Identifier: GPL-2.0
# Power cut story, boot 1 of 3 (disk 'powercut'): one update applied and
# recorded; the power is cut while a second apply is switching the kernel
# (its livepatch loaded, the transition running, nothing recorded yet).
# guest-disk: powercut
# guest-boot: 1
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: f-02 tests/patches/02-static-version.patch
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu || fail "apply cmdline-mark1"
hotsplice apply $HS_PACKAGES/f-02.hsu > apply.out 2>&1 &
pid=$!
i=0
while [ ! -d /sys/kernel/livepatch/hs_f_02 ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
test -d /sys/kernel/livepatch/hs_f_02 || fail "the livepatch of f-02 never appeared"
kill -0 $pid || fail "apply finished before the cut"
say "cut: transition $(lp_sysfs hs_f_02 transition)"
power_cut
