// SPDX-License-Identifier: GPL-2.0
/* list.c - `hotsplice list`: the applied updates, reconciled with the kernel. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "core/json.h"
#include "target/replay.h"
#include "target/status.h"

/* What replay did at this boot, or why it is disabled; "" when neither is known. */
static void replay_status(char *buf, size_t size)
{
	struct hs_replay_opts o = { 0 };
	char why[512];

	if (!hs_replay_marker(NULL, buf, size))
		return;
	if (hs_replay_disabled(&o, why, sizeof(why)))
		snprintf(buf, size, "disabled: %s", why);
	else
		buf[0] = 0;
}

static void print_json(const struct hs_status *s, const char *replay)
{
	printf("{\"kernel\": ");
	hs_json_str(stdout, s->release);
	printf(", \"replay\": ");
	hs_json_str(stdout, *replay ? replay : NULL);
	printf(", \"updates\": [");
	for (size_t i = 0; i < s->nitems; i++) {
		const struct hs_item *it = &s->items[i];
		const struct hs_state_entry *e = it->e;

		printf("%s\n  {\"id\": ", i ? "," : "");
		hs_json_str(stdout, e ? e->id : NULL);
		printf(", \"state\": \"%s\", \"livepatch\": ", hs_item_state_name(it->state));
		hs_json_str(stdout, it->livepatch ? it->livepatch : e ? e->module : NULL);
		printf(", \"description\": ");
		hs_json_str(stdout, e ? e->description : NULL);
		printf(", \"functions\": ");
		hs_json_str(stdout, e ? e->funcs : NULL);
		printf(", \"target_release\": ");
		hs_json_str(stdout, e ? e->release : NULL);
		printf(", \"effective_version\": ");
		hs_json_str(stdout, e ? e->effective : NULL);
		printf(", \"replaced_by\": ");
		hs_json_str(stdout, e ? e->superseded_by : NULL);
		printf(", \"applied_at\": %lld}", e ? e->when : 0LL);
	}
	printf("%s]}\n", s->nitems ? "\n" : "");
}

/* Print, after *@n earlier ones, the updates @id took the place of, and theirs. */
static void includes_of(const struct hs_state *st, const char *id, size_t *n, size_t depth)
{
	for (size_t i = 0; i < st->n && depth <= st->n; i++) {
		const struct hs_state_entry *e = &st->v[i];

		if (!e->superseded_by || strcmp(e->superseded_by, id))
			continue;
		includes_of(st, e->id, n, depth + 1);
		if (!(*n)++)
			printf("%-20s %-13s %-19s   includes: %s", "", "", "", e->id);
		else
			printf(", %s", e->id);
	}
}

/* "includes: A, B" under a cumulative update's line. */
static void print_includes(const struct hs_state *st, const char *id)
{
	size_t n = 0;

	includes_of(st, id, &n, 0);
	if (n)
		printf("\n");
}

static void print_text(const struct hs_status *s, int all, const char *replay)
{
	size_t shown = 0;

	for (size_t i = 0; i < s->nitems; i++) {
		const struct hs_item *it = &s->items[i];
		char when[32] = "-";

		if (!all && (it->state == HS_ITEM_OTHER_KERNEL || it->state == HS_ITEM_SUPERSEDED))
			continue;
		if (it->e) {
			time_t t = (time_t)it->e->when;

			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
		}
		if (!shown++)
			printf("%-20s %-13s %-19s %s\n", "ID", "STATE", "APPLIED", "DESCRIPTION / FUNCTIONS");
		if (!it->e) {
			int left = s->st.intent && !strcmp(s->st.intent, it->livepatch);

			printf("%-20s %-13s %-19s livepatch '%s' is loaded but hotsplice has no record of it%s\n",
			       "-", hs_item_state_name(it->state), when, it->livepatch,
			       left ? " (left by an interrupted apply; the next apply, undo or replay takes it out)" : "");
			continue;
		}
		printf("%-20s %-13s %-19s %s\n", it->e->id, hs_item_state_name(it->state), when,
		       it->e->description);
		printf("%-20s %-13s %-19s   functions: %s", "", "", "", it->e->funcs);
		if (it->state == HS_ITEM_OTHER_KERNEL)
			printf(" (for kernel %s)", it->e->release);
		if (it->e->superseded_by)
			printf(" (replaced by '%s', which includes it)", it->e->superseded_by);
		printf("\n");
		print_includes(&s->st, it->e->id);
	}
	if (!shown)
		printf("no updates applied to %s\n", s->release);
	if (*replay)
		printf("replay at this boot: %s\n", replay);
}

int cmd_list(struct hs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct hs_status s;
	char replay[1024];
	int c, json = 0, all = 0, err;

	while ((c = getopt_long(argc, argv, "a", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'a': all = 1; break;
		default:
			hs_cmd_usage(hs_cmd_find("list"), 1);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		hs_cmd_usage(hs_cmd_find("list"), 1);
		return EXIT_USAGE;
	}
	err = hs_status_load(ctx, hs_state_default_root(), &s);
	if (err)
		return hs_exit_code(err);
	replay_status(replay, sizeof(replay));
	if (json)
		print_json(&s, replay);
	else
		print_text(&s, all, replay);
	hs_status_free(&s);
	return EXIT_OK;
}
