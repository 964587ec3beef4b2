# SPDX-License-Identifier: GPL-2.0
# A module's new code calls a function of vmlinux that the running kernel does not export
# (loop.ko's loop_attr_sizelimit_show now calls nr_processes()). The livepatch core lets a
# module's relocation sections name only that module's symbols, so create puts the call's
# relocation in vmlinux's section for the same code, which the module loader applies when
# the livepatch module loads. Applied: /sys/block/loopN/loop/sizelimit shows the count of
# processes the new code read from vmlinux; undo restores it (loop_nrproc_cycle, lib.sh).
# guest-timeout: 90
# guest-package: loop-nrproc tests/guest/patches/loop-sizelimit-vmlinux-call.patch
loop_nrproc_cycle loop-nrproc
