/* SPDX-License-Identifier: GPL-2.0 */
/* json.h - write JSON strings for --json output. */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stdio.h>

/* Write @s to @f as a JSON string literal (quoted, escaped); NULL as null. */
void hs_json_str(FILE *f, const char *s);

#endif
