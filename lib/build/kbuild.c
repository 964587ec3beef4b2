// SPDX-License-Identifier: GPL-2.0
/* kbuild.c - the prepared kernel tree: checks, cache key, "make syncconfig prepare". */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cache.h"
#include "build/kbuild.h"
#include "build/kbuild_priv.h"
#include "core/spawn.h"
#include "elf/kfacts.h"

/* Bump when the prepared tree's layout or contents change. */
#define TREE_FORMAT "hotsplice-tree-1"

const char *hs_kbuild_where_name(enum hs_unit_where where)
{
	switch (where) {
	case HS_UNIT_VMLINUX:
		return "vmlinux";
	case HS_UNIT_MODULE:
		return "module";
	case HS_UNIT_NOT_BUILT:
		break;
	}
	return "not built";
}

/* The value of CONFIG_@name in @config, malloc'd, quotes removed; NULL if unset. */
char *hs_kbuild_config_value(const char *config, const char *name)
{
	size_t n = 0;
	const char *s = hs_kfacts_config_find(config, name, &n);

	if (!s)
		return NULL;
	if (*s == '"' && n > 1 && s[n - 1] == '"')
		return strndup(s + 1, n - 2);
	return strndup(s, n);
}

int hs_kbuild_kernel_dirs(const struct hs_ctx *ctx, const char *version, char **source,
			  char **headers)
{
	char *cache, *mark;
	int err;

	*source = *headers = NULL;
	err = hs_cache_dir(ctx, &cache);
	if (err)
		return err;
	mark = hs_strdupf("%s/%s/.complete", cache, version);
	*source = hs_strdupf("%s/%s/source", cache, version);
	*headers = hs_strdupf("%s/%s/headers", cache, version);
	if (!mark || !*source || !*headers)
		err = -ENOMEM;
	else if (access(mark, F_OK)) {
		hs_err(ctx, "kernel '%s' is not in the cache '%s': run 'scripts/fetch-kernel %s'",
		       version, cache, version);
		err = -ENOENT;
	}
	free(mark);
	free(cache);
	if (err) {
		free(*source);
		free(*headers);
		*source = *headers = NULL;
	}
	return err;
}

static int check_file(const struct hs_ctx *ctx, const char *dir, const char *name,
		      const char *why)
{
	char *path = hs_strdupf("%s/%s", dir, name);
	int err = 0;

	if (!path)
		return -ENOMEM;
	if (access(path, R_OK)) {
		err = -errno;
		hs_err(ctx, "'%s': %s: %s", path, strerror(errno), why);
	}
	free(path);
	return err;
}

void hs_kbuild_first_line(void *arg, const char *line)
{
	struct hs_kbuild_first_line *f = arg;

	if (!f->text[0])
		snprintf(f->text, sizeof(f->text), "%s", line);
}

/* The compiler named by CONFIG_CC_VERSION_TEXT must be here and say the same. */
static int check_compiler(struct hs_kbuild *kb)
{
	char *argv[] = { NULL, "--version", NULL };
	struct hs_kbuild_first_line have = { "" };
	int status;

	kb->cc_text = hs_kbuild_config_value(kb->config, "CC_VERSION_TEXT");
	if (!kb->cc_text) {
		hs_err(kb->ctx, "'%s/.config': no CONFIG_CC_VERSION_TEXT", kb->headers);
		return -HS_EFORMAT;
	}
	kb->cc = strndup(kb->cc_text, strcspn(kb->cc_text, " "));
	if (!kb->cc)
		return -ENOMEM;
	argv[0] = kb->cc;
	status = hs_spawn_run(kb->ctx, argv, NULL, hs_kbuild_first_line, &have);
	if (status) {
		hs_err(kb->ctx, "the target kernel was built with '%s' but '%s' cannot be run here",
		       kb->cc_text, kb->cc);
		return -ENOENT;
	}
	if (strcmp(have.text, kb->cc_text)) {
		hs_err(kb->ctx, "the target kernel was built with '%s' but '%s' here is '%s'",
		       kb->cc_text, kb->cc, have.text);
		return -HS_EMISMATCH;
	}
	return 0;
}

/* Key: source identity (path, its Makefile), the .config, the compiler. */
static void compute_key(struct hs_kbuild *kb)
{
	char *mk = hs_strdupf("%s/Makefile", kb->source);
	struct stat st = { 0 };
	uint64_t h = HS_HASH_INIT;

	if (mk)
		stat(mk, &st);
	free(mk);
	h = hs_hash64(h, TREE_FORMAT, sizeof(TREE_FORMAT));
	h = hs_hash64(h, kb->source, strlen(kb->source) + 1);
	h = hs_hash64(h, &st.st_ino, sizeof(st.st_ino));
	h = hs_hash64(h, &st.st_size, sizeof(st.st_size));
	h = hs_hash64(h, &st.st_mtim.tv_sec, sizeof(st.st_mtim.tv_sec));
	h = hs_hash64(h, kb->config, strlen(kb->config) + 1);
	h = hs_hash64(h, kb->cc_text, strlen(kb->cc_text) + 1);
	snprintf(kb->key, sizeof(kb->key), "%016llx", (unsigned long long)h);
}

static int read_release(struct hs_kbuild *kb)
{
	char *path = hs_strdupf("%s/include/config/kernel.release", kb->headers);
	char *text;
	int err;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(NULL, path, &text, NULL);
	free(path);
	if (err) {
		kb->release = strdup("unknown");
		return kb->release ? 0 : -ENOMEM;
	}
	text[strcspn(text, "\n")] = 0;
	kb->release = text;
	return 0;
}

int hs_kbuild_open(const struct hs_ctx *ctx, const char *source, const char *headers,
		   struct hs_kbuild *kb)
{
	char *pv, *cfg;
	int err;

	memset(kb, 0, sizeof(*kb));
	kb->ctx = ctx;
	kb->jobs = 2;
	kb->max_header_users = HS_KBUILD_HEADER_USERS;
	kb->source = realpath(source, NULL);
	if (!kb->source) {
		err = -errno;
		hs_err(ctx, "'%s': %s", source, strerror(errno));
		return err;
	}
	kb->headers = realpath(headers, NULL);
	if (!kb->headers) {
		err = -errno;
		hs_err(ctx, "'%s': %s", headers, strerror(errno));
		return err;
	}
	err = check_file(ctx, kb->source, "Makefile", "not a kernel source tree");
	err = err ?: check_file(ctx, kb->source, "scripts/Makefile.build", "not a kernel source tree");
	err = err ?: check_file(ctx, kb->headers, ".config", "not a kbuild headers directory");
	err = err ?: check_file(ctx, kb->headers, "Module.symvers",
				"the module builder needs the target's Module.symvers");
	if (!err) {
		cfg = hs_strdupf("%s/.config", kb->source);
		if (!cfg)
			err = -ENOMEM;
		else if (!access(cfg, F_OK)) {
			hs_err(ctx, "'%s': the source tree is configured; give an unconfigured "
			       "tree (kbuild refuses out-of-tree builds from it)", cfg);
			err = -EINVAL;
		}
		free(cfg);
	}
	cfg = hs_strdupf("%s/.config", kb->headers);
	err = err ?: cfg ? hs_read_file(ctx, cfg, &kb->config, NULL) : -ENOMEM;
	free(cfg);
	err = err ?: check_compiler(kb);
	err = err ?: hs_cache_dir(ctx, &kb->cache);
	err = err ?: read_release(kb);
	if (err)
		return err;
	pv = hs_kbuild_config_value(kb->config, "PAHOLE_VERSION");
	kb->pahole = pv ? strtol(pv, NULL, 10) : 0;
	free(pv);
	compute_key(kb);
	return 0;
}

void hs_kbuild_close(struct hs_kbuild *kb)
{
	free(kb->source);
	free(kb->headers);
	free(kb->cache);
	free(kb->config);
	free(kb->cc);
	free(kb->cc_text);
	free(kb->release);
	free(kb->tree);
	free(kb->try_run);
	hs_kbuild_priv_free(kb);
	memset(kb, 0, sizeof(*kb));
}

void hs_kbuild_out_line(void *arg, const char *line)
{
	struct hs_kbuild_out *out = arg;
	double now = hs_now();

	snprintf(out->tail[out->ntail++ % 16], sizeof(out->tail[0]), "%s", line);
	hs_buildlog_add(&out->why, line);
	hs_debug(out->ctx, "%s: %s", out->what, line);
	if (out->progress && now - out->last >= 3.0) {
		out->last = now;
		hs_info(out->ctx, "  %s: %s", out->what, line);
	}
}

void hs_kbuild_out_dump(const struct hs_kbuild_out *out)
{
	size_t first = out->ntail > 16 ? out->ntail - 16 : 0;

	for (size_t i = 0; i < out->why.n; i++)
		hs_err(out->ctx, "%s: %s", out->what, out->why.line[i]);
	if (out->why.n)
		return;
	for (size_t i = first; i < out->ntail; i++)
		hs_err(out->ctx, "%s: %s", out->what, out->tail[i % 16]);
}

/*
 * kconfig computes CONFIG_PAHOLE_VERSION by running $(PAHOLE). Without the
 * target's pahole here, syncconfig would drop the BTF options: a shim
 * that reports the target's version keeps the .config identical. Nothing
 * else runs pahole when single objects are compiled.
 */
char *hs_kbuild_tool(struct hs_kbuild *kb, const char *name, const char *text, mode_t mode)
{
	char *dir = hs_strdupf("%s/trees/tools", kb->cache);
	char *path = hs_strdupf("%s/%s", dir ? dir : "", name);
	int err = !dir || !path ? -ENOMEM : 0;

	if (!err && access(path, R_OK)) {
		err = hs_mkdir_p(kb->ctx, dir) ?: hs_write_file_atomic(kb->ctx, path, text, strlen(text));
		if (!err && chmod(path, mode))
			err = -errno;
	}
	free(dir);
	if (err) {
		free(path);
		return NULL;
	}
	return path;
}

static char *pahole_shim(struct hs_kbuild *kb)
{
	char *name = hs_strdupf("pahole-%ld", kb->pahole);
	char *text = hs_strdupf("#!/bin/sh\n# hotsplice: report the target kernel's pahole version\n"
				"echo v%ld.%ld\n", kb->pahole / 100, kb->pahole % 100);
	char *path = name && text ? hs_kbuild_tool(kb, name, text, 0755) : NULL;

	free(name);
	free(text);
	return path;
}

int hs_kbuild_make(struct hs_kbuild *kb, const char *objtree, const char *const extra[],
		   hs_line_fn line, void *arg)
{
	const char *const lead[] = { "-C", kb->source, NULL };

	return hs_kbuild_make_in(kb, lead, objtree, extra, line, arg);
}

int hs_kbuild_make_in(struct hs_kbuild *kb, const char *const lead[], const char *objtree,
		      const char *const extra[], hs_line_fn line, void *arg)
{
	char *o = hs_strdupf("O=%s", objtree), *cc = hs_strdupf("CC=%s", kb->cc);
	char *hostcc = hs_strdupf("HOSTCC=%s", kb->cc);	/* the host tools too: no plain 'gcc' */
	char *shim = kb->pahole ? pahole_shim(kb) : NULL;
	char *pahole = shim ? hs_strdupf("PAHOLE=%s", shim) : NULL;
	const char *try_run = hs_kbuild_try_run(kb);
	size_t n = 0, nextra = 0, nlead = 0;
	int status = -ENOMEM;
	char **argv;

	while (extra[nextra])
		nextra++;
	while (lead[nlead])
		nlead++;
	argv = calloc(nlead + nextra + 8, sizeof(*argv));
	if (!argv || !o || !cc || !hostcc || (kb->pahole && !pahole))
		goto out_free;
	argv[n++] = "make";
	for (size_t i = 0; i < nlead; i++)
		argv[n++] = (char *)lead[i];
	argv[n++] = o;
	argv[n++] = cc;
	argv[n++] = hostcc;
	if (pahole)
		argv[n++] = pahole;
	if (try_run)
		argv[n++] = (char *)try_run;
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = (char *)extra[i];
	status = hs_spawn_run(kb->ctx, argv, NULL, line, arg);
out_free:
	free(argv);
	free(o);
	free(cc);
	free(hostcc);
	free(shim);
	free(pahole);
	return status;
}

/*
 * A line that says what the build machine's Rust toolchain is (6.12's
 * CONFIG_RUSTC_*, found by Kconfig) in a kernel built without Rust:
 * no C object depends on it.
 */
static bool rust_probe(const struct hs_kbuild *kb, const char *line)
{
	char *rust;
	bool off;

	if (strncmp(line, "CONFIG_RUSTC_", 13))
		return false;
	rust = hs_kbuild_config_value(kb->config, "RUST");
	off = !rust || strcmp(rust, "y");
	free(rust);
	return off;
}

/* Are the @len bytes at @line a whole line of @text? */
static bool has_line(const char *text, const char *line, size_t len)
{
	const char *end = text + strlen(text);

	for (const char *p = text; (p = memmem(p, (size_t)(end - p), line, len)); p++)
		if ((p == text || p[-1] == '\n') && (!p[len] || p[len] == '\n'))
			return true;
	return false;
}

/*
 * Warn about each CONFIG_ line of @from that @in lacks (an option set in
 * one and not, or otherwise, in the other; @whose names @from); counted in
 * *@ndiff.
 */
static void missing_lines(struct hs_kbuild *kb, const char *from, const char *in,
			  const char *whose, int *ndiff)
{
	for (const char *s = from; *s; ) {
		size_t len = strcspn(s, "\n");
		bool missing = !strncmp(s, "CONFIG_", 7) && !has_line(in, s, len);

		if (missing && rust_probe(kb, s))
			hs_debug(kb->ctx, "prepared tree: %s '%.*s' differs (Rust toolchain, kernel without Rust)", whose, (int)len, s);
		else if (missing && (*ndiff)++ < 10)
			hs_warn(kb->ctx, "prepared tree: %s '%.*s' is not in the other .config", whose, (int)len, s);
		s += len + (s[len] == '\n');
	}
}

/*
 * Warn about every option Kconfig set otherwise than the target's .config
 * (set there and not here, or the other way, or to another value): objects
 * may then differ.
 */
static int compare_config(struct hs_kbuild *kb, const char *dir)
{
	char *path = hs_strdupf("%s/.config", dir), *ours;
	int err, ndiff = 0;

	if (!path)
		return -ENOMEM;
	err = hs_read_file(kb->ctx, path, &ours, NULL);
	free(path);
	if (!err) {
		missing_lines(kb, ours, kb->config, "the tree's", &ndiff);
		missing_lines(kb, kb->config, ours, "the target's", &ndiff);
		free(ours);
	}
	if (ndiff)
		hs_warn(kb->ctx, "prepared tree: %d option line(s) differ from '%s/.config': "
			"objects may not match the running kernel", ndiff, kb->headers);
	return err;
}

/*
 * "make -C <dir> -f <source>/Makefile O=<dir> @extra": make runs in the
 * tree itself, so the top Makefile does not start a make again there (one
 * that would not get "-o", which make passes to no sub-make).
 */
static int run_step(struct hs_kbuild *kb, const char *dir, const char *const extra[],
		    const char *what)
{
	struct hs_kbuild_out out = { .ctx = kb->ctx, .what = what, .progress = !kb->quiet,
				     .last = hs_now() };
	char *top = hs_strdupf("%s/Makefile", kb->source);
	const char *const lead[] = { "--no-print-directory", "-C", dir, "-f", top, NULL };
	int status = top ? hs_kbuild_make_in(kb, lead, dir, extra, hs_kbuild_out_line, &out)
			 : -ENOMEM;

	free(top);

	if (status > 0) {
		hs_kbuild_out_dump(&out);
		hs_err(kb->ctx, "'%s': make %s failed (exit status %d)", kb->source, what, status);
		return -EIO;
	}
	return status;
}

/*
 * syncconfig and prepare into @dir, which holds nothing else yet. One pass
 * of Kconfig (with its ~60 compiler probes), not two: olddefconfig writes
 * the .config only, and prepare then ran syncconfig for include/config/
 * and autoconf.h; syncconfig alone gives the same .config (a symbol new to
 * it takes its default, as with olddefconfig) and writes those. Not
 * resolve_btfids (prepare makes it, with its copy of libbpf, for a kernel
 * with BTF): only linking vmlinux and the BTF of modules run it, and
 * objects are all the tree makes (the livepatch module is built against
 * the headers package, without BTF). Still objtool: object commands run it.
 */
static int build_tree(struct hs_kbuild *kb, const char *dir)
{
	const char *const defconfig[] = { "-s", "syncconfig", NULL };
	char jobs[16], *cfg = hs_strdupf("%s/.config", dir);
	const char *const prepare[] = { jobs, "-o", "tools/bpf/resolve_btfids", "prepare", NULL };
	int err;

	snprintf(jobs, sizeof(jobs), "-j%d", kb->jobs > 0 ? kb->jobs : 1);
	err = cfg ? hs_mkdir_p(kb->ctx, dir) : -ENOMEM;
	err = err ?: hs_write_file_atomic(kb->ctx, cfg, kb->config, strlen(kb->config));
	err = err ?: run_step(kb, dir, defconfig, "syncconfig");
	err = err ?: compare_config(kb, dir);
	err = err ?: run_step(kb, dir, prepare, "prepare");
	free(cfg);
	return err;
}

int hs_kbuild_lock_tree(struct hs_kbuild *kb)
{
	char *lock = hs_strdupf("%s/trees/%s.lock", kb->cache, kb->key);
	int fd = lock ? hs_lock(kb->ctx, lock) : -ENOMEM;

	free(lock);
	return fd;
}

int hs_kbuild_prepare(struct hs_kbuild *kb)
{
	char *trees = hs_strdupf("%s/trees", kb->cache);
	char *tmp = hs_strdupf("%s/trees/.tmp-%s", kb->cache, kb->key);
	char *mark = NULL;
	int fd = -1, err;

	kb->tree = hs_strdupf("%s/trees/%s", kb->cache, kb->key);
	mark = hs_strdupf("%s/.hotsplice-complete", tmp ? tmp : "");
	err = trees && tmp && kb->tree && mark ? hs_mkdir_p(kb->ctx, trees) : -ENOMEM;
	if (!err) {
		fd = hs_kbuild_lock_tree(kb);
		err = fd < 0 ? fd : 0;
	}
	if (!err && access(kb->tree, F_OK)) {
		hs_info(kb->ctx, "preparing tree '%s' (make syncconfig prepare, %s)", kb->tree,
			kb->cc);
		hs_rm_rf(tmp);
		err = build_tree(kb, tmp);
		err = err ?: hs_write_file_atomic(kb->ctx, mark, kb->cc_text, strlen(kb->cc_text));
		if (!err && rename(tmp, kb->tree)) {
			err = -errno;
			hs_err(kb->ctx, "cannot rename '%s' to '%s': %s", tmp, kb->tree, strerror(errno));
		}
	} else if (!err) {
		hs_info(kb->ctx, "prepared tree '%s' (cached)", kb->tree);
	}
	hs_unlock(fd);
	free(trees);
	free(tmp);
	free(mark);
	return err;
}
