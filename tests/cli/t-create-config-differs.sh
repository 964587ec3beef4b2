# SPDX-License-Identifier: GPL-2.0
# The prepared tree's .config must be the target's: an option Kconfig leaves out
# of the tree's .config (set in the target's, "is not set" here: a dependency of
# it was not found on this machine) is named, as is one the tree has and the
# target lacks. Needs gcc-12.
export HOTSPLICE_CACHE=$PWD/cache HOTSPLICE_STATE=$PWD/state
mkdir -p src/scripts src/kernel hdr &&
cat > src/Makefile <<'MK' &&
syncconfig:
	@sed -e 's/^CONFIG_TEST_BTF_MISMATCH=y/# CONFIG_TEST_BTF_MISMATCH is not set/' \
		-e 's/^CONFIG_TEST_HZ=250/CONFIG_TEST_HZ=2500/' .config > .config.new
	@echo CONFIG_TEST_ONLY_HERE=y >> .config.new
	@mv .config.new .config
prepare:
	@false
MK
: > src/scripts/Makefile.build &&
{ printf 'CONFIG_CC_VERSION_TEXT="%s"\nCONFIG_X86_64=y\nCONFIG_LIVEPATCH=y\n' "$(gcc-12 --version | head -1)"
  printf 'CONFIG_TEST_BTF_MISMATCH=y\nCONFIG_TEST_HZ=250\nCONFIG_TEST_KEPT=y\n'; } > hdr/.config &&
: > hdr/Module.symvers && mkdir -p hdr/include/generated &&
echo '#define UTS_RELEASE "6.1.0-99-test"' > hdr/include/generated/utsrelease.h &&
echo '#define UTS_VERSION "#1 SMP test"' > hdr/include/generated/utsversion.h &&
printf 'int t(void)\n{\n\treturn 1;\n}\n' > src/kernel/t.c &&
printf 'diff --git a/kernel/t.c b/kernel/t.c\n--- a/kernel/t.c\n+++ b/kernel/t.c\n@@ -3 +3 @@\n-\treturn 1;\n+\treturn 2;\n' > fix.patch &&
test_exit_code 1 $HS create --workdir work --patch fix.patch --source src --headers hdr 2> a.err &&
test_grep "the target's 'CONFIG_TEST_BTF_MISMATCH=y' is not in the other .config" a.err &&
test_grep "the target's 'CONFIG_TEST_HZ=250' is not in the other .config" a.err &&
test_grep "the tree's 'CONFIG_TEST_HZ=2500' is not in the other .config" a.err &&
test_grep "the tree's 'CONFIG_TEST_ONLY_HERE=y' is not in the other .config" a.err &&
test_grep "4 option line\(s\) differ from" a.err &&
! grep -q "CONFIG_TEST_KEPT" a.err
