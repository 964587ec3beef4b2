// SPDX-License-Identifier: GPL-2.0
/*
 * kbuild_tryrun.c - kbuild's compiler probes answered from the cache.
 *
 * Every make that reads the kernel's top Makefile (a module's build, a
 * single object's command line) asks the compiler and binutils about 30
 * questions first: each cc-option, as-instr, ld-option... is a "try-run"
 * (scripts/Makefile.compiler) that runs gcc or as on /dev/null and keeps
 * only whether it succeeded. That is ~2 s of a 3.5 s module build. The
 * answers depend only on the command (flags, tool names) and on the tools
 * themselves, so hotsplice gives make its own try-run (a command-line
 * variable overrides the makefile's) that keeps each answer, y or n, in
 * <cache>/trees/tools/try-run-1/<tools>/<digest of the command>, where
 * <tools> identifies the compiler, cc1, as and ld (path, size, time): a
 * changed tool starts afresh. The key is not the directory make runs in:
 * the probes name /dev/null and absolute paths only (6.1 and 6.12, the
 * tree's and the headers' Makefiles, looked at). A damaged answer is probed again; when the
 * script gives no answer, make runs the probe as kbuild would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/kbuild.h"
#include "build/kbuild_priv.h"
#include "core/cache.h"
#include "core/digest.h"
#include "core/spawn.h"
#include "core/strbuf.h"

/* Print y or n for "try-run-1.sh DIR COMMAND": COMMAND's answer, kept in DIR. */
static const char try_run_sh[] =
	"#!/bin/sh\n"
	"# hotsplice: kbuild's try-run with its answers kept (lib/build/kbuild_tryrun.c)\n"
	"key=$(printf '%s' \"$2\" | sha256sum) || exit 1\n"
	"key=${key%% *}\n"
	"r=\n"
	"[ ! -r \"$1/$key\" ] || read -r r < \"$1/$key\" || r=\n"
	"if [ \"$r\" = y ] || [ \"$r\" = n ]; then echo \"$r\"; exit 0; fi\n"
	"TMPOUT=$(mktemp -d) || exit 1\n"
	"TMP=$TMPOUT/tmp\n"
	"trap 'rm -rf \"$TMPOUT\"' EXIT\n"
	"if (eval \"$2\") >/dev/null 2>&1; then r=y; else r=n; fi\n"
	"mkdir -p \"$1\" 2>/dev/null && printf '%s\\n' \"$r\" > \"$1/$key.$$\" &&\n"
	"\tmv -f \"$1/$key.$$\" \"$1/$key\"\n"
	"echo \"$r\"\n";

/*
 * The make variable: ask the script (the command quoted for the shell);
 * y or n picks kbuild's answer, anything else runs kbuild's own try-run.
 * No unbalanced parenthesis: make would end $(shell at it.
 */
#define TRY_RUN_VAR                                                                     \
	"try-run=$(shell set -e; r=$$('%s' '%s' '$(subst ','\\'',$(1))' 2>/dev/null) || r=; " \
	"if [ \"$$r\" = y ]; then echo \"$(2)\"; elif [ \"$$r\" = n ]; then echo \"$(3)\"; " \
	"else TMP=$(TMPOUT)/tmp; trap \"rm -rf $(TMPOUT)\" EXIT; mkdir -p $(TMPOUT); "   \
	"if ($(1)) >/dev/null 2>&1; then echo \"$(2)\"; else echo \"$(3)\"; fi; fi)"

/* @name as the shell finds it in $PATH (malloc'd), or NULL. */
static char *in_path(const char *name)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/'))
		return strdup(name);
	for (const char *p = path ? path : "/usr/bin:/bin"; *p; ) {
		size_t len = strcspn(p, ":");
		char *full = hs_strdupf("%.*s/%s", (int)len, p, name);

		if (full && !access(full, X_OK))
			return full;
		free(full);
		p += len + (p[len] == ':');
	}
	return NULL;
}

/* Append what identifies tool @path to @b: its real path, size and time. */
static void tool_id(struct hs_strbuf *b, const char *path)
{
	char *real = path ? realpath(path, NULL) : NULL;
	struct stat st;

	if (real && !stat(real, &st))
		hs_strbuf_printf(b, "%s %lld %lld.%09ld\n", real, (long long)st.st_size,
				 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		hs_strbuf_printf(b, "%s ?\n", path ? path : "?");
	free(real);
}

/* The directory of the answers for this machine's compiler and binutils. */
static char *answers_dir(struct hs_kbuild *kb)
{
	struct hs_strbuf b = { .s = malloc(256), .cap = 256 };
	char *argv[] = { kb->cc, "-print-prog-name=cc1", NULL }, *p, *dir = NULL;
	struct hs_kbuild_first_line cc1 = { "" };
	const char *const tools[] = { kb->cc, "as", "ld" };
	char hex[65];

	if (!b.s)
		return NULL;
	b.s[0] = 0;
	if (hs_spawn_run(kb->ctx, argv, NULL, hs_kbuild_first_line, &cc1) == 0 && cc1.text[0])
		tool_id(&b, cc1.text);
	else
		b.err = -ENOENT;	/* no answers kept for a compiler we cannot name */
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]) && !b.err; i++) {
		p = in_path(tools[i]);
		tool_id(&b, p);
		free(p);
	}
	if (!b.err) {
		hs_sha256_hex(b.s, b.len, hex);
		dir = hs_strdupf("%s/trees/tools/try-run-1/%.16s", kb->cache, hex);
	}
	free(b.s);
	return dir;
}

const char *hs_kbuild_try_run(struct hs_kbuild *kb)
{
	char *sh, *dir;

	if (kb->try_run || kb->try_run_asked)
		return kb->try_run;
	kb->try_run_asked = true;
	sh = hs_kbuild_tool(kb, "try-run-1.sh", try_run_sh, 0755);
	dir = sh ? answers_dir(kb) : NULL;
	/* the paths go into make and the shell quoted as they are */
	if (dir && !strpbrk(sh, "'$()\\\n\t #%") && !strpbrk(dir, "'$()\\\n\t #%"))
		kb->try_run = hs_strdupf(TRY_RUN_VAR, sh, dir);
	else
		hs_debug(kb->ctx, "kbuild's compiler probes run in each make (no answers kept)");
	free(sh);
	free(dir);
	return kb->try_run;
}
