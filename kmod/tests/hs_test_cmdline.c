// SPDX-License-Identifier: GPL-2.0
/*
 * hs_test_cmdline.c - a hand-written livepatch that replaces cmdline_proc_show(),
 * so the guest harness can prove that patching and unpatching really happen.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "hotsplice: this has been live patched");
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int hs_test_cmdline_init(void)
{
	return klp_enable_patch(&patch);
}

static void hs_test_cmdline_exit(void)
{
}

module_init(hs_test_cmdline_init);
module_exit(hs_test_cmdline_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("hotsplice harness test: replaces cmdline_proc_show");
