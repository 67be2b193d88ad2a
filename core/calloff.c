/* calloff.c — every state change of a call-off, through one table. */
#include "calloff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "audit.h"
#include "broker.h"
#include "broker_internal.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "respite.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- call-offs --------------------------------------------------------------------- */

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why)
{
	sqlite3_stmt *q = prep(s->store,
		"SELECT c.id, c.request_id, c.provider_id, p.name, c.tier, coalesce(c.override_kind,''), "
		"coalesce(c.override_reason,''), c.continuity, c.service, c.locality, c.unit_rate_pence, "
		"c.units, c.weekly_cost_pence, c.asc_pct, c.start_date, coalesce(c.end_date,''), c.status, "
		"c.proposed_by, coalesce((SELECT group_concat(r.rule, ',') FROM approval a JOIN approval_rule r "
		"  ON r.approval_id = a.id WHERE a.calloff_id = c.id), '') "
		"FROM calloff c JOIN provider p ON p.id = c.provider_id WHERE c.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		c->id = sqlite3_column_int64(q, 0);
		c->request_id = sqlite3_column_int64(q, 1);
		c->provider_id = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, c->provider, sizeof c->provider);
		store_col_text(q, 4, c->tier, sizeof c->tier);
		store_col_text(q, 5, c->override_kind, sizeof c->override_kind);
		store_col_text(q, 6, c->override_reason, sizeof c->override_reason);
		c->continuity = sqlite3_column_int(q, 7) != 0;
		store_col_text(q, 8, c->service, sizeof c->service);
		store_col_text(q, 9, c->locality, sizeof c->locality);
		c->unit_rate = sqlite3_column_int64(q, 10);
		c->units = sqlite3_column_int64(q, 11);
		c->weekly_cost = sqlite3_column_int64(q, 12);
		c->asc_pct = sqlite3_column_int(q, 13);
		store_col_text(q, 14, c->start, sizeof c->start);
		store_col_text(q, 15, c->end, sizeof c->end);
		store_col_text(q, 16, c->status, sizeof c->status);
		store_col_text(q, 17, c->proposed_by, sizeof c->proposed_by);
		store_col_text(q, 18, c->rules, sizeof c->rules);
	}
	store_done(q);
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "no call-off %lld", (long long)id);
	return rc == SQLITE_ROW ? BR_OK : store_error(s->store, rc, "reading a call-off", why);
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

/* Give the capacity back and reopen the request (caller's transaction). */
static enum br_status release(struct session *s, const struct calloff_info *c, bool handback, char **why)
{
	char now[21];
	now_stamp(now);
	/* respite beds are counted by nights: ending the call-off frees them */
	sqlite3_stmt *q = prep(s->store, "UPDATE capacity SET free = free + ?4, updated_at = ?5 WHERE provider_id = ?1 "
					 "AND service = ?2 AND locality = ?3 AND service <> 'RSP'", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->provider_id);
	store_bind_text(q, 2, c->service);
	store_bind_text(q, 3, c->locality);
	sqlite3_bind_int64(q, 4, c->units);
	store_bind_text(q, 5, now);
	enum br_status st = done(s->store, q, "returning capacity", why);
	if (st != BR_OK)
		return st;
	q = prep(s->store, "UPDATE package_request SET status = 'open', closed_at = NULL, cancel_reason = NULL, "
			   "opened_at = ?2, handback = ?3 WHERE id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, c->request_id);
	store_bind_text(q, 2, now);
	sqlite3_bind_int(q, 3, handback);
	if ((st = done(s->store, q, "reopening the request", why)) != BR_OK)
		return st;
	return audit_id(s, handback ? "request.reopen.handback" : "request.reopen", "request", c->request_id, "", why);
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
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK)
		goto fail;
	if (strcmp(c.status, "active") != 0 && strcmp(c.status, "approved") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld is %s: only an active call-off can be handed back",
			     (long long)id, c.status);
		goto fail;
	}
	if (strcmp(notice_date, c.start) < 0) {
		st = br_fail(why, BR_DATA, "notice date %s is before the call-off started (%s)", notice_date, c.start);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff SET status = 'ended', end_date = ?2, ended_reason = 'handed back', "
					 "handback_reason = ?3, handback_notice = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, notice_date);
	store_bind_text(q, 3, reason);
	char detail[120];
	snprintf(detail, sizeof detail, "reason=%s notice=%s", reason, notice_date);
	if ((st = done(s->store, q, "ending the call-off", why)) != BR_OK ||
	    (st = audit_id(s, "calloff.handback", "calloff", id, detail, why)) != BR_OK ||
	    (st = release(s, &c, true, why)) != BR_OK)
		goto fail;
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
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct calloff_info c;
	if ((st = calloff_get(s, id, &c, why)) != BR_OK)
		goto fail;
	if (strcmp(c.status, "proposed") != 0 && strcmp(c.status, "awaiting_approval") != 0 &&
	    strcmp(c.status, "approved") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld is %s: hand it back or end it instead", (long long)id,
			     c.status);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE calloff SET status = 'cancelled', ended_reason = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, reason);
	if ((st = done(s->store, q, "cancelling the call-off", why)) != BR_OK ||
	    (st = audit_id(s, "calloff.cancel", "calloff", id, reason, why)) != BR_OK ||
	    (st = release(s, &c, false, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status calloffs_activate_due(struct session *s, int *n, char **why)
{
	char today[11];
	today_text(today);
	*n = 0;
	/* look before taking the write turn: usually there is nothing to do */
	sqlite3_stmt *q = prep(s->store, "SELECT count(*) FROM calloff WHERE status = 'approved' "
					 "AND start_date <= ?1", why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, today);
	int due = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	store_done(q);
	if (!due)
		return BR_OK;
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	q = prep(s->store, "SELECT id FROM calloff WHERE status = 'approved' AND start_date <= ?1", why);
	if (!q) {
		store_rollback(s->store);
		return BR_INTERNAL;
	}
	store_bind_text(q, 1, today);
	int64_t *ids = calloc((size_t)due + 1, sizeof *ids);
	int m = 0;
	while (ids && m <= due && sqlite3_step(q) == SQLITE_ROW)
		ids[m++] = sqlite3_column_int64(q, 0);
	store_done(q);
	if (!ids) {
		store_rollback(s->store);
		return br_fail(why, BR_NOMEM, "out of memory");
	}
	for (int i = 0; i < m && st == BR_OK; i++) {
		q = prep(s->store, "UPDATE calloff SET status = 'active' WHERE id = ?1 AND status = 'approved'", why);
		if (!q) {
			st = BR_INTERNAL;
			break;
		}
		sqlite3_bind_int64(q, 1, ids[i]);
		if ((st = done(s->store, q, "activating call-offs", why)) != BR_OK)
			break;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)ids[i]);
		st = audit_append(s->store, "system", "calloff.activate", "calloff", id, "start date reached", why);
	}
	free(ids);
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	*n = m;
	return store_commit(s->store, why);
}
