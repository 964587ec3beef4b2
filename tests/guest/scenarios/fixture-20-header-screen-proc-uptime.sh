# SPDX-License-Identifier: GPL-2.0
# Fixture 20-header-screen-proc-uptime (tests/patches/20-header-screen-proc-uptime.patch): create, check, apply, observe, undo.
# a helper new in fs/proc/internal.h (23 built includers, screened) prints a line in /proc/uptime.
# guest-timeout: 90
# guest-package: f-20 tests/patches/20-header-screen-proc-uptime.patch
fixture_cycle f-20 /hs/patches/20-header-screen-proc-uptime.observe
