// SPDX-License-Identifier: GPL-2.0
/* fault.c - test-only fault injection points (see fault.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fault.h"

int hs_fault(const struct hs_ctx *ctx, const char *point)
{
	char var[64];
	const char *v;

	snprintf(var, sizeof(var), "HS_FAULT_%s", point);
	v = getenv(var);
	if (!v || !*v)
		return 0;
	if (!strcmp(v, "fail")) {
		hs_err(ctx, "fault injected at '%s' ($%s)", point, var);
		return -EIO;
	}
	if (!strcmp(v, "stop")) {
		hs_info(ctx, "fault injection: stopped at '%s' ($%s)", point, var);
		raise(SIGSTOP);
	}
	return 0;
}
