// SPDX-License-Identifier: GPL-2.0
/*
 * create_diff.c - create's diff of every unit, the callers of changed notrace
 * functions compiled and replaced, and the classification --dry-run prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "core/cache.h"
#include "build/create_priv.h"

static char *unit_path(const struct create *c, const char *side, const struct hs_kbuild_unit *u)
{
	return hs_strdupf("%s/%s/%s", c->work, side, u->obj);
}

static void hold_print(void *arg, enum hs_level level, const char *msg)
{
	struct held_msgs *h = arg;
	struct held_msg *v = h->through ? NULL : realloc(h->v, (h->n + 1) * sizeof(*v));

	if (!v) {	/* not held, or no memory to hold it: said now */
		hs_log(h->to, level, "%s", msg);
		return;
	}
	h->v = v;
	v[h->n].level = level;
	v[h->n].msg = strdup(msg);
	if (v[h->n].msg)
		h->n++;
	else
		hs_log(h->to, level, "%s", msg);
}

/* Say the held messages (the errors only when @errors); what the diff says later goes through. */
static void held_flush(struct held_msgs *h, bool errors)
{
	for (size_t i = 0; i < h->n; i++) {
		if (errors || h->v[i].level != HS_ERROR)
			hs_log(h->to, h->v[i].level, "%s", h->v[i].msg);
		free(h->v[i].msg);
	}
	free(h->v);
	h->v = NULL;
	h->n = 0;
	h->through = true;
}

/*
 * Diff unit @i. A release update (builtin_init_ok) accepts changes to init/exit
 * code and data of built-in objects, when they are all that is refused: they
 * ran at boot and were freed, or were discarded. The diff's errors are held
 * until that is known, so that an accepted refusal is no error (a whole-release
 * group's errors would name its file, refused for it).
 */
static int diff_one(struct create *c, size_t i, const char *pre, const char *post)
{
	struct hs_diff *d = &c->diffs[i];
	struct held_msgs *h = &c->held;
	bool hold = c->o->builtin_init_ok && !strcmp(c->units.u[i].klp_object, "vmlinux");
	int err;

	h->ctx = *c->ctx;
	h->ctx.print = hold_print;
	h->ctx.print_arg = h;
	h->to = c->ctx;
	h->through = !hold;
	err = hs_diff_objects(hold ? &h->ctx : c->ctx, c->facts, c->units.u[i].obj, pre, post, d);
	if (err == -HS_EREFUSED && hold && hs_diff_accept_builtin_init(d)) {
		held_flush(h, false);
		hs_info(c->ctx, "'%s': only init/exit code or data of built-in code changed (it "
			"ran at boot and was freed, or was discarded): not needed live", d->objname);
		return d->nfuncs ? 0 : -HS_ENOCHANGE;
	}
	held_flush(h, true);
	return err;
}

/* Diff units @first.. of c->units; *@worst and *@refused sum up. 0 or an error. */
static int diff_from(struct create *c, size_t first, int *worst, int *refused)
{
	for (size_t i = first; i < c->units.n; i++) {
		char *pre = c->paths[2 * i] = unit_path(c, "pre", &c->units.u[i]);
		char *post = c->paths[2 * i + 1] = unit_path(c, "post", &c->units.u[i]);
		int err = pre && post ? diff_one(c, i, pre, post) : -ENOMEM;

		c->ndiffs = pre && post ? i + 1 : c->ndiffs;
		if (err == -HS_EREFUSED && c->units.u[i].via)
			/* the change to refuse is the header's (a release group takes it out) */
			hs_err(c->ctx, "'%s': refused as an includer of the patched %s '%s'",
			       c->units.u[i].obj, hs_names_noun(c->units.u[i].via, "header",
								"headers"), c->units.u[i].via);
		if (err == -HS_EREFUSED)
			*refused = 1;
		else if (err == 0 && *worst == -HS_ENOCHANGE)
			*worst = 0;
		else if (err && err != -HS_ENOCHANGE)
			return err;
	}
	return 0;
}

/*
 * The global notrace functions that changed (callers_outside), at most @max
 * into @names (sorted) with the unit of each in @owner; how many (more than
 * @max: the rest were not stored).
 */
static size_t outside_names(const struct create *c, char **names, size_t *owner, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < c->units.n; i++)
		for (size_t k = 0; k < c->diffs[i].nsyms; k++)
			if (c->diffs[i].syms[k].callers_outside && !c->diffs[i].syms[k].refused &&
			    n++ < max)
				owner[n - 1] = i, names[n - 1] = (char *)c->diffs[i].post.syms[
					c->diffs[i].syms[k].post_idx].name;
	if (n > max)
		return n;
	for (size_t a = 1; a < n; a++)		/* sorted for hs_kbuild_callers(), owners along */
		for (size_t b = a; b > 0 && hs_strv_cmp(&names[b - 1], &names[b]) > 0; b--) {
			char *t = names[b];
			size_t o = owner[b];

			names[b] = names[b - 1], owner[b] = owner[b - 1];
			names[b - 1] = t, owner[b - 1] = o;
		}
	return n;
}

/* Add as units the built @files not units yet; 0, -HS_EREFUSED (too many) or -errno. */
static int add_caller_units(struct create *c, char **files, size_t nfiles,
			    const char *name, struct hs_kbuild_units *extra)
{
	int err = 0;

	for (size_t k = 0; k < nfiles && !err; k++) {
		enum hs_unit_where where;
		bool have = false;

		for (size_t i = 0; i < c->units.n && !have; i++)
			have = !strcmp(c->units.u[i].src, files[k]);
		if (!have)
			err = hs_kbuild_unit_add(&c->kb, extra, files[k], &where);
	}
	if (!err && extra->n > c->kb.max_header_users) {
		hs_err(c->ctx, "'%s' has no __fentry__ call: its callers may be in any of %zu more "
		       "built files (more than %zu): refused", name, extra->n,
		       c->kb.max_header_users);
		err = -HS_EREFUSED;
	}
	return err;
}

int hs_create_compile_units(struct create *c, struct hs_kbuild_units *u)
{
	if (!u->n)
		return 0;
	return hs_kbuild_cmdlines(&c->kb, u) ?:
	       hs_kbuild_compile(&c->kb, c->patch_path, &c->patch, u, c->work);
}

/* Move the units of @extra to the end of c->units. */
static int append_units(struct create *c, struct hs_kbuild_units *extra)
{
	struct hs_kbuild_unit *u = realloc(c->units.u, (c->units.n + extra->n + 1) * sizeof(*u));

	if (!u)
		return -ENOMEM;
	c->units.u = u;
	memcpy(u + c->units.n, extra->u, extra->n * sizeof(*u));
	c->units.n += extra->n;
	free(extra->u);
	extra->u = NULL;
	extra->n = 0;
	return 0;
}

/* Replace every caller of @names[m] in the units of its klp object but its own. */
static int replace_outside_callers(struct create *c, char **names, const size_t *owner,
				   size_t n)
{
	int err = 0, refused = 0;
	char why[512];

	for (size_t m = 0; m < n && !err; m++)
		for (size_t i = 0; i < c->units.n && !err; i++) {
			if (i == owner[m] || strcmp(c->units.u[i].klp_object,
						    c->units.u[owner[m]].klp_object))
				continue;
			err = hs_diff_reach_callers(&c->diffs[i], names[m], why, sizeof(why));
			if (err == -HS_EREFUSED) {
				hs_err(c->ctx, "'%s' has no __fentry__ call and cannot be reached "
				       "through its callers: %s", names[m], why);
				refused = 1;
				err = 0;
			}
		}
	return err ?: refused ? -HS_EREFUSED : 0;
}

/*
 * A changed global function without __fentry__ (an out-of-line "inline", or
 * a file built without ftrace) is carried in the module, and every function
 * that calls it is replaced: those of its own object (the differ saw to
 * them) and those of the other files that name it, compiled here as extra
 * units. It must not be exported, and its address must be taken nowhere.
 */
static int reach_outside_callers(struct create *c, int *worst)
{
	char *names[16], **files = NULL, why[512];
	size_t owner[16], n = outside_names(c, names, owner, 16), first = c->units.n, nfiles = 0;
	struct hs_kbuild_units extra = { 0 };
	int err, refused = 0;

	if (!n)
		return 0;
	if (n > 16) {
		hs_err(c->ctx, "%zu changed functions have no __fentry__ call (more than 16): "
		       "refused", n);
		return -HS_EREFUSED;
	}
	err = hs_create_refuse_exported(c, names, owner, n);
	if (!err) {
		err = hs_kbuild_callers(&c->kb, names, n, &files, &nfiles, why, sizeof(why));
		if (err == -HS_EREFUSED)
			hs_err(c->ctx, "'%s' has no __fentry__ call, and its callers cannot all "
			       "be found: %s", names[0], why);
	}
	err = err ?: add_caller_units(c, files, nfiles, names[0], &extra);
	if (!err && extra.n)
		hs_info(c->ctx, "'%s' has no __fentry__ call: compiling %zu more file(s) that "
			"name it, to replace its callers", names[0], extra.n);
	err = err ?: hs_create_compile_units(c, &extra);
	err = err ?: append_units(c, &extra);
	err = err ?: diff_from(c, first, worst, &refused);
	err = err ?: replace_outside_callers(c, names, owner, n);
	if (!err && *worst == -HS_ENOCHANGE)
		*worst = 0;
	if (!err)
		hs_create_stage(c, "reached callers");
	for (size_t k = 0; k < nfiles; k++)
		free(files[k]);
	free(files);
	hs_kbuild_units_free(&extra);
	return err ?: refused ? -HS_EREFUSED : 0;
}

int hs_create_diff_units(struct create *c)
{
	int worst = -HS_ENOCHANGE, refused = 0, err;

	/* room for the units reach_outside_callers() may add: the diffs cannot move */
	size_t cap = c->units.n + c->kb.max_header_users + 1;

	c->diffs = calloc(cap, sizeof(*c->diffs));
	c->paths = calloc(2 * cap, sizeof(*c->paths));
	if (!c->diffs || !c->paths)
		return -ENOMEM;
	err = diff_from(c, 0, &worst, &refused);
	if (err)
		return err;
	hs_create_stage(c, "diffed");
	err = reach_outside_callers(c, &worst);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	err = hs_create_check_refusals(c);
	if (err && err != -HS_EREFUSED)
		return err;
	refused |= err == -HS_EREFUSED;
	return refused ? -HS_EREFUSED : worst;
}

struct line_ref {
	const struct hs_diff *d;
	const struct hs_diff_sym *s;
};

static int line_cmp(const void *pa, const void *pb)
{
	const struct line_ref *a = pa, *b = pb;

	if (a->s->cls != b->s->cls)
		return a->s->cls < b->s->cls ? -1 : 1;
	return strcmp(a->s->name, b->s->name) ?: strcmp(a->d->objname, b->d->objname);
}

/* The text form is one list, sorted by class then name. */
void hs_create_print_classification(const struct create *c)
{
	struct line_ref *lines;
	size_t n = 0, cap = 1;

	if (c->o->json) {
		printf("[");
		for (size_t i = 0; i < c->units.n; i++) {
			printf(i ? ",\n" : "\n");
			hs_diff_print_json(&c->diffs[i], stdout);
		}
		printf("]\n");
		return;
	}
	for (size_t i = 0; i < c->units.n; i++)
		cap += c->diffs[i].nsyms;
	lines = calloc(cap, sizeof(*lines));
	for (size_t i = 0; lines && i < c->units.n; i++)
		for (size_t k = 0; k < c->diffs[i].nsyms; k++)
			lines[n++] = (struct line_ref){ &c->diffs[i], &c->diffs[i].syms[k] };
	if (lines)
		qsort(lines, n, sizeof(*lines), line_cmp);
	for (size_t i = 0; i < n; i++)
		hs_diff_print_sym(lines[i].d, lines[i].s, stdout);
	free(lines);
}
