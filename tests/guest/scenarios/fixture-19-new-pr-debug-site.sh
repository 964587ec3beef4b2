# SPDX-License-Identifier: GPL-2.0
# Fixture 19-new-pr-debug-site (tests/patches/19-new-pr-debug-site.patch): create, check, apply, observe, undo.
# a new pr_debug() site in async_run_entry_fn() is listed in /proc/dynamic_debug/control while patched.
# guest-timeout: 90
# guest-package: f-19 tests/patches/19-new-pr-debug-site.patch
fixture_cycle f-19 /hs/patches/19-new-pr-debug-site.observe
