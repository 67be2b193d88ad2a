/* decide.c — a supervisor approves or rejects a call-off: who may (the
 * approval still pending, four eyes, the limit), then the lifecycle moves. */
#include "decide.h"

#include <stdlib.h>
#include <string.h>

#include "calloff.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static enum br_status decide_check(struct session *s, int64_t calloff_id, bool approve,
				   const struct approval_item *ap, const struct calloff_info *cp, char **why);

enum br_status approval_decide(struct session *s, int64_t calloff_id, bool approve, const char *note,
			       char **why)
{
	enum br_status st = session_require_cap(s, CAP_APPROVE, approve ? "approving" : "rejecting", why);
	if (st != BR_OK)
		return st;
	if (!approve && !text_present(note))
		return br_fail(why, BR_DATA, "a rejection needs a note saying why");
	if ((st = text_check("--note", note, 0, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct approval_item a;
	struct calloff_info c;
	if ((st = approval_get(s, calloff_id, &a, why)) != BR_OK || (st = calloff_get(s, calloff_id, &c, why)) != BR_OK ||
	    (st = decide_check(s, calloff_id, approve, &a, &c, why)) != BR_OK)
		goto fail;
	/* an emergency booking is already under way; anything else starts on its date */
	enum calloff_state to = CS_ANY;
	if (approve && strcmp(c.status, "awaiting_approval") == 0) {
		char today[11];
		date_format(clock_today(), today);
		to = strcmp(c.start, today) <= 0 ? CS_ACTIVE : CS_APPROVED;
	}
	struct calloff_args args = {.note = note};
	if ((st = calloff_transition(s, calloff_id, approve ? CE_APPROVE : CE_REJECT, to, &args, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status approval_may_decide(struct session *s, int64_t calloff_id, bool approve, char **why)
{
	enum br_status st = session_require_cap(s, CAP_APPROVE, approve ? "approving" : "rejecting", why);
	if (st != BR_OK)
		return st;
	struct approval_item a;
	struct calloff_info c;
	if ((st = approval_get(s, calloff_id, &a, why)) != BR_OK || (st = calloff_get(s, calloff_id, &c, why)) != BR_OK)
		return st;
	return decide_check(s, calloff_id, approve, &a, &c, why);
}

/* Who may decide: the approval still pending, four eyes, the limit. */
static enum br_status decide_check(struct session *s, int64_t calloff_id, bool approve,
				   const struct approval_item *ap, const struct calloff_info *cp, char **why)
{
	enum br_status st = BR_OK;
	struct approval_item a = *ap;
	struct calloff_info c = *cp;
	if (strcmp(a.status, "pending") != 0) {
		st = br_fail(why, BR_CONFLICT, "call-off %lld was already %s%s%s", (long long)calloff_id, a.status,
			     strcmp(c.status, "cancelled") == 0 ? ": the call-off was cancelled" : "",
			     "");
		goto fail;
	}
	if ((st = approval_four_eyes(s, calloff_id, approve, why)) != BR_OK)
		goto fail;
	if (approve && (s->user.approval_limit < 0 || s->user.approval_limit < a.annual_cost)) {
		char cost[32], limit[32];
		money_format(a.annual_cost, cost, sizeof cost);
		money_format(s->user.approval_limit < 0 ? 0 : s->user.approval_limit, limit, sizeof limit);
		st = br_fail(why, BR_DENIED, "call-off %lld costs %s a year, above %s's limit of %s; %s",
			     (long long)calloff_id, cost, s->user.login, limit,
			     a.can_approve[0] ? a.can_approve : "no supervisor's limit covers it");
		if (a.can_approve[0] && why && *why) {
			char *w = *why;
			*why = NULL;
			br_fail(why, BR_DENIED, "%s can approve it", w);
			free(w);
		}
		goto fail;
	}
	return BR_OK;
fail:
	return st;
}

