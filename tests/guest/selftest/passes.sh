# SPDX-License-Identifier: GPL-2.0
# Self-test: after the failures above were cleaned up, a clean scenario passes.
# guest-timeout: 20
test_must_fail test -d /sys/kernel/livepatch/hs_test_cmdline &&
test_grep 'console=ttyS0' /proc/cmdline
