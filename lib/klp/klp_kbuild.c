// SPDX-License-Identifier: GPL-2.0
/* klp_kbuild.c - generate the livepatch glue, link the module with kbuild, run all stages. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build/buildlog.h"
#include "core/cache.h"
#include "core/strv.h"
#include "elf/elf.h"
#include "klp/klp.h"

static int check_opts(const struct hs_ctx *ctx, const struct hs_klp_opts *o)
{
	if (!hs_name_valid(o->modname, "") || strlen(o->modname) > 55) {
		hs_err(ctx, "'%s': module name must be 1-55 characters of [A-Za-z0-9_]",
		       o->modname ? o->modname : "");
		return -EINVAL;
	}
	if (!hs_name_valid(o->objname, "-")) {
		hs_err(ctx, "'%s': not a klp object name (vmlinux or a module name)",
		       o->objname ? o->objname : "");
		return -EINVAL;
	}
	for (size_t i = 0; i < o->nfuncs; i++) {
		const char *old = o->funcs[i].old_name ? o->funcs[i].old_name : o->funcs[i].name;

		if (!hs_name_valid(o->funcs[i].name, ".$") || !hs_name_valid(old, ".$")) {
			hs_err(ctx, "'%s': not a function name", o->funcs[i].name ? o->funcs[i].name : "");
			return -EINVAL;
		}
	}
	return 0;
}

static const char *func_obj(const struct hs_klp_opts *o, size_t i)
{
	return o->funcs[i].objname ? o->funcs[i].objname : o->objname;
}

/* Is function @i the first of its klp object? */
static bool first_of_obj(const struct hs_klp_opts *o, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (!strcmp(func_obj(o, k), func_obj(o, i)))
			return false;
	return true;
}

/*
 * One klp_func array and one klp_object per object, in the order objects first
 * appear; each klp_func carries the position create decided (old_sympos).
 */
static void write_funcs(FILE *f, const struct hs_klp_opts *o)
{
	size_t nobj = 0;

	for (size_t i = 0; i < o->nfuncs; i++)
		fprintf(f, "void __hotsplice_func_%zu(void);\n", i);
	for (size_t i = 0; i < o->nfuncs; i++) {
		if (!first_of_obj(o, i))
			continue;
		fprintf(f, "\nstatic struct klp_func hs_funcs%zu[] = {\n", nobj++);
		for (size_t k = i; k < o->nfuncs; k++)
			if (!strcmp(func_obj(o, k), func_obj(o, i)))
				fprintf(f, "\t{\n\t\t.old_name = \"%s\",\n"
					   "\t\t.new_func = __hotsplice_func_%zu,\n"
					   "\t\t.old_sympos = %lu,\n\t},\n",
					o->funcs[k].old_name ? o->funcs[k].old_name : o->funcs[k].name,
					k, o->funcs[k].sympos);
		fprintf(f, "\t{ }\n};\n");
	}
	fprintf(f, "\nstatic struct klp_object hs_objs[] = {\n");
	nobj = 0;
	for (size_t i = 0; i < o->nfuncs; i++) {
		const char *obj = func_obj(o, i);
		bool vmlinux = !strcmp(obj, "vmlinux");

		if (first_of_obj(o, i))
			fprintf(f, "\t{\n\t\t.name = %s%s%s,\n\t\t.funcs = hs_funcs%zu,\n\t},\n",
				vmlinux ? "" : "\"", vmlinux ? "NULL" : obj, vmlinux ? "" : "\"",
				nobj++);
	}
	fprintf(f, "\t{ }\n};\n\n");
}

/* "<modname>_code.EXT", or "<modname>_code<k>.EXT" in a multi-unit build. */
static const char *code_name(const struct hs_klp_opts *o, size_t k, const char *ext,
			     char *buf, size_t size)
{
	if (o->ncode)
		snprintf(buf, size, "%s_code%zu.%s", o->modname, k, ext);
	else
		snprintf(buf, size, "%s_code.%s", o->modname, ext);
	return buf;
}

/*
 * MODULE_INFO(import_ns, ...) for a namespace of an exported symbol the code
 * objects use (EXPORT_SYMBOL_NS, e.g. DMA_BUF): modpost and the module loader
 * refuse a module that uses one without importing it. Each namespace once.
 */
static int write_import(const struct hs_ctx *ctx, const char *path, const char *sym,
			const char *ns, const char **seen, size_t *nseen, size_t max, FILE *f)
{
	size_t s = 0;

	while (s < *nseen && strcmp(seen[s], ns))
		s++;
	if (s < *nseen)
		return 0;
	if (*nseen == max || !hs_name_valid(ns, "")) {
		hs_err(ctx, "'%s': symbol '%s': cannot import namespace '%s'", path, sym, ns);
		return -HS_EREFUSED;
	}
	seen[(*nseen)++] = ns;
	fprintf(f, "MODULE_INFO(import_ns, \"%s\");\n", ns);
	return 0;
}

/*
 * A static call's trampoline __SCT__X that the code calls by name: when its
 * key __SCK__X is exported too, name the key. objtool, run on the linked
 * module (6.12: X86_KERNEL_IBT delays it there), writes the module's
 * .static_call_sites with the key it finds named in the object, else with
 * the trampoline, which the kernel maps back to a key only for trampolines
 * exported alone (EXPORT_STATIC_CALL_TRAMP): a tracepoint's call
 * (EXPORT_TRACEPOINT_SYMBOL exports key and trampoline) was refused at load
 * ("Failed to fixup __raw_static_call() usage"). The reference sits in
 * .discard.addressable, as the kernel's own static_call() puts it, and
 * module.lds drops it from the .ko.
 */
static void write_key(const struct hs_klp_symvers *sv, const char *sym, size_t n, FILE *f)
{
	char key[512];

	if (strncmp(sym, "__SCT__", 7) || strlen(sym) >= sizeof(key))
		return;
	snprintf(key, sizeof(key), "__SCK__%s", sym + 7);
	if (!hs_klp_symvers_find(sv, key) || !hs_name_valid(key, ""))
		return;
	fprintf(f, "extern struct static_call_key %s;\n"
		   "static void *__hs_key%zu __used __section(\".discard.addressable\") = &%s;\n",
		key, n, key);
}

/* What the glue declares for the code objects' undefined symbols (above). */
static int write_undefined(const struct hs_ctx *ctx, const struct hs_klp_opts *o,
			   const char *dir, FILE *f)
{
	const char *seen[64];
	size_t nseen = 0, nkeys = 0;
	char path[4096], name[512];
	int err = 0;

	for (size_t k = 0; o->symvers && k < (o->ncode ? o->ncode : 1) && !err; k++) {
		struct hs_elf e;

		snprintf(path, sizeof(path), "%s/%s", dir, code_name(o, k, "o_shipped", name, sizeof(name)));
		err = hs_elf_open(ctx, path, &e);
		if (err)
			break;
		for (size_t i = 1; !err && i < e.nsyms; i++) {
			const char *sym = e.syms[i].name, *ns;

			if (e.syms[i].sym.st_shndx != SHN_UNDEF || !sym[0])
				continue;
			ns = hs_klp_symvers_ns(o->symvers, sym);
			if (ns)
				err = write_import(ctx, path, sym, ns, seen, &nseen,
						   sizeof(seen) / sizeof(seen[0]), f);
			write_key(o->symvers, sym, nkeys++, f);
		}
		hs_elf_close(&e);
	}
	return err;
}

static int write_glue(const struct hs_ctx *ctx, const struct hs_klp_opts *o, const char *dir)
{
	char path[4096], path2[512];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/%s_glue.c", dir, o->modname);
	f = fopen(path, "we");
	if (!f)
		goto out_err;
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0\n"
		   "/* Generated by hotsplice: the livepatch registration of %s. */\n"
		   "#include <linux/kernel.h>\n#include <linux/module.h>\n"
		   "#include <linux/livepatch.h>\n#include <linux/static_call_types.h>\n\n",
		o->modname);
	write_funcs(f, o);
	err = write_undefined(ctx, o, dir, f);
	if (err) {
		fclose(f);
		return err;
	}
	fprintf(f, "static struct klp_patch hs_patch = {\n\t.mod = THIS_MODULE,\n"
		   "\t.objs = hs_objs,\n};\n\n"
		   "/*\n * A cumulative update takes the place of every other livepatch in one\n"
		   " * transition (atomic replace); undo loads its earlier updates under it\n"
		   " * again with replace=0.\n */\n"
		   "static bool replace = %s;\n"
		   "module_param(replace, bool, 0400);\n"
		   "MODULE_PARM_DESC(replace, \"replace every other livepatch (cumulative update)\");\n\n"
		   "static int __init hs_init(void)\n{\n"
		   "\ths_patch.replace = replace;\n"
		   "\treturn klp_enable_patch(&hs_patch);\n}\n\n"
		   "static void __exit hs_exit(void)\n{\n}\n\n"
		   "module_init(hs_init);\nmodule_exit(hs_exit);\n"
		   "MODULE_LICENSE(\"GPL\");\nMODULE_INFO(livepatch, \"Y\");\n"
		   "MODULE_DESCRIPTION(\"hotsplice live update %s\");\n",
		o->replace ? "true" : "false", o->modname);
	if (fclose(f))
		goto out_err;
	snprintf(path, sizeof(path), "%s/Kbuild", dir);
	f = fopen(path, "we");
	if (!f)
		goto out_err;
	fprintf(f, "# SPDX-License-Identifier: GPL-2.0\n# Generated by hotsplice.\n"
		   "obj-m := %s.o\n%s-y := %s_glue.o", o->modname, o->modname, o->modname);
	for (size_t k = 0; k < (o->ncode ? o->ncode : 1); k++)
		fprintf(f, " %s", code_name(o, k, "o", path2, sizeof(path2)));
	fprintf(f, "\n");
	if (fclose(f))
		goto out_err;
	/* modpost reads each object's .cmd file for symbol CRCs: the code exports nothing */
	for (size_t k = 0; k < (o->ncode ? o->ncode : 1); k++) {
		snprintf(path, sizeof(path), "%s/.%s.cmd", dir,
			 code_name(o, k, "o", path2, sizeof(path2)));
		f = fopen(path, "we");
		if (!f)
			goto out_err;
		fprintf(f, "# prebuilt by hotsplice: exports no symbols\n");
		if (fclose(f))
			goto out_err;
	}
	return 0;
out_err:
	err = errno;
	hs_err(ctx, "cannot write '%s': %s", path, strerror(err));
	return -err;
}

/* Log the lines of kbuild's output in @log that say why it failed. */
static void log_why(const struct hs_ctx *ctx, const char *log)
{
	char *text;

	if (hs_read_file(ctx, log, &text, NULL))
		return;
	hs_err(ctx, "kbuild output ('%s'):", log);
	hs_buildlog_report(ctx, "  ", text, NULL, 16);
	free(text);
}

static int run_make(const struct hs_ctx *ctx, const struct hs_klp_opts *o, const char *dir)
{
	char mflag[4096], ccflag[256], log[4096];
	int status, fd;
	pid_t pid;

	snprintf(mflag, sizeof(mflag), "M=%s", dir);
	snprintf(ccflag, sizeof(ccflag), "CC=%s", o->cc ? o->cc : "gcc-12");
	snprintf(log, sizeof(log), "%s/kbuild.log", dir);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		/*
		 * No BTF for the module: 6.12's headers ship a vmlinux to base it
		 * on, but pahole is not needed to load or to live-patch
		 */
		char *argv[] = { "make", "-C", (char *)o->headers, mflag, ccflag,
				 "KBUILD_MODPOST_WARN=1", "CONFIG_DEBUG_INFO_BTF_MODULES=",
				 "modules", (char *)o->make_var, NULL };

		dup2(fd, 1);
		dup2(fd, 2);
		execvp("make", argv);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	hs_err(ctx, "'%s': kbuild failed to build module '%s'", o->headers, o->modname);
	log_why(ctx, log);
	return -EIO;
}

int hs_klp_kbuild(const struct hs_ctx *ctx, const struct hs_klp_opts *o, const char *dir)
{
	int err = check_opts(ctx, o);

	err = err ?: write_glue(ctx, o, dir);
	err = err ?: run_make(ctx, o, dir);
	return err;
}

/* Extract each unit into its own code object, then link them with one glue. */
static int build_in(const struct hs_ctx *ctx, const struct hs_klp_opts *units, size_t n,
		    const char *dir, const struct hs_klp_symvers *sv,
		    const struct hs_kfacts *facts)
{
	struct hs_klp_opts merged = units[0];

	struct hs_klp_func *funcs = NULL;
	char code[4096], name[512], ko[4096];
	size_t base = 0;
	int err = 0, refused = 0;

	for (size_t k = 0; k < n; k++)
		merged.nfuncs = (k ? merged.nfuncs : 0) + units[k].nfuncs;
	funcs = calloc(merged.nfuncs + 1, sizeof(*funcs));
	if (!funcs)
		return -ENOMEM;
	merged.funcs = funcs;
	merged.ncode = n > 1 ? n : 0;
	merged.symvers = sv;
	for (size_t k = 0; k < n && !err; k++) {
		struct hs_klp_opts u = units[k];

		u.facts = facts;
		u.func_base = base;
		u.ncode = merged.ncode;
		u.units = units;	/* new globals of one unit link to the others' calls */
		u.nunits = n;
		memcpy(funcs + base, u.funcs, u.nfuncs * sizeof(*funcs));
		for (size_t i = base; i < base + u.nfuncs; i++)
			funcs[i].objname = u.objname;
		base += u.nfuncs;
		if (snprintf(code, sizeof(code), "%s/%s", dir,
			     code_name(&u, k, "o_shipped", name, sizeof(name))) >= (int)sizeof(code))
			err = -ENAMETOOLONG;
		err = err ?: hs_klp_extract(ctx, &u, sv, code);
		if (err == -HS_EREFUSED) {
			/* the other units' refusals are reported too: a release takes them all out */
			if (u.via)
				hs_err(ctx, "'%s': in the update for the patched %s '%s'",
				       u.post, hs_names_noun(u.via, "header", "headers"), u.via);
			refused = err;
			err = 0;
		}
	}
	err = err ?: refused;
	if (!err && snprintf(ko, sizeof(ko), "%s/%s.ko", dir, merged.modname) >= (int)sizeof(ko))
		err = -ENAMETOOLONG;
	err = err ?: hs_klp_kbuild(ctx, &merged, dir);
	err = err ?: hs_klp_finalize(ctx, ko, merged.out);
	free(funcs);
	return err;
}

int hs_klp_build(const struct hs_ctx *ctx, const struct hs_klp_opts *o)
{
	return hs_klp_build_units(ctx, o, 1);
}

int hs_klp_build_units(const struct hs_ctx *ctx, const struct hs_klp_opts *units, size_t n)
{
	const struct hs_klp_opts *o = units;
	const struct hs_kfacts *facts = o->facts;
	char symvers[4096], absdir[4096], *tmp = NULL;
	const char *dir = o->workdir;
	struct hs_klp_symvers sv;
	int err = check_opts(ctx, o);

	if (err)
		return err;
	snprintf(symvers, sizeof(symvers), "%s/Module.symvers", o->headers);
	err = hs_klp_symvers_load(ctx, symvers, &sv);
	if (err)
		return err;
	if (!dir && !(dir = tmp = hs_mkdtemp("klp"))) {
		err = hs_tmpdir_err(ctx);
	} else if (o->workdir && mkdir(dir, 0755) && errno != EEXIST) {
		err = -errno;
		hs_err(ctx, "cannot create '%s': %s", dir, strerror(errno));
	} else if (!realpath(dir, absdir)) {
		err = -errno;
	}
	for (size_t k = 1; k < n && !err; k++)
		err = check_opts(ctx, &units[k]);
	if (!err && !facts)
		err = hs_kfacts_for_headers(ctx, o->headers, &facts);
	err = err ?: build_in(ctx, units, n, absdir, &sv, facts);
	if (!o->workdir && dir)
		hs_tmpdir_remove(dir);
	free(tmp);
	hs_klp_symvers_free(&sv);
	return err;
}
