/* Demo data: deterministic, realistic, and showing the cascade at once. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 20, "admin"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(demo, .init = setup, .fini = teardown);

Test(demo, nhs_numbers_are_from_the_test_range_and_valid)
{
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE nhs_number NOT LIKE '999%'"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(DISTINCT nhs_number) FROM service_user"), "100");
	/* every one passes the modulus 11 check */
	struct su_filter f = {0};
	struct su_row rows[100];
	int n;
	cr_assert_eq(su_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, 100, &n, NULL), BR_OK);
	for (int i = 0; i < n; i++)
		cr_expect(rows[i].restricted ? rows[i].nhs[0] == '\0' : nhs_valid(rows[i].nhs), "%s", rows[i].nhs);
}

Test(demo, every_locality_and_need_has_people)
{
	cr_expect_str_eq(fx_query(&fx, "SELECT count(DISTINCT locality) FROM service_user"), "4");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM need n WHERE NOT EXISTS (SELECT 1 FROM "
				       "service_user s WHERE s.primary_need = n.code)"), "0");
}

Test(demo, names_include_accents_and_apostrophes)
{
	fx_close(&fx);
	fx_open(&fx, 200, "admin");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE family_name LIKE '%''%'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE "
					"family_name || given_name GLOB '*[^ -~]*'"), "0");
}

Test(demo, the_awarded_providers_are_active_with_free_hours)
{
	cr_expect_str_eq(fx_query(&fx,
		"SELECT count(*) FROM award a JOIN provider p ON p.id = a.provider_id "
		"WHERE p.status = 'active' AND (a.locality IS NULL OR EXISTS (SELECT 1 FROM capacity c "
		"WHERE c.provider_id = p.id AND c.service = 'HC' AND c.locality = a.locality AND c.free > 0))"),
		"16");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM provider WHERE consortium_id = 2"), "3");
}

Test(demo, the_logins_exist_with_their_roles)
{
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(login || ':' || role, ' ') FROM (SELECT * FROM "
				       "users WHERE login IN ('officer','supervisor','oncall','admin','viewer') "
				       "ORDER BY login)"),
			 "admin:admin officer:officer oncall:oncall supervisor:supervisor viewer:viewer");
	cr_expect_str_eq(fx_query(&fx, "SELECT approval_limit < 5000000 FROM users WHERE login = 'supervisor2'"), "1");
}

Test(demo, history_has_every_kind_of_record)
{
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "400");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM package_request WHERE status = 'open'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM offer WHERE status = 'declined'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM approval"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE status = 'active'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE status = 'ended'"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT min(start_date) >= '2018-01-01' FROM calloff"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM provider WHERE status = 'suspended' "
				       "AND suspended_reason IS NULL"), "0");
}

Test(demo, the_same_seed_gives_the_same_data)
{
	char a[80];
	snprintf(a, sizeof a, "%s", fx_query(&fx, "SELECT group_concat(family_name || nhs_number) FROM "
						  "(SELECT * FROM service_user ORDER BY id LIMIT 20)"));
	struct fixture other;
	struct fixture keep = fx;
	fx_open(&other, 20, "admin");
	fx = other;
	char b[80];
	snprintf(b, sizeof b, "%s", fx_query(&fx, "SELECT group_concat(family_name || nhs_number) FROM "
						  "(SELECT * FROM service_user ORDER BY id LIMIT 20)"));
	fx_close(&fx);
	fx = keep;
	cr_expect_str_eq(a, b);
}

Test(demo, demo_goes_only_into_a_new_database)
{
	struct br_config cfg;
	config_load(&cfg, fx.cfg, NULL);
	struct init_options o = {.demo = true, .scale_permille = 20, .login = "admin"};
	struct init_report rep;
	char *why = NULL;
	cr_expect_eq(init_database(&cfg, &o, &rep, &why), BR_OK);
	cr_expect(rep.demo_skipped);
	cr_expect_not(rep.demo_built);
	cr_expect_eq(rep.service_users, 100);
	br_free_str(&why);
}

/* Issue 14: names from a long-tailed table (names/), as in a real register
 * of 5,000: well over a thousand surnames, none more than about 2%, a full
 * name and date of birth shared by nobody but the deliberate near-duplicates
 * (same name, born weeks apart), the first of which the e2e tests rely on. */
Test(demo, names_look_like_a_real_register, .timeout = 120)
{
	fx_close(&fx);
	fx_open(&fx, 1000, "admin");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user"), "5000");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(DISTINCT family_name) >= 1000 FROM service_user"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(DISTINCT given_name) >= 300 FROM service_user"), "1");
	/* the commonest surname: at most 2.2% (110 of 5,000) */
	cr_expect_str_eq(fx_query(&fx, "SELECT max(n) <= 110 FROM (SELECT count(*) n FROM service_user "
				       "GROUP BY family_name)"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM (SELECT 1 FROM service_user GROUP BY "
				       "family_name, given_name, date_of_birth HAVING count(*) > 1)"), "0");
	/* given names follow the decade of birth */
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE given_name = 'Doreen' "
				       "AND date_of_birth >= '1960-01-01'"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE given_name = 'Chloe' "
				       "AND date_of_birth < '1970-01-01'"), "0");
	/* accented, Welsh, Irish and Polish names, apostrophes and spaces */
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE family_name LIKE '%''%'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE family_name LIKE '% %'"), "0");
	cr_expect_str_neq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE given_name IN "
					"('Siân','Rhys','Siobhán','Łukasz','Zoë','Niamh','Seán')"), "0");
	/* the near-duplicates: five pairs at this scale, "Lloyd, Siân" first */
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE family_name = 'Lloyd' "
				       "AND given_name = 'Siân' AND status = 'active' AND restricted = 0"), "2");
	cr_expect_str_eq(fx_query(&fx, "SELECT max(julianday(date_of_birth)) - min(julianday(date_of_birth)) "
				       "BETWEEN 7 AND 42 FROM service_user WHERE family_name = 'Lloyd' "
				       "AND given_name = 'Siân'"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) >= 5 FROM (SELECT 1 FROM service_user WHERE "
				       "status = 'active' AND restricted = 0 GROUP BY family_name, given_name "
				       "HAVING count(*) >= 2 AND max(julianday(date_of_birth)) - "
				       "min(julianday(date_of_birth)) BETWEEN 7 AND 42)"), "1");
}

Test(demo, the_near_duplicate_is_there_at_a_small_scale)
{
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service_user WHERE family_name = 'Lloyd' "
				       "AND given_name = 'Siân' AND status = 'active' AND restricted = 0"), "2");
}

Test(demo, the_same_seed_gives_the_same_register_at_scale_1, .timeout = 120)
{
	static const char *const sql =
		"SELECT count(DISTINCT family_name) || ':' || count(DISTINCT given_name) || ':' || "
		"(SELECT group_concat(family_name || given_name || date_of_birth, ';') FROM "
		"(SELECT * FROM service_user WHERE id % 97 = 0 ORDER BY id)) FROM service_user";
	fx_close(&fx);
	fx_open(&fx, 1000, "admin");
	char *a = strdup(fx_query(&fx, sql));
	fx_close(&fx);
	fx_open(&fx, 1000, "admin");
	cr_expect_str_eq(fx_query(&fx, sql), a);
	free(a);
}
