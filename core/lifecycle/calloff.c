/* calloff.c — every state change of a call-off, through one table. */
#include "calloff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "request.h"
#include "offers.h"
#include "broker_internal.h"
#include "calloff_pauses.h"
#include "calloff_rows.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite_beds.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- the transition table ------------------------------------------------------------
 *
 * from -> event -> to, who may, and what it does to capacity (units; every
 * service but respite), beds (nights; respite), the request and the
 * approval. HACKING.md shows the same table; a test checks that the units
 * column agrees with the holds column of calloff_states.h. */

#define R(from, ev, to, who, units, beds, req, apr) \
	{CS_##from, CE_##ev, CS_##to, WHO_##who, UNITS_##units, BEDS_##beds, REQ_##req, APR_##apr}

static const struct calloff_transition_row table[] = {
	/* accepting an offer: the call-off is proposed, then at once one of these */
	R(PROPOSED, ACCEPT, AWAITING, BROKER, TAKE, CHECK, PLACE, FILE),
	R(PROPOSED, ACCEPT, APPROVED, BROKER, TAKE, CHECK, PLACE, KEEP),
	R(PROPOSED, ACCEPT, ACTIVE, BROKER, TAKE, CHECK, PLACE, KEEP),
	/* emergency respite: active at once, approved afterwards */
	R(PROPOSED, BOOK, ACTIVE, RESPITE, TAKE, CHECK, PLACE, FILE),
	R(AWAITING, APPROVE, APPROVED, APPROVER, KEEP, KEEP, KEEP, APPROVE),
	R(AWAITING, APPROVE, ACTIVE, APPROVER, KEEP, KEEP, KEEP, APPROVE),
	R(ACTIVE, APPROVE, ACTIVE, APPROVER, KEEP, KEEP, KEEP, APPROVE),   /* emergency */
	R(ENDED, APPROVE, ENDED, APPROVER, KEEP, KEEP, KEEP, APPROVE),     /* emergency, already over */
	R(AWAITING, REJECT, REJECTED, APPROVER, RETURN, KEEP, REOPEN, REJECT),
	R(ACTIVE, REJECT, ENDED, APPROVER, RETURN, AFTER_TONIGHT, REOPEN, REJECT), /* emergency */
	R(ENDED, REJECT, ENDED, APPROVER, KEEP, KEEP, KEEP, REJECT),       /* emergency, already over */
	R(PROPOSED, CANCEL, CANCELLED, BROKER, KEEP, KEEP, REOPEN, WITHDRAW),
	R(AWAITING, CANCEL, CANCELLED, BROKER, RETURN, KEEP, REOPEN, WITHDRAW),
	R(APPROVED, CANCEL, CANCELLED, BROKER, RETURN, KEEP, REOPEN, WITHDRAW),
	R(APPROVED, ACTIVATE, ACTIVE, SYSTEM, KEEP, KEEP, KEEP, KEEP),
	/* a hand-back keeps the care (and the capacity) until the notice date */
	R(APPROVED, HANDBACK, APPROVED, BROKER, KEEP, KEEP, REOPEN_HANDBACK, KEEP),
	R(ACTIVE, HANDBACK, ACTIVE, BROKER, KEEP, KEEP, REOPEN_HANDBACK, KEEP),
	R(ACTIVE, END, ENDED, SYSTEM, RETURN, KEEP, KEEP, KEEP),
	/* a suspension withdraws what has not started; care under way goes on */
	R(PROPOSED, SUSPEND, CANCELLED, SUSPENDER, KEEP, KEEP, REOPEN, WITHDRAW),
	R(AWAITING, SUSPEND, CANCELLED, SUSPENDER, RETURN, KEEP, REOPEN, WITHDRAW),
	R(APPROVED, SUSPEND, CANCELLED, SUSPENDER, RETURN, KEEP, REOPEN, WITHDRAW),
	R(ACTIVE, EXTEND, ACTIVE, RESPITE, KEEP, CHECK_ADDED, KEEP, KEEP), /* emergency respite */
	/* live packages. A variation: the old call-off ends the day before the
	 * date (varied: its units pass to the new one), the new one takes its
	 * units and goes through the approval rules like any other, so the
	 * capacity moves by the difference only. */
	R(ACTIVE, VARY, VARIED, BROKER, RETURN, KEEP, KEEP, KEEP),
	R(PROPOSED, VARY, AWAITING, BROKER, TAKE, KEEP, KEEP, FILE),
	R(PROPOSED, VARY, APPROVED, BROKER, TAKE, KEEP, KEEP, KEEP),
	R(PROPOSED, VARY, ACTIVE, BROKER, TAKE, KEEP, KEEP, KEEP),
	R(VARIED, UNVARY, ACTIVE, SYSTEM, TAKE, KEEP, KEEP, KEEP),     /* the variation rejected or cancelled */
	R(VARIED, END, ENDED, SYSTEM, KEEP, KEEP, KEEP, KEEP),         /* the day before the new one starts */
	/* a pause: on a retainer the provider keeps the capacity, else it goes back */
	R(ACTIVE, PAUSE, PAUSED, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(ACTIVE, PAUSE, PAUSED_RELEASED, BROKER, RETURN, KEEP, KEEP, KEEP),
	R(PAUSED, RETAINER, PAUSED_RELEASED, SYSTEM, RETURN, KEEP, KEEP, KEEP),
	R(PAUSED, RESUME, ACTIVE, BROKER, KEEP, KEEP, KEEP, KEEP),
	/* a pause from a later date: scheduled now, begun by the clock on the
	 * day (capacity kept until then), or called off before it begins */
	R(ACTIVE, PAUSE, ACTIVE, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(ACTIVE, PAUSE_BEGIN, PAUSED, SYSTEM, KEEP, KEEP, KEEP, KEEP),
	R(ACTIVE, PAUSE_BEGIN, PAUSED_RELEASED, SYSTEM, RETURN, KEEP, KEEP, KEEP),
	R(ACTIVE, UNPAUSE, ACTIVE, BROKER, KEEP, KEEP, KEEP, KEEP),
	/* the same on care approved to start later: scheduled from any day it
	 * will be running, begun by the clock once it has started */
	R(APPROVED, PAUSE, APPROVED, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(APPROVED, UNPAUSE, APPROVED, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(PAUSED_RELEASED, RESUME, ACTIVE, BROKER, TAKE, KEEP, KEEP, KEEP),
	R(PAUSED, END, ENDED, SYSTEM, RETURN, KEEP, KEEP, KEEP),          /* its end date came while paused */
	R(PAUSED_RELEASED, END, ENDED, SYSTEM, KEEP, KEEP, KEEP, KEEP),
	/* an end from a date: a later date keeps care and capacity until the clock ends it */
	R(ACTIVE, STOP, ACTIVE, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(ACTIVE, STOP, ENDED, BROKER, RETURN, KEEP, KEEP, KEEP),
	R(PAUSED, STOP, ENDED, BROKER, RETURN, KEEP, KEEP, KEEP),
	R(PAUSED_RELEASED, STOP, ENDED, BROKER, KEEP, KEEP, KEEP, KEEP),
	R(VARIED, STOP, ENDED, BROKER, KEEP, KEEP, KEEP, KEEP),        /* a death before the variation starts */
};
#undef R

const struct calloff_transition_row *calloff_table(int *n)
{
	*n = (int)(sizeof table / sizeof table[0]);
	return table;
}

static const struct {
	const char *text, *done, *action;
} events[CE_COUNT] = {
#define X(id, text, done, action) [CE_##id] = {text, done, action},
	CALLOFF_EVENT_LIST(X)
#undef X
};

const char *calloff_event_text(int ev) { return ev >= 0 && ev < CE_COUNT ? events[ev].text : "?"; }

/* ---- call-offs --------------------------------------------------------------------- */

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why)
{
	return calloff_rows_get(s, id, c, why);
}

const char *handback_text(int i)
{
	static const char *const texts[] = {
#define X(code, text) text,
		HANDBACK_REASON_LIST(X)
#undef X
	};
	return i >= 0 && i < (int)(sizeof texts / sizeof texts[0]) ? texts[i] : "";
}

int handback_find(const char *code)
{
	static const char *const codes[] = {
#define X(code, text) #code,
		HANDBACK_REASON_LIST(X)
#undef X
	};
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return (int)i;
	return -1;
}

/* ---- the one transition function --------------------------------------------------- */

enum br_status calloff_create(struct session *s, const struct calloff_spec *c, int64_t *id, char **why)
{
	return calloff_rows_insert(s, c, id, why);
}

static enum br_status move_units(struct session *s, const struct calloff_info *c, enum calloff_units u, char **why)
{
	if (u == UNITS_KEEP || strcmp(c->service, "RSP") == 0)
		return BR_OK; /* respite beds are counted by nights, never as units */
	return calloff_rows_move_units(s, c, u == UNITS_TAKE, why);
}

static enum br_status beds_free_on(struct session *s, const struct calloff_info *c, int64_t first, int64_t last,
				   char **why)
{
	int lowest;
	int64_t full;
	enum br_status st = respite_beds(s, c->provider_id, c->locality, first, last, &lowest, &full, why);
	if (st != BR_OK)
		return st;
	if (full >= 0) {
		char d[11];
		date_format(full, d);
		return br_fail(why, BR_CONFLICT, "%s has no respite bed free in %s on the night of %s", c->provider,
			       c->locality, d);
	}
	return BR_OK;
}

static enum br_status set_request(struct session *s, const struct calloff_info *c, enum calloff_request r,
				  const char *why_text, char **why)
{
	if (r == REQ_KEEP)
		return BR_OK;
	if (r == REQ_PLACE)
		return calloff_rows_place_request(s, c, why);
	/* reopen: only a placed request (one already open stays as it is), and
	 * not for a call-off already handed back: the hand-back reopened it, and
	 * another call-off may have placed it since */
	if (c->handback_notice[0] && r != REQ_REOPEN_HANDBACK)
		return BR_OK;
	return calloff_rows_reopen_request(s, c, r == REQ_REOPEN_HANDBACK, why_text, why);
}

static enum br_status settle_approval(struct session *s, const struct calloff_info *c, enum calloff_approval a,
				      const struct calloff_args *args, char **why)
{
	if (a == APR_KEEP)
		return BR_OK;
	if (a == APR_FILE)
		return args && args->fired ? approval_file(s, c->id, args->annual_cost, args->due, args->facts, args->fired,
							 args->approval_id, why)
					   : BR_OK;
	const char *note = args && args->note ? args->note : "";
	return approval_settle(s, c->id, a == APR_APPROVE ? APPROVAL_SETTLE_APPROVE
					 : a == APR_REJECT ? APPROVAL_SETTLE_REJECT : APPROVAL_SETTLE_WITHDRAW, note, why);
}

/* The pause rows beside a pause, a retainer running out and a resume;
 * their words go into the audit row's detail. */
static enum br_status keep_pauses(struct session *s, const struct calloff_info *c, const struct calloff_transition_row *t,
				  const struct calloff_args *a, const char *today, char *detail, size_t dn, char **why)
{
	switch (t->event) {
	case CE_PAUSE_BEGIN:
		snprintf(detail, dn, "from=%s %s", c->pause_from, t->to == CS_PAUSED ? "retained" : "released");
		return calloff_pauses_begin(s, c->id, why);
	case CE_UNPAUSE:
		snprintf(detail, dn, "pause_from=%s called off", c->pause_from);
		return calloff_pauses_unpause(s, c->id, today, why);
	case CE_PAUSE: {
		/* to active (or approved, not started yet): a pause from a later date, scheduled */
		bool scheduled = t->to == CS_ACTIVE || t->to == CS_APPROVED;
		bool retain = scheduled ? a->retain : t->to == CS_PAUSED;
		int64_t from = 0;
		if (!a->date || date_parse(a->date, &from, NULL) != BR_OK)
			return br_fail(why, BR_DATA, "a pause needs its date");
		char until[11] = "";
		if (retain)
			date_format(from + s->cfg.retainer_days - 1, until);
		struct calloff_pause_new p = {
			.reason = a->note, .from = a->date, .retain = retain, .begun = !scheduled,
			.retain_until = retain ? until : NULL, .retain_pct = retain ? s->cfg.retainer_share_pct : 0,
			.released_on = retain || scheduled ? NULL : a->date,
		};
		if (retain)
			snprintf(detail, dn, "from=%s retainer=%d%% until=%s%s", a->date, s->cfg.retainer_share_pct, until,
				 scheduled ? " scheduled" : "");
		else
			snprintf(detail, dn, "from=%s released%s", a->date, scheduled ? " scheduled" : "");
		return calloff_pauses_add(s, c->id, &p, why);
	}
	case CE_RETAINER:
		snprintf(detail, dn, "released=%s", today);
		return calloff_pauses_release(s, c->id, today, why);
	case CE_RESUME:
		snprintf(detail, dn, "on=%s", a->date ? a->date : today);
		return calloff_pauses_resume(s, c->id, a->date ? a->date : today, why);
	case CE_STOP:
	case CE_VARY:
		if (a->date && (t->event == CE_STOP || t->from == CS_ACTIVE))
			snprintf(detail, dn, "end=%s", a->date);
		break;
	default:
		break;
	}
	/* care that is over (or never began) never begins a pause scheduled for later */
	if (!calloff_state_in((int)t->to, CG_LIVE) && c->pause_from[0])
		return calloff_pauses_call_off(s, c->id, today, why);
	return BR_OK;
}

static enum br_status who_may(struct session *s, const struct calloff_info *c, const struct calloff_transition_row *t,
			      char **why)
{
	static const char *const suspenders[] = {"supervisor", "admin", NULL};
	const char *what = calloff_event_text(t->event);
	switch (t->who) {
	case WHO_BROKER: return session_require_cap(s, CAP_BROKER, what, why);
	case WHO_RESPITE: return session_require_cap(s, CAP_RESPITE, what, why);
	case WHO_SUSPENDER: return session_require(s, suspenders, "suspending a provider", why);
	case WHO_SYSTEM: return BR_OK;
	case WHO_APPROVER: {
		enum br_status st = session_require_cap(s, CAP_APPROVE, t->event == CE_APPROVE ? "approving" : "rejecting", why);
		if (st != BR_OK)
			return st;
		return approval_four_eyes(s, c->id, t->event == CE_APPROVE, why);
	}
	}
	return BR_OK;
}

enum br_status calloff_transition(struct session *s, int64_t id, enum calloff_event ev, enum calloff_state to,
				  const struct calloff_args *a, char **why)
{
	static const struct calloff_args none = {0};
	if (!a)
		a = &none;
	struct calloff_info c;
	enum br_status st = calloff_get(s, id, &c, why);
	if (st != BR_OK)
		return st;
	int from = calloff_state_find(c.status);
	const struct calloff_transition_row *t = NULL;
	for (size_t i = 0; i < sizeof table / sizeof table[0] && !t; i++)
		if ((int)table[i].from == from && table[i].event == ev && (to == CS_ANY || table[i].to == to))
			t = &table[i];
	if (!t)
		return br_fail(why, BR_CONFLICT, "call-off %lld is %s: it cannot be %s", (long long)id,
			       strcmp(c.status, "awaiting_approval") == 0 ? "awaiting approval" : c.status,
			       events[ev].done);
	if ((st = who_may(s, &c, t, why)) != BR_OK)
		return st;
	bool respite = strcmp(c.service, "RSP") == 0, emergency = strcmp(c.tier, "emergency") == 0;
	char today[11], now[21], detail[400] = "";
	today_text(today);
	now_stamp(now);
	/* what the event needs besides the table */
	char end[11];
	text_copy(end, sizeof end, c.end);
	int64_t units = c.units;
	switch (ev) {
	case CE_APPROVE:
	case CE_REJECT:
		if (from != CS_AWAITING && !emergency)
			return br_fail(why, BR_CONFLICT, "call-off %lld is %s: there is nothing to decide", (long long)id,
				       c.status);
		break;
	case CE_HANDBACK: {
		if (c.handback_notice[0])
			return br_fail(why, BR_CONFLICT, "call-off %lld was already handed back (ends %s)", (long long)id,
				       c.handback_notice);
		int64_t d;
		if (!a->date || (st = date_parse(a->date, &d, why)) != BR_OK)
			return st != BR_OK ? st : br_fail(why, BR_DATA, "a hand-back needs its notice date");
		if (strcmp(a->date, c.start) < 0)
			return br_fail(why, BR_DATA, "notice date %s is before the call-off started (%s)", a->date, c.start);
		if (!c.end[0] || strcmp(a->date, c.end) < 0)
			text_copy(end, sizeof end, a->date);
		text_copy(c.end, sizeof c.end, end); /* the request reopens to start on it */
		break;
	}
	case CE_END: {
		/* care ends on its end date; respite's end date is its last night,
		 * which ends the morning after; a varied call-off's end date is its
		 * last day (the new one starts the day after) */
		char tonight[11];
		date_format(respite_tonight(), tonight);
		if (!c.end[0] || (from == CS_VARIED ? strcmp(c.end, today) >= 0
				  : respite ? strcmp(c.end, tonight) >= 0 : strcmp(c.end, today) > 0))
			return br_fail(why, BR_CONFLICT, "call-off %lld runs until %s", (long long)id, c.end[0] ? c.end : "further notice");
		break;
	}
	case CE_VARY:
		if (from == CS_ACTIVE && a->date)
			text_copy(end, sizeof end, a->date);
		break;
	case CE_UNVARY:
		text_copy(end, sizeof end, a->date ? a->date : "");
		break;
	case CE_STOP:
		if (!a->date || !*a->date)
			return br_fail(why, BR_DATA, "ending a call-off needs its date");
		/* the earlier of the two when it was already due to end */
		if (!c.end[0] || strcmp(a->date, c.end) < 0)
			text_copy(end, sizeof end, strcmp(a->date, c.start) < 0 ? c.start : a->date);
		if (t->to == CS_ACTIVE && strcmp(end, today) <= 0)
			return br_fail(why, BR_CONFLICT, "call-off %lld: an end on %s is not in the future", (long long)id, end);
		break;
	case CE_EXTEND:
		if (!emergency)
			return br_fail(why, BR_CONFLICT, "call-off %lld is not an emergency booking", (long long)id);
		break;
	default:
		break;
	}
	/* beds: respite only, a night at a time */
	int64_t first = 0, last = 0;
	date_parse(c.start, &first, NULL);
	if (c.end[0])
		date_parse(c.end, &last, NULL);
	else
		last = first + c.units - 1;
	if (respite) {
		if (t->beds == BEDS_CHECK && (st = beds_free_on(s, &c, first, last, why)) != BR_OK)
			return st;
		if (t->beds == BEDS_CHECK_ADDED) {
			/* an extension adds nights; a shorter stay is not an extension */
			if (a->nights <= c.units)
				return br_fail(why, BR_DATA, "call-off %lld already has %lld nights: an extension "
							   "adds nights (a shorter stay is a supervisor's reject)",
					       (long long)id, (long long)c.units);
			int64_t new_last = first + a->nights - 1;
			if ((st = beds_free_on(s, &c, last + 1, new_last, why)) != BR_OK)
				return st;
			date_format(new_last, end);
			units = a->nights;
			snprintf(detail, sizeof detail, "nights %lld->%d last=%s", (long long)c.units, a->nights, end);
		}
		if (t->beds == BEDS_AFTER_TONIGHT) {
			/* it already started: the bed is kept for tonight, the rest freed */
			int64_t tonight = respite_tonight(), keep = tonight < first ? first : tonight;
			if (!c.end[0] || keep < last) {
				date_format(keep, end);
				units = keep - first + 1; /* the nights held are the nights paid */
			}
		}
	}
	if ((st = move_units(s, &c, t->units, why)) != BR_OK)
		return st;
	/* the call-off itself */
	const char *reason = a->note && *a->note ? a->note : NULL;
	const char *ended = NULL;
	if (ev == CE_REJECT || ev == CE_CANCEL)
		ended = reason;
	else if (ev == CE_SUSPEND)
		ended = "provider suspended";
	else if (ev == CE_STOP)
		ended = reason;
	else if (ev == CE_UNVARY)
		ended = NULL;
	else if (ev == CE_END && !c.ended_reason[0])
		ended = from == CS_VARIED ? "varied" : c.handback_notice[0] ? "handed back" : "end date reached";
	struct calloff_rows_change ch = {
		.from = c.status, .to = calloff_state_code(t->to), .end = end[0] ? end : NULL, .units = units,
		.ended_reason = ended, .handback_reason = ev == CE_HANDBACK ? a->note : NULL,
		.handback_notice = ev == CE_HANDBACK ? a->date : NULL,
	};
	if ((st = calloff_rows_set_state(s, id, &ch, why)) != BR_OK)
		return st;
	/* the approval waiting for the next working day covers the stay as it
	 * is now; one already decided covered a shorter stay */
	if (ev == CE_EXTEND && (st = approval_recost_pending(s, id, why)) != BR_OK)
		return st;
	/* the request, the approval, the audit row */
	char words[120];
	snprintf(words, sizeof words, "call-off %lld: %s", (long long)id, calloff_event_text(ev));
	if ((st = set_request(s, &c, t->request, words, why)) != BR_OK ||
	    (st = settle_approval(s, &c, t->approval, a, why)) != BR_OK ||
	    (st = keep_pauses(s, &c, t, a, today, detail, sizeof detail, why)) != BR_OK)
		return st;
	char text[600];
	size_t len = (size_t)snprintf(text, sizeof text, "%s->%s", c.status, calloff_state_code(t->to));
	if (ev == CE_HANDBACK)
		len += (size_t)snprintf(text + len, sizeof text - len, " reason=%s notice=%s", a->note, a->date);
	else if (reason && ev != CE_APPROVE && ev != CE_REJECT)
		len += (size_t)snprintf(text + len, sizeof text - len, " reason=%.200s", reason);
	if (detail[0] && len < sizeof text)
		len += (size_t)snprintf(text + len, sizeof text - len, " %s", detail);
	if (a->detail && *a->detail && len < sizeof text)
		snprintf(text + len, sizeof text - len, " %s", a->detail);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	if ((st = audit_append(s->store, t->who == WHO_SYSTEM ? "system" : s->user.login, events[ev].action, "calloff",
			       idtext, text, why)) != BR_OK)
		return st;
	/* a variation that falls through (rejected, cancelled, withdrawn for a
	 * suspension) gives the old call-off back its care and its capacity */
	if ((t->to == CS_REJECTED || t->to == CS_CANCELLED) && c.varied_from) {
		struct calloff_info old;
		if ((st = calloff_get(s, c.varied_from, &old, why)) != BR_OK)
			return st;
		if (strcmp(old.status, "varied") == 0) {
			struct calloff_args back = {.date = c.end};
			return calloff_transition(s, c.varied_from, CE_UNVARY, CS_ANY, &back, why);
		}
	}
	return BR_OK;
}

/* ---- the faces' entry points ------------------------------------------------------- */

/* Run one transition in its own transaction. */
static enum br_status one(struct session *s, int64_t id, enum calloff_event ev, const struct calloff_args *a, char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	if ((st = calloff_transition(s, id, ev, CS_ANY, a, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

enum br_status calloff_handback(struct session *s, int64_t id, const char *reason, const char *notice_date,
				char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a hand-back", why);
	if (st != BR_OK)
		return st;
	if (handback_find(reason) < 0)
		return br_fail(why, BR_DATA, "hand-back reason \"%s\" is not one of no_staff, cannot_meet_need, "
					     "safeguarding, provider_exit, price, other", reason ? reason : "");
	int64_t notice;
	if ((st = date_parse(notice_date, &notice, why)) != BR_OK)
		return st;
	struct calloff_args a = {.note = reason, .date = notice_date};
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	if ((st = calloff_transition(s, id, CE_HANDBACK, CS_ANY, &a, why)) != BR_OK)
		goto fail;
	/* a notice date that has already come ends it now */
	if (notice <= clock_today()) {
		struct calloff_info c;
		if ((st = calloff_get(s, id, &c, why)) != BR_OK)
			goto fail;
		if (strcmp(c.status, "approved") == 0 &&
		    (st = calloff_transition(s, id, CE_ACTIVATE, CS_ANY, NULL, why)) != BR_OK)
			goto fail;
		if ((st = calloff_transition(s, id, CE_END, CS_ANY, NULL, why)) != BR_OK)
			goto fail;
	}
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status calloff_cancel(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "cancelling a call-off", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "cancelling a call-off needs a reason");
	struct calloff_args a = {.note = reason};
	st = one(s, id, CE_CANCEL, &a, why);
	if (st == BR_CONFLICT && why && *why && strstr(*why, "cannot be cancelled")) {
		free(*why);
		*why = NULL;
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK)
			return br_fail(why, BR_CONFLICT, "call-off %lld is %s: hand it back or end it instead",
				       (long long)id, c.status);
		return br_fail(why, BR_CONFLICT, "call-off %lld cannot be cancelled", (long long)id);
	}
	return st;
}

static enum br_status due_ids(struct session *s, enum calloff_rows_due which, int64_t **ids, int *n, char **why)
{
	return calloff_rows_due(s, which, ids, n, why);
}

/* The live-package events of the clock, inside the caller's transaction. */
static enum br_status live_due(struct session *s, int *m, char **why)
{
	int64_t *ids = NULL;
	int n = 0;
	enum br_status st = due_ids(s, CALLOFF_DUE_VARIED, &ids, &n, why);
	for (int i = 0; i < n && st == BR_OK; i++, (*m)++)
		st = calloff_transition(s, ids[i], CE_END, CS_ANY, NULL, why);
	free(ids);
	ids = NULL;
	if (st == BR_OK && (st = due_ids(s, CALLOFF_DUE_PAUSE, &ids, &n, why)) == BR_OK)
		for (int i = 0; i < n && st == BR_OK; i++, (*m)++) {
			struct calloff_info c;
			if ((st = calloff_get(s, ids[i], &c, why)) == BR_OK)
				st = calloff_transition(s, ids[i], CE_PAUSE_BEGIN, c.pause_retain ? CS_PAUSED
												   : CS_PAUSED_RELEASED, NULL, why);
		}
	free(ids);
	ids = NULL;
	if (st == BR_OK && (st = due_ids(s, CALLOFF_DUE_RETAINER, &ids, &n, why)) == BR_OK)
		for (int i = 0; i < n && st == BR_OK; i++, (*m)++)
			st = calloff_transition(s, ids[i], CE_RETAINER, CS_ANY, NULL, why);
	free(ids);
	return st;
}

enum br_status calloffs_activate_due(struct session *s, int *n, char **why)
{
	*n = 0;
	/* look before taking the write turn: usually there is nothing to do */
	int64_t *a = NULL, *e = NULL, *v = NULL, *r = NULL, *p = NULL;
	int na = 0, ne = 0, nv = 0, nr = 0, np = 0;
	enum br_status st = due_ids(s, CALLOFF_DUE_ACTIVATE, &a, &na, why);
	if (st == BR_OK)
		st = due_ids(s, CALLOFF_DUE_END, &e, &ne, why);
	if (st == BR_OK)
		st = due_ids(s, CALLOFF_DUE_VARIED, &v, &nv, why);
	if (st == BR_OK)
		st = due_ids(s, CALLOFF_DUE_RETAINER, &r, &nr, why);
	if (st == BR_OK)
		st = due_ids(s, CALLOFF_DUE_PAUSE, &p, &np, why);
	free(a);
	free(e);
	free(v);
	free(r);
	free(p);
	a = e = NULL;
	if (st != BR_OK || (na == 0 && ne == 0 && nv == 0 && nr == 0 && np == 0))
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	int m = 0;
	/* inside the turn, again: another session may have done it */
	if ((st = due_ids(s, CALLOFF_DUE_ACTIVATE, &a, &na, why)) == BR_OK)
		for (int i = 0; i < na && st == BR_OK; i++, m++)
			st = calloff_transition(s, a[i], CE_ACTIVATE, CS_ANY, NULL, why);
	if (st == BR_OK && (st = due_ids(s, CALLOFF_DUE_END, &e, &ne, why)) == BR_OK)
		for (int i = 0; i < ne && st == BR_OK; i++, m++)
			st = calloff_transition(s, e[i], CE_END, CS_ANY, NULL, why);
	if (st == BR_OK)
		st = live_due(s, &m, why);
	free(a);
	free(e);
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	*n = m;
	return store_commit(s->store, why);
}

void calloff_status_words(const struct calloff_info *c, char *out, size_t n)
{
	const char *status = strcmp(c->status, "awaiting_approval") == 0 ? "awaiting approval" : c->status;
	bool live = strcmp(c->status, "active") == 0 || strcmp(c->status, "approved") == 0;
	char today[11], when[24];
	today_text(today);
	if (live && c->handback_notice[0] &&
	    date_words_text(c->end[0] ? c->end : c->handback_notice, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, handed back, ends %s", status, when);
	else if (live && c->pause_from[0] && date_words_text(c->pause_from, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, pause %s %s (%s)", status, strcmp(c->pause_from, today) > 0 ? "scheduled from"
				 : "due from", when, c->pause_retain ? "retainer" : "release");
	else if (strcmp(c->status, "paused") == 0)
		snprintf(out, n, "paused, on a retainer");
	else if (strcmp(c->status, "paused_released") == 0)
		snprintf(out, n, "paused, capacity released");
	else if ((strcmp(c->status, "varied") == 0 || (strcmp(c->status, "active") == 0 && c->ended_reason[0] &&
		  strcmp(c->service, "RSP") != 0)) &&
		 date_words_text(c->end, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, ends %s", status, when);
	else
		snprintf(out, n, "%s", status);
}

/* ---- live packages ------------------------------------------------------------------ */

const char *const calloff_pause_codes[] = {
#define X(code, text) #code,
	PAUSE_REASON_LIST(X)
#undef X
};
const char *const calloff_pause_texts[] = {
#define X(code, text) text,
	PAUSE_REASON_LIST(X)
#undef X
};
const char *const calloff_end_codes[] = {
#define X(code, text) #code,
	END_REASON_LIST(X)
#undef X
};
const char *const calloff_end_texts[] = {
#define X(code, text) text,
	END_REASON_LIST(X)
#undef X
};

static int find_code(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return (int)i;
	return -1;
}

int pause_reason_find(const char *code) { return find_code(calloff_pause_codes, sizeof calloff_pause_codes / sizeof *calloff_pause_codes, code); }
int end_reason_find(const char *code) { return find_code(calloff_end_codes, sizeof calloff_end_codes / sizeof *calloff_end_codes, code); }

const char *pause_reason_text(const char *code)
{
	int i = pause_reason_find(code);
	return i < 0 ? (code ? code : "") : calloff_pause_texts[i];
}

const char *end_reason_text(const char *code)
{
	int i = end_reason_find(code);
	return i < 0 ? (code ? code : "") : calloff_end_texts[i];
}

/* A date the caller typed, checked; out gets it back in ISO form. */
static enum br_status a_date(const char *in, const char *what, int64_t *day, char out[11], char **why)
{
	if (!text_present(in))
		return br_fail(why, BR_USAGE, "%s needs a date (--from YYYY-MM-DD)", what);
	enum br_status st = date_parse(in, day, why);
	if (st == BR_OK)
		date_format(*day, out);
	return st;
}

static enum br_status live_only(const struct calloff_info *c, const char *what, char **why)
{
	if (strcmp(c->service, "RSP") == 0 || strcmp(c->tier, "emergency") == 0)
		return br_fail(why, BR_CONFLICT, "call-off %lld is respite, booked by the night: extend it or let it end "
						 "instead of %s it", (long long)c->id, what);
	return BR_OK;
}

/* A pause scheduled for later stands in the way of some changes. */
static enum br_status pause_scheduled_none(struct session *s, const struct calloff_info *c, const char *what,
					   char **why)
{
	(void)s;
	if (!c->pause_from[0])
		return BR_OK;
	return br_fail(why, BR_CONFLICT, "call-off %lld has a pause scheduled from %s: resume it to call the pause off "
					 "before you %s it", (long long)c->id, c->pause_from, what);
}

static enum br_status finish(struct session *s, enum br_status st, char **why)
{
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

enum br_status calloff_vary(struct session *s, int64_t id, int64_t units, const char *from, const char *reason,
			    int64_t *new_id, char **why)
{
	struct vary_terms t = {.units = units, .rate = 0, .asc_pct = -1};
	return calloff_vary_terms(s, id, &t, from, reason, new_id, why);
}

enum br_status calloff_vary_terms(struct session *s, int64_t id, const struct vary_terms *t, const char *from,
				  const char *reason, int64_t *new_id, char **why)
{
	int64_t units = t->units;
	enum br_status st = session_require_cap(s, CAP_BROKER, "varying a call-off", why);
	if (st != BR_OK)
		return st;
	int64_t d;
	char dtext[11], last[11];
	if ((st = a_date(from, "a variation", &d, dtext, why)) != BR_OK)
		return st;
	if (units < 0 || units > 10000)
		return br_fail(why, BR_DATA, "units %lld: a variation needs 1 or more", (long long)units);
	if (t->rate < 0 || t->rate > 10000000)
		return br_fail(why, BR_DATA, "rate %lld: a unit rate is a positive number of pence", (long long)t->rate);
	if (t->asc_pct > 100)
		return br_fail(why, BR_DATA, "--asc-pct %d: the council's share is 0 to 100", t->asc_pct);
	if (units == 0 && t->rate == 0 && t->asc_pct < 0)
		return br_fail(why, BR_USAGE, "a variation changes the units, the rate or the funding split");
	date_format(d - 1, last);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	struct request_info req;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK || (st = live_only(&c, "varying", why)) != BR_OK ||
	    (st = request_get(s, c.request_id, &req, why)) != BR_OK)
		return finish(s, st, why);
	if (strcmp(c.status, "active") != 0) {
		st = c.varied_to ? br_fail(why, BR_CONFLICT, "call-off %lld was varied: vary call-off %lld instead",
					   (long long)id, (long long)c.varied_to)
				 : br_fail(why, BR_CONFLICT, "call-off %lld is %s: only care under way can be varied "
							     "(change a request, or cancel a call-off, before it starts)",
					   (long long)id, strcmp(c.status, "awaiting_approval") == 0 ? "awaiting approval"
												 : c.status);
		return finish(s, st, why);
	}
	if (c.handback_notice[0]) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld was handed back (ends %s): place the new package on its "
					       "request instead", (long long)id, c.handback_notice);
		return finish(s, st, why);
	}
	/* what is not given stays as it is */
	if (units == 0)
		units = c.units;
	int64_t rate = t->rate ? t->rate : c.unit_rate;
	int asc_pct = t->asc_pct >= 0 ? t->asc_pct : c.asc_pct;
	if (units == c.units && rate == c.unit_rate && asc_pct == c.asc_pct) {
		st = br_fail(why, BR_DATA, "call-off %lld already has %lld %s at %lld pence, council %d%%: nothing to vary",
			     (long long)id, (long long)units, service_unit(service_find(c.service)), (long long)rate,
			     asc_pct);
		return finish(s, st, why);
	}
	if ((st = pause_scheduled_none(s, &c, "vary", why)) != BR_OK)
		return finish(s, st, why);
	if (strcmp(dtext, c.start) <= 0) {
		st = br_fail(why, BR_DATA, "a variation from %s: call-off %lld started on %s, so the change starts the "
					   "day after at the earliest", dtext, (long long)id, c.start);
		return finish(s, st, why);
	}
	if (c.end[0] && strcmp(dtext, c.end) >= 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld ends on %s, before the variation would start (%s)",
			     (long long)id, c.end, dtext);
		return finish(s, st, why);
	}
	/* the approval rules, as for any call-off; a decrease needs none: an
	 * increase is a dearer week, or a bigger share of it for the council */
	bool increase = rate * units > c.weekly_cost ||
			rate * units * asc_pct > c.weekly_cost * c.asc_pct;
	struct rule_facts facts = rules_facts_of(&(struct rule_placement){
		.service = c.service, .unit_rate = rate, .units = units, .start_day = d, .dob = req.dob,
		.tier = c.tier, .override_kind = c.override_kind, .locality = req.locality,
		.person_locality = req.person_locality});
	unsigned fired = increase ? rules_approval(&s->cfg, &facts) : 0;
	enum calloff_state to = fired ? CS_AWAITING : d <= clock_today() ? CS_ACTIVE : CS_APPROVED;
	/* free capacity before, for a refusal in words */
	int64_t free_before;
	if ((st = calloff_rows_capacity_free(s, &c, &free_before, why)) != BR_OK)
		return finish(s, st, why);
	struct calloff_spec spec = {
		.request_id = c.request_id, .provider_id = c.provider_id, .offer_id = 0, .tier = c.tier,
		.override_kind = c.override_kind, .override_reason = c.override_reason, .service = c.service,
		.locality = c.locality, .unit_rate = rate, .units = units, .asc_pct = asc_pct,
		.start = dtext, .end = c.end[0] ? c.end : NULL, .continuity = c.continuity,
	};
	int64_t nid = 0;
	if ((st = calloff_create(s, &spec, &nid, why)) != BR_OK)
		return finish(s, st, why);
	if ((st = calloff_rows_link_variation(s, nid, id, text_present(reason) ? reason : NULL, why)) != BR_OK)
		return finish(s, st, why);
	char detail[200], change[120];
	snprintf(change, sizeof change, "units %lld->%lld rate %lld->%lld asc_pct %d->%d", (long long)c.units,
		 (long long)units, (long long)c.unit_rate, (long long)rate, c.asc_pct, asc_pct);
	snprintf(detail, sizeof detail, "to=%lld %s from=%s", (long long)nid, change, dtext);
	struct calloff_args old = {.date = last, .note = text_present(reason) ? reason : NULL, .detail = detail};
	if ((st = calloff_transition(s, id, CE_VARY, CS_VARIED, &old, why)) != BR_OK)
		return finish(s, st, why);
	snprintf(detail, sizeof detail, "from=%lld %s weekly=%lld", (long long)id, change, (long long)(rate * units));
	struct calloff_args fresh = {.detail = detail, .facts = &facts, .fired = fired,
				     .annual_cost = service_annual_cost(facts.service, rate, units)};
	if ((st = calloff_transition(s, nid, CE_VARY, to, &fresh, why)) != BR_OK) {
		if (st == BR_CONFLICT && units > c.units && free_before >= 0) {
			br_free_str(why);
			st = br_fail(why, BR_CONFLICT, "%s has %lld %s free in %s: the increase of %lld needs %lld "
						       "(offer the extra to the cascade as a request of its own)",
				     c.provider, (long long)free_before, service_unit(service_find(c.service)), c.locality,
				     (long long)(units - c.units), (long long)(units - c.units));
		}
		return finish(s, st, why);
	}
	/* a variation from a day already gone: the old one is over now */
	if (to != CS_AWAITING && strcmp(last, c.start) >= 0 && d <= clock_today() &&
	    (st = calloff_transition(s, id, CE_END, CS_ANY, NULL, why)) != BR_OK)
		return finish(s, st, why);
	if (new_id)
		*new_id = nid;
	return finish(s, BR_OK, why);
}

enum br_status calloff_pause(struct session *s, int64_t id, const char *from, const char *reason, bool retain,
			     char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "pausing a call-off", why);
	if (st != BR_OK)
		return st;
	if (pause_reason_find(reason) < 0)
		return br_fail(why, BR_DATA, "pause reason \"%s\" is not one of hospital, respite_elsewhere, away, other",
			       reason ? reason : "");
	int64_t d;
	char dtext[11];
	if ((st = a_date(from, "a pause", &d, dtext, why)) != BR_OK)
		return st;
	bool later = d > clock_today();
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK || (st = live_only(&c, "pausing", why)) != BR_OK)
		return finish(s, st, why);
	if (strcmp(dtext, c.start) < 0) {
		st = br_fail(why, BR_DATA, "a pause from %s: call-off %lld %s on %s", dtext, (long long)id,
			     strcmp(c.status, "approved") == 0 ? "starts" : "started", c.start);
		return finish(s, st, why);
	}
	if (c.pause_from[0]) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld already has a pause scheduled from %s: resume it to call "
					       "that one off first", (long long)id, c.pause_from);
		return finish(s, st, why);
	}
	if (later && c.end[0] && strcmp(dtext, c.end) >= 0) {
		st = br_fail(why, BR_CONFLICT, "a pause from %s: call-off %lld ends on %s, before it would begin", dtext,
			     (long long)id, c.end);
		return finish(s, st, why);
	}
	/* from a later date: scheduled, the call-off stays active until then */
	struct calloff_args a = {.note = reason, .date = dtext, .retain = retain};
	/* (care approved to start later keeps its state: the pause waits for it) */
	enum calloff_state to = !later ? (retain ? CS_PAUSED : CS_PAUSED_RELEASED)
			      : strcmp(c.status, "approved") == 0 ? CS_APPROVED : CS_ACTIVE;
	if ((st = calloff_transition(s, id, CE_PAUSE, to, &a, why)) != BR_OK)
		return finish(s, st, why);
	if (later)
		return finish(s, st, why);
	/* a pause recorded late may already have outrun its retainer */
	if (retain && d + s->cfg.retainer_days - 1 < clock_today())
		st = calloff_transition(s, id, CE_RETAINER, CS_ANY, NULL, why);
	return finish(s, st, why);
}

enum br_status calloff_resume(struct session *s, int64_t id, const char *on, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "resuming a call-off", why);
	if (st != BR_OK)
		return st;
	int64_t d;
	char dtext[11];
	if ((st = a_date(on, "a resume", &d, dtext, why)) != BR_OK)
		return st;
	if (d > clock_today())
		return br_fail(why, BR_DATA, "a resume on %s: resume a package on the day the care starts again "
					     "(today or before)", dtext);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	/* a pause not begun yet: resuming calls it off */
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK)
		return finish(s, st, why);
	if ((strcmp(c.status, "active") == 0 || strcmp(c.status, "approved") == 0) && c.pause_from[0])
		return finish(s, calloff_transition(s, id, CE_UNPAUSE, CS_ANY, NULL, why), why);
	char paused[11];
	if ((st = calloff_pauses_begun_from(s, id, paused, why)) != BR_OK)
		return finish(s, st, why);
	if (paused[0] && strcmp(dtext, paused) < 0) {
		st = br_fail(why, BR_DATA, "a resume on %s: call-off %lld was paused from %s", dtext, (long long)id, paused);
		return finish(s, st, why);
	}
	struct calloff_args a = {.date = dtext};
	return finish(s, calloff_transition(s, id, CE_RESUME, CS_ANY, &a, why), why);
}

enum br_status calloff_end(struct session *s, int64_t id, const char *from, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "ending a call-off", why);
	if (st != BR_OK)
		return st;
	if (end_reason_find(reason) < 0)
		return br_fail(why, BR_DATA, "end reason \"%s\" is not one of no_longer_needed, deceased, moved_away, "
					     "changed_service, person_choice", reason ? reason : "");
	int64_t d;
	char dtext[11];
	if ((st = a_date(from, "an end", &d, dtext, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK || (st = live_only(&c, "ending", why)) != BR_OK)
		return finish(s, st, why);
	bool future = d > clock_today();
	if (strcmp(c.status, "varied") == 0 && c.varied_to)
		st = br_fail(why, BR_CONFLICT, "call-off %lld was varied: end call-off %lld instead", (long long)id,
			     (long long)c.varied_to);
	else if (strcmp(c.status, "approved") == 0 || strcmp(c.status, "awaiting_approval") == 0 ||
		 strcmp(c.status, "proposed") == 0)
		st = br_fail(why, BR_CONFLICT, "call-off %lld has not started: cancel it instead", (long long)id);
	else if (strcmp(dtext, c.start) < 0)
		st = br_fail(why, BR_DATA, "an end from %s: call-off %lld started on %s", dtext, (long long)id, c.start);
	else if (c.end[0] && strcmp(dtext, c.end) > 0)
		st = br_fail(why, BR_CONFLICT, "call-off %lld already ends on %s", (long long)id, c.end);
	else if (future && strcmp(c.status, "active") != 0 && strcmp(c.status, "ended") != 0)
		st = br_fail(why, BR_CONFLICT, "call-off %lld is %s: end it from today or before, or resume it first",
			     (long long)id, c.status);
	if (st != BR_OK)
		return finish(s, st, why);
	struct calloff_args a = {.note = reason, .date = dtext};
	return finish(s, calloff_transition(s, id, CE_STOP, future ? CS_ACTIVE : CS_ENDED, &a, why), why);
}

enum br_status calloffs_end_person(struct session *s, int64_t user_id, const char *date, const char *reason,
				   int *ended, int *cancelled, char **why)
{
	*ended = *cancelled = 0;
	int64_t ids[512];
	int n = 0;
	enum br_status st = calloff_rows_live_of_person(s, user_id, ids, 512, &n, why);
	if (st != BR_OK)
		return st;
	for (int i = 0; i < n && st == BR_OK; i++) {
		struct calloff_info c;
		if ((st = calloff_get(s, ids[i], &c, why)) != BR_OK)
			break;
		int from = calloff_state_find(c.status);
		if (from == CS_PROPOSED || from == CS_AWAITING || from == CS_APPROVED) {
			struct calloff_args a = {.note = "person deceased"};
			st = calloff_transition(s, ids[i], CE_CANCEL, CS_ANY, &a, why);
			++*cancelled;
		} else if (from == CS_ACTIVE || from == CS_PAUSED || from == CS_PAUSED_RELEASED || from == CS_VARIED) {
			struct calloff_args a = {.note = reason, .date = date};
			st = calloff_transition(s, ids[i], CE_STOP, CS_ENDED, &a, why);
			++*ended;
		} /* else: already over (a variation that fell through before it) */
	}
	return st;
}

int64_t calloff_weekly_for(const struct session *s, const char *status, int64_t weekly_cost)
{
	if (strcmp(status, "active") == 0)
		return weekly_cost;
	if (strcmp(status, "paused") == 0)
		return weekly_cost * s->cfg.retainer_share_pct / 100;
	return 0;
}

void funding_split_of(const struct br_config *cfg, int64_t weekly, int asc_pct, bool fnc, int64_t day,
		      struct funding_split *out)
{
	int64_t f = fnc && asc_pct > 0 && weekly > 0 ? config_fnc_rate(cfg, day) : 0;
	if (f > weekly)
		f = weekly;
	int64_t rest = weekly - f, council = rest * asc_pct / 100;
	out->fnc = f;
	out->council = council;
	out->nhs = weekly - council;
}

int64_t calloff_weekly_now(const struct session *s, const struct calloff_info *c)
{
	return calloff_weekly_for(s, c->status, c->weekly_cost);
}

enum br_status calloffs_retainers_lapsed(struct session *s, int *n, char **why)
{
	return calloff_pauses_lapsed(s, n, why);
}

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
