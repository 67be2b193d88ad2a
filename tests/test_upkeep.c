/* Keeping the register true: capacity reported, rates changed, a person
 * added. One transaction each with its audit row; roles as DESIGN §1. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup(void)
{
	fx_open(&fx, 0, "admin");
	struct import_report rep;
	const char *p = "id,name,cqc_location_id,registrations,localities\n"
			"1,Premier Care,1-100007919,HC/LD,WAL;BIR\n2,Haven Care,1-100000002,HC/LD,SW\n";
	char *why = NULL;
	cr_assert_eq(import_buffer(fx.s, IMPORT_PROVIDERS, "p.csv", p, strlen(p), NULL, &rep, &why), BR_OK,
		     "%s", why ? why : "");
	import_report_free(&rep);
	free(why);
}
static void teardown(void) { fx_close(&fx); }

TestSuite(upkeep, .init = setup, .fini = teardown);

static struct session *as(const char *login)
{
	struct session *s = NULL;
	char *why = NULL;
	cr_assert_eq(session_open(&s, fx.cfg, login, &why), BR_OK, "%s", why ? why : "");
	return s;
}

static const char *audit_count(void)
{
	return fx_query(&fx, "SELECT count(*) FROM audit");
}

Test(upkeep, capacity_is_reported_with_its_day_and_audited)
{
	char *why = NULL;
	int64_t was = 0;
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 40, &was, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(was, -1, "no figure before");
	cr_expect_str_eq(fx_query(&fx, "SELECT free || ' ' || reported_on || ' ' || updated_at FROM capacity "
				       "JOIN capacity_report USING (provider_id, service, locality)"),
			 "40 2026-11-22 2026-11-22T10:00:00Z");
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 25, &was, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(was, 40);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity"), "25");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action || ' ' || entity_id || ' ' || detail "
				       "FROM audit ORDER BY id DESC LIMIT 1"),
			 "admin capacity.set 1/HC/WAL free 25 (was 40), reported 2026-11-22");
	/* placing a package moves the figure, not the day it was reported */
	clock_fix(TEST_NOW + 3 * 86400);
	fx_sql(&fx, "UPDATE capacity SET free = free - 5, updated_at = '2026-11-25T09:00:00Z'");
	cr_expect_str_eq(fx_query(&fx, "SELECT free || ' ' || reported_on FROM capacity "
				       "JOIN capacity_report USING (provider_id, service, locality)"), "20 2026-11-22");
	clock_fix(TEST_NOW);
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 25, &was, &why), BR_OK, "%s", why ? why : "");
	/* the provider detail shows the day */
	struct provider_detail *d = NULL;
	cr_assert_eq(provider_detail_get(fx.s->store, 1, &d, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(d->n_capacity, 1);
	cr_expect_str_eq(d->capacity[0].reported, "2026-11-22");
	provider_detail_free(&d);
	/* it goes out and comes back with its day */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	cr_assert_eq(export_run(fx.s, EXPORT_CAPACITY, EXPORT_CSV, out, NULL, &why), BR_OK);
	fclose(out);
	cr_expect_not_null(strstr(buf, "provider_id,provider,service,locality,free,reported_on,updated_at\r\n"
				       "1,Premier Care,HC,WAL,25,2026-11-22,2026-11-22T10:00:00Z\r\n"), "%s", buf);
	free(buf);
	free(why);
}

Test(upkeep, capacity_set_refuses_bad_input_and_other_roles)
{
	char before[16];
	snprintf(before, sizeof before, "%s", audit_count());
	char *why = NULL;
	cr_expect_eq(capacity_set(fx.s, 1, "HCX", "WAL", 4, NULL, &why), BR_DATA);
	cr_expect_eq(capacity_set(fx.s, 1, "HC", "XX", 4, NULL, &why), BR_DATA);
	cr_expect_eq(capacity_set(fx.s, 1, "HC", "WAL", -1, NULL, &why), BR_DATA);
	cr_expect_eq(capacity_set(fx.s, 99, "HC", "WAL", 4, NULL, &why), BR_NOTFOUND);
	cr_expect_not_null(why && strstr(why, "provider 99"));
	static const char *const others[] = {"officer", "supervisor", "viewer", "oncall"};
	for (int i = 0; i < 4; i++) {
		struct session *s = as(others[i]);
		cr_expect_eq(capacity_set(s, 1, "HC", "WAL", 4, NULL, &why), BR_DENIED, "%s", others[i]);
		cr_expect_eq(rate_set(s, 1, "HC", 2000, "2027-04-01", NULL, &why), BR_DENIED, "%s", others[i]);
		session_close(&s);
	}
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM capacity"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM rate"), "0");
	cr_expect_str_eq(audit_count(), before);
	free(why);
}

Test(upkeep, a_new_rate_never_changes_a_call_off_already_made)
{
	char *why = NULL;
	int64_t was = -1;
	cr_assert_eq(rate_set(fx.s, 1, "HC", 1560, "2019-04-01", &was, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(was, 0);
	/* a call-off made at £15.60 */
	fx_sql(&fx, "INSERT INTO service_user(ref, family_name, given_name, family_fold, given_fold, "
		    "date_of_birth, locality, primary_need, created_at) VALUES "
		    "('SU1','A','B','a','b','1950-01-01','WAL','LD','x');"
		    "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, funding, "
		    "asc_pct, status, created_at, created_by, opened_at, closed_at) VALUES "
		    "(1,'HC','WAL',10,'2026-01-05','routine','ASC',100,'placed','x','admin','x','x');"
		    "INSERT INTO calloff(request_id, provider_id, tier, service, locality, unit_rate_pence, units, "
		    "weekly_cost_pence, asc_pct, start_date, status, proposed_by, created_at) VALUES "
		    "(1,1,'primary','HC','WAL',1560,10,15600,100,'2026-01-05','active','admin','x')");
	cr_assert_eq(rate_set(fx.s, 1, "HC", 2150, "2026-04-01", &was, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(rate_set(fx.s, 1, "HC", 2160, "2026-04-01", &was, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(was, 2150, "the same day's rate is replaced");
	int64_t pence = 0;
	cr_assert_eq(match_rate_in_force(fx.s, 1, "HC", "2026-12-01", &pence, &why), BR_OK);
	cr_expect_eq(pence, 2160);
	cr_assert_eq(match_rate_in_force(fx.s, 1, "HC", "2026-01-05", &pence, &why), BR_OK);
	cr_expect_eq(pence, 1560, "the rate in force on the call-off's start");
	cr_expect_str_eq(fx_query(&fx, "SELECT unit_rate_pence || '/' || weekly_cost_pence FROM calloff"), "1560/15600");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit WHERE action = 'rate.set' ORDER BY id DESC LIMIT 1"),
			 "£21.60 a unit from 2026-04-01 (was £21.50)");
	cr_expect_eq(rate_set(fx.s, 1, "HC", 0, "2026-04-01", NULL, &why), BR_DATA);
	cr_expect_eq(rate_set(fx.s, 1, "HC", 100, "2026-02-30", NULL, &why), BR_DATA);
	cr_expect_eq(rate_set(fx.s, 1, "XX", 100, "2026-02-01", NULL, &why), BR_DATA);
	cr_expect_eq(rate_set(fx.s, 7, "HC", 100, "2026-02-01", NULL, &why), BR_NOTFOUND);
	free(why);
}

static struct person_input person(const char *nhs, const char *family, const char *given, const char *dob)
{
	struct person_input in;
	memset(&in, 0, sizeof in);
	strcpy(in.nhs, nhs);
	strcpy(in.family, family);
	strcpy(in.given, given);
	strcpy(in.dob, dob);
	strcpy(in.postcode, "CH41 5LH");
	strcpy(in.locality, "BIR");
	strcpy(in.need, "MH");
	return in;
}

Test(upkeep, an_officer_adds_a_person_and_gets_the_reference)
{
	struct session *s = as("officer");
	char ref[17], warning[160], *why = NULL;
	struct person_input in = person("943 476 5919", "O'Neill", "Siân", "1950-03-01");
	strcpy(in.other_needs, "PD,AUT");
	in.forensic = true;
	strcpy(in.funding, "CHC");
	cr_assert_eq(person_add(s, &in, ref, warning, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(ref, "SU000001");
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(fx_query(&fx, "SELECT nhs_number || ' ' || family_fold || ' ' || given_fold || ' ' || "
				       "postcode_key || ' ' || locality || ' ' || primary_need || ' ' || forensic || ' ' || "
				       "funding || ' ' || status FROM service_user"),
			 "9434765919 oneill sian CH415LH BIR MH 1 CHC active");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(need) FROM (SELECT need FROM service_user_need ORDER BY need)"),
			 "AUT,PD");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action || ' ' || entity || ' ' || entity_id FROM audit "
				       "ORDER BY id DESC LIMIT 1"), "officer person.add person 1");
	/* the same name and birthday: added, with a warning */
	struct person_input twin = person("9991047298", "ONeill", "Sian", "1950-03-01");
	cr_assert_eq(person_add(s, &twin, ref, warning, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(ref, "SU000002");
	cr_expect_not_null(strstr(warning, "SU000001 has the same name and date of birth"), "%s", warning);
	/* the same NHS number: refused, nothing written */
	struct person_input again = person("9434765919", "Other", "Person", "1960-01-01");
	cr_expect_eq(person_add(s, &again, ref, warning, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "already SU000001's"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "2");
	session_close(&s);
	free(why);
}

Test(upkeep, person_add_checks_every_field_and_the_role)
{
	struct session *s = as("supervisor");
	char ref[17], warning[160], *why = NULL;
	struct { const char *field, *value, *expect; } bad[] = {
		{"nhs", "9434765918", "is not an NHS number"},
		{"family", "", "a family name is needed"},
		{"dob", "1950-02-30", "is not a date"},
		{"dob", "2030-01-01", "is in the future"},
		{"postcode", "CH4<5", "is not a postcode"},
		{"locality", "XX", "is not a locality"},
		{"need", "ASD", "is not a needs group"},
		{"other", "MH", "already the primary need"},
		{"other", "LD,XX", "names \"XX\", which is not a needs group"},
		{"funding", "NHS", "funding \"NHS\" is not a funding stream (ASC, CHC, JOINT)"},
		{"forensic-ld", "", "the forensic flag is for a primary need of MH or DD"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct person_input in = person("9434765919", "Smith", "Ann", "1950-01-01");
		if (strcmp(bad[i].field, "nhs") == 0) strcpy(in.nhs, bad[i].value);
		if (strcmp(bad[i].field, "family") == 0) strcpy(in.family, bad[i].value);
		if (strcmp(bad[i].field, "dob") == 0) strcpy(in.dob, bad[i].value);
		if (strcmp(bad[i].field, "postcode") == 0) strcpy(in.postcode, bad[i].value);
		if (strcmp(bad[i].field, "locality") == 0) strcpy(in.locality, bad[i].value);
		if (strcmp(bad[i].field, "need") == 0) strcpy(in.need, bad[i].value);
		if (strcmp(bad[i].field, "other") == 0) strcpy(in.other_needs, bad[i].value);
		if (strcmp(bad[i].field, "funding") == 0) strcpy(in.funding, bad[i].value);
		if (strcmp(bad[i].field, "forensic-ld") == 0) {
			strcpy(in.need, "LD");
			in.forensic = true;
		}
		cr_expect_eq(person_add(s, &in, ref, warning, &why), BR_DATA, "case %zu", i);
		cr_expect_not_null(why && strstr(why, bad[i].expect), "case %zu: %s", i, why ? why : "");
	}
	session_close(&s);
	static const char *const refused[] = {"viewer", "oncall"};
	for (int i = 0; i < 2; i++) {
		s = as(refused[i]);
		struct person_input in = person("9434765919", "Smith", "Ann", "1950-01-01");
		cr_expect_eq(person_add(s, &in, ref, warning, &why), BR_DENIED, "%s", refused[i]);
		session_close(&s);
	}
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "0");
	free(why);
}

Test(upkeep, awards_are_added_and_ended_one_primary_at_a_time)
{
	char *why = NULL;
	int64_t id = 0, second = 0;
	cr_assert_eq(award_add(fx.s, 1, "HC", "primary", "WAL", "2019-04-01", &id, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action || ' ' || detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "admin award.add provider 1 HC WAL primary from 2019-04-01");
	/* a second primary for Wallasey waits until the first has ended */
	cr_expect_eq(award_add(fx.s, 2, "HC", "primary", "WAL", "2027-04-01", &second, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "HC WAL already has a primary provider: Premier Care (award"), "%s", why);
	cr_expect_eq(award_end(fx.s, id, "2019-01-01", &why), BR_DATA, "not before it starts");
	cr_assert_eq(award_end(fx.s, id, "2027-03-31", &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(award_add(fx.s, 2, "HC", "primary", "WAL", "2027-04-01", &second, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(provider_id || ':' || valid_from || '-' || coalesce(valid_to, ''), ' ') "
				       "FROM (SELECT * FROM award ORDER BY id)"), "1:2019-04-01-2027-03-31 2:2027-04-01-");
	/* a peripheral award covers the borough: no locality */
	cr_expect_eq(award_add(fx.s, 2, "HC", "peripheral", "WAL", "2027-04-01", &id, &why), BR_DATA);
	cr_assert_eq(award_add(fx.s, 2, "HC", "peripheral", NULL, "2027-04-01", &id, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(award_add(fx.s, 2, "HC", "peripheral", "", "2027-05-01", &id, &why), BR_CONFLICT, "already held");
	cr_expect_eq(award_add(fx.s, 2, "HC", "tertiary", "WAL", "2027-04-01", &id, &why), BR_DATA);
	cr_expect_eq(award_add(fx.s, 2, "HC", "secondary", "", "2027-04-01", &id, &why), BR_DATA);
	cr_expect_eq(award_add(fx.s, 9, "HC", "secondary", "WAL", "2027-04-01", &id, &why), BR_NOTFOUND);
	cr_expect_eq(award_end(fx.s, 99, "2027-04-01", &why), BR_NOTFOUND);
	/* a provider that left gets no new award */
	fx_sql(&fx, "UPDATE provider SET status = 'left', left_on = '2026-01-01' WHERE id = 1");
	cr_expect_eq(award_add(fx.s, 1, "SL", "secondary", "BIR", "2027-04-01", &id, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "left the framework on 2026-01-01"));
	struct session *s = as("supervisor");
	cr_expect_eq(award_add(s, 2, "SL", "primary", "BIR", "2027-04-01", &id, &why), BR_DENIED);
	cr_expect_eq(award_end(s, second, "2027-12-31", &why), BR_DENIED);
	bool added = true;
	cr_expect_eq(registration_add(s, 2, "SL", "AUT", &added, &why), BR_DENIED);
	session_close(&s);
	free(why);
}

Test(upkeep, a_registration_is_added_once)
{
	char *why = NULL;
	bool added = false;
	cr_assert_eq(registration_add(fx.s, 2, "SL", "AUT", &added, &why), BR_OK, "%s", why ? why : "");
	cr_expect(added);
	char audit[16];
	snprintf(audit, sizeof audit, "%s", fx_query(&fx, "SELECT count(*) FROM audit"));
	cr_assert_eq(registration_add(fx.s, 2, "SL", "AUT", &added, &why), BR_OK);
	cr_expect(!added, "already registered: nothing written");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit"), audit);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM registration WHERE provider_id = 2 AND service = 'SL'"), "1");
	cr_expect_eq(registration_add(fx.s, 2, "SL", "ASD", &added, &why), BR_DATA);
	cr_expect_eq(registration_add(fx.s, 2, "XX", "LD", &added, &why), BR_DATA);
	cr_expect_eq(registration_add(fx.s, 9, "SL", "LD", &added, &why), BR_NOTFOUND);
	free(why);
}

/* An open home care request in Wallasey for a person with a learning disability. */
static void open_request(void)
{
	fx_sql(&fx, "INSERT INTO service_user(ref, family_name, given_name, family_fold, given_fold, "
		    "date_of_birth, locality, primary_need, created_at) VALUES "
		    "('SU1','A','B','a','b','1950-01-01','WAL','LD','x');"
		    "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, funding, "
		    "asc_pct, status, created_at, created_by, opened_at) VALUES "
		    "(1,'HC','WAL',10,'2026-11-23','routine','ASC',100,'open','x','admin','x')");
}

static const struct match_row *row_for(const struct match_result *m, int64_t provider_id)
{
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == provider_id)
			return &m->rows[i];
	return NULL;
}

Test(upkeep, the_match_shows_capacity_older_than_the_configured_days_as_stale)
{
	char *why = NULL;
	open_request();
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 40, NULL, &why), BR_OK, "%s", why ? why : "");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, 1, &m, &why), BR_OK, "%s", why ? why : "");
	const struct match_row *r = row_for(m, 1);
	cr_assert_not_null(r);
	cr_expect_eq(r->free, 40);
	cr_expect_str_eq(r->reported_on, "2026-11-22");
	cr_expect_not(r->stale, "reported today");
	cr_expect_eq(r->reasons, 0u, "stale is a warning, not an exclusion");
	match_free(&m);
	/* 14 days (the default) is still fresh; the 15th day is stale */
	clock_fix(TEST_NOW + 14 * 86400);
	cr_assert_eq(match_run(fx.s, 1, &m, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not(row_for(m, 1)->stale);
	match_free(&m);
	clock_fix(TEST_NOW + 15 * 86400);
	cr_assert_eq(match_run(fx.s, 1, &m, &why), BR_OK, "%s", why ? why : "");
	cr_expect(row_for(m, 1)->stale, "reported 15 days ago");
	cr_expect_eq(row_for(m, 1)->reasons, 0u);
	match_free(&m);
	/* a fresh report makes it fresh again */
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 30, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(match_run(fx.s, 1, &m, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not(row_for(m, 1)->stale);
	cr_expect_str_eq(row_for(m, 1)->reported_on, "2026-12-07");
	match_free(&m);
	clock_fix(TEST_NOW);
	free(why);
}

Test(upkeep, the_stale_limit_is_the_configs)
{
	char *why = NULL;
	open_request();
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 40, NULL, &why), BR_OK, "%s", why ? why : "");
	fx.s->cfg.capacity_stale_days = 3; /* as capacity_stale_days = 3; in the file */
	clock_fix(TEST_NOW + 4 * 86400);
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, 1, &m, &why), BR_OK, "%s", why ? why : "");
	cr_expect(row_for(m, 1)->stale);
	match_free(&m);
	clock_fix(TEST_NOW);
	free(why);
}

Test(upkeep, the_match_shows_a_suspension_with_its_reason)
{
	char *why = NULL;
	open_request();
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 40, NULL, &why), BR_OK, "%s", why ? why : "");
	struct session *sup = as("supervisor");
	cr_assert_eq(provider_suspend(sup, 1, "Safeguarding concern raised 20 Nov", &why), BR_OK, "%s", why ? why : "");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(sup, 1, &m, &why), BR_OK, "%s", why ? why : "");
	const struct match_row *r = row_for(m, 1);
	cr_assert_not_null(r);
	cr_expect(r->reasons & (1u << MATCH_SUSPENDED));
	cr_expect_str_eq(r->suspended_reason, "Safeguarding concern raised 20 Nov");
	cr_expect_str_eq(r->suspended_on, "2026-11-22");
	match_free(&m);
	cr_assert_eq(provider_reinstate(sup, 1, "Concern investigated and closed", &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(match_run(sup, 1, &m, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(row_for(m, 1)->reasons, 0u);
	cr_expect_str_eq(row_for(m, 1)->suspended_reason, "");
	match_free(&m);
	session_close(&sup);
	free(why);
}

Test(upkeep, a_person_is_edited_and_the_change_audited)
{
	struct session *s = as("officer");
	char ref[17], warning[160], *why = NULL;
	struct person_input in = person("943 476 5919", "Jones", "Ann", "1950-03-01");
	cr_assert_eq(person_add(s, &in, ref, warning, &why), BR_OK, "%s", why ? why : "");
	struct person_input other = person("4010000007", "Smith", "Bob", "1960-01-01");
	cr_assert_eq(person_add(s, &other, ref, warning, &why), BR_OK, "%s", why ? why : "");
	struct person_input now;
	cr_assert_eq(person_input_get(s, 1, &now, ref, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(ref, "SU000001");
	strcpy(now.postcode, "CH45 2AA");
	strcpy(now.locality, "WAL");
	strcpy(now.other_needs, "PD");
	cr_assert_eq(person_edit(s, 1, &now, warning, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(fx_query(&fx, "SELECT postcode || ' ' || postcode_key || ' ' || locality FROM service_user WHERE id = 1"),
			 "CH45 2AA CH452AA WAL");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(need) FROM service_user_need WHERE user_id = 1"), "PD");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action || ' ' || detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "officer person.edit SU000001: postcode, locality, other_needs");
	/* refused: another's NHS number, a bad date, forensic with LD; nothing written */
	const char *audits = audit_count();
	char before[16];
	strcpy(before, audits);
	struct person_input bad = now;
	strcpy(bad.nhs, "4010000007");
	cr_expect_eq(person_edit(s, 1, &bad, warning, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "already SU000002's"), "%s", why ? why : "");
	bad = now;
	strcpy(bad.dob, "1950-02-30");
	cr_expect_eq(person_edit(s, 1, &bad, warning, &why), BR_DATA);
	bad = now;
	strcpy(bad.need, "LD");
	bad.forensic = true;
	cr_expect_eq(person_edit(s, 1, &bad, warning, &why), BR_DATA);
	cr_expect_eq(person_edit(s, 99, &now, warning, &why), BR_NOTFOUND);
	cr_expect_str_eq(audit_count(), before, "nothing written");
	/* the same name and birthday as another: saved, with a warning */
	struct person_input twin = other;
	strcpy(twin.nhs, "4010000015");
	strcpy(twin.family, "Jones");
	strcpy(twin.given, "Ann");
	strcpy(twin.dob, "1950-03-01");
	cr_assert_eq(person_edit(s, 2, &twin, warning, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not_null(strstr(warning, "SU000001 has the same name"), "%s", warning);
	session_close(&s);
	struct session *v = as("viewer");
	cr_expect_eq(person_edit(v, 1, &now, warning, &why), BR_DENIED);
	session_close(&v);
	free(why);
}

static void add_request(int64_t user_id, const char *status)
{
	char sql[600];
	snprintf(sql, sizeof sql,
		 "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, funding, "
		 "asc_pct, status, created_at, created_by, opened_at) VALUES "
		 "(%lld,'HC','BIR',10,'2026-11-30','routine','ASC',100,'%s','x','officer','x')",
		 (long long)user_id, status);
	fx_sql(&fx, sql);
}

Test(upkeep, closing_a_record_settles_open_requests_first_or_cancels_them)
{
	struct session *s = as("officer");
	char ref[17], warning[160], *why = NULL;
	struct person_input in = person("943 476 5919", "Jones", "Ann", "1950-03-01");
	cr_assert_eq(person_add(s, &in, ref, warning, &why), BR_OK, "%s", why ? why : "");
	add_request(1, "open");
	add_request(1, "open");
	int n = -1;
	/* open requests: refused, naming them, nothing written */
	cr_expect_eq(person_close(s, 1, "moved_away", NULL, false, &n, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "has open requests (1, 2): settle them first"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM service_user"), "active");
	cr_expect_eq(person_close(s, 1, "died", NULL, true, &n, &why), BR_DATA, "deceased is not this path");
	/* a live call-off: refused even with cancelling */
	fx_sql(&fx, "INSERT INTO calloff(request_id, provider_id, tier, service, locality, unit_rate_pence, units, "
		    "weekly_cost_pence, asc_pct, start_date, status, proposed_by, created_at) VALUES "
		    "(2,1,'primary','HC','BIR',1560,10,15600,100,'2026-11-30','approved','officer','x')");
	cr_expect_eq(person_close(s, 1, "moved_away", NULL, true, &n, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "live call-offs (1)"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(status) FROM package_request"), "open,open");
	fx_sql(&fx, "UPDATE calloff SET status = 'cancelled'");
	/* cancelled in the same step, with the reason */
	cr_assert_eq(person_close(s, 1, "moved_away", "to Chester", true, &n, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(n, 2);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM service_user"), "closed");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(status || ':' || cancel_reason, '|') FROM package_request"),
			 "cancelled:person moved away: to Chester|cancelled:person moved away: to Chester");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'request.cancel'"), "2");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || detail FROM audit WHERE action = 'person.close'"),
			 "officer SU000001 moved_away: to Chester; requests_cancelled=2");
	cr_expect_eq(person_close(s, 1, "closed", NULL, false, &n, &why), BR_CONFLICT, "already closed");
	session_close(&s);
	/* an admin may close a record with nothing open, not cancel requests */
	struct person_input b = person("4010000007", "Smith", "Bob", "1960-01-01");
	cr_assert_eq(person_add(fx.s, &b, ref, warning, &why), BR_OK, "%s", why ? why : "");
	add_request(2, "open");
	cr_expect_eq(person_close(fx.s, 2, "closed", NULL, true, &n, &why), BR_DENIED);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM service_user WHERE id = 2"), "active", "rolled back");
	struct session *v = as("viewer");
	cr_expect_eq(person_close(v, 2, "closed", NULL, false, &n, &why), BR_DENIED);
	session_close(&v);
	free(why);
}

Test(upkeep, only_an_admin_restricts_a_record_with_a_reason)
{
	char ref[17], warning[160], *why = NULL;
	struct person_input in = person("943 476 5919", "Jones", "Ann", "1950-03-01");
	cr_assert_eq(person_add(fx.s, &in, ref, warning, &why), BR_OK, "%s", why ? why : "");
	struct session *s = as("supervisor");
	cr_expect_eq(person_restrict(s, 1, true, "staff relative", &why), BR_DENIED);
	session_close(&s);
	cr_expect_eq(person_restrict(fx.s, 1, true, "  ", &why), BR_DATA);
	cr_expect_str_eq(fx_query(&fx, "SELECT restricted FROM service_user"), "0");
	cr_assert_eq(person_restrict(fx.s, 1, true, "staff relative", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT restricted FROM service_user"), "1");
	cr_expect_eq(person_restrict(fx.s, 1, true, "again", &why), BR_CONFLICT);
	cr_assert_eq(person_restrict(fx.s, 1, false, "no longer needed", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT restricted FROM service_user"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(detail, '|') FROM audit WHERE action = 'person.restrict'"),
			 "SU000001 on: staff relative|SU000001 off: no longer needed");
	free(why);
}

Test(upkeep, an_admin_adds_and_edits_a_provider)
{
	char *why = NULL;
	struct provider_input in;
	memset(&in, 0, sizeof in);
	strcpy(in.name, "Wirral Care Co");
	strcpy(in.cqc, "1-123456789");
	strcpy(in.rating, "good");
	strcpy(in.localities, "WAL,BIR");
	int64_t id = 0;
	struct session *o = as("officer");
	cr_expect_eq(provider_add(o, &in, &id, &why), BR_DENIED);
	session_close(&o);
	cr_assert_eq(provider_add(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(id, 3);
	cr_expect_str_eq(fx_query(&fx, "SELECT name || ' ' || cqc_location_id || ' ' || cqc_rating || ' ' || status "
				       "FROM provider WHERE id = 3"), "Wirral Care Co 1-123456789 Good active");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(locality) FROM (SELECT locality FROM coverage WHERE "
				       "provider_id = 3 ORDER BY locality)"), "BIR,WAL");
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit ORDER BY id DESC LIMIT 1"), "provider.add");
	/* refused: the same name, another's CQC id, a bad rating, a bad locality */
	const char *before = audit_count();
	char n_before[16];
	strcpy(n_before, before);
	struct provider_input bad = in;
	strcpy(bad.cqc, "");
	strcpy(bad.name, "WIRRAL CARE CO");
	cr_expect_eq(provider_add(fx.s, &bad, &id, &why), BR_CONFLICT);
	bad = in;
	strcpy(bad.name, "Other");
	strcpy(bad.cqc, "1-100007919");
	cr_expect_eq(provider_add(fx.s, &bad, &id, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "provider 1 (Premier Care)"), "%s", why ? why : "");
	bad = in;
	strcpy(bad.name, "Other");
	strcpy(bad.cqc, "");
	strcpy(bad.rating, "Goood");
	cr_expect_eq(provider_add(fx.s, &bad, &id, &why), BR_DATA);
	strcpy(bad.rating, "");
	strcpy(bad.localities, "WAL,XX");
	cr_expect_eq(provider_add(fx.s, &bad, &id, &why), BR_DATA);
	strcpy(bad.localities, "");
	strcpy(bad.cqc, "12345");
	cr_expect_eq(provider_add(fx.s, &bad, &id, &why), BR_DATA);
	cr_expect_str_eq(audit_count(), n_before, "nothing written");
	/* edit: the phone and the coverage */
	struct provider_input now;
	cr_assert_eq(provider_input_get(fx.s, 3, &now, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(now.localities, "WAL,BIR");
	strcpy(now.phone, "0151 555 0100");
	strcpy(now.localities, "SW");
	cr_assert_eq(provider_edit(fx.s, 3, &now, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"), "phone, coverage SW");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(locality) FROM coverage WHERE provider_id = 3"), "SW");
	strcpy(now.name, "Premier Care");
	cr_expect_eq(provider_edit(fx.s, 3, &now, &why), BR_CONFLICT, "another's name");
	cr_expect_eq(provider_edit(fx.s, 99, &now, &why), BR_NOTFOUND);
	free(why);
}
