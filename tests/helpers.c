#include "helpers.h"
#include "demo.h"

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fx_config(struct fixture *fx, const char *extra)
{
	memset(fx, 0, sizeof *fx);
	clock_fix(TEST_NOW);
	const char *tmp = getenv("TMPDIR");
	snprintf(fx->dir, sizeof fx->dir, "%s/brokerage-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(fx->dir), "mkdtemp");
	snprintf(fx->cfg, sizeof fx->cfg, "%s/brokerage.cfg", fx->dir);
	snprintf(fx->db, sizeof fx->db, "%s/t.db", fx->dir);
	FILE *f = fopen(fx->cfg, "w");
	cr_assert_not_null(f);
	fprintf(f, "database = \"t.db\";\nbusy_timeout_ms = 2000;\n%s\n",
		extra ? extra : "");
	fclose(f);
}

void fx_open(struct fixture *fx, int demo_permille, const char *login)
{
	fx_open_at(fx, demo_permille, login, TEST_NOW);
}

void fx_open_at(struct fixture *fx, int demo_permille, const char *login, time_t now)
{
	fx_config(fx, NULL);
	clock_fix(now);
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(config_load(&cfg, fx->cfg, &why), BR_OK, "config: %s", why ? why : "");
	struct init_options o = {.demo_fill = demo_build, .demo = demo_permille > 0, .scale_permille = demo_permille,
				 .seed = 7, .login = "admin"};
	struct init_report rep;
	cr_assert_eq(init_database(&cfg, &o, &rep, &why), BR_OK, "init: %s", why ? why : "");
	if (!demo_permille) {
		/* an empty demo database (so --as works), with a few logins */
		fx_sql(fx, "INSERT OR REPLACE INTO meta VALUES ('demo', 'true')");
		char sql[512];
		snprintf(sql, sizeof sql,
			 "INSERT OR IGNORE INTO users(login, name, role, created_at) VALUES "
			 "('officer','O','officer','x'),('supervisor','S','supervisor','x'),"
			 "('viewer','V','viewer','x'),('oncall','C','oncall','x')");
		fx_sql(fx, sql);
	}
	cr_assert_eq(session_open(&fx->s, fx->cfg, login, &why), BR_OK, "session: %s",
		     why ? why : "");
	free(why);
}

void fx_close(struct fixture *fx)
{
	session_close(&fx->s);
	if (fx->dir[0]) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", fx->dir);
	}
	clock_fix(0);
}

const char *fx_write(struct fixture *fx, const char *name, const char *text)
{
	static char path[400];
	snprintf(path, sizeof path, "%s/%s", fx->dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

void fx_sql(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	cr_assert_eq(rc, SQLITE_OK, "%s: %s", sql, err ? err : "");
	sqlite3_close(db);
}

const char *fx_query(struct fixture *fx, const char *sql)
{
	static char out[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(fx->db, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

char *fx_plan(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	cr_assert_eq(sqlite3_open(fx->db, &db), SQLITE_OK);
	char *eqp = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
	cr_assert_eq(sqlite3_prepare_v2(db, eqp, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_free(eqp);
	size_t len = 0;
	char *out = calloc(1, 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		size_t n = strlen(d);
		out = realloc(out, len + n + 2);
		cr_assert(out);
		memcpy(out + len, d, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}
