// SPDX-License-Identifier: GPL-2.0
/* show.c - `hotsplice show`: what an update package holds. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/json.h"
#include "../lib/package.h"
#include "../lib/trust.h"

/* Who signed the package, whether that is trusted here, whether the module is signed. */
struct signature {
	char signer[300];
	char why[300];		/* why it is not trusted, or "" */
	const char *verdict;	/* unsigned, bad, not verified, trusted, not trusted */
	bool module_signed;
};

static void signature(const struct hs_pkg *p, struct signature *si)
{
	struct hs_ctx quiet = { 0 };
	const struct hs_pkg_file *ko;
	char name[300];
	int err;

	if (hs_pkg_signer(p, si->signer, sizeof(si->signer))) {
		snprintf(si->signer, sizeof(si->signer), "%s", p->sig ? "(not a CMS signature)" : "");
		si->verdict = p->sig ? "bad" : "unsigned";
	} else {
		si->verdict = "not verified";
	}
	err = hs_pkg_verify(&quiet, p, NULL, si->why, sizeof(si->why));
	if (!err)
		si->verdict = "trusted";
	else if (err == -HS_EREFUSED && p->sig)
		si->verdict = "not trusted";
	if (err != -HS_EREFUSED || !p->sig)
		si->why[0] = 0;
	snprintf(name, sizeof(name), "%s.ko", p->module);
	ko = hs_pkg_file(p, name);
	si->module_signed = ko && hs_module_signed(ko->data, ko->size);
}

static void show_json(const struct hs_pkg *p, const struct signature *si)
{
	static const char *const keys[] = { "id", "description", "created", "target_release",
					    "target_version", "effective_version", "compiler",
					    "module" };
	const char *vals[] = { p->id, p->description, p->created, p->target_release,
			       p->target_version, p->effective_version, p->compiler, p->module };

	printf("{");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		printf("%s\"%s\": ", i ? ", " : "", keys[i]);
		hs_json_str(stdout, vals[i]);
	}
	printf(",\n \"functions\": [");
	for (size_t i = 0; i < p->nfuncs; i++) {
		printf("%s{\"object\": ", i ? ", " : "");
		hs_json_str(stdout, p->funcs[i].obj + (strncmp(p->funcs[i].obj, "pre/", 4) ? 0 : 4));
		printf(", \"klp_object\": ");
		hs_json_str(stdout, p->funcs[i].klp_obj);
		printf(", \"name\": ");
		hs_json_str(stdout, p->funcs[i].name);
		printf(", \"sympos\": %lu}", p->funcs[i].sympos);
	}
	printf("],\n \"signer\": ");
	hs_json_str(stdout, p->sig ? si->signer : NULL);
	printf(", \"signature\": ");
	hs_json_str(stdout, si->verdict);
	printf(", \"module_signed\": %s,\n \"files\": [", si->module_signed ? "true" : "false");
	for (size_t i = 0; i < p->nfiles; i++) {
		printf("%s{\"path\": ", i ? ", " : "");
		hs_json_str(stdout, p->files[i].path);
		printf(", \"size\": %zu, \"sha256\": \"%s\"}", p->files[i].size, p->files[i].sha256);
	}
	printf("]}\n");
}

static void show_text(const struct hs_pkg *p, const struct signature *si)
{
	printf("update      %s\n", p->id);
	printf("description %s\n", p->description ?: "");
	printf("created     %s\n", p->created ?: "");
	printf("kernel      %s %s\n", p->target_release, p->target_version);
	if (p->effective_version)
		printf("effective   %s\n", p->effective_version);
	printf("compiler    %s\n", p->compiler ?: "");
	printf("module      %s.ko%s\n", p->module, si->module_signed ? " (signed)" : "");
	if (p->sig)
		printf("signer      %s\nsignature   %s%s%s\n", si->signer, si->verdict,
		       *si->why ? ": " : "", si->why);
	else
		printf("signature   none\n");
	printf("functions   %zu\n", p->nfuncs);
	for (size_t i = 0; i < p->nfuncs; i++) {
		printf("  %-40s %s (%s)", p->funcs[i].name,
		       p->funcs[i].obj + (strncmp(p->funcs[i].obj, "pre/", 4) ? 0 : 4),
		       p->funcs[i].klp_obj);
		if (p->funcs[i].sympos)
			printf(" sympos %lu", p->funcs[i].sympos);
		printf("\n");
	}
	printf("files\n");
	for (size_t i = 0; i < p->nfiles; i++)
		printf("  %-40s %8zu  sha256 %.16s…\n", p->files[i].path, p->files[i].size,
		       p->files[i].sha256);
}

int cmd_show(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct signature si;
	struct hs_pkg p;
	int c, json = 0, err;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j') {
			hs_cmd_usage(hs_cmd_find("show"), 1);
			return EXIT_USAGE;
		}
		json = 1;
	}
	if (optind != argc - 1) {
		hs_cmd_usage(hs_cmd_find("show"), 1);
		return EXIT_USAGE;
	}
	err = hs_pkg_read(ctx, argv[optind], &p);
	if (err)
		return hs_exit_code(err);
	signature(&p, &si);
	if (json)
		show_json(&p, &si);
	else
		show_text(&p, &si);
	hs_pkg_free(&p);
	return EXIT_OK;
}
