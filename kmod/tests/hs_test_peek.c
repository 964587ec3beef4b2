// SPDX-License-Identifier: GPL-2.0
/*
 * hs_test_peek.c - print the first bytes of the running kernel's code at addr=
 * (from /proc/kallsyms), to see what the kernel did to a function at boot
 * (a sealed ENDBR64, an ftrace NOP). Loading always fails: nothing stays loaded.
 */
#include <linux/module.h>
#include <linux/uaccess.h>

static unsigned long addr;
module_param(addr, ulong, 0400);
MODULE_PARM_DESC(addr, "kernel address to read 9 bytes from");

static int __init hs_peek_init(void)
{
	unsigned char b[9];

	if (!addr || copy_from_kernel_nofault(b, (void *)addr, sizeof(b)))
		return -EINVAL;
	pr_info("hs_test_peek: %lx: %*ph\n", addr, (int)sizeof(b), b);
	return -ENODEV;
}

module_init(hs_peek_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotsplice test: print kernel code bytes");
