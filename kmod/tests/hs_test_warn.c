// SPDX-License-Identifier: GPL-2.0
/*
 * hs_test_warn.c - a module whose load prints a kernel WARNING and fails,
 * so the harness's self-test can prove that it catches kernel warnings.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/module.h>

static int __init hs_test_warn_init(void)
{
	WARN(1, "hs_test_warn: deliberate warning for the harness self-test\n");
	return -EINVAL;
}

module_init(hs_test_warn_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotsplice harness self-test: a deliberate WARNING");
