# SPDX-License-Identifier: GPL-2.0
# scripts/fetch-kernel after a network failure: it names the package that failed and
# what to do, keeps what it had downloaded, and a second run fetches only the rest.
# apt-get and apt-cache are stand-ins on $PATH that serve tiny .deb files (the archive
# is not needed); the run stops later, at the check of the unpacked headers.
export HOTSPLICE_CACHE=$PWD/cache
mkdir -p bin pkg/DEBIAN &&
cat > bin/apt-cache <<'SH' &&
#!/bin/sh
[ "$1" = madison ] && echo " $2 | 6.1.192-1 | http://archive.invalid bookworm/main amd64 Packages"
exit 0
SH
cat > bin/apt-get <<'SH' &&
#!/bin/sh
[ "$1" = download ] || exit 0
spec=$3 name=${3%%=*} ver=${3#*=}
echo "$spec" >> "$LOGDIR/downloads"
if [ -n "${FAIL_ON:-}" ] && [ "$name" = "$FAIL_ON" ]; then
	echo "E: Failed to fetch http://archive.invalid/$name.deb  Could not resolve host" >&2
	exit 100
fi
printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n' \
	"$name" "$ver" > "$PKGDIR/DEBIAN/control"
dpkg-deb -b "$PKGDIR" "${name}_${ver}_amd64.deb" > /dev/null
SH
chmod +x bin/apt-cache bin/apt-get &&
export PATH=$PWD/bin:$PATH LOGDIR=$PWD PKGDIR=$PWD/pkg &&
test_exit_code 1 env FAIL_ON=linux-source-6.1 "$HS_ROOT/scripts/fetch-kernel" 6.1.192-1 2> a.err &&
test_grep "downloading 'linux-source-6.1=6.1.192-1' from the package archive failed" a.err &&
test_grep "run 'apt-get update' and then this command again" a.err &&
test_grep "Could not resolve host" a.err &&
ls cache/6.1.192-1/debs > kept &&
test_grep '^linux-image-6.1.0-55-cloud-amd64_6.1.192-1_amd64.deb$' kept &&
test_grep '^linux-headers-6.1.0-55-common_6.1.192-1_amd64.deb$' kept &&
! test -e cache/6.1.192-1/.complete &&
: > downloads &&
test_exit_code 1 "$HS_ROOT/scripts/fetch-kernel" 6.1.192-1 2> b.err &&
printf 'linux-source-6.1=6.1.192-1\nlinux-kbuild-6.1=6.1.192-1\n' > expect &&
test_cmp expect downloads &&
test_grep "linux-headers-6.1.0-55-cloud-amd64/Makefile' missing from the headers package" b.err &&
! test -e cache/6.1.192-1/.complete
