# SPDX-License-Identifier: GPL-2.0
# A cumulative update's apply killed between its enable and its record: B has
# replaced A in the kernel (A's livepatch is gone) but the state still records A
# alone. The next command must not leave the machine without A's fix: it applies
# A again from its stored package, then takes the unrecorded B out.
# guest-timeout: 150
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: version-on-mark1 tests/patches/02-static-version.patch 6.1.192-1 --on-top-of @PKG@/cmdline-mark1.hsu
orig=$(cat /proc/cmdline)
mark="hotsplice: /proc/version is live patched"

hotsplice apply -q $HS_PACKAGES/cmdline-mark1.hsu &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A applied" &&
{ HS_FAULT_AFTER_ENABLE=stop hotsplice apply $HS_PACKAGES/version-on-mark1.hsu 2> a.err & } &&
hspid=$! && wait_stopped $hspid &&
kill -KILL $hspid && { wait $hspid || true; } &&
test_grep "stopped at 'AFTER_ENABLE'" a.err &&
test_eq 1 "$(lp_sysfs hs_version_on_mark1 enabled)" "B enabled, unrecorded" &&
test_must_fail test -d /sys/kernel/livepatch/hs_cmdline_mark1 &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A's fix carried by B" &&

say "the next command applies A again, then takes B out" &&
hotsplice replay > r.out 2>&1 && cat r.out &&
rm -f /run/hotsplice/replay &&	# this boot's later scenarios saw no replay
test_grep "livepatch 'hs_version_on_mark1' replaced 1 recorded update before it was recorded: applying it again first" r.out &&
test_grep "livepatch 'hs_version_on_mark1' taken out: the kernel is as the state records" r.out &&
test_eq "hotsplice-1: $orig" "$(cat /proc/cmdline)" "A's fix never left" &&
test_must_fail grep -q "$mark" /proc/version &&
test_eq 1 "$(lp_sysfs hs_cmdline_mark1 enabled)" "A enabled again" &&
test_must_fail test -d /sys/kernel/livepatch/hs_version_on_mark1 &&
hotsplice list > list && cat list && test_grep '^cmdline-mark1 +applied' list &&

say "B applies cleanly afterwards; undo --all" &&
hotsplice apply -q $HS_PACKAGES/version-on-mark1.hsu &&
grep -q "$mark" /proc/version &&
hotsplice undo -q --all &&
test_eq "$orig" "$(cat /proc/cmdline)" "after undo --all" &&
hotsplice list --all > list && test_grep '^no updates applied' list
