# SPDX-License-Identifier: GPL-2.0
# Rollback when recording fails after the livepatch was enabled. Fault points
# (lib/core/fault.h, tests only): HS_FAULT_RECORD=fail makes the record step fail,
# HS_FAULT_AFTER_ENABLE=stop stops apply (SIGSTOP) right after the enable.
# 1. The record fails: the update is taken back out, nothing is recorded.
# 2. The reversal itself times out (a task went to sleep inside the new
#    pipe_read while apply was stopped): apply says the livepatch stays loaded,
#    unrecorded, and that the next command takes it out; list shows it
#    unrecorded; once the task is gone, undo takes it out and says so.
# 3. No fault injected: the enable times out (a task sleeps in the old
#    pipe_read), and its reversal times out too (a task started meanwhile
#    sleeps in the new one): apply says the livepatch is left unrecorded and
#    what takes it out, and the next command does.
# guest-timeout: 150
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
P=$HS_PACKAGES/pipe-read-noop.hsu
LP=hs_pipe_read_noop

echo data > /tmp/plain && cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy &&
test_exit_code 1 env HS_FAULT_RECORD=fail hotsplice apply $P 2> a.err &&
test_grep "fault injected at 'RECORD'" a.err &&
test_grep "update 'pipe-read-noop': cannot record it; taking it back out" a.err &&
test_grep "update 'pipe-read-noop' taken back out; nothing was changed" a.err &&
test_must_fail test -d /sys/kernel/livepatch/$LP &&
test_must_fail grep -q "^$LP " /proc/modules &&
hotsplice list > list && test_grep '^no updates applied' list &&
cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy &&

say "the enable times out, and so does its reversal" &&
mkfifo /tmp/fifo-old /tmp/fifo-new &&
{ sleep 600 > /tmp/fifo-old & } &&
{ cat /tmp/fifo-old > /dev/null & } &&
sleep 0.5 && oldpid=$(pidof cat) &&
{ hotsplice apply --timeout 6 $P 2> d.err & } && hspid=$! &&
i=0 && until test -d /sys/kernel/livepatch/$LP; do
	i=$((i + 1)) && test $i -lt 100 && sleep 0.1
done &&
sleep 1 && test_eq 1 "$(lp_sysfs $LP transition)" "transition held by the old reader" &&
{ sleep 600 > /tmp/fifo-new & } &&
{ cat /tmp/fifo-new > /dev/null & } &&
sleep 0.5 && newpid=$(pidof cat | tr ' ' '\n' | grep -v "^$oldpid$") &&
grep -q 'pipe_read.*hs_pipe_read_noop' /proc/$newpid/stack &&
rc=0 && { wait $hspid || rc=$?; } &&
test_eq 1 "$rc" "exit status of the apply whose enable and reversal timed out" &&
cat d.err &&
test_grep "transition not finished after 6 s" d.err &&
test_grep "reversing the transition and unloading" d.err &&
test_grep "update 'pipe-read-noop': livepatch '$LP' is left unrecorded; the next 'hotsplice apply', 'undo' or 'replay' takes it out" d.err &&
hotsplice list > list && test_grep "no record of it \(left by an interrupted apply" list &&
kill $oldpid $newpid && killall sleep && sleep 0.2 &&
hotsplice undo --all 2> e.err && cat e.err &&
test_grep "livepatch '$LP' taken out: the kernel is as the state records" e.err &&
test_must_fail grep -q "^$LP " /proc/modules &&
cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy &&

say "the reversal times out: a task sleeps in the new pipe_read" &&
mkfifo /tmp/fifo-rollback &&
{ HS_FAULT_AFTER_ENABLE=stop HS_FAULT_RECORD=fail hotsplice apply --timeout 4 $P 2> b.err & } &&
hspid=$! && wait_stopped $hspid &&
test_eq 1 "$(lp_sysfs $LP enabled)" "enabled while apply is stopped" &&
test_eq 0 "$(lp_sysfs $LP transition)" "transition while apply is stopped" &&
{ sleep 600 > /tmp/fifo-rollback & } &&
{ cat /tmp/fifo-rollback > /dev/null & } &&
sleep 0.5 && catpid=$(pidof cat) &&
grep -q pipe_read /proc/$catpid/stack &&
kill -CONT $hspid &&
rc=0 && { wait $hspid || rc=$?; } &&
test_eq 1 "$rc" "exit status of the apply whose rollback timed out" &&
cat b.err &&
test_grep "transition not finished after 4 s" b.err &&
test_grep "task 'cat' \(pid $catpid\) has not switched" b.err &&
test_grep "livepatch '$LP' could not be taken back out: it stays loaded, unrecorded; the next 'hotsplice apply', 'undo' or 'replay' takes it out" b.err &&
test -d /sys/kernel/livepatch/$LP &&
hotsplice list > list && cat list &&
test_grep "livepatch '$LP' is loaded but hotsplice has no record of it \(left by an interrupted apply; the next apply, undo or replay takes it out\)" list &&
kill $catpid && killall sleep && sleep 0.2 &&
hotsplice undo --all 2> c.err && cat c.err &&
test_grep "livepatch '$LP' is loaded but not recorded \(an apply was interrupted or could not roll back\): taking it out" c.err &&
test_grep "livepatch '$LP' taken out: the kernel is as the state records" c.err &&
test_must_fail test -d /sys/kernel/livepatch/$LP &&
test_must_fail grep -q "^$LP " /proc/modules &&
hotsplice list > list && test_grep '^no updates applied' list &&
cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy
