/* The hash chain: what check can prove. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "store_internal.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 0, "officer"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(audit, .init = setup, .fini = teardown);

static void append(int n)
{
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "%d", i);
		cr_assert_eq(store_begin(fx.s->store, NULL), BR_OK);
		cr_assert_eq(audit_append(fx.s->store, "officer", "person.open", "person", id, "", NULL),
			     BR_OK);
		cr_assert_eq(store_commit(fx.s->store, NULL), BR_OK);
	}
}

static enum br_status verify(char **why)
{
	long long rows;
	char head[65];
	return audit_verify(fx.s->store, &rows, head, why);
}

Test(audit, an_untouched_chain_verifies)
{
	append(5);
	long long rows;
	char head[65];
	cr_expect_eq(audit_verify(fx.s->store, &rows, head, NULL), BR_OK);
	cr_expect_eq(rows, 6, "five rows plus the first admin");
	cr_expect_eq(strlen(head), 64);
}

Test(audit, rows_cannot_be_updated_or_deleted_through_sql)
{
	append(2);
	char *err = NULL;
	cr_expect_neq(sqlite3_exec(store_db(fx.s->store), "UPDATE audit SET login = 'x'", NULL, NULL, &err),
		      SQLITE_OK);
	cr_expect_not_null(strstr(err, "append-only"));
	sqlite3_free(err);
	cr_expect_neq(sqlite3_exec(store_db(fx.s->store), "DELETE FROM audit", NULL, NULL, NULL),
		      SQLITE_OK);
}

Test(audit, an_edited_row_is_found)
{
	append(5);
	fx_sql(&fx, "DROP TRIGGER audit_no_update; UPDATE audit SET login = 'mallory' WHERE id = 3");
	char *why = NULL;
	cr_expect_eq(verify(&why), BR_DATA);
	cr_expect_not_null(strstr(why, "audit row 3 was changed"), "%s", why);
	br_free_str(&why);
}

Test(audit, a_deleted_row_is_found)
{
	append(5);
	fx_sql(&fx, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 4");
	char *why = NULL;
	cr_expect_eq(verify(&why), BR_DATA);
	cr_expect_not_null(strstr(why, "audit row 4 is missing"), "%s", why);
	br_free_str(&why);
}

Test(audit, a_deleted_and_renumbered_row_is_found)
{
	append(5);
	fx_sql(&fx, "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update; "
		    "DELETE FROM audit WHERE id = 4; UPDATE audit SET id = id - 1 WHERE id > 4");
	char *why = NULL;
	cr_expect_eq(verify(&why), BR_DATA);
	cr_expect_not_null(strstr(why, "row 4"), "%s", why);
	br_free_str(&why);
}

static int problems;
static char last_problem[512];

static void collect(void *ctx, int ok, const char *line)
{
	(void)ctx;
	if (!ok) {
		problems++;
		snprintf(last_problem, sizeof last_problem, "%s", line);
	}
}

Test(audit, check_reports_a_broken_chain)
{
	append(3);
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	char *why = NULL;
	problems = 0;
	cr_expect_eq(check_run(fx.s, collect, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(problems, 0);
	fx_sql(&fx, "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'x' WHERE id = 2");
	cr_expect_eq(check_run(fx.s, collect, NULL, &why), BR_DATA);
	cr_expect_eq(problems, 1);
	cr_expect_not_null(strstr(last_problem, "audit row 2"), "%s", last_problem);
	br_free_str(&why);
}

Test(audit, check_is_not_for_officers)
{
	char *why = NULL;
	cr_expect_eq(check_run(fx.s, collect, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "officer"), "%s", why);
	br_free_str(&why);
}
