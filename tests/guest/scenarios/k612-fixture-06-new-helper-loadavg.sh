# SPDX-License-Identifier: GPL-2.0
# Fixture 06 on Debian 12's 6.12 (IBT: __fentry__ after ENDBR64, __pfx_ padding, call
# thunks; objtool on vmlinux.o only): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-06 tests/patches/06-new-helper-loadavg.patch
fixture_cycle k612-06 /hs/patches/06-new-helper-loadavg.observe
