/* offer.c — offers down the award tiers and the providers' answers. An
 * acceptance hands over to the call-off module (calloff.c). */
#include "offer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "request.h"
#include "offer.h"
#include "match.h"
#include "calloff.h"
#include "broker_internal.h"
#include "capacity.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static enum br_status expire_in_tx(struct session *s, int64_t request_id, int *count, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, request_id
		? "SELECT id FROM offer WHERE status = 'pending' AND expires_at < ?1 AND request_id = ?2"
		: "SELECT id FROM offer WHERE status = 'pending' AND expires_at < ?1", why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, now);
	if (request_id)
		sqlite3_bind_int64(q, 2, request_id);
	int64_t *ids = NULL;
	int n = 0, cap = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *g = realloc(ids, (size_t)cap * sizeof *g);
			if (!g)
				break;
			ids = g;
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	enum br_status st = BR_OK;
	for (int i = 0; i < n && st == BR_OK; i++) {
		q = prep(s->store, "UPDATE offer SET status = 'expired', responded_at = expires_at WHERE id = ?1", why);
		if (!q) {
			st = BR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(q, 1, ids[i]);
		st = store_step_done(s->store, q, "expiring offers", why);
		if (st == BR_OK)
			st = audit_id(s, "offer.expire", "offer", ids[i], "response window passed", why);
	}
	free(ids);
	if (count)
		*count = n;
	return st;
}

enum br_status offers_expire(struct session *s, int64_t request_id, int *n, char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	if ((st = expire_in_tx(s, request_id, n, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

static int urgency_index(const char *u)
{
	return strcmp(u, "emergency") == 0 ? 2 : strcmp(u, "urgent") == 0 ? 1 : 0;
}

/* Why this provider cannot be offered this request now; BR_OK when it can.
 * *tier is the tier the offer is made at. */
static enum br_status offer_allowed(const struct match_result *m, const struct match_row *r,
				    const struct offer_options *o, const char **tier, char **why)
{
	const char *name = r->name;
	unsigned reasons = r->reasons;
	*tier = r->tier;
	if (reasons & (1u << MATCH_SUSPENDED))
		return br_fail(why, BR_DENIED, "%s is suspended: never offerable", name);
	if (reasons & (1u << MATCH_LEFT))
		return br_fail(why, BR_DENIED, "%s has left the framework", name);
	if (reasons & (1u << MATCH_CONSORTIUM_MEMBER))
		return br_fail(why, BR_DENIED, "%s is a member of %s: offer it to the consortium", name,
			       r->consortium);
	if (reasons & (1u << MATCH_DECLINED))
		return br_fail(why, BR_DENIED, "%s has already declined request %lld", name,
			       (long long)m->req.id);
	if (reasons & (1u << MATCH_EXPIRED))
		return br_fail(why, BR_DENIED, "%s let the response window pass for request %lld", name,
			       (long long)m->req.id);
	if (strcmp(r->offer_status, "pending") == 0)
		return br_fail(why, BR_CONFLICT, "%s already has offer %lld for this request", name,
			       (long long)r->offer_id);
	if (strcmp(r->offer_status, "accepted") == 0)
		return br_fail(why, BR_CONFLICT, "%s already accepted this request", name);
	if (reasons & (1u << MATCH_INADEQUATE))
		return br_fail(why, BR_DENIED, "%s is rated Inadequate by the CQC", name);
	/* the person's choice or clinical reasons are their own override and may name anyone */
	bool own = o->override == OVERRIDE_PERSON_CHOICE || o->override == OVERRIDE_CLINICAL;
	if (reasons & (1u << MATCH_NOT_REGISTERED)) {
		if (o->override != OVERRIDE_SPOT && !own)
			return br_fail(why, BR_DENIED, "%s is not registered for %s on %s: a spot purchase "
						       "needs --override spot and a reason", name,
				       m->req.restricted ? "the person's need" : m->req.need, m->req.service);
		*tier = "spot";
		reasons &= ~(1u << MATCH_NOT_REGISTERED);
	}
	if (reasons & (1u << MATCH_NO_COVERAGE)) {
		if (o->override != OVERRIDE_OUT_OF_LOCALITY && o->override != OVERRIDE_SPOT && !own)
			return br_fail(why, BR_DENIED, "%s does not cover %s: an out-of-locality placement "
						       "needs --override out_of_locality and a reason", name,
				       m->req.locality);
		reasons &= ~(1u << MATCH_NO_COVERAGE);
		/* capacity is counted per locality: none is kept for this one */
		if (r->free < 0)
			reasons &= ~(1u << MATCH_NO_CAPACITY);
	}
	if (reasons & (1u << MATCH_NO_CAPACITY)) {
		if (!(r->free < 0 && (o->override == OVERRIDE_SPOT || own)))
			return br_fail(why, BR_DENIED, "%s has no free capacity for this (%lld free, %lld needed)",
				       name, (long long)(r->free < 0 ? 0 : r->free), (long long)m->req.units);
		reasons &= ~(1u << MATCH_NO_CAPACITY);
	}
	if (reasons & (1u << MATCH_HIGHER_TIER_PENDING)) {
		if (!own)
			return br_fail(why, BR_DENIED, "%s is %s and a higher tier must answer first: %s", name,
				       r->tier, m->blocking[0] ? m->blocking : "a higher tier can still answer");
		reasons &= ~(1u << MATCH_HIGHER_TIER_PENDING);
	}
	if (o->override != OVERRIDE_NONE && !text_present(o->reason))
		return br_fail(why, BR_DATA, "an override (%s) needs a written reason", override_code(o->override));
	/* spot and out of locality are last resorts: someone on the framework (in
	 * the locality) who can still answer comes first */
	if (o->override == OVERRIDE_SPOT || o->override == OVERRIDE_OUT_OF_LOCALITY) {
		bool spot = o->override == OVERRIDE_SPOT;
		for (int i = 0; i < m->n; i++) {
			const struct match_row *q = &m->rows[i];
			if (q->provider_id == r->provider_id || q->tier_rank > 4 ||
			    (q->reasons & ~(1u << MATCH_HIGHER_TIER_PENDING)) != 0)
				continue;
			if (spot)
				return br_fail(why, BR_DENIED, "a spot purchase is a last resort and the framework is not "
							       "exhausted for %s in %s: %s (%s, provider %lld) can still "
							       "answer; the person's own choice or a clinical reason is "
							       "--override person_choice|clinical", m->req.service,
					       m->req.locality, q->name, q->tier, (long long)q->provider_id);
			return br_fail(why, BR_DENIED, "out of locality only when nobody in the locality can take it: "
						       "%s (%s, provider %lld) in %s can still answer; the person's own "
						       "choice or a clinical reason is --override person_choice|clinical",
				       q->name, q->tier, (long long)q->provider_id, m->req.locality);
		}
	}
	return reasons ? br_fail(why, BR_DENIED, "%s cannot be offered this request", name) : BR_OK;
}

enum br_status offer_create(struct session *s, int64_t request_id, int64_t provider_id,
			    const struct offer_options *o, int64_t *offer_id, char **why)
{
	static const struct offer_options none = {OVERRIDE_NONE, ""};
	if (!o)
		o = &none;
	enum br_status st = session_require_cap(s, CAP_BROKER, "making an offer", why);
	if (st != BR_OK || (st = text_check("--reason", o->reason, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct match_result *m = NULL;
	/* a spot or out-of-locality offer is a last resort: that rule looks at
	 * the whole lot; any other is decided on the provider and the tiers
	 * above it (match_for_offer) */
	bool last_resort = o->override == OVERRIDE_SPOT || o->override == OVERRIDE_OUT_OF_LOCALITY;
	if ((st = expire_in_tx(s, request_id, NULL, why)) != BR_OK ||
	    (st = last_resort ? match_run(s, request_id, &m, why)
			      : match_for_offer(s, request_id, provider_id, &m, why)) != BR_OK)
		goto fail;
	if (strcmp(m->req.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s", (long long)request_id, m->req.status);
		goto fail;
	}
	const struct match_row *r = NULL;
	struct match_row outsider;
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == provider_id)
			r = &m->rows[i];
	if (!r) {
		/* not on the lot at all: only a spot purchase */
		struct provider_row p;
		if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
			goto fail;
		memset(&outsider, 0, sizeof outsider);
		outsider.consortium = outsider.suspended_reason = "";
		outsider.provider_id = provider_id;
		text_copy(outsider.name, sizeof outsider.name, p.name);
		text_copy(outsider.rating, sizeof outsider.rating, p.rating);
		text_copy(outsider.tier, sizeof outsider.tier, "spot");
		outsider.tier_rank = 5;
		outsider.free = -1;
		outsider.reasons = 1u << MATCH_NOT_REGISTERED;
		if (strcmp(p.status, "suspended") == 0)
			outsider.reasons |= 1u << MATCH_SUSPENDED;
		if (strcmp(p.status, "left") == 0)
			outsider.reasons |= 1u << MATCH_LEFT;
		if (strcmp(p.rating, "Inadequate") == 0)
			outsider.reasons |= 1u << MATCH_INADEQUATE;
		r = &outsider;
	}
	const char *tier;
	if ((st = offer_allowed(m, r, o, &tier, why)) != BR_OK)
		goto fail;
	/* out of the provider's localities: the capacity is where it delivers
	 * (no figure anywhere is none free, but for a spot purchase) */
	if (r->free < 0 && strcmp(tier, "spot") != 0 && strcmp(m->req.service, "RSP") != 0) {
		char lot[9];
		int64_t lot_free;
		if ((st = capacity_lot(s->store, provider_id, m->req.service, m->req.locality, lot, &lot_free, why)) != BR_OK)
			goto fail;
		if (lot_free < m->req.units) {
			st = lot_free < 0 ? br_fail(why, BR_DENIED, "%s keeps no %s capacity anywhere: none free",
						    r->name, m->req.service)
					  : br_fail(why, BR_DENIED, "%s has no free capacity for this where it delivers "
								    "(%lld free in %s, %lld needed)", r->name,
						    (long long)lot_free, lot, (long long)m->req.units);
			goto fail;
		}
	}
	/* primary and secondary go to one provider at a time */
	if (strcmp(tier, "primary") == 0 || strcmp(tier, "secondary") == 0) {
		for (int i = 0; i < m->n; i++)
			if (m->rows[i].provider_id != provider_id && strcmp(m->rows[i].offer_status, "pending") == 0 &&
			    strcmp(m->rows[i].tier, tier) == 0) {
				st = br_fail(why, BR_CONFLICT, "the %s offer to %s is still waiting for an answer",
					     tier, m->rows[i].name);
				goto fail;
			}
	}
	char now[21], expires[21];
	now_stamp(now);
	int hours = s->cfg.response_hours[urgency_index(m->req.urgency)];
	clock_stamp(clock_now() + (time_t)hours * 3600, expires);
	sqlite3_stmt *q = prep(s->store,
		"INSERT INTO offer(request_id, provider_id, tier, offered_at, offered_by, expires_at, "
		"override_kind, override_reason, continuity) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, provider_id);
	store_bind_text(q, 3, tier);
	store_bind_text(q, 4, now);
	store_bind_text(q, 5, s->user.login);
	store_bind_text(q, 6, expires);
	store_bind_text(q, 7, o->override ? override_code(o->override) : NULL);
	store_bind_text(q, 8, o->override ? o->reason : NULL);
	sqlite3_bind_int(q, 9, r->continuity);
	if ((st = store_step_done(s->store, q, "making the offer", why)) != BR_OK)
		goto fail;
	*offer_id = sqlite3_last_insert_rowid(store_db(s->store));
	char detail[400];
	snprintf(detail, sizeof detail, "request=%lld provider=%lld tier=%s%s%s%s%s", (long long)request_id,
		 (long long)provider_id, tier, r->continuity ? " continuity" : "",
		 o->override ? " override=" : "", o->override ? override_code(o->override) : "",
		 o->override ? "" : "");
	if (o->override) {
		size_t len = strlen(detail);
		snprintf(detail + len, sizeof detail - len, " reason=%.200s", o->reason);
	}
	if ((st = audit_id(s, "offer.create", "offer", *offer_id, detail, why)) != BR_OK)
		goto fail;
	match_free(&m);
	return store_commit(s->store, why);
fail:
	match_free(&m);
	store_rollback(s->store);
	return st;
}

struct offer_row {
	int64_t id, request_id, provider_id;
	char status[12], expires[21], tier[12], override_kind[20], override_reason[256];
	bool continuity;
	char provider[96];
};

static enum br_status offer_load(struct session *s, int64_t id, struct offer_row *o, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT o.id, o.request_id, o.provider_id, o.status, o.expires_at, o.tier, "
		"coalesce(o.override_kind,''), coalesce(o.override_reason,''), o.continuity, p.name "
		"FROM offer o JOIN provider p ON p.id = o.provider_id WHERE o.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(o, 0, sizeof *o);
		o->id = sqlite3_column_int64(q, 0);
		o->request_id = sqlite3_column_int64(q, 1);
		o->provider_id = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, o->status, sizeof o->status);
		store_col_text(q, 4, o->expires, sizeof o->expires);
		store_col_text(q, 5, o->tier, sizeof o->tier);
		store_col_text(q, 6, o->override_kind, sizeof o->override_kind);
		store_col_text(q, 7, o->override_reason, sizeof o->override_reason);
		o->continuity = sqlite3_column_int(q, 8) != 0;
		store_col_text(q, 9, o->provider, sizeof o->provider);
	}
	store_done(q);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "no offer %lld", (long long)id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading an offer", why);
}

/* The offer must still be pending and in its window. An offer past its
 * window is marked expired (and that is saved) before refusing. */
static enum br_status offer_open(struct session *s, struct offer_row *o, bool *expired_now, char **why)
{
	*expired_now = false;
	if (strcmp(o->status, "pending") != 0)
		return br_fail(why, BR_CONFLICT, "offer %lld to %s is already %s", (long long)o->id,
			       o->provider, o->status);
	char now[21];
	now_stamp(now);
	if (strcmp(o->expires, now) < 0) {
		int n;
		enum br_status st = expire_in_tx(s, o->request_id, &n, why);
		if (st != BR_OK)
			return st;
		*expired_now = true;
		return br_fail(why, BR_CONFLICT, "offer %lld to %s expired at %s: it counts as a decline",
			       (long long)o->id, o->provider, o->expires);
	}
	return BR_OK;
}

enum br_status offer_decline(struct session *s, int64_t offer_id, int reason, const char *note,
			     char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a response", why);
	if (st != BR_OK)
		return st;
	if (reason < 0 || reason >= DECLINE_COUNT)
		return br_fail(why, BR_DATA, "a decline needs a reason: no_capacity, no_staff, "
					     "cannot_meet_need, price or other");
	if (reason == DECLINE_OTHER && !text_present(note))
		return br_fail(why, BR_DATA, "a decline for another reason needs a note saying what");
	if ((st = text_check("--note", note, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	bool expired = false;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK || (st = offer_open(s, &o, &expired, why)) != BR_OK)
		goto fail;
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE offer SET status = 'declined', responded_at = ?2, "
					 "decline_reason = ?3, note = ?4, responded_by = ?5 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, offer_id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, decline_code(reason));
	store_bind_text(q, 4, note ? note : "");
	store_bind_text(q, 5, s->user.login);
	char detail[320];
	snprintf(detail, sizeof detail, "reason=%s%s%.250s", decline_code(reason), note && *note ? " note=" : "",
		 note ? note : "");
	if ((st = store_step_done(s->store, q, "recording the decline", why)) != BR_OK ||
	    (st = audit_id(s, "offer.decline", "offer", offer_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	if (expired && st == BR_CONFLICT) {
		char *keep = why ? *why : NULL;
		if (why)
			*why = NULL;
		enum br_status c = store_commit(s->store, why);
		if (why) {
			free(*why);
			*why = keep;
		}
		return c == BR_OK ? st : c;
	}
	store_rollback(s->store);
	return st;
}

/* Everything that could have changed since the offer was made, checked
 * again inside the write: the request still open, the provider still
 * active, the window (offer_open), the capacity (the transition takes it). */
enum br_status offer_accept(struct session *s, int64_t offer_id, int64_t *calloff_id, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a response", why);
	if (st != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	struct request_info req;
	struct provider_row p;
	bool expired = false;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK || (st = offer_open(s, &o, &expired, why)) != BR_OK ||
	    (st = request_get(s, o.request_id, &req, why)) != BR_OK ||
	    (st = provider_get(s->store, o.provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(req.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is already %s", (long long)req.id, req.status);
		goto fail;
	}
	if (strcmp(p.status, "active") != 0) {
		st = br_fail(why, BR_DENIED, "%s is %s%s%s since the offer was made: it cannot take the package",
			     p.name, p.status, p.suspended_reason[0] ? " (" : "", p.suspended_reason);
		if (p.suspended_reason[0] && why && *why) {
			char *w = *why;
			*why = NULL;
			br_fail(why, BR_DENIED, "%s", w);
			free(w);
		}
		goto fail;
	}
	char now[21];
	now_stamp(now);
	bool respite = strcmp(req.service, "RSP") == 0;
	int64_t start_day = 0;
	date_parse(req.start, &start_day, NULL);
	/* care starts no earlier than the day it is accepted (issue 26, finding
	 * 5): a package asked for from a day gone starts today; a stay of
	 * nights already past is not a stay to accept */
	char start[11];
	text_copy(start, sizeof start, req.start);
	if (start_day < clock_today()) {
		char today[11];
		date_format(clock_today(), today);
		if (respite) {
			st = br_fail(why, BR_CONFLICT, "request %lld was for nights from %s, before today (%s): nights "
						       "gone are not booked; give the request a start date from today (e on "
						       "the request in the UI) and record the acceptance again",
				     (long long)req.id, req.start, today);
			goto fail;
		}
		start_day = clock_today();
		text_copy(start, sizeof start, today);
	}
	int64_t rate;
	if ((st = match_rate_in_force(s, o.provider_id, req.service, start, &rate, why)) != BR_OK)
		goto fail;
	if (rate <= 0) {
		st = br_fail(why, BR_DATA, "%s has no %s rate in force on %s: add one before accepting",
			     o.provider, req.service, start);
		goto fail;
	}
	const char *ok = o.override_kind;
	/* the lot it draws on: where the provider delivers (issue 26, findings 2 and 12) */
	char lot[9];
	int64_t lot_free;
	if ((st = capacity_lot(s->store, o.provider_id, req.service, req.locality, lot, &lot_free, why)) != BR_OK)
		goto fail;
	struct rule_facts facts = rules_facts_of(&(struct rule_placement){
		.service = req.service, .unit_rate = rate, .units = req.units, .start_day = start_day, .dob = req.dob,
		.tier = o.tier, .override_kind = ok, .locality = lot, .person_locality = req.person_locality});
	unsigned fired = rules_approval(&s->cfg, &facts);
	enum calloff_state to = fired ? CS_AWAITING : start_day <= clock_today() ? CS_ACTIVE : CS_APPROVED;
	/* the offer first, so the trail reads: accepted, then the call-off */
	sqlite3_stmt *q = prep(s->store, "UPDATE offer SET status = 'accepted', responded_at = ?2, responded_by = ?3 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, o.id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, s->user.login);
	if ((st = store_step_done(s->store, q, "recording the acceptance", why)) != BR_OK ||
	    (st = offers_withdraw_pending(s, req.id, o.id, why)) != BR_OK)
		goto fail;
	char last[11] = "";
	if (respite)
		date_format(start_day + req.units - 1, last);
	struct calloff_spec spec = {
		.request_id = req.id, .provider_id = o.provider_id, .offer_id = o.id, .tier = o.tier,
		.override_kind = ok, .override_reason = o.override_reason, .service = req.service,
		.locality = lot, .unit_rate = rate, .units = req.units, .asc_pct = req.asc_pct,
		.start = start, .end = respite ? last : NULL, .continuity = o.continuity,
	};
	if ((st = calloff_create(s, &spec, calloff_id, why)) != BR_OK)
		goto fail;
	char detail[200];
	snprintf(detail, sizeof detail, "calloff=%lld", (long long)*calloff_id);
	if ((st = audit_id(s, "offer.accept", "offer", o.id, detail, why)) != BR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "request=%lld provider=%lld tier=%s rate=%lld units=%lld weekly=%lld%s%s",
		 (long long)req.id, (long long)o.provider_id, o.tier, (long long)rate, (long long)req.units,
		 (long long)(rate * req.units), strcmp(start, req.start) ? " start=" : "",
		 strcmp(start, req.start) ? start : "");
	struct calloff_args args = {.detail = detail, .facts = &facts, .fired = fired,
				    .annual_cost = service_annual_cost(service_find(req.service), rate, req.units)};
	if ((st = calloff_transition(s, *calloff_id, CE_ACCEPT, to, &args, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	if (expired && st == BR_CONFLICT) {
		char *keep = why ? *why : NULL;
		if (why)
			*why = NULL;
		enum br_status c = store_commit(s->store, why);
		if (why) {
			free(*why);
			*why = keep;
		}
		return c == BR_OK ? st : c;
	}
	store_rollback(s->store);
	return st;
}

/* Withdraw every pending offer to a provider (its suspension), inside the
 * caller's transaction; each request's cascade goes on without it. */
enum br_status offers_withdraw_provider(struct session *s, int64_t provider_id, const char *reason, int *n,
					char **why)
{
	char now[21];
	now_stamp(now);
	*n = 0;
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM offer WHERE provider_id = ?1 AND status = 'pending'", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	int64_t *ids = NULL;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *g = realloc(ids, (size_t)cap * sizeof *g);
			if (!g) {
				store_done(q);
				free(ids);
				return br_fail(why, BR_NOMEM, "out of memory");
			}
			ids = g;
		}
		ids[(*n)++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	enum br_status st = rc == SQLITE_DONE ? BR_OK : store_error(s->store, rc, "finding offers", why);
	for (int i = 0; i < *n && st == BR_OK; i++) {
		q = prep(s->store, "UPDATE offer SET status = 'withdrawn', responded_at = ?2 WHERE id = ?1", why);
		if (!q) {
			st = BR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(q, 1, ids[i]);
		store_bind_text(q, 2, now);
		if ((st = store_step_done(s->store, q, "withdrawing offers", why)) == BR_OK)
			st = audit_id(s, "offer.withdraw", "offer", ids[i], reason, why);
	}
	free(ids);
	return st;
}

/* ---- withdrawing and correcting ------------------------------------------------ */

enum br_status offer_withdraw(struct session *s, int64_t offer_id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "withdrawing an offer", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "withdrawing an offer needs a reason");
	if ((st = text_check("--note", reason, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK)
		goto fail;
	if (strcmp(o.status, "pending") != 0) {
		st = br_fail(why, BR_CONFLICT, "offer %lld to %s is %s: only an offer waiting for an answer "
					       "can be withdrawn", (long long)o.id, o.provider, o.status);
		goto fail;
	}
	char now[21];
	now_stamp(now);
	/* the reason is the offer's note, as a decline's is (issue 26: it was empty) */
	sqlite3_stmt *q = prep(s->store, "UPDATE offer SET status = 'withdrawn', responded_at = ?2, responded_by = ?3, "
					 "note = ?4 WHERE id = ?1 AND status = 'pending'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, offer_id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, s->user.login);
	store_bind_text(q, 4, reason);
	char detail[300];
	snprintf(detail, sizeof detail, "request=%lld reason=%.250s", (long long)o.request_id, reason);
	if ((st = store_step_done(s->store, q, "withdrawing the offer", why)) != BR_OK ||
	    (st = audit_id(s, "offer.withdraw", "offer", offer_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status offer_correct(struct session *s, int64_t offer_id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "correcting a response", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "correcting a response needs a reason");
	if ((st = text_check("--note", reason, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct offer_row o;
	if ((st = offer_load(s, offer_id, &o, why)) != BR_OK)
		goto fail;
	if (strcmp(o.status, "declined") != 0) {
		st = br_fail(why, BR_CONFLICT, "offer %lld to %s is %s: only a recorded decline can be corrected "
					       "(an acceptance is undone by cancelling its call-off)",
			     (long long)o.id, o.provider, o.status);
		goto fail;
	}
	char now[21];
	now_stamp(now);
	if (strcmp(o.expires, now) < 0) {
		st = br_fail(why, BR_CONFLICT, "offer %lld to %s was due by %s: its window has passed, offer it again",
			     (long long)o.id, o.provider, o.expires);
		goto fail;
	}
	/* the request still open, and the cascade not moved on since */
	sqlite3_stmt *q = prep(s->store,
		"SELECT r.status, (SELECT count(*) FROM offer l WHERE l.request_id = r.id AND l.id > ?2 "
		"AND (l.status = 'pending' OR l.status = 'accepted')) FROM package_request r WHERE r.id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, o.request_id);
	sqlite3_bind_int64(q, 2, o.id);
	char rstatus[12] = "";
	int later = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		store_col_text(q, 0, rstatus, sizeof rstatus);
		later = sqlite3_column_int(q, 1);
	}
	store_done(q);
	if (strcmp(rstatus, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s: its responses can no longer be corrected",
			     (long long)o.request_id, rstatus[0] ? rstatus : "gone");
		goto fail;
	}
	if (later) {
		st = br_fail(why, BR_CONFLICT, "request %lld has a later offer waiting or accepted: withdraw it "
					       "first, then correct this one", (long long)o.request_id);
		goto fail;
	}
	q = prep(s->store, "UPDATE offer SET status = 'pending', responded_at = NULL, decline_reason = NULL, "
			   "note = '' WHERE id = ?1 AND status = 'declined'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, offer_id);
	char detail[300];
	snprintf(detail, sizeof detail, "declined->pending request=%lld reason=%.250s", (long long)o.request_id,
		 reason);
	if ((st = store_step_done(s->store, q, "correcting the response", why)) != BR_OK ||
	    (st = audit_id(s, "offer.correct", "offer", offer_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}
