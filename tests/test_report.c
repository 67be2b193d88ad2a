/* The reports (issue 13): a small world built by hand where every figure is
 * known, then cross-checks on demo data, the roles and the formats. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

static struct fixture fx;

/* Four placements from 1 to 22 November 2026 (the test clock's today):
 *   c1 HC  WAL primary    provider 1   request r1 raised 1 Nov, placed 3 Nov  (2 days)  active, handed back
 *   c2 SL  WAL secondary  provider 3   request r2 raised 3 Nov, placed 8 Nov  (5 days)  active, joint 60/40, out of locality
 *   c3 RES BIR spot       provider 4   request r3 raised 5 Nov, placed 14 Nov (9 days)  awaiting approval, age 36
 *   c4 RSP WW  emergency  provider 5   request r6 raised and booked 10 Nov (0 days), 3 nights
 * and, not counted: c5 placed in January, c6 rejected in range. Open: r4
 * (a hand-back, urgent) and r5 (routine, waiting longer). */
static void world(void)
{
	fx_open(&fx, 0, "supervisor");
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, is_consortium, consortium_id) VALUES "
		"(1,'Premier Care','premiercare',0,NULL),(2,'Wirral Home Care Alliance','whca',1,NULL),"
		"(3,'Community Caring','communitycaring',0,2),(4,'=Spot Shop','spotshop',0,NULL),"
		"(5,'Wirral Beds','wirralbeds',0,NULL);"
		"INSERT INTO service_user(id, ref, family_name, given_name, family_fold, given_fold, "
		"date_of_birth, locality, primary_need, created_at) VALUES "
		"(1,'SU1','Jones','Sian','jones','sian','1980-05-01','WAL','LD','x'),"
		"(2,'SU2','Hughes','Tom','hughes','tom','1950-05-01','WW','AUT','x'),"
		"(3,'SU3','Price','Ann','price','ann','1990-05-01','BIR','LD','x');"
		"INSERT INTO package_request(id, user_id, service, locality, units, start_date, urgency, funding, "
		"asc_pct, status, handback, created_at, created_by, opened_at, closed_at) VALUES "
		"(1,1,'HC','WAL',10,'2026-11-03','routine','ASC',100,'placed',0,'2026-11-01T09:00:00Z','officer','2026-11-01T09:00:00Z','2026-11-03T09:00:00Z'),"
		"(2,1,'SL','WAL',20,'2026-11-08','routine','JOINT',60,'placed',0,'2026-11-03T09:00:00Z','officer','2026-11-03T09:00:00Z','2026-11-08T09:00:00Z'),"
		"(3,3,'RES','BIR',1,'2026-11-14','routine','ASC',100,'placed',0,'2026-11-05T09:00:00Z','officer','2026-11-05T09:00:00Z','2026-11-14T09:00:00Z'),"
		"(6,2,'RSP','WW',3,'2026-11-10','emergency','ASC',100,'placed',0,'2026-11-10T22:00:00Z','oncall','2026-11-10T22:00:00Z','2026-11-10T22:10:00Z'),"
		"(7,1,'HC','WAL',5,'2026-01-05','routine','ASC',100,'placed',0,'2026-01-01T09:00:00Z','officer','2026-01-01T09:00:00Z','2026-01-05T09:00:00Z'),"
		"(8,3,'HC','BIR',5,'2026-11-12','routine','ASC',100,'placed',0,'2026-11-10T09:00:00Z','officer','2026-11-10T09:00:00Z','2026-11-12T09:00:00Z');"
		"INSERT INTO package_request(id, user_id, service, locality, units, start_date, urgency, funding, "
		"asc_pct, status, handback, created_at, created_by, opened_at) VALUES "
		"(4,1,'HC','WAL',10,'2026-11-30','urgent','ASC',100,'open',1,'2026-11-01T09:00:00Z','officer','2026-11-20T09:00:00Z'),"
		"(5,2,'HC','WW',7,'2026-11-12','routine','ASC',100,'open',0,'2026-11-10T09:00:00Z','officer','2026-11-10T09:00:00Z');"
		"INSERT INTO calloff(id, request_id, provider_id, tier, override_kind, override_reason, service, locality, "
		"unit_rate_pence, units, weekly_cost_pence, asc_pct, start_date, end_date, status, proposed_by, created_at, "
		"handback_reason, handback_notice) VALUES "
		"(1,1,1,'primary',NULL,NULL,'HC','WAL',2000,10,20000,100,'2026-11-03',NULL,'active','officer','2026-11-03T09:00:00Z','no_staff','2026-11-30'),"
		"(2,2,3,'secondary','out_of_locality','nobody nearer','SL','WAL',1800,20,36000,60,'2026-11-08',NULL,'active','officer','2026-11-08T09:00:00Z',NULL,NULL),"
		"(3,3,4,'spot','spot','No community option meets her needs','RES','BIR',100000,1,100000,100,'2026-11-14',NULL,'awaiting_approval','officer','2026-11-14T09:00:00Z',NULL,NULL),"
		"(4,6,5,'emergency',NULL,NULL,'RSP','WW',15000,3,45000,100,'2026-11-10','2026-11-12','ended','oncall','2026-11-10T22:10:00Z',NULL,NULL),"
		"(5,7,1,'primary',NULL,NULL,'HC','WAL',2000,5,10000,100,'2026-01-05',NULL,'active','officer','2026-01-05T09:00:00Z',NULL,NULL),"
		"(6,8,1,'primary',NULL,NULL,'HC','BIR',2000,5,10000,100,'2026-11-12',NULL,'rejected','officer','2026-11-12T09:00:00Z',NULL,NULL);"
		"INSERT INTO offer(id, request_id, provider_id, tier, status, offered_at, offered_by, expires_at, "
		"responded_at, decline_reason) VALUES "
		"(1,1,2,'primary','declined','2026-11-01T10:00:00Z','officer','2026-11-02T10:00:00Z','2026-11-02T08:00:00Z','no_staff'),"
		"(2,1,4,'primary','expired','2026-11-01T10:00:00Z','officer','2026-11-02T10:00:00Z','2026-11-02T10:00:00Z',NULL),"
		"(3,1,1,'primary','accepted','2026-11-02T10:00:00Z','officer','2026-11-03T10:00:00Z','2026-11-03T09:00:00Z',NULL);"
		"INSERT INTO approval(id, calloff_id, status, annual_cost_pence, requested_at, requested_by, due_date, "
		"decided_at, decided_by, note) VALUES "
		"(1,2,'approved',1872000,'2026-11-08T10:00:00Z','officer',NULL,'2026-11-09T10:00:00Z','supervisor','ok'),"
		"(2,3,'pending',5200000,'2026-11-14T10:00:00Z','officer',NULL,NULL,NULL,''),"
		"(3,4,'approved',45000,'2026-11-10T22:10:00Z','oncall','2026-11-11','2026-11-11T09:00:00Z','supervisor','ok');"
		"INSERT INTO approval_rule VALUES (1,'weekly_cost',''),(2,'spot',''),(2,'residential_under_65',''),(3,'emergency','');"
		"INSERT INTO audit(at, login, action, entity, entity_id, detail, prev_hash, hash) VALUES "
		"('2026-11-16T09:00:00Z','officer','calloff.handback','calloff','1','',zeroblob(32),zeroblob(32));");
}

static void teardown(void) { fx_close(&fx); }

TestSuite(report, .init = world, .fini = teardown);

static struct report *run(int which, const char *loc, const char *svc)
{
	struct report_params p;
	report_params_default(&p);
	cr_assert_eq(date_parse("2026-11-01", &p.from, NULL), BR_OK);
	cr_assert_eq(date_parse("2026-11-22", &p.to, NULL), BR_OK);
	strcpy(p.locality, loc ? loc : "");
	strcpy(p.service, svc ? svc : "");
	struct report *r = NULL;
	char *why = NULL;
	enum br_status st = report_run(fx.s, which, &p, &r, &why);
	cr_assert_eq(st, BR_OK, "report %s: %s", report_code(which), why ? why : "");
	free(why);
	return r;
}

static const struct report_table *table(const struct report *r, const char *name)
{
	for (int i = 0; i < r->ntables; i++)
		if (strcmp(r->t[i].name, name) == 0)
			return &r->t[i];
	cr_assert_fail("no table %s", name);
	return NULL;
}

static int row_of(const struct report_table *t, const char *key)
{
	for (int i = 0; i < t->nrows; i++) {
		char buf[128];
		report_cell_text(t, i, 0, false, buf, sizeof buf);
		if (strcmp(buf, key) == 0)
			return i;
	}
	cr_assert_fail("no row %s in %s", key, t->name);
	return -1;
}

static int64_t val(const struct report *r, const char *tname, const char *key, int col)
{
	const struct report_table *t = table(r, tname);
	return report_cell_value(t, row_of(t, key), col);
}

Test(report, pickup_three_known_placements_give_a_known_p50)
{
	struct report *r = run(REPORT_PICKUP, NULL, NULL);
	/* routine: 2, 5 and 9 days -> p50 5, p90 9, max 9; the emergency booking 0 */
	cr_expect_eq(val(r, "by_urgency", "routine", 1), 3);
	cr_expect_eq(val(r, "by_urgency", "routine", 2), 5);
	cr_expect_eq(val(r, "by_urgency", "routine", 3), 9);
	cr_expect_eq(val(r, "by_urgency", "routine", 4), 9);
	cr_expect_eq(val(r, "by_urgency", "emergency", 2), 0);
	cr_expect_eq(val(r, "by_locality", "WAL", 1), 2);
	cr_expect_eq(val(r, "by_locality", "WAL", 2), 2);
	/* weeks start on Monday: 2 Nov holds c1 and c2 (3 and 8 Nov is the next week) */
	const struct report_table *w = table(r, "by_week");
	char wk[16];
	report_cell_text(w, 0, 0, false, wk, sizeof wk);
	cr_expect_str_eq(wk, "2026-11-02");
	cr_expect_eq(w->nrows, 2);
	cr_expect_eq(report_cell_value(w, 0, 1), 2); /* 2 to 8 Nov: c1 and c2 */
	report_free(&r);
}

Test(report, tiers_count_the_placements_in_the_range_only)
{
	struct report *r = run(REPORT_TIERS, NULL, NULL);
	cr_expect_eq(val(r, "by_tier", "primary", 1), 1); /* c5 is January's, c6 was rejected */
	cr_expect_eq(val(r, "by_tier", "secondary", 1), 1);
	cr_expect_eq(val(r, "by_tier", "spot", 1), 1);
	cr_expect_eq(val(r, "by_tier", "emergency", 1), 1);
	cr_expect_eq(val(r, "by_tier", "registered", 1), 0);
	cr_expect_eq(val(r, "by_tier", "primary", 2), 250);
	cr_expect_eq(val(r, "overrides", "out_of_locality", 1), 1);
	cr_expect_eq(val(r, "overrides", "spot", 1), 1);
	cr_expect_eq(val(r, "summary", "placements", 1), 4);
	cr_expect_eq(val(r, "summary", "overrides", 1), 2);
	cr_expect_eq(val(r, "summary", "out of locality", 1), 1);
	report_free(&r);
	r = run(REPORT_TIERS, "BIR", NULL);
	cr_expect_eq(val(r, "summary", "placements", 1), 1);
	cr_expect_eq(val(r, "by_tier", "spot", 2), 1000);
	report_free(&r);
	r = run(REPORT_TIERS, NULL, "HC");
	cr_expect_eq(val(r, "summary", "placements", 1), 1);
	report_free(&r);
}

Test(report, spend_is_the_active_calloffs_with_the_joint_split)
{
	struct report *r = run(REPORT_SPEND, NULL, NULL);
	/* active: c1 £200 (ASC), c2 £360 (joint 60/40), c5 £100 (ASC); c3 awaits approval */
	cr_expect_eq(val(r, "by_funding", "total", 2), 66000);
	cr_expect_eq(val(r, "by_funding", "total", 3), 66000 * 52);
	cr_expect_eq(val(r, "by_funding", "ASC", 2), 30000);
	cr_expect_eq(val(r, "by_funding", "JOINT", 4), 21600);
	cr_expect_eq(val(r, "by_funding", "JOINT", 5), 14400);
	cr_expect_eq(val(r, "by_funding", "total", 4) + val(r, "by_funding", "total", 5), 66000);
	cr_expect_eq(val(r, "by_service", "HC", 2), 30000);
	cr_expect_eq(val(r, "by_locality", "WAL", 1), 3);
	report_free(&r);
}

/* Issue 20: the annual cost is one rule, respite included. A respite stay
 * running today costs its nights once a year, not 52 times over: c4 (3
 * nights at £150, £450) made active tonight adds £450 to the year. */
Test(report, spend_counts_a_respite_stay_once_in_the_year)
{
	fx_sql(&fx, "UPDATE calloff SET status = 'active', start_date = '2026-11-21', end_date = '2026-11-23' WHERE id = 4");
	struct report *r = run(REPORT_SPEND, NULL, NULL);
	cr_expect_eq(val(r, "by_service", "RSP", 2), 45000, "the stay's cost");
	cr_expect_eq(val(r, "by_service", "RSP", 3), 45000, "once, not 52 times: 2,340,000");
	cr_expect_eq(val(r, "by_service", "HC", 3), 30000 * 52, "a weekly package: 52 weeks");
	cr_expect_eq(val(r, "by_funding", "total", 3), 66000 * 52 + 45000);
	cr_expect_eq(val(r, "by_locality", "WW", 3), 45000);
	report_free(&r);
}

Test(report, market_shares_sum_to_a_hundred_and_the_consortium_holds_its_members)
{
	struct report *r = run(REPORT_MARKET, NULL, NULL);
	const struct report_table *t = table(r, "by_provider");
	cr_assert_eq(t->nrows, 4);
	int64_t sum = 0, placed = 0;
	for (int i = 0; i < t->nrows; i++) {
		sum += report_cell_value(t, i, 2);
		placed += report_cell_value(t, i, 1);
	}
	cr_expect_eq(sum, 1000);
	cr_expect_eq(placed, 4);
	cr_expect_eq(val(r, "by_consortium", "Wirral Home Care Alliance", 1), 1);
	cr_expect_eq(val(r, "by_consortium", "(not in a consortium)", 1), 3);
	cr_expect_eq(val(r, "top10", "top ten: placements", 1), 1000);
	report_free(&r);
}

Test(report, waiting_puts_hand_backs_first)
{
	struct report *r = run(REPORT_WAITING, NULL, NULL);
	const struct report_table *l = table(r, "longest");
	cr_assert_eq(l->nrows, 2);
	cr_expect_eq(report_cell_value(l, 0, 0), 4);
	cr_expect_eq(report_cell_value(l, 1, 0), 5);
	cr_expect_eq(report_cell_value(l, 1, 6), 12); /* 10 to 22 November */
	cr_expect_eq(val(r, "by_lot", "WAL", 4), 1);  /* urgent */
	report_free(&r);
}

Test(report, handbacks_declines_approvals_respite_residential)
{
	struct report *r = run(REPORT_HANDBACKS, NULL, NULL);
	cr_expect_eq(val(r, "by_provider", "Premier Care", 1), 1);
	cr_expect_eq(val(r, "by_provider", "Premier Care", 2), 14);
	cr_expect_eq(val(r, "by_reason", "no_staff", 1), 1);
	report_free(&r);

	r = run(REPORT_DECLINES, NULL, NULL);
	cr_expect_eq(val(r, "by_reason", "no_staff", 1), 1);
	cr_expect_eq(val(r, "by_reason", "no_staff", 2), 1000);
	cr_expect_eq(val(r, "summary", "response windows missed", 1), 1);
	cr_expect_eq(val(r, "by_provider", "=Spot Shop", 2), 1);
	report_free(&r);

	r = run(REPORT_APPROVALS, NULL, NULL);
	cr_expect_eq(val(r, "by_rule", "weekly_cost", 2), 1);
	cr_expect_eq(val(r, "by_rule", "spot", 4), 1);
	cr_expect_eq(val(r, "by_rule", "residential_under_65", 1), 1);
	cr_expect_eq(val(r, "summary", "filed", 1), 3);
	cr_expect_eq(val(r, "summary", "pending", 1), 1);
	/* decided: 24 h and 10 h 50 min (whole hours: 10) -> p50 10, p90 24 */
	cr_expect_eq(val(r, "summary", "hours to decision p50", 1), 10);
	cr_expect_eq(val(r, "summary", "hours to decision p90", 1), 24);
	report_free(&r);

	r = run(REPORT_RESPITE, NULL, NULL);
	cr_expect_eq(val(r, "by_locality", "WW", 1), 1);
	cr_expect_eq(val(r, "by_locality", "WW", 2), 3);
	cr_expect_eq(val(r, "by_need", "AUT", 2), 3);
	cr_expect_eq(val(r, "approval", "next working day", 1), 1);
	report_free(&r);

	r = run(REPORT_RESIDENTIAL, NULL, NULL);
	const struct report_table *t = table(r, "placements");
	cr_assert_eq(t->nrows, 1);
	char buf[128];
	report_cell_text(t, 0, 7, true, buf, sizeof buf);
	cr_expect_str_eq(buf, "No community option meets her needs");
	report_cell_text(t, 0, 2, false, buf, sizeof buf);
	cr_expect_str_eq(buf, "36");
	cr_expect_eq(val(r, "by_locality", "BIR", 1), 1);
	report_free(&r);
}

Test(report, a_restricted_persons_age_is_withheld)
{
	fx_sql(&fx, "UPDATE service_user SET restricted = 1 WHERE id = 3");
	struct report *r = run(REPORT_RESIDENTIAL, NULL, NULL);
	const struct report_table *t = table(r, "placements");
	cr_assert_eq(t->nrows, 1);
	char buf[64];
	report_cell_text(t, 0, 2, true, buf, sizeof buf);
	cr_expect_str_eq(buf, "restricted");
	report_cell_text(t, 0, 1, true, buf, sizeof buf);
	cr_expect_str_eq(buf, "SU3");
	report_free(&r);
}

Test(report, who_may)
{
	char *why = NULL;
	struct report_params p;
	report_params_default(&p);
	struct report *r = NULL;
	const char *logins[] = {"officer", "viewer", "oncall"};
	const enum br_status tiers[] = {BR_DENIED, BR_OK, BR_DENIED};
	const enum br_status waiting[] = {BR_OK, BR_OK, BR_DENIED};
	for (int i = 0; i < 3; i++) {
		session_close(&fx.s);
		cr_assert_eq(session_open(&fx.s, fx.cfg, logins[i], &why), BR_OK);
		cr_expect_eq(report_run(fx.s, REPORT_TIERS, &p, &r, &why), tiers[i], "%s tiers", logins[i]);
		report_free(&r);
		cr_expect_eq(report_run(fx.s, REPORT_WAITING, &p, &r, &why), waiting[i], "%s waiting", logins[i]);
		report_free(&r);
		cr_expect_eq(report_run(fx.s, REPORT_PICKUP, &p, &r, &why), waiting[i], "%s pickup", logins[i]);
		report_free(&r);
	}
	free(why);
}

Test(report, bad_ranges_and_filters_are_usage_errors)
{
	char *why = NULL;
	struct report_params p;
	report_params_default(&p);
	struct report *r = NULL;
	p.from = p.to + 1;
	cr_expect_eq(report_run(fx.s, REPORT_TIERS, &p, &r, &why), BR_USAGE);
	report_params_default(&p);
	strcpy(p.locality, "XX");
	cr_expect_eq(report_run(fx.s, REPORT_TIERS, &p, &r, &why), BR_USAGE);
	report_params_default(&p);
	strcpy(p.service, "ZZ");
	cr_expect_eq(report_run(fx.s, REPORT_TIERS, &p, &r, &why), BR_USAGE);
	cr_expect_null(r);
	free(why);
}

static char *written(const struct report *r, enum report_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_eq(report_write(fx.s, r, fmt, f, NULL), BR_OK);
	fclose(f);
	return buf;
}

Test(report, formats_for_a_person_and_for_a_machine)
{
	struct report *r = run(REPORT_SPEND, NULL, NULL);
	char *table = written(r, REPORT_TABLE), *csv = written(r, REPORT_CSV), *json = written(r, REPORT_JSON);
	cr_expect(strstr(table, "£660.00") != NULL, "%s", table);
	cr_expect(strstr(table, "1 Nov 2026 to 22 Nov 2026") == NULL, "spend is now: %s", table);
	cr_expect(strstr(csv, "spend,by_funding,2026-11-01,2026-11-22,,,total,3,66000,3432000,") != NULL, "%s", csv);
	cr_expect(strstr(json, "\"weekly_pence\": 66000") != NULL, "%s", json);
	free(table);
	free(csv);
	free(json);
	report_free(&r);

	r = run(REPORT_DECLINES, NULL, NULL);
	csv = written(r, REPORT_CSV);
	table = written(r, REPORT_TABLE);
	cr_expect(strstr(csv, ",\"'=Spot Shop\",") != NULL, "formula-safe: %s", csv);
	cr_expect(strstr(table, "1 Nov 2026 to 22 Nov 2026") != NULL, "%s", table);
	free(csv);
	free(table);
	report_free(&r);
}

Test(report, reading_writes_nothing_and_a_file_is_an_audited_export)
{
	const char *before = fx_query(&fx, "SELECT count(*) FROM audit");
	long n0 = atol(before);
	struct report *r = run(REPORT_MARKET, NULL, NULL);
	cr_expect_eq(atol(fx_query(&fx, "SELECT count(*) FROM audit")), n0);
	char dir[400], path[460];
	snprintf(dir, sizeof dir, "%s/out", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/market.csv", dir);
	char *why = NULL;
	cr_assert_eq(report_to_file(fx.s, r, path, &why), BR_OK, "%s", why ? why : "");
	struct stat sb;
	cr_expect_eq(stat(path, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600);
	cr_expect_eq(atol(fx_query(&fx, "SELECT count(*) FROM audit")), n0 + 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT action || ' ' || entity || ' ' || entity_id FROM audit ORDER BY id DESC LIMIT 1"),
			 "export report market");
	/* never beside the database */
	snprintf(path, sizeof path, "%s/market.csv", fx.dir);
	cr_expect_eq(report_to_file(fx.s, r, path, &why), BR_DENIED);
	free(why);
	report_free(&r);
}

Test(report, shares_and_percentiles)
{
	int64_t c[3] = {1, 1, 1}, t[3];
	report_shares(c, 3, t);
	cr_expect_eq(t[0] + t[1] + t[2], 1000);
	cr_expect_eq(t[0], 334);
	int64_t z[2] = {0, 0};
	report_shares(z, 2, t);
	cr_expect_eq(t[0] + t[1], 0);
	int64_t v[] = {2, 5, 9};
	cr_expect_eq(report_percentile(v, 3, 50), 5);
	cr_expect_eq(report_percentile(v, 3, 90), 9);
	cr_expect_eq(report_percentile(v, 1, 90), 2);
	cr_expect_eq(report_percentile(v, 0, 50), 0);
}

/* ---- cross-checks on demo data -------------------------------------------------------- */

static struct fixture demo;

static void demo_setup(void) { fx_open(&demo, 100, "supervisor"); }
static void demo_teardown(void) { fx_close(&demo); }

TestSuite(report_demo, .init = demo_setup, .fini = demo_teardown);

static struct report *drun(int which)
{
	struct report_params p;
	report_params_default(&p);
	struct report *r = NULL;
	char *why = NULL;
	cr_assert_eq(report_run(demo.s, which, &p, &r, &why), BR_OK, "%s", why ? why : "");
	return r;
}

Test(report_demo, spend_equals_the_active_calloffs)
{
	struct report *r = drun(REPORT_SPEND);
	const struct report_table *f = &r->t[1];
	cr_assert_str_eq(f->name, "by_funding");
	int64_t total = report_cell_value(f, f->nrows - 1, 2);
	cr_expect_eq(total, atoll(fx_query(&demo, "SELECT sum(weekly_cost_pence) FROM calloff WHERE status = 'active'")));
	cr_expect_gt(total, 0);
	int64_t by_service = 0;
	for (int i = 0; i < r->t[0].nrows; i++)
		by_service += report_cell_value(&r->t[0], i, 2);
	cr_expect_eq(by_service, total);
	report_free(&r);
}

Test(report_demo, market_shares_sum_to_100_and_tiers_to_the_placements)
{
	struct report *m = drun(REPORT_MARKET), *t = drun(REPORT_TIERS);
	int64_t share = 0, spend = 0, placed = 0, tiers = 0;
	for (int i = 0; i < m->t[0].nrows; i++) {
		share += report_cell_value(&m->t[0], i, 2);
		spend += report_cell_value(&m->t[0], i, 4);
		placed += report_cell_value(&m->t[0], i, 1);
	}
	cr_expect_eq(share, 1000);
	cr_expect_eq(spend, 1000);
	for (int i = 0; i < t->t[0].nrows; i++)
		tiers += report_cell_value(&t->t[0], i, 1);
	int64_t from = t->p.from;
	char iso[11], sql[400];
	date_format(from, iso);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM calloff WHERE created_at >= '%s' AND " CALLOFF_SQL_PLACED("status"), iso);
	int64_t want = atoll(fx_query(&demo, sql));
	cr_expect_gt(want, 0);
	cr_expect_eq(tiers, want);
	cr_expect_eq(placed, want);
	report_free(&m);
	report_free(&t);
}

Test(report_demo, every_report_runs_and_narrowing_changes_the_figures)
{
	for (int w = 0; w < REPORT_COUNT; w++) {
		struct report *r = drun(w);
		cr_expect_gt(r->ntables, 0, "%s", report_code(w));
		cr_expect_geq(report_chart_table(r), 0, "%s has a chart", report_code(w));
		report_free(&r);
	}
	struct report_params p;
	report_params_default(&p);
	struct report *a = NULL, *b = NULL;
	cr_assert_eq(report_run(demo.s, REPORT_TIERS, &p, &a, NULL), BR_OK);
	p.from = p.to - 6;
	cr_assert_eq(report_run(demo.s, REPORT_TIERS, &p, &b, NULL), BR_OK);
	cr_expect_lt(report_cell_value(&b->t[2], 0, 1), report_cell_value(&a->t[2], 0, 1));
	report_free(&a);
	report_free(&b);
}

static bool give_up(void *ctx)
{
	(*(int *)ctx)++;
	return true;
}

Test(report_demo, a_report_can_be_abandoned)
{
	struct report_params p;
	report_params_default(&p);
	int calls = 0;
	p.progress = give_up;
	p.ctx = &calls;
	struct report *r = NULL;
	char *why = NULL;
	cr_expect_eq(report_run(demo.s, REPORT_SPEND, &p, &r, &why), BR_DATA);
	cr_expect_null(r);
	cr_expect_gt(calls, 0);
	cr_expect(why && strstr(why, "abandoned"), "%s", why ? why : "");
	free(why);
	/* and the connection is usable afterwards */
	p.progress = NULL;
	cr_expect_eq(report_run(demo.s, REPORT_SPEND, &p, &r, NULL), BR_OK);
	report_free(&r);
}

Test(report, spend_splits_out_section_117_and_funded_nursing_care)
{
	/* c1 £200 ASC with FNC (the 2026-27 step is not in the defaults: £254.06,
	 * capped at the £200 week); c2 £360 joint 60/40 under Section 117 */
	fx_sql(&fx, "UPDATE calloff SET fnc = 1 WHERE id = 1; UPDATE calloff SET s117 = 1 WHERE id = 2");
	struct report *r = run(REPORT_SPEND, NULL, NULL);
	cr_expect_eq(val(r, "by_stream", "FNC", 1), 1);
	cr_expect_eq(val(r, "by_stream", "FNC", 2), 20000);
	cr_expect_eq(val(r, "by_stream", "FNC", 5), 20000, "the NHS pays it");
	cr_expect_eq(val(r, "by_stream", "S117", 1), 1);
	cr_expect_eq(val(r, "by_stream", "S117", 2), 36000);
	cr_expect_eq(val(r, "by_stream", "S117", 4), 21600);
	cr_expect_eq(val(r, "by_stream", "S117", 5), 14400);
	cr_expect_eq(val(r, "by_funding", "ASC", 5), 20000, "FNC is the NHS's share of a council package");
	cr_expect_eq(val(r, "by_funding", "total", 4) + val(r, "by_funding", "total", 5), 66000);
	report_free(&r);
}

/* Issue 12, finding 11: a reason is a code for machines (CSV, JSON) and
 * words for people (the screen, --format table). */
Test(report, reasons_are_words_for_people_codes_for_machines)
{
	struct report *r = run(REPORT_DECLINES, NULL, NULL);
	const struct report_table *t = table(r, "by_reason");
	int row = row_of(t, "no_staff");
	char buf[128];
	report_cell_text(t, row, 0, true, buf, sizeof buf);
	cr_expect_str_eq(buf, "no staff in the area");
	report_cell_text(t, row, 0, false, buf, sizeof buf);
	cr_expect_str_eq(buf, "no_staff");
	report_free(&r);
	r = run(REPORT_HANDBACKS, NULL, NULL);
	t = table(r, "by_reason");
	report_cell_text(t, row_of(t, "no_staff"), 0, true, buf, sizeof buf);
	cr_expect_str_eq(buf, "no staff in the area");
	report_free(&r);
}
