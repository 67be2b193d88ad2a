#include "respite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "approval.h"
#include "calloff.h"
#include "audit.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

enum br_status respite_book(struct session *s, int64_t person_id, int64_t provider_id, const char *locality,
			    int nights, struct respite_booking *out, char **why)
{
	memset(out, 0, sizeof *out);
	enum br_status st = session_require_cap(s, CAP_RESPITE, "emergency respite", why);
	if (st != BR_OK)
		return st;
	int max = s->cfg.respite_max_nights;
	if (nights < 1)
		return br_fail(why, BR_DATA, "a booking is for 1 night or more");
	if (nights > max && !session_may(s, CAP_APPROVE))
		return br_fail(why, BR_DENIED, "%d nights is past the %d a booking may take: a supervisor can extend it",
			       nights, max);
	if (nights > 28)
		return br_fail(why, BR_DATA, "%d nights is not emergency respite", nights);
	struct su_row su;
	if ((st = su_get(s->store, person_id, &su, why)) != BR_OK)
		return st;
	if (strcmp(su.status, "active") != 0)
		return br_fail(why, BR_DATA, "%s is %s", su.ref, su.status);
	int64_t first = respite_tonight(), last = first + nights - 1;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	/* the provider, as the list showed it, checked again inside the write */
	struct respite_row rows[256];
	int n = 0;
	if ((st = respite_list(s, person_id, rows, 256, &n, why)) != BR_OK)
		goto fail;
	const struct respite_row *r = NULL;
	for (int i = 0; i < n && !r; i++)
		if (rows[i].provider_id == provider_id && (!locality || !*locality || strcmp(rows[i].locality, locality) == 0))
			r = &rows[i];
	if (!r) {
		struct provider_row p;
		if (provider_get(s->store, provider_id, &p, NULL) == BR_OK && strcmp(p.status, "active") != 0)
			st = br_fail(why, BR_DENIED, "%s is %s: never bookable", p.name, p.status);
		else
			st = br_fail(why, BR_CONFLICT, "provider %lld has no respite bed free tonight for %s's need (%s)%s%s",
				     (long long)provider_id, su.ref, su.primary_need, locality && *locality ? " in " : "",
				     locality ? locality : "");
		goto fail;
	}
	int lowest;
	int64_t full;
	if ((st = respite_beds(s, provider_id, r->locality, first, last, &lowest, &full, why)) != BR_OK)
		goto fail;
	if (full >= 0) {
		char d[11];
		date_format(full, d);
		st = br_fail(why, BR_CONFLICT, "%s has no bed free in %s on the night of %s: book fewer nights",
			     r->name, r->locality, d);
		goto fail;
	}
	if (r->rate <= 0) {
		st = br_fail(why, BR_DATA, "%s has no respite rate in force", r->name);
		goto fail;
	}
	/* out of the person's locality only when it cannot take them: a bed
	 * there for every night of the stay comes first (issue 26, finding 11) */
	if (strcmp(r->locality, su.locality) != 0) {
		for (int i = 0; i < n; i++) {
			if (rows[i].rank != 0 || rows[i].free_tonight <= 0)
				continue;
			int low;
			int64_t none;
			if ((st = respite_beds(s, rows[i].provider_id, rows[i].locality, first, last, &low, &none, why)) != BR_OK)
				goto fail;
			if (none < 0) {
				st = br_fail(why, BR_DENIED, "%s (provider %lld) in %s, %s's own locality, has a bed free "
							     "for all %d nights: out of locality only when the locality "
							     "cannot take the person", rows[i].name,
					     (long long)rows[i].provider_id, rows[i].locality, su.ref, nights);
				goto fail;
			}
		}
	}
	char now[21], d_first[11], d_last[11], d_due[11];
	clock_stamp(clock_now(), now);
	date_format(first, d_first);
	date_format(last, d_last);
	/* the day team approves it on the next working day after the night */
	int64_t due = rules_next_working_day(&s->cfg, first);
	date_format(due, d_due);
	int asc = strcmp(su.funding, "ASC") == 0 ? 100 : strcmp(su.funding, "CHC") == 0 ? 0 : 50;
	sqlite3_stmt *q = store_cached(s->store,
		"INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, funding, asc_pct, "
		"notes, status, created_at, created_by, opened_at, closed_at) "
		"VALUES (?1, 'RSP', ?2, ?3, ?4, 'emergency', ?5, ?6, 'emergency respite', 'open', ?7, ?8, ?7, NULL)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, person_id);
	store_bind_text(q, 2, su.locality);
	sqlite3_bind_int(q, 3, nights);
	store_bind_text(q, 4, d_first);
	store_bind_text(q, 5, su.funding);
	sqlite3_bind_int(q, 6, asc);
	store_bind_text(q, 7, now);
	store_bind_text(q, 8, s->user.login);
	if ((st = store_step_done(s->store, q, "booking", why)) != BR_OK)
		goto fail;
	out->request_id = sqlite3_last_insert_rowid(store_db(s->store));
	bool out_of_area = strcmp(r->locality, su.locality) != 0;
	struct calloff_spec spec = {
		.request_id = out->request_id, .provider_id = provider_id, .tier = "emergency",
		.override_kind = out_of_area ? "out_of_locality" : NULL,
		.override_reason = out_of_area ? "emergency: nearest bed free tonight" : NULL, .service = "RSP",
		.locality = r->locality, .unit_rate = r->rate, .units = nights, .asc_pct = asc, .start = d_first,
		.end = d_last,
	};
	if ((st = calloff_create(s, &spec, &out->calloff_id, why)) != BR_OK)
		goto fail;
	/* approved afterwards, on the next working day */
	struct rule_facts facts = rules_facts_of(&(struct rule_placement){
		.service = "RSP", .unit_rate = r->rate, .units = nights, .start_day = first, .dob = su.dob,
		.tier = "emergency", .override_kind = out_of_area ? "out_of_locality" : NULL,
		.locality = r->locality, .person_locality = su.locality, .emergency = true});
	unsigned fired = rules_approval(&s->cfg, &facts);
	char detail[200];
	snprintf(detail, sizeof detail, "person=%s provider=%lld locality=%s nights=%d from=%s due=%s", su.ref,
		 (long long)provider_id, r->locality, nights, d_first, d_due);
	struct calloff_args args = {.detail = detail, .facts = &facts, .fired = fired, .annual_cost = service_annual_cost(SERVICE_RSP, r->rate, nights),
				    .due = d_due, .approval_id = &out->approval_id};
	if ((st = calloff_transition(s, out->calloff_id, CE_BOOK, CS_ACTIVE, &args, why)) != BR_OK)
		goto fail;
	if ((st = store_commit(s->store, why)) != BR_OK)
		return st;
	out->nights = nights;
	out->cost = r->rate * nights;
	text_copy(out->provider, sizeof out->provider, r->name);
	text_copy(out->phone, sizeof out->phone, r->phone);
	int li = config_locality(&s->cfg, r->locality);
	text_copy(out->locality_name, sizeof out->locality_name, li >= 0 ? s->cfg.localities[li].name : r->locality);
	text_copy(out->first_night, sizeof out->first_night, d_first);
	text_copy(out->last_night, sizeof out->last_night, d_last);
	text_copy(out->due, sizeof out->due, d_due);
	char money[32];
	money_format(out->cost, money, sizeof money);
	snprintf(out->summary, sizeof out->summary,
		 "Booked: %s %s (%s) at %s, %s, %d night%s from the night of %s; phone %s; call-off %lld, %s; "
		 "approval due %s", su.given, su.family, su.ref, r->name, out->locality_name, nights,
		 nights == 1 ? "" : "s", d_first, r->phone[0] ? r->phone : "-", (long long)out->calloff_id, money, d_due);
	return BR_OK;
fail:
	store_rollback(s->store);
	return st;
}

enum br_status respite_extend(struct session *s, int64_t calloff_id, int nights, char **why)
{
	enum br_status st = session_require_cap(s, CAP_RESPITE, "extending a respite booking", why);
	if (st != BR_OK)
		return st;
	if (nights > s->cfg.respite_max_nights && !session_may(s, CAP_APPROVE))
		return br_fail(why, BR_DENIED, "extending past %d nights needs a supervisor", s->cfg.respite_max_nights);
	if (nights < 1 || nights > 28)
		return br_fail(why, BR_DATA, "%d nights is not emergency respite", nights);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_args args = {.nights = nights};
	st = calloff_transition(s, calloff_id, CE_EXTEND, CS_ANY, &args, why);
	if (st == BR_CONFLICT && why && *why && strstr(*why, "cannot be extended")) {
		free(*why);
		*why = NULL;
		st = br_fail(why, BR_CONFLICT, "call-off %lld is not an active emergency booking", (long long)calloff_id);
	}
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}
