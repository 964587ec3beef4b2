# SPDX-License-Identifier: GPL-2.0
# Damaged state story, boot 1 of 3 (disk 'corrupt'): apply two updates, then
# damage the state file as a bad disk or a careless edit would: cut it off in
# the middle of its last line. Power off with the updates applied.
# guest-disk: corrupt
# guest-boot: 1
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: f-02 tests/patches/02-static-version.patch
S=/var/lib/hotsplice

hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
hotsplice apply -q $HS_PACKAGES/f-02.hsu &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq 3 "$(wc -l < $S/state)" "lines of the state" &&
mkdir -p $S/test-backup && cp $S/state $S/test-backup/state.good &&
truncate -s $(( $(head -n 2 $S/state | wc -c) + 20 )) $S/state &&
cp $S/state $S/test-backup/state.damaged &&
test_eq 2 "$(wc -l < $S/state)" "complete lines of the damaged state"
