#include "check.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "session.h"
#include "store_internal.h"

static void say(check_fn report, void *ctx, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>
static void say(check_fn report, void *ctx, int ok, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	report(ctx, ok, line);
}

enum br_status check_run(struct session *s, check_fn report, void *ctx, char **why)
{
	enum br_status st = session_require_cap(s, CAP_CHECK, "check", why);
	if (st != BR_OK)
		return st;
	sqlite3 *db = store_db(s->store);
	int problems = 0, rc;
	sqlite3_stmt *q;

	say(report, ctx, 1, "config %s: read, %d localities, database %s", s->cfg.path,
	    s->cfg.n_localities, s->cfg.database);
	int version;
	if ((st = store_schema_version(s->store, &version, why)) != BR_OK)
		return st;
	say(report, ctx, 1, "schema version %d (this program: %d)", version, store_schema_latest());

	/* every locality in the config is in the database and the other way */
	rc = sqlite3_prepare_v2(db, "SELECT code FROM locality ORDER BY sort", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "checking localities", why);
	int in_db = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		in_db++;
		if (config_locality(&s->cfg, code) < 0) {
			say(report, ctx, 0, "locality %s is in the database but not in %s", code,
			    s->cfg.path);
			problems++;
		}
	}
	sqlite3_finalize(q);
	for (int i = 0; i < s->cfg.n_localities; i++) {
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM locality WHERE code = ?1", -1, &q, NULL);
		if (rc != SQLITE_OK)
			return store_error(s->store, rc, "checking localities", why);
		store_bind_text(q, 1, s->cfg.localities[i].code);
		if (sqlite3_step(q) != SQLITE_ROW) {
			say(report, ctx, 0, "locality %s is in %s but not in the database: "
					    "run 'brokerage init'", s->cfg.localities[i].code, s->cfg.path);
			problems++;
		}
		sqlite3_finalize(q);
	}
	if (!problems)
		say(report, ctx, 1, "localities: %d, the same in config and database", in_db);

	/* SQLite's own integrity check */
	rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "integrity check", why);
	int bad = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(q, 0);
		if (line && strcmp(line, "ok") != 0) {
			say(report, ctx, 0, "integrity: %s", line);
			bad++;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "integrity check", why);
	if (!bad)
		say(report, ctx, 1, "integrity_check: ok");
	problems += bad;

	rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "foreign key check", why);
	bad = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (bad < 20)
			say(report, ctx, 0, "foreign key: %s row %lld points at a missing %s",
			    (const char *)sqlite3_column_text(q, 0),
			    (long long)sqlite3_column_int64(q, 1), (const char *)sqlite3_column_text(q, 2));
		bad++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "foreign key check", why);
	if (bad > 20)
		say(report, ctx, 0, "foreign key: %d more", bad - 20);
	if (!bad)
		say(report, ctx, 1, "foreign_key_check: ok");
	problems += bad;

	long long rows;
	char head[65], *chain_why = NULL;
	st = audit_verify(s->store, &rows, head, &chain_why);
	if (st == BR_OK) {
		say(report, ctx, 1, "audit chain: %lld rows intact; head %.16s", rows, head);
	} else if (st == BR_DATA) {
		say(report, ctx, 0, "audit chain: %s", chain_why ? chain_why : "broken");
		problems++;
	} else {
		br_fail(why, st, "%s", chain_why ? chain_why : "audit check failed");
		br_free_str(&chain_why);
		return st;
	}
	br_free_str(&chain_why);
	if (problems)
		return br_fail(why, BR_DATA, "check found %d problem%s", problems,
			       problems == 1 ? "" : "s");
	return BR_OK;
}
