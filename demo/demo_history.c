/* demo_history.c — two years of demo history: requests, offers down the
 * tiers, call-offs, approvals, the audit events they make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff_states.h"
#include "capacity.h"
#include "respite_beds.h"
#include "rules.h"
#include "store_internal.h"
#include "util.h"
#include "demo_internal.h"

/* ---- history: requests, offers, call-offs, approvals -------------------- */

struct history {
	int64_t request_id, offer_id, calloff_id, approval_id;
	int64_t answered; /* when the last offer made was answered */
};

static const char *const decline_reasons[] = {"no_capacity", "no_staff", "cannot_meet_need",
					      "price"};

static enum br_status add_offer(struct gen *g, struct history *h, int64_t req, int prov,
				const char *tier, int64_t at, const char *status,
				const char *reason, int login, int64_t *id, char **why)
{
	sqlite3_stmt *q = g->ins_offer;
	*id = ++h->offer_id;
	sqlite3_bind_int64(q, 1, *id);
	sqlite3_bind_int64(q, 2, req);
	sqlite3_bind_int64(q, 3, g->prov[prov].id);
	store_bind_text(q, 4, tier);
	store_bind_text(q, 5, status);
	demo_bind_stamp(g, q, 6, at);
	store_bind_text(q, 7, demo_logins[login].login);
	demo_bind_stamp(g, q, 8, at + 72 * 3600);
	int64_t answered = at + rint_in(&g->r, 600, 20 * 3600);
	if (strcmp(status, "pending") != 0)
		demo_bind_stamp(g, q, 9, strcmp(status, "expired") == 0 ? at + 72 * 3600 : answered);
	if (reason)
		store_bind_text(q, 10, reason);
	enum br_status st = demo_step(g, q, why);
	if (st)
		return st;
	if (!demo_event_add(g, at, EV_OFFER, *id, g->prov[prov].id, login))
		return demo_event_failed(g, why);
	int kind = strcmp(status, "accepted") == 0 ? EV_ACCEPT
		   : strcmp(status, "declined") == 0 ? EV_DECLINE
		   : strcmp(status, "withdrawn") == 0 ? EV_WITHDRAW
		   : strcmp(status, "expired") == 0 ? EV_EXPIRE : -1;
	if (kind >= 0 && !demo_event_add(g, kind == EV_EXPIRE ? at + 72 * 3600 : answered, kind, *id,
				    g->prov[prov].id, login))
		return demo_event_failed(g, why);
	h->answered = answered;
	return BR_OK;
}

/* A call-off that starts later than its request asked: its dates and its
 * status move with it. */
static const char *shift_start(const struct gen *g, int64_t *start_day, int64_t *end_day, int64_t shift,
			       const char *status)
{
	*start_day += shift;
	if (*end_day)
		*end_day += shift;
	if (strcmp(status, "ended") == 0 && *end_day >= g->today)
		status = "active";
	if (strcmp(status, "active") == 0 && *start_day > g->today)
		status = "approved";
	return status;
}

static int pick_provider(struct gen *g, int svc, int loc, int need, bool active_only)
{
	int n = g->ncand[svc][loc][need];
	if (n == 0)
		return -1;
	for (int tries = 0; tries < 8; tries++) {
		int pi = g->cand[svc][loc][need][rnext(&g->r) % (uint64_t)n];
		if (!active_only || g->prov[pi].active)
			return pi;
	}
	return g->cand[svc][loc][need][rnext(&g->r) % (uint64_t)n];
}

static int64_t units_for(struct rng *r, int svc)
{
	switch (svc) {
	case SERVICE_HC: return rint_in(r, 5, 30);
	case SERVICE_SL: return rint_in(r, 20, 60);
	case SERVICE_PBS: return rint_in(r, 3, 15);
	case SERVICE_DAY: return rint_in(r, 1, 5);
	case SERVICE_RSP: return rint_in(r, 1, 14);
	case SERVICE_ISP: return rint_in(r, 4, 20);
	case SERVICE_EMP: return rint_in(r, 2, 10);
	default: return 1;
	}
}

/* One placed (or refused) package, start to finish. */
static enum br_status make_package(struct gen *g, struct history *h, int64_t start_day,
				   bool open_now, char **why)
{
	struct rng *r = &g->r;
	struct gperson *p = &g->people[rnext(r) % (uint64_t)g->npeople];
	/* a closed or deceased person's care ended before the record was
	 * closed: what is open now, or began in the last 400 days, is an
	 * active person's (the people rule of records/invariants.c) */
	if (open_now || start_day > g->today - 401) {
		for (int tries = 0; tries < 20 && p->status != PS_ACTIVE; tries++)
			p = &g->people[rnext(r) % (uint64_t)g->npeople];
		for (int i = 0; i < g->npeople && p->status != PS_ACTIVE; i++)
			p = &g->people[i];
	}
	static const int svc_w[SERVICE_COUNT] = {45, 18, 7, 3, 12, 6, 2, 4, 1, 2};
	int svc = rweighted(r, svc_w, SERVICE_COUNT);
	int loc = p->loc;
	bool out_of_area = !open_now && rchance(r, 4);
	if (out_of_area)
		loc = (loc + 1 + (int)(rnext(r) % (uint64_t)(g->nloc > 1 ? g->nloc - 1 : 1))) % g->nloc;
	static const int urg_w[3] = {70, 22, 8};
	int urgency = rweighted(r, urg_w, 3);
	static const char *const urgencies[] = {"routine", "urgent", "emergency"};
	int wait_days = urgency == 2 ? (int)rint_in(r, 0, 1) : urgency == 1 ? (int)rint_in(r, 0, 7)
									  : (int)rint_in(r, 1, 28);
	/* what is still waiting today: emergencies since yesterday at most */
	int64_t open_age = urgency == 2 ? rint_in(r, 0, 1) : urgency == 1 ? rint_in(r, 0, 10)
								       : rint_in(r, 0, 40);
	int64_t created_day = open_now ? g->today - open_age : start_day - wait_days;
	if (open_now)
		start_day = created_day + rint_in(r, 0, 14);
	int64_t created = demo_day_at(r, created_day, 8, 17);
	int officer = demo_officer_logins[rnext(r) % 4];
	int64_t units = units_for(r, svc);
	int asc = p->funding == PF_ASC ? 100 : p->funding == PF_CHC ? 0 : (int)rint_in(r, 4, 7) * 10;
	int64_t req = ++h->request_id;
	sqlite3_stmt *q = g->ins_request;
	sqlite3_bind_int64(q, 1, req);
	sqlite3_bind_int64(q, 2, demo_person_id(g, p));
	store_bind_text(q, 3, service_code(svc));
	store_bind_text(q, 4, g->cfg->localities[p->loc].code);
	sqlite3_bind_int64(q, 5, units);
	demo_bind_date(q, 6, start_day);
	store_bind_text(q, 7, urgencies[urgency]);
	store_bind_text(q, 8, demo_funding_text[p->funding]);
	sqlite3_bind_int(q, 9, asc);
	bool handback = open_now && rchance(r, 6);
	sqlite3_bind_int(q, 11, handback);
	demo_bind_stamp(g, q, 12, created);
	store_bind_text(q, 13, demo_logins[officer].login);
	demo_bind_stamp(g, q, 14, handback ? demo_day_at(r, g->today - rint_in(r, 0, 3), 8, 12) : created);

	/* choose the provider and the offers that led to it */
	const char *tier = "registered";
	int prov = -1;
	int declined[4], ndeclined = 0;
	const char *declined_tier[4];
	bool legacy = false;
	if (svc == SERVICE_HC) {
		static const int tier_w[6] = {55, 22, 15, 4, 2, 2};
		int t = rweighted(r, tier_w, 6);
		if (open_now)
			t = 0;
		if (t == 0) {
			prov = g->hc_award[loc][0];
			tier = "primary";
		} else if (t == 1) {
			prov = g->hc_award[loc][1];
			tier = "secondary";
			declined[ndeclined] = g->hc_award[loc][0];
			declined_tier[ndeclined++] = "primary";
		} else if (t == 2) {
			prov = g->peripheral[rnext(r) % (uint64_t)g->nperipheral];
			tier = "peripheral";
			declined[ndeclined] = g->hc_award[loc][0];
			declined_tier[ndeclined++] = "primary";
			declined[ndeclined] = g->hc_award[loc][1];
			declined_tier[ndeclined++] = "secondary";
		} else if (t == 5) {
			prov = g->hc_award[loc][0];
			tier = "legacy";
			legacy = true;
		} else {
			prov = pick_provider(g, svc, loc, p->need, true);
			tier = t == 4 ? "spot" : "registered";
			if (prov < 0) {
				prov = g->hc_award[loc][0];
				tier = "primary";
			}
		}
	} else {
		prov = pick_provider(g, svc, loc, p->need, true);
		if (prov < 0)
			prov = pick_provider(g, SERVICE_HC, loc, p->need, true);
		if (prov < 0)
			prov = 0;
		if (rchance(r, 30) && !open_now) {
			int other = pick_provider(g, svc, loc, p->need, true);
			if (other >= 0 && other != prov) {
				declined[ndeclined] = other;
				declined_tier[ndeclined++] = "registered";
			}
		}
		if (rchance(r, 3))
			tier = "spot";
	}
	if (legacy) {
		start_day = date_days(2018, (int)rint_in(r, 1, 12), (int)rint_in(r, 1, 28));
		created = demo_day_at(r, start_day - 10, 8, 17);
		demo_bind_date(q, 6, start_day);
		demo_bind_stamp(g, q, 12, created);
		demo_bind_stamp(g, q, 14, created);
	}
	bool emergency_respite = svc == SERVICE_RSP && urgency == 2 && !open_now;
	if (emergency_respite)
		tier = "emergency";

	/* status of the call-off */
	int64_t end_day = 0;
	const char *co_status = "active";
	if (!open_now) {
		if (svc == SERVICE_RSP)
			end_day = start_day + units - 1;
		else if (!legacy && rchance(r, 45))
			end_day = start_day + rint_in(r, 14, 400);
		if (p->status != PS_ACTIVE && (!end_day || end_day >= g->today))
			end_day = start_day + rint_in(r, 30, 400);
		if (end_day && end_day < g->today)
			co_status = "ended";
		else if (end_day)
			co_status = "active";
		if (start_day > g->today)
			co_status = "approved";
	}
	/* a provider placed with for a service it has no rate for (a spot
	 * purchase) quoted one: every call-off has a rate in force */
	if (g->prov[prov].base_rate[svc] <= 0) {
		g->prov[prov].base_rate[svc] = demo_base_rate(r, svc);
		enum br_status rst = demo_add_rates(g, &g->prov[prov], svc, why);
		if (rst)
			return rst;
	}
	int64_t rate = demo_rate_on(&g->prov[prov], svc, start_day);
	int age = date_age(p->dob, start_day);
	const char *override_kind = NULL, *override_reason = NULL;
	if (out_of_area) {
		override_kind = "out_of_locality";
		override_reason = "Nearest provider able to meet need is outside the person's locality";
	} else if (strcmp(tier, "spot") == 0) {
		override_kind = "spot";
		override_reason = "No framework provider could meet the need in time";
	}

	struct rule_facts facts = {
		.service = svc, .weekly_cost = rate * units, .unit_rate = rate,
		.start_day = start_day, .age = age,
		.spot = strcmp(tier, "spot") == 0, .override = false, .out_of_locality = out_of_area,
		.emergency = emergency_respite,
	};
	unsigned fired = rules_approval(g->cfg, &facts);
	bool rejected = false, pending_approval = false;
	if (fired && !open_now) {
		if (start_day >= g->today - 2 && rchance(r, 60))
			pending_approval = true;
		else if (rchance(r, 7))
			rejected = true;
	}
	if (rejected)
		co_status = "rejected";
	if (pending_approval)
		co_status = "awaiting_approval";
	bool cancelled = !open_now && !rejected && !pending_approval && rchance(r, 2);
	if (cancelled)
		co_status = "cancelled";

	/* the request's own outcome */
	int64_t placed_at = created + rint_in(r, 3600, (int64_t)(wait_days > 0 ? wait_days : 1) * 86400);
	if (open_now) {
		store_bind_text(q, 10, "open");
	} else if (rejected || cancelled) {
		store_bind_text(q, 10, "cancelled");
		demo_bind_stamp(g, q, 15, placed_at + 86400);
		store_bind_text(q, 16, rejected ? "Call-off rejected at approval; need met another way"
						: "Person's needs changed before the start date");
	} else {
		store_bind_text(q, 10, "placed");
		demo_bind_stamp(g, q, 15, placed_at);
	}
	enum br_status st = demo_step(g, q, why);
	if (st)
		return st;
	if (!demo_event_add(g, created, EV_REQUEST, req, demo_person_id(g, p), officer))
		return demo_event_failed(g, why);

	int64_t at = created + rint_in(r, 600, 7200);
	int64_t offer_id;
	for (int i = 0; i < ndeclined; i++) {
		bool expired = rchance(r, 15);
		if ((st = add_offer(g, h, req, declined[i], declined_tier[i], at,
				    expired ? "expired" : "declined",
				    expired ? NULL : decline_reasons[rnext(r) % 4], officer, &offer_id,
				    why)))
			return st;
		at += rint_in(r, 3600, 30 * 3600);
	}
	if (open_now) {
		/* some waiting requests already have an offer out */
		if (rchance(r, 45)) {
			int64_t when = (g->today * 86400) - rint_in(r, 600, 40 * 3600);
			if ((st = add_offer(g, h, req, prov, tier, when, "pending", NULL, officer, &offer_id,
					    why)))
				return st;
		}
		return BR_OK;
	}
	if (emergency_respite) {
		offer_id = 0;
		officer = L_ONCALL;
	} else {
		/* peripheral offers can go to several at once: first to accept wins */
		if (strcmp(tier, "peripheral") == 0 && rchance(r, 40)) {
			int other = g->peripheral[rnext(r) % (uint64_t)g->nperipheral];
			if (other != prov && (st = add_offer(g, h, req, other, tier, at, "withdrawn", NULL,
							     officer, &offer_id, why)))
				return st;
		}
		if ((st = add_offer(g, h, req, prov, legacy ? "continuity" : tier, at, "accepted", NULL,
				    officer, &offer_id, why)))
			return st;
		/* care starts no earlier than the day the offer was accepted
		 * (records/invariants.c, starts): a request answered late starts late */
		int64_t accepted_day = demo_past(g, h->answered) / 86400;
		if (accepted_day > start_day)
			co_status = shift_start(g, &start_day, &end_day, accepted_day - start_day, co_status);
	}
	/* one respite bed a night per person (records/invariants.c, respite) */
	if (svc == SERVICE_RSP && !rejected && !cancelled) {
		if (p->respite_last >= start_day)
			co_status = shift_start(g, &start_day, &end_day, p->respite_last + 1 - start_day, co_status);
		p->respite_last = (int32_t)end_day;
	}
	/* the rate in force on the day it starts (records/invariants.c, rates) */
	int64_t rate_then = demo_rate_on(&g->prov[prov], svc, start_day);
	if (rate_then > 0)
		rate = rate_then;

	int64_t co = ++h->calloff_id;
	sqlite3_stmt *c = g->ins_calloff;
	sqlite3_bind_int64(c, 1, co);
	sqlite3_bind_int64(c, 2, req);
	sqlite3_bind_int64(c, 3, g->prov[prov].id);
	if (offer_id)
		sqlite3_bind_int64(c, 4, offer_id);
	store_bind_text(c, 5, tier);
	store_bind_text(c, 6, override_kind);
	store_bind_text(c, 7, override_reason);
	store_bind_text(c, 8, service_code(svc));
	store_bind_text(c, 9, g->cfg->localities[loc].code);
	sqlite3_bind_int64(c, 10, rate);
	sqlite3_bind_int64(c, 11, units);
	sqlite3_bind_int64(c, 12, rate * units);
	sqlite3_bind_int(c, 13, asc);
	demo_bind_date(c, 14, start_day);
	if (end_day && !rejected && !cancelled && !pending_approval)
		demo_bind_date(c, 15, end_day);
	store_bind_text(c, 16, co_status);
	store_bind_text(c, 17, demo_logins[officer].login);
	int64_t co_at = placed_at;
	demo_bind_stamp(g, c, 18, co_at);
	bool handed_back = strcmp(co_status, "ended") == 0 && svc != SERVICE_RSP && rchance(r, 6);
	if (strcmp(co_status, "ended") == 0)
		store_bind_text(c, 19, handed_back ? "handed back" : "package ended");
	if (handed_back) {
		static const char *const hb[] = {"no_staff", "cannot_meet_need", "provider_exit"};
		store_bind_text(c, 20, hb[rnext(r) % 3]);
		demo_bind_date(c, 21, end_day); /* the notice date is when care ends */
	}
	if ((st = demo_step(g, c, why)))
		return st;
	/* one package of a service at a time: a new one replaces the last */
	if (calloff_status_in(co_status, CG_HOLDS) && svc != SERVICE_RSP) {
		if (p->current[svc]) {
			sqlite3_bind_int64(g->end_previous, 1, p->current[svc]);
			demo_bind_date(g->end_previous, 2, start_day - 1);
			if ((st = demo_step(g, g->end_previous, why)))
				return st;
		}
		p->current[svc] = (int32_t)co;
	}
	if (!demo_event_add(g, co_at, EV_CALLOFF, co, g->prov[prov].id, officer))
		return demo_event_failed(g, why);
	if (strcmp(co_status, "ended") == 0 &&
	    !demo_event_add(g, (handed_back ? end_day - 14 : end_day) * 86400 + 9 * 3600,
		       handed_back ? EV_HANDBACK : EV_END, co,
		       g->prov[prov].id, officer))
		return demo_event_failed(g, why);

	if (fired) {
		int64_t ap = ++h->approval_id;
		sqlite3_stmt *a = g->ins_approval;
		int sup = demo_supervisor_logins[rnext(r) % 2];
		sqlite3_bind_int64(a, 1, ap);
		sqlite3_bind_int64(a, 2, co);
		store_bind_text(a, 3, pending_approval ? "pending" : rejected ? "rejected" : "approved");
		sqlite3_bind_int64(a, 4, rate * units * 52);
		demo_bind_stamp(g, a, 5, co_at);
		store_bind_text(a, 6, demo_logins[officer].login);
		if (emergency_respite)
			demo_bind_date(a, 7, rules_next_working_day(g->cfg, (co_at / 86400)));
		int64_t decided = co_at + rint_in(r, 1800, 2 * 86400);
		if (!pending_approval) {
			demo_bind_stamp(g, a, 8, decided);
			store_bind_text(a, 9, demo_logins[sup].login);
			store_bind_text(a, 10, rejected ? "Please look for a community alternative first"
							: "Approved");
		}
		if ((st = demo_step(g, a, why)))
			return st;
		for (int rule = 0; rule < RULE_COUNT; rule++) {
			if (!(fired & (1u << rule)))
				continue;
			char detail[160];
			rules_describe(g->cfg, &facts, rule, detail, sizeof detail);
			sqlite3_bind_int64(g->ins_rule, 1, ap);
			store_bind_text(g->ins_rule, 2, rule_code(rule));
			store_bind_text(g->ins_rule, 3, detail);
			if ((st = demo_step(g, g->ins_rule, why)))
				return st;
		}
		if (!demo_event_add(g, co_at + 1, EV_APPROVAL_REQ, ap, co, officer) ||
		    (!pending_approval &&
		     !demo_event_add(g, decided, rejected ? EV_REJECT : EV_APPROVE, ap, co, sup)))
			return demo_event_failed(g, why);
	}
	return BR_OK;
}

enum br_status demo_make_history(struct gen *g, char **why)
{
	struct history h = {0, 0, 0, 0, 0};
	int total = demo_count_calloffs(g);
	enum br_status st;
	for (int i = 0; i < total; i++) {
		int64_t start = g->today - 730 + (int64_t)i * 730 / total + rint_in(&g->r, 0, 2);
		if (start > g->today + 10)
			start = g->today + 10;
		if ((st = make_package(g, &h, start, false, why)))
			return st;
		demo_tick(g, "call-offs", 1);
	}
	int open = demo_count_open(g);
	for (int i = 0; i < open; i++)
		if ((st = make_package(g, &h, g->today, true, why)))
			return st;
	g->rep->calloffs = h.calloff_id;
	return BR_OK;
}
