# SPDX-License-Identifier: GPL-2.0
# Reboot story, boot 4 of 4: the fixed kernel (6.1.192-2) boots with the same
# disk. Nothing is applied; the updates are kept and reported as belonging to
# 6.1.192-1's kernel; undo --purge forgets them without touching this kernel.
# guest-disk: reboot
# guest-boot: 4
# guest-boot-replay: yes
# guest-kernel: 6.1.192-2
# guest-timeout: 60
old=6.1.0-55-cloud-amd64

cat /run/hs-boot/replay.out &&
test_eq 0 "$(cat /run/hs-boot/replay.rc)" "replay's exit status at boot" &&
test_grep "^replay: update 'cmdline-mark1' skipped: recorded for kernel $old" /run/hs-boot/replay.out &&
test_grep "^replay: update 'f-02' skipped: recorded for kernel $old" /run/hs-boot/replay.out &&
test_grep "^replay: 0 applied, 0 already applied, 2 for another kernel, 0 failed" /run/hs-boot/replay.out &&
test_must_fail grep -q '^hotsplice-1: ' /proc/cmdline &&
test_eq 1 "$(wc -l < /proc/version)" "lines of /proc/version" &&
test_eq "" "$(ls /sys/kernel/livepatch 2>/dev/null)" "livepatches" &&
hotsplice list > list && test_grep '^no updates applied to 6.1.0-56-cloud-amd64' list &&
hotsplice list --all > all &&
test_grep '^cmdline-mark1 +other-kernel ' all && test_grep '^f-02 +other-kernel ' all &&
test_grep "functions: vmlinux:cmdline_proc_show \(for kernel $old\)" all &&
hotsplice undo --purge > purge.out 2>&1 &&
test_grep "^update 'cmdline-mark1' \(recorded for kernel $old\) purged" purge.out &&
test_grep "^update 'f-02' \(recorded for kernel $old\) purged" purge.out &&
hotsplice list --all > all2 && test_grep '^no updates applied' all2 &&
test_eq "" "$(ls /var/lib/hotsplice/updates)" "stored packages" &&
test_exit_code 3 hotsplice undo --purge
