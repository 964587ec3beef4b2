// SPDX-License-Identifier: GPL-2.0
/* build_objects.c - plumbing: check a patch, prepare the tree, compile pre/post objects. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/cache.h"
#include "build/kbuild.h"
#include "build/patch.h"

struct opts {
	const char *patch, *source, *headers, *kernel, *out;
	int jobs;
	long max_header_users;
	enum hs_level verbosity;
};

static int parse_opts(struct hs_ctx *ctx, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "patch", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "headers", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "max-header-users", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 }
	};
	int c;

	*o = (struct opts){ .out = "build-objects", .jobs = 2, .max_header_users = 20,
			    .verbosity = HS_INFO };
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:qv", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->patch = optarg; break;
		case 's': o->source = optarg; break;
		case 'H': o->headers = optarg; break;
		case 'k': o->kernel = optarg; break;
		case 'o': o->out = optarg; break;
		case 'j': o->jobs = atoi(optarg); break;
		case 'm': o->max_header_users = atol(optarg); break;
		case 'q': o->verbosity = HS_WARN; break;
		case 'v': o->verbosity = HS_DEBUG; break;
		default: return -1;
		}
	}
	if (optind != argc || !o->patch || o->jobs < 1 || o->max_header_users < 0 ||
	    (o->kernel ? o->source || o->headers : !o->source || !o->headers)) {
		hs_err(ctx, "give --patch, and either --source and --headers or --kernel");
		return -1;
	}
	return 0;
}

/* Each stage with its duration. */
static int stage(struct hs_ctx *ctx, const char *name, double *t)
{
	double now = hs_now();

	hs_info(ctx, "%-15s %5.1f s", name, now - *t);
	*t = now;
	return 0;
}

static int write_units(struct hs_ctx *ctx, const char *out, const struct hs_kbuild_units *u)
{
	char *path = hs_strdupf("%s/units", out);
	FILE *f = path ? fopen(path, "w") : NULL;

	if (!f) {
		hs_err(ctx, "cannot write '%s'", path ? path : out);
		free(path);
		return -EIO;
	}
	/* one line a unit: source, object, where, klp object, header that brought it in */
	for (size_t i = 0; i < u->n; i++) {
		const struct hs_kbuild_unit *un = &u->u[i];

		fprintf(f, "%s %s %s %s %s\n", un->src, un->obj,
			un->where == HS_UNIT_MODULE ? "module" : "vmlinux", un->klp_object,
			un->via ? un->via : "-");
		hs_info(ctx, "  %s: %s%s%s%s", un->src, un->where == HS_UNIT_MODULE ? "module " : "",
			un->klp_object, un->via ? ", includes " : "", un->via ? un->via : "");
	}
	fclose(f);
	free(path);
	return 0;
}

static int build(struct hs_ctx *ctx, const struct opts *o, const char *source,
		 const char *headers)
{
	struct hs_patch p = { 0 };
	struct hs_kbuild kb = { 0 };
	struct hs_kbuild_units u = { 0 };
	double t = hs_now(), t0 = t;
	int err;

	err = hs_kbuild_open(ctx, source, headers, &kb);
	if (!err) {
		kb.jobs = o->jobs;
		kb.max_header_users = (size_t)o->max_header_users;
		kb.quiet = o->verbosity < HS_INFO;
		kb.no_name_narrowing = hs_cmd_env_flag("HOTSPLICE_NO_NAME_NARROWING");
	}
	err = err ?: hs_patch_load(ctx, o->patch, &p);
	err = err ?: hs_patch_check(ctx, o->patch, kb.source);
	err = err ?: stage(ctx, "check patch", &t);
	err = err ?: hs_kbuild_prepare(&kb);
	err = err ?: stage(ctx, "prepared tree", &t);
	err = err ?: hs_kbuild_units(&kb, &p, &u);
	err = err ?: hs_kbuild_screen(&kb, o->patch, &p, &u, o->out);
	for (size_t i = 0; !err && i < u.ndeferred; i++)	/* create checks these; say so here */
		hs_warn(ctx, "'%s': not compiled: the patch reaches it only through struct/union "
			"'%s'%s", u.deferred[i].src, u.deferred[i].types[0],
			u.deferred[i].ntypes > 1 ? " and others" : "");
	err = err ?: write_units(ctx, o->out, &u);
	err = err ?: stage(ctx, "find units", &t);
	err = err ?: hs_kbuild_compile(&kb, o->patch, &p, &u, o->out);
	err = err ?: stage(ctx, "compile", &t);
	if (!err)
		hs_info(ctx, "objects in '%s/pre' and '%s/post' (%.1f s in all)", o->out, o->out,
			hs_now() - t0);
	hs_kbuild_units_free(&u);
	hs_kbuild_close(&kb);
	hs_patch_free(&p);
	return err;
}

int cmd_build_objects(struct hs_ctx *ctx, int argc, char **argv)
{
	char *source = NULL, *headers = NULL;
	struct opts o;
	int err;

	if (parse_opts(ctx, argc, argv, &o)) {
		hs_cmd_usage(hs_cmd_find("build-objects"), 1);
		return EXIT_USAGE;
	}
	ctx->verbosity = o.verbosity;
	if (hs_mkdir_p(ctx, o.out))
		return EXIT_ERROR;
	if (o.kernel) {
		err = hs_kbuild_kernel_dirs(ctx, o.kernel, &source, &headers);
		if (err)
			return hs_exit_code(err);
	}
	err = build(ctx, &o, source ? source : o.source, headers ? headers : o.headers);
	free(source);
	free(headers);
	return hs_exit_code(err);
}
