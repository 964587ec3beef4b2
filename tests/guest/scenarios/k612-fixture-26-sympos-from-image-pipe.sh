# SPDX-License-Identifier: GPL-2.0
# Fixture 26 on Debian 12's 6.12 (kallsyms_offsets after the token index, ENDBR64 at
# each function's entry): alloc_pipe_info's __key.0/1/2 placed from the image's code,
# proven by the target: create, check, apply, observe, undo.
# guest-kernel: 6.12.113-1~deb12u1
# guest-timeout: 90
# guest-package: k612-26 tests/patches/26-sympos-from-image-pipe.patch
fixture_cycle k612-26 /hs/patches/26-sympos-from-image-pipe.observe
