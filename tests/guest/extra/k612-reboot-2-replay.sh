# SPDX-License-Identifier: GPL-2.0
# 6.12, boot 2 of 2: replay ran from init and brought the update back; undo takes it out.
# guest-kernel: 6.12.113-1~deb12u1
# guest-disk: k612-reboot
# guest-boot: 2
# guest-boot-replay: yes
# guest-timeout: 60
cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^replay: update 'k612-mark1' applied" /run/hs-boot/replay.out &&
grep -q '^hotsplice-1: ' /proc/cmdline &&
hotsplice list > list && test_grep '^k612-mark1 +applied ' list &&
hotsplice undo -q k612-mark1 &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
hotsplice list > list2 && test_grep '^no updates applied' list2 &&
hotsplice uname -r > u && test_grep '^6.12.113-1~deb12u1$' u
