# SPDX-License-Identifier: GPL-2.0
# Fixture 27-readonly-table-task-state (tests/patches/27-readonly-table-task-state.patch): create, check, apply, observe, undo.
# A changed static const table goes live with the functions that read it.
# guest-timeout: 90
# guest-package: f-27 tests/patches/27-readonly-table-task-state.patch
fixture_cycle f-27 /hs/patches/27-readonly-table-task-state.observe
