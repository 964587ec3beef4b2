/* SPDX-License-Identifier: GPL-2.0 */
/* unit.h - what every cmocka unit test of lib/ includes. */
#ifndef HS_UNIT_H
#define HS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <elf.h>

#include "core/hotsplice.h"

/*
 * Path of the fixture object compiled from tests/unit/fixtures/@name.c by
 * the test build (directory from $HS_FIXTURES, set by tests/unit/run).
 */
const char *unit_fixture(const char *name);

/* The contents of file @path (at most 64 KiB), malloc'd; fails the test if unreadable. */
char *unit_slurp(const char *path);

/* Write @text to @dir/@rel, making its directories; fails the test on error. */
void unit_write_file(const char *dir, const char *rel, const char *text);

/* A context whose messages are collected into unit_messages(). */
struct hs_ctx *unit_ctx(void);
/* Everything logged through unit_ctx() since the last call, newline-separated. */
const char *unit_messages(void);

/*
 * In the ELF64 image @img (a fixture read into memory, to be mutated by a
 * test): the section header named @name, the symbol named @name. Fail the
 * test when there is none.
 */
Elf64_Shdr *unit_elf_shdr(void *img, const char *name);
Elf64_Sym *unit_elf_sym(void *img, const char *name);

#endif
