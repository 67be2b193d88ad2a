/* calloff_history.c — a package's history (calloff.h, calloff_history): the call-offs
 * of its chain, the original and its variations, with their pauses, oldest first. */
#include "calloff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calloff_pauses.h"
#include "util.h"

static enum br_status history_add(struct calloff_event_row **rows, int *n, int *cap, struct calloff_event_row *r,
				  char **why)
{
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 16;
		struct calloff_event_row *g = realloc(*rows, (size_t)nc * sizeof *g);
		if (!g)
			return br_fail(why, BR_NOMEM, "out of memory");
		*rows = g;
		*cap = nc;
	}
	(*rows)[(*n)++] = *r;
	return BR_OK;
}

/* A pause in the history: paused (or scheduled, or called off), the
 * retainer lapsing, the resume. */
struct history_at {
	struct calloff_event_row **rows;
	int *n, *cap;
	const struct calloff_info *c;
};

static enum br_status history_pause(void *ctx, const struct calloff_pause_row *x, char **why)
{
	struct history_at *h = ctx;
	const struct calloff_info *c = h->c;
	struct calloff_event_row p = {.calloff_id = c->id, .units = c->units};
	text_copy(p.date, sizeof p.date, x->from);
	p.weekly_cost = x->retain ? c->weekly_cost * x->retain_pct / 100 : 0;
	text_copy(p.what, sizeof p.what, x->called_off ? "pause called off" : !x->begun ? "pause scheduled"
					 : x->retain ? "paused, retained" : "paused, released");
	text_copy(p.who, sizeof p.who, x->paused_by);
	if (x->retain)
		snprintf(p.why, sizeof p.why, "%s, kept to %s", pause_reason_text(x->reason), x->retain_until);
	else
		snprintf(p.why, sizeof p.why, "%s", pause_reason_text(x->reason));
	enum br_status st = history_add(h->rows, h->n, h->cap, &p, why);
	if (st == BR_OK && x->retainer_lapsed) {
		struct calloff_event_row l = {.calloff_id = c->id, .units = c->units};
		text_copy(l.date, sizeof l.date, x->released_on);
		text_copy(l.what, sizeof l.what, "retainer lapsed");
		text_copy(l.who, sizeof l.who, "system");
		text_copy(l.why, sizeof l.why, "capacity released");
		st = history_add(h->rows, h->n, h->cap, &l, why);
	}
	if (st == BR_OK && x->resumed_on[0]) {
		struct calloff_event_row u = {.calloff_id = c->id, .units = c->units, .weekly_cost = c->weekly_cost};
		text_copy(u.date, sizeof u.date, x->resumed_on);
		text_copy(u.what, sizeof u.what, "resumed");
		text_copy(u.who, sizeof u.who, x->resumed_by);
		st = history_add(h->rows, h->n, h->cap, &u, why);
	}
	return st;
}

enum br_status calloff_history(struct session *s, int64_t id, struct calloff_event_row **rows, int *n, char **why)
{
	*rows = NULL;
	*n = 0;
	/* back to the original of the chain */
	int64_t first = id;
	for (int guard = 0; guard < 1000; guard++) {
		struct calloff_info c;
		enum br_status st = calloff_get(s, first, &c, why);
		if (st != BR_OK)
			return st;
		if (!c.varied_from)
			break;
		first = c.varied_from;
	}
	int cap = 0;
	enum br_status st = BR_OK;
	for (int64_t at = first; at && st == BR_OK;) {
		struct calloff_info c;
		if ((st = calloff_get(s, at, &c, why)) != BR_OK)
			break;
		struct calloff_event_row r = {.calloff_id = c.id, .units = c.units, .weekly_cost = c.weekly_cost};
		text_copy(r.date, sizeof r.date, c.start);
		text_copy(r.what, sizeof r.what, c.varied_from ? "varied" : "placed");
		text_copy(r.who, sizeof r.who, c.proposed_by);
		text_copy(r.why, sizeof r.why, c.varied_from ? c.change_reason : c.tier);
		if (strcmp(c.status, "awaiting_approval") == 0 || strcmp(c.status, "rejected") == 0 ||
		    strcmp(c.status, "cancelled") == 0) {
			snprintf(r.what, sizeof r.what, "%s (%.10s)", c.varied_from ? "varied" : "placed",
				 strcmp(c.status, "awaiting_approval") == 0 ? "awaiting" : c.status);
		}
		if ((st = history_add(rows, n, &cap, &r, why)) != BR_OK)
			break;
		/* its pauses */
		struct history_at h = {rows, n, &cap, &c};
		if ((st = calloff_pauses_each(s, c.id, history_pause, &h, why)) != BR_OK)
			break;
		if (strcmp(c.status, "ended") == 0 && !c.varied_to) {
			struct calloff_event_row e = {.calloff_id = c.id, .units = c.units};
			text_copy(e.date, sizeof e.date, c.end);
			text_copy(e.what, sizeof e.what, "ended");
			text_copy(e.why, sizeof e.why, end_reason_text(c.ended_reason));
			st = history_add(rows, n, &cap, &e, why);
		} else if (strcmp(c.status, "active") == 0 && c.end[0]) {
			struct calloff_event_row e = {.calloff_id = c.id, .units = c.units};
			text_copy(e.date, sizeof e.date, c.end);
			text_copy(e.what, sizeof e.what, "ends");
			text_copy(e.why, sizeof e.why, c.ended_reason[0] ? end_reason_text(c.ended_reason)
					: c.handback_notice[0] ? "handed back" : "");
			st = history_add(rows, n, &cap, &e, why);
		}
		at = c.varied_to;
	}
	if (st != BR_OK) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return st;
}

