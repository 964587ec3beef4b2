# SPDX-License-Identifier: GPL-2.0
# Fixture 07-static-inline-task-state (tests/patches/07-static-inline-task-state.patch): create, check, apply, observe, undo.
# get_task_state() is inlined into both its
# guest-timeout: 90
# guest-package: f-07 tests/patches/07-static-inline-task-state.patch
fixture_cycle f-07 /hs/patches/07-static-inline-task-state.observe
