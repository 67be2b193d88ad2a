/* helpers.h — a private folder, config and database for each test. */
#ifndef BR_TEST_HELPERS_H
#define BR_TEST_HELPERS_H

#include <stdbool.h>

#include "core.h"

/* Sunday 22 November 2026, 10:00 UTC: every test runs on this clock. */
#define TEST_NOW 1795341600

struct fixture {
	char dir[256];
	char cfg[320];
	char db[320];
	struct session *s;
};

/* Make the folder and write brokerage.cfg (database t.db)
 * with `extra` appended (may be NULL). Nothing else. */
void fx_config(struct fixture *fx, const char *extra);
/* fx_config, init (with demo data at scale_permille when > 0; an empty
 * database marked demo otherwise), then open a session as `login`. */
void fx_open(struct fixture *fx, int demo_permille, const char *login);
/* fx_open with the clock fixed at `now` in place of TEST_NOW. */
void fx_open_at(struct fixture *fx, int demo_permille, const char *login, time_t now);
/* Close the session and remove the folder. */
void fx_close(struct fixture *fx);
/* Write text to a file in the fixture's folder; returns its path (static). */
const char *fx_write(struct fixture *fx, const char *name, const char *text);
/* Run SQL straight on the database file (as an attacker with sqlite3 would). */
void fx_sql(struct fixture *fx, const char *sql);
/* First column of the first row of a query, as text (static buffer). */
const char *fx_query(struct fixture *fx, const char *sql);
/* EXPLAIN QUERY PLAN of a query, one line a step (the caller frees it). */
char *fx_plan(struct fixture *fx, const char *sql);

#endif
