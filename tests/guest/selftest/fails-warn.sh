# SPDX-License-Identifier: GPL-2.0
# Self-test: a kernel WARNING must fail the scenario even when its commands succeed.
# guest-timeout: 20
insmod $HS_KMOD/hs_test_warn.ko || true
