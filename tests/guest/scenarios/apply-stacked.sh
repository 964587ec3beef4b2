# SPDX-License-Identifier: GPL-2.0
# Two updates stacked on the same function: the newer one wins, the older one
# cannot be undone first (named dependent), undoing in order restores each.
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: cmdline-mark2 tests/guest/patches/cmdline-mark2.patch
orig=$(cat /proc/cmdline)

hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "after mark1" &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark2.hsu &&
test_eq "hotsplice-2: $orig" "$(cat /proc/cmdline)" "after mark2" &&
test_exit_code 4 hotsplice undo cmdline-mark1 2> undo.err &&
test_grep "cannot be undone before 'cmdline-mark2'" undo.err &&
test_eq "hotsplice-2: $orig" "$(cat /proc/cmdline)" "after refused undo" &&
hotsplice undo -q cmdline-mark2 &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "after undo mark2" &&
hotsplice undo -q cmdline-mark1 &&
test_eq "$orig" "$(cat /proc/cmdline)" "after undo mark1" &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark2.hsu &&
hotsplice undo -q --all &&
test_eq "$orig" "$(cat /proc/cmdline)" "after undo --all" &&
hotsplice list > list && test_grep '^no updates applied' list
