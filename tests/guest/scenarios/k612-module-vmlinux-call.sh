# SPDX-License-Identifier: GPL-2.0
# apply-module-vmlinux-call on Debian 12's 6.12 (loop.ko of one object, objtool run on it
# when it was compiled; IBT; exports in one .export_symbol section): kernel/fork.c exports
# nr_processes() (not made live) and the module's new code calls it through vmlinux's
# livepatch relocations.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-loop-nrproc tests/guest/patches/loop-sizelimit-exported-call.patch
loop_nrproc_cycle k612-loop-nrproc
