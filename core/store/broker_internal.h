/* broker_internal.h — small helpers shared by request.c, match.c, offer.c
 * and calloff.c. core/ only. */
#ifndef BR_BROKER_INTERNAL_H
#define BR_BROKER_INTERNAL_H

#include <stdio.h>

#include "audit.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* Statements are prepared once per connection and kept (store_cached);
 * every SQL text is a literal. */
static inline sqlite3_stmt *prep(struct store *st, const char *sql, char **why)
{
	return store_cached(st, sql, why);
}

static inline enum br_status audit_id(struct session *s, const char *action, const char *entity,
				      int64_t id, const char *detail, char **why)
{
	char text[24];
	snprintf(text, sizeof text, "%lld", (long long)id);
	return audit_append(s->store, s->user.login, action, entity, text, detail, why);
}

static inline void now_stamp(char out[21])
{
	clock_stamp(clock_now(), out);
}

static inline void today_text(char out[11])
{
	date_format(clock_today(), out);
}

#endif
