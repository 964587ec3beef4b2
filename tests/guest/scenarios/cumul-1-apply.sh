# SPDX-License-Identifier: GPL-2.0
# Cumulative story, boot 1 of 2 (disk 'cumul'): apply A, then B built
# --on-top-of A (it replaces A), and power off with B applied.
# guest-disk: cumul
# guest-boot: 1
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: version-on-mark1 tests/patches/02-static-version.patch 6.1.192-1 --on-top-of @PKG@/cmdline-mark1.hsu
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
hotsplice apply -q $HS_PACKAGES/version-on-mark1.hsu &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
hotsplice list > list && test_grep '^version-on-mark1 +applied ' list
