// SPDX-License-Identifier: GPL-2.0
/* kcore.c - read kernel memory by virtual address from /proc/kcore. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "target/kcore.h"

static int read_exact(int fd, void *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EFAULT;
		buf = (char *)buf + n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

int hs_kcore_open(const struct hs_ctx *ctx, const char *path, struct hs_kcore *kc)
{
	Elf64_Ehdr eh;
	int err;

	memset(kc, 0, sizeof(*kc));
	kc->path = path;
	kc->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (kc->fd < 0) {
		err = -errno;
		hs_err(ctx, "cannot open '%s': %s (root is needed, and no kernel lockdown)",
		       path, strerror(errno));
		return err;
	}
	err = read_exact(kc->fd, &eh, sizeof(eh), 0);
	if (err || memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr)) {
		hs_err(ctx, "'%s': not a 64-bit ELF core file", path);
		hs_kcore_close(kc);
		return -HS_EFORMAT;
	}
	kc->segs = calloc(eh.e_phnum ? eh.e_phnum : 1, sizeof(*kc->segs));
	if (!kc->segs) {
		hs_kcore_close(kc);
		return -ENOMEM;
	}
	for (size_t i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		err = read_exact(kc->fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph)));
		if (err) {
			hs_err(ctx, "'%s': cannot read program header %zu", path, i);
			hs_kcore_close(kc);
			return -HS_EFORMAT;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		kc->segs[kc->nsegs++] = (struct hs_kcore_seg){ ph.p_vaddr, ph.p_filesz, ph.p_offset };
	}
	return 0;
}

int hs_kcore_read(const struct hs_kcore *kc, uint64_t addr, void *buf, size_t len)
{
	for (size_t i = 0; i < kc->nsegs; i++) {
		const struct hs_kcore_seg *s = &kc->segs[i];

		if (addr < s->vaddr || addr - s->vaddr > s->size || len > s->size - (addr - s->vaddr))
			continue;
		return read_exact(kc->fd, buf, len, (off_t)(s->offset + (addr - s->vaddr)));
	}
	return -EFAULT;
}

void hs_kcore_close(struct hs_kcore *kc)
{
	if (kc->fd >= 0)
		close(kc->fd);
	free(kc->segs);
	memset(kc, 0, sizeof(*kc));
	kc->fd = -1;
}
