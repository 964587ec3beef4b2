# SPDX-License-Identifier: GPL-2.0
# apply killed between enabling the livepatch and recording it (stopped there by
# the test-only fault point HS_FAULT_AFTER_ENABLE=stop, lib/core/fault.h, then
# SIGKILL): an enabled livepatch no state knows. list shows it unrecorded (and
# changes nothing); the next command takes it out, saying so (the safe choice:
# nothing recorded or stored it). Once with replay, which has nothing recorded
# to replay; once with apply, which then applies and records the update.
# guest-timeout: 90
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
P=$HS_PACKAGES/pipe-read-noop.hsu
LP=hs_pipe_read_noop

{ HS_FAULT_AFTER_ENABLE=stop hotsplice apply $P 2> a.err & } &&
hspid=$! && wait_stopped $hspid &&
test_eq 1 "$(lp_sysfs $LP enabled)" "enabled while apply is stopped" &&
kill -KILL $hspid && { wait $hspid || true; } &&
test_grep "stopped at 'AFTER_ENABLE'" a.err &&
test -d /sys/kernel/livepatch/$LP &&
hotsplice list > list && cat list &&
test_grep "livepatch '$LP' is loaded but hotsplice has no record of it \(left by an interrupted apply; the next apply, undo or replay takes it out\)" list &&
test -d /sys/kernel/livepatch/$LP &&
hotsplice replay > r.out 2>&1 && cat r.out &&
test_grep "livepatch '$LP' taken out: the kernel is as the state records" r.out &&
rm -f /run/hotsplice/replay &&	# this boot's later scenarios saw no replay
test_must_fail grep -q "^$LP " /proc/modules &&

say "killed again; this time apply takes it out, then applies" &&
{ HS_FAULT_AFTER_ENABLE=stop hotsplice apply $P 2> a2.err & } &&
hspid=$! && wait_stopped $hspid &&
kill -KILL $hspid && { wait $hspid || true; } &&
test -d /sys/kernel/livepatch/$LP &&
hotsplice apply $P 2> b.err && cat b.err &&
test_grep "livepatch '$LP' is loaded but not recorded .*: taking it out" b.err &&
test_grep "livepatch '$LP' taken out: the kernel is as the state records" b.err &&
test_grep "update 'pipe-read-noop' applied" b.err &&
hotsplice list > list && test_grep '^pipe-read-noop +applied' list &&
echo data > /tmp/plain && cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy &&
hotsplice undo -q pipe-read-noop &&
test_must_fail test -d /sys/kernel/livepatch/$LP &&
hotsplice list > list && test_grep '^no updates applied' list
