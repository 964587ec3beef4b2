# SPDX-License-Identifier: GPL-2.0
# Fixture 08 on Debian 12's 6.12 (a same-named local symbol: its position learnt by
# run-pre): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-08 tests/patches/08-sympos-khugepaged.patch
fixture_cycle k612-08 /hs/patches/08-sympos-khugepaged.observe
