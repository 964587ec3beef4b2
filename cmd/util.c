// SPDX-License-Identifier: GPL-2.0
/* util.c - what several subcommands share: signal handling, option values. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/cache.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	(void)sig;
	caught = 1;
}

/* SIGINT, SIGTERM and SIGHUP go to @handler from now on. */
static void on_signals(void (*handler)(int))
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

const volatile sig_atomic_t *hs_cmd_catch_signals(void)
{
	on_signals(on_signal);
	return &caught;
}

static void remove_and_die(int sig)
{
	hs_tmpdirs_remove_after_exit();
	signal(sig, SIG_DFL);
	raise(sig);
}

void hs_cmd_remove_tmpdirs_on_signal(void)
{
	on_signals(remove_and_die);
}

int hs_cmd_seconds(const struct hs_ctx *ctx, const char *opt, const char *arg, double *out)
{
	char *end;

	*out = strtod(arg, &end);
	if (end == arg || *end || !(*out > 0)) {
		hs_err(ctx, "%s: '%s' is not a number of seconds", opt, arg);
		return -1;
	}
	return 0;
}

int hs_cmd_parse_count(const struct hs_ctx *ctx, const char *opt, const char *arg, size_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (end == arg || *end || arg[0] == '-' || !v || v > 1000000) {
		hs_err(ctx, "%s: '%s' is not a positive count", opt, arg);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

bool hs_cmd_env_flag(const char *name)
{
	const char *e = getenv(name);

	return e && *e && strcmp(e, "0");
}
