// SPDX-License-Identifier: GPL-2.0
/* create.c - `hotsplice create`: build an update package from a source patch. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "../lib/create.h"
#include "../lib/kbuild.h"

int cmd_create(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "patch", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "headers", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "id", required_argument, NULL, 'i' },
		{ "description", required_argument, NULL, 'd' },
		{ "effective-version", required_argument, NULL, 'e' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "target-root", required_argument, NULL, 'R' },
		{ "sign-key", required_argument, NULL, 'K' },
		{ "sign-cert", required_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "max-header-files", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_create_opts o = { 0 };
	char *source = NULL, *headers = NULL;
	const char *kernel = NULL;
	int c, err;

	while ((c = getopt_long(argc, argv, "o:j:qv", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.patch = optarg; break;
		case 's': o.source = optarg; break;
		case 'H': o.headers = optarg; break;
		case 'k': kernel = optarg; break;
		case 'i': o.id = optarg; break;
		case 'd': o.description = optarg; break;
		case 'e': o.effective = optarg; break;
		case 'w': o.workdir = optarg; break;
		case 'R': o.target_root = optarg; break;
		case 'K': o.sign_key = optarg; break;
		case 'C': o.sign_cert = optarg; break;
		case 'n': o.dry_run = 1; break;
		case 'J': o.json = 1; break;
		case 'o': o.out = optarg; break;
		case 'j': o.jobs = atoi(optarg); break;
		case 'M':
			if (hs_cmd_parse_count(ctx, "--max-header-files", optarg, &o.max_header_files))
				return EXIT_USAGE;
			break;
		case 'q': o.quiet = 1; ctx->verbosity = HS_WARN; break;
		case 'v': ctx->verbosity = HS_DEBUG; break;
		default: goto usage;
		}
	}
	if (optind != argc || !o.patch || (!kernel && (!o.source || !o.headers)) ||
	    (kernel && (o.source || o.headers)) || !o.sign_key != !o.sign_cert)
		goto usage;
	if (kernel) {
		err = hs_kbuild_kernel_dirs(ctx, kernel, &source, &headers);
		if (err)
			return hs_exit_code(err);
		o.source = source;
		o.headers = headers;
	}
	o.no_name_narrowing = hs_cmd_env_flag("HOTSPLICE_NO_NAME_NARROWING");
	err = hs_create(ctx, &o);
	free(source);
	free(headers);
	return hs_exit_code(err);
usage:
	hs_cmd_usage(hs_cmd_find("create"), 1);
	return EXIT_USAGE;
}
