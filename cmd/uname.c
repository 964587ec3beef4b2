// SPDX-License-Identifier: GPL-2.0
/* uname.c - `hotsplice uname`: the effective kernel version, as uptrack-uname. */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "target/status.h"

int cmd_uname(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "release", no_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	char eff[128];
	struct hs_status s;
	int c, all = 0, err;

	while ((c = getopt_long(argc, argv, "ra", opts, NULL)) != -1) {
		switch (c) {
		case 'r': all = 0; break;
		case 'a': all = 1; break;
		default:
			hs_cmd_usage(hs_cmd_find("uname"), 1);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		hs_cmd_usage(hs_cmd_find("uname"), 1);
		return EXIT_USAGE;
	}
	err = hs_status_load(ctx, hs_state_default_root(), &s);
	if (err)
		return hs_exit_code(err);
	hs_status_effective(&s, eff, sizeof(eff));
	if (all) {
		size_t n = 0;

		for (size_t i = 0; i < s.nitems; i++)
			n += s.items[i].state == HS_ITEM_APPLIED;
		printf("%s (running %s %s; %zu update%s applied)\n", eff, s.release, s.version, n,
		       n == 1 ? "" : "s");
	} else {
		printf("%s\n", eff);
	}
	hs_status_free(&s);
	return EXIT_OK;
}
