# SPDX-License-Identifier: GPL-2.0
# Self-test: a failing check in the middle of a chain must fail the scenario.
# guest-timeout: 20
true && test_eq 1 2 "one" && true
