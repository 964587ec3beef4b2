# SPDX-License-Identifier: GPL-2.0
# Fixture 26-sympos-from-image-pipe (tests/patches/26-sympos-from-image-pipe.patch): create, check, apply, observe, undo.
# alloc_pipe_info's lock class keys (__key.N, named by 50 to 127 static locals each) are
# placed by create from the image's code, and proven by the target before it loads
# guest-timeout: 90
# guest-package: f-26 tests/patches/26-sympos-from-image-pipe.patch
fixture_cycle f-26 /hs/patches/26-sympos-from-image-pipe.observe
