# SPDX-License-Identifier: GPL-2.0
# show and check on damaged input: exit 1 with a message naming the file (and
# the member or MANIFEST line at fault), before any state is read or created.
export HOTSPLICE_STATE=$PWD/state HOTSPLICE_RUN=$PWD/run
# package OUT [MEMBER...]: a tar of p/MANIFEST and the members (default: all three)
package() {
	local out=$1
	shift
	[ $# -gt 0 ] || set -- hs_t1.ko patch.diff pre/kernel/t.o
	(cd p && tar --format=ustar -cf "../$out" MANIFEST "$@")
}
manifest() { test_manifest 'damaged input'; }
# bad FILE PATTERN: show and check exit 1, stderr matches PATTERN and names FILE
bad() {
	test_exit_code 1 $HS show "$1" > bad.out 2> bad.err &&
	test_grep "'$1'" bad.err && test_grep "$2" bad.err &&
	test ! -s bad.out &&
	test_exit_code 1 $HS check "$1" 2> bad.err &&
	test_grep "'$1'" bad.err && test_grep "$2" bad.err ||
	{ echo "FAIL: package $1"; return 1; }
}
mkdir -p p/pre/kernel &&
printf 'not really a module\n' > p/hs_t1.ko &&
printf 'the patch\n' > p/patch.diff &&
head -c 3000 /dev/urandom > p/pre/kernel/t.o &&
manifest && package good.hsu &&
$HS show good.hsu > good.out &&
: > empty.hsu &&
bad empty.hsu 'cannot open package|empty|not a hotsplice package' &&
echo 'this is not an update package' > text.hsu &&
bad text.hsu 'cannot open package|not a hotsplice package' &&
head -c 4096 /dev/urandom > random.hsu &&
bad random.hsu 'cannot open package|not a hotsplice package' &&
bad missing.hsu 'cannot open package' &&
(cd p && tar --format=ustar -cf ../order.hsu patch.diff MANIFEST hs_t1.ko pre/kernel/t.o) &&
bad order.hsu "not a hotsplice package \(first member is 'patch.diff', not MANIFEST\)" &&
head -c 4000 good.hsu > truncated.hsu &&
bad truncated.hsu "member 'pre/kernel/t.o' is truncated" &&
head -c 1024 good.hsu > short.hsu &&
bad short.hsu "member 'hs_t1.ko' listed in the MANIFEST is missing" &&
package nopatch.hsu hs_t1.ko pre/kernel/t.o &&
bad nopatch.hsu "member 'patch.diff' listed in the MANIFEST is missing" &&
echo extra > p/extra && package extra.hsu hs_t1.ko patch.diff pre/kernel/t.o extra &&
bad extra.hsu "member 'extra' is not listed in the MANIFEST" &&
printf 'the Patch\n' > p/patch.diff && package corrupt.hsu &&
bad corrupt.hsu "member 'patch.diff' is corrupted \(size 10, expected 10; digest" &&
printf 'the patch, longer\n' > p/patch.diff && package longer.hsu &&
bad longer.hsu "member 'patch.diff' is corrupted \(size 18, expected 10;" &&
printf 'the patch\n' > p/patch.diff && package good2.hsu && $HS show good2.hsu > /dev/null &&
sed -i 's/^format .*/format hotsplice-update 9/' p/MANIFEST && package format.hsu &&
bad format.hsu "unknown package format 'hotsplice-update 9'" &&
manifest && sed -i '/^module /d' p/MANIFEST && package nomodule.hsu &&
bad nomodule.hsu "MANIFEST has no 'module'" &&
manifest && sed -i 's/^id .*/id not an id!/' p/MANIFEST && package badid.hsu &&
bad badid.hsu "invalid update id 'not an id!'" &&
manifest && sed -i '/^func /d' p/MANIFEST && package nofunc.hsu &&
bad nofunc.hsu 'MANIFEST lists no function' &&
manifest && sed -i 's|^func .*|func pre/kernel/u.o vmlinux u u|' p/MANIFEST && package nofuncobj.hsu &&
bad nofuncobj.hsu "function 'u': object 'pre/kernel/u.o' is not in the package" &&
manifest && sed -i 's/^file patch.diff .*/file patch.diff ten/' p/MANIFEST && package badline.hsu &&
bad badline.hsu "MANIFEST line [0-9]+: malformed 'file' entry" &&
test ! -e state
