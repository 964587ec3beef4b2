# SPDX-License-Identifier: GPL-2.0
# Two hotsplice commands at once: the state lock serialises them. The same
# update applied twice concurrently: one applies, the other finds it applied
# (exit 3). Two different updates: both apply, one after the other.
# guest-timeout: 90
# guest-package: cmdline-mark1 tests/guest/patches/cmdline-mark1.patch
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
P=$HS_PACKAGES/cmdline-mark1.hsu

{ rc=0; hotsplice apply -q $P || rc=$?; echo $rc > rc1; } &
{ rc=0; hotsplice apply -q $P || rc=$?; echo $rc > rc2; } &
wait
rcs=$(cat rc1 rc2 | sort | tr '\n' ' ')
test_eq "0 3 " "$rcs" "exit codes of two concurrent applies" &&
hotsplice list --json > l1 && test_eq 1 "$(grep -c '"id"' l1)" "updates listed" &&
hotsplice undo -q cmdline-mark1 &&
{ hotsplice apply -q $P & hotsplice apply -q $HS_PACKAGES/pipe-read-noop.hsu & wait; } &&
hotsplice list --json > l2 && test_eq 2 "$(grep -c '"state": "applied"' l2)" "applied updates" &&
hotsplice undo -q --all &&
hotsplice list > l3 && test_grep '^no updates applied' l3
