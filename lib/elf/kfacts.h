/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfacts.h - what hotsplice knows about one kernel series: the special
 * sections of its objects (entry sizes and layouts), what the kernel
 * rewrites in its own code at run time, ENDBR and function padding.
 * One row per series; create chooses the row from the target's headers and
 * .config, the target from the release the package was made for. A kernel
 * without a row is refused with what is missing, never half-supported.
 */
#ifndef HS_KFACTS_H
#define HS_KFACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/hotsplice.h"

/* What the running kernel may have done to a site a special section lists. */
enum hs_site_kind {
	HS_SITE_NONE,		/* nothing: the table is only read (bug, exception, ORC) */
	HS_SITE_ANY,		/* alternatives, paravirt: any bytes (the CPU chooses) */
	HS_SITE_FENTRY,		/* call __fentry__: a 5-byte NOP, or a call while traced */
	HS_SITE_JUMP,		/* static key: a NOP or a jmp of the same size */
	HS_SITE_RET,		/* jmp __x86_return_thunk: ret + int3, or a jmp to a thunk */
	HS_SITE_INDIRECT,	/* retpoline thunk call/jmp, static call: per CPU/target */
	HS_SITE_LOCK,		/* lock prefix: 0xf0, or a ds prefix on a uniprocessor */
	HS_SITE_ENDBR,		/* ENDBR64, or the 4-byte NOP the kernel seals it with */
};

/* One special section: its entries, and what the kernel does with their sites. */
struct hs_special {
	const char *name;
	unsigned int entsize;
	int len_off;		/* u8 length of the site's instruction, or -1 */
	int repl_off;		/* s32 reference to replacement code, or -1 */
	int repllen_off;	/* u8 length of the replacement, or -1 */
	int mask_off, mask_len;	/* bytes that carry only a line number */
	const char *parallel;	/* a table with one entry per entry of this one */
	unsigned int parallel_size;
	int owner_bias;		/* entry target + bias = inside the function it belongs to */
	enum hs_site_kind site;
	bool keep;		/* copied (trimmed) into the livepatch module */
	int key_off;		/* the reference to the entry's key (static keys, static
				   calls), 0 if none: the site comes first */
};

/* A function that takes a source line number as its @arg-th argument (1 = %rdi). */
struct hs_line_consumer {
	const char *name;
	int arg;
};

struct hs_kfacts {
	const char *name;	/* "x86_64 6.1", for messages */
	const char *series;	/* "6.1" */
	const struct hs_special *specials;
	size_t nspecials;
	const struct hs_line_consumer *line_consumers;
	size_t nline_consumers;
	bool ibt;		/* CONFIG_X86_KERNEL_IBT: functions open with ENDBR64 */
	unsigned int padding;	/* CONFIG_FUNCTION_PADDING_BYTES: __pfx_ bytes before a function */
	bool objtool_late;	/* objtool runs on vmlinux.o only: an object lists no
				   return, retpoline, static-call or ENDBR sites */
};

/* The row of @series ("6.1", "6.12"), or NULL. */
const struct hs_kfacts *hs_kfacts_series(const char *series);

/* The special section @name of @f, or NULL. */
const struct hs_special *hs_kfacts_special(const struct hs_kfacts *f, const char *name);

/*
 * The row of the kernel release @release ("6.12.113+deb12-cloud-amd64",
 * "6.1.0-55-amd64"). An unknown series: an error naming what hotsplice
 * supports, -HS_EREFUSED. (The architecture is the caller's to check: the
 * headers' CONFIG_X86_64, the running machine's uname.)
 */
int hs_kfacts_for_release(const struct hs_ctx *ctx, const char *release,
			  const struct hs_kfacts **out);

/*
 * The row of the running kernel (uname(2)), for code that checks or changes
 * this machine: also refuses a machine that is not x86_64. @what prefixes the
 * messages ("update 'X'"), or NULL. 0, -HS_EREFUSED or -errno.
 */
int hs_kfacts_for_running(const struct hs_ctx *ctx, const char *what,
			  const struct hs_kfacts **out);

/*
 * The row of the kernel whose kbuild headers are @headers: the series from
 * include/generated/utsrelease.h, checked against the headers' .config
 * (x86_64, CONFIG_LIVEPATCH, IBT and padding as the row says). Anything
 * missing or different is named in an error, -HS_EREFUSED.
 */
int hs_kfacts_for_headers(const struct hs_ctx *ctx, const char *headers,
			  const struct hs_kfacts **out);

/*
 * The value of CONFIG_@name in the .config text @config: where it starts,
 * its length in *@len (a string's quotes included); NULL if it is unset.
 */
const char *hs_kfacts_config_find(const char *config, const char *name, size_t *len);

/*
 * The quoted string of the #define in @headers/include/generated/@file
 * (utsrelease.h: UTS_RELEASE, utsversion.h: UTS_VERSION), malloc'd into *@out.
 * 0, -ENOMEM, the read's -errno, or -HS_EFORMAT when it has none (said).
 */
int hs_kfacts_generated_string(const struct hs_ctx *ctx, const char *headers, const char *file,
			       char **out);

/*
 * Where the "call __fentry__" of a function whose code is @code (@size
 * bytes) would be: 4 after an ENDBR64, else 0.
 */
size_t hs_kfacts_fentry_off(const unsigned char *code, size_t size);

/* Which argument of @callee is a source line number (1 = %rdi), 0 if none or unknown. */
int hs_kfacts_line_arg(const struct hs_kfacts *f, const char *callee);

/* The NOP of @len bytes (2 or 5) the kernel and objtool put at a site it may patch, or NULL. */
const unsigned char *hs_kfacts_site_nop(size_t len);

/* Is @code (@len bytes) that NOP? */
bool hs_kfacts_is_site_nop(const unsigned char *code, size_t len);

/* Is @code (at least 4 bytes) an ENDBR64, or the NOP a sealed ENDBR becomes? */
bool hs_kfacts_is_endbr(const unsigned char *code, bool sealed_too);

#endif
