# SPDX-License-Identifier: GPL-2.0
# apply-module-tracepoint on Debian 12's 6.12: kyber-iosched.ko is one object, so objtool
# ran on it when it was compiled (not on vmlinux.o only): its functions have __pfx_ symbols
# in their sections (create refused them: "shares its section"), its jump-label sites are
# NOPs already, and it has its own ORC, return and static-call tables. Tracing is not
# enabled here (see k612-module-objects-tracepoint: an "Oops: int3" seen once on 6.12
# while tracing started); apply-module-tracepoint does it on 6.1.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 120
# guest-module: block/kyber-iosched.ko.xz
# guest-package: k612-kyber-tp tests/guest/patches/kyber-dispatch-module.patch
kyber_tracepoint_cycle k612-kyber-tp notrace
