# SPDX-License-Identifier: GPL-2.0
# Reboot story, boot 1 of 4 (disk 'reboot'): apply two updates and see their
# effects, then power off with them applied.
# guest-disk: reboot
# guest-boot: 1
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: f-02 tests/patches/02-static-version.patch
orig=$(cat /proc/cmdline)

grep -q ' /var/lib/hotsplice ext4 ' /proc/mounts &&
test_must_fail test -e /run/hs-boot/replay.rc &&
hotsplice list > list0 && test_grep '^no updates applied' list0 &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
hotsplice apply -q $HS_PACKAGES/f-02.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "cmdline" &&
test_eq "hotsplice: /proc/version is live patched" "$(tail -n 1 /proc/version)" "version" &&
hotsplice list > list1 &&
test_grep '^cmdline-mark1 +applied ' list1 && test_grep '^f-02 +applied ' list1 &&
test -f /var/lib/hotsplice/updates/cmdline-mark1.hsu &&
test -f /var/lib/hotsplice/updates/f-02.hsu
