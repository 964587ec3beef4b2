# SPDX-License-Identifier: GPL-2.0
# A changed function of a module (kyber-iosched.ko's kyber_dispatch_cur_domain) holds a
# tracepoint: its jump-label entry names the module's key, which a module patch can reach
# only through a livepatch relocation, applied after the kernel reads the entry. create
# leaves the entry out (the tracepoint does not fire in the new code; create says so).
# Applied: I/O through kyber on a loop device runs the new code; kyber's tracepoints are
# enabled and disabled while it is live; undo; I/O again (kyber_tracepoint_cycle, lib.sh).
# guest-timeout: 120
# guest-module: block/kyber-iosched.ko
# guest-package: kyber-tp tests/guest/patches/kyber-dispatch-module.patch
kyber_tracepoint_cycle kyber-tp
