// SPDX-License-Identifier: GPL-2.0
/* kfacts.c - the per-kernel facts table: special-section layouts, run-time rewrites, ENDBR. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/cache.h"
#include "elf/kfacts.h"

/*
 * x86-64 Linux 6.1 (Debian 12's 6.1 cloud-amd64 and amd64 configs:
 * GENERIC_BUG_RELATIVE_POINTERS, DEBUG_BUGVERBOSE, PARAVIRT, RETPOLINE,
 * RETHUNK, no IBT; objtool runs on every object):
 *   struct bug_entry           { s32 bug_addr_disp, file_disp; u16 line, flags; }  12
 *   exception_table_entry      { int insn, fixup, data; }                          12
 *   struct alt_instr           { s32 instr, repl; u16 cpuid; u8 instrlen, repllen; } 12
 *   struct jump_entry          { s32 code, target; long key; }                     16
 *   struct static_call_site    { s32 addr, key; }                                   8
 *   struct paravirt_patch_site { u8 *instr; u8 type, len; }                        16
 *   .retpoline_sites, .return_sites, .smp_locks, .orc_unwind_ip: s32 each           4
 *   __mcount_loc: unsigned long                                                     8
 * .orc_unwind (struct orc_entry, 6 bytes, no relocations) runs parallel to
 * .orc_unwind_ip. The bug_entry line (offset 8, 2 bytes) is masked: a line
 * shift is no code change.
 */
static const struct hs_special specials_6_1[] = {
	/* name                entsize len repl rlen mask  parallel        ps bias site          keep key */
	{ ".altinstructions",   12, 10,  4, 11, 0, 0, NULL, 0, 0, HS_SITE_ANY, true, 0 },
	{ "__bug_table",        12, -1, -1, -1, 8, 2, NULL, 0, 0, HS_SITE_NONE, true, 0 },
	{ "__ex_table",         12, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_NONE, true, 0 },
	{ "__jump_table",       16, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_JUMP, true, 8 },
	{ ".static_call_sites",  8, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_INDIRECT, true, 4 },
	{ ".retpoline_sites",    4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_INDIRECT, true, 0 },
	{ ".return_sites",       4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_RET, true, 0 },
	{ ".smp_locks",          4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_LOCK, true, 0 },
	{ ".parainstructions",  16,  9, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_ANY, true, 0 },
	{ "__mcount_loc",        8, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_FENTRY, true, 0 },
	{ ".orc_unwind_ip",      4, -1, -1, -1, 0, 0, ".orc_unwind", 6, 0, HS_SITE_NONE, true, 0 },
	/* not made for a 6.1 object without IBT or call thunks; listed to be attributed */
	{ ".call_sites",         4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_NONE, false, 0 },
	{ ".ibt_endbr_seal",     4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_ENDBR, false, 0 },
};

/*
 * x86-64 Linux 6.12 (Debian 12's bookworm-security 6.12 cloud-amd64 and
 * amd64: X86_KERNEL_IBT, CALL_PADDING with FUNCTION_PADDING_BYTES=16,
 * CALL_THUNKS, MITIGATION_RETHUNK/RETPOLINE/SLS, no PARAVIRT patch sites:
 * paravirt calls became alternatives in 6.8). Differences from 6.1:
 *   struct alt_instr { s32 instr, repl; u32 ft_flags; u8 instrlen, repllen; }     14
 *   .parainstructions is gone.
 *   __patchable_function_entries (gcc -fpatchable-function-entry=16,16): one
 *     pointer per function, to the 16 bytes of padding before it (the
 *     __pfx_<name> symbol of vmlinux): bias 16 leads into the function.
 *   With IBT, objtool runs on vmlinux.o only, so an object compiled alone has
 *     no .return_sites, .retpoline_sites, .static_call_sites, .call_sites,
 *     .ibt_endbr_seal nor ORC: run-pre finds those sites by their relocations
 *     (objtool_late), and kbuild runs objtool on the linked livepatch module,
 *     which makes the module's own tables. A module of one object is the
 *     exception: objtool runs on that object when it is compiled (kbuild's
 *     is-single-obj-m), so it has those tables, __pfx_ symbols and NOPs at
 *     its jump-label sites. Its tables are not copied either: objtool would
 *     keep a table the module already has and make none for the glue's code
 *     ("Unpatched return thunk in use" when the glue returned at unload).
 */
static const struct hs_special specials_6_12[] = {
	{ ".altinstructions",   14, 12,  4, 13, 0, 0, NULL, 0, 0, HS_SITE_ANY, true, 0 },
	{ "__bug_table",        12, -1, -1, -1, 8, 2, NULL, 0, 0, HS_SITE_NONE, true, 0 },
	{ "__ex_table",         12, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_NONE, true, 0 },
	{ "__jump_table",       16, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_JUMP, true, 8 },
	{ ".smp_locks",          4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_LOCK, true, 0 },
	{ "__mcount_loc",        8, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_FENTRY, true, 0 },
	/* made again by kbuild's objtool run on the module: not copied */
	{ ".static_call_sites",  8, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_INDIRECT, false, 4 },
	{ ".retpoline_sites",    4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_INDIRECT, false, 0 },
	{ ".return_sites",       4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_RET, false, 0 },
	{ ".orc_unwind_ip",      4, -1, -1, -1, 0, 0, ".orc_unwind", 6, 0, HS_SITE_NONE, false, 0 },
	{ ".call_sites",         4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_NONE, false, 0 },
	{ ".ibt_endbr_seal",     4, -1, -1, -1, 0, 0, NULL, 0, 0, HS_SITE_ENDBR, false, 0 },
	/* made again by the compiler's padding of the module's code: not copied */
	{ "__patchable_function_entries", 8, -1, -1, -1, 0, 0, NULL, 0, 16, HS_SITE_NONE, false, 0 },
};

/*
 * Functions that take a source line number as an argument, and which one
 * (1 = %rdi, 2 = %rsi, ...): a changed line number passed to them is a line
 * shift, not a code change (lib/diff/diff_compare.c).
 */
#define LINE_CONSUMERS_COMMON \
	{ "__might_sleep", 2 },		/* (file, line) */ \
	{ "__might_resched", 2 },	/* (file, line, offsets) */ \
	{ "__might_fault", 2 },		/* (file, line) */ \
	{ "__cant_sleep", 2 },		/* (file, line, preempt_offset) */ \
	{ "__cant_migrate", 2 },	/* (file, line) */ \
	{ "lockdep_rcu_suspicious", 2 },/* (file, line, s) */ \
	{ "warn_slowpath_fmt", 2 },	/* (file, line, taint, fmt, ...) */ \
	{ "__ext4_error", 3 },		/* (sb, function, line, ...) */ \
	{ "__ext4_error_inode", 3 }, \
	{ "__ext4_error_file", 3 }, \
	{ "__ext4_std_error", 3 }, \
	{ "__ext4_warning", 3 }, \
	{ "__ext4_warning_inode", 3 }, \
	{ "__ext4_grp_locked_error", 2 },/* (function, line, sb, ...) */ \
	{ "__ext4_journal_stop", 2 },	/* (where, line, handle) */ \
	{ "__ext4_journal_get_write_access", 2 }, \
	{ "__ext4_journal_get_create_access", 2 }, \
	{ "__ext4_handle_dirty_metadata", 2 }, \
	{ "__ext4_forget", 2 }

static const struct hs_line_consumer lines_6_1[] = {
	LINE_CONSUMERS_COMMON,
	{ "__ext4_journal_start_sb", 2 },	/* (sb, line, type, ...) */
};

static const struct hs_line_consumer lines_6_12[] = {
	LINE_CONSUMERS_COMMON,
	{ "__ext4_journal_start_sb", 3 },	/* (inode, sb, line, type, ...) */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct hs_kfacts rows[] = {
	{ "x86_64 6.1", "6.1", specials_6_1, N(specials_6_1), lines_6_1, N(lines_6_1),
	  false, 0, false },
	{ "x86_64 6.12", "6.12", specials_6_12, N(specials_6_12), lines_6_12, N(lines_6_12),
	  true, 16, true },
};

const struct hs_kfacts *hs_kfacts_series(const char *series)
{
	for (size_t i = 0; series && i < N(rows); i++)
		if (!strcmp(rows[i].series, series))
			return &rows[i];
	return NULL;
}

const struct hs_special *hs_kfacts_special(const struct hs_kfacts *f, const char *name)
{
	for (size_t i = 0; i < f->nspecials; i++)
		if (!strcmp(f->specials[i].name, name))
			return &f->specials[i];
	return NULL;
}

/* "6.12" of "6.12.113+deb12-cloud-amd64" into @buf; false if it has no MAJOR.MINOR. */
static bool series_of(const char *release, char *buf, size_t len)
{
	unsigned int major, minor;
	int n = 0;

	if (sscanf(release, "%u.%u%n", &major, &minor, &n) != 2 || n <= 0)
		return false;
	snprintf(buf, len, "%u.%u", major, minor);
	return true;
}

static void known_series(char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; i < N(rows) && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", rows[i].series);
}

int hs_kfacts_for_release(const struct hs_ctx *ctx, const char *release,
			  const struct hs_kfacts **out)
{
	char series[32], known[64];

	*out = NULL;
	known_series(known, sizeof(known));
	if (!series_of(release, series, sizeof(series))) {
		hs_err(ctx, "kernel release '%s': no MAJOR.MINOR version in it", release);
		return -HS_EREFUSED;
	}
	*out = hs_kfacts_series(series);
	if (!*out) {
		hs_err(ctx, "kernel release '%s': hotsplice knows no facts about Linux %s (its special sections, what it rewrites at run time); supported series: %s",
		       release, series, known);
		return -HS_EREFUSED;
	}
	return 0;
}

int hs_kfacts_for_running(const struct hs_ctx *ctx, const char *what,
			  const struct hs_kfacts **out)
{
	struct utsname u;

	*out = NULL;
	if (uname(&u))
		return -errno;
	if (strcmp(u.machine, "x86_64")) {
		hs_err(ctx, "%s%sthis machine is %s: hotsplice supports x86_64 only",
		       what ? what : "", what ? ": " : "", u.machine);
		return -HS_EREFUSED;
	}
	return hs_kfacts_for_release(ctx, u.release, out);
}

const char *hs_kfacts_config_find(const char *config, const char *name, size_t *len)
{
	size_t n = strlen(name);

	for (const char *s = config; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		if (strncmp(s, "CONFIG_", 7) || strncmp(s + 7, name, n) || s[7 + n] != '=')
			continue;
		s += 8 + n;
		*len = strcspn(s, "\n");
		return s;
	}
	return NULL;
}

/* The value of CONFIG_@name in @config ("" if unset), into @buf. */
static const char *config_value(const char *config, const char *name, char *buf, size_t len)
{
	size_t n = 0;
	const char *v = hs_kfacts_config_find(config, name, &n);

	snprintf(buf, len, "%.*s", (int)n, v ? v : "");
	return buf;
}

int hs_kfacts_generated_string(const struct hs_ctx *ctx, const char *headers, const char *file,
			       char **out)
{
	char *path = hs_strdupf("%s/include/generated/%s", headers, file), *text = NULL;
	char *q1, *q2;
	int err;

	*out = NULL;
	if (!path)
		return -ENOMEM;
	err = hs_read_file(ctx, path, &text, NULL);
	q1 = text ? strchr(text, '"') : NULL;
	q2 = q1 ? strchr(q1 + 1, '"') : NULL;
	if (!err && !q2) {
		hs_err(ctx, "'%s': no quoted value", path);
		err = -HS_EFORMAT;
	}
	if (!err)
		*out = strndup(q1 + 1, (size_t)(q2 - q1 - 1));
	free(path);
	free(text);
	return err ?: (*out ? 0 : -ENOMEM);
}

static int check_arch(const struct hs_ctx *ctx, const char *path, const char *config)
{
	char v[8];

	if (strcmp(config_value(config, "X86_64", v, sizeof(v)), "y")) {
		hs_err(ctx, "'%s': not an x86_64 kernel (CONFIG_X86_64 is not set): hotsplice supports x86_64 only", path);
		return -HS_EREFUSED;
	}
	return 0;
}

/* Does the headers' @config say what row @f says? Name each difference. */
static int check_config(const struct hs_ctx *ctx, const char *path, const char *config,
			const struct hs_kfacts *f)
{
	char v[64], want[16];
	int err = 0;

	if (strcmp(config_value(config, "LIVEPATCH", v, sizeof(v)), "y")) {
		hs_err(ctx, "'%s': CONFIG_LIVEPATCH is not set: this kernel cannot be live-patched", path);
		err = -HS_EREFUSED;
	}
	if (!strcmp(config_value(config, "X86_KERNEL_IBT", v, sizeof(v)), "y") != f->ibt) {
		hs_err(ctx, "'%s': CONFIG_X86_KERNEL_IBT is %s, but hotsplice knows Linux %s %s it",
		       path, v[0] ? v : "not set", f->series, f->ibt ? "with" : "without");
		err = -HS_EREFUSED;
	}
	snprintf(want, sizeof(want), "%u", f->padding);
	config_value(config, "FUNCTION_PADDING_BYTES", v, sizeof(v));
	if (strcmp(v[0] ? v : "0", want)) {
		hs_err(ctx, "'%s': CONFIG_FUNCTION_PADDING_BYTES is %s, but hotsplice knows Linux %s with %s",
		       path, v[0] ? v : "not set", f->series, want);
		err = -HS_EREFUSED;
	}
	return err;
}

int hs_kfacts_for_headers(const struct hs_ctx *ctx, const char *headers,
			  const struct hs_kfacts **out)
{
	char *cfg_path = hs_strdupf("%s/.config", headers);
	char *rel = NULL, *config = NULL;
	size_t len;
	int err;

	*out = NULL;
	err = cfg_path ? 0 : -ENOMEM;
	/* #define UTS_RELEASE "6.12.113+deb12-cloud-amd64" */
	err = err ?: hs_kfacts_generated_string(ctx, headers, "utsrelease.h", &rel);
	err = err ?: hs_read_file(ctx, cfg_path, &config, &len);
	err = err ?: check_arch(ctx, cfg_path, config);
	err = err ?: hs_kfacts_for_release(ctx, rel, out);
	if (!err)
		err = check_config(ctx, cfg_path, config, *out);
	if (err)
		*out = NULL;
	free(rel);
	free(config);
	free(cfg_path);
	return err;
}

int hs_kfacts_line_arg(const struct hs_kfacts *f, const char *callee)
{
	for (size_t i = 0; callee && i < f->nline_consumers; i++)
		if (!strcmp(f->line_consumers[i].name, callee))
			return f->line_consumers[i].arg;
	return 0;
}

const unsigned char *hs_kfacts_site_nop(size_t len)
{
	/* x86's NOPs of those lengths (arch/x86/include/asm/nops.h: BYTES_NOP2, BYTES_NOP5) */
	static const unsigned char nop2[] = { 0x66, 0x90 };
	static const unsigned char nop5[] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

	return len == 2 ? nop2 : len == 5 ? nop5 : NULL;
}

bool hs_kfacts_is_site_nop(const unsigned char *code, size_t len)
{
	const unsigned char *nop = hs_kfacts_site_nop(len);

	return nop && !memcmp(code, nop, len);
}

bool hs_kfacts_is_endbr(const unsigned char *code, bool sealed_too)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const unsigned char sealed[] = { 0x66, 0x0f, 0x1f, 0x00 };	/* osp nopl (%rax) */

	return !memcmp(code, endbr64, 4) || (sealed_too && !memcmp(code, sealed, 4));
}

size_t hs_kfacts_fentry_off(const unsigned char *code, size_t size)
{
	return size >= 9 && hs_kfacts_is_endbr(code, false) ? 4 : 0;
}
