// SPDX-License-Identifier: GPL-2.0
/* build_module.c - plumbing: build a livepatch module from a post object and function names. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "klp/klp.h"

/* A comma-separated list split in place. */
struct list {
	char **v;
	size_t n;
};

static int list_add(struct list *l, char *arg)
{
	for (char *p = arg, *next; p; p = next) {
		char **nv;

		next = strchr(p, ',');
		if (next)
			*next++ = 0;
		if (!*p)
			continue;
		nv = realloc(l->v, (l->n + 1) * sizeof(*l->v));
		if (!nv)
			return -1;
		l->v = nv;
		l->v[l->n++] = p;
	}
	return 0;
}

/* "NAME[:SYMPOS]" or "NAME=OLDNAME[:SYMPOS]" into @f (strings point into @s). */
static int parse_func(char *s, struct hs_klp_func *f)
{
	char *pos = strchr(s, ':'), *old = strchr(s, '='), *end;

	memset(f, 0, sizeof(*f));
	if (pos) {
		*pos++ = 0;
		f->sympos = strtoul(pos, &end, 10);
		if (!*pos || *end)
			return -1;
	}
	if (old)
		*old++ = 0;
	f->name = s;
	f->old_name = old;
	return *s ? 0 : -1;
}

/* "NAME=POS" into @p. */
static int parse_sympos(char *s, struct hs_klp_sympos *p)
{
	char *eq = strchr(s, '='), *end;

	if (!eq || eq == s || !eq[1])
		return -1;
	*eq = 0;
	p->name = s;
	p->pos = strtoul(eq + 1, &end, 10);
	return *end ? -1 : 0;
}

struct args {
	struct hs_klp_opts o;
	struct list funcs, news, data, pos;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "post", required_argument, NULL, 'p' },
		{ "object", required_argument, NULL, 'b' },
		{ "func", required_argument, NULL, 'f' },
		{ "new", required_argument, NULL, 'n' },
		{ "new-data", required_argument, NULL, 'd' },
		{ "sympos", required_argument, NULL, 's' },
		{ "headers", required_argument, NULL, 'H' },
		{ "name", required_argument, NULL, 'm' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "cc", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1 && !err) {
		switch (c) {
		case 'p': a->o.post = optarg; break;
		case 'b': a->o.objname = optarg; break;
		case 'f': err = list_add(&a->funcs, optarg); break;
		case 'n': err = list_add(&a->news, optarg); break;
		case 'd': err = list_add(&a->data, optarg); break;
		case 's': err = list_add(&a->pos, optarg); break;
		case 'H': a->o.headers = optarg; break;
		case 'm': a->o.modname = optarg; break;
		case 'w': a->o.workdir = optarg; break;
		case 'c': a->o.cc = optarg; break;
		case 'o': a->o.out = optarg; break;
		default: return -1;
		}
	}
	if (err || optind != argc || !a->o.post || !a->o.objname || !a->funcs.n ||
	    !a->o.headers || !a->o.modname || !a->o.out)
		return -1;
	return 0;
}

static int fill_opts(struct args *a, struct hs_klp_func *funcs, struct hs_klp_sympos *pos)
{
	for (size_t i = 0; i < a->funcs.n; i++)
		if (parse_func(a->funcs.v[i], &funcs[i]))
			return -1;
	for (size_t i = 0; i < a->pos.n; i++)
		if (parse_sympos(a->pos.v[i], &pos[i]))
			return -1;
	a->o.funcs = funcs;
	a->o.nfuncs = a->funcs.n;
	a->o.new_funcs = (const char *const *)a->news.v;
	a->o.nnew_funcs = a->news.n;
	a->o.new_data = (const char *const *)a->data.v;
	a->o.nnew_data = a->data.n;
	a->o.sympos = pos;
	a->o.nsympos = a->pos.n;
	return 0;
}

int cmd_build_module(struct hs_ctx *ctx, int argc, char **argv)
{
	const struct hs_cmd *cmd = hs_cmd_find("build-module");
	struct hs_klp_func *funcs = NULL;
	struct hs_klp_sympos *pos = NULL;
	struct args a;
	int err, rc;

	memset(&a, 0, sizeof(a));
	if (parse(argc, argv, &a) ||
	    !(funcs = calloc(a.funcs.n, sizeof(*funcs))) ||
	    !(pos = calloc(a.pos.n + 1, sizeof(*pos))) ||
	    fill_opts(&a, funcs, pos)) {
		hs_cmd_usage(cmd, 1);
		rc = EXIT_USAGE;
		goto out;
	}
	hs_cmd_remove_tmpdirs_on_signal();
	err = hs_klp_build(ctx, &a.o);
	if (err)
		hs_err(ctx, "cannot build livepatch module '%s': %s", a.o.modname, hs_strerror(err));
	rc = hs_exit_code(err);
out:
	free(funcs);
	free(pos);
	free(a.funcs.v);
	free(a.news.v);
	free(a.data.v);
	free(a.pos.v);
	return rc;
}
