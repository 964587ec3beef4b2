# SPDX-License-Identifier: GPL-2.0
# Fixture 03-file-static-ksm (tests/patches/03-file-static-ksm.patch): create, check, apply, observe, undo.
# the patched sleep_millisecs_show() must read the running
# guest-timeout: 90
# guest-package: f-03 tests/patches/03-file-static-ksm.patch
fixture_cycle f-03 /hs/patches/03-file-static-ksm.observe
