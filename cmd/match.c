// SPDX-License-Identifier: GPL-2.0
/* match.c - `hotsplice match-objects`: run-pre match objects against the running kernel. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd.h"
#include "target/kcore.h"
#include "target/runpre.h"

static int kcore_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	return hs_kcore_read(arg, addr, buf, len);
}

/* Match every function of @path (or only @only) and print one line each. */
static int match_object(struct hs_ctx *ctx, const struct hs_runpre_env *env, const char *path,
			const char *mod, const char *only, size_t limit, size_t *nmatch,
			size_t *ntotal)
{
	struct hs_runpre rp = { 0 };
	struct hs_elf e;
	int err;

	err = hs_elf_open(ctx, path, &e);
	if (err)
		return err;
	for (size_t i = 1; i < e.nsyms && *ntotal < limit; i++) {
		const struct hs_elf_sym *s = &e.syms[i];

		if (!hs_elf_sym_is_func(s) || !s->sym.st_size || (only && strcmp(only, s->name)))
			continue;
		err = hs_runpre_match_func(ctx, env, &e, mod, s->name, &rp);
		if (err && err != -HS_EMISMATCH)
			break;
		err = 0;
		const struct hs_runpre_func *v = &rp.funcs[rp.nfuncs - 1];

		(*ntotal)++;
		if (v->matched) {
			(*nmatch)++;
			printf("match %s 0x%llx sympos %lu\n", v->name,
			       (unsigned long long)v->addr, v->sympos);
		} else {
			printf("no-match %s: %s\n", v->name, v->why);
		}
	}
	for (size_t i = 0; i < rp.nsyms; i++)
		printf("symbol %s%s%s 0x%llx sympos %lu\n", rp.syms[i].mod ?: "",
		       rp.syms[i].mod ? ":" : "", rp.syms[i].name,
		       (unsigned long long)rp.syms[i].addr, rp.syms[i].sympos);
	hs_runpre_free(&rp);
	hs_elf_close(&e);
	return err;
}

int cmd_match_objects(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "kcore", required_argument, NULL, 'c' },
		{ "module", required_argument, NULL, 'm' },
		{ "func", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kallsyms = "/proc/kallsyms", *kcore = "/proc/kcore", *mod = NULL, *only = NULL;
	const struct hs_kfacts *facts;
	struct hs_kallsyms ks;
	struct hs_kcore kc;
	size_t nmatch = 0, ntotal = 0, limit = (size_t)-1;
	char *end;
	int c, err = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': kallsyms = optarg; break;
		case 'c': kcore = optarg; break;
		case 'm': mod = optarg; break;
		case 'f': only = optarg; break;
		case 'l':
			limit = strtoul(optarg, &end, 10);
			if (*end || !limit || *optarg == '-') {
				hs_err(ctx, "--limit: '%s' is not a positive number", optarg);
				hs_cmd_usage(hs_cmd_find("match-objects"), 1);
				return EXIT_USAGE;
			}
			break;
		default:
			hs_cmd_usage(hs_cmd_find("match-objects"), 1);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		hs_cmd_usage(hs_cmd_find("match-objects"), 1);
		return EXIT_USAGE;
	}
	if (hs_kfacts_for_running(ctx, NULL, &facts))
		return EXIT_REFUSED;
	if (hs_kallsyms_load(ctx, kallsyms, &ks))
		return EXIT_ERROR;
	if (hs_kcore_open(ctx, kcore, &kc)) {
		hs_kallsyms_free(&ks);
		return EXIT_ERROR;
	}
	struct hs_runpre_env env = { .facts = facts, .ks = &ks, .read = kcore_read, .read_arg = &kc };

	for (int i = optind; i < argc && !err; i++)
		err = match_object(ctx, &env, argv[i], mod, only, limit, &nmatch, &ntotal);
	printf("%zu of %zu functions match\n", nmatch, ntotal);
	hs_kcore_close(&kc);
	hs_kallsyms_free(&ks);
	if (err)
		return hs_exit_code(err);
	return nmatch == ntotal ? EXIT_OK : EXIT_REFUSED;
}
