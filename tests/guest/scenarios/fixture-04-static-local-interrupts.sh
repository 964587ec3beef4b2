# SPDX-License-Identifier: GPL-2.0
# Fixture 04-static-local-interrupts (tests/patches/04-static-local-interrupts.patch): create, check, apply, observe, undo.
# show_interrupts() (kernel/irq/proc.c) keeps the
# guest-timeout: 90
# guest-package: f-04 tests/patches/04-static-local-interrupts.patch
fixture_cycle f-04 /hs/patches/04-static-local-interrupts.observe
