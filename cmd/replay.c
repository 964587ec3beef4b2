// SPDX-License-Identifier: GPL-2.0
/* replay.c - `hotsplice replay`: re-apply the recorded updates at boot. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "target/replay.h"

int cmd_replay(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_replay_opts o = { 0 };
	struct hs_replay_result r;
	int c;

	while ((c = getopt_long(argc, argv, "qvt:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (hs_cmd_seconds(ctx, "--timeout", optarg, &o.timeout))
				return EXIT_USAGE;
			break;
		case 'q': ctx->verbosity = HS_WARN; break;
		case 'v': ctx->verbosity = HS_DEBUG; break;
		default:
			hs_cmd_usage(hs_cmd_find("replay"), 1);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		hs_cmd_usage(hs_cmd_find("replay"), 1);
		return EXIT_USAGE;
	}
	/* any failure is an error here: the boot goes on, the unit shows it failed */
	return hs_replay(ctx, &o, &r) ? EXIT_ERROR : EXIT_OK;
}
