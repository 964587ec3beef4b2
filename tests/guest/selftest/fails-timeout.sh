# SPDX-License-Identifier: GPL-2.0
# Self-test: a scenario running past its limit must fail.
# guest-timeout: 2
sleep 10
