# SPDX-License-Identifier: GPL-2.0
# Fixture 10-debian-ext4-mballoc (tests/patches/10-debian-ext4-mballoc.patch): create, check, apply, observe, undo.
# the fix only changes what happens when the page
# guest-timeout: 90
# guest-package: f-10 tests/patches/10-debian-ext4-mballoc.patch
fixture_cycle f-10 /hs/patches/10-debian-ext4-mballoc.observe
