# SPDX-License-Identifier: GPL-2.0
# Self-test: what fails-timeout.sh started in the background was stopped with it
# (runs before hangs-once, whose hang starts a new boot).
# guest-timeout: 20
test_must_fail grep -l "hs-selftest-str[a]y" /proc/[0-9]*/cmdline
