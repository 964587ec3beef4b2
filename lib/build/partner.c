// SPDX-License-Identifier: GPL-2.0
/* partner.c - refuse a new global that nothing uses: the rest of the fix is missing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "build/partner.h"

#define MAX_UNUSED 16

/* Sections whose references to a symbol are no use of it: exports, debug info. */
static bool bookkeeping(const char *sec)
{
	static const char *const prefixes[] = { ".debug", ".discard", ".BTF", ".eh_frame",
						".comment", ".note" };

	if (hs_elf_export_section(sec))
		return true;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(sec, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* Does a relocation of @e outside section @own (0: none) point at a symbol named @name? */
static bool refers(const struct hs_elf *e, const char *name, size_t own)
{
	for (size_t s = 1; s < e->nsecs; s++) {
		const struct hs_elf_sec *sec = &e->secs[s];
		size_t n;

		if (s == own || sec->shdr.sh_type == SHT_RELA || !sec->name || bookkeeping(sec->name))
			continue;
		n = hs_elf_nrelas(e, sec);
		for (size_t i = 0; i < n; i++) {
			GElf_Rela r;
			size_t k;

			if (hs_elf_rela(e, sec, i, &r))
				continue;
			k = GELF_R_SYM(r.r_info);
			if (k && k < e->nsyms && e->syms[k].name && !strcmp(e->syms[k].name, name))
				return true;
		}
	}
	return false;
}

/* Is the new symbol @y of @d used by any post object of the update? */
static bool used_in_update(const struct hs_diff *d, size_t n, const struct hs_diff *self,
			   const struct hs_elf_sym *s)
{
	for (size_t i = 0; i < n; i++)
		if (refers(&d[i].post, s->name, &d[i] == self ? s->sym.st_shndx : 0))
			return true;
	return false;
}

/* Can a file of the running kernel's source use @name? */
static int source_uses(const struct hs_ctx *ctx, struct hs_kbuild *kb, char *name, bool *uses)
{
	char **files = NULL, why[512];
	size_t nfiles = 0;
	int err = hs_kbuild_callers(kb, &name, 1, &files, &nfiles, why, sizeof(why));

	if (err == -HS_EREFUSED) {
		/* a file it cannot read for certain (assembly, generated) names it */
		hs_debug(ctx, "'%s' may be used where the source scan cannot tell: %s", name, why);
		*uses = true;
		return 0;
	}
	*uses = nfiles > 0;
	for (size_t k = 0; k < nfiles; k++)
		free(files[k]);
	free(files);
	return err;
}

int hs_partner_check_unused(const struct hs_ctx *ctx, struct hs_kbuild *kb,
			    const struct hs_diff *d, size_t n)
{
	int err = 0, refused = 0;
	size_t checked = 0;

	for (size_t i = 0; i < n && !err; i++)
		for (size_t k = 0; k < d[i].nsyms && !err; k++) {
			const struct hs_diff_sym *y = &d[i].syms[k];
			const struct hs_elf_sym *s = &d[i].post.syms[y->post_idx];
			bool uses = false;

			if ((y->cls != HS_DIFF_NEW_FUNC && y->cls != HS_DIFF_NEW_DATA) ||
			    y->refused || !y->post_idx || !s->name ||
			    GELF_ST_BIND(s->sym.st_info) != STB_GLOBAL || used_in_update(d, n, &d[i], s))
				continue;
			if (++checked > MAX_UNUSED) {
				hs_err(ctx, "more than %d new global symbols that nothing in the update "
				       "uses: the change needs its partner files", MAX_UNUSED);
				return -HS_EREFUSED;
			}
			err = source_uses(ctx, kb, (char *)s->name, &uses);
			if (err || uses)
				continue;
			hs_err(ctx, "'%s': new global %s '%s' is used by nothing in the update, and the "
			       "running kernel's source names it nowhere: the other half of the fix "
			       "is missing; the change needs its partner files", d[i].objname,
			       y->is_func ? "function" : "variable", s->name);
			refused = 1;
		}
	return err ?: refused ? -HS_EREFUSED : 0;
}
