// SPDX-License-Identifier: GPL-2.0
/* diff.c - `hotsplice diff-objects`: classify the changes between a pre and a post object. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diff/diff.h"

int cmd_diff_objects(struct hs_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *series = "6.1", *paths[2];
	const struct hs_kfacts *facts;
	int json = 0, npaths = 0, err;
	struct hs_diff d;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "--series") && i + 1 < argc) {
			series = argv[++i];
		} else if (argv[i][0] == '-' || npaths == 2) {
			hs_cmd_usage(hs_cmd_find("diff-objects"), 1);
			return EXIT_USAGE;
		} else {
			paths[npaths++] = argv[i];
		}
	}
	if (npaths != 2) {
		hs_cmd_usage(hs_cmd_find("diff-objects"), 1);
		return EXIT_USAGE;
	}
	facts = hs_kfacts_series(series);
	if (!facts) {
		hs_err(ctx, "'%s': not a kernel series hotsplice knows (6.1, 6.12)", series);
		return EXIT_USAGE;
	}
	err = hs_diff_objects(ctx, facts, name ? name : paths[1], paths[0], paths[1], &d);
	if (!err || err == -HS_ENOCHANGE || err == -HS_EREFUSED) {
		if (json ? hs_diff_print_json(&d, stdout) : hs_diff_print(&d, stdout))
			err = -EIO;
	}
	if (err == -HS_ENOCHANGE)
		hs_info(ctx, "'%s': no code change", d.objname);
	hs_diff_free(&d);
	return hs_exit_code(err);
}
