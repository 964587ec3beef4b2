# SPDX-License-Identifier: GPL-2.0
# Fixture 05-two-files (tests/patches/05-two-files.patch): create, check, apply, observe, undo.
# /proc/cmdline (fs/proc/cmdline.c) gains " hotsplice.cmdline=1"
# guest-timeout: 90
# guest-package: f-05 tests/patches/05-two-files.patch
fixture_cycle f-05 /hs/patches/05-two-files.observe
