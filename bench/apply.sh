# SPDX-License-Identifier: GPL-2.0
# Apply/undo latency and run-pre matching speed in the 6.1.192-1 guest (bench/guest/apply-speed.sh).
set -euo pipefail
mkdir -p build/bench/apply
./hotsplice build-objects -q --patch tests/patches/11-refuse-data-init-value.patch \
	--kernel 6.1.192-1 -o build/bench/apply/objs > /dev/null
cp build/bench/apply/objs/pre/kernel/sys.o build/bench/apply/
rm -rf build/bench/apply/objs
HS_VERBOSE=1 HS_GUEST_EXTRA=$PWD/build/bench/apply HS_SCENARIO_DIR=$PWD/bench/guest \
	tests/guest/run apply-speed | sed -n 's/^#   //p'
