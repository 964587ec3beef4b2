# SPDX-License-Identifier: GPL-2.0
# A kbuild step that fails says why: on a source tree made to fail in "make prepare"
# (a -j2 build where one job runs a missing interpreter and the other goes on printing
# long after), create's error shows the line naming the missing program and make's
# "Error 127" line for the failing target, not only the last lines of the output.
# Needs gcc-12.
export HOTSPLICE_CACHE=$PWD/cache HOTSPLICE_STATE=$PWD/state
mkdir -p src/scripts src/kernel hdr &&
cat > src/Makefile <<'MK' &&
syncconfig:
	@true
prepare: noise bpf_helper_defs.h
noise:
	@sleep 1; for i in $$(seq 1 40); do echo "  CC      scripts/mod/noise$$i.o"; done
bpf_helper_defs.h:
	@echo "  GEN     tools/bpf/resolve_btfids/libbpf/include/bpf/bpf_helper_defs.h"
	@/usr/bin/env hotsplice-test-no-such-python3 scripts/bpf_doc.py
MK
: > src/scripts/Makefile.build &&
printf 'int t(void)\n{\n\treturn 1;\n}\n' > src/kernel/t.c &&
printf 'CONFIG_CC_VERSION_TEXT="%s"\nCONFIG_X86_64=y\nCONFIG_LIVEPATCH=y\n' "$(gcc-12 --version | head -1)" > hdr/.config &&
: > hdr/Module.symvers && mkdir -p hdr/include/generated &&
echo '#define UTS_RELEASE "6.1.0-99-test"' > hdr/include/generated/utsrelease.h &&
echo '#define UTS_VERSION "#1 SMP test"' > hdr/include/generated/utsversion.h &&
printf 'diff --git a/kernel/t.c b/kernel/t.c\n--- a/kernel/t.c\n+++ b/kernel/t.c\n@@ -3 +3 @@\n-\treturn 1;\n+\treturn 2;\n' > fix.patch &&
test_exit_code 1 $HS create -j 2 --workdir work --patch fix.patch --source src --headers hdr 2> a.err &&
test_grep "prepare: /usr/bin/env: .*hotsplice-test-no-such-python3.*: No such file or directory" a.err &&
test_grep "prepare: make(\[[0-9]+\])?: \*\*\* \[([^] ]*/)?Makefile:[0-9]*: bpf_helper_defs.h\] Error 127" a.err &&
test_grep "make prepare failed \(exit status 2\)" a.err &&
! grep -q "Waiting for unfinished jobs" a.err &&
! grep -q "noise40" a.err &&
! ls cache/trees/ | grep -v -e '\.lock$' -e '^tools$' | grep -q .
