# SPDX-License-Identifier: GPL-2.0
# Fixture 08-sympos-khugepaged (tests/patches/08-sympos-khugepaged.patch): create, check, apply, observe, undo.
# two static functions are named pages_to_scan_show
# guest-timeout: 90
# guest-package: f-08 tests/patches/08-sympos-khugepaged.patch
fixture_cycle f-08 /hs/patches/08-sympos-khugepaged.observe
