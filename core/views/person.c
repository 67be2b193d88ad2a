#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "calloff.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

#define PERSON_HISTORY_MAX 200

static enum br_status load_calloffs(struct store *st, struct person_detail *d, char **why)
{
	sqlite3_stmt *q = store_stmt(st, STMT_PERSON_CALLOFFS,
		"SELECT c.id, p.name, c.service, c.tier, c.units, c.unit_rate_pence, c.weekly_cost_pence, "
		"c.status, c.start_date, coalesce(c.end_date,''), c.asc_pct, c.s117, c.fnc FROM calloff c "
		"JOIN package_request r ON r.id = c.request_id JOIN provider p ON p.id = c.provider_id "
		"WHERE r.user_id = ?1 ORDER BY " CALLOFF_SQL_OVER("c.status") ", "
		"c.start_date DESC, c.id DESC LIMIT ?2", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, d->su.id);
	sqlite3_bind_int(q, 2, PERSON_HISTORY_MAX);
	d->calloffs = calloc(PERSON_HISTORY_MAX, sizeof *d->calloffs);
	if (!d->calloffs) {
		store_done(q);
		return br_fail(why, BR_NOMEM, "out of memory");
	}
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && d->n_calloffs < PERSON_HISTORY_MAX) {
		struct person_calloff *c = &d->calloffs[d->n_calloffs++];
		c->id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, c->provider, sizeof c->provider);
		store_col_text(q, 2, c->service, sizeof c->service);
		store_col_text(q, 3, c->tier, sizeof c->tier);
		c->units = sqlite3_column_int64(q, 4);
		c->unit_rate = sqlite3_column_int64(q, 5);
		c->weekly_cost = sqlite3_column_int64(q, 6);
		store_col_text(q, 7, c->status, sizeof c->status);
		store_col_text(q, 8, c->start, sizeof c->start);
		store_col_text(q, 9, c->end, sizeof c->end);
		c->asc_pct = sqlite3_column_int(q, 10);
		c->s117 = sqlite3_column_int(q, 11) != 0;
		c->fnc = sqlite3_column_int(q, 12) != 0;
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, rc, "reading call-offs", why);
	return BR_OK;
}

/* The weekly cost now, by funding stream (the Person screen's summary). */
static void weekly_now(const struct session *s, struct person_detail *d)
{
	d->weekly_council = d->weekly_nhs = d->weekly_fnc = d->weekly_s117 = 0;
	d->n_paused = 0;
	for (int i = 0; i < d->n_calloffs; i++) {
		const struct person_calloff *c = &d->calloffs[i];
		int64_t w = calloff_weekly_for(s, c->status, c->weekly_cost);
		if (calloff_status_in(c->status, CG_PAUSED))
			d->n_paused++;
		struct funding_split f;
		funding_split_of(&s->cfg, w, c->asc_pct, c->fnc, clock_today(), &f);
		d->weekly_council += f.council;
		d->weekly_nhs += f.nhs;
		d->weekly_fnc += f.fnc;
		if (c->s117)
			d->weekly_s117 += w;
	}
}

static enum br_status load_requests(struct store *st, struct person_detail *d, char **why)
{
	sqlite3_stmt *q = store_stmt(st, STMT_PERSON_REQUESTS,
		"SELECT id, service, units, urgency, status, start_date, created_at, funding, asc_pct, "
		"handback FROM package_request WHERE user_id = ?1 "
		"ORDER BY status <> 'open', created_at DESC, id DESC LIMIT ?2", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, d->su.id);
	sqlite3_bind_int(q, 2, PERSON_HISTORY_MAX);
	d->requests = calloc(PERSON_HISTORY_MAX, sizeof *d->requests);
	if (!d->requests) {
		store_done(q);
		return br_fail(why, BR_NOMEM, "out of memory");
	}
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && d->n_requests < PERSON_HISTORY_MAX) {
		struct person_request *r = &d->requests[d->n_requests++];
		r->id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, r->service, sizeof r->service);
		r->units = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, r->urgency, sizeof r->urgency);
		store_col_text(q, 4, r->status, sizeof r->status);
		store_col_text(q, 5, r->start, sizeof r->start);
		store_col_text(q, 6, r->created, sizeof r->created);
		store_col_text(q, 7, r->funding, sizeof r->funding);
		r->asc_pct = sqlite3_column_int(q, 8);
		r->handback = sqlite3_column_int(q, 9) != 0;
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, rc, "reading requests", why);
	return BR_OK;
}

enum br_status person_open(struct session *s, int64_t id, const char *breakglass_reason,
			   struct person_detail **out, char **why)
{
	*out = NULL;
	enum br_status st = text_check("--reason", breakglass_reason, 0, false, why);
	if (st != BR_OK)
		return st;
	struct person_detail *d = calloc(1, sizeof *d);
	if (!d)
		return br_fail(why, BR_NOMEM, "out of memory");
	if ((st = su_get(s->store, id, &d->su, why)) != BR_OK)
		goto fail;
	bool breakglass = false;
	if (d->su.restricted) {
		if (!text_present(breakglass_reason)) {
			st = br_fail(why, BR_DENIED, "%s is a restricted record: opening it needs a reason "
						     "(break-glass), which is audited", d->su.ref);
			goto fail;
		}
		breakglass = true;
	}
	/* the opening is on the record before anything is shown */
	if ((st = store_begin(s->store, why)) != BR_OK)
		goto fail;
	char entity_id[24], detail[300];
	snprintf(entity_id, sizeof entity_id, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s%s%.250s", d->su.ref, breakglass ? " break-glass: " : "",
		 breakglass ? breakglass_reason : "");
	st = audit_append(s->store, s->user.login, breakglass ? "person.breakglass" : "person.open",
			  "person", entity_id, detail, why);
	if (st == BR_OK)
		st = store_commit(s->store, why);
	else
		store_rollback(s->store);
	if (st != BR_OK)
		goto fail;
	d->age = 0;
	int64_t dob;
	if (date_parse(d->su.dob, &dob, NULL) == BR_OK)
		d->age = date_age(dob, clock_today());
	int li = config_locality(&s->cfg, d->su.locality);
	text_copy(d->locality_name, sizeof d->locality_name,
		  li >= 0 ? s->cfg.localities[li].name : d->su.locality);
	if ((st = load_calloffs(s->store, d, why)) || (st = load_requests(s->store, d, why)))
		goto fail;
	weekly_now(s, d);
	*out = d;
	return BR_OK;
fail:
	person_detail_free(&d);
	return st;
}

enum br_status person_refresh(struct session *s, int64_t id, struct person_detail **out, char **why)
{
	*out = NULL;
	struct person_detail *d = calloc(1, sizeof *d);
	if (!d)
		return br_fail(why, BR_NOMEM, "out of memory");
	enum br_status st = su_get(s->store, id, &d->su, why);
	int64_t dob;
	if (st == BR_OK && date_parse(d->su.dob, &dob, NULL) == BR_OK)
		d->age = date_age(dob, clock_today());
	int li = config_locality(&s->cfg, d->su.locality);
	text_copy(d->locality_name, sizeof d->locality_name, li >= 0 ? s->cfg.localities[li].name : d->su.locality);
	if (st == BR_OK)
		st = load_calloffs(s->store, d, why);
	if (st == BR_OK)
		st = load_requests(s->store, d, why);
	if (st != BR_OK) {
		person_detail_free(&d);
		return st;
	}
	weekly_now(s, d);
	*out = d;
	return BR_OK;
}

void person_detail_free(struct person_detail **dp)
{
	if (!dp || !*dp)
		return;
	free((*dp)->calloffs);
	free((*dp)->requests);
	free(*dp);
	*dp = NULL;
}
