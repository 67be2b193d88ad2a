/* Import: every table round-trips through export, a register is built from
 * CSV alone, every rule refuses its file with the line and column, and
 * nothing is written unless everything is good. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 0, "admin"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(import, .init = setup, .fini = teardown);

static char *export_text(struct session *s, enum export_what what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	char *why = NULL;
	enum br_status st = export_run(s, what, EXPORT_CSV, out, NULL, &why);
	fclose(out);
	cr_assert_eq(st, BR_OK, "export: %s", why ? why : "");
	free(why);
	return buf;
}

/* Import text into the fixture's database; the report stays for the caller. */
static enum br_status import_text(struct session *s, enum import_what what, const char *csv,
				  bool dry_run, struct import_report *rep)
{
	struct import_options o = {.dry_run = dry_run};
	char *why = NULL;
	enum br_status st = import_buffer(s, what, "t.csv", csv, strlen(csv), &o, rep, &why);
	free(why);
	return st;
}

static void import_ok(struct session *s, enum import_what what, const char *csv, struct import_report *rep)
{
	char *why = NULL;
	struct import_options o = {0};
	enum br_status st = import_buffer(s, what, "t.csv", csv, strlen(csv), &o, rep, &why);
	cr_assert_eq(st, BR_OK, "import %s: %s; first problem: %s", import_name(what), why ? why : "",
		     rep->n_problems ? rep->problems[0] : "-");
	free(why);
}

static const char *problems_text(const struct import_report *rep)
{
	static char all[16384];
	all[0] = '\0';
	for (int i = 0; i < rep->n_problems; i++) {
		strncat(all, rep->problems[i], sizeof all - strlen(all) - 2);
		strcat(all, "\n");
	}
	return all;
}

/* ---- round trips: export from a demo database, import into an empty one,
 * export again: the same file ------------------------------------------------- */

static void round_trip(enum export_what ex, enum import_what im)
{
	struct fixture demo;
	fx_open(&demo, 20, "admin");
	char *providers = export_text(demo.s, EXPORT_PROVIDERS);
	char *first = export_text(demo.s, ex);
	struct import_report rep;
	if (im != IMPORT_PROVIDERS && im != IMPORT_SERVICE_USERS) {
		import_ok(fx.s, IMPORT_PROVIDERS, providers, &rep);
		import_report_free(&rep);
	}
	import_ok(fx.s, im, first, &rep);
	cr_expect_gt(rep.rows, 0);
	import_report_free(&rep);
	if (im == IMPORT_PROVIDERS) {
		/* the providers file's awards column is read from awards.csv,
		 * which carries the dates */
		char *awards = export_text(demo.s, EXPORT_AWARDS);
		import_ok(fx.s, IMPORT_AWARDS, awards, &rep);
		import_report_free(&rep);
		free(awards);
	}
	char *second = export_text(fx.s, ex);
	cr_expect_str_eq(second, first, "%s differs after the round trip", import_name(im));
	/* and again: nothing changes */
	import_ok(fx.s, im, first, &rep);
	cr_expect_eq(rep.unchanged, rep.rows, "%lld of %lld unchanged", rep.unchanged, rep.rows);
	cr_expect_eq(rep.added + rep.updated, 0);
	import_report_free(&rep);
	free(providers);
	free(first);
	free(second);
	fx_close(&demo);
	clock_fix(TEST_NOW);
}

Test(import, providers_round_trip) { round_trip(EXPORT_PROVIDERS, IMPORT_PROVIDERS); }
Test(import, service_users_round_trip) { round_trip(EXPORT_SERVICE_USERS, IMPORT_SERVICE_USERS); }
Test(import, awards_round_trip) { round_trip(EXPORT_AWARDS, IMPORT_AWARDS); }
Test(import, capacity_round_trip) { round_trip(EXPORT_CAPACITY, IMPORT_CAPACITY); }
Test(import, rates_round_trip) { round_trip(EXPORT_RATES, IMPORT_RATES); }
Test(import, registrations_round_trip) { round_trip(EXPORT_REGISTRATIONS, IMPORT_REGISTRATIONS); }

Test(import, the_registrations_file_alone_brings_registrations)
{
	/* the registrations file alone brings them in */
	struct fixture demo;
	fx_open(&demo, 20, "admin");
	char *regs = export_text(demo.s, EXPORT_REGISTRATIONS);
	fx_close(&demo);
	clock_fix(TEST_NOW);
	struct import_report rep;
	import_ok(fx.s, IMPORT_PROVIDERS, "id,name\n1,Premier Care\n2,Wirral Home Care Alliance\n", &rep);
	import_report_free(&rep);
	/* keep only the rows of providers 1 and 2 */
	char *keep = calloc(1, strlen(regs) + 1);
	for (char *line = strtok(regs, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "provider_id", 11) == 0 || strncmp(line, "1,", 2) == 0 || strncmp(line, "2,", 2) == 0) {
			strcat(keep, line);
			strcat(keep, "\n");
		}
	import_ok(fx.s, IMPORT_REGISTRATIONS, keep, &rep);
	cr_expect_gt(rep.added, 0);
	import_report_free(&rep);
	char *again = export_text(fx.s, EXPORT_REGISTRATIONS);
	cr_expect_str_eq(again, keep);
	free(again);
	free(keep);
	free(regs);
}

/* ---- a whole register from CSV files alone, into an empty database ------------ */

Test(import, a_register_is_built_from_csv_files_alone)
{
	/* the consortium (id 3) is named by its members before its own row */
	const char *providers =
		"name,id,cqc_location_id,cqc_rating,status,consortium,registrations,localities,phone\r\n"
		"Premier Care,1,1-100007919,Good,active,,HC/LD;HC/PD,WAL;BIR,0151 000 0001\r\n"
		"Community Caring,2,1-100000002,Outstanding,active,Wirral Home Care Alliance,HC/PD,WW,\r\n"
		"Wirral Home Care Alliance,3,,Good,active,,HC/LD;HC/PD,WAL;BIR;WW;SW,\r\n"
		"Haven Care,4,1-100000004,Requires improvement,active,,HC/PD,SW;WW,\r\n"
		"Care Connect,,1-100000005,Not yet rated,active,,HC/PD,WAL;BIR;WW;SW,\r\n";
	const char *awards =
		"service,locality,provider_id,tier,valid_from,valid_to\r\n"
		"HC,WAL,1,primary,2019-04-01,\r\n"
		"HC,WAL,3,secondary,2019-04-01,\r\n"
		"HC,WW,3,primary,2019-04-01,\r\n"
		"HC,WW,4,secondary,2019-04-01,\r\n"
		"HC,,5,peripheral,2019-04-01,\r\n";
	const char *capacity =
		"provider_id,service,locality,free\r\n1,HC,WAL,100\r\n3,HC,WAL,40\r\n5,HC,WAL,10\r\n";
	const char *rates =
		"provider_id,provider,service,valid_from,pence\r\n"
		"1,Premier Care,HC,2019-04-01,1560\r\n1,Premier Care,HC,2026-04-01,2150\r\n"
		"3,,HC,2019-04-01,1600\r\n5,,HC,2019-04-01,1700\r\n";
	const char *registrations = "provider_id,service,need\r\n4,HC,LD\r\n5,HC,LD\r\n";
	const char *people =
		"\xEF\xBB\xBF" "ref,nhs_number,family_name,given_name,date_of_birth,postcode,locality,primary_need,other_needs\r\n"
		"SU1,9434765919,O'Neill,Siân,1950-03-01,CH45 1AA,WAL,LD,PD;AUT\r\n"
		"SU2,,Nowak,Zoë,1962-12-24,CH41 2BB,BIR,PD,\r\n";
	struct import_report rep;
	const struct { enum import_what w; const char *csv; long long added; } steps[] = {
		{IMPORT_PROVIDERS, providers, 5}, {IMPORT_AWARDS, awards, 5}, {IMPORT_CAPACITY, capacity, 3},
		{IMPORT_RATES, rates, 4}, {IMPORT_REGISTRATIONS, registrations, 2},
		{IMPORT_SERVICE_USERS, people, 2},
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		import_ok(fx.s, steps[i].w, steps[i].csv, &rep);
		cr_expect_eq(rep.added, steps[i].added, "%s: %lld added", import_name(steps[i].w), rep.added);
		import_report_free(&rep);
	}
	cr_expect_str_eq(fx_query(&fx, "SELECT consortium_id FROM provider WHERE id = 2"), "3");
	cr_expect_str_eq(fx_query(&fx, "SELECT is_consortium FROM provider WHERE id = 3"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT id FROM provider WHERE name = 'Care Connect'"), "5");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(need, ',') FROM (SELECT need FROM "
				       "service_user_need n JOIN service_user u ON u.id = n.user_id "
				       "WHERE u.ref = 'SU1' ORDER BY need)"), "AUT,PD");
	cr_expect_str_eq(fx_query(&fx, "SELECT family_fold || '/' || given_fold || '/' || postcode_key "
				       "FROM service_user WHERE ref = 'SU1'"), "oneill/sian/CH451AA");
	/* the register works: a request for SU1 is offered to the primary first */
	struct session *officer = NULL;
	char *why = NULL;
	cr_assert_eq(session_open(&officer, fx.cfg, "officer", &why), BR_OK, "%s", why ? why : "");
	struct request_input in = {.units = 10, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-12-01");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t req = 0;
	cr_assert_eq(request_create(officer, &in, &req, &why), BR_OK, "%s", why ? why : "");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(officer, req, &m, &why), BR_OK, "%s", why ? why : "");
	cr_assert_gt(m->n_offerable, 0);
	cr_expect_str_eq(m->rows[0].name, "Premier Care");
	cr_expect_str_eq(m->rows[0].tier, "primary");
	cr_expect_eq(m->rows[0].unit_rate, 2150, "the rate in force on the start date");
	match_free(&m);
	session_close(&officer);
	free(why);
}

/* ---- every rule refuses its file ------------------------------------------------- */

struct refusal {
	enum import_what what;
	const char *csv;
	const char *expect; /* a part of the problem line */
};

static const struct refusal refusals[] = {
	/* the header */
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,shoe_size\n",
	 "t.csv:1: column \"shoe_size\" is not a column of service-users"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality\nX,A,B,1950-01-01,WAL\n",
	 "t.csv:1: column primary_need is missing"},
	{IMPORT_PROVIDERS, "name,name\nA,B\n", "t.csv:1: column \"name\" is named twice"},
	{IMPORT_PROVIDERS, "", "t.csv:1: no header row"},
	/* the CSV itself */
	{IMPORT_PROVIDERS, "name,phone\nA,1\nB\n", "t.csv:3: 1 fields where the header names 2"},
	{IMPORT_PROVIDERS, "name,phone\nA,1\n\"B,2\n", "t.csv:3: not CSV: a quoted field is never closed"},
	{IMPORT_PROVIDERS, "name,phone\nA,1\nB\"x,2\n", "t.csv:3: not CSV: a quote in the wrong place"},
	{IMPORT_PROVIDERS, "name,phone\n\"A\nB\",1\nC\xff,2\n", "t.csv:4: column name: \"C?\" is not text"},
	{IMPORT_PROVIDERS, "name,phone\n\"A\nB\",1\n", "t.csv:2: column name: \"A?B\" is not text"},
	/* service users */
	{IMPORT_SERVICE_USERS, "ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,9434765918,A,B,1950-01-01,WAL,LD\n",
	 "t.csv:2: column nhs_number: \"9434765918\" is not an NHS number"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,A,B,1950-02-30,WAL,LD\n", "column date_of_birth: \"1950-02-30\" is not a date"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,A,B,2027-01-01,WAL,LD\n", "is in the future"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,A,B,1950-01-01,XX,LD\n", "column locality: \"XX\" is not a locality of the config (WAL, BIR, WW, SW)"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,A,B,1950-01-01,WAL,ASD\n", "column primary_need: \"ASD\" is not a needs group"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,other_needs\n"
	 "SU9,A,B,1950-01-01,WAL,LD,PD;XX\n", "column other_needs: \"PD;XX\" is not a list of needs groups"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,other_needs\n"
	 "SU9,A,B,1950-01-01,WAL,LD,PD;LD\n", "column other_needs: \"LD;PD\" names LD, which is already the primary need"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,status\n"
	 "SU9,A,B,1950-01-01,WAL,LD,dead\n", "column status: \"dead\" is not a status"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,funding\n"
	 "SU9,A,B,1950-01-01,WAL,LD,NHS\n", "column funding: \"NHS\" is not a funding stream"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,restricted\n"
	 "SU9,A,B,1950-01-01,WAL,LD,yes\n", "column restricted: \"yes\" is not 0 or 1"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,forensic\n"
	 "SU9,A,B,1950-01-01,WAL,LD,1\n", "column forensic: \"1\" is not allowed: the forensic flag is for a primary need of MH or DD"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,postcode\n"
	 "SU9,A,B,1950-01-01,WAL,LD,CH4<5\n", "column postcode: \"CH4<5\" is not a postcode"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU9,,B,1950-01-01,WAL,LD\n", "column family_name: \"\" is empty"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU12345678901234567,A,B,1950-01-01,WAL,LD\n", "column ref: \"SU12345678901234567\" is longer than 16"},
	{IMPORT_SERVICE_USERS, "ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU8,9434765919,A,B,1950-01-01,WAL,LD\nSU9,943 476 5919,C,D,1951-01-01,WAL,LD\n",
	 "t.csv:3: column nhs_number: \"9434765919\" is already on line 2"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU8,A,B,1950-01-01,WAL,LD\nSU8,C,D,1951-01-01,WAL,LD\n", "t.csv:3: column ref: \"SU8\" is already on line 2"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU8,O'Neill,Siân,1950-01-01,WAL,LD\nSU9,ONeill,Sian,1950-01-01,BIR,PD\n",
	 "t.csv:3: column family_name: \"ONeill\" is not a new person: the same name and date of birth as line 2"},
	{IMPORT_SERVICE_USERS, "ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU8,9434765919,Smith,Ann,1950-01-01,WAL,LD\n",
	 "column nhs_number: \"9434765919\" is not free: it is SU1's NHS number"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
	 "SU8,Jones,Mary,1940-05-06,WAL,LD\n",
	 "column family_name: \"Jones\" is not a new person: SU1 has the same name and date of birth"},
	{IMPORT_SERVICE_USERS, "ref,family_name,given_name,date_of_birth,locality,primary_need,status\n"
	 "SU2,Open,Request,1945-01-01,WAL,PD,closed\n", "has open requests or live call-offs"},
	/* providers */
	{IMPORT_PROVIDERS, "name,cqc_rating\nA,Goood\n", "t.csv:2: column cqc_rating: \"Goood\" is not a CQC rating"},
	{IMPORT_PROVIDERS, "name,cqc_location_id\nA,CQC-1\n", "column cqc_location_id: \"CQC-1\" is not a CQC location id"},
	{IMPORT_PROVIDERS, "name,status\nA,closed\n", "column status: \"closed\" is not a status"},
	{IMPORT_PROVIDERS, "name,status\nA,suspended\n", "column suspended_reason: \"\" is empty: a suspended provider needs the reason"},
	{IMPORT_PROVIDERS, "name,status,suspended_reason,suspended_on\nA,suspended,why,yesterday\n",
	 "column suspended_on: \"yesterday\" is not a date"},
	{IMPORT_PROVIDERS, "name,status\nA,left\n", "column left_on: \"\" is not a date"},
	{IMPORT_PROVIDERS, "name,registrations\nA,HC/LD;XX/LD\n", "is not a list of registrations"},
	{IMPORT_PROVIDERS, "name,localities\nA,WAL;;BIR\n", "column localities: \"WAL;;BIR\" has an empty item"},
	{IMPORT_PROVIDERS, "name,consortium\nA,Nobody Ltd\n", "column consortium: \"Nobody Ltd\" is not a provider in this file or the database"},
	{IMPORT_PROVIDERS, "name,consortium\nA,A\n", "a provider cannot be its own consortium"},
	{IMPORT_PROVIDERS, "id,name\n7,A\n7,B\n", "t.csv:3: column id: \"7\" is already on line 2"},
	{IMPORT_PROVIDERS, "id,name\nx7,A\n", "column id: \"x7\" is not an id"},
	{IMPORT_PROVIDERS, "id,name,cqc_location_id\n9,A,1-100007919\n", "column id: \"9\" is not the id of CQC location 1-100007919"},
	{IMPORT_PROVIDERS, "id,name,status,suspended_reason,suspended_on\n1,Premier Care,suspended,concern,2026-11-01\n",
	 "use brokerage provider suspend, reinstate or leave"},
	/* awards */
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHC,WAL,1,tertiary,2019-04-01\n",
	 "column tier: \"tertiary\" is not a tier"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHCX,WAL,1,primary,2019-04-01\n",
	 "column service: \"HCX\" is not a service"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHC,WAL,1,peripheral,2019-04-01\n",
	 "a peripheral award covers the whole borough"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHC,,1,primary,2019-04-01\n",
	 "column locality: \"\" is not a locality"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHC,WAL,99,primary,2019-04-01\n",
	 "column provider_id: \"99\" is not a provider in the database"},
	{IMPORT_AWARDS, "service,locality,provider_id,provider,tier,valid_from\nHC,WAL,1,Premier Carers,primary,2019-04-01\n",
	 "column provider: \"Premier Carers\" is not the name of provider 1"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from,valid_to\nHC,WAL,1,primary,2019-04-01,2018-01-01\n",
	 "column valid_to: \"2018-01-01\" is not on or after valid_from"},
	{IMPORT_AWARDS, "service,locality,provider_id,tier,valid_from\nHC,WAL,1,primary,2019-04-01\nHC,WAL,1,primary,2019-04-01\n",
	 "t.csv:3: column valid_from: \"2019-04-01\" is not a new award: line 2"},
	/* capacity, rates, registrations */
	{IMPORT_CAPACITY, "provider_id,service,locality,free\n1,HC,WAL,-3\n", "column free: \"-3\" is not a number of units free"},
	{IMPORT_CAPACITY, "provider_id,service,locality,free,updated_at\n1,HC,WAL,3,noon\n", "column updated_at: \"noon\" is not a time"},
	{IMPORT_CAPACITY, "provider_id,service,locality,free\n1,HC,WAL,3\n1,HC,WAL,4\n",
	 "t.csv:3: column locality: \"WAL\" is not new: line 2"},
	{IMPORT_RATES, "provider_id,service,valid_from,pence\n1,HC,2026-04-01,£21.50\n", "column pence: \"£21.50\" is not money in whole pence"},
	{IMPORT_RATES, "provider_id,service,valid_from,pence\n1,HC,2026-04-01,0\n", "column pence: \"0\" is not money"},
	{IMPORT_RATES, "provider_id,service,valid_from,pence\n1,HC,April,2150\n", "column valid_from: \"April\" is not a date"},
	{IMPORT_REGISTRATIONS, "provider_id,service,need\n1,HC,ASD\n", "column need: \"ASD\" is not a needs group"},
	{IMPORT_REGISTRATIONS, "provider_id,service,need\n,HC,LD\n", "column provider_id: \"\" is empty"},
};

/* A small register the refusals can refer to. */
static void small_register(void)
{
	struct import_report rep;
	import_ok(fx.s, IMPORT_PROVIDERS, "id,name,cqc_location_id\n1,Premier Care,1-100007919\n", &rep);
	import_report_free(&rep);
	import_ok(fx.s, IMPORT_SERVICE_USERS,
		  "ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n"
		  "SU1,9434765919,Jones,Mary,1940-05-06,WAL,LD\nSU2,,Open,Request,1945-01-01,WAL,PD\n", &rep);
	import_report_free(&rep);
	fx_sql(&fx, "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, "
		    "funding, asc_pct, created_at, created_by, opened_at) SELECT id, 'HC', 'WAL', 5, "
		    "'2026-12-01', 'routine', 'ASC', 100, 'x', 'admin', 'x' FROM service_user WHERE ref = 'SU2'");
}

Test(import, every_rule_refuses_its_file_and_writes_nothing)
{
	small_register();
	const char *count_sql =
		"SELECT (SELECT count(*) FROM provider) || '/' || (SELECT count(*) FROM service_user) || '/' || "
		"(SELECT count(*) FROM award) || '/' || (SELECT count(*) FROM capacity) || '/' || "
		"(SELECT count(*) FROM rate) || '/' || (SELECT count(*) FROM registration) || '/' || "
		"(SELECT count(*) FROM audit)";
	char before[128];
	snprintf(before, sizeof before, "%s", fx_query(&fx, count_sql));
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		struct import_report rep;
		enum br_status st = import_text(fx.s, refusals[i].what, refusals[i].csv, false, &rep);
		cr_expect_eq(st, BR_DATA, "case %zu (%s) was not refused", i, refusals[i].expect);
		cr_expect_not_null(strstr(problems_text(&rep), refusals[i].expect),
				   "case %zu: wanted \"%s\", got:\n%s", i, refusals[i].expect, problems_text(&rep));
		import_report_free(&rep);
	}
	cr_expect_str_eq(fx_query(&fx, count_sql), before, "nothing was written");
}

Test(import, every_problem_is_reported_in_file_order_and_it_stops_at_100)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	fputs("ref,family_name,given_name,date_of_birth,locality,primary_need\n", f);
	for (int i = 0; i < 60; i++)
		fprintf(f, "SU%d,A%d,B,1950-01-01,WAL,XX\nSU%dx,C%d,D,1950-13-01,WAL,LD\n", i, i, i, i);
	fclose(f);
	struct import_report rep;
	cr_expect_eq(import_text(fx.s, IMPORT_SERVICE_USERS, csv, false, &rep), BR_DATA);
	cr_expect_eq(rep.n_problems, IMPORT_MAX_PROBLEMS);
	cr_expect(rep.more_problems);
	cr_expect_str_eq(rep.problems[0], "t.csv:2: column primary_need: \"XX\" is not a needs group (LD, AUT, MH, ABI, PD, DD)");
	cr_expect_not_null(strstr(rep.problems[1], "t.csv:3: column date_of_birth: \"1950-13-01\" is not a date"));
	import_report_free(&rep);
	free(csv);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "0");
}

Test(import, bom_crlf_any_column_order_and_quoting)
{
	struct import_report rep;
	import_ok(fx.s, IMPORT_SERVICE_USERS,
		  "\xEF\xBB\xBFprimary_need,locality,date_of_birth,given_name,family_name,ref\r\n"
		  "LD,WAL,1950-01-01,\"Ann, \"\"Nan\"\"\",\"Smith\",SU1\r\n"
		  "\r\n"
		  "PD,BIR,1960-01-01,Bob,Jones,SU2", &rep);
	cr_expect_eq(rep.added, 2);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT given_name FROM service_user WHERE ref = 'SU1'"), "Ann, \"Nan\"");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || funding || forensic FROM service_user WHERE ref = 'SU2'"),
			 "activeASC0");
	/* a record over two lines still counts its lines right */
	cr_expect_eq(import_text(fx.s, IMPORT_PROVIDERS, "name,phone\r\n\"Two\r\nLines\",1\r\nB,2\r\nC,\"3\"x\r\n",
				 false, &rep), BR_DATA);
	cr_expect_str_eq(rep.problems[0], "t.csv:2: column name: \"Two??Lines\" is not text: it has a control "
					   "character or is not UTF-8");
	cr_expect_not_null(strstr(rep.problems[1], "t.csv:5: not CSV"), "%s", rep.problems[1]);
	import_report_free(&rep);
}

Test(import, the_formula_guard_round_trips)
{
	struct import_report rep;
	/* as written by export: a ' before = + - @ is taken off; any other ' stays */
	import_ok(fx.s, IMPORT_SERVICE_USERS,
		  "ref,family_name,given_name,date_of_birth,locality,primary_need,postcode\n"
		  "SU1,\"'=HYPERLINK(\"\"x\"\")\",'+1,1950-01-01,WAL,LD,\n"
		  "SU2,O'Neill,'Ann,1950-01-01,WAL,LD,\n"
		  "SU3,\"''=x\",'-,1950-01-01,WAL,LD,\n", &rep);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT family_name || '|' || given_name FROM service_user WHERE ref = 'SU1'"),
			 "=HYPERLINK(\"x\")|+1");
	cr_expect_str_eq(fx_query(&fx, "SELECT family_name || '|' || given_name FROM service_user WHERE ref = 'SU2'"),
			 "O'Neill|'Ann");
	cr_expect_str_eq(fx_query(&fx, "SELECT family_name || '|' || given_name FROM service_user WHERE ref = 'SU3'"),
			 "'=x|-");
	/* and export then import gives the same values back */
	char *first = export_text(fx.s, EXPORT_SERVICE_USERS);
	cr_expect_not_null(strstr(first, ",\"''=x\","), "a value starting ' = is guarded too: %s", first);
	struct fixture other;
	fx_open(&other, 0, "admin");
	import_ok(other.s, IMPORT_SERVICE_USERS, first, &rep);
	import_report_free(&rep);
	char *second = export_text(other.s, EXPORT_SERVICE_USERS);
	cr_expect_str_eq(second, first);
	cr_expect_str_eq(fx_query(&other, "SELECT family_name FROM service_user WHERE ref = 'SU3'"), "'=x");
	free(first);
	free(second);
	fx_close(&other);
	clock_fix(TEST_NOW);
}

Test(import, updates_are_keyed_by_reference_and_cqc_location_and_audited)
{
	small_register();
	struct import_report rep;
	import_ok(fx.s, IMPORT_SERVICE_USERS,
		  "ref,family_name,given_name,date_of_birth,locality,primary_need,postcode\n"
		  "SU1,Jones,Mary,1940-05-06,BIR,LD,CH41 1AA\n"
		  "SU3,New,Person,1990-01-01,SW,AUT,\n", &rep);
	cr_expect_eq(rep.added, 1);
	cr_expect_eq(rep.updated, 1);
	import_report_free(&rep);
	/* a column left out keeps its value */
	cr_expect_str_eq(fx_query(&fx, "SELECT nhs_number || locality || postcode_key FROM service_user WHERE ref = 'SU1'"),
			 "9434765919BIRCH411AA");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action || ' ' || detail FROM audit "
				       "WHERE action = 'person.import' ORDER BY id DESC LIMIT 1 OFFSET 1"),
			 "admin person.import updated from t.csv line 2: postcode,locality");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "t.csv: 1 added, 1 updated, 0 unchanged");
	/* a provider found by its CQC location id, without an id column */
	import_ok(fx.s, IMPORT_PROVIDERS, "name,cqc_location_id,cqc_rating\nPremier Care Ltd,1-100007919,good\n", &rep);
	cr_expect_eq(rep.updated, 1);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT id || name || cqc_rating FROM provider"), "1Premier Care LtdGood");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'provider.import'"), "2");
	/* a kept id */
	import_ok(fx.s, IMPORT_PROVIDERS, "id,name\n500,Far Away Care\n", &rep);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT name FROM provider WHERE id = 500"), "Far Away Care");
}

Test(import, a_dry_run_says_the_same_and_writes_nothing)
{
	const char *csv = "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
			  "SU1,A,B,1950-01-01,WAL,LD\nSU2,C,D,1950-01-01,WAL,LD\n";
	const char *audit = fx_query(&fx, "SELECT count(*) FROM audit");
	char audit_before[16];
	snprintf(audit_before, sizeof audit_before, "%s", audit);
	struct import_report rep;
	cr_expect_eq(import_text(fx.s, IMPORT_SERVICE_USERS, csv, true, &rep), BR_OK);
	cr_expect_eq(rep.added, 2);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit"), audit_before);
	import_ok(fx.s, IMPORT_SERVICE_USERS, csv, &rep);
	cr_expect_eq(rep.added, 2);
	import_report_free(&rep);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "2");
}

Test(import, only_admins_import)
{
	const char *csv = "name\nA\n";
	static const char *const logins[] = {"officer", "supervisor", "viewer", "oncall"};
	for (size_t i = 0; i < 4; i++) {
		struct session *s = NULL;
		char *why = NULL;
		cr_assert_eq(session_open(&s, fx.cfg, logins[i], &why), BR_OK, "%s", why ? why : "");
		struct import_report rep;
		cr_expect_eq(import_text(s, IMPORT_PROVIDERS, csv, false, &rep), BR_DENIED, "%s", logins[i]);
		import_report_free(&rep);
		session_close(&s);
	}
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM provider"), "0");
}

Test(import, a_missing_file_is_no_input)
{
	struct import_report rep;
	char *why = NULL;
	cr_expect_eq(import_file(fx.s, IMPORT_PROVIDERS, "/nonexistent/p.csv", NULL, &rep, &why), BR_NOINPUT);
	cr_expect_not_null(why && strstr(why, "/nonexistent/p.csv"));
	free(why);
}

static int progress_calls;
static double progress_last;
static void count_progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	(void)stage;
	progress_calls++;
	progress_last = done;
}

Test(import, a_long_file_reports_progress_and_a_short_one_does_not)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	fputs("ref,family_name,given_name,date_of_birth,locality,primary_need\n", f);
	for (int i = 0; i < 10000; i++)
		fprintf(f, "SU%d,Family%d,Given,1950-01-01,WAL,LD\n", i, i);
	fclose(f);
	struct import_options o = {.dry_run = true, .progress = count_progress};
	struct import_report rep;
	char *why = NULL;
	cr_assert_eq(import_buffer(fx.s, IMPORT_SERVICE_USERS, "t.csv", csv, len, &o, &rep, &why), BR_OK,
		     "%s", why ? why : "");
	cr_expect_eq(rep.added, 10000);
	cr_expect_eq(progress_calls, 10, "a step each 1,000 rows from the 2,000th, and the end");
	cr_expect_eq(progress_last, 1.0);
	import_report_free(&rep);
	free(csv);
	progress_calls = 0;
	const char *small = "ref,family_name,given_name,date_of_birth,locality,primary_need\nSU1,A,B,1950-01-01,WAL,LD\n";
	cr_assert_eq(import_buffer(fx.s, IMPORT_SERVICE_USERS, "t.csv", small, strlen(small), &o, &rep, &why), BR_OK);
	cr_expect_eq(progress_calls, 0);
	import_report_free(&rep);
	free(why);
}

/* The register's rules are one: for each field of a person, the words
 * person add (the command line and the Person form) refuses a value with
 * are the words the importer refuses the same value in its column with. */
Test(import, a_person_is_refused_in_the_same_words_as_person_add)
{
	static const struct { int field; const char *col, *value; } cases[] = {
		{PERSON_NHS, "nhs_number", "9434765918"}, {PERSON_DOB, "date_of_birth", "1950-02-30"},
		{PERSON_DOB, "date_of_birth", "2031-01-01"}, {PERSON_POSTCODE, "postcode", "CH4<5"},
		{PERSON_LOCALITY, "locality", "XX"}, {PERSON_NEED, "primary_need", "ASD"},
		{PERSON_FUNDING, "funding", "NHS"}, {PERSON_FORENSIC, "forensic", "1"},
		{PERSON_OTHER_NEEDS, "other_needs", "LD"}, {PERSON_GIVEN, "given_name", "A\x01"},
	};
	char *why = NULL;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct person_input in = {.nhs = "9434765919", .family = "Smith", .given = "Ann",
					  .dob = "1950-01-01", .postcode = "CH41 5LH", .locality = "WAL",
					  .need = "LD"};
		const char *v = cases[i].value;
		switch (cases[i].field) {
		case PERSON_NHS: snprintf(in.nhs, sizeof in.nhs, "%s", v); break;
		case PERSON_DOB: snprintf(in.dob, sizeof in.dob, "%s", v); break;
		case PERSON_POSTCODE: snprintf(in.postcode, sizeof in.postcode, "%s", v); break;
		case PERSON_LOCALITY: snprintf(in.locality, sizeof in.locality, "%s", v); break;
		case PERSON_NEED: snprintf(in.need, sizeof in.need, "%s", v); break;
		case PERSON_FUNDING: snprintf(in.funding, sizeof in.funding, "%s", v); break;
		case PERSON_FORENSIC: in.forensic = true; break;
		case PERSON_OTHER_NEEDS: snprintf(in.other_needs, sizeof in.other_needs, "%s", v); break;
		case PERSON_GIVEN: snprintf(in.given, sizeof in.given, "%s", v); break;
		}
		char ref[17], warning[160];
		cr_expect_eq(person_add(fx.s, &in, ref, warning, &why), BR_DATA, "case %zu", i);
		/* the rule's words: what follows the quoted value */
		const char *words = why ? strstr(why, "\" ") : NULL;
		cr_assert_not_null(words, "case %zu: %s", i, why ? why : "");
		char csv[1200];
		snprintf(csv, sizeof csv,
			 "ref,nhs_number,family_name,given_name,date_of_birth,postcode,locality,primary_need,"
			 "other_needs,forensic,funding\nSU9,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n",
			 in.nhs, in.family, in.given, in.dob, in.postcode, in.locality, in.need, in.other_needs,
			 in.forensic, in.funding);
		struct import_report rep;
		cr_expect_eq(import_text(fx.s, IMPORT_SERVICE_USERS, csv, true, &rep), BR_DATA, "case %zu", i);
		char line[900];
		snprintf(line, sizeof line, "column %s: \"%s%s", cases[i].col,
			 cases[i].field == PERSON_GIVEN ? "A?" : cases[i].field == PERSON_FORENSIC ? "1" : v, words);
		cr_expect_not_null(strstr(problems_text(&rep), line), "case %zu: person add said\n  %s\nthe importer:\n%s",
				   i, why, problems_text(&rep));
		import_report_free(&rep);
		br_free_str(&why);
	}
}

/* And a provider: provider add's words are the importer's. */
Test(import, a_provider_is_refused_in_the_same_words_as_provider_add)
{
	static const struct { int field; const char *col, *value, *shown; } cases[] = {
		{PROVIDER_CQC, "cqc_location_id", "CQC-1", "CQC-1"},
		{PROVIDER_RATING, "cqc_rating", "Goood", "Goood"},
		{PROVIDER_PHONE, "phone", "0151\x1b[2J", "0151?[2J"},
		{PROVIDER_NAME, "name", "Care\x7f", "Care?"},
	};
	char *why = NULL;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct provider_input in = {.name = "Quite New Care"};
		const char *v = cases[i].value;
		switch (cases[i].field) {
		case PROVIDER_CQC: snprintf(in.cqc, sizeof in.cqc, "%s", v); break;
		case PROVIDER_RATING: snprintf(in.rating, sizeof in.rating, "%s", v); break;
		case PROVIDER_PHONE: snprintf(in.phone, sizeof in.phone, "%s", v); break;
		case PROVIDER_NAME: snprintf(in.name, sizeof in.name, "%s", v); break;
		}
		int64_t id;
		cr_expect_eq(provider_add(fx.s, &in, &id, &why), BR_DATA, "case %zu", i);
		const char *words = why ? strstr(why, "\" ") : NULL;
		cr_assert_not_null(words, "case %zu: %s", i, why ? why : "");
		char csv[1200];
		snprintf(csv, sizeof csv, "name,cqc_location_id,cqc_rating,phone\n%s,%s,%s,%s\n", in.name, in.cqc,
			 in.rating, in.phone);
		struct import_report rep;
		cr_expect_eq(import_text(fx.s, IMPORT_PROVIDERS, csv, true, &rep), BR_DATA, "case %zu", i);
		char line[900];
		snprintf(line, sizeof line, "column %s: \"%s%s", cases[i].col, cases[i].shown, words);
		cr_expect_not_null(strstr(problems_text(&rep), line),
				   "case %zu: provider add said\n  %s\nthe importer:\n%s", i, why, problems_text(&rep));
		import_report_free(&rep);
		br_free_str(&why);
	}
}

/* issue 27, finding 12: rows are checked and written a batch at a time;
 * a row still knows every row before it, in any batch, and a fault in the
 * last batch still writes nothing */
Test(import, a_streamed_file_finds_a_duplicate_batches_apart_and_writes_nothing)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	fputs("ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n", f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "ST%d,,Family%d,Given,1950-01-01,WAL,LD\n", i, i);
	fputs("ST7,,Someone,Else,1960-01-01,WAL,LD\n", f);        /* line 5002: ST7 is on line 9 */
	fputs("ST9999,,Family12,Given,1950-01-01,WAL,LD\n", f);   /* line 5003: the person on line 14 */
	fclose(f);
	struct import_report rep;
	char *why = NULL;
	cr_assert_eq(import_buffer(fx.s, IMPORT_SERVICE_USERS, "t.csv", csv, len, NULL, &rep, &why), BR_DATA);
	cr_expect_eq(rep.rows, 5002);
	cr_assert_eq(rep.n_problems, 2);
	cr_expect_str_eq(rep.problems[0], "t.csv:5002: column ref: \"ST7\" is already on line 9");
	cr_expect_str_eq(rep.problems[1], "t.csv:5003: column family_name: \"Family12\" is not a new person: "
					  "the same name and date of birth as line 14");
	cr_expect_eq(rep.added, 0);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE ref LIKE 'ST%'"), "0",
			 "the batches written before the fault are rolled back");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'person.import'"), "0");
	import_report_free(&rep);
	br_free_str(&why);
	free(csv);
}

/* a providers file is read whole (a consortium may come after its members):
 * past IMPORT_WHOLE_ROWS rows it is refused in one line, nothing written */
Test(import, a_providers_file_past_its_bound_is_refused)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	fputs("name\n", f);
	for (int i = 0; i < 20001; i++)
		fprintf(f, "Provider %d\n", i);
	fclose(f);
	struct import_report rep;
	char *why = NULL;
	cr_assert_eq(import_buffer(fx.s, IMPORT_PROVIDERS, "p.csv", csv, len, NULL, &rep, &why), BR_DATA);
	cr_assert_eq(rep.n_problems, 1);
	cr_expect_str_eq(rep.problems[0], "p.csv:20002: more than 20000 rows: a providers file is read whole; split it");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM provider WHERE name LIKE 'Provider %'"), "0");
	import_report_free(&rep);
	br_free_str(&why);
	free(csv);
}

/* a record with no end (a quote never closed, or one enormous field) is
 * refused at 1 MiB, in one line, not held whole in memory */
Test(import, a_record_past_a_mebibyte_is_refused)
{
	size_t len = 3 * 1024 * 1024;
	char *csv = malloc(len);
	cr_assert_not_null(csv);
	const char *head = "ref,family_name,given_name,date_of_birth,locality,primary_need\nSU1,\"";
	memcpy(csv, head, strlen(head));
	memset(csv + strlen(head), 'x', len - strlen(head));
	struct import_report rep;
	char *why = NULL;
	cr_assert_eq(import_buffer(fx.s, IMPORT_SERVICE_USERS, "t.csv", csv, len, NULL, &rep, &why), BR_DATA);
	cr_assert_eq(rep.n_problems, 1);
	cr_expect_str_eq(rep.problems[0], "t.csv:2: a record longer than 1048576 bytes: not a register's row "
					  "(a quote never closed?)");
	import_report_free(&rep);
	br_free_str(&why);
	free(csv);
}
