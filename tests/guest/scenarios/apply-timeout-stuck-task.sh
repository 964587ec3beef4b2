# SPDX-License-Identifier: GPL-2.0
# A task sleeping inside the function to replace (cat blocked in pipe_read)
# keeps the transition from finishing: apply times out, reverses, unloads,
# names the task and where it sleeps; the kernel is as before. Once the task
# is gone the same update applies.
# guest-timeout: 120
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
P=$HS_PACKAGES/pipe-read-noop.hsu

mkfifo /tmp/fifo &&
{ sleep 600 > /tmp/fifo & } &&
{ cat /tmp/fifo > /dev/null & } &&
sleep 0.5 &&
catpid=$(pidof cat) &&
grep -q pipe_read /proc/$catpid/stack &&
say "t=$(cut -d. -f1 /proc/uptime)" &&
test_exit_code 1 hotsplice apply --timeout 4 $P 2> apply.err &&
say "t=$(cut -d. -f1 /proc/uptime)" &&
test_grep "transition not finished after 4 s" apply.err &&
test_grep "task 'cat' \(pid $catpid\) has not switched: kernel stack top: .*pipe_read" apply.err &&
test_grep "reversing the transition and unloading" apply.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_pipe_read_noop &&
test_must_fail grep -q '^hs_pipe_read_noop ' /proc/modules &&
hotsplice list > list && test_grep '^no updates applied' list &&
say "interrupted while waiting: the transition is reversed as on a timeout" &&
{ hotsplice apply --timeout 60 $P 2> int.err & } &&
sleep 2 && kill -INT $(pidof hotsplice) &&
rc=0 && { wait $! || rc=$?; } &&
test_eq 1 "$rc" "exit status of the interrupted apply" &&
test_grep "interrupted while the transition was running" int.err &&
test_grep "reversing the transition and unloading" int.err &&
test_must_fail test -d /sys/kernel/livepatch/hs_pipe_read_noop &&
hotsplice list > list && test_grep '^no updates applied' list &&
kill $catpid && killall sleep && sleep 0.2 &&
say "t=$(cut -d. -f1 /proc/uptime)" &&
hotsplice apply -q $P &&
say "t=$(cut -d. -f1 /proc/uptime)" &&
echo data > /tmp/plain && cat /tmp/plain | cat > /tmp/copy && test_cmp /tmp/plain /tmp/copy &&
say "undo while a task sleeps in the new pipe_read: it times out and is rolled back" &&
{ sleep 600 > /tmp/fifo & } &&
{ cat /tmp/fifo > /dev/null & } &&
sleep 0.5 && catpid=$(pidof cat) &&
test_exit_code 1 hotsplice undo --timeout 4 pipe-read-noop 2> undo.err &&
test_grep "task 'cat' \(pid $catpid\) has not switched" undo.err &&
test_grep "reversing the transition: it stays enabled" undo.err &&
test_grep "could not be undone; it stays applied" undo.err &&
test_eq 1 "$(lp_sysfs hs_pipe_read_noop enabled)" "enabled after the failed undo" &&
test_eq 0 "$(lp_sysfs hs_pipe_read_noop transition)" "transition after the failed undo" &&
hotsplice list > list && test_grep '^pipe-read-noop +applied' list &&
kill $catpid && killall sleep && sleep 0.2 &&
hotsplice undo -q pipe-read-noop &&
hotsplice list > list && test_grep '^no updates applied' list
