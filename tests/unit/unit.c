// SPDX-License-Identifier: GPL-2.0
/* unit.c - shared helpers of the unit tests: fixture paths and a capturing logger. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/cache.h"

static char messages[16384];
static size_t messages_len;
static struct hs_ctx ctx;

const char *unit_fixture(const char *name)
{
	static char path[4096];
	const char *dir = getenv("HS_FIXTURES");

	snprintf(path, sizeof(path), "%s/%s.o", dir ? dir : "build/tests/fixtures", name);
	return path;
}

static void capture(void *arg, enum hs_level level, const char *msg)
{
	int n;

	(void)arg;
	(void)level;
	n = snprintf(messages + messages_len, sizeof(messages) - messages_len, "%s\n", msg);
	if (n > 0 && messages_len + (size_t)n < sizeof(messages))
		messages_len += (size_t)n;
}

struct hs_ctx *unit_ctx(void)
{
	ctx.print = capture;
	ctx.print_arg = NULL;
	ctx.verbosity = HS_DEBUG;
	return &ctx;
}

const char *unit_messages(void)
{
	static char out[sizeof(messages)];

	memcpy(out, messages, messages_len);
	out[messages_len] = 0;
	messages_len = 0;
	return out;
}

char *unit_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(f);
	assert_non_null(buf);
	buf[fread(buf, 1, 65535, f)] = 0;
	fclose(f);
	return buf;
}

void unit_write_file(const char *dir, const char *rel, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	*strrchr(path, '/') = 0;
	assert_int_equal(hs_mkdir_p(unit_ctx(), path), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Section header @idx of the ELF64 image @img. */
static Elf64_Shdr *elf_shdr(void *img, size_t idx)
{
	Elf64_Ehdr *eh = img;

	return (Elf64_Shdr *)((char *)img + eh->e_shoff + idx * eh->e_shentsize);
}

Elf64_Shdr *unit_elf_shdr(void *img, const char *name)
{
	Elf64_Ehdr *eh = img;
	const char *names = (char *)img + elf_shdr(img, eh->e_shstrndx)->sh_offset;

	for (size_t i = 1; i < eh->e_shnum; i++)
		if (!strcmp(names + elf_shdr(img, i)->sh_name, name))
			return elf_shdr(img, i);
	fail_msg("no section '%s' in the image", name);
	return NULL;
}

Elf64_Sym *unit_elf_sym(void *img, const char *name)
{
	Elf64_Ehdr *eh = img;

	for (size_t i = 1; i < eh->e_shnum; i++) {
		Elf64_Shdr *sh = elf_shdr(img, i);
		Elf64_Sym *syms = (Elf64_Sym *)((char *)img + sh->sh_offset);
		const char *str;

		if (sh->sh_type != SHT_SYMTAB)
			continue;
		str = (char *)img + elf_shdr(img, sh->sh_link)->sh_offset;
		for (size_t k = 1; k < sh->sh_size / sizeof(*syms); k++)
			if (!strcmp(str + syms[k].st_name, name))
				return &syms[k];
	}
	fail_msg("no symbol '%s' in the image", name);
	return NULL;
}
