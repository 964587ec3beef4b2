// SPDX-License-Identifier: GPL-2.0
/* elf.c - fuzz the ELF reader: index an object, then walk what run-pre reads of it. */
#include "fuzz.h"
#include "elf/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_elf e;

	if (hs_elf_open_mem(&fuzz_ctx, "fuzz.o", data, size, &e))
		return 0;
	for (size_t i = 1; i < e.nsecs; i++) {
		size_t n = hs_elf_nrelas(&e, &e.secs[i]);

		for (size_t k = 0; k < n; k++) {
			GElf_Rela r;

			if (!hs_elf_rela(&e, &e.secs[i], k, &r))
				(void)e.syms[GELF_R_SYM(r.r_info)].name[0];
		}
		(void)hs_elf_sec_by_name(&e, e.secs[i].name ?: "");
	}
	for (size_t i = 1; i < e.nsyms; i++) {
		const struct hs_elf_sec *sec;
		const unsigned char *code;
		volatile unsigned char sum = 0;

		if (!hs_elf_sym_is_func(&e.syms[i]) ||
		    hs_elf_func_bytes(&fuzz_ctx, &e, &e.syms[i], &sec, &code))
			continue;
		for (uint64_t k = 0; k < e.syms[i].sym.st_size; k++)
			sum += code[k];
		(void)sum;
		(void)hs_elf_sym_by_name(&e, e.syms[i].name);
	}
	hs_elf_close(&e);
	return 0;
}
