/* store_rows.c — stepping a prepared statement: reset, bind and read text,
 * run a write once, collect the ids a query returns. The one copy of each
 * (they were written again in upkeep, respite, the importer, suspension and
 * the lifecycle's rows). See store_internal.h. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "util.h"

void store_done(sqlite3_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void store_col_text(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	text_copy(out, outsz, t ? (const char *)t : "");
}

enum br_status store_step_done(struct store *s, sqlite3_stmt *q, const char *doing, char **why)
{
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(s, rc, doing, why);
	return BR_OK;
}

enum br_status store_ids(struct store *s, sqlite3_stmt *q, int64_t **ids, int *n, const char *doing, char **why)
{
	*ids = NULL;
	*n = 0;
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *g = realloc(*ids, (size_t)cap * sizeof *g);
			if (!g) {
				store_done(q);
				free(*ids);
				*ids = NULL;
				*n = 0;
				return br_fail(why, BR_NOMEM, "out of memory (%s)", doing);
			}
			*ids = g;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return store_error(s, rc, doing, why);
	}
	return BR_OK;
}

/* Is this database a demo (made by init --demo)? (store.h) */
enum br_status store_is_demo(struct store *s, bool *demo, char **why)
{
	*demo = false;
	sqlite3_stmt *st = store_cached(s, "SELECT value FROM meta WHERE key = 'demo'", why);
	if (!st)
		return BR_INTERNAL;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(st, 0);
		*demo = v && strcmp((const char *)v, "true") == 0;
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "reading the database's kind", why);
	return BR_OK;
}
