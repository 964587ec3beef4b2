# SPDX-License-Identifier: GPL-2.0
# Fixture 21-notrace-inline-mmput (tests/patches/21-notrace-inline-mmput.patch): create, check, apply, observe, undo.
# a changed notrace static inline (__mmput), reached through its four replaced callers, logs on every exit.
# guest-timeout: 90
# guest-package: f-21 tests/patches/21-notrace-inline-mmput.patch
fixture_cycle f-21 /hs/patches/21-notrace-inline-mmput.observe
