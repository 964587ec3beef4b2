# SPDX-License-Identifier: GPL-2.0
# Fixture 22-header-names-kernel-h-softirqs (tests/patches/22-header-names-kernel-h-softirqs.patch): create, check, apply, observe, undo.
# a helper new in include/linux/kernel.h (23880 includers, narrowed by name) prints a line in /proc/softirqs.
# guest-timeout: 90
# guest-package: f-22 tests/patches/22-header-names-kernel-h-softirqs.patch
fixture_cycle f-22 /hs/patches/22-header-names-kernel-h-softirqs.observe
