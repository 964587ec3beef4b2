// SPDX-License-Identifier: GPL-2.0
/* where.c - plumbing: where kbuild builds each of a list of source files for a kernel. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "build/kbuild.h"

struct opts {
	const char *source, *headers, *kernel;
	enum hs_level verbosity;
};

static int parse_opts(struct hs_ctx *ctx, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "headers", required_argument, NULL, 'H' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 }
	};
	int c;

	*o = (struct opts){ .verbosity = HS_INFO };
	optind = 1;
	while ((c = getopt_long(argc, argv, "qv", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->source = optarg; break;
		case 'H': o->headers = optarg; break;
		case 'k': o->kernel = optarg; break;
		case 'q': o->verbosity = HS_WARN; break;
		case 'v': o->verbosity = HS_DEBUG; break;
		default: return -1;
		}
	}
	if (optind == argc ||
	    (o->kernel ? o->source || o->headers : !o->source || !o->headers)) {
		hs_err(ctx, "give FILE..., and either --source and --headers or --kernel");
		return -1;
	}
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * A .c file that is no object of its own may be #included by one that is
 * (kernel/sched/build_policy.c includes rt.c): name the first built includer.
 */
static int built_includer(struct hs_kbuild *kb, const char *file, enum hs_unit_where *where,
			  char **via)
{
	char **users = NULL;
	int n = hs_kbuild_includers(kb, file, &users), err = 0;

	for (int i = 0; i < n && !err; i++) {
		char *obj = strdup(users[i]);

		if (!obj) {
			err = -ENOMEM;
			break;
		}
		obj[strlen(obj) - 1] = 'o';
		err = ends_with(users[i], ".c") && !*via ? hs_kbuild_where(kb, obj, where) : 0;
		if (!err && !*via && *where != HS_UNIT_NOT_BUILT && !(*via = strdup(users[i])))
			err = -ENOMEM;
		free(obj);
	}
	for (int i = 0; i < n; i++)
		free(users[i]);
	free(users);
	if (!err && !*via)
		*where = HS_UNIT_NOT_BUILT;
	return n < 0 ? n : err;
}

/* One line: "FILE vmlinux|module|not-built|other [INCLUDER]". */
static int print_where(struct hs_kbuild *kb, const char *file)
{
	enum hs_unit_where where = HS_UNIT_NOT_BUILT;
	char *obj, *via = NULL;
	int err = 0;

	if (!ends_with(file, ".c")) {
		printf("%s other\n", file);
		return 0;
	}
	obj = strdup(file);
	if (!obj)
		return -ENOMEM;
	obj[strlen(obj) - 1] = 'o';
	err = hs_kbuild_where(kb, obj, &where);
	if (!err && where == HS_UNIT_NOT_BUILT)
		err = built_includer(kb, file, &where, &via);
	if (!err)
		printf("%s %s%s%s\n", file, where == HS_UNIT_NOT_BUILT ? "not-built" :
		       hs_kbuild_where_name(where), via ? " " : "", via ? via : "");
	free(obj);
	free(via);
	return err;
}

static int run(struct hs_ctx *ctx, const struct opts *o, const char *source,
	       const char *headers, int nfiles, char **files)
{
	struct hs_kbuild kb = { 0 };
	int err;

	err = hs_kbuild_open(ctx, source, headers, &kb);
	if (!err)
		kb.quiet = o->verbosity < HS_INFO;
	err = err ?: hs_kbuild_prepare(&kb);
	for (int i = 0; i < nfiles && !err; i++)
		err = print_where(&kb, files[i]);
	if (err)
		hs_err(ctx, "cannot tell where kbuild builds the files (%s)", strerror(-err));
	hs_kbuild_close(&kb);
	return err;
}

int cmd_where(struct hs_ctx *ctx, int argc, char **argv)
{
	char *source = NULL, *headers = NULL;
	struct opts o;
	int err;

	if (parse_opts(ctx, argc, argv, &o)) {
		hs_cmd_usage(hs_cmd_find("where"), 1);
		return EXIT_USAGE;
	}
	ctx->verbosity = o.verbosity;
	if (o.kernel) {
		err = hs_kbuild_kernel_dirs(ctx, o.kernel, &source, &headers);
		if (err)
			return hs_exit_code(err);
	}
	err = run(ctx, &o, source ? source : o.source, headers ? headers : o.headers,
		  argc - optind, argv + optind);
	free(source);
	free(headers);
	return hs_exit_code(err);
}
