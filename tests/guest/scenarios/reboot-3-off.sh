# SPDX-License-Identifier: GPL-2.0
# Reboot story, boot 3 of 4: hotsplice=off on the kernel command line. Nothing
# is applied, the updates stay recorded (not loaded), list says replay was
# disabled at this boot.
# guest-disk: reboot
# guest-boot: 3
# guest-boot-replay: yes
# guest-append: hotsplice=off
# guest-timeout: 60
cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep '^replay: disabled \(hotsplice=off on the kernel command line\); no update applied' /run/hs-boot/replay.out &&
test_grep 'hotsplice: replay: disabled' /run/hs-boot/klog &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail test -d /sys/kernel/livepatch/hs_f_02 &&
hotsplice list > list &&
test_grep '^cmdline-mark1 +not-loaded ' list && test_grep '^f-02 +not-loaded ' list &&
test_grep '^replay at this boot: disabled: hotsplice=off on the kernel command line$' list &&
hotsplice list --json > list.json &&
test_grep '"replay": "disabled: hotsplice=off on the kernel command line"' list.json
