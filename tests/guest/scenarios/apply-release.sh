# SPDX-License-Identifier: GPL-2.0
# A whole-release update: every change between Debian 6.1.192-1 and 6.1.192-2
# that can go live (`create --kernel 6.1.192-1 --release 6.1.192-2`: Debian's
# ext4 fix), one update with a per-file report, built on top of the single fix
# f-10 (the same ext4 fix from a patch): applied, it replaces f-10 in one
# transition; nothing is refused, so uname says 6.1.192-2; undo brings f-10
# back. The ext4 workload runs before, while and after. Refused while its base
# is not applied, or another tool's livepatch is loaded.
# guest-timeout: 180
# guest-package: f-10 tests/patches/10-debian-ext4-mballoc.patch
# guest-package: release-on-f10 - 6.1.192-1 --release 6.1.192-2 --id release-on-f10 --on-top-of @PKG@/f-10.hsu
. /hs/patches/10-debian-ext4-mballoc.observe &&
hotsplice show $HS_PACKAGES/release-on-f10.hsu > show &&
test_grep '^release +6.1.192-1 to 6.1.192-2' show &&
test_grep '^  live +fs/ext4/mballoc.c$' show &&
test_grep '^cumulative +replaces f-10 when applied$' show &&
hotsplice show --json $HS_PACKAGES/release-on-f10.hsu > show.json &&
test_grep '"release": \{"from": "6.1.192-1", "to": "6.1.192-2", "files": \[\{"verdict": "live", "path": "fs/ext4/mballoc.c"' show.json &&
observe_before &&
test_exit_code 4 hotsplice check $HS_PACKAGES/release-on-f10.hsu 2> err &&
test_grep "built on top of update 'f-10', which is not applied" err &&
hotsplice apply -q $HS_PACKAGES/f-10.hsu &&
lp_load $HS_KMOD/hs_test_cmdline.ko &&
test_exit_code 4 hotsplice check $HS_PACKAGES/release-on-f10.hsu 2> err &&
test_grep "livepatch 'hs_test_cmdline' is loaded and is not a hotsplice update" err &&
lp_unload hs_test_cmdline &&

hotsplice apply -q $HS_PACKAGES/release-on-f10.hsu &&
test_must_fail test -d /sys/kernel/livepatch/hs_f_10 &&
observe_patched &&
test_eq 6.1.192-2 "$(hotsplice uname -r)" "effective version" &&
hotsplice list > list &&
test_grep '^release-on-f10 +applied .*Debian 6.1.192-1 to 6.1.192-2: 1 of 1 changed kernel files live$' list &&
test_grep 'includes: f-10$' list &&
hotsplice undo -q release-on-f10 &&
test_eq 1 "$(lp_sysfs hs_f_10 enabled)" "f-10 live again" &&
hs_ext4_workload &&
hotsplice undo -q f-10 &&
observe_after &&
hotsplice list --all > list && test_grep '^no updates applied' list
