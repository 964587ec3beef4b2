#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages hotsplice's build, tests and demo need.
# Idempotent and silent when everything is already there.
set -eu

PKGS="gcc gcc-12 make python3 libc6-dev pkg-config libelf-dev zlib1g-dev libzstd-dev
libcmocka-dev libarchive-dev liblzma-dev libbz2-dev liblz4-dev libacl1-dev
libxml2-dev nettle-dev libssl-dev libicu-dev
qemu-system-x86 busybox-static cpio xz-utils zstd kmod patch diffutils
flex bison bc rsync file binutils dpkg-dev ca-certificates e2fsprogs
clang libclang-rt-14-dev
debhelper lintian bash-completion fakeroot reprepro gnupg debootstrap ansible-core openssl"

missing=""
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
fail() {
	echo "deps: error: $1" >&2
	echo "deps: check the network to the Debian archive ('apt-get update' shows it) and run" \
	     "'make deps' again: what was installed stays, the rest is retried" >&2
	exit 1
}
# A fresh machine may have empty or stale package lists: update them once on failure.
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1; then
	apt-get update -q >/dev/null || fail "'apt-get update' failed"
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		fail "'apt-get install' of:$missing failed"
fi
