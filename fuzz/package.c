// SPDX-License-Identifier: GPL-2.0
/* package.c - fuzz the update package reader (tar, MANIFEST, digests, checks). */
#include "fuzz.h"
#include "package/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_pkg pkg;

	if (!hs_pkg_parse(&fuzz_ctx, "fuzz.hsu", data, size, &pkg))
		hs_pkg_free(&pkg);
	return 0;
}
