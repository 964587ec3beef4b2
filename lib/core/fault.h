/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault.h - fault injection for tests: make a step fail, or stop the process at
 * a point, so the rollback paths can be tested on a real kernel. A point acts
 * only when the environment variable HS_FAULT_<POINT> is set (documented in
 * the tests that use it, tests/guest/scenarios/rollback-*.sh); nothing else
 * reads these variables.
 */
#ifndef HS_FAULT_H
#define HS_FAULT_H

#include "core/hotsplice.h"

/*
 * Fault point @point (e.g. "RECORD" reads $HS_FAULT_RECORD): "fail" returns
 * -EIO with a message naming the point, "stop" stops the process (SIGSTOP)
 * until it is continued or killed, then returns 0. Unset: 0.
 */
int hs_fault(const struct hs_ctx *ctx, const char *point);

#endif
