#define _GNU_SOURCE
/* The lists the screens use, on a small demo database. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 20, "admin"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(query, .init = setup, .fini = teardown);

static int list_all(const struct su_filter *f, struct su_row *rows, int max)
{
	int n = 0, got;
	struct list_cursor at = {0};
	char *why = NULL;
	do {
		cr_assert_eq(su_list(fx.s->store, f, &at, LIST_FORWARD, rows + n, 7 < max - n ? 7 : max - n,
				     &got, &why), BR_OK, "%s", why ? why : "");
		if (got)
			at = rows[n + got - 1].key;
		n += got;
	} while (got == 7 && n < max);
	return n;
}

Test(query, surname_search_finds_the_person)
{
	const char *family = fx_query(&fx, "SELECT family_name FROM service_user WHERE id = 3");
	char fam[64];
	snprintf(fam, sizeof fam, "%s", family);
	struct su_filter f = {0};
	snprintf(f.text, sizeof f.text, "%.4s", fam);
	struct su_row rows[200];
	int n = list_all(&f, rows, 200);
	bool found = false;
	char want[64];
	text_fold(f.text, want, sizeof want);
	for (int i = 0; i < n; i++) {
		char ff[64], gf[64];
		text_fold(rows[i].family, ff, sizeof ff);
		text_fold(rows[i].given, gf, sizeof gf);
		cr_expect(strncmp(ff, want, strlen(want)) == 0 || strncmp(gf, want, strlen(want)) == 0,
			  "%s %s does not match %s", rows[i].given, rows[i].family, f.text);
		if (rows[i].id == 3)
			found = true;
	}
	cr_expect(found, "person 3 (%s) found by \"%s\"", fam, f.text);
}

Test(query, accents_and_apostrophes_are_found_without_typing_them)
{
	fx_sql(&fx, "UPDATE service_user SET family_name = 'O''Néill', family_fold = 'oneill', "
		    "given_name = 'Siân', given_fold = 'sian' WHERE id = 5");
	struct su_filter f = {0};
	strcpy(f.text, "oneill");
	struct su_row rows[50];
	int n = list_all(&f, rows, 50);
	cr_assert_geq(n, 1);
	bool found = false;
	for (int i = 0; i < n; i++)
		found |= rows[i].id == 5;
	cr_expect(found);
	strcpy(f.text, "sian o'neill");
	n = list_all(&f, rows, 50);
	cr_expect_eq(n, 1, "given + family narrows to one");
	cr_expect_str_eq(rows[0].given, "Siân");
}

Test(query, nhs_number_reference_and_postcode)
{
	char nhs[16], ref[16], pc[16];
	snprintf(nhs, sizeof nhs, "%s", fx_query(&fx, "SELECT nhs_number FROM service_user WHERE id = 9"));
	snprintf(ref, sizeof ref, "%s", fx_query(&fx, "SELECT ref FROM service_user WHERE id = 9"));
	snprintf(pc, sizeof pc, "%s", fx_query(&fx, "SELECT postcode FROM service_user WHERE id = 9"));
	struct su_row rows[100];
	struct su_filter f = {0};
	snprintf(f.text, sizeof f.text, "%.3s %.3s %.4s", nhs, nhs + 3, nhs + 6);
	cr_expect_eq(su_text_kind(fx.s->store, f.text), SU_TEXT_NHS);
	int n = list_all(&f, rows, 100);
	cr_assert_eq(n, 1);
	cr_expect_eq(rows[0].id, 9);
	snprintf(f.text, sizeof f.text, "%s", ref);
	cr_expect_eq(su_text_kind(fx.s->store, f.text), SU_TEXT_REF);
	n = list_all(&f, rows, 100);
	cr_assert_eq(n, 1);
	cr_expect_eq(rows[0].id, 9);
	snprintf(f.text, sizeof f.text, "%s", pc);
	cr_expect_eq(su_text_kind(fx.s->store, f.text), SU_TEXT_POSTCODE);
	n = list_all(&f, rows, 100);
	bool found = false;
	for (int i = 0; i < n; i++) {
		cr_expect_str_eq(rows[i].postcode, pc);
		found |= rows[i].id == 9;
	}
	cr_expect(found);
}

Test(query, filters_hold_for_every_row)
{
	struct su_filter f = {0};
	strcpy(f.locality, "BIR");
	strcpy(f.need, "AUT");
	strcpy(f.status, "active");
	struct su_row rows[200];
	int n = list_all(&f, rows, 200);
	cr_expect_gt(n, 0);
	for (int i = 0; i < n; i++) {
		cr_expect_str_eq(rows[i].locality, "BIR");
		cr_expect_str_eq(rows[i].status, "active");
		cr_expect(strcmp(rows[i].primary_need, "AUT") == 0 || strstr(rows[i].other_needs, "AUT"),
			  "%s has no AUT need", rows[i].ref);
	}
	char want[16];
	snprintf(want, sizeof want, "%d", n);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user su WHERE locality = 'BIR' "
				       "AND status = 'active' AND (primary_need = 'AUT' OR EXISTS "
				       "(SELECT 1 FROM service_user_need n WHERE n.user_id = su.id AND n.need = 'AUT'))"),
			 want);
}

Test(query, keyset_pages_cover_every_row_once_both_ways)
{
	struct su_filter f = {0};
	static struct su_row fwd[200], back[200];
	int n = list_all(&f, fwd, 200);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "100");
	cr_assert_eq(n, 100);
	for (int i = 1; i < n; i++) {
		int c = strcmp(fwd[i - 1].key.k1, fwd[i].key.k1);
		cr_expect(c < 0 || (c == 0 && (strcmp(fwd[i - 1].key.k2, fwd[i].key.k2) < 0 ||
					       (strcmp(fwd[i - 1].key.k2, fwd[i].key.k2) == 0 &&
						fwd[i - 1].id < fwd[i].id))), "row %d out of order", i);
	}
	/* backwards from past the end, a page at a time */
	struct list_cursor at = fwd[n - 1].key;
	int m = 0, got;
	back[m++] = fwd[n - 1];
	do {
		struct su_row page[9];
		cr_assert_eq(su_list(fx.s->store, &f, &at, LIST_BACKWARD, page, 9, &got, NULL), BR_OK);
		for (int i = got - 1; i >= 0; i--)
			back[m++] = page[i];
		if (got)
			at = page[0].key;
	} while (got == 9);
	cr_assert_eq(m, n);
	for (int i = 0; i < n; i++)
		cr_expect_eq(back[i].id, fwd[n - 1 - i].id);
}

static int providers(const char *service, const char *loc, const char *tier, const char *status,
		     struct provider_row *rows, int max)
{
	struct provider_filter f = {0};
	snprintf(f.service, sizeof f.service, "%s", service);
	snprintf(f.locality, sizeof f.locality, "%s", loc);
	snprintf(f.tier, sizeof f.tier, "%s", tier);
	snprintf(f.status, sizeof f.status, "%s", status);
	int n;
	char *why = NULL;
	cr_assert_eq(provider_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, max, &n, &why), BR_OK,
		     "%s", why ? why : "");
	return n;
}

Test(query, the_awarded_primary_provider_of_each_locality)
{
	struct provider_row rows[20];
	const char *want[][2] = {{"WAL", "Premier Care"}, {"BIR", "Premier Care"},
				 {"WW", "Wirral Home Care Alliance"}, {"SW", "Haven Care"}};
	for (int i = 0; i < 4; i++) {
		int n = providers("HC", want[i][0], "primary", "", rows, 20);
		cr_assert_eq(n, 1, "%s has one primary", want[i][0]);
		cr_expect_str_eq(rows[0].name, want[i][1]);
		cr_expect_str_eq(rows[0].tier, "primary");
	}
	int n = providers("HC", "SW", "secondary", "", rows, 20);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(rows[0].name, "Carewatch");
	n = providers("HC", "", "peripheral", "", rows, 20);
	cr_expect_eq(n, 8, "eight peripheral providers across the borough");
}

Test(query, suspended_providers_carry_their_reason)
{
	fx_sql(&fx, "UPDATE provider SET status = 'suspended', suspended_reason = 'Safeguarding', "
		    "suspended_on = '2026-11-01' WHERE id = 20");
	struct provider_row rows[100];
	int n = providers("", "", "", "suspended", rows, 100);
	cr_assert_geq(n, 1);
	for (int i = 0; i < n; i++) {
		cr_expect_str_eq(rows[i].status, "suspended");
		cr_expect_neq(rows[i].suspended_reason[0], '\0');
	}
}

Test(query, an_unknown_tier_is_a_usage_error)
{
	struct provider_filter f = {0};
	strcpy(f.tier, "gold");
	struct provider_row rows[2];
	int n;
	cr_expect_eq(provider_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, 2, &n, NULL), BR_USAGE);
}

Test(query, consortium_detail_lists_members_and_awards)
{
	struct provider_detail *d = NULL;
	char *why = NULL;
	cr_assert_eq(provider_detail_get(fx.s->store, 2, &d, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(d->p.name, "Wirral Home Care Alliance");
	cr_expect(d->p.is_consortium);
	cr_assert_eq(d->n_members, 3);
	cr_expect_str_eq(d->members[0].name, "Aspire");
	bool ww_primary = false;
	for (int i = 0; i < d->n_awards; i++)
		ww_primary |= strcmp(d->awards[i].locality, "WW") == 0 &&
			      strcmp(d->awards[i].tier, "primary") == 0;
	cr_expect(ww_primary);
	cr_expect_gt(d->n_capacity, 0);
	cr_expect_gt(d->n_rates, 0);
	cr_expect_eq(d->n_coverage, 4);
	provider_detail_free(&d);
	cr_expect_null(d);
	cr_expect_eq(provider_detail_get(fx.s->store, 99999, &d, &why), BR_NOTFOUND);
	br_free_str(&why);
}

/* Speed that must not quietly go (issue 14): the plans of the statements
 * the core has prepared, read back from its own statement slots. */
#include <sqlite3.h>
#include "store_internal.h"

static char *plan_of(int slot)
{
	sqlite3_stmt *st = store_stmt(fx.s->store, slot, "", NULL);
	cr_assert(st && sqlite3_sql(st), "slot %d was not prepared", slot);
	char *sql = NULL;
	cr_assert(asprintf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(st)) > 0);
	sqlite3_stmt *q;
	cr_assert_eq(sqlite3_prepare_v2(store_db(fx.s->store), sql, -1, &q, NULL), SQLITE_OK);
	free(sql);
	size_t len = 0;
	char *out = calloc(1, 1);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(q, 3);
		size_t n = strlen(d);
		out = realloc(out, len + n + 2);
		memcpy(out + len, d, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(q);
	return out;
}

Test(query, the_work_queue_is_read_in_order_through_its_index)
{
	struct queue_row rows[10];
	int n;
	cr_assert_eq(queue_list(fx.s, QUEUE_REQUESTS, NULL, LIST_FORWARD, rows, 10, &n, NULL), BR_OK);
	cr_assert_gt(n, 0);
	char *plan = plan_of(STMT_QUEUE_BASE + QUEUE_REQUESTS * 4);
	cr_expect(strstr(plan, "USING INDEX request_queue") != NULL, "%s", plan);
	/* no sort of every open request: only the per-row offer look-ups sort */
	cr_expect(strstr(plan, "SCAN r USING INDEX request_queue\n") != NULL, "%s", plan);
	int sorts = 0;
	for (const char *p = plan; (p = strstr(p, "TEMP B-TREE FOR ORDER BY")); p++)
		sorts++;
	cr_expect_eq(sorts, 2, "%s", plan);
	free(plan);
}

Test(query, the_match_looks_up_through_the_lot_ordered_indexes)
{
	int64_t id = atoll(fx_query(&fx, "SELECT min(id) FROM package_request WHERE status = 'open'"));
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, id, &m, NULL), BR_OK);
	match_free(&m);
	char *plan = plan_of(STMT_MATCH);
	static const char *const want[] = {"registration_by_lot", "coverage_by_locality", "capacity_by_lot",
					   "rate_by_service", "capacity_report_by_lot"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_expect(strstr(plan, want[i]) != NULL, "%s not in\n%s", want[i], plan);
	free(plan);
}

/* A one-letter name with a filter (the respite finder's first key): the
 * given-name half reads only su_by_given, which holds the filter's
 * columns, never the table, whatever the register's names. */
Test(query, a_one_letter_name_reads_the_given_names_index_only)
{
	struct su_filter f = {0};
	text_copy(f.text, sizeof f.text, "m");
	text_copy(f.status, sizeof f.status, "active");
	text_copy(f.locality, sizeof f.locality, "WAL");
	struct su_row rows[10];
	int n;
	cr_assert_eq(su_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, 10, &n, NULL), BR_OK);
	sqlite3_stmt *st = NULL, *found = NULL;
	while ((st = sqlite3_next_stmt(store_db(fx.s->store), st)))
		if (strstr(sqlite3_sql(st), "INDEXED BY su_by_given") && strstr(sqlite3_sql(st), "su.locality = ?5"))
			found = st;
	cr_assert(found, "the name search's statement was not prepared");
	char *sql = NULL;
	cr_assert(asprintf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(found)) > 0);
	sqlite3_stmt *q;
	cr_assert_eq(sqlite3_prepare_v2(store_db(fx.s->store), sql, -1, &q, NULL), SQLITE_OK);
	free(sql);
	bool covering = false, scan = false;
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(q, 3);
		covering |= strstr(d, "COVERING INDEX su_by_given") != NULL;
		scan |= strncmp(d, "SCAN su", 7) == 0;
	}
	sqlite3_finalize(q);
	cr_expect(covering, "the given-name half does not read su_by_given alone");
	cr_expect(!scan, "a full scan of service_user");
}

/* The states a respite booking holds its bed in are one column of the
 * state table; the partial index that serves the count is written in the
 * same words, and the count's statement uses it. */
#include "calloff_states.h"
Test(query, the_respite_nights_index_is_the_state_tables_night_column)
{
	const char *sql = fx_query(&fx, "SELECT sql FROM sqlite_master WHERE name = 'calloff_respite_nights'");
	cr_assert(strstr(sql, "service = 'RSP' AND " CALLOFF_SQL_NIGHT("status")), "index: %s\nwords: %s", sql,
		  CALLOFF_SQL_NIGHT("status"));
	int lowest = 0;
	int64_t full = 0;
	char *why = NULL;
	cr_assert_eq(respite_beds(fx.s, 1, "WAL", clock_today(), clock_today() + 3, &lowest, &full, &why), BR_OK,
		     "%s", why ? why : "");
	char *eqp = fx_plan(&fx, "SELECT count(*) FROM calloff b WHERE b.provider_id = 1 AND b.locality = 'WAL' AND "
				 "b.service = 'RSP' AND " CALLOFF_SQL_NIGHT("b.status") " AND b.end_date >= '2026-11-22' "
				 "AND b.start_date <= '2026-11-25'");
	cr_expect(strstr(eqp, "calloff_respite_nights"), "plan: %s", eqp);
	free(eqp);
}

/* schema 017 fills capacity_report.basis from the states that hold
 * capacity: the holds column of calloff_states.h, in the same words */
Test(query, the_capacity_basis_migration_is_the_state_tables_holds_column)
{
	FILE *f = fopen("schemas/017_capacity_basis.sql", "r");
	cr_assert(f, "schemas/017_capacity_basis.sql (run from the project root)");
	static char text[8192];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	cr_assert(strstr(text, CALLOFF_SQL_HOLDS("c.status")), "017 lacks %s", CALLOFF_SQL_HOLDS("c.status"));
}

/* each group's SQL fragment and its C predicate are one column of the
 * state table: for every state, SQLite and calloff_state_in agree */
Test(query, every_state_group_in_sql_is_its_c_predicate)
{
	static const struct {
		enum calloff_group g;
		const char *sql;
	} groups[] = {
		{CG_HOLDS, CALLOFF_SQL_HOLDS("?1")},	   {CG_LIVE, CALLOFF_SQL_LIVE("?1")},
		{CG_UNSTARTED, CALLOFF_SQL_UNSTARTED("?1")}, {CG_RUNNING, CALLOFF_SQL_RUNNING("?1")},
		{CG_PLACED, CALLOFF_SQL_PLACED("?1")},	   {CG_NIGHT, CALLOFF_SQL_NIGHT("?1")},
		{CG_AWAITS, CALLOFF_SQL_AWAITS("?1")},	   {CG_PAUSED, CALLOFF_SQL_PAUSED("?1")},
	};
	cr_assert_eq(sizeof groups / sizeof groups[0], (size_t)CG_COUNT, "a group without its SQL here");
	sqlite3 *db;
	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		char sql[1024];
		snprintf(sql, sizeof sql, "SELECT %s", groups[g].sql);
		sqlite3_stmt *q;
		cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s", sql);
		for (int st = 0; st < CS_COUNT; st++) {
			sqlite3_bind_text(q, 1, calloff_state_code(st), -1, SQLITE_STATIC);
			cr_assert_eq(sqlite3_step(q), SQLITE_ROW);
			cr_expect_eq(sqlite3_column_int(q, 0) != 0, calloff_state_in(st, groups[g].g), "group %zu, %s",
				     g, calloff_state_code(st));
			sqlite3_reset(q);
		}
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	/* what an officer means by the words */
	cr_expect(calloff_status_in("paused", CG_PAUSED) && calloff_status_in("paused_released", CG_PAUSED));
	cr_expect(!calloff_status_in("active", CG_PAUSED));
	cr_expect(calloff_status_in("paused_released", CG_LIVE) && !calloff_status_in("paused_released", CG_HOLDS));
	cr_expect(!calloff_status_in("ended", CG_LIVE) && !calloff_status_in("cancelled", CG_LIVE));
	cr_expect(!calloff_status_in("bogus", CG_LIVE));
}

/* issue 21: a new request's "can the person's needs use the service" is
 * read inside the write turn, so it is two index lookups, never a read of
 * every registration of the service (it was 24% of a booking) */
Test(query, a_new_requests_service_check_reads_no_more_than_the_index)
{
	char *eqp = fx_plan(&fx, REQUEST_SERVICE_USABLE);
	cr_expect(!strstr(eqp, "SCAN r") && !strstr(eqp, "SCAN registration"), "plan: %s", eqp);
	cr_expect(strstr(eqp, "registration_by_lot (service=? AND need=?)"), "plan: %s", eqp);
	cr_expect(strstr(eqp, "SEARCH n USING PRIMARY KEY (user_id=?)"), "plan: %s", eqp);
	free(eqp);
}

/* Issue 21: no statement is compiled again while officers work. SQLite
 * re-prepares a statement on its next step whenever a parameter it looked
 * at while planning is bound again: a `service = ?` beside the partial
 * index calloff_respite_nights (WHERE service = 'RSP') made the offer's
 * match and its "who delivers this now" compile afresh on every booking,
 * 41% of a booking's CPU. Matches on every service, offers, acceptances
 * and the respite finder, then every statement the session holds has been
 * prepared once. */
Test(query, no_statement_is_prepared_again_between_bookings)
{
	struct session *s = NULL;
	char *why = NULL;
	cr_assert_eq(session_open(&s, fx.cfg, "officer", &why), BR_OK, "%s", why ? why : "");
	sqlite3 *db = store_db(s->store);
	char *ids = strdup(fx_query(&fx, "SELECT group_concat(id) FROM (SELECT id FROM package_request WHERE status = 'open' "
				  "ORDER BY service, id LIMIT 40)"));
	int matches = 0, booked = 0;
	for (int round = 0; round < 2; round++) {
		for (char *p = ids; p && *p;) {
			int64_t req = strtoll(p, &p, 10);
			if (*p == ',')
				p++;
			struct match_result *m = NULL;
			if (match_run(s, req, &m, NULL) == BR_OK) {
				matches++;
				for (int i = 0; round == 1 && i < m->n; i++) {
					if (m->rows[i].reasons)
						continue;
					int64_t off = 0, co = 0;
					if (offer_create(s, req, m->rows[i].provider_id, NULL, &off, NULL) == BR_OK &&
					    offer_accept(s, off, &co, NULL) == BR_OK)
						booked++;
					break;
				}
			}
			match_free(&m);
		}
	}
	struct respite_row rows[8];
	int n = 0;
	for (int64_t person = 1; person <= 6; person++)
		respite_list(s, person, rows, 8, &n, NULL);
	/* the screens' reads, each with values that change */
	static const char *const texts[] = {"a", "jo", "SU00001", "999", "b", ""};
	static const char *const services[] = {"HC", "SL", "RSP", "DAY", ""};
	static const char *const locs[] = {"WAL", "BIR", "", "SW"};
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			struct su_filter f = {0};
			text_copy(f.text, sizeof f.text, texts[i]);
			text_copy(f.locality, sizeof f.locality, locs[i % 4]);
			struct su_row su[20];
			su_list(s->store, &f, NULL, LIST_FORWARD, su, 20, &n, NULL);
			struct provider_filter pf = {0};
			text_copy(pf.service, sizeof pf.service, services[i % 5]);
			text_copy(pf.locality, sizeof pf.locality, locs[(i + 1) % 4]);
			struct provider_row pr[20];
			provider_list(s->store, &pf, NULL, LIST_FORWARD, pr, 20, &n, NULL);
			struct queue_row qr[20];
			queue_list(s, (enum queue_kind)(i % QUEUE_KINDS), NULL, LIST_FORWARD, qr, 20, &n, NULL);
			struct queue_counts qc;
			queue_counts(s, &qc, NULL);
			struct person_detail *d = NULL;
			if (person_open(s, 1 + (int64_t)i, NULL, &d, NULL) == BR_OK)
				person_detail_free(&d);
		}
	cr_expect_gt(matches, 10);
	cr_expect_geq(booked, 2, "bookings made: %d", booked);
	int again = 0;
	for (sqlite3_stmt *q = sqlite3_next_stmt(db, NULL); q; q = sqlite3_next_stmt(db, q)) {
		int r = sqlite3_stmt_status(q, SQLITE_STMTSTATUS_REPREPARE, 0);
		if (r) {
			again += r;
			cr_log_error("prepared again %d times: %.300s", r, sqlite3_sql(q));
		}
	}
	cr_expect_eq(again, 0, "statements compiled again while working (%d matches, %d bookings)", matches, booked);
	free(ids);
	session_close(&s);
	br_free_str(&why);
}

/* Issue 21: SQLite gives every b-tree a statement opens for itself (the
 * IN (… UNION …) of the match, a DISTINCT) a page cache of its own, and by
 * default carves it out of one allocation of 20 pages (87,200 bytes at
 * 4 KiB pages) that the heap hands back and faults in again on every
 * statement: 60% of an offer's time, most of it in the kernel. The store
 * turns that first allocation off (SQLITE_CONFIG_PAGECACHE with none), so
 * the largest SQLite allocation in an offer and its acceptance is never a
 * block of 20 pages (a checkpoint's list of frames, up to 64 KiB, is the
 * largest left). */
Test(query, an_offer_allocates_no_block_of_pages)
{
	struct session *s = NULL;
	char *why = NULL;
	cr_assert_eq(session_open(&s, fx.cfg, "officer", &why), BR_OK, "%s", why ? why : "");
	char *ids = strdup(fx_query(&fx, "SELECT group_concat(id) FROM (SELECT id FROM package_request WHERE status = 'open' "
				  "ORDER BY service, id LIMIT 40)"));
	int booked = 0;
	sqlite3_int64 cur = 0, largest = 0, worst = 0;
	for (char *p = ids; p && *p && booked < 4;) {
		int64_t req = strtoll(p, &p, 10);
		if (*p == ',')
			p++;
		struct match_result *m = NULL;
		if (match_run(s, req, &m, NULL) != BR_OK)
			continue;
		for (int i = 0; i < m->n; i++) {
			if (m->rows[i].reasons)
				continue;
			int64_t off = 0, co = 0;
			sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &cur, &largest, 1);
			if (offer_create(s, req, m->rows[i].provider_id, NULL, &off, NULL) == BR_OK &&
			    offer_accept(s, off, &co, NULL) == BR_OK)
				booked++;
			sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &cur, &largest, 0);
			if (largest > worst)
				worst = largest;
			break;
		}
		match_free(&m);
	}
	cr_expect_geq(booked, 2, "bookings made: %d", booked);
	int64_t page = strtoll(fx_query(&fx, "PRAGMA page_size"), NULL, 10);
	cr_expect_lt(worst, 20 * page, "the largest allocation in an offer and acceptance: %lld bytes (pages of %lld)",
		     (long long)worst, (long long)page);
	free(ids);
	session_close(&s);
	br_free_str(&why);
}
