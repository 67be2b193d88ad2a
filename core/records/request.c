/* request.c — package requests: raise, read, change, cancel (DESIGN.md §2
 * "Package request"). Reopening one is the call-off module's job. */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "request.h"
#include "offers.h"
#include "match.h"
#include "broker_internal.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite_beds.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- requests ---------------------------------------------------------------- */

static enum br_status validate_funding(const char *funding, int asc_in, int *asc, char **why)
{
	if (!funding_valid(funding))
		return br_fail(why, BR_DATA, "funding \"%s\" is not ASC, CHC or JOINT", funding);
	if (strcmp(funding, "ASC") == 0)
		*asc = 100;
	else if (strcmp(funding, "CHC") == 0)
		*asc = 0;
	else
		*asc = asc_in;
	if (strcmp(funding, "JOINT") == 0 && (asc_in < 1 || asc_in > 99))
		return br_fail(why, BR_DATA, "joint funding needs the council's share, 1-99%% "
					     "(the NHS CHC share is the rest, so the split adds to 100%%)");
	if (strcmp(funding, "JOINT") != 0 && asc_in >= 0 && asc_in != *asc)
		return br_fail(why, BR_DATA, "%s funding is %d%% council: a split is only for JOINT",
			       funding, *asc);
	return BR_OK;
}

static enum br_status validate_request(struct session *s, const struct request_input *in, bool is_new,
				       int *asc, char **why)
{
	int svc = service_find(in->service);
	if (svc < 0)
		return br_fail(why, BR_DATA, "service \"%s\" is not one of the framework's lots", in->service);
	int64_t start;
	enum br_status st = rules_units_allowed(&s->cfg, svc, in->units, why);
	if (st != BR_OK || (st = date_parse(in->start, &start, why)) != BR_OK)
		return st;
	if (is_new && start < clock_today())
		return br_fail(why, BR_DATA, "start date %s is in the past", in->start);
	if (!urgency_valid(in->urgency))
		return br_fail(why, BR_DATA, "urgency \"%s\" is not routine, urgent or emergency", in->urgency);
	if (in->locality[0] && config_locality(&s->cfg, in->locality) < 0)
		return br_fail(why, BR_DATA, "locality \"%s\" is not in the config", in->locality);
	if ((st = text_check("--notes", in->notes, 0, true, why)) != BR_OK)
		return st;
	return validate_funding(in->funding, in->asc_pct, asc, why);
}

/* One open request per person and service (issue 24's casework rule, issue
 * 27 finding 8): a second is refused with the first one's reference and
 * what it asks, so the officer changes or cancels that one instead. Read
 * inside the write, so two officers raising it at once cannot both win. */
static enum br_status refuse_second_open(struct session *s, const struct su_row *su, const char *service,
					 char **why)
{
	sqlite3_stmt *q = prep(s->store, "SELECT id, units, start_date, urgency, substr(created_at, 1, 10), created_by "
					 "FROM package_request WHERE user_id = ?1 AND service = ?2 AND status = 'open' "
					 "ORDER BY id LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, su->id);
	store_bind_text(q, 2, service);
	int rc = sqlite3_step(q);
	enum br_status st = BR_OK;
	if (rc == SQLITE_ROW)
		st = br_fail(why, BR_CONFLICT,
			     "request %lld for %s %s is already open (%lld %s from %s, %s, raised %s by %s): "
			     "change it or cancel it rather than raise a second",
			     (long long)sqlite3_column_int64(q, 0), su->ref, service,
			     (long long)sqlite3_column_int64(q, 1), service_unit(service_find(service)),
			     (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
			     (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5));
	else if (rc != SQLITE_DONE)
		st = store_error(s->store, rc, "looking for an open request", why);
	store_done(q);
	return st;
}

enum br_status request_create(struct session *s, const struct request_input *in, int64_t *id,
			      char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "raising a request", why);
	if (st != BR_OK)
		return st;
	int asc;
	if ((st = validate_request(s, in, true, &asc, why)) != BR_OK)
		return st;
	/* the person's state is read inside the write, so a record closed (or
	 * a death recorded) by another officer a moment before is seen */
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct su_row su;
	if ((st = su_find_ref(s->store, in->user_ref, &su, why)) != BR_OK)
		goto fail;
	if (strcmp(su.status, "active") != 0) {
		st = br_fail(why, BR_DATA, "%s is %s: a request needs an active person", su.ref, su.status);
		goto fail;
	}
	if ((st = refuse_second_open(s, &su, in->service, why)) != BR_OK)
		goto fail;
	/* the service must be one the person's needs can use: some provider is
	 * registered on that lot for one of their needs */
	sqlite3_stmt *q = prep(s->store,
		REQUEST_SERVICE_USABLE, why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, su.id);
	store_bind_text(q, 2, in->service);
	store_bind_text(q, 3, su.primary_need);
	bool usable = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
	store_done(q);
	if (!usable) {
		st = br_fail(why, BR_DATA, "no provider is registered for %s for %s's needs (%s%s%s)",
			     in->service, su.ref, su.primary_need, su.other_needs[0] ? ";" : "", su.other_needs);
		goto fail;
	}
	char now[21];
	now_stamp(now);
	q = prep(s->store,
		 "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, "
		 "funding, asc_pct, notes, created_at, created_by, opened_at) "
		 "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?10)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, su.id);
	store_bind_text(q, 2, in->service);
	store_bind_text(q, 3, in->locality[0] ? in->locality : su.locality);
	sqlite3_bind_int64(q, 4, in->units);
	store_bind_text(q, 5, in->start);
	store_bind_text(q, 6, in->urgency);
	store_bind_text(q, 7, in->funding);
	sqlite3_bind_int(q, 8, asc);
	store_bind_text(q, 9, in->notes);
	store_bind_text(q, 10, now);
	store_bind_text(q, 11, s->user.login);
	if ((st = store_step_done(s->store, q, "raising the request", why)) != BR_OK)
		goto fail;
	*id = sqlite3_last_insert_rowid(store_db(s->store));
	char detail[160];
	snprintf(detail, sizeof detail, "person=%s service=%s units=%lld start=%s urgency=%s funding=%s/%d",
		 su.ref, in->service, (long long)in->units, in->start, in->urgency, in->funding, asc);
	if ((st = audit_id(s, "request.create", "request", *id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

void request_mask(struct request_info *r)
{
	if (!r->restricted)
		return;
	r->dob[0] = r->need[0] = r->notes[0] = '\0';
	r->direct_payment = r->s117 = r->fnc = false;
}

enum br_status request_get(struct session *s, int64_t id, struct request_info *r, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT r.id, r.user_id, su.ref, su.family_name || ', ' || su.given_name, r.service, "
		"r.units, r.locality, su.locality, su.primary_need, r.start_date, r.urgency, r.funding, "
		"r.asc_pct, r.status, r.handback, su.date_of_birth, r.created_at, r.created_by, r.notes, su.restricted, "
		"coalesce(r.assigned_to,''), coalesce(r.assigned_at,''), su.direct_payment, su.s117, su.fnc "
		"FROM package_request r JOIN service_user su ON su.id = r.user_id WHERE r.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		store_done(q);
		return rc == SQLITE_DONE ? br_fail(why, BR_NOTFOUND, "no request %lld", (long long)id)
					 : store_error(s->store, rc, "reading a request", why);
	}
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(q, 0);
	r->user_id = sqlite3_column_int64(q, 1);
	store_col_text(q, 2, r->ref, sizeof r->ref);
	store_col_text(q, 3, r->person, sizeof r->person);
	store_col_text(q, 4, r->service, sizeof r->service);
	r->units = sqlite3_column_int64(q, 5);
	store_col_text(q, 6, r->locality, sizeof r->locality);
	store_col_text(q, 7, r->person_locality, sizeof r->person_locality);
	store_col_text(q, 8, r->need, sizeof r->need);
	store_col_text(q, 9, r->start, sizeof r->start);
	store_col_text(q, 10, r->urgency, sizeof r->urgency);
	store_col_text(q, 11, r->funding, sizeof r->funding);
	r->asc_pct = sqlite3_column_int(q, 12);
	store_col_text(q, 13, r->status, sizeof r->status);
	r->handback = sqlite3_column_int(q, 14) != 0;
	store_col_text(q, 15, r->dob, sizeof r->dob);
	store_col_text(q, 16, r->created_at, sizeof r->created_at);
	store_col_text(q, 17, r->created_by, sizeof r->created_by);
	store_col_text(q, 18, r->notes, sizeof r->notes);
	r->restricted = sqlite3_column_int(q, 19) != 0;
	store_col_text(q, 20, r->assigned_to, sizeof r->assigned_to);
	store_col_text(q, 21, r->assigned_at, sizeof r->assigned_at);
	r->direct_payment = sqlite3_column_int(q, 22) != 0;
	r->s117 = sqlite3_column_int(q, 23) != 0;
	/* funded nursing care goes with a nursing placement only: the same
	 * rule as the call-off's (calloff_create copies it for RES alone) */
	r->fnc = sqlite3_column_int(q, 24) != 0 && strcmp(r->service, "RES") == 0;
	store_done(q);
	return BR_OK;
}

enum br_status request_edit(struct session *s, int64_t id, const struct request_input *in,
			    char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "changing a request", why);
	if (st != BR_OK)
		return st;
	int asc;
	if ((st = validate_request(s, in, false, &asc, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s: only an open request can change",
			     (long long)id, r.status);
		goto fail;
	}
	/* what a provider was offered is what it accepts: no change under a
	 * pending offer (four eyes: the editor would not count as its shaper) */
	sqlite3_stmt *p = prep(s->store,
		"SELECT p.name FROM offer o JOIN provider p ON p.id = o.provider_id "
		"WHERE o.request_id = ?1 AND o.status = 'pending' LIMIT 1", why);
	if (!p) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(p, 1, id);
	if (sqlite3_step(p) == SQLITE_ROW) {
		st = br_fail(why, BR_CONFLICT, "request %lld has an offer waiting for an answer from %s: "
					       "record the answer or withdraw the offer before changing it",
			     (long long)id, (const char *)sqlite3_column_text(p, 0));
		store_done(p);
		goto fail;
	}
	store_done(p);
	sqlite3_stmt *q = prep(s->store,
		"UPDATE package_request SET units = ?2, start_date = ?3, urgency = ?4, funding = ?5, "
		"asc_pct = ?6, notes = ?7 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, in->units);
	store_bind_text(q, 3, in->start);
	store_bind_text(q, 4, in->urgency);
	store_bind_text(q, 5, in->funding);
	sqlite3_bind_int(q, 6, asc);
	store_bind_text(q, 7, in->notes);
	if ((st = store_step_done(s->store, q, "changing the request", why)) != BR_OK)
		goto fail;
	char detail[200];
	snprintf(detail, sizeof detail, "units %lld->%lld start %s->%s urgency %s->%s funding %s/%d->%s/%d",
		 (long long)r.units, (long long)in->units, r.start, in->start, r.urgency, in->urgency,
		 r.funding, r.asc_pct, in->funding, asc);
	if ((st = audit_id(s, "request.edit", "request", id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status request_cancel(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "cancelling a request", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "cancelling a request needs a reason");
	if ((st = text_check("--reason", reason, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	if ((st = request_cancel_in(s, id, reason, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status request_cancel_in(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st;
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		return st;
	if (strcmp(r.status, "open") != 0)
		return br_fail(why, BR_CONFLICT, "request %lld is already %s", (long long)id, r.status);
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE package_request SET status = 'cancelled', closed_at = ?2, "
					 "cancel_reason = ?3 WHERE id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, now);
	store_bind_text(q, 3, reason);
	if ((st = store_step_done(s->store, q, "cancelling the request", why)) != BR_OK ||
	    (st = offers_withdraw_pending(s, id, 0, why)) != BR_OK)
		return st;
	return audit_id(s, "request.cancel", "request", id, reason, why);
}

/* ---- one officer per request ------------------------------------------------------- */

enum br_status request_idle_minutes(struct session *s, int64_t id, long *minutes, char **why)
{
	*minutes = 0;
	/* the latest of: when it was given to its officer, and anything that
	 * officer wrote on the request or its offers */
	sqlite3_stmt *q = prep(s->store,
		"SELECT max(coalesce(r.assigned_at, ''), coalesce((SELECT max(a.at) FROM audit a WHERE a.login = r.assigned_to "
		"AND ((a.entity = 'request' AND a.entity_id = CAST(r.id AS TEXT)) OR (a.entity = 'offer' AND a.entity_id IN "
		"(SELECT CAST(o.id AS TEXT) FROM offer o WHERE o.request_id = r.id)))), '')) "
		"FROM package_request r WHERE r.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	char last[32] = "";
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		store_col_text(q, 0, last, sizeof last);
	store_done(q);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? br_fail(why, BR_NOTFOUND, "no request %lld", (long long)id)
					 : store_error(s->store, rc, "reading a request", why);
	time_t t;
	if (last[0] && clock_parse(last, &t, NULL) == BR_OK)
		*minutes = (long)((clock_now() - t) / 60);
	return BR_OK;
}

static enum br_status give(struct session *s, const struct request_info *r, const char *to, const char *action,
			   const char *detail, char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "UPDATE package_request SET assigned_to = ?2, assigned_at = ?3, assigned_by = ?4 "
					 "WHERE id = ?1 AND status = 'open'", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, r->id);
	store_bind_text(q, 2, to);
	store_bind_text(q, 3, now);
	store_bind_text(q, 4, s->user.login);
	enum br_status st = store_step_done(s->store, q, "giving the request to an officer", why);
	if (st != BR_OK)
		return st;
	return audit_id(s, action, "request", r->id, detail, why);
}

enum br_status request_take(struct session *s, int64_t id, const char *reason, char **why)
{
	enum br_status st = session_require_cap(s, CAP_BROKER, "taking a request", why);
	if (st != BR_OK || (st = text_check("--reason", reason, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s: only a request on the queue can be taken", (long long)id,
			     r.status);
		goto fail;
	}
	if (strcmp(r.assigned_to, s->user.login) == 0) {
		store_rollback(s->store);
		return BR_OK; /* yours already */
	}
	char detail[400];
	const char *action = "request.take";
	if (r.assigned_to[0]) {
		long idle = 0;
		if ((st = request_idle_minutes(s, id, &idle, why)) != BR_OK)
			goto fail;
		if (text_present(reason))
			snprintf(detail, sizeof detail, "from=%s reason=%.300s", r.assigned_to, reason);
		else if (idle >= s->cfg.takeover_idle_minutes)
			snprintf(detail, sizeof detail, "from=%s idle=%ldmin", r.assigned_to, idle);
		else {
			st = br_fail(why, BR_DENIED, "request %lld is with %s (last worked on %ld minute%s ago): taking it over "
						     "needs a reason, or %d minutes idle", (long long)id, r.assigned_to, idle,
				     idle == 1 ? "" : "s", s->cfg.takeover_idle_minutes);
			goto fail;
		}
		action = "request.takeover";
	} else
		snprintf(detail, sizeof detail, "%s%.300s", text_present(reason) ? "reason=" : "",
			 text_present(reason) ? reason : "");
	if ((st = give(s, &r, s->user.login, action, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status request_assignees(struct session *s, struct assignee *out, int max, int *n, char **why)
{
	static const char *const supervisors[] = {"supervisor", NULL};
	*n = 0;
	enum br_status st = session_require(s, supervisors, "assigning requests", why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = prep(s->store,
		"SELECT u.login, u.name, u.role, (SELECT count(*) FROM package_request r WHERE r.assigned_to = u.login "
		"AND r.status = 'open') FROM users u WHERE u.disabled = 0 AND (u.role = 'officer' OR u.role = 'supervisor') "
		"ORDER BY u.role = 'supervisor', u.login", why);
	if (!q)
		return BR_INTERNAL;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && *n < max) {
		struct assignee *a = &out[(*n)++];
		store_col_text(q, 0, a->login, sizeof a->login);
		store_col_text(q, 1, a->name, sizeof a->name);
		store_col_text(q, 2, a->role, sizeof a->role);
		a->open = sqlite3_column_int(q, 3);
	}
	store_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BR_OK : store_error(s->store, rc, "listing officers", why);
}

enum br_status request_assign(struct session *s, int64_t id, const char *login, char **why)
{
	static const char *const supervisors[] = {"supervisor", NULL};
	enum br_status st = session_require(s, supervisors, "assigning requests", why);
	if (st != BR_OK)
		return st;
	if (!text_present(login))
		return br_fail(why, BR_USAGE, "assign needs the login of an officer");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	sqlite3_stmt *q = prep(s->store, "SELECT role, disabled = 0 FROM users WHERE login = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	store_bind_text(q, 1, login);
	char role[16] = "";
	bool enabled = false;
	if (sqlite3_step(q) == SQLITE_ROW) {
		store_col_text(q, 0, role, sizeof role);
		enabled = sqlite3_column_int(q, 1) != 0;
	}
	store_done(q);
	if (!role[0] || !enabled) {
		st = br_fail(why, BR_DATA, "%s is not a user who can work requests", login);
		goto fail;
	}
	if (strcmp(role, "officer") != 0 && strcmp(role, "supervisor") != 0) {
		st = br_fail(why, BR_DATA, "%s is %s %s: requests go to officers and supervisors", login,
			     role[0] == 'a' || role[0] == 'o' ? "an" : "a", role);
		goto fail;
	}
	struct request_info r;
	if ((st = request_get(s, id, &r, why)) != BR_OK)
		goto fail;
	if (strcmp(r.status, "open") != 0) {
		st = br_fail(why, BR_CONFLICT, "request %lld is %s: only a request on the queue can be assigned", (long long)id,
			     r.status);
		goto fail;
	}
	char detail[120];
	snprintf(detail, sizeof detail, "to=%s%s%s", login, r.assigned_to[0] ? " from=" : "", r.assigned_to);
	if ((st = give(s, &r, login, "request.assign", detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);fail:
	store_rollback(s->store);
	return st;
}
