# SPDX-License-Identifier: GPL-2.0
# A SYSCALL_DEFINE0 body: the syscall's entry points __x64_sys_getppid and
# __ia32_sys_getppid are aliases of __do_sys_getppid (one address, one function).
# The update replaces that one function once; getppid (the shell's $PPID) shows it.
# guest-timeout: 120
# guest-package: sysppid tests/guest/patches/syscall-getppid.patch
# (a child's $PPID less its parent's own pid: 0, patched 100000)
ppid_delta() { sh -c 'sh -c "echo \$PPID" > /tmp/ppid; echo $(($(cat /tmp/ppid) - $$))'; }
test "$(ppid_delta)" = 0 &&
hotsplice apply -q "$HS_PACKAGES/sysppid.hsu" &&
hotsplice list > /tmp/sys.list && test_grep "^sysppid +applied " /tmp/sys.list &&
test "$(ppid_delta)" = 100000 &&
hotsplice undo -q sysppid &&
test "$(ppid_delta)" = 0
