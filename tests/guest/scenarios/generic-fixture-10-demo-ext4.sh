# SPDX-License-Identifier: GPL-2.0
# The demo fix (Debian's ext4 mballoc fix, 6.1.192-1 -> 6.1.192-2: fixture 10) on the
# generic amd64 flavour of 6.1, where ext4 is a module (the harness loads it with
# jbd2, mbcache, crc16, crc32c_generic): create, check, apply, observe, undo.
# guest-kernel: 6.1.192-1/amd64
# guest-timeout: 120
# guest-package: gen-10 tests/patches/10-debian-ext4-mballoc.patch
test_grep '^ext4 ' /proc/modules &&
fixture_cycle gen-10 /hs/patches/10-debian-ext4-mballoc.observe
