# SPDX-License-Identifier: GPL-2.0
# Fixture 02-static-version (tests/patches/02-static-version.patch): create, check, apply, observe, undo.
# the static version_proc_show() adds a line to /proc/version.
# guest-timeout: 90
# guest-package: f-02 tests/patches/02-static-version.patch
fixture_cycle f-02 /hs/patches/02-static-version.observe
