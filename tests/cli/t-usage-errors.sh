# SPDX-License-Identifier: GPL-2.0
# Unknown commands and no command are usage errors (exit 2) with a message.
test_exit_code 2 $HS 2> none.err &&
test_grep '^usage: hotsplice' none.err &&
test_exit_code 2 $HS frobnicate 2> unknown.err &&
test_grep "'frobnicate' is not a hotsplice command" unknown.err &&
test_exit_code 2 $HS help frobnicate 2> help.err &&
test_grep "'frobnicate' is not a hotsplice command" help.err
