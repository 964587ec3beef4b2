// SPDX-License-Identifier: GPL-2.0
/* modfix.c - fuzz the module reader: module name, .klp.sym listing and rewrite. */
#include <stdlib.h>

#include "fuzz.h"
#include "../lib/modfix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[HS_MODNAME_SIZE];
	struct hs_klpsym *syms = NULL;
	unsigned long *pos;
	void *out = NULL;
	size_t outlen;
	int n;

	hs_modfix_name(&fuzz_ctx, data, size, name);
	n = hs_modfix_list(&fuzz_ctx, data, size, &syms);
	if (n < 0)
		return 0;
	pos = calloc((size_t)n + 1, sizeof(*pos));
	for (int i = 0; pos && i < n; i++)
		pos[i] = (unsigned long)i + 7;
	if (pos && !hs_modfix_rewrite(&fuzz_ctx, data, size, pos, n, &out, &outlen)) {
		struct hs_klpsym *again = NULL;
		int m = hs_modfix_list(&fuzz_ctx, out, outlen, &again);

		if (m >= 0)
			hs_modfix_free(again, m);
		free(out);
	}
	free(pos);
	hs_modfix_free(syms, n);
	return 0;
}
