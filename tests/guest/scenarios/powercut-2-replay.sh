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


powercut_replayed_exactly || fail "after the cut during the transition"
if grep -q '^applied f-02 ' $S/state; then hotsplice undo -q f-02 || fail "undo f-02"; fi
hotsplice apply -q $HS_PACKAGES/f-02.hsu || fail "apply f-02"
power_cut
