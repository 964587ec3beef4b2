// SPDX-License-Identifier: GPL-2.0
/* deb.c - `hotsplice deb`: wrap an update package as a Debian package. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "ship/debpkg.h"

int cmd_deb(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "deb-version", required_argument, NULL, 'V' },
		{ "kernel-version", required_argument, NULL, 'k' },
		{ "maintainer", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_deb_opts o = { 0 };
	const char *outdir = NULL;
	char *out, maint[256];
	int c, err;

	while ((c = getopt_long(argc, argv, "o:q", opts, NULL)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 'n': o.name = optarg; break;
		case 'V': o.version = optarg; break;
		case 'k': o.kernel_version = optarg; break;
		case 'm': o.maintainer = optarg; break;
		case 'q': ctx->verbosity = HS_WARN; break;
		default:
			hs_cmd_usage(hs_cmd_find("deb"), 1);
			return EXIT_USAGE;
		}
	}
	/* as dch(1) does: the builder's name and address from the environment */
	if (!o.maintainer && getenv("DEBEMAIL") && *getenv("DEBEMAIL")) {
		snprintf(maint, sizeof(maint), "%s <%s>", getenv("DEBFULLNAME") ?: "hotsplice",
			 getenv("DEBEMAIL"));
		o.maintainer = maint;
	}
	if (!outdir || optind != argc - 1) {
		hs_cmd_usage(hs_cmd_find("deb"), 1);
		return EXIT_USAGE;
	}
	err = hs_deb_build(ctx, argv[optind], &o, outdir, &out);
	if (err)
		return hs_exit_code(err);
	printf("%s\n", out);
	free(out);
	return EXIT_OK;
}
