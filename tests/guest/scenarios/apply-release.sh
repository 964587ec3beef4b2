# SPDX-License-Identifier: GPL-2.0
# A whole-release update: every change between Debian 6.1.192-1 and 6.1.192-2
# that can go live (`create --kernel 6.1.192-1 --release 6.1.192-2`: Debian's
# ext4 fix), one update with a per-file report. Applied to the running
# 6.1.192-1 with the ext4 workload before, while and after; nothing refused, so
# uname says 6.1.192-2; refused when another livepatch is loaded (its atomic
# replace would take it out).
# guest-timeout: 120
# guest-package: release-192-2 - 6.1.192-1 --release 6.1.192-2 --id release-192-2
. /hs/patches/10-debian-ext4-mballoc.observe &&
hotsplice show $HS_PACKAGES/release-192-2.hsu > show &&
test_grep '^release +6.1.192-1 to 6.1.192-2' show &&
test_grep '^  live +fs/ext4/mballoc.c$' show &&
hotsplice show --json $HS_PACKAGES/release-192-2.hsu > show.json &&
test_grep '"release": \{"from": "6.1.192-1", "to": "6.1.192-2", "files": \[\{"verdict": "live", "path": "fs/ext4/mballoc.c"' show.json &&
observe_before &&
lp_load $HS_KMOD/hs_test_cmdline.ko &&
test_exit_code 4 hotsplice check $HS_PACKAGES/release-192-2.hsu 2> err &&
test_grep "livepatch 'hs_test_cmdline' is loaded and is not a hotsplice update" err &&
lp_unload hs_test_cmdline &&
hotsplice apply -q $HS_PACKAGES/release-192-2.hsu &&
observe_patched &&
test_eq 6.1.192-2 "$(hotsplice uname -r)" "effective version" &&
hotsplice list > list &&
test_grep '^release-192-2 +applied .*Debian 6.1.192-1 to 6.1.192-2: 1 of 1 changed kernel files live$' list &&
hotsplice undo -q release-192-2 &&
observe_after &&
test_must_fail test -d /sys/kernel/livepatch/hs_release_192_2 &&
hotsplice list > list && test_grep '^no updates applied' list
