# SPDX-License-Identifier: GPL-2.0
# Fixture 24-notrace-global-open-how (tests/patches/24-notrace-global-open-how.patch): create, check, apply, observe, undo.
# a changed global notrace function (build_open_how), reached through its replaced callers in two files, sets new files' modes.
# guest-timeout: 90
# guest-package: f-24 tests/patches/24-notrace-global-open-how.patch
fixture_cycle f-24 /hs/patches/24-notrace-global-open-how.observe
