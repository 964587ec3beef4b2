# SPDX-License-Identifier: GPL-2.0
# A header change that reaches 47 functions of 5 files (bench/patches/header-get-proc-task.patch:
# a check that never fires in the inline get_proc_task() of fs/proc/internal.h).
# fs/proc/namespaces.c's readdir bounds its loop with a pointer one past the end of
# ns_entries[] (a reference to '.data.ns_entries'+80 that names no symbol's inside):
# the module refers to the running ns_entries there. /proc/PID/ns, /proc/PID/fd,
# /proc/PID/status work the same while the update is live, and after undo.
# guest-timeout: 120
# guest-package: proc-inline bench/patches/header-get-proc-task.patch
proc_view() {
	ls /proc/self/ns | tr '\n' ' ' &&
	readlink /proc/self/ns/net | sed 's/[0-9]//g' &&
	ls /proc/1/fd > /dev/null &&
	grep -c '^Pid:' /proc/self/status
}
before=$(proc_view) && say "before: $before" &&
case "$before" in *"cgroup ipc mnt net pid"*) ;; *) false ;; esac &&
hotsplice apply -q $HS_PACKAGES/proc-inline.hsu &&
hotsplice list > list && test_grep '^proc-inline +applied ' list &&
test_eq "$before" "$(proc_view)" "/proc while 47 functions are replaced" &&
hotsplice undo -q proc-inline &&
test_eq "$before" "$(proc_view)" "/proc after undo"
