/* suspend.c — a provider that can no longer be booked: suspended (and
 * reinstated), or gone from the framework. Its pending offers are
 * withdrawn and its call-offs not yet started cancelled through the
 * lifecycle, in one transaction. */
#include "suspend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker_internal.h"
#include "calloff.h"
#include "offer.h"
#include "query.h"

static const char *const upkeep_roles[] = {"supervisor", "admin", NULL};

static enum br_status not_started(struct session *s, int64_t provider_id, int64_t **ids, int *n, char **why)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM calloff WHERE provider_id = ?1 AND "
					 CALLOFF_SQL_UNSTARTED("status") " ORDER BY id", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	return store_ids(s->store, q, ids, n, "finding call-offs", why);
}

/* The provider can no longer be booked (suspended, or left the framework):
 * its pending offers withdrawn, its call-offs not yet started cancelled
 * through the lifecycle; inside the caller's transaction. */
static enum br_status withdraw_all(struct session *s, int64_t provider_id, const char *words, const char *note,
				   int *offers, int *cancelled, char **why)
{
	int64_t *ids = NULL;
	int n = 0;
	enum br_status st;
	*cancelled = 0;
	if ((st = offers_withdraw_provider(s, provider_id, words, offers, why)) != BR_OK ||
	    (st = not_started(s, provider_id, &ids, &n, why)) != BR_OK)
		goto done;
	struct calloff_args a = {.note = note};
	for (int i = 0; i < n; i++)
		if ((st = calloff_transition(s, ids[i], CE_SUSPEND, CS_ANY, &a, why)) != BR_OK)
			goto done;
	*cancelled = n;
done:
	free(ids);
	return st;
}

enum br_status provider_suspend(struct session *s, int64_t provider_id, const char *reason, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "suspending a provider", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "a suspension needs a reason");
	if ((st = text_check("--reason", reason, 200, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	int n = 0, offers = 0;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "active") != 0) {
		st = br_fail(why, BR_CONFLICT, "%s is already %s", p.name, p.status);
		goto fail;
	}
	char today[11];
	today_text(today);
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'suspended', suspended_reason = ?2, "
					 "suspended_on = ?3 WHERE id = ?1 AND status = 'active'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, reason);
	store_bind_text(q, 3, today);
	char words[260];
	snprintf(words, sizeof words, "provider suspended: %.200s", reason);
	if ((st = store_step_done(s->store, q, "suspending the provider", why)) != BR_OK ||
	    (st = withdraw_all(s, provider_id, words, reason, &offers, &n, why)) != BR_OK)
		goto fail;
	char detail[320];
	snprintf(detail, sizeof detail, "reason=%.200s offers_withdrawn=%d calloffs_cancelled=%d", reason, offers, n);
	if ((st = audit_id(s, "provider.suspend", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status provider_reinstate(struct session *s, int64_t provider_id, const char *note, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "reinstating a provider", why);
	if (st != BR_OK)
		return st;
	if (!text_present(note))
		return br_fail(why, BR_DATA, "reinstating a provider needs a note saying why");
	if ((st = text_check("--note", note, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "suspended") != 0) {
		st = br_fail(why, BR_CONFLICT, "%s is %s, not suspended", p.name, p.status);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'active', suspended_reason = NULL, "
					 "suspended_on = NULL WHERE id = ?1 AND status = 'suspended'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	char detail[320];
	snprintf(detail, sizeof detail, "was=%.100s note=%.200s", p.suspended_reason, note);
	if ((st = store_step_done(s->store, q, "reinstating the provider", why)) != BR_OK ||
	    (st = audit_id(s, "provider.reinstate", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status provider_leave(struct session *s, int64_t provider_id, const char *on, const char *note,
			      int *offers_withdrawn, int *calloffs_cancelled, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "recording a provider leaving the framework", why);
	if (st != BR_OK)
		return st;
	int64_t day;
	if (!on || date_parse(on, &day, NULL) != BR_OK)
		return br_fail(why, BR_DATA, "--on \"%s\" is not a date (YYYY-MM-DD)", on ? on : "");
	if (day > clock_today())
		return br_fail(why, BR_DATA, "--on %s is in the future: record the leaving on the day (until then it "
			       "may still be offered packages)", on);
	if ((st = text_check("--note", note, 200, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	int offers = 0, n = 0;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "left") == 0) {
		st = br_fail(why, BR_CONFLICT, "%s has already left the framework", p.name);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'left', left_on = ?2, suspended_reason = NULL, "
					 "suspended_on = NULL WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, on);
	char words[260];
	snprintf(words, sizeof words, "provider left the framework on %s", on);
	if ((st = store_step_done(s->store, q, "recording the leaving", why)) != BR_OK ||
	    (st = withdraw_all(s, provider_id, words, note && *note ? note : words, &offers, &n, why)) != BR_OK)
		goto fail;
	char detail[360];
	snprintf(detail, sizeof detail, "on=%s%s%.200s offers_withdrawn=%d calloffs_cancelled=%d", on,
		 note && *note ? " note=" : "", note ? note : "", offers, n);
	if ((st = audit_id(s, "provider.leave", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	if (offers_withdrawn)
		*offers_withdrawn = offers;
	if (calloffs_cancelled)
		*calloffs_cancelled = n;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}
