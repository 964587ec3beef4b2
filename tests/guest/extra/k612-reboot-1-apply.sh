# SPDX-License-Identifier: GPL-2.0
# 6.12, boot 1 of 2 (disk 'k612-reboot'): apply an update with an effective version,
# see it in list and uname, power off with it applied.
# guest-kernel: 6.12.113-1~deb12u1
# guest-disk: k612-reboot
# guest-boot: 1
# guest-keep-livepatches: yes
# guest-timeout: 90
# guest-package: k612-mark1 tests/guest/patches/cmdline-mark1.patch 6.12.113-1~deb12u1 --effective-version 6.12.113-1~deb12u1+mark1
orig=$(cat /proc/cmdline)

hotsplice list > list0 && test_grep '^no updates applied' list0 &&
hotsplice uname -r > u0 && test_grep '^6.12.113-1~deb12u1$' u0 &&
hotsplice apply -q $HS_PACKAGES/k612-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "cmdline" &&
hotsplice list > list1 && test_grep '^k612-mark1 +applied ' list1 &&
hotsplice uname -r > u1 && cat u1 && test_grep '6.12.113-1~deb12u1.mark1' u1
