/* person_deceased.c — a person's death ends their care in one step. */
#include "deceased.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "offer.h"
#include "match.h"
#include "calloff.h"
#include "broker_internal.h"
#include "calloff.h"
#include "request.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

enum br_status person_deceased(struct session *s, const char *ref, const char *date, struct deceased_report *rep,
			       char **why)
{
	struct deceased_report none;
	if (!rep)
		rep = &none;
	memset(rep, 0, sizeof *rep);
	enum br_status st = session_require_cap(s, CAP_BROKER, "recording a death", why);
	if (st != BR_OK)
		return st;
	if (!text_present(ref))
		return br_fail(why, BR_USAGE, "which person? (a reference such as SU000123)");
	int64_t day;
	if (!text_present(date))
		return br_fail(why, BR_USAGE, "recording a death needs its date (--date YYYY-MM-DD)");
	if ((st = date_parse(date, &day, why)) != BR_OK)
		return st;
	if (day > clock_today())
		return br_fail(why, BR_DATA, "date of death %s is in the future", date);
	char dtext[11];
	date_format(day, dtext);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	sqlite3_stmt *q = prep(s->store, "SELECT id, status FROM service_user WHERE ref = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	store_bind_text(q, 1, ref);
	int64_t uid = 0;
	char status[16] = "";
	if (sqlite3_step(q) == SQLITE_ROW) {
		uid = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, status, sizeof status);
	}
	store_done(q);
	if (!uid) {
		st = br_fail(why, BR_NOTFOUND, "no person %s", ref);
		goto fail;
	}
	if (strcmp(status, "deceased") == 0) {
		st = br_fail(why, BR_CONFLICT, "%s is already recorded as deceased", ref);
		goto fail;
	}
	if ((st = calloffs_end_person(s, uid, dtext, "deceased", &rep->ended, &rep->cancelled, why)) != BR_OK)
		goto fail;
	/* then the requests still open (including any a cancellation reopened) */
	q = prep(s->store, "SELECT id FROM package_request WHERE user_id = ?1 AND status = 'open' ORDER BY id", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, uid);
	int64_t ids[256];
	int n = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 256)
		ids[n++] = sqlite3_column_int64(q, 0);
	store_done(q);
	if (rc == SQLITE_ROW) {
		st = br_fail(why, BR_DATA, "%s has more than 256 open requests: cancel them one by one", ref);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		st = store_error(s->store, rc, "finding the person's requests", why);
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		if ((st = request_cancel_in(s, ids[i], "person deceased", why)) != BR_OK)
			goto fail;
		rep->requests++;
	}
	q = prep(s->store, "UPDATE service_user SET status = 'deceased', died_on = ?2 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, uid);
	store_bind_text(q, 2, dtext);
	if ((st = store_step_done(s->store, q, "recording the death", why)) != BR_OK)
		goto fail;
	char detail[160];
	snprintf(detail, sizeof detail, "ref=%s died=%s ended=%d cancelled=%d requests=%d", ref, dtext, rep->ended,
		 rep->cancelled, rep->requests);
	if ((st = audit_id(s, "person.deceased", "service_user", uid, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}
