# SPDX-License-Identifier: GPL-2.0
# Fixture 01-global-meminfo (tests/patches/01-global-meminfo.patch): create, check, apply, observe, undo.
# the global arch_report_meminfo() adds a line to /proc/meminfo.
# guest-timeout: 90
# guest-package: f-01 tests/patches/01-global-meminfo.patch
fixture_cycle f-01 /hs/patches/01-global-meminfo.observe
