# SPDX-License-Identifier: GPL-2.0
# show and check on hostile packages: digests all correct, but MANIFEST values
# crafted to escape into paths, module parameters or the state's lines, more
# entries or bytes than any package has, a member that is no file. Each is
# refused with exit 1 naming the package and the reason, never a crash, and no
# state is created. (Crafted ELF members are refused on a real kernel by the
# guest scenario apply-refuse-hostile, and fuzzed by fuzz/run.)
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run
# hostile NAME [LINE...]: package NAME.hsu whose MANIFEST has the extra LINEs
# (a later 'module'/'effective-version'/... line replaces the earlier value)
hostile() {
	local name=$1 f
	shift
	test_manifest 'hostile input' &&
	(cd p && { for f in "$@"; do printf '%s\n' "$f"; done >> MANIFEST; } &&
	 tar --format=ustar -cf "../$name.hsu" MANIFEST hs_t1.ko patch.diff pre/kernel/t.o)
}
# refused NAME PATTERN: show and check exit 1 naming NAME.hsu and PATTERN
refused() {
	for verb in show check; do
		rc=0 && $HS $verb "$1.hsu" > "$1.out" 2> "$1.err" || rc=$?
		[ "$rc" = 1 ] || { echo "FAIL: $verb $1.hsu exited $rc"; cat "$1.err"; return 1; }
		test_grep "'$1.hsu'" "$1.err" && test_grep "$2" "$1.err" && test ! -s "$1.out" || return 1
	done
}
mkdir -p p/pre/kernel &&
printf 'not really a module\n' > p/hs_t1.ko &&
printf -- '--- a/kernel/t.c\n+++ b/kernel/t.c\n' > p/patch.diff &&
head -c 300 /dev/urandom > p/pre/kernel/t.o &&
hostile good && $HS show good.hsu > good.out &&
hostile path 'module ../../../../tmp/x' && refused path "invalid module name '../../../../tmp/x'" &&
hostile long "module m$(printf '%055d' 0)" && refused long "invalid module name" &&
hostile space 'effective-version 6.1 evil' &&
refused space "effective-version must be one word" &&
hostile release 'target-release a b' && refused release "target-release and effective-version must be one word" &&
hostile ctrl "description $(printf 'clear \033[2J')" && refused ctrl "the description one line of text" &&
hostile comma 'func pre/kernel/t.o vmlinux a,b a,b' && refused comma "invalid function entry 'a,b'" &&
hostile klpobj 'func pre/kernel/t.o ../x t_show t_show' && refused klpobj "invalid function entry 't_show' \(\.\./x\)" &&
hostile many && seq 4096 | sed 's@.*@func pre/kernel/t.o vmlinux f& f&@' >> p/MANIFEST &&
(cd p && tar --format=ustar -cf ../many.hsu MANIFEST hs_t1.ko patch.diff pre/kernel/t.o) &&
refused many "MANIFEST line 4106: more than 4096 'func' entries" &&
truncate -s 257M big.hsu && refused big "larger than a package can be" &&
mkdir dir.hsu && test_exit_code 1 $HS show dir.hsu 2> dir.err && test_grep "'dir.hsu': not a regular file" dir.err &&
test ! -e state
