// SPDX-License-Identifier: GPL-2.0
/*
 * runpre.c - fuzz run-pre matching: the input is a pre object, matched against
 * a fake running kernel (the symbols below, memory of 0xcc with a NOP'd ftrace
 * call at each function) for every function it defines that the kernel has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "elf/kfacts.h"
#include "target/kallsyms.h"
#include "target/runpre.h"

#define BASE 0xffffffff81000000ULL
#define MEM 0x10000

static struct hs_kallsyms ks;
static unsigned char mem[MEM];

static int fake_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	(void)arg;
	if (addr < BASE || len > MEM || addr - BASE > MEM - len)
		return -14;	/* -EFAULT */
	memcpy(buf, mem + (addr - BASE), len);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const names[] = { "entry", "helper", "helper", "__fentry__", "counter",
					     "cmdline_proc_show", "t_show", "f", "pipe_read",
					     "version_proc_show", "bm_status_read", "seq_printf" };
	char path[] = "/tmp/hs-fuzz-kallsyms.XXXXXX";
	FILE *f;
	int fd;

	(void)argc;
	(void)argv;
	memset(mem, 0xcc, sizeof(mem));
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		abort();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		fprintf(f, "%llx %c %s\n", (unsigned long long)BASE + i * 0x1000, i == 4 ? 'D' : 't',
			names[i]);
		memcpy(mem + i * 0x1000, "\x0f\x1f\x44\x00\x00", 5);
	}
	fclose(f);
	if (hs_kallsyms_load(&fuzz_ctx, path, &ks))
		abort();
	unlink(path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* both kernels' facts (ENDBR, padding), chosen by the input's length */
	struct hs_runpre_env env = { .ks = &ks, .read = fake_read,
				     .facts = hs_kfacts_series(size & 1 ? "6.12" : "6.1") };
	struct hs_elf e;

	if (hs_elf_open_mem(&fuzz_ctx, "fuzz.o", data, size, &e))
		return 0;
	for (size_t i = 1; i < e.nsyms; i++) {
		struct hs_runpre rp = { 0 };
		const size_t *idx;

		if (!hs_elf_sym_is_func(&e.syms[i]) ||
		    !hs_kallsyms_find(&ks, NULL, e.syms[i].name, &idx))
			continue;
		hs_runpre_match_func(&fuzz_ctx, &env, &e, NULL, e.syms[i].name, &rp);
		hs_runpre_free(&rp);
	}
	hs_elf_close(&e);
	return 0;
}
