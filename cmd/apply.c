// SPDX-License-Identifier: GPL-2.0
/* apply.c - `hotsplice apply` and `hotsplice check`. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "target/apply.h"

static int run(struct hs_ctx *ctx, int argc, char **argv, const char *name, int check_only)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_apply_opts o = { .check_only = check_only };
	int c;

	while ((c = getopt_long(argc, argv, check_only ? "qv" : "qvt:", opts, NULL)) != -1) {
		if (c == 't' && check_only)
			c = '?';	/* check changes nothing: no transition to time */
		switch (c) {
		case 't':
			if (hs_cmd_seconds(ctx, "--timeout", optarg, &o.timeout))
				return EXIT_USAGE;
			break;
		case 'q': ctx->verbosity = HS_WARN; break;
		case 'v': ctx->verbosity = HS_DEBUG; break;
		default:
			hs_cmd_usage(hs_cmd_find(name), 1);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		hs_cmd_usage(hs_cmd_find(name), 1);
		return EXIT_USAGE;
	}
	o.package = argv[optind];
	if (!check_only)
		o.cancel = hs_cmd_catch_signals();
	return hs_exit_code(hs_apply(ctx, &o));
}

int cmd_apply(struct hs_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, "apply", 0);
}

int cmd_check(struct hs_ctx *ctx, int argc, char **argv)
{
	return run(ctx, argc, argv, "check", 1);
}
