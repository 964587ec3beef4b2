// SPDX-License-Identifier: GPL-2.0
/* create.c - `hotsplice create`: build an update package from a source patch. */
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "build/create.h"
#include "build/kbuild.h"
#include "build/release.h"

/* --kernel OLD --release NEW: the whole-release update (release.h). */
static int create_release(const struct hs_ctx *ctx, const struct hs_create_opts *o,
			  const char *from, const char *to)
{
	char *source = NULL, *headers = NULL;
	int err = hs_kbuild_kernel_dirs(ctx, to, &source, &headers);

	err = err ?: hs_release_create(ctx, o, from, to, source);
	free(source);
	free(headers);
	return err;
}

static const struct option create_opts[] = {
	{ "patch", required_argument, NULL, 'p' },
	{ "source", required_argument, NULL, 's' },
	{ "headers", required_argument, NULL, 'H' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "id", required_argument, NULL, 'i' },
	{ "description", required_argument, NULL, 'd' },
	{ "effective-version", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "target-root", required_argument, NULL, 'r' },
	{ "sign-key", required_argument, NULL, 'K' },
	{ "sign-cert", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "max-header-files", required_argument, NULL, 'M' },
	{ "json", no_argument, NULL, 'J' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "on-top-of", required_argument, NULL, 'T' },
	{ "release", required_argument, NULL, 'R' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

/*
 * Parse create's options into @o, @kernel and @release; the --on-top-of
 * packages go to @on_top (argc entries). 0; 1 when the usage should be
 * printed; -1 when a value was wrong (said).
 */
static int parse_options(struct hs_ctx *ctx, int argc, char **argv, struct hs_create_opts *o,
			 const char **on_top, const char **kernel, const char **release)
{
	int c;

	while ((c = getopt_long(argc, argv, "o:j:qv", create_opts, NULL)) != -1) {
		switch (c) {
		case 'p': o->patch = optarg; break;
		case 's': o->source = optarg; break;
		case 'H': o->headers = optarg; break;
		case 'k': *kernel = optarg; break;
		case 'i': o->id = optarg; break;
		case 'd': o->description = optarg; break;
		case 'e': o->effective = optarg; break;
		case 'w': o->workdir = optarg; break;
		case 'r': o->target_root = optarg; break;
		case 'K': o->sign_key = optarg; break;
		case 'C': o->sign_cert = optarg; break;
		case 'n': o->dry_run = 1; break;
		case 'J': o->json = 1; break;
		case 'o': o->out = optarg; break;
		case 'T': on_top[o->non_top_of++] = optarg; break;
		case 'R': *release = optarg; break;
		case 'j': o->jobs = atoi(optarg); break;
		case 'M':
			if (hs_cmd_parse_count(ctx, "--max-header-files", optarg, &o->max_header_files))
				return -1;
			break;
		case 'q': o->quiet = 1; ctx->verbosity = HS_WARN; break;
		case 'v': ctx->verbosity = HS_DEBUG; break;
		default: return 1;
		}
	}
	return optind != argc || (!o->patch && !*release) ||
	       (!*kernel && (!o->source || !o->headers)) || (*kernel && (o->source || o->headers)) ||
	       (*release && (o->patch || !*kernel)) || !o->sign_key != !o->sign_cert;
}

int cmd_create(struct hs_ctx *ctx, int argc, char **argv)
{
	struct hs_create_opts o = { 0 };
	char *source = NULL, *headers = NULL;
	const char *kernel = NULL, *release = NULL, **on_top = calloc((size_t)argc + 1, sizeof(*on_top));
	int err;

	if (!on_top)
		return EXIT_ERROR;
	o.on_top_of = on_top;
	err = parse_options(ctx, argc, argv, &o, on_top, &kernel, &release);
	if (err) {
		free(on_top);
		if (err > 0)
			hs_cmd_usage(hs_cmd_find("create"), 1);
		return EXIT_USAGE;
	}
	if (kernel) {
		err = hs_kbuild_kernel_dirs(ctx, kernel, &source, &headers);
		if (err) {
			free(on_top);
			return hs_exit_code(err);
		}
		o.source = source;
		o.headers = headers;
	}
	o.no_name_narrowing = hs_cmd_env_flag("HOTSPLICE_NO_NAME_NARROWING");
	hs_cmd_remove_tmpdirs_on_signal();
	err = release ? create_release(ctx, &o, kernel, release) : hs_create(ctx, &o);
	free(source);
	free(headers);
	free(on_top);
	return hs_exit_code(err);
}
