# SPDX-License-Identifier: GPL-2.0
# Two updates built on the pristine source that replace the same function: the
# second one would silently revert the first, so `check` and `apply` refuse it
# (exit 4, naming the function, its object and the livepatch holding it) and
# nothing changes. The same for a livepatch of another tool (the harness's own
# hs_test_cmdline module).
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: cmdline-mark2 tests/guest/patches/cmdline-mark2.patch
orig=$(cat /proc/cmdline)

hotsplice check -q $HS_PACKAGES/cmdline-mark2.hsu &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "after mark1" &&
test_exit_code 4 hotsplice check $HS_PACKAGES/cmdline-mark2.hsu 2> check.err &&
test_grep "vmlinux: function 'cmdline_proc_show' is already replaced by livepatch 'hs_cmdline_mark1' \(hotsplice update 'cmdline-mark1'\)" check.err &&
test_exit_code 4 hotsplice apply $HS_PACKAGES/cmdline-mark2.hsu 2> apply.err &&
test_grep "'cmdline_proc_show' is already replaced by livepatch 'hs_cmdline_mark1'" apply.err &&
test_grep "update 'cmdline-mark2' refused: .*--on-top-of.*nothing was changed" apply.err &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "after refused mark2" &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark2 &&
test_must_fail grep -q '^hs_cmdline_mark2 ' /proc/modules &&
hotsplice list > list && test_grep "^cmdline-mark1 " list &&
test_must_fail grep -q cmdline-mark2 list &&
hotsplice undo -q cmdline-mark1 &&
test_eq "$orig" "$(cat /proc/cmdline)" "after undo mark1" &&

say "another tool's livepatch holds the function" &&
lp_load $HS_KMOD/hs_test_cmdline.ko &&
test_exit_code 4 hotsplice check $HS_PACKAGES/cmdline-mark1.hsu 2> check.err &&
test_grep "vmlinux: function 'cmdline_proc_show' is already replaced by livepatch 'hs_test_cmdline' \(not a hotsplice update\)" check.err &&
test_exit_code 4 hotsplice apply $HS_PACKAGES/cmdline-mark1.hsu 2> apply.err &&
test_grep "livepatch 'hs_test_cmdline'" apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_eq "hotsplice: this has been live patched" "$(cat /proc/cmdline)" "under hs_test_cmdline" &&
lp_unload hs_test_cmdline &&
test_eq "$orig" "$(cat /proc/cmdline)" "after unloading hs_test_cmdline" &&
hotsplice list > list && test_grep '^no updates applied' list
