# SPDX-License-Identifier: GPL-2.0
# Fixture 06-new-helper-loadavg (tests/patches/06-new-helper-loadavg.patch): create, check, apply, observe, undo.
# loadavg_proc_show() calls a new helper that adds a
# guest-timeout: 90
# guest-package: f-06 tests/patches/06-new-helper-loadavg.patch
fixture_cycle f-06 /hs/patches/06-new-helper-loadavg.observe
