/* calloff.c — every state change of a call-off, through one table: the
 * table and the step engine (calloff_transition), and the entry points
 * that run one step (create, hand-back, cancel). Live packages are in
 * calloff_live.c, the clock in calloff_clock.c, the words in
 * calloff_words.c, the history in calloff_history.c; the rows it reads and
 * writes in records/calloff_rows.c and calloff_pauses.c. */
#include "calloff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "broker_internal.h"
#include "calloff_pauses.h"
#include "calloff_rows.h"
#include "config.h"
#include "respite_beds.h"
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
	/* a death before care that had begun by the calendar (it started on
	 * or after the day of death): it never happened, so it is cancelled */
	R(ACTIVE, STOP, CANCELLED, BROKER, RETURN, KEEP, REOPEN, WITHDRAW),
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
	int64_t full, other, night;
	/* one bed a night per person: a second booking on the same night is an extension or nothing */
	enum br_status st = respite_person_booked(s, c->request_id, c->id, first, last, &other, &night, why);
	if (st != BR_OK)
		return st;
	if (other) {
		char d[11];
		date_format(night, d);
		return br_fail(why, BR_CONFLICT, "the person already has a respite bed on the night of %s (call-off %lld): "
						 "extend that booking instead of booking another", d, (long long)other);
	}
	if ((st = respite_beds(s, c->provider_id, c->locality, first, last, &lowest, &full, why)) != BR_OK)
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
	/* a decrease moves the capacity on its date: it held the old units until it starts */
	if (t->to == CS_ACTIVE && calloff_state_in(from, CG_UNSTARTED) && strcmp(c.service, "RSP") != 0 &&
	    (st = calloff_rows_release_held(s, &c, why)) != BR_OK)
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
	if ((st = text_check("--reason", reason, 0, false, why)) != BR_OK)
		return st;
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
