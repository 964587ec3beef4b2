# SPDX-License-Identifier: GPL-2.0
# Self-test: a scenario that leaves a livepatch loaded must fail (and be cleaned up).
lp_load $HS_KMOD/hs_test_cmdline.ko
