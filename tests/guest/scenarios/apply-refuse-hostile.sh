# SPDX-License-Identifier: GPL-2.0
# Hostile packages: a real package taken apart, one member or MANIFEST line
# changed, its digests made right again and put back together, as an attacker
# who can hand root a package would. apply (and check, for the MANIFEST ones;
# it runs the same code up to the module load) refuses each one with exit 1 or
# 4, naming the reason, and nothing is loaded:
#   abs      the pre object's symbol pipe_read is SHN_ABS (in no section)
#   wrap     its st_value + st_size wraps around 2^64
#   entsize  the module's symbol table has entry size 0
#   name     the MANIFEST names another module than the one inside registers as
#   effver   the MANIFEST's effective version has a space
# guest-timeout: 120
# guest-package: pipe-read-noop tests/guest/patches/pipe-read-noop.patch
P=$HS_PACKAGES/pipe-read-noop.hsu
LP=hs_pipe_read_noop

# u FILE OFF N: the little-endian unsigned integer of N bytes at OFF
u() { od -An -t u"$3" -j "$2" -N "$3" "$1" | tr -d ' '; }
# put FILE OFF N VALUE: write VALUE as N little-endian bytes at OFF
put() {
	v=$4 i=0 s=''
	while [ $i -lt "$3" ]; do
		s="$s\\$(printf %o $((v & 255)))" v=$((v >> 8)) i=$((i + 1))
	done
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# symtab FILE: offset of the SHT_SYMTAB section header
symtab() {
	shoff=$(u "$1" 40 8) n=$(u "$1" 60 2) es=$(u "$1" 58 2) i=1
	while [ $i -lt "$n" ]; do
		o=$((shoff + i * es))
		[ "$(u "$1" $((o + 4)) 4)" = 2 ] && { echo $o; return 0; }
		i=$((i + 1))
	done
	return 1
}
# sym FILE NAME: file offset of the symbol table entry of NAME
sym() {
	sh=$(symtab "$1") && off=$(u "$1" $((sh + 24)) 8) && size=$(u "$1" $((sh + 32)) 8) &&
	link=$(u "$1" $((sh + 40)) 4) && str=$(($(u "$1" 40 8) + link * $(u "$1" 58 2))) &&
	{ od -An -v -t u1 -j "$(u "$1" $((str + 24)) 8)" -N "$(u "$1" $((str + 32)) 8)" "$1"
	  echo X; od -An -v -t u1 -j "$off" -N "$size" "$1"; } |
	awk -v off="$off" -v want="$2" '
		$1 == "X" { part = 1; next }
		!part { for (i = 1; i <= NF; i++) str[ns++] = $i; next }
		{ for (i = 1; i <= NF; i++) sym[nb++] = $i }
		END {
			for (k = 0; k * 24 < nb; k++) {
				p = sym[k * 24] + 256 * sym[k * 24 + 1] + 65536 * sym[k * 24 + 2]
				s = ""
				while (p < ns && str[p] != 0)
					s = s sprintf("%c", str[p++])
				if (s == want)
					print off + k * 24
			}
		}'
}
# unpack NAME: the package's members in directory NAME
unpack() { rm -rf "$1" && mkdir "$1" && (cd "$1" && tar xf "$P"); }
# repack NAME: the package NAME.hsu from directory NAME, its file lines made anew
repack() {
	(cd "$1" && members=$(find . -type f ! -name MANIFEST | sed 's@^\./@@' | sort) &&
	 sed -i '/^file /d' MANIFEST &&
	 for f in $members; do
		echo "file $f $(stat -c %s "$f") $(sha256sum < "$f" | cut -c1-64)" >> MANIFEST
	 done && tar cf "../$1.hsu" MANIFEST $members)
}
# refused NAME REASON [VERB...]: VERB (default apply) of NAME.hsu exits 1 or 4
# naming REASON; nothing is loaded
refused() {
	name=$1 why=$2
	shift 2
	[ $# -gt 0 ] || set -- apply
	for verb in "$@"; do
		rc=0 && hotsplice $verb "$name.hsu" > "$name.$verb" 2>&1 || rc=$?
		{ [ $rc = 1 ] || [ $rc = 4 ]; } || { cat "$name.$verb"; echo "FAIL: $verb $name: exit $rc"; return 1; }
		test_grep "$why" "$name.$verb" || return 1
	done
	test_eq "" "$(ls /sys/kernel/livepatch)" "livepatches after $name" &&
	test_must_fail grep -q "^$LP " /proc/modules
}

unpack abs && o=$(sym abs/pre/fs/pipe.o pipe_read) && test -n "$o" &&
put abs/pre/fs/pipe.o $((o + 6)) 2 65521 &&
repack abs && refused abs "function 'pipe_read' not found in the pre object" &&
unpack wrap && o=$(sym wrap/pre/fs/pipe.o pipe_read) && test -n "$o" &&
put wrap/pre/fs/pipe.o $((o + 8)) 8 -16 && put wrap/pre/fs/pipe.o $((o + 16)) 8 32 &&
repack wrap && refused wrap "function 'pipe_read': 32 bytes at 0xfffffffffffffff0 are not inside section" &&
unpack entsize && sh=$(symtab entsize/$LP.ko) && put entsize/$LP.ko $((sh + 56)) 8 0 &&
repack entsize && refused entsize "livepatch module: symbol table: bad entry size 0" &&
unpack name && mv name/$LP.ko name/hs_other.ko && sed -i 's/^module .*/module hs_other/' name/MANIFEST &&
repack name && refused name "registers as '$LP', not as the MANIFEST's 'hs_other'" check apply &&
unpack effver && echo 'effective-version 6.1 evil' >> effver/MANIFEST &&
repack effver && refused effver "effective-version must be one word" check apply &&
hotsplice list > list && test_grep '^no updates applied' list &&
hotsplice apply -q $P && hotsplice undo -q pipe-read-noop
