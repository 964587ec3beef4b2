/* SPDX-License-Identifier: GPL-2.0 */
/*
 * elf.h - small accessors over libelf for relocatable x86-64 objects.
 *
 * An hs_elf is an object file opened read-only and fully indexed: every
 * section with its name, data and (for SHT_RELA) the section it relocates,
 * and the symbol table. Everything stays valid until hs_elf_close().
 */
#ifndef HS_ELF_H
#define HS_ELF_H

#include <gelf.h>
#include <stdbool.h>

#include "core/hotsplice.h"

struct hs_elf_sec {
	size_t idx;
	const char *name;
	GElf_Shdr shdr;
	Elf_Data *data;		/* NULL for SHT_NOBITS */
	size_t rela_idx;	/* index of the SHT_RELA section for this one, 0 if none */
};

struct hs_elf_sym {
	size_t idx;
	const char *name;
	GElf_Sym sym;
};

struct hs_elf {
	const char *path;	/* as given to hs_elf_open(), owned by the caller */
	int fd;
	Elf *elf;
	size_t nsecs;
	struct hs_elf_sec *secs;	/* indexed by section index */
	size_t nsyms;
	struct hs_elf_sym *syms;	/* indexed by symbol index */
	size_t symtab_idx;
};

/*
 * Open the ELF relocatable object @path and index it into @e.
 * Returns 0, or -errno / -HS_EFORMAT with a message naming the file.
 */
int hs_elf_open(const struct hs_ctx *ctx, const char *path, struct hs_elf *e);

/*
 * Like hs_elf_open(), for an object image in memory (@name is used in
 * messages). @data must stay valid until hs_elf_close().
 */
int hs_elf_open_mem(const struct hs_ctx *ctx, const char *name, const void *data, size_t size,
		    struct hs_elf *e);

/* Release everything hs_elf_open() allocated. Safe on a zeroed struct. */
void hs_elf_close(struct hs_elf *e);

/* The section named @name, or NULL. */
const struct hs_elf_sec *hs_elf_sec_by_name(const struct hs_elf *e, const char *name);

/* The symbol named @name (first match in symbol table order), or NULL. */
const struct hs_elf_sym *hs_elf_sym_by_name(const struct hs_elf *e, const char *name);

/* Number of relocations that apply to section @sec (0 if it has none). */
size_t hs_elf_nrelas(const struct hs_elf *e, const struct hs_elf_sec *sec);

/* Relocation @i of section @sec into @rela. Returns 0 or -HS_EFORMAT. */
int hs_elf_rela(const struct hs_elf *e, const struct hs_elf_sec *sec, size_t i,
		GElf_Rela *rela);

/*
 * True if section @name lists the object's exported symbols (EXPORT_SYMBOL):
 * ___ksymtab+NAME, __ksymtab*, __kcrctab* (Linux 6.1), .export_symbol (6.12,
 * read by modpost).
 */
bool hs_elf_export_section(const char *name);

/* True if @s is a function symbol defined in a section of this object. */
bool hs_elf_sym_is_func(const struct hs_elf_sym *s);

/*
 * The bytes of function symbol @s: its section (*@sec) and first byte (*@code),
 * st_value..st_value+st_size checked to lie inside the section's data (no
 * wrap-around). Returns 0, or -HS_EFORMAT (message names the file and the
 * symbol) when @s is not a function defined in a section of @e, has no size,
 * or runs past its section.
 */
int hs_elf_func_bytes(const struct hs_ctx *ctx, const struct hs_elf *e,
		      const struct hs_elf_sym *s, const struct hs_elf_sec **sec,
		      const unsigned char **code);

#endif
