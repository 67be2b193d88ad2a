/* Audit's filters: one statement per shape of filter (issue 12, finding
 * 10), each found through an index, never a full scan of the audit trail;
 * and the same rows as the filters promise. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "store_internal.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 20, "admin"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(audit_filters, .init = setup, .fini = teardown);

static void fill(struct audit_filter *f, int shape)
{
	memset(f, 0, sizeof *f);
	if (shape & 1)
		text_copy(f->login, sizeof f->login, "officer");
	if (shape & 2)
		text_copy(f->entity, sizeof f->entity, "request");
	if (shape & 4)
		text_copy(f->entity_id, sizeof f->entity_id, "7");
	if (shape & 8)
		text_copy(f->day, sizeof f->day, "2026-03-29"); /* the clocks go forward */
	if (shape & 16)
		f->person_id = 1;
}

/* The plan of one shape, every line joined. */
static void plan_of(const char *sql, char *out, size_t n)
{
	char eqp[8192];
	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st = NULL;
	cr_assert_eq(sqlite3_prepare_v2(store_db(fx.s->store), eqp, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(store_db(fx.s->store)));
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s | ", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
}

Test(audit_filters, every_shape_uses_an_index_not_a_scan_of_audit)
{
	for (int shape = 1; shape < 32; shape++) {
		if ((shape & 4) && !(shape & 2))
			continue; /* an entity id only comes with its entity */
		if ((shape & 16) && (shape & 6))
			continue; /* the person replaces the entity */
		struct audit_filter f;
		fill(&f, shape);
		for (int cursor = 0; cursor < 2; cursor++)
			for (int backward = 0; backward < 2; backward++) {
				char sql[4096], plan[8192];
				cr_assert_eq(audit_filter_sql(&f, cursor, backward, sql, sizeof sql), BR_OK);
				plan_of(sql, plan, sizeof plan);
				/* "SCAN audit" alone reads the whole trail; "SCAN a" inside
				 * the person's union walks one of their own rows' audit */
				bool scan = false;
				for (const char *p = plan; (p = strstr(p, "SCAN audit")) != NULL; p += 10)
					if (strncmp(p + 10, " USING", 6) != 0 || strncmp(p + 10, " USING INTEGER PRIMARY KEY", 26) == 0)
						scan = true;
				cr_expect(!scan, "shape %d (cursor %d, backward %d) scans the audit trail:\n%s\n%s", shape,
					  cursor, backward, sql, plan);
				cr_expect(!strstr(plan, "SCAN audit USING INDEX"),
					  "shape %d (cursor %d, backward %d) walks a whole index:\n%s\n%s", shape, cursor,
					  backward, sql, plan);
			}
	}
}

Test(audit_filters, a_day_is_a_uk_day)
{
	/* 23:30 UTC on 31 May is 00:30 on 1 June in the UK: it belongs to 1 June */
	cr_assert_eq(store_begin(fx.s->store, NULL), BR_OK);
	time_t t = 0;
	cr_assert_eq(clock_parse("2026-05-31T23:30:00Z", &t, NULL), BR_OK);
	cr_assert_eq(audit_append_at(fx.s->store, t, "admin", "test.late", "user", "1", "", NULL), BR_OK);
	cr_assert_eq(store_commit(fx.s->store, NULL), BR_OK);
	struct audit_filter f;
	memset(&f, 0, sizeof f);
	text_copy(f.day, sizeof f.day, "2026-06-01");
	struct audit_row rows[60];
	int n = 0;
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 60, &n, NULL), BR_OK);
	bool found = false;
	for (int i = 0; i < n; i++)
		found |= strcmp(rows[i].action, "test.late") == 0;
	cr_expect(found, "the row at 00:30 UK time on 1 June is in 1 June's filter");
	text_copy(f.day, sizeof f.day, "2026-05-31");
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 60, &n, NULL), BR_OK);
	for (int i = 0; i < n; i++)
		cr_expect_str_neq(rows[i].action, "test.late", "not in 31 May's");
}

Test(audit_filters, a_login_that_matches_nothing_is_empty_and_filters_combine)
{
	struct audit_filter f;
	memset(&f, 0, sizeof f);
	text_copy(f.login, sizeof f.login, "nobody-at-all");
	struct audit_row rows[60];
	int n = -1;
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 60, &n, NULL), BR_OK);
	cr_expect_eq(n, 0);
	text_copy(f.login, sizeof f.login, "officer");
	text_copy(f.entity, sizeof f.entity, "request");
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 60, &n, NULL), BR_OK);
	for (int i = 0; i < n; i++) {
		cr_expect_str_eq(rows[i].login, "officer");
		cr_expect_str_eq(rows[i].entity, "request");
	}
}

/* With BROKERAGE_BIG_DB=FILE (init --demo --scale 10), every shape is timed:
 * each under 100 ms. Skipped otherwise (it needs a database of ~1 GB). */
Test(audit_speed, every_shape_is_quick_on_a_big_database)
{
	const char *big = getenv("BROKERAGE_BIG_DB");
	if (!big || !big[0])
		cr_skip_test("BROKERAGE_BIG_DB not set");
	char cfg[] = "/tmp/brokerage-audit-speed-XXXXXX";
	int fd = mkstemp(cfg);
	cr_assert(fd >= 0);
	FILE *c = fdopen(fd, "w");
	fprintf(c, "database = \"%s\";\n", big);
	fclose(c);
	struct session *s = NULL;
	char *why = NULL;
	enum br_status opened = session_open(&s, cfg, "admin", &why);
	unlink(cfg);
	cr_assert_eq(opened, BR_OK, "%s", why ? why : "");
	const char *logins[] = {"officer", "nobody-at-all"};
	const char *entities[] = {"offer", "user"};
	const char *days[] = {"2026-11-20", "2019-01-01"};
	for (int shape = 0; shape < 32; shape++) {
		if (((shape & 4) && !(shape & 2)) || ((shape & 16) && (shape & 6)))
			continue;
		for (int rare = 0; rare < 2; rare++) {
			struct audit_filter f;
			memset(&f, 0, sizeof f);
			if (shape & 1)
				text_copy(f.login, sizeof f.login, logins[rare]);
			if (shape & 2)
				text_copy(f.entity, sizeof f.entity, entities[rare]);
			if (shape & 4)
				text_copy(f.entity_id, sizeof f.entity_id, rare ? "999999999" : "1");
			if (shape & 8)
				text_copy(f.day, sizeof f.day, days[rare]);
			if (shape & 16)
				f.person_id = rare ? 49999 : 1;
			static struct audit_row rows[60];
			int n = 0;
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			cr_assert_eq(audit_list(s, &f, NULL, LIST_FORWARD, rows, 60, &n, &why), BR_OK, "%s", why ? why : "");
			if (n == 60) /* and the next page */
				cr_assert_eq(audit_list(s, &f, &rows[59].key, LIST_FORWARD, rows, 60, &n, &why), BR_OK);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
			fprintf(stderr, "audit filter shape %2d%s%s%s%s%s %s: %.1f ms, %d rows\n", shape,
				shape & 1 ? " login" : "", shape & 2 ? " entity" : "", shape & 4 ? " id" : "",
				shape & 8 ? " day" : "", shape & 16 ? " person" : "", rare ? "(rare)" : "(common)", ms, n);
			cr_expect(ms < 100, "shape %d %s took %.1f ms", shape, rare ? "rare" : "common", ms);
		}
	}
	session_close(&s);
}
