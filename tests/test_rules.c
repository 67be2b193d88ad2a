/* Approval rules: each fires exactly when it should, one case each side. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

static struct br_config cfg;
static void setup(void)
{
	config_defaults(&cfg);
	cfg.bank_holidays[0] = date_days(2026, 12, 25);
	cfg.bank_holidays[1] = date_days(2026, 12, 28);
	cfg.n_bank_holidays = 2;
}

TestSuite(rules, .init = setup);

static struct rule_facts home_care(int64_t weekly, int64_t rate)
{
	return (struct rule_facts){.service = SERVICE_HC, .weekly_cost = weekly, .unit_rate = rate,
				   .start_day = date_days(2026, 12, 1), .age = 70};
}

Test(rules, an_ordinary_package_needs_no_approval)
{
	struct rule_facts f = home_care(15 * 2000, 2000);
	cr_expect_eq(rules_approval(&cfg, &f), 0u);
}

Test(rules, weekly_cost_above_the_threshold)
{
	struct rule_facts at = home_care(80000, 2000), above = home_care(80001, 2000);
	cr_expect_eq(rules_approval(&cfg, &at), 0u, "exactly £800 is not above");
	cr_expect_eq(rules_approval(&cfg, &above), 1u << RULE_WEEKLY_COST);
	char text[160];
	rules_describe(&cfg, &above, RULE_WEEKLY_COST, text, sizeof text);
	cr_expect_not_null(strstr(text, "£800.01"), "%s", text);
	cr_expect_not_null(strstr(text, "£800.00 threshold"), "%s", text);
}

Test(rules, a_service_without_a_threshold_never_fires_it)
{
	struct rule_facts f = {.service = SERVICE_DAY, .weekly_cost = 99999999, .unit_rate = 1,
			       .start_day = date_days(2026, 1, 1), .age = 40};
	cr_expect_eq(rules_approval(&cfg, &f), 0u);
}

Test(rules, unit_rate_above_the_framework_rate_in_force)
{
	struct rule_facts at = home_care(1000, 1560), above = home_care(1000, 1561);
	at.start_day = above.start_day = date_days(2019, 6, 1);
	cr_expect_eq(rules_approval(&cfg, &at), 0u, "£15.60 in 2019");
	cr_expect_eq(rules_approval(&cfg, &above), 1u << RULE_UNIT_RATE);
	at.start_day = date_days(2026, 12, 1);
	at.unit_rate = 2420;
	cr_expect_eq(rules_approval(&cfg, &at), 0u, "£24.20 from April 2026");
	at.unit_rate = 2421;
	cr_expect_eq(rules_approval(&cfg, &at), 1u << RULE_UNIT_RATE);
	struct rule_facts later = home_care(1000, 2000);
	cr_expect_eq(rules_approval(&cfg, &later), 0u, "the 2022 rate is in force by then");
	later.start_day = date_days(2022, 3, 31);
	cr_expect_eq(rules_approval(&cfg, &later), 1u << RULE_UNIT_RATE, "the day before it was not");
}

Test(rules, spot_override_and_out_of_locality_always_fire)
{
	struct rule_facts f = home_care(1000, 2000);
	f.spot = true;
	cr_expect_eq(rules_approval(&cfg, &f), 1u << RULE_SPOT);
	f.spot = false;
	f.override = true;
	cr_expect_eq(rules_approval(&cfg, &f), 1u << RULE_TIER_OVERRIDE);
	f.override = false;
	f.out_of_locality = true;
	cr_expect_eq(rules_approval(&cfg, &f), 1u << RULE_OUT_OF_LOCALITY);
	f.out_of_locality = false;
	f.emergency = true;
	cr_expect_eq(rules_approval(&cfg, &f), 1u << RULE_EMERGENCY);
}

Test(rules, residential_under_65)
{
	struct rule_facts f = {.service = SERVICE_RES, .weekly_cost = 90000, .unit_rate = 90000,
			       .start_day = date_days(2026, 12, 1), .age = 64};
	cr_expect_eq(rules_approval(&cfg, &f), 1u << RULE_RESIDENTIAL_UNDER_65);
	f.age = 65;
	cr_expect_eq(rules_approval(&cfg, &f), 0u);
	f.service = SERVICE_SL;
	f.age = 30;
	cr_expect_eq(rules_approval(&cfg, &f), 0u, "only residential placements");
}

Test(rules, every_rule_has_a_code_and_words)
{
	for (int r = 0; r < RULE_COUNT; r++) {
		cr_expect_eq(rule_find(rule_code(r)), r);
		cr_expect_gt(strlen(rule_text(r)), 5);
	}
	cr_expect_eq(rule_find("nope"), -1);
}

Test(rules, next_working_day_skips_weekends_and_bank_holidays)
{
	/* Friday 20 Nov 2026 -> Monday 23 Nov */
	cr_expect_eq(rules_next_working_day(&cfg, date_days(2026, 11, 20)), date_days(2026, 11, 23));
	/* Saturday night -> Monday */
	cr_expect_eq(rules_next_working_day(&cfg, date_days(2026, 11, 21)), date_days(2026, 11, 23));
	/* Tuesday -> Wednesday */
	cr_expect_eq(rules_next_working_day(&cfg, date_days(2026, 11, 24)), date_days(2026, 11, 25));
	/* Thursday 24 Dec -> past Christmas Day, the weekend and Boxing Day's substitute: 29 Dec */
	cr_expect_eq(rules_next_working_day(&cfg, date_days(2026, 12, 24)), date_days(2026, 12, 29));
	cr_expect_not(rules_working_day(&cfg, date_days(2026, 12, 25)));
	cr_expect(rules_working_day(&cfg, date_days(2026, 12, 24)));
}

/* Issue 20: the annual cost is one rule. A weekly service costs 52 weeks a
 * year; a stay of nights costs what it costs, once (the Call-off screen
 * showed 52 times a respite stay). */
Test(rules, the_annual_cost_of_a_week_and_of_a_stay)
{
	cr_expect_eq(service_annual_cost(SERVICE_HC, 1550, 10), 1550 * 10 * 52);
	cr_expect_eq(service_annual_cost(SERVICE_RES, 95000, 1), 95000 * 52, "a placement is paid by the week");
	cr_expect_eq(service_annual_cost(SERVICE_DAY, 4000, 3), 4000 * 3 * 52);
	cr_expect_eq(service_annual_cost(SERVICE_RSP, 15000, 3), 45000, "three nights are three nights");
	cr_expect(!service_weekly(SERVICE_RSP));
	cr_expect(service_weekly(SERVICE_SL));
}

/* Issue 26, finding 6: "£599.88 a week" was printed for a 3-night stay. */
Test(rules, a_stay_is_costed_in_words_as_a_stay_not_a_week)
{
	char w[64];
	service_cost_words(SERVICE_RSP, 59988, 3, w, sizeof w);
	cr_expect_str_eq(w, "£599.88 for 3 nights");
	service_cost_words(SERVICE_RSP, 19996, 1, w, sizeof w);
	cr_expect_str_eq(w, "£199.96 for 1 night");
	service_cost_words(SERVICE_DAY, 185580, 30, w, sizeof w);
	cr_expect_str_eq(w, "£1,855.80 a week");
}

/* The facts the rules read are worked out once, for an acceptance, a
 * variation and a booking alike. */
Test(rules, the_facts_of_a_placement)
{
	struct rule_facts f = rules_facts_of(&(struct rule_placement){
		.service = "HC", .unit_rate = 1600, .units = 10, .start_day = date_days(2026, 11, 22),
		.dob = "2010-11-23", .tier = "spot", .override_kind = "", .locality = "WAL", .person_locality = "BIR"});
	cr_expect_eq(f.service, SERVICE_HC);
	cr_expect_eq(f.weekly_cost, 16000);
	cr_expect_eq(f.age, 15, "the day before the 16th birthday");
	cr_expect(f.spot);
	cr_expect(!f.override);
	cr_expect(f.out_of_locality, "placed outside the person's locality");
	f = rules_facts_of(&(struct rule_placement){.service = "HC", .unit_rate = 1, .units = 1, .tier = "primary",
						    .override_kind = "clinical", .locality = "WAL", .person_locality = "WAL"});
	cr_expect(f.override);
	cr_expect(!f.spot);
	cr_expect(!f.out_of_locality);
}
