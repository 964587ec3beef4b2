# SPDX-License-Identifier: GPL-2.0
# lib-host.sh - host side of the guest harness: build the initramfs, boot QEMU,
# read results back from the guest's second serial port.
# Sourced by tests/guest/run; expects ROOT, WORK, KEEP and a counter N.

# HS_GUEST_KERNEL: the kernel of scenarios without a guest-kernel header (make demo)
HS_DEFAULT_KERNEL=${HS_GUEST_KERNEL:-6.1.192-1}
HS_CACHE=${HOTSPLICE_CACHE:-$HOME/.cache/hotsplice}

# scenario_header NAME KEY DEFAULT: the value of a '# guest-KEY: value' header line.
scenario_header() {
	local v
	v=$(sed -n "s/^# guest-$2: *//p" "$SCEN_DIR/$1.sh" | head -1)
	echo "${v:-$3}"
}

# Build the test kernel modules (kmod/tests) against VERSION's headers, once.
build_kmods() { # VERSION -> prints the directory holding the .ko files
	local kver=$1 kdir out
	kdir=$HS_CACHE/$kver
	out=$ROOT/build/guest/$kver/kmod
	if [ -d "$out" ] && [ -z "$(find "$ROOT/kmod/tests" -newer "$out/.built" 2>/dev/null)" ] &&
	   [ -f "$out/.built" ]; then
		echo "$out"; return
	fi
	rm -rf "$out"; mkdir -p "$out"
	cp "$ROOT"/kmod/tests/* "$out/"
	if ! make -s -C "$kdir/headers" M="$out" CC=gcc-12 CONFIG_DEBUG_INFO_BTF_MODULES= modules >"$out/build.log" 2>&1; then
		echo "guest: building kmod/tests against $kver failed:" >&2
		tail -20 "$out/build.log" >&2
		return 1
	fi
	touch "$out/.built"
	echo "$out"
}

# The modules a virtio disk and a loop device need, and ext4 (the generic amd64
# flavour builds them all as modules; the 6.12 cloud kernel has virtio and
# virtio_pci built in), by name: those the kernel has as modules are copied,
# with what they depend on, in load order.
DISK_MODULES="virtio_pci virtio_blk loop crc32c_generic ext4"

# module_files MODDIR NAME...: the files (relative to MODDIR/kernel) of the named
# modules and of the modules they depend on, dependencies first; built-in ones
# and ones the kernel does not have are left out.
module_files() {
	local dir=$1 m f dep
	shift
	for m in "$@"; do
		f=$(cd "$dir/kernel" && find . \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -1)
		[ -n "$f" ] || continue
		for dep in $(modinfo -F depends "$dir/kernel/$f" | tr ',' ' '); do
			module_files "$dir" "$dep"
		done
		echo "${f#./}"
	done
}

# guest_keys: the test administrator's signing key and certificate, made once
# in build/guest/keys (admin.key never leaves the host; the guest gets admin.crt).
guest_keys() {
	local k=$ROOT/build/guest/keys
	[ -f "$k/admin.key" ] && [ -f "$k/admin.crt" ] && return 0
	mkdir -p "$k" && rm -f "$k/admin.key" "$k/admin.crt" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$k/admin.key" -out "$k/admin.crt" \
		-subj "/CN=hotsplice guest test admin" -days 36500 2>/dev/null ||
		{ echo "guest: cannot make the test signing key in $k" >&2; return 1; }
}

# build_packages VERSION DIR SCENARIO...: the update packages the scenarios name in
# '# guest-package: ID PATCH [KERNEL [create options]]' headers, built with
# `hotsplice create` against KERNEL (default: the boot kernel) into DIR/ID.hsu.
# KERNEL '-' passes no --kernel: the options give --source/--headers, where
# @CACHE@ stands for the kernel cache; @PKG@ stands for DIR (an earlier header's
# package, e.g. --on-top-of @PKG@/ID.hsu: the files named count in the cache key).
# @SIGN@ in the options signs the package and its module with the test
# administrator's key (guest_keys). PATCH '-' passes no --patch (a whole-release
# update: --release NEW in the options, NEW fetched too).
# Built packages are cached in build/guest/pkgcache by patch, kernel and options,
# and rebuilt when ./hotsplice is newer.
build_packages() {
	local kver=$1 dir=$2 s id patch pk opts raw key cached log
	shift 2
	mkdir -p "$dir" "$ROOT/build/guest/pkgcache"
	for s in "$@"; do
		while read -r id patch pk opts; do
			[ -n "$id" ] || continue
			pk=${pk:-$kver}
			raw=$opts
			opts=${opts//@CACHE@/$HS_CACHE}
			opts=${opts//@PKG@/$dir}
			if [[ $opts == *@SIGN@* ]]; then
				guest_keys || return 1
				opts=${opts//@SIGN@/--sign-key $ROOT/build/guest/keys/admin.key --sign-cert $ROOT/build/guest/keys/admin.crt}
			fi
			local pargs=(--patch "$ROOT/$patch")
			[ "$patch" != - ] || pargs=()
			# the options as written (not the boot's own @PKG@ directory: the package
			# is made once) and the files they name (an earlier package, the test
			# certificate: a package signed by an older test key is built again)
			key=$({ [ "$patch" = - ] || cat "$ROOT/$patch"; } | sha256sum | cut -c1-16)-${pk//\//_}-$({ echo "$raw"
				for w in $opts; do [ ! -f "$w" ] || sha256sum < "$w"; done; } | sha256sum | cut -c1-8)
			cached=$ROOT/build/guest/pkgcache/$id-$key.hsu
			if [ ! -f "$cached" ] || [ "$ROOT/hotsplice" -nt "$cached" ]; then
				log=$ROOT/build/guest/pkgcache/$id-$key.log
				local kargs=(--kernel "$pk") v
				if [ "$pk" = - ]; then	# options name --source/--headers themselves
					kargs=()
					for v in $(grep -o "$HS_CACHE/[^/]*/" <<<"$opts" | sort -u); do
						"$ROOT/scripts/fetch-kernel" "$(basename "$v")" >/dev/null || return 1
					done
				else
					"$ROOT/scripts/fetch-kernel" "$pk" >/dev/null || return 1
				fi
				for v in $(sed -n 's/.*--release \([^ ]*\).*/\1/p' <<<"$opts"); do
					"$ROOT/scripts/fetch-kernel" "$v" >/dev/null || return 1
				done
				local t=$SECONDS
				# shellcheck disable=SC2086
				if ! "$ROOT/hotsplice" create -q "${pargs[@]}" "${kargs[@]}" \
					--id "$id" $opts -o "$cached" >"$log" 2>&1; then
					echo "guest: cannot create package '$id' from $patch for $pk:" >&2
					sed 's/^/guest:   /' "$log" >&2
					return 1
				fi
				[ -z "${HS_PKG_TIMES:-}" ] || echo "# package $id ($pk) made in $((SECONDS - t)) s"
			fi
			cp "$cached" "$dir/$id.hsu"
		done < <(sed -n 's/^# guest-package: *//p' "$SCEN_DIR/$s.sh")
	done
}

# disk_create NAME: a fresh ext4 image build/guest/disks/NAME.img for the boots
# of the scenarios declaring '# guest-disk: NAME' (the guest mounts it at
# /var/lib/hotsplice).
disk_create() {
	local img=$ROOT/build/guest/disks/$1.img
	mkdir -p "${img%/*}"
	rm -f "$img"
	truncate -s 64M "$img" &&
	mkfs.ext4 -q -F -L "hs-$1" "$img" || { echo "guest: cannot make the disk $img" >&2; return 1; }
}

# make_initramfs VERSION OUT.cpio SCENARIO...
make_initramfs() {
	local kver=$1 out=$2 rel kmods d s
	shift 2
	. "$HS_CACHE/$kver/kernel.env"
	rel=$KERNEL_RELEASE
	kmods=$(build_kmods "$kver") || return 1
	d=$WORK/initramfs-${kver//\//_}
	rm -rf "$d"
	mkdir -p "$d"/{bin,sbin,proc,sys,dev,tmp,run,mnt,etc,hs/scenarios,hs/kmod,lib/modules/"$rel"}
	cp /bin/busybox "$d/bin/busybox"
	cp "$ROOT/build/hotsplice.static" "$d/bin/hotsplice"
	install -m 0755 "$ROOT/tests/guest/init" "$d/init"
	cp "$ROOT/tests/guest/runner.sh" "$ROOT/tests/guest/lib.sh" "$d/hs/"
	cp "$kmods"/*.ko "$d/hs/kmod/"
	mkdir -p "$d/hs/patches"
	cp "$ROOT"/tests/patches/*.observe "$d/hs/patches/" 2>/dev/null || true
	for s in "$@"; do cp "$SCEN_DIR/$s.sh" "$d/hs/scenarios/"; done
	build_packages "$kver" "$d/hs/packages" "$@" || return 1
	# the test administrator's certificate (never its key), for $HOTSPLICE_TRUSTED
	mkdir -p "$d/hs/keys"
	cp "$ROOT"/build/guest/keys/*.crt "$d/hs/keys/" 2>/dev/null || true
	[ -n "${HS_GUEST_EXTRA:-}" ] && cp -r "$HS_GUEST_EXTRA" "$d/hs/extra"
	local mods m name
	mods=$(module_files "$HS_CACHE/$kver/root/lib/modules/$rel" $DISK_MODULES | awk '!seen[$0]++')
	for m in $mods; do	# busybox insmod loads uncompressed modules only
		name=${m##*/}
		case "$m" in
		*.xz) xz -dc "$HS_CACHE/$kver/root/lib/modules/$rel/kernel/$m" > "$d/lib/modules/$rel/${name%.xz}" ;;
		*) cp "$HS_CACHE/$kver/root/lib/modules/$rel/kernel/$m" "$d/lib/modules/$rel/" ;;
		esac
	done
	# '# guest-module: PATH' (under the kernel's modules): copied to /hs/modules, not
	# loaded; a .ko.xz (6.12) is copied uncompressed, as NAME.ko, for busybox's insmod
	mkdir -p "$d/hs/modules"
	for s in "$@"; do
		for m in $(sed -n 's/^# guest-module: *//p' "$SCEN_DIR/$s.sh"); do
			name=${m##*/}
			case "$m" in
			*.xz) xz -dc "$HS_CACHE/$kver/root/lib/modules/$rel/kernel/$m" > "$d/hs/modules/${name%.xz}" ;;
			*) cp "$HS_CACHE/$kver/root/lib/modules/$rel/kernel/$m" "$d/hs/modules/" ;;
			esac || { echo "guest: scenario '$s': no module '$m' in $kver" >&2; return 1; }
		done
	done
	for m in $mods; do name=${m##*/}; echo "${name%.xz}"; done > "$d/lib/modules/$rel/load-order"
	(cd "$d" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out"
}

# boot_group VERSION DISK APPEND SCENARIO...: one boot running these scenarios in
# order. A disk-less guest that hangs part way (see watchdog) is shown (the
# kernel's backtraces, vCPU registers, console) and booted once more for the
# scenarios that did not report: the hung one runs again.
boot_group() {
	local kver=$1 disk=$2 append=$3 s hung
	shift 3
	"$ROOT/scripts/fetch-kernel" "$kver" || { fail_all "cannot fetch kernel $kver" "$@"; return; }
	boot_once "$kver" "$disk" "$append" "$@" || return 0
	[ -f "$WORK/hung-mid" ] && [ "$disk" = no ] || { report_missing "$kver" "$@"; return; }
	local again=()
	for s in "$@"; do reported "$s" || again+=("$s"); done
	[ ${#again[@]} -gt 0 ] || { report_missing "$kver" "$@"; return; }
	hung=${again[0]}
	echo "# WARNING: the guest hung while running '$hung'; its console:"
	console_tail "$kver"
	cp "$WORK/console-${kver//\//_}.log" "${GUEST_LAST:-$ROOT/build/guest/last}/console-hung-${kver//\//_}.log" 2>/dev/null || true
	echo "# booting again for the ${#again[@]} scenario(s) that did not report, '$hung' first"
	boot_once "$kver" "$disk" "$append hs.retry=1" "${again[@]}" || return 0
	report_missing "$kver" "${again[@]}"
}

# reported SCENARIO: the last boot's results have its verdict.
reported() {
	grep -qE "@@HS (ok|not-ok|power-cut) $1( |\$)" "$WORK/results-${kver//\//_}.log"
}

# boot_once VERSION DISK APPEND SCENARIO...: build the initramfs and run QEMU once.
# Leaves the exit status in $WORK/qemu.rc, and $WORK/hung-mid when the watchdog
# stopped a guest that hung after it started. Returns 1 when it could not boot.
boot_once() {
	local kver=$1 disk=$2 append=$3 s t timeout=${HS_GUEST_TIMEOUT:-60}
	shift 3
	local scen=("$@")
	local longest=0
	for s in "${scen[@]}"; do
		t=$(scenario_header "$s" timeout 60)
		timeout=$((timeout + t))
		[ "$t" -gt "$longest" ] && longest=$t
	done
	longest=$((longest + ${HS_GUEST_IDLE_MARGIN:-90}))
	local cpio=$WORK/initramfs-${kver//\//_}.cpio con=$WORK/console-${kver//\//_}.log res=$WORK/results-${kver//\//_}.log
	if ! make_initramfs "$kver" "$cpio" "${scen[@]}"; then
		fail_all "cannot build the initramfs" "${scen[@]}"; return 1
	fi
	local what=""
	if [ "$disk" != no ]; then	# the guest's init mounts it, and replays if asked
		append="hs.disk=1 $append"
		what=", disk $disk"
		for s in "${scen[@]}"; do
			[ "$(scenario_header "$s" boot-replay no)" = yes ] && append="hs.replay=1 $append" && break
		done
	fi
	rm -f "$WORK/mon.in" "$WORK/mon.out"
	mkfifo "$WORK/mon.in" "$WORK/mon.out"
	local qargs=(-machine q35 -accel "tcg,thread=${HS_GUEST_TCG_THREAD:-multi}" -smp 2 -m 1G
		-display none -no-reboot
		-kernel "$HS_CACHE/$kver/vmlinuz" -initrd "$cpio"
		-append "console=ttyS0 quiet panic=-1 ${HS_VERBOSE:+hs.verbose=1} $append"
		-chardev "pipe,id=hsmon,path=$WORK/mon" -mon chardev=hsmon
		-serial "file:$con" -serial stdio -pidfile "$WORK/qemu.pid")
	[ "$disk" = no ] ||
		qargs+=(-drive "file=$ROOT/build/guest/disks/$disk.img,format=raw,if=virtio")
	echo "# boot: Debian $kver$what, scenarios: ${scen[*]} (timeout ${timeout}s)"
	local t0=$SECONDS attempt start=${HS_GUEST_START_TIMEOUT:-120} wd mon_in mon_out
	# the monitor's pipes stay open here, so that QEMU never blocks on them
	exec {mon_in}<>"$WORK/mon.in" {mon_out}<>"$WORK/mon.out"
	set +e
	for attempt in 1 2 3; do	# a boot that dies before any sign of life is retried
		rm -f "$WORK/qemu.pid" "$WORK/qemu.rc" "$WORK/boot-hung" "$WORK/hung-mid"
		watchdog "$start" "$longest" "$res" "$con" &
		wd=$!
		# (a subshell, so that a power cut's "Killed" is not reported on the terminal)
		{ timeout -k 5 "$timeout" qemu-system-x86_64 "${qargs[@]}" </dev/null 2>"$WORK/qemu.err"
		  echo $? > "$WORK/qemu.rc"; } 2>/dev/null |
			sed -u 's/\r$//' | tee "$res" | parse_results
		kill "$wd" 2>/dev/null
		wait "$wd" 2>/dev/null
		[ "$attempt" -lt 3 ] || break
		if [ -f "$WORK/boot-hung" ]; then
			echo "# the guest showed no sign of life in ${start}s; booting it again"
		elif [ "$(cat "$WORK/qemu.rc" 2>/dev/null)" = 0 ] &&
		     ! grep -q '@@HS info guest' "$res" 2>/dev/null; then
			# (seen in CI: the 6.12 kernel panics early in boot under TCG, "Oops: int3"
			# in sched_clock_tick while the kernel patches its own text; the next boot runs)
			echo "# the guest stopped without a sign of life; its console:"
			console_tail "$kver"
			echo "# booting it again"
		else
			break
		fi
	done
	set -e
	exec {mon_in}>&- {mon_out}>&-
	N=$(cat "$WORK/count" 2>/dev/null || echo "$N")
	echo "# boot done in $((SECONDS - t0))s"
	# keep the logs of the last boot for a post-mortem
	mkdir -p "${GUEST_LAST:=$ROOT/build/guest/last}"
	cp "$con" "$res" "$GUEST_LAST/" 2>/dev/null || true
}

# watchdog START LONGEST RESULTS CONSOLE: a guest that shows no sign of life (its
# first result line) in START seconds hung while booting, before any scenario ran:
# mark it for another boot. Later, a guest that reports nothing for longer than
# LONGEST (each scenario is timed out inside the guest), or for a minute after its
# kernel reported a lockup or an RCU stall on the CONSOLE, hung: show where its
# vCPUs are and stop it.
watchdog() {
	local start=$1 longest=$2 res=$3 con=$4 last idle=0 now
	for _ in $(seq "$start"); do
		sleep 1
		grep -q '@@HS info guest' "$res" 2>/dev/null && break
		[ -f "$WORK/qemu.rc" ] && return 0
	done
	if ! grep -q '@@HS info guest' "$res" 2>/dev/null; then
		touch "$WORK/boot-hung"
		kill -9 "$(cat "$WORK/qemu.pid" 2>/dev/null)" 2>/dev/null
		return 0
	fi
	last=$(stat -c %s "$res")
	local cmark=0	# the console's size at the last result line
	while [ ! -f "$WORK/qemu.rc" ]; do
		sleep 5
		now=$(stat -c %s "$res" 2>/dev/null || echo 0)
		if [ "$now" != "$last" ]; then
			last=$now idle=0 cmark=$(stat -c %s "$con" 2>/dev/null || echo 0)
		else
			idle=$((idle + 5))
		fi
		# a guest whose kernel reported a lockup since its last result line, and
		# nothing else for a minute, hung
		if [ "$idle" -gt "$longest" ] || { [ "$idle" -gt 60 ] &&
		   tail -c +$((cmark + 1)) "$con" |
			grep -aqE 'soft lockup|hard LOCKUP|rcu.*detected stall'; }; then
			touch "$WORK/hung-mid"
			echo "# the guest reported nothing for ${idle}s: stopped it; its vCPUs:"
			vcpu_dump
			kill -9 "$(cat "$WORK/qemu.pid" 2>/dev/null)" 2>/dev/null
			return 0
		fi
	done
}

# vcpu_dump: where a hung guest is: the kernel's own backtraces of all CPUs and
# its blocked tasks (sysrq l and w, on the console; the guest's runner allows
# every sysrq), then each vCPU's RIP as "# " lines (all registers in vcpus.txt).
vcpu_dump() {
	local k
	for k in 8 l w; do echo "sendkey alt-sysrq-$k" > "$WORK/mon.in"; sleep 1; done
	sleep 3
	echo "info registers -a" > "$WORK/mon.in"
	: > "$WORK/vcpus.txt"
	for _ in 1 2 3 4 5; do	# (a busy host answers late)
		timeout 2 cat "$WORK/mon.out" >> "$WORK/vcpus.txt" 2>/dev/null
		[ "$(grep -ac '^RIP=' "$WORK/vcpus.txt")" -ge 2 ] && break
	done
	grep -aoE '^CPU#[0-9]+|RIP=[0-9a-f]+|CPL=[0-9]' "$WORK/vcpus.txt" | paste -sd' ' |
		sed 's/ CPU#/\nCPU#/g' | sed 's/^/# /'
	mkdir -p "${GUEST_LAST:=$ROOT/build/guest/last}"
	cp "$WORK/vcpus.txt" "$GUEST_LAST/" 2>/dev/null || true
}

# Read the guest's result stream and print TAP lines as they arrive.
parse_results() {
	local line kind name rest
	while IFS= read -r line; do
		line=${line#*@@HS }
		[ "$line" = "${line#* }" ] && [ "$line" != done ] && continue
		kind=${line%% *}; rest=${line#* }
		case "$kind" in
		ok) N=$((N + 1)); echo "ok $N - guest/$rest" ;;
		not-ok) N=$((N + 1)); name=${rest%% *}; echo "not ok $N - guest/$name: ${rest#* }" ;;
		out) echo "#   $rest" ;;
		info) echo "# $rest" ;;
		power-cut)	# the scenario asks for a power cut now: kill QEMU
			kill -9 "$(cat "$WORK/qemu.pid")" 2>/dev/null
			N=$((N + 1)); echo "ok $N - guest/$rest (power cut)" ;;
		esac
	done
	echo "$N" > "$WORK/count"
}

# Scenarios that never reported (boot hang, panic, timeout) fail with the console tail.
report_missing() {
	local kver=$1 rc con=$WORK/console-${1//\//_}.log res=$WORK/results-${1//\//_}.log s why
	shift
	rc=$(cat "$WORK/qemu.rc" 2>/dev/null || echo 137)
	case "$rc" in
	124|137) why="boot timed out" ;;
	0) why="guest stopped before running it" ;;
	*) why="qemu exited with status $rc" ;;
	esac
	local missing=0
	for s in "$@"; do
		reported "$s" && continue
		N=$((N + 1)); missing=1
		echo "not ok $N - guest/$s: $why"
	done
	if [ $missing = 1 ]; then
		echo "# the console (Debian $kver):"
		console_tail "$kver"
	fi
	return 0
}

# console_tail VERSION: the last boot's console: its last 50 lines, or when the
# watchdog asked the kernel for backtraces, all from 20 lines before that.
console_tail() {
	local con=$WORK/console-${1//\//_}.log from
	from=$(grep -an 'sysrq: ' "$con" | head -1 | cut -d: -f1)
	sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' "$con" |
		if [ -n "$from" ]; then tail -n +$((from > 20 ? from - 20 : 1)) | head -300; else tail -50; fi |
		sed 's/^/#   /'
	[ -s "$WORK/qemu.err" ] && sed 's/^/#   qemu: /' "$WORK/qemu.err"
	return 0
}

fail_all() {
	local why=$1 s
	shift
	for s in "$@"; do N=$((N + 1)); echo "not ok $N - guest/$s: $why"; done
}
