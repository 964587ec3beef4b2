# SPDX-License-Identifier: GPL-2.0
# Fixture 01 on Debian 12's 6.12 (a global function in arch/x86, found through
# arch/x86/Kbuild): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-01 tests/patches/01-global-meminfo.patch
fixture_cycle k612-01 /hs/patches/01-global-meminfo.observe
