/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcore.h - read the running kernel's memory by virtual address through
 * /proc/kcore (an ELF core file whose PT_LOAD segments map kernel virtual
 * addresses to file offsets). Root only; refused under lockdown.
 */
#ifndef HS_KCORE_H
#define HS_KCORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/hotsplice.h"

struct hs_kcore_seg {
	uint64_t vaddr, size, offset;
};

struct hs_kcore {
	const char *path;
	int fd;
	struct hs_kcore_seg *segs;
	size_t nsegs;
};

/* Open @path (normally "/proc/kcore") and read its segment table. 0 or -errno. */
int hs_kcore_open(const struct hs_ctx *ctx, const char *path, struct hs_kcore *kc);

/* Copy @len bytes at kernel address @addr into @buf. 0, -EFAULT if unmapped, or -errno. */
int hs_kcore_read(const struct hs_kcore *kc, uint64_t addr, void *buf, size_t len);

void hs_kcore_close(struct hs_kcore *kc);

#endif
