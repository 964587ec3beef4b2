// SPDX-License-Identifier: GPL-2.0
/* modfix.c - fuzz the module reader: module name and .klp.sym listing (read only). */
#include "fuzz.h"
#include "target/modfix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[HS_MODNAME_SIZE];
	struct hs_klpsym *syms = NULL;
	int n;

	hs_modfix_name(&fuzz_ctx, data, size, name);
	n = hs_modfix_list(&fuzz_ctx, data, size, &syms);
	if (n >= 0)
		hs_modfix_free(syms, n);
	return 0;
}
