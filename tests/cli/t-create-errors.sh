# SPDX-License-Identifier: GPL-2.0
# create's errors before it builds anything, on a fake source tree and headers
# (enough for the checks that come first): a missing patch, a malformed patch, a
# patch that does not apply, a bad id, missing or configured trees, a compiler
# other than the kernel's (refused, 4), and --kernel of a version that is not
# in the cache (named with the command that fetches it), a bad --max-header-files, a $TMPDIR where no work
# directory can be made.
# Needs gcc-12.
export HOTSPLICE_CACHE=$PWD/cache HOTSPLICE_STATE=$PWD/state
mkdir -p src/scripts src/kernel hdr other &&
echo 'all:' > src/Makefile && : > src/scripts/Makefile.build &&
printf 'int t(void)\n{\n\treturn 1;\n}\n' > src/kernel/t.c &&
printf 'CONFIG_CC_VERSION_TEXT="%s"\n' "$(gcc-12 --version | head -1)" > hdr/.config &&
: > hdr/Module.symvers &&
printf 'CONFIG_CC_VERSION_TEXT="gcc-12 (Other) 99.0"\n' > other/.config &&
: > other/Module.symvers &&
test_exit_code 1 $HS create --patch nope.patch --source src --headers hdr 2> a.err &&
test_grep "^error: cannot open 'nope.patch': No such file or directory" a.err &&
echo 'not a patch' > garbage.patch &&
test_exit_code 1 $HS create --patch garbage.patch --source src --headers hdr 2> b.err &&
test_grep "'garbage.patch': malformed patch: no file changes found" b.err &&
printf 'diff --git a/kernel/t.c b/kernel/t.c\n--- a/kernel/t.c\n+++ b/kernel/t.c\n@@ -3 +3 @@\n-\treturn 2;\n+\treturn 3;\n' > stale.patch &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr 2> c.err &&
test_grep "'stale.patch': file 'kernel/t.c': hunk #1 does not apply" c.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr --id 'no spaces' 2> d.err &&
test_grep "'no spaces' is not a valid update id" d.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr --effective-version '6.1 2' 2> d2.err &&
test_grep "^error: --effective-version '6.1 2': must be one word" d2.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr --effective-version "$(printf '6.1\n2')" 2> d3.err &&
test_grep "must be one word of at most 255 printable characters" d3.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr --description "$(printf 'two\nlines')" 2> d4.err &&
test_grep "^error: --description: must be one line" d4.err &&
test_exit_code 1 $HS create --patch stale.patch --source nosrc --headers hdr 2> e.err &&
test_grep "^error: 'nosrc': " e.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers nohdr 2> f.err &&
test_grep "^error: 'nohdr': No such file or directory" f.err &&
test_exit_code 1 $HS create --patch stale.patch --source hdr --headers hdr 2> g.err &&
test_grep "Makefile': No such file or directory: not a kernel source tree" g.err &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers src 2> h.err &&
test_grep "/src/.config': No such file or directory: not a kbuild headers directory" h.err &&
touch src/.config &&
test_exit_code 1 $HS create --patch stale.patch --source src --headers hdr 2> i.err &&
test_grep "the source tree is configured" i.err && rm src/.config &&
test_exit_code 4 $HS create --patch stale.patch --source src --headers other 2> j.err &&
test_grep "the target kernel was built with 'gcc-12 \(Other\) 99.0' but 'gcc-12' here is 'gcc-12 " j.err &&
printf 'diff --git a/kernel/t.c b/kernel/t.c\n--- a/kernel/t.c\n+++ b/kernel/t.c\n@@ -3 +3 @@\n-\treturn 1;\n+\treturn 3;\n' > good.patch &&
mkdir -p hdr/include/generated &&
echo '#define UTS_RELEASE "5.10.0-30-amd64"' > hdr/include/generated/utsrelease.h &&
echo CONFIG_X86_64=y >> hdr/.config &&
test_exit_code 4 $HS create --patch good.patch --source src --headers hdr 2> o.err &&
test_grep "^error: kernel release '5.10.0-30-amd64': hotsplice knows no facts about Linux 5.10 .*supported series: 6.1, 6.12" o.err &&
echo '#define UTS_RELEASE "6.1.0-55-arm64"' > hdr/include/generated/utsrelease.h &&
sed -i 's/^CONFIG_X86_64=y$/CONFIG_ARM64=y/' hdr/.config &&
test_exit_code 4 $HS create --patch good.patch --source src --headers hdr 2> p.err &&
test_grep "^error: '.*hdr/.config': not an x86_64 kernel \(CONFIG_X86_64 is not set\)" p.err &&
sed -i 's/^CONFIG_ARM64=y$/CONFIG_X86_64=y/' hdr/.config &&
test_exit_code 4 $HS create --patch good.patch --source src --headers hdr 2> q.err &&
test_grep "^error: '.*hdr/.config': CONFIG_LIVEPATCH is not set: this kernel cannot be live-patched" q.err &&
test_must_fail test -e hotsplice-*.hsu &&
test_exit_code 1 env TMPDIR=$PWD/no-such-tmp $HS create --patch good.patch --source src --headers hdr 2> t.err &&
test_grep "^error: cannot create a temporary directory under '$PWD/no-such-tmp' \(\\\$TMPDIR, or /tmp\): No such file or directory$" t.err &&
test_exit_code 1 $HS create --patch stale.patch --kernel 6.1.0-99 2> k.err &&
test_grep "^error: kernel '6.1.0-99' is not in the cache '$PWD/cache': run 'scripts/fetch-kernel 6.1.0-99'$" k.err &&
test_exit_code 1 $HS create --patch nope.patch --kernel 6.1.0-99 --dry-run 2> l.err &&
test_grep "run 'scripts/fetch-kernel 6.1.0-99'" l.err &&
test_exit_code 1 $HS build-objects --patch stale.patch --kernel 6.1.0-99 -o objs 2> m.err &&
test_grep "run 'scripts/fetch-kernel 6.1.0-99'" m.err &&
test_exit_code 1 env -u HOTSPLICE_CACHE HOME= $HS create --patch stale.patch --kernel 6.1.0-99 2> n.err &&
test_grep 'neither \$HOTSPLICE_CACHE nor \$HOME is set' n.err &&
test_exit_code 2 $HS create --patch stale.patch --kernel 6.1.0-99 --max-header-files 0 2> o.err &&
test_grep "^error: --max-header-files: '0' is not a positive count" o.err &&
test_exit_code 2 $HS create --patch stale.patch --kernel 6.1.0-99 --max-header-files 5x 2> p.err &&
test_grep "'5x' is not a positive count" p.err &&
test ! -e cache && test ! -e state && ! ls hotsplice-*.hsu > /dev/null 2>&1
