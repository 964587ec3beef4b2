# SPDX-License-Identifier: GPL-2.0
# A cumulative update: B is built --on-top-of A, carries A's function and its
# own, and takes A's place in one transition (atomic replace; A's module is
# unloaded). list shows B with what it includes; undo B makes A live again;
# a cumulative update whose base is not what is applied is refused; undo --all
# removes everything.
# guest-timeout: 150
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: version-on-mark1 tests/patches/02-static-version.patch 6.1.192-1 --on-top-of @PKG@/cmdline-mark1.hsu
orig=$(cat /proc/cmdline)
mark="hotsplice: /proc/version is live patched"

test_must_fail grep -q "$mark" /proc/version &&
test_exit_code 4 hotsplice check $HS_PACKAGES/version-on-mark1.hsu 2> err &&
test_grep "built on top of update 'cmdline-mark1', which is not applied" err &&
hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A applied" &&
hotsplice check -q $HS_PACKAGES/version-on-mark1.hsu &&

say "another tool's livepatch: B would replace it" &&
lp_load $HS_KMOD/hs_test_cmdline.ko &&
test_exit_code 4 hotsplice apply $HS_PACKAGES/version-on-mark1.hsu 2> err &&
test_grep "livepatch 'hs_test_cmdline' is loaded and is not a hotsplice update" err &&
lp_unload hs_test_cmdline &&
test_must_fail test -d /sys/kernel/livepatch/hs_version_on_mark1 &&

say "B replaces A in one transition" &&
hotsplice apply -q $HS_PACKAGES/version-on-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A's fix carried by B" &&
grep -q "$mark" /proc/version &&
test_eq 1 "$(lp_sysfs hs_version_on_mark1 enabled)" "B enabled" &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_must_fail grep -q '^hs_cmdline_mark1 ' /proc/modules &&
hotsplice list > list && cat list &&
test_grep '^version-on-mark1 +applied' list &&
test_grep 'includes: cmdline-mark1$' list &&
test_must_fail grep -q '^cmdline-mark1 ' list &&
hotsplice list --all > list && test_grep '^cmdline-mark1 +replaced' list &&
test_exit_code 4 hotsplice undo cmdline-mark1 2> err &&
test_grep "replaced by cumulative update 'version-on-mark1'" err &&

say "A's stored package is damaged: undo B refuses, B stays live" &&
st=${HOTSPLICE_STATE:-/var/lib/hotsplice} &&
cp $st/updates/cmdline-mark1.hsu /tmp/a.hsu &&
echo damaged > $st/updates/cmdline-mark1.hsu &&
test_must_fail hotsplice undo version-on-mark1 2> err &&
test_grep "update 'version-on-mark1' stays applied" err &&
test_eq 1 "$(lp_sysfs hs_version_on_mark1 enabled)" "B still enabled" &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
grep -q "$mark" /proc/version &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A's fix still live" &&
cp /tmp/a.hsu $st/updates/cmdline-mark1.hsu &&

say "undo B: A is live again" &&
hotsplice undo -q version-on-mark1 &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A again" &&
test_must_fail grep -q "$mark" /proc/version &&
test_must_fail test -d /sys/kernel/livepatch/hs_version_on_mark1 &&
test_eq 1 "$(lp_sysfs hs_cmdline_mark1 enabled)" "A enabled" &&
hotsplice list > list && test_grep '^cmdline-mark1 +applied' list &&

say "undo --all removes B and what it includes" &&
hotsplice apply -q $HS_PACKAGES/version-on-mark1.hsu &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
hotsplice undo -q --all &&
test_eq "$orig" "$(cat /proc/cmdline)" "after undo --all" &&
test_must_fail grep -q "$mark" /proc/version &&
hotsplice list --all > list && test_grep '^no updates applied' list
