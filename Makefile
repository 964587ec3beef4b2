# SPDX-License-Identifier: GPL-2.0
# hotsplice: `make` builds ./hotsplice (and a static copy for guests),
# `make check` runs every test, `make demo` runs the main job end to end.

# The compiler is named here, not taken from make's built-in default ('cc', which a
# fresh Debian 12 does not have); scripts/deps.sh installs it. CC=... still overrides.
ifeq ($(origin CC),default)
CC      := gcc
endif
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -MMD -MP
LIBS    := $(shell pkg-config --libs libelf libarchive nettle zlib libcrypto 2>/dev/null || echo -lelf -larchive -lnettle -lz -lcrypto)
SLIBS   := $(shell pkg-config --static --libs libelf libarchive libcrypto 2>/dev/null)
B       := build

CPPFLAGS += -Ilib

# lib/ by layer (doc/design.md, "Source layout"). The target archive holds what runs
# as root on the patched machine (core, elf, package, target); the build archive what
# makes updates (build, diff, klp, ship). build/hotsplice.static, the copy guests and
# targets run, is the target-only binary: the target archive and the target verbs.
TARGET_LAYERS := core elf package target
BUILD_LAYERS  := build diff klp ship
TLIB_OBJ := $(patsubst %.c,$(B)/%.o,$(foreach d,$(TARGET_LAYERS),$(wildcard lib/$(d)/*.c)))
BLIB_OBJ := $(patsubst %.c,$(B)/%.o,$(foreach d,$(BUILD_LAYERS),$(wildcard lib/$(d)/*.c)))
CMD_SRC  := $(wildcard cmd/*.c)
CMD_OBJ  := $(CMD_SRC:%.c=$(B)/%.o)
TCMD_OBJ := $(patsubst %,$(B)/cmd/%.o,apply list match replay show uname undo util) \
	    $(B)/cmd/main-target.o

.PHONY: all deps check check-unit check-cli check-patches check-guest check-fleet demo bench clean install deb fuzz

all: hotsplice $(B)/hotsplice.static

deps:
	@scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/cmd/main-target.o: cmd/main.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DHS_TARGET_ONLY -c -o $@ $<

$(B)/libhotsplice-target.a: $(TLIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/libhotsplice-build.a: $(BLIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

hotsplice: $(CMD_OBJ) $(B)/libhotsplice-build.a $(B)/libhotsplice-target.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/hotsplice.static: $(TCMD_OBJ) $(B)/lib/static/archive_shim.o $(B)/libhotsplice-target.a
	$(CC) $(CFLAGS) -static -o $@ $^ $(SLIBS)

# Tests: every suite prints TAP lines; tests/run counts them all.
check: deps
	@$(MAKE) -s all
	@tests/run all

check-unit: deps
	@$(MAKE) -s all
	@tests/run unit

check-cli: deps
	@$(MAKE) -s all
	@tests/run cli

check-patches: deps
	@$(MAKE) -s all
	@tests/run patches $(T)

check-guest: deps
	@$(MAKE) -s all
	@tests/run guest $(T)

# Fuzz the readers of what a target is handed (package, ELF, run-pre, module)
# with libFuzzer, FUZZ_SECONDS each; make check runs them 10 s each.
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

demo: deps
	@$(MAKE) -s all
	@scripts/demo

# The benchmark (not part of check): one table on stdout, and doc/performance.md
# rewritten; under nice, since it runs for long. BENCH_ARGS="--quick" for a short run.
bench: deps
	@$(MAKE) -s all
	@nice -n 10 bench/run $(BENCH_ARGS)

# The real-world corpus (not part of check): Debian's own kernel update made into
# live updates, e.g. make corpus CORPUS_ARGS="--sample 40 --seed 1".
CORPUS_OLD ?= 6.1.187-1
CORPUS_NEW ?= 6.1.190-1
.PHONY: corpus
corpus: deps
	@$(MAKE) -s all
	@tests/corpus/run $(CORPUS_ARGS) $(CORPUS_OLD) $(CORPUS_NEW)

# Install: the command, its man pages, the boot-time replay (systemd unit and
# init script). PREFIX (default /usr) and DESTDIR as usual.
PREFIX  ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= /lib/systemd/system
INITDIR ?= /etc/init.d

install: hotsplice
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(INITDIR)
	install -m 0755 hotsplice $(DESTDIR)$(SBINDIR)/hotsplice
	install -m 0644 doc/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	sed 's@/usr/sbin/hotsplice@$(SBINDIR)/hotsplice@' scripts/hotsplice.service \
		> $(DESTDIR)$(UNITDIR)/hotsplice.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/hotsplice.service
	sed 's@/usr/sbin/hotsplice@$(SBINDIR)/hotsplice@' scripts/hotsplice.init \
		> $(DESTDIR)$(INITDIR)/hotsplice
	chmod 0755 $(DESTDIR)$(INITDIR)/hotsplice

# The Debian package (debian/), built with dpkg-buildpackage from a copy of the
# tree in build/deb/src, into build/deb/; lintian's verdict in build/deb/lintian.txt.
deb: deps
	@scripts/make-deb $(B)/deb

# The fleet test: a Debian 12 root with systemd in QEMU installs hotsplice and an
# update from an apt repository, reboots, removes it (see tests/fleet/README.md).
check-fleet: deps
	@$(MAKE) -s all deb
	@tests/fleet/run

clean:
	rm -rf $(B) hotsplice

-include $(TLIB_OBJ:.o=.d) $(BLIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(B)/cmd/main-target.d
