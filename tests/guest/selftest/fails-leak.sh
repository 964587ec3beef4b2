# SPDX-License-Identifier: GPL-2.0
# Self-test: a scenario that leaves a livepatch loaded must fail (and be cleaned up).
# guest-timeout: 20
lp_load $HS_KMOD/hs_test_cmdline.ko
