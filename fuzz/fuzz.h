/* SPDX-License-Identifier: GPL-2.0 */
/* fuzz.h - what the libFuzzer harnesses share: a context that drops messages. */
#ifndef HS_FUZZ_H
#define HS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/hotsplice.h"

/* Messages are formatted (so their arguments are exercised) and dropped. */
static void fuzz_print(void *arg, enum hs_level level, const char *msg)
{
	(void)arg;
	(void)level;
	(void)msg;
}

static const struct hs_ctx fuzz_ctx = { .print = fuzz_print, .verbosity = HS_DEBUG };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
