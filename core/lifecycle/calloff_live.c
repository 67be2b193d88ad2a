/* calloff_live.c — live packages (issue 16; calloff.h): a variation, a pause (now or
 * from a later date), a resume, an end from a date, a person's call-offs ended or
 * cancelled. Each checks what the faces asked, then moves the call-offs through
 * calloff_transition() in one transaction. */
#include "calloff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calloff_pauses.h"
#include "calloff_rows.h"
#include "domain.h"
#include "request.h"
#include "rules.h"
#include "session.h"
#include "store.h"
#include "util.h"

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
	if (st != BR_OK || (st = text_check("--reason", reason, 0, false, why)) != BR_OK)
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
		return store_finish(s->store, st, why);
	if (strcmp(c.status, "active") != 0) {
		st = c.varied_to ? br_fail(why, BR_CONFLICT, "call-off %lld was varied: vary call-off %lld instead",
					   (long long)id, (long long)c.varied_to)
				 : br_fail(why, BR_CONFLICT, "call-off %lld is %s: only care under way can be varied "
							     "(change a request, or cancel a call-off, before it starts)",
					   (long long)id, strcmp(c.status, "awaiting_approval") == 0 ? "awaiting approval"
												 : c.status);
		return store_finish(s->store, st, why);
	}
	if (c.handback_notice[0]) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld was handed back (ends %s): place the new package on its "
					       "request instead", (long long)id, c.handback_notice);
		return store_finish(s->store, st, why);
	}
	/* what is not given stays as it is */
	if (units == 0)
		units = c.units;
	int64_t rate = t->rate ? t->rate : c.unit_rate;
	int asc_pct = t->asc_pct >= 0 ? t->asc_pct : c.asc_pct;
	/* as many units as a request may ask for, no more (issue 26, finding 3) */
	if (units != c.units && (st = rules_units_allowed(&s->cfg, service_find(c.service), units, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (units == c.units && rate == c.unit_rate && asc_pct == c.asc_pct) {
		st = br_fail(why, BR_DATA, "call-off %lld already has %lld %s at %lld pence, council %d%%: nothing to vary",
			     (long long)id, (long long)units, service_unit(service_find(c.service)), (long long)rate,
			     asc_pct);
		return store_finish(s->store, st, why);
	}
	if ((st = pause_scheduled_none(s, &c, "vary", why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (strcmp(dtext, c.start) <= 0) {
		st = br_fail(why, BR_DATA, "a variation from %s: call-off %lld started on %s, so the change starts the "
					   "day after at the earliest", dtext, (long long)id, c.start);
		return store_finish(s->store, st, why);
	}
	if (c.end[0] && strcmp(dtext, c.end) >= 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld ends on %s, before the variation would start (%s)",
			     (long long)id, c.end, dtext);
		return store_finish(s->store, st, why);
	}
	/* the approval rules, as for any call-off; a decrease needs none: an
	 * increase is a dearer week, or a bigger share of it for the council.
	 * A dearer unit rate above the framework's is asked about whatever the
	 * week costs (issue 26, finding 4: fewer hours at £50 an hour) */
	bool increase = rate * units > c.weekly_cost ||
			rate * units * asc_pct > c.weekly_cost * c.asc_pct;
	struct rule_facts facts = rules_facts_of(&(struct rule_placement){
		.service = c.service, .unit_rate = rate, .units = units, .start_day = d, .dob = req.dob,
		.tier = c.tier, .override_kind = c.override_kind, .locality = req.locality,
		.person_locality = req.person_locality});
	unsigned fired = rules_approval(&s->cfg, &facts);
	if (!increase)
		fired &= rate > c.unit_rate ? 1u << RULE_UNIT_RATE : 0u;
	enum calloff_state to = fired ? CS_AWAITING : d <= clock_today() ? CS_ACTIVE : CS_APPROVED;
	/* free capacity before, for a refusal in words */
	int64_t free_before;
	if ((st = calloff_rows_capacity_free(s, &c, &free_before, why)) != BR_OK)
		return store_finish(s->store, st, why);
	struct calloff_spec spec = {
		.request_id = c.request_id, .provider_id = c.provider_id, .offer_id = 0, .tier = c.tier,
		.override_kind = c.override_kind, .override_reason = c.override_reason, .service = c.service,
		.locality = c.locality, .unit_rate = rate, .units = units, .asc_pct = asc_pct,
		.start = dtext, .end = c.end[0] ? c.end : NULL, .continuity = c.continuity,
		/* a decrease from a later date: the provider keeps the old units
		 * until then (the capacity moves on the date, by the difference) */
		.held = d > clock_today() && units < c.units ? c.units : 0,
	};
	int64_t nid = 0;
	if ((st = calloff_create(s, &spec, &nid, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if ((st = calloff_rows_link_variation(s, nid, id, text_present(reason) ? reason : NULL, why)) != BR_OK)
		return store_finish(s->store, st, why);
	char detail[200], change[120];
	snprintf(change, sizeof change, "units %lld->%lld rate %lld->%lld asc_pct %d->%d", (long long)c.units,
		 (long long)units, (long long)c.unit_rate, (long long)rate, c.asc_pct, asc_pct);
	snprintf(detail, sizeof detail, "to=%lld %s from=%s", (long long)nid, change, dtext);
	struct calloff_args old = {.date = last, .note = text_present(reason) ? reason : NULL, .detail = detail};
	if ((st = calloff_transition(s, id, CE_VARY, CS_VARIED, &old, why)) != BR_OK)
		return store_finish(s->store, st, why);
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
		return store_finish(s->store, st, why);
	}
	/* a variation from a day already gone: the old one is over now */
	if (to != CS_AWAITING && strcmp(last, c.start) >= 0 && d <= clock_today() &&
	    (st = calloff_transition(s, id, CE_END, CS_ANY, NULL, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (new_id)
		*new_id = nid;
	return store_finish(s->store, BR_OK, why);
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
		return store_finish(s->store, st, why);
	if (strcmp(dtext, c.start) < 0) {
		st = br_fail(why, BR_DATA, "a pause from %s: call-off %lld %s on %s", dtext, (long long)id,
			     strcmp(c.status, "approved") == 0 ? "starts" : "started", c.start);
		return store_finish(s->store, st, why);
	}
	if (c.pause_from[0]) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld already has a pause scheduled from %s: resume it to call "
					       "that one off first", (long long)id, c.pause_from);
		return store_finish(s->store, st, why);
	}
	if (later && c.end[0] && strcmp(dtext, c.end) >= 0) {
		st = br_fail(why, BR_CONFLICT, "a pause from %s: call-off %lld ends on %s, before it would begin", dtext,
			     (long long)id, c.end);
		return store_finish(s->store, st, why);
	}
	/* from a later date: scheduled, the call-off stays active until then */
	struct calloff_args a = {.note = reason, .date = dtext, .retain = retain};
	/* (care approved to start later keeps its state: the pause waits for it) */
	enum calloff_state to = !later ? (retain ? CS_PAUSED : CS_PAUSED_RELEASED)
			      : strcmp(c.status, "approved") == 0 ? CS_APPROVED : CS_ACTIVE;
	if ((st = calloff_transition(s, id, CE_PAUSE, to, &a, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (later)
		return store_finish(s->store, st, why);
	/* a pause recorded late may already have outrun its retainer */
	if (retain && d + s->cfg.retainer_days - 1 < clock_today())
		st = calloff_transition(s, id, CE_RETAINER, CS_ANY, NULL, why);
	return store_finish(s->store, st, why);
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
		return store_finish(s->store, st, why);
	if ((strcmp(c.status, "active") == 0 || strcmp(c.status, "approved") == 0) && c.pause_from[0])
		return store_finish(s->store, calloff_transition(s, id, CE_UNPAUSE, CS_ANY, NULL, why), why);
	char paused[11], released[11];
	if ((st = calloff_pauses_begun_from(s, id, paused, released, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (paused[0] && strcmp(dtext, paused) < 0) {
		st = br_fail(why, BR_DATA, "a resume on %s: call-off %lld was paused from %s", dtext, (long long)id, paused);
		return store_finish(s->store, st, why);
	}
	/* the retainer paid until the capacity went back: care resumed before
	 * then would be paid twice (issue 26: resumed_on before released_on) */
	if (released[0] && strcmp(released, paused) > 0 && strcmp(dtext, released) < 0) {
		st = br_fail(why, BR_DATA, "a resume on %s: call-off %lld's retainer ran out on %s and its capacity went "
					   "back then; a resume is dated %s or later", dtext, (long long)id, released, released);
		return store_finish(s->store, st, why);
	}
	struct calloff_args a = {.date = dtext};
	return store_finish(s->store, calloff_transition(s, id, CE_RESUME, CS_ANY, &a, why), why);
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
		return store_finish(s->store, st, why);
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
		return store_finish(s->store, st, why);
	struct calloff_args a = {.note = reason, .date = dtext};
	return store_finish(s->store, calloff_transition(s, id, CE_STOP, future ? CS_ACTIVE : CS_ENDED, &a, why), why);
}

enum br_status calloffs_end_person(struct session *s, int64_t user_id, const char *date, const char *reason,
				   int *ended, int *cancelled, char **why)
{
	*ended = *cancelled = 0;
	int64_t *ids = NULL;
	int n = 0;
	enum br_status st = calloff_rows_live_of_person(s, user_id, &ids, &n, why);
	if (st != BR_OK)
		return st;
	for (int i = 0; i < n && st == BR_OK; i++) {
		struct calloff_info c;
		if ((st = calloff_get(s, ids[i], &c, why)) != BR_OK)
			break;
		int from = calloff_state_find(c.status);
		if (calloff_state_in(from, CG_UNSTARTED)) {
			struct calloff_args a = {.note = "person deceased"};
			st = calloff_transition(s, ids[i], CE_CANCEL, CS_ANY, &a, why);
			++*cancelled;
		} else if (calloff_state_in(from, CG_RUNNING)) {
			/* care ends on the day of death; a stay's last night is the
			 * night before (issue 26, finding 14) */
			int64_t day = 0;
			date_parse(date, &day, NULL);
			char last[11];
			date_format(strcmp(c.service, "RSP") == 0 ? day - 1 : day, last);
			struct calloff_args a = {.note = reason, .date = last};
			if (strcmp(c.start, last) > 0 && from == CS_ACTIVE) {
				/* it began after the death by the calendar: it never happened */
				st = calloff_transition(s, ids[i], CE_STOP, CS_CANCELLED, &a, why);
				++*cancelled;
			} else {
				st = calloff_transition(s, ids[i], CE_STOP, CS_ENDED, &a, why);
				++*ended;
			}
		} /* else: already over (a variation that fell through before it) */
	}
	free(ids);
	return st;
}

