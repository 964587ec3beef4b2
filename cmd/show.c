// SPDX-License-Identifier: GPL-2.0
/* show.c - `hotsplice show`: what an update package holds. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/json.h"
#include "package/package.h"
#include "package/trust.h"

/* Each line of a release update's report: "VERDICT<TAB>PATH<TAB>DETAIL". */
static void each_report_line(const struct hs_pkg *p, void (*fn)(char **f, size_t i))
{
	const struct hs_pkg_file *r = hs_pkg_file(p, "release-report");
	char *text = r ? strndup((const char *)r->data, r->size) : NULL, *save = NULL;
	size_t i = 0;

	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save)) {
		char *f[3] = { l, strchr(l, '\t'), NULL };

		if (!f[1])
			continue;
		*f[1]++ = 0;
		f[2] = strchr(f[1], '\t');
		if (f[2])
			*f[2]++ = 0;
		fn(f, i++);
	}
	free(text);
}

static void report_text_line(char **f, size_t i)
{
	(void)i;
	printf("  %-16s %s%s%s\n", f[0], f[1], f[2] && *f[2] ? ": " : "", f[2] ? f[2] : "");
}

static void report_json_line(char **f, size_t i)
{
	printf("%s{\"verdict\": ", i ? ", " : "");
	hs_json_str(stdout, f[0]);
	printf(", \"path\": ");
	hs_json_str(stdout, f[1]);
	printf(", \"detail\": ");
	hs_json_str(stdout, f[2]);
	printf("}");
}


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
	printf("],\n \"cumulative\": %s, \"base\": [", hs_pkg_cumulative(p) ? "true" : "false");
	for (size_t i = 0; i < p->nbase; i++) {
		printf("%s", i ? ", " : "");
		hs_json_str(stdout, p->base[i]);
	}
	printf("], \"includes\": [");
	for (size_t i = 0; i < p->nincludes; i++) {
		printf("%s", i ? ", " : "");
		hs_json_str(stdout, p->includes[i]);
	}
	printf("], \"release\": ");
	if (p->release_from) {
		printf("{\"from\": ");
		hs_json_str(stdout, p->release_from);
		printf(", \"to\": ");
		hs_json_str(stdout, p->release_to);
		printf(", \"files\": [");
		each_report_line(p, report_json_line);
		printf("]}");
	} else {
		printf("null");
	}
	printf(",\n \"signer\": ");
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
	if (hs_pkg_cumulative(p) && !p->nbase) {
		printf("cumulative  atomic replace: applied only while no other livepatch is\n");
	} else if (hs_pkg_cumulative(p)) {
		printf("cumulative  replaces");
		for (size_t i = 0; i < p->nbase; i++)
			printf(" %s", p->base[i]);
		printf(" when applied%s", p->nincludes ? "; includes" : "");
		for (size_t i = 0; i < p->nincludes; i++)
			printf(" %s", p->includes[i]);
		printf("\n");
	}
	printf("functions   %zu\n", p->nfuncs);
	for (size_t i = 0; i < p->nfuncs; i++) {
		printf("  %-40s %s (%s)", p->funcs[i].name,
		       p->funcs[i].obj + (strncmp(p->funcs[i].obj, "pre/", 4) ? 0 : 4),
		       p->funcs[i].klp_obj);
		if (p->funcs[i].sympos)
			printf(" sympos %lu", p->funcs[i].sympos);
		printf("\n");
	}
	if (p->release_from) {
		printf("release     %s to %s, every changed file:\n", p->release_from, p->release_to);
		each_report_line(p, report_text_line);
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
