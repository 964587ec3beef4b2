# SPDX-License-Identifier: GPL-2.0
# Self-test: a scenario running past its limit must fail, and what it started is
# stopped with it (gone-after-timeout.sh looks for it).
# guest-timeout: 2
sh -c 'sleep 600; : hs-selftest-stray' &
sleep 10
