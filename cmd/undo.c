// SPDX-License-Identifier: GPL-2.0
/* undo.c - `hotsplice undo`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "target/apply.h"

int cmd_undo(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "purge", no_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_undo_opts o = { 0 };
	int c, err;

	while ((c = getopt_long(argc, argv, "apqt:", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o.all = 1; break;
		case 'p': o.purge = 1; break;
		case 't':
			if (hs_cmd_seconds(ctx, "--timeout", optarg, &o.timeout))
				return EXIT_USAGE;
			break;
		case 'q': ctx->verbosity = HS_WARN; break;
		default:
			hs_cmd_usage(hs_cmd_find("undo"), 1);
			return EXIT_USAGE;
		}
	}
	if (o.all + o.purge + (optind < argc) != 1 || argc - optind > 1) {
		hs_cmd_usage(hs_cmd_find("undo"), 1);
		return EXIT_USAGE;
	}
	o.id = optind < argc ? argv[optind] : NULL;
	hs_cmd_catch_signals();	/* going back to the old code is not given up half-way */
	err = hs_undo(ctx, &o);
	return err == -ENOENT ? EXIT_ERROR : hs_exit_code(err);
}
