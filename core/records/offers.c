/* offers.c — the offer rows' words (override kinds, decline reasons) and
 * withdrawing what waits when a request is placed or closed. */
#include "offers.h"

#include <string.h>

#include "broker_internal.h"

enum br_status offers_withdraw_pending(struct session *s, int64_t request_id, int64_t except,
				       char **why)
{
	char now[21];
	now_stamp(now);
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM offer WHERE request_id = ?1 AND "
					 "status = 'pending' AND id <> ?2", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, except);
	int64_t ids[64];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 64)
		ids[n++] = sqlite3_column_int64(q, 0);
	store_done(q);
	for (int i = 0; i < n; i++) {
		q = prep(s->store, "UPDATE offer SET status = 'withdrawn', responded_at = ?2 WHERE id = ?1", why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, ids[i]);
		store_bind_text(q, 2, now);
		enum br_status st = store_step_done(s->store, q, "withdrawing offers", why);
		if (st == BR_OK)
			st = audit_id(s, "offer.withdraw", "offer", ids[i], "request placed or closed", why);
		if (st != BR_OK)
			return st;
	}
	return BR_OK;
}


const char *override_code(enum override_kind k)
{
	switch (k) {
	case OVERRIDE_PERSON_CHOICE: return "person_choice";
	case OVERRIDE_CLINICAL: return "clinical";
	case OVERRIDE_SPOT: return "spot";
	case OVERRIDE_OUT_OF_LOCALITY: return "out_of_locality";
	default: return "";
	}
}

int override_find(const char *code)
{
	for (int k = OVERRIDE_PERSON_CHOICE; k <= OVERRIDE_OUT_OF_LOCALITY; k++)
		if (code && strcmp(code, override_code((enum override_kind)k)) == 0)
			return k;
	return -1;
}

static const char *const decline_codes[DECLINE_COUNT] = {"no_capacity", "no_staff", "cannot_meet_need",
							  "price", "other"};
static const char *const decline_texts[DECLINE_COUNT] = {"no capacity", "no staff in the area",
							  "cannot meet the need", "price", "other"};

const char *decline_code(int d) { return d >= 0 && d < DECLINE_COUNT ? decline_codes[d] : "?"; }
const char *decline_text(int d) { return d >= 0 && d < DECLINE_COUNT ? decline_texts[d] : "?"; }

int decline_find(const char *code)
{
	for (int i = 0; code && i < DECLINE_COUNT; i++)
		if (strcmp(code, decline_codes[i]) == 0)
			return i;
	return -1;
}

