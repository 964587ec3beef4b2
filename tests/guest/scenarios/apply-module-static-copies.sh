# SPDX-License-Identifier: GPL-2.0
# A module function (overlay.ko's ovl_get_inode) that uses a static named twice in
# its module (_rs.1, a ratelimit state of inode.c and of another file): create tells
# the copies apart by the module's own relocation at the same place of the function,
# the target proves it before loading (neighbours name the same copy here: the test
# guards the relocation path against naming a wrong one). An overlay mount works while live.
# guest-timeout: 120
# guest-module: fs/overlayfs/overlay.ko
# guest-package: ovl-rs tests/guest/patches/overlay-ratelimit-module.patch
ovl_use() {
	mkdir -p /tmp/ovl/l /tmp/ovl/u /tmp/ovl/w /tmp/ovl/m &&
	echo lower > /tmp/ovl/l/f &&
	mount -t overlay overlay -o lowerdir=/tmp/ovl/l,upperdir=/tmp/ovl/u,workdir=/tmp/ovl/w /tmp/ovl/m &&
	test "$(cat /tmp/ovl/m/f)" = lower && echo upper > /tmp/ovl/m/g &&
	test "$(cat /tmp/ovl/u/g)" = upper &&
	umount /tmp/ovl/m && rm -rf /tmp/ovl
}
insmod /hs/modules/overlay.ko &&
hotsplice check -q $HS_PACKAGES/ovl-rs.hsu &&
hotsplice apply -q $HS_PACKAGES/ovl-rs.hsu &&
hotsplice list > list && test_grep '^ovl-rs +applied ' list &&
ovl_use &&
hotsplice undo -q ovl-rs &&
ovl_use
