# SPDX-License-Identifier: GPL-2.0
# The shape of a stable fix that exports a vmlinux function for a module's new code
# (6.1.190: net/core/dev.c exports skb_crc32c_csum_help() for nfnetlink_queue.c): here
# kernel/fork.c exports nr_processes() and loop.ko's loop_attr_sizelimit_show calls it.
# The export is not made live (create says so: the running kernel's code and modules were
# built without it), and the module's call reaches the unexported function through
# vmlinux's livepatch relocations (the livepatch core refuses vmlinux symbols in a
# module's), which the module loader applies when the livepatch module loads. Applied:
# /sys/block/loopN/loop/sizelimit shows the count of processes the new code read from
# vmlinux; undo restores it (loop_nrproc_cycle, lib.sh).
# guest-timeout: 90
# guest-package: loop-nrproc tests/guest/patches/loop-sizelimit-exported-call.patch
loop_nrproc_cycle loop-nrproc
