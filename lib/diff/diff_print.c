// SPDX-License-Identifier: GPL-2.0
/* diff_print.c - the differ's result as golden text and as JSON. */
#include <errno.h>

#include "diff/diff.h"
#include "core/json.h"

void hs_diff_print_sym(const struct hs_diff *d, const struct hs_diff_sym *s, FILE *f)
{
	if (s->cls == HS_DIFF_UNCHANGED)
		return;
	fprintf(f, "%s: %s%s %s", d->objname, s->refused ? "refused " : "",
		hs_diff_class_name(s->cls), s->name);
	if ((s->refused || s->alias_of) && s->reason[0])
		fprintf(f, ": %s", s->reason);
	fputc('\n', f);
}

int hs_diff_print(const struct hs_diff *d, FILE *f)
{
	for (size_t i = 0; i < d->nsyms; i++)
		hs_diff_print_sym(d, &d->syms[i], f);
	return ferror(f) ? -EIO : 0;
}

static void json_refs(const struct hs_diff_sym *s, FILE *f)
{
	fprintf(f, ", \"refs\": [");
	for (size_t k = 0; k < s->nrefs; k++) {
		const struct hs_diff_ref *r = &s->refs[k];

		fprintf(f, "%s\n      {\"name\": ", k ? "," : "");
		hs_json_str(f, r->name);
		fprintf(f, ", \"kind\": \"%s\", \"post\": %zu, \"pre\": %zu}",
			hs_diff_ref_kind_name(r->kind), r->post_sym, r->pre_sym);
	}
	fprintf(f, "]");
}

int hs_diff_print_json(const struct hs_diff *d, FILE *f)
{
	bool first = true;

	fprintf(f, "{\"object\": ");
	hs_json_str(f, d->objname);
	fprintf(f, ", \"result\": \"%s\", \"symbols\": [",
		d->nrefused ? "refused" : d->nfuncs ? "changed" : "unchanged");
	for (size_t i = 0; i < d->nsyms; i++) {
		const struct hs_diff_sym *s = &d->syms[i];

		if (s->cls == HS_DIFF_UNCHANGED)
			continue;
		fprintf(f, "%s\n  {\"name\": ", first ? "" : ",");
		first = false;
		hs_json_str(f, s->name);
		fprintf(f, ", \"class\": \"%s\", \"refused\": %s, \"reason\": ",
			hs_diff_class_name(s->cls), s->refused ? "true" : "false");
		hs_json_str(f, s->reason);
		fprintf(f, ", \"function\": %s, \"pre\": %zu, \"post\": %zu, \"pre_cold\": %zu, "
			   "\"post_cold\": %zu", s->is_func ? "true" : "false", s->pre_idx,
			s->post_idx, s->pre_cold, s->post_cold);
		if (s->cls == HS_DIFF_CHANGED_FUNC || s->cls == HS_DIFF_NEW_FUNC)
			json_refs(s, f);
		fprintf(f, "}");
	}
	fprintf(f, "\n]}\n");
	return ferror(f) ? -EIO : 0;
}
