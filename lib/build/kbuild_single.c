// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_single.c - kbuild's command line for each unit and the generated
 * files it needs first, from "make" of single objects in the prepared tree.
 *
 * The top Makefile builds "make DIR/x.o" after its "prepare" (tools,
 * generated headers, a dry run of each with -n): seconds each time, for a
 * tree that was prepared once (kbuild.c). A small makefile read after the
 * top one gives the objects to scripts/Makefile.build as the top one's
 * single-target rule does, without "prepare" (kbuild-single-1.mk).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cache.h"
#include "core/fsutil.h"
#include "core/strbuf.h"
#include "build/kbuild_priv.h"

static const char single_mk[] =
	"# hotsplice: kbuild's build of single objects (make DIR/x.o) without the top\n"
	"# Makefile's prepare: the objects named in HS_GOALS_FILE, from obj=.\n"
	"KBUILD_MODULES := 1\n"
	"HS_GOALS := $(strip $(file <$(HS_GOALS_FILE)))\n"
	".PHONY: hs-single\n"
	"hs-single:\n"
	"\t$(Q)$(MAKE) $(build)=. need-builtin=1 need-modorder=1 $(HS_GOALS)\n";

/*
 * Run "make --no-print-directory -C <tree> -f <source>/Makefile -f
 * kbuild-single-1.mk O=<tree> ... @extra... hs-single" for the @n objects
 * @objs (6.12's Makefile makes itself again without --no-print-directory).
 * Returns make's exit status or -errno.
 */
static int single_make(struct hs_kbuild *kb, const char *const extra[], const char *const *objs,
		       size_t n, hs_line_fn line, void *arg)
{
	char *mk = hs_kbuild_tool(kb, "kbuild-single-1.mk", single_mk, 0644);
	char *top = hs_strdupf("%s/Makefile", kb->source);
	char *goals = hs_strdupf("%s/.hotsplice/goals-XXXXXX", kb->tree);
	char *goals_var = NULL, *dir = NULL;
	const char *lead[] = { "--no-print-directory", "-C", kb->tree, "-f", top, "-f", mk, NULL };
	const char **all = NULL;
	size_t nextra = 0, k = 0;
	struct hs_strbuf sb = { .s = malloc(256), .cap = 256 };
	int err = top && goals && sb.s ? mk ? 0 : -EIO : -ENOMEM, fd = -1;

	while (extra[nextra])
		nextra++;
	if (!err && (dir = strdup(goals)))
		*strrchr(dir, '/') = 0;
	err = err ?: dir ? hs_mkdir_p(kb->ctx, dir) : -ENOMEM;
	if (sb.s)
		sb.s[0] = 0;
	for (size_t i = 0; i < n && !err; i++)
		hs_strbuf_printf(&sb, "%s%s", i ? " " : "", objs[i]);
	err = err ?: sb.err;
	if (!err && (fd = mkstemp(goals)) < 0)
		err = -errno;
	err = err ?: hs_write_all(fd, sb.s, sb.len);
	if (!err && !(goals_var = hs_strdupf("HS_GOALS_FILE=%s", goals)))
		err = -ENOMEM;
	if (!err && !(all = calloc(nextra + 3, sizeof(*all))))
		err = -ENOMEM;
	for (size_t i = 0; i < nextra && !err; i++)
		all[k++] = extra[i];
	if (!err) {
		all[k++] = goals_var;
		all[k++] = "hs-single";
		err = hs_kbuild_make_in(kb, lead, kb->tree, all, line, arg);
	}
	if (fd >= 0) {
		close(fd);
		unlink(goals);
	}
	free(sb.s);
	free(all);
	free(goals_var);
	free(dir);
	free(goals);
	free(top);
	free(mk);
	return err;
}

/*
 * "make -n" prints kbuild's recipe for an object, which ends by saving the
 * command line: "scripts/basic/fixdep DEP OBJ 'CMD' > DIR/.OBJ.cmd", with
 * each ' in CMD written as '\''. That CMD is what kbuild ran for the real
 * kernel (compiler, then objtool), and what is compared on a rebuild.
 */
struct cmd_scan {
	struct hs_kbuild_units *u;
	struct hs_kbuild_out out;
};

static char *unescape_sq(const char *s, const char **end)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'' && !strncmp(s + i, "'\\''", 4)) {
			out[o++] = '\'';
			i += 3;
		} else if (s[i] == '\'') {
			*end = s + i;
			out[o] = 0;
			return out;
		} else {
			out[o++] = s[i];
		}
	}
	free(out);
	return NULL;
}

static void on_cmd_line(void *arg, const char *line)
{
	struct cmd_scan *sc = arg;
	const char *s = strstr(line, "scripts/basic/fixdep ");
	char dep[512], obj[512];
	const char *end;
	int used;

	hs_kbuild_out_line(&sc->out, line);
	if (!s || sscanf(s, "scripts/basic/fixdep %511s %511s '%n", dep, obj, &used) != 2)
		return;
	for (size_t i = 0; i < sc->u->n; i++) {
		struct hs_kbuild_unit *un = &sc->u->u[i];

		if (!un->cmd && !strcmp(un->obj, obj))
			un->cmd = unescape_sq(s + used, &end);
	}
}

static char *cmd_cache_path(struct hs_kbuild *kb, const char *obj)
{
	return hs_strdupf("%s/.hotsplice/cmd/%s.cmd", kb->tree, obj);
}

/* The klp object of a unit: its KBUILD_MODNAME when kbuild compiles it for a module. */
static int set_klp_object(struct hs_kbuild *kb, struct hs_kbuild_unit *un)
{
	const char *m = strstr(un->cmd, "-DKBUILD_MODNAME='\"");
	bool module_flag = strstr(un->cmd, " -DMODULE ") != NULL;

	if (module_flag != (un->where == HS_UNIT_MODULE))
		hs_warn(kb->ctx, "'%s': kbuild's command line %s -DMODULE but its Makefile "
			"lists it for %s", un->src, module_flag ? "has" : "lacks",
			hs_kbuild_where_name(un->where));
	if (un->where != HS_UNIT_MODULE || !m)
		un->klp_object = strdup("vmlinux");
	else
		un->klp_object = strndup(m + 19, strcspn(m + 19, "\"'"));
	return un->klp_object ? 0 : -ENOMEM;
}

/* Run "make -n" once for every unit whose command line is not cached yet. */
static int cmdlines_from_make(struct hs_kbuild *kb, struct hs_kbuild_units *u)
{
	struct cmd_scan sc = { .u = u, .out = { .ctx = kb->ctx, .what = "make -n" } };
	const char *const extra[] = { "-n", "KCFLAGS=" HS_KBUILD_EXTRA_CFLAGS, NULL };
	const char **objs = calloc(u->n + 1, sizeof(*objs));
	size_t n = 0;
	int fd, status, err = 0;

	if (!objs) {
		err = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < u->n; i++)
		if (!u->u[i].cmd)
			objs[n++] = u->u[i].obj;
	/* make -n still remakes makefiles: keep other hotsplice runs out meanwhile */
	fd = hs_kbuild_lock_tree(kb);
	if (fd < 0) {
		err = fd;
		goto out_free;
	}
	status = single_make(kb, extra, objs, n, on_cmd_line, &sc);
	hs_unlock(fd);
	for (size_t i = 0; i < u->n && !err; i++) {
		if (u->u[i].cmd)
			continue;
		hs_kbuild_out_dump(&sc.out);
		hs_err(kb->ctx, "'%s': kbuild gave no command line for '%s' (make exit status %d)",
		       kb->tree, u->u[i].obj, status);
		err = -EIO;
	}
out_free:
	free(objs);
	return err;
}

int hs_kbuild_cmdlines(struct hs_kbuild *kb, struct hs_kbuild_units *u)
{
	bool missing = false;
	int err = 0;

	for (size_t i = 0; i < u->n; i++) {
		char *path = u->u[i].cmd ? NULL : cmd_cache_path(kb, u->u[i].obj);

		if (path && !access(path, R_OK))
			hs_read_file(kb->ctx, path, &u->u[i].cmd, NULL);
		missing |= !u->u[i].cmd;
		free(path);
	}
	if (missing)
		err = cmdlines_from_make(kb, u);
	for (size_t i = 0; i < u->n && !err; i++) {
		char *path = cmd_cache_path(kb, u->u[i].obj);
		char *dir = path ? strdup(path) : NULL;

		if (!dir) {
			free(path);
			return -ENOMEM;
		}
		*strrchr(dir, '/') = 0;
		if (access(path, R_OK))
			err = hs_mkdir_p(kb->ctx, dir) ?:
			      hs_write_file_atomic(kb->ctx, path, u->u[i].cmd, strlen(u->u[i].cmd));
		if (!u->u[i].klp_object)	/* again for units it had seen: they keep theirs */
			err = err ?: set_klp_object(kb, &u->u[i]);
		free(path);
		free(dir);
	}
	return err;
}

static char *prereq_mark(struct hs_kbuild *kb, const char *obj)
{
	return hs_strdupf("%s/.hotsplice/prereq/%s.done", kb->tree, obj);
}

/* How many of @u's objects have no prerequisite mark yet. */
static size_t prereqs_missing(struct hs_kbuild *kb, const struct hs_kbuild_units *u,
			      const char **objs)
{
	size_t n = 0;

	for (size_t i = 0; i < u->n; i++) {
		char *mark = prereq_mark(kb, u->u[i].obj);

		if (!mark || access(mark, F_OK))
			objs[n++] = u->u[i].obj;
		free(mark);
	}
	return n;
}

static int write_prereq_marks(struct hs_kbuild *kb, const char *const *objs, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		char *mark = prereq_mark(kb, objs[i]), *dir = mark ? strdup(mark) : NULL;

		if (!dir)
			err = -ENOMEM;
		else {
			*strrchr(dir, '/') = 0;
			err = hs_mkdir_p(kb->ctx, dir) ?: hs_write_file_atomic(kb->ctx, mark, "", 0);
		}
		free(mark);
		free(dir);
	}
	return err;
}

/*
 * "make DIR/x.o" as kbuild's single-target build (single_make()), with the
 * object's own rule (rule_cc_o_c, the compile and its objtool pass)
 * overridden by nothing: make still makes every prerequisite the
 * directory's Makefile gives the object ("$(obj)/x.o: $(obj)/gen.h"), into
 * the prepared tree, and neither the object nor its .cmd file is written.
 * The pre and post compiles both run in the tree and find generated files
 * there. (No KCFLAGS here: what is generated is what the kernel's build made.)
 */
int hs_kbuild_prereqs(struct hs_kbuild *kb, const struct hs_kbuild_units *u)
{
	struct hs_kbuild_out out = { .ctx = kb->ctx, .what = "generated prerequisites",
				     .progress = !kb->quiet, .last = hs_now() };
	const char **objs = calloc(u->n + 1, sizeof(*objs));
	char jobs[16];
	const char *const extra[] = { jobs, "rule_cc_o_c=@:", NULL };
	size_t nobj;
	int fd = -1, status, err = objs ? 0 : -ENOMEM;

	snprintf(jobs, sizeof(jobs), "-j%d", kb->jobs > 0 ? kb->jobs : 1);
	if (!err && !prereqs_missing(kb, u, objs))
		goto out_free;
	/* kbuild writes into the tree: other hotsplice runs wait meanwhile */
	fd = err ? -1 : hs_kbuild_lock_tree(kb);
	err = err ?: fd < 0 ? fd : 0;
	nobj = err ? 0 : prereqs_missing(kb, u, objs);
	if (err || !nobj)
		goto out_free;
	status = single_make(kb, extra, objs, nobj, hs_kbuild_out_line, &out);
	if (status) {
		hs_kbuild_out_dump(&out);
		hs_err(kb->ctx, "'%s': kbuild could not make what '%s'%s needs before compiling "
		       "it (make exit status %d)", kb->tree, objs[0], nobj > 1 ? " (or another "
		       "unit)" : "", status);
		err = status < 0 ? status : -EIO;
	}
	err = err ?: write_prereq_marks(kb, objs, nobj);
	if (!err)
		hs_info(kb->ctx, "  made the generated prerequisites of %zu object(s)", nobj);
out_free:
	hs_unlock(fd);
	free(objs);
	return err;
}

int hs_kbuild_ready(struct hs_kbuild *kb, struct hs_kbuild_units *u)
{
	return hs_kbuild_cmdlines(kb, u) ?: hs_kbuild_prereqs(kb, u);
}
