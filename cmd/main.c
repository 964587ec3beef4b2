// SPDX-License-Identifier: GPL-2.0
/* main.c - the hotsplice command: dispatch to one subcommand from a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int cmd_help(struct hs_ctx *ctx, int argc, char **argv);
static int cmd_version(struct hs_ctx *ctx, int argc, char **argv);

/*
 * The target-only binary (build/hotsplice.static, compiled with HS_TARGET_ONLY and
 * linked with the target archive alone) has the verbs of the running kernel; the
 * verbs that make updates are listed, and name the full hotsplice.
 */
#ifdef HS_TARGET_ONLY
#define BUILD_VERB(f) NULL
#else
#define BUILD_VERB(f) f
#endif

static const struct hs_cmd commands[] = {
	{ "create", BUILD_VERB(cmd_create), "build a live update from a kernel source patch",
	  "hotsplice create (--patch FILE (--source DIR --headers DIR | --kernel VERSION) | --kernel VERSION --release NEW) [--id ID] [--description TEXT] [--effective-version V] [--on-top-of PACKAGE]... [--dry-run [--json]] [--target-root DIR] [--sign-key KEY.pem --sign-cert CERT.pem] [--workdir DIR] [--max-header-files N] [-o OUT] [-j N] [-q | -v]" },
	{ "show", cmd_show, "print what an update package holds",
	  "hotsplice show [--json] PACKAGE" },
	{ "check", cmd_check, "verify that an update fits the running kernel, change nothing",
	  "hotsplice check [-q | -v] PACKAGE" },
	{ "apply", cmd_apply, "verify, then switch the running kernel to an update",
	  "hotsplice apply [--timeout S] [-q | -v] PACKAGE" },
	{ "undo", cmd_undo, "take an update back out of the running kernel",
	  "hotsplice undo [--timeout S] [-q] (ID | --all | --purge)" },
	{ "list", cmd_list, "list the updates applied to the running kernel",
	  "hotsplice list [--all] [--json]" },
	{ "uname", cmd_uname, "print the effective kernel version",
	  "hotsplice uname [-r | -a]" },
	{ "replay", cmd_replay, "re-apply the recorded updates at boot",
	  "hotsplice replay [--timeout S] [-q | -v]" },
	{ "deb", BUILD_VERB(cmd_deb), "wrap an update package as a Debian package",
	  "hotsplice deb -o DIR [--name NAME] [--deb-version V] [--kernel-version V] [--maintainer TEXT] [-q] PACKAGE" },
	{ "diff-objects", BUILD_VERB(cmd_diff_objects), "plumbing: classify the changes between a pre and a post object", "hotsplice diff-objects [--json] [--name OBJ] [--series 6.1|6.12] PRE.o POST.o" },
	{ "build-module", BUILD_VERB(cmd_build_module), "plumbing: build a livepatch module from a post object",
	  "hotsplice build-module --post OBJ --object vmlinux|MODNAME --func NAME[=OLD][:POS][,...] [--new NAME,...] [--new-data NAME,...] [--sympos NAME=POS,...] --headers DIR --name MODNAME [--workdir DIR] [--cc CC] -o OUT.ko" },
	{ "match-objects", cmd_match_objects, "plumbing: run-pre match objects against the running kernel",
	  "hotsplice match-objects [--kallsyms FILE] [--kcore FILE] [--module NAME] [--func NAME] [--limit N] OBJ..." },
	{ "build-objects", BUILD_VERB(cmd_build_objects), "plumbing: compile the pre and post objects of a patch", "hotsplice build-objects --patch FILE (--source DIR --headers DIR | --kernel VERSION) [-o DIR] [-j N] [--max-header-users N] [-q | -v]" },
	{ "where", BUILD_VERB(cmd_where), "plumbing: where kbuild builds each source file (vmlinux, module, not built)",
	  "hotsplice where (--source DIR --headers DIR | --kernel VERSION) [-q | -v] FILE..." },
	{ "help", cmd_help, "show help for hotsplice or one subcommand",
	  "hotsplice help [COMMAND]" },
	{ "version", cmd_version, "print the version of hotsplice",
	  "hotsplice version" },
};

const struct hs_cmd *hs_cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void hs_cmd_usage(const struct hs_cmd *cmd, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	fprintf(f, "usage: %s\n", cmd->usage);
	if (!to_stderr)
		fprintf(f, "\n%s\n\nSee 'man hotsplice-%s' for details.\n", cmd->summary,
			cmd->name);
}

int hs_exit_code(int err)
{
	if (err >= 0)
		return EXIT_OK;
	if (err == -HS_EREFUSED || err == -HS_EMISMATCH)
		return EXIT_REFUSED;
	if (err == -HS_ENOCHANGE)
		return EXIT_NOTHING;
	return EXIT_ERROR;
}

static void print_overview(FILE *f)
{
	fprintf(f, "usage: hotsplice [--version] [--help] COMMAND [ARGS]\n\n"
		   "Live-patch the running Linux kernel from a source patch.\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "   %-14s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].run ? "" : " (build host: not in this binary)");
	fprintf(f, "\nSee 'hotsplice help COMMAND' or 'man hotsplice-COMMAND'.\n");
}

static int cmd_help(struct hs_ctx *ctx, int argc, char **argv)
{
	const struct hs_cmd *cmd;

	if (argc < 2) {
		print_overview(stdout);
		return EXIT_OK;
	}
	cmd = hs_cmd_find(argv[1]);
	if (!cmd) {
		hs_err(ctx, "'%s' is not a hotsplice command", argv[1]);
		return EXIT_USAGE;
	}
	hs_cmd_usage(cmd, 0);
	return EXIT_OK;
}

static int cmd_version(struct hs_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	printf("hotsplice %s\n", HS_VERSION);
	return EXIT_OK;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct hs_cmd *cmd;
	struct hs_ctx ctx;
	char prog[64];

	hs_ctx_init(&ctx);
	ctx.timing = getenv("HS_TIMING") && strcmp(getenv("HS_TIMING"), "0");
	if (argc < 2) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(&ctx, 1, argv);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(&ctx, 1, argv);
	cmd = hs_cmd_find(argv[1]);
	if (!cmd) {
		hs_err(&ctx, "'%s' is not a hotsplice command; see 'hotsplice --help'", argv[1]);
		return EXIT_USAGE;
	}
	if (wants_help(argc - 1, argv + 1)) {
		hs_cmd_usage(cmd, 0);
		return EXIT_OK;
	}
	if (!cmd->run) {
		hs_err(&ctx, "'%s' is not in this hotsplice: it is the target-only build, which has "
			     "the verbs of the running kernel; run '%s' with the full hotsplice",
		       cmd->name, cmd->name);
		return EXIT_USAGE;
	}
	/* getopt's messages then say "hotsplice CMD: ..." */
	snprintf(prog, sizeof(prog), "hotsplice %s", cmd->name);
	argv[1] = prog;
	return cmd->run(&ctx, argc - 1, argv + 1);
}
