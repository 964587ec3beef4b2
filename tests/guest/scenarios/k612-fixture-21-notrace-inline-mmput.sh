# SPDX-License-Identifier: GPL-2.0
# Fixture 21 on Debian 12's 6.12 (a notrace inline reached through its callers): create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-21 tests/patches/21-notrace-inline-mmput.patch
fixture_cycle k612-21 /hs/patches/21-notrace-inline-mmput.observe
