# SPDX-License-Identifier: GPL-2.0
# Fixture 10 on Debian 12's 6.12 (Debian's ext4 mballoc fix): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-10 tests/patches/10-debian-ext4-mballoc.patch
fixture_cycle k612-10 /hs/patches/10-debian-ext4-mballoc.observe
