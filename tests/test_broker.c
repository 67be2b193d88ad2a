/* The cascade, offers, call-offs and hand-backs: each rule with the case
 * that must be allowed and the one that must be refused. A small world
 * built by hand so every figure is known. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "world.h"

TestSuite(broker, .init = world_open, .fini = world_close);

static const struct match_row *row(struct match_result *m, int64_t provider)
{
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == provider)
			return &m->rows[i];
	return NULL;
}

Test(broker, primary_first_and_the_refusal_names_it)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	char *why = NULL;
	cr_expect_eq(world_offer(r, 2, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "Premier Care (primary, provider 1)"), "%s", why);
	cr_expect_eq(world_offer(r, 8, NULL, &why), BR_DENIED, "peripheral waits too");
	cr_expect_eq(world_offer(r, 20, NULL, &why), BR_DENIED, "registered waits too");
	br_free_str(&why);
	world_offer_ok(r, 1);
}

Test(broker, secondary_after_primary_declined)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t o = world_offer_ok(r, 1);
	char *why = NULL;
	cr_expect_eq(world_offer(r, 2, NULL, &why), BR_DENIED, "primary still has the offer");
	cr_expect_not_null(strstr(why, "has the offer"), "%s", why);
	br_free_str(&why);
	world_decline(o);
	world_offer_ok(r, 2);
}

Test(broker, secondary_after_primary_expired)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t o = world_offer_ok(r, 1);
	char *why = NULL;
	clock_fix(TEST_NOW + 71 * 3600);
	cr_expect_eq(world_offer(r, 2, NULL, &why), BR_DENIED, "71 hours: still inside the 72-hour window");
	clock_fix(TEST_NOW + 73 * 3600);
	world_offer_ok(r, 2);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 1"), "expired");
	(void)o;
	cr_expect_eq(offer_accept(fx.s, o, &(int64_t){0}, &why), BR_CONFLICT, "an expired offer cannot be accepted");
	br_free_str(&why);
}

Test(broker, secondary_when_primary_has_no_capacity_or_is_suspended)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	fx_sql(&fx, "UPDATE capacity SET free = 9 WHERE provider_id = 1 AND locality = 'WAL'");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(row(m, 1)->reasons & (1u << MATCH_NO_CAPACITY), "9 free, 10 needed");
	cr_expect_eq(row(m, 2)->reasons, 0u, "so the secondary is offerable");
	cr_expect_eq(m->rows[0].provider_id, 2, "and first in the list");
	match_free(&m);
	fx_sql(&fx, "UPDATE capacity SET free = 50 WHERE provider_id = 1;"
		    "UPDATE provider SET status = 'suspended', suspended_reason = 'Embargo', suspended_on = '2026-11-20' WHERE id = 1");
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(row(m, 1)->reasons & (1u << MATCH_SUSPENDED));
	cr_expect_eq(row(m, 2)->reasons, 0u);
	match_free(&m);
	char *why = NULL;
	cr_expect_eq(world_offer(r, 1, NULL, &why), BR_DENIED, "suspended providers are never offerable");
	cr_expect_not_null(strstr(why, "suspended"), "%s", why);
	br_free_str(&why);
	world_offer_ok(r, 2);
}

Test(broker, peripheral_only_after_both_and_first_acceptance_wins)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	world_decline(world_offer_ok(r, 1));
	char *why = NULL;
	cr_expect_eq(world_offer(r, 8, NULL, &why), BR_DENIED, "the secondary has not answered");
	br_free_str(&why);
	world_decline(world_offer_ok(r, 2));
	int64_t a = world_offer_ok(r, 8), b = world_offer_ok(r, 9);
	cr_expect_eq(world_offer(r, 20, NULL, &why), BR_DENIED, "registered waits for the peripherals");
	br_free_str(&why);
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, b, &co, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 3"), "withdrawn");
	cr_expect_eq(offer_accept(fx.s, a, &co, &why), BR_CONFLICT, "the other was withdrawn");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request WHERE id = 1"), "placed");
}

Test(broker, the_consortium_is_offered_as_the_alliance)
{
	int64_t r = world_request("SU2", "HC", 10, "2026-11-30");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect_eq(m->rows[0].provider_id, 2, "the Alliance is West Wirral's primary");
	cr_expect_str_eq(m->rows[0].tier, "primary");
	cr_expect(row(m, 3)->reasons & (1u << MATCH_CONSORTIUM_MEMBER));
	match_free(&m);
	char *why = NULL;
	cr_expect_eq(world_offer(r, 3, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "Wirral Home Care Alliance"), "%s", why);
	br_free_str(&why);
	world_offer_ok(r, 2);
}

Test(broker, continuity_skips_the_cascade)
{
	int64_t first = world_request("SU1", "HC", 5, "2026-11-22");
	world_decline(world_offer_ok(first, 1));
	world_decline(world_offer_ok(first, 2));
	world_decline(world_offer_ok(first, 8));
	world_decline(world_offer_ok(first, 9));
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(first, 20), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff WHERE id = 1"), "active");
	/* a change of package: the existing provider without the cascade */
	int64_t r = world_request("SU1", "HC", 12, "2026-12-01");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(row(m, 20)->continuity);
	cr_expect_eq(row(m, 20)->reasons, 0u);
	match_free(&m);
	int64_t o = world_offer_ok(r, 20);
	cr_assert_eq(offer_accept(fx.s, o, &co, NULL), BR_OK);
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect(c.continuity, "the call-off records continuity");
	cr_expect_str_eq(c.tier, "registered", "and the provider's own tier");
	/* someone else with no such provider still goes through the cascade */
	int64_t other = world_request("SU3", "HC", 10, "2026-12-01");
	char *why = NULL;
	cr_expect_eq(world_offer(other, 20, NULL, &why), BR_DENIED);
	br_free_str(&why);
}

Test(broker, spot_purchase_needs_a_reason_and_approval)
{
	int64_t r = world_request("SU1", "SL", 5, "2026-11-30");
	fx_sql(&fx, "INSERT INTO provider(id, name, name_fold) VALUES (30, 'Off Framework', 'offframework');"
		    "INSERT INTO rate VALUES (30, 'SL', '2019-04-01', 1900)");
	char *why = NULL;
	int64_t id = 0;
	cr_expect_eq(world_offer(r, 30, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "spot"), "%s", why);
	struct offer_options o = {OVERRIDE_SPOT, ""};
	cr_expect_eq(offer_create(fx.s, r, 30, &o, &id, &why), BR_DATA, "no reason given");
	strcpy(o.reason, "Only provider able to support at night");
	cr_expect_eq(offer_create(fx.s, r, 30, &o, &id, &why), BR_DENIED, "the framework is not exhausted");
	cr_expect_not_null(strstr(why, "last resort"), "%s", why);
	world_decline(world_offer_ok(r, 20));
	world_decline(world_offer_ok(r, 21));
	cr_assert_eq(offer_create(fx.s, r, 30, &o, &id, &why), BR_OK, "%s", why ? why : "");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect_str_eq(c.status, "awaiting_approval");
	cr_expect_str_eq(c.tier, "spot");
	cr_expect_not_null(strstr(c.rules, "spot"), "%s", c.rules);
	cr_expect_str_eq(c.override_reason, "Only provider able to support at night");
	br_free_str(&why);
}

Test(broker, tier_override_needs_a_reason_and_approval)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	world_offer_ok(r, 1);
	struct offer_options o = {OVERRIDE_PERSON_CHOICE, ""};
	int64_t id = 0, co = 0;
	char *why = NULL;
	cr_expect_eq(offer_create(fx.s, r, 9, &o, &id, &why), BR_DATA);
	strcpy(o.reason, "Mrs Jones has used Kare Plus for years and asks for them");
	cr_assert_eq(offer_create(fx.s, r, 9, &o, &id, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_str_eq(c.status, "awaiting_approval");
	cr_expect_str_eq(c.override_kind, "person_choice");
	cr_expect_not_null(strstr(c.rules, "tier_override"), "%s", c.rules);
	br_free_str(&why);
}

Test(broker, out_of_locality_needs_a_reason_and_approval)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	world_decline(world_offer_ok(r, 1));
	world_decline(world_offer_ok(r, 2));
	world_decline(world_offer_ok(r, 8));
	world_decline(world_offer_ok(r, 9));
	world_decline(world_offer_ok(r, 20));
	struct offer_options early = {OVERRIDE_OUT_OF_LOCALITY, "Nearest with a carer who speaks Welsh"};
	char *why = NULL;
	int64_t id = 0, co = 0;
	cr_expect_eq(offer_create(fx.s, r, 23, &early, &id, &why), BR_DENIED, "Haven Care in Wallasey can still answer");
	cr_expect_not_null(strstr(why, "Haven Care"), "%s", why);
	world_decline(world_offer_ok(r, 5));
	cr_expect_eq(world_offer(r, 23, &id, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "does not cover WAL"), "%s", why);
	struct offer_options o = {OVERRIDE_OUT_OF_LOCALITY, "Nearest with a carer who speaks Welsh"};
	cr_assert_eq(offer_create(fx.s, r, 23, &o, &id, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_not_null(strstr(c.rules, "out_of_locality"), "%s", c.rules);
	/* issue 26, finding 2: the hours come off where it delivers */
	cr_expect_str_eq(c.locality, "BIR");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 23 AND service = 'HC'"), "40");
	br_free_str(&why);
}

/* Issue 26, finding 2: an out-of-locality placement with a provider whose
 * localities are full took nothing anywhere (no figure for the person's
 * locality was read as "unknown"), so five placements went to three beds. */
Test(broker, out_of_locality_takes_capacity_where_the_provider_delivers_and_none_free_refuses)
{
	fx_sql(&fx, "UPDATE capacity SET free = 0 WHERE provider_id = 23");
	struct offer_options o = {OVERRIDE_PERSON_CHOICE, "Mrs Jones's daughter lives in Birkenhead"};
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), id = 0, co = 0;
	char *why = NULL;
	cr_expect_eq(offer_create(fx.s, r, 23, &o, &id, &why), BR_DENIED, "0 free in BIR: none to offer");
	cr_expect(why && strstr(why, "0 free in BIR"), "%s", why ? why : "");
	br_free_str(&why);
	/* offered while it had room, full by the time it answers */
	fx_sql(&fx, "UPDATE capacity SET free = 15 WHERE provider_id = 23");
	cr_assert_eq(offer_create(fx.s, r, 23, &o, &id, &why), BR_OK, "%s", why ? why : "");
	fx_sql(&fx, "UPDATE capacity SET free = 5 WHERE provider_id = 23");
	cr_expect_eq(offer_accept(fx.s, id, &co, &why), BR_CONFLICT, "5 free, 10 needed");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 23"), "5");
	br_free_str(&why);
}

/* Issue 26, finding 12: a clinical override to a provider that does not
 * cover the person's locality stored only the tier override, and took no
 * capacity: every rule that fired is stored. */
Test(broker, a_clinical_override_out_of_locality_stores_both_rules)
{
	struct offer_options o = {OVERRIDE_CLINICAL, "Only team trained in PEG feeding"};
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), id = 0, co = 0;
	char *why = NULL;
	cr_assert_eq(offer_create(fx.s, r, 23, &o, &id, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_not_null(strstr(c.rules, "tier_override"), "%s", c.rules);
	cr_expect_not_null(strstr(c.rules, "out_of_locality"), "%s", c.rules);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 23"), "40");
	br_free_str(&why);
}

Test(broker, inadequate_is_excluded)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	struct match_result *m = NULL;
	match_run(fx.s, r, &m, NULL);
	cr_expect(row(m, 24)->reasons & (1u << MATCH_INADEQUATE));
	match_free(&m);
}

Test(broker, a_decline_needs_a_reason)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t o = world_offer_ok(r, 1);
	char *why = NULL;
	cr_expect_eq(offer_decline(fx.s, o, -1, NULL, &why), BR_DATA);
	cr_expect_eq(offer_decline(fx.s, o, DECLINE_OTHER, "", &why), BR_DATA, "other needs a note");
	cr_expect_eq(offer_decline(fx.s, o, DECLINE_OTHER, "Carer off sick", &why), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT decline_reason || ':' || note FROM offer"), "other:Carer off sick");
	br_free_str(&why);
}

Test(broker, the_rate_in_force_on_the_start_date)
{
	int64_t a = world_request("SU1", "HC", 10, "2026-12-01"), b = world_request("SU3", "HC", 10, "2027-01-05");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(a, 1), &co, NULL), BR_OK);
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_eq(c.unit_rate, 1550, "the April 2026 rate");
	cr_expect_eq(c.weekly_cost, 15500);
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(b, 1), &co, NULL), BR_OK);
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_eq(c.unit_rate, 1600, "the January 2027 rate");
	int64_t p;
	match_rate_in_force(fx.s, 1, "HC", "2026-03-31", &p, NULL);
	cr_expect_eq(p, 1500);
}

Test(broker, capacity_is_taken_and_never_goes_below_zero)
{
	fx_sql(&fx, "UPDATE capacity SET free = 12 WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'");
	int64_t a = world_request("SU1", "HC", 10, "2026-12-01"), b = world_request("SU3", "HC", 10, "2026-12-01");
	int64_t oa = world_offer_ok(a, 1), ob = world_offer_ok(b, 1), co = 0;
	cr_assert_eq(offer_accept(fx.s, oa, &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "2");
	char *why = NULL;
	cr_expect_eq(offer_accept(fx.s, ob, &co, &why), BR_CONFLICT);
	cr_expect_not_null(strstr(why, "2 hours/week free in WAL, 10 needed; call-off 1 by officer"), "%s", why);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "2");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request WHERE id = 2"), "open", "nothing half-done");
	br_free_str(&why);
}

Test(broker, handback_reopens_the_request_and_holds_the_capacity_until_the_date)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-22");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "40");
	char *why = NULL;
	cr_expect_eq(calloff_handback(fx.s, co, "bored", "2026-12-06", &why), BR_DATA, "a reason code");
	cr_expect_eq(calloff_handback(fx.s, co, "no_staff", "2026-11-01", &why), BR_DATA, "before it started");
	cr_assert_eq(calloff_handback(fx.s, co, "no_staff", "2026-12-06", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "40",
			 "held until the notice date");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || handback FROM package_request WHERE id = 1"), "open 1");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || end_date FROM calloff WHERE id = 1"), "active 2026-12-06");
	struct queue_row q[5];
	int n;
	cr_assert_eq(queue_list(fx.s, QUEUE_REQUESTS, NULL, LIST_FORWARD, q, 5, &n, NULL), BR_OK);
	cr_assert_geq(n, 1);
	cr_expect(q[0].handback, "at the top of the queue, marked");
	cr_expect_eq(calloff_handback(fx.s, co, "no_staff", "2026-12-06", &why), BR_CONFLICT, "only once");
	br_free_str(&why);
}

Test(broker, requests_are_validated)
{
	struct request_input in = {.units = 10, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "JOINT");
	int64_t id;
	char *why = NULL;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "joint needs a split");
	in.asc_pct = 60;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT asc_pct FROM package_request"), "60");
	strcpy(in.funding, "ASC");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "ASC is all council");
	in.asc_pct = -1;
	in.units = 0;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "units > 0");
	in.units = 10;
	strcpy(in.start, "2026-11-21");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "in the past"), "%s", why);
	strcpy(in.start, "2026-11-22");
	strcpy(in.user_ref, "SU3");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "today is fine: %s", why ? why : "");
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "DAY");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "nobody is registered for DAY");
	strcpy(in.service, "XX");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA);
	strcpy(in.service, "HC");
	strcpy(in.user_ref, "SU404");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_NOTFOUND);
	br_free_str(&why);
}

Test(broker, units_are_bounded_per_service_from_the_config)
{
	struct request_input in = {.units = 1014, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t id = 0;
	char *why = NULL;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "1014 hours a week of home care");
	cr_expect_not_null(why && strstr(why, "at most 168"), "%s", why ? why : "");
	br_free_str(&why);
	in.units = 169;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "a week has 168 hours");
	br_free_str(&why);
	in.units = 168;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(request_cancel(fx.s, id, "a second below", &why), BR_OK, "%s", why ? why : "");
	/* the bound is the config's, per service */
	fx.s->cfg.units_max[SERVICE_HC] = 20;
	in.units = 21;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA);
	br_free_str(&why);
	in.units = 14;
	int64_t r = 0;
	cr_assert_eq(request_create(fx.s, &in, &r, &why), BR_OK, "%s", why ? why : "");
	/* editing is bounded too */
	in.units = 21;
	cr_expect_eq(request_edit(fx.s, r, &in, &why), BR_DATA);
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT units FROM package_request WHERE id = (SELECT max(id) FROM package_request)"), "14");
	strcpy(in.service, "SL");
	in.units = 2;
	strcpy(in.user_ref, "SU3");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	fx.s->cfg.units_max[SERVICE_SL] = 1;
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DATA, "a placement-like bound");
	br_free_str(&why);
}

Test(broker, an_offer_is_withdrawn_and_a_wrong_decline_corrected)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t o1 = world_offer_ok(r, 1); /* Premier, primary WAL */
	char *why = NULL;
	cr_expect_eq(offer_withdraw(fx.s, o1, "", &why), BR_DATA, "a reason is needed");
	br_free_str(&why);
	cr_assert_eq(offer_withdraw(fx.s, o1, "person changed their mind", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 1"), "withdrawn");
	/* issue 26: the reason is the offer's note, and who withdrew it */
	cr_expect_str_eq(fx_query(&fx, "SELECT note || ' / ' || responded_by FROM offer WHERE id = 1"),
			 "person changed their mind / officer");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'offer.withdraw' "
				       "AND detail LIKE '%person changed their mind%'"), "1");
	cr_expect_eq(offer_withdraw(fx.s, o1, "again", &why), BR_CONFLICT, "only a pending offer");
	br_free_str(&why);
	/* a decline recorded on the wrong provider, then corrected */
	int64_t o2 = world_offer_ok(r, 1);
	cr_assert_eq(offer_decline(fx.s, o2, DECLINE_NO_STAFF, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(offer_correct(fx.s, o2, " ", &why), BR_DATA, "a reason is needed");
	br_free_str(&why);
	cr_assert_eq(offer_correct(fx.s, o2, "recorded on the wrong provider", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || coalesce(decline_reason, '-') FROM offer WHERE id = 2"),
			 "pending -");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit WHERE action = 'offer.correct'"),
			 "declined->pending request=1 reason=recorded on the wrong provider");
	cr_expect_eq(offer_correct(fx.s, o2, "twice", &why), BR_CONFLICT, "only a decline");
	br_free_str(&why);
	/* the cascade moved on: a later offer waits, so no correction */
	cr_assert_eq(offer_decline(fx.s, o2, DECLINE_NO_STAFF, NULL, &why), BR_OK, "%s", why ? why : "");
	int64_t o3 = world_offer_ok(r, 2); /* the secondary */
	cr_expect_eq(offer_correct(fx.s, o2, "wrong provider", &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "withdraw it first"), "%s", why ? why : "");
	br_free_str(&why);
	cr_assert_eq(offer_withdraw(fx.s, o3, "offered too soon", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(offer_correct(fx.s, o2, "wrong provider", &why), BR_OK, "%s", why ? why : "");
	/* a viewer may do neither */
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "viewer", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(offer_withdraw(fx.s, o2, "no", &why), BR_DENIED);
	br_free_str(&why);
	cr_expect_eq(offer_correct(fx.s, o2, "no", &why), BR_DENIED);
	br_free_str(&why);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 8192);
	if (buf && fread(buf, 1, 8191, f) == 0)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

Test(broker, the_work_order_holds_only_what_the_provider_needs)
{
	struct request_input in = {.units = 10, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	strcpy(in.notes, "SECRET family history");
	int64_t r = 0, co = 0;
	char *why = NULL, *text = NULL;
	cr_assert_eq(request_create(fx.s, &in, &r, &why), BR_OK, "%s", why ? why : "");
	fx_sql(&fx, "UPDATE service_user SET postcode = 'CH45 1AA' WHERE id = 1;"
		    "INSERT INTO service_user_need VALUES (1, 'AUT')");
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(workorder_text(fx.s, co, NULL, &text, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not_null(strstr(text, "WORK ORDER for Premier Care"), "%s", text);
	cr_expect_not_null(strstr(text, "Siân Jones"), "%s", text);
	cr_expect_not_null(strstr(text, "CH45 1AA"), "%s", text);
	cr_expect_not_null(strstr(text, "1980-05-01"), "%s", text);
	cr_expect_not_null(strstr(text, "Learning disability; Autism"), "%s", text);
	cr_expect_not_null(strstr(text, "10 hours/week"), "%s", text);
	cr_expect_not_null(strstr(text, "2026-11-30"), "%s", text);
	cr_expect_not_null(strstr(text, "£15.50 an hour"), "%s", text);
	cr_expect_not_null(strstr(text, "call-off 1, request 1, person SU1"), "%s", text);
	cr_expect_null(strstr(text, "999 000 0018"), "no NHS number on a council-funded package: %s", text);
	cr_expect_null(strstr(text, "9990000018"), "%s", text);
	cr_expect_null(strstr(text, "SECRET"), "no notes: %s", text);
	free(text);
	/* NHS-funded: the NHS number is on it */
	fx_sql(&fx, "UPDATE package_request SET funding = 'CHC', asc_pct = 0");
	cr_assert_eq(workorder_text(fx.s, co, NULL, &text, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not_null(strstr(text, "NHS number:      999 000 0018"), "%s", text);
	free(text);
	text = NULL;
	/* written as a file the caller names, audited first */
	char dir[400], path[420];
	snprintf(dir, sizeof dir, "%s/out", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/wo.txt", dir);
	cr_assert_eq(workorder_write(fx.s, co, NULL, path, NULL, &why), BR_OK, "%s", why ? why : "");
	char *written = slurp(path);
	cr_assert_not_null(written);
	cr_expect_not_null(strstr(written, "WORK ORDER for Premier Care"));
	free(written);
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || entity || ' ' || entity_id FROM audit WHERE action = 'workorder.write'"),
			 "officer calloff 1");
	snprintf(path, sizeof path, "%s/wo.txt", fx.dir);
	cr_expect_eq(workorder_write(fx.s, co, NULL, path, NULL, &why), BR_DENIED, "never beside the database");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'workorder.write'"), "1",
			 "a refused file is not recorded as written");
	/* a viewer may not; a call-off not yet agreed has none */
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "viewer", &why), BR_OK);
	cr_expect_eq(workorder_text(fx.s, co, NULL, &text, &why), BR_DENIED);
	br_free_str(&why);
}

/* issue 27, finding 8 (issue 24's casework rule): one open request per
 * person and service; the refusal names the first; another service, another
 * person, or the same once the first is cancelled or placed, is raised */
Test(broker, a_second_open_request_for_the_same_service_is_refused_naming_the_first)
{
	int64_t r1 = world_request("SU1", "HC", 10, "2026-11-30");
	world_request("SU1", "SL", 5, "2026-11-30");
	world_request("SU3", "HC", 5, "2026-11-30");
	struct request_input in = {.units = 12, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-12-07");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(request_create(fx.s, &in, &id, &why), BR_CONFLICT);
	char want[80];
	snprintf(want, sizeof want, "request %lld for SU1 HC is already open (10 hours/week from 2026-11-30",
		 (long long)r1);
	cr_expect(why && strstr(why, want), "%s", why ? why : "(none)");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM package_request WHERE user_id = 1 AND service = 'HC'"), "1",
			 "nothing written");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'request.create'"), "3",
			 "nothing audited");
	cr_assert_eq(request_cancel(fx.s, r1, "raised twice", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "a cancelled one does not count: %s", why ? why : "");
	br_free_str(&why);
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(id, 1), &co, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "a placed one does not count: %s", why ? why : "");
	br_free_str(&why);
}

Test(broker, the_audit_person_filter_shows_everything_about_them)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), co = 0;
	world_request("SU3", "HC", 5, "2026-11-30");
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	struct person_detail *d = NULL;
	cr_assert_eq(person_open(fx.s, 1, NULL, &d, &why), BR_OK, "%s", why ? why : "");
	person_detail_free(&d);
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "supervisor", &why), BR_OK);
	struct audit_filter f;
	memset(&f, 0, sizeof f);
	f.person_id = 1;
	struct audit_row rows[50];
	int n = 0;
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 50, &n, &why), BR_OK, "%s", why ? why : "");
	bool seen_request = false, seen_offer = false, seen_calloff = false, seen_open = false;
	for (int i = 0; i < n; i++) {
		seen_request |= strcmp(rows[i].entity, "request") == 0 && strcmp(rows[i].entity_id, "1") == 0;
		seen_offer |= strcmp(rows[i].entity, "offer") == 0;
		seen_calloff |= strcmp(rows[i].entity, "calloff") == 0;
		seen_open |= strcmp(rows[i].action, "person.open") == 0;
		cr_expect(!(strcmp(rows[i].entity, "request") == 0 && strcmp(rows[i].entity_id, "2") == 0),
			  "SU3's request is not SU1's");
		if (i > 0)
			cr_expect_gt(rows[i - 1].id, rows[i].id, "newest first");
	}
	cr_expect(seen_request && seen_offer && seen_calloff && seen_open, "request %d offer %d calloff %d open %d",
		  seen_request, seen_offer, seen_calloff, seen_open);
	/* with a login filter too */
	text_copy(f.login, sizeof f.login, "nobody");
	cr_assert_eq(audit_list(fx.s, &f, NULL, LIST_FORWARD, rows, 50, &n, &why), BR_OK);
	cr_expect_eq(n, 0);
}

Test(broker, viewers_and_oncall_cannot_broker)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	session_close(&fx.s);
	const char *const logins[] = {"viewer", "oncall"};
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(session_open(&fx.s, fx.cfg, logins[i], NULL), BR_OK);
		char *why = NULL;
		int64_t id;
		cr_expect_eq(world_offer(r, 1, &id, &why), BR_DENIED, "%s", logins[i]);
		struct request_input in = {.units = 10, .asc_pct = -1};
		strcpy(in.user_ref, "SU1");
		strcpy(in.service, "HC");
		strcpy(in.start, "2026-11-30");
		strcpy(in.urgency, "routine");
		strcpy(in.funding, "ASC");
		cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_DENIED);
		br_free_str(&why);
		session_close(&fx.s);
	}
}

Test(broker, cancel_reopens_and_returns)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-12-30");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "approved");
	cr_assert_eq(calloff_cancel(fx.s, co, "Moved to a care home", NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "open");
	cr_assert_eq(request_cancel(fx.s, r, "No longer needed", NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "cancelled");
}

Test(broker, an_approved_calloff_becomes_active_on_its_start_date)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-24");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "approved");
	int n;
	clock_fix(TEST_NOW + 86400);
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_eq(n, 0, "not the day before");
	clock_fix(TEST_NOW + 2 * 86400);
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_eq(n, 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "active");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action FROM audit ORDER BY id DESC LIMIT 1"),
			 "system calloff.activate");
}

Test(broker, a_request_changes_only_while_open)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	struct request_input in = {.units = 14, .asc_pct = 70};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-12-07");
	strcpy(in.urgency, "urgent");
	strcpy(in.funding, "JOINT");
	char *why = NULL;
	cr_assert_eq(request_edit(fx.s, r, &in, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT units || ' ' || start_date || ' ' || urgency || ' ' || asc_pct "
				       "FROM package_request"), "14 2026-12-07 urgent 70");
	in.units = -1;
	cr_expect_eq(request_edit(fx.s, r, &in, &why), BR_DATA);
	in.units = 14;
	int64_t co;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_eq(request_edit(fx.s, r, &in, &why), BR_CONFLICT, "placed: no more changes");
	cr_expect_eq(request_cancel(fx.s, r, "x", &why), BR_CONFLICT);
	br_free_str(&why);
}

Test(broker, every_write_is_audited)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit "
				       "WHERE login = 'officer' ORDER BY id)"),
			 "request.create offer.create offer.accept calloff.create");
	long long rows;
	cr_expect_eq(audit_verify(fx.s->store, &rows, NULL, NULL), BR_OK);
}

/* Several processes race for the last capacity: exactly one call-off. */
Test(broker, racing_for_the_last_capacity_exactly_one_wins, .timeout = 60)
{
	enum { RACERS = 6 };
	int64_t offers[RACERS];
	/* a person each: one open request per person and service */
	fx_sql(&fx, "INSERT INTO service_user(id, ref, family_name, given_name, family_fold, given_fold, "
		    "date_of_birth, locality, primary_need, created_at) VALUES "
		    "(11,'R1','Race','One','race','one','1980-01-01','WAL','LD','x'),"
		    "(12,'R2','Race','Two','race','two','1980-01-01','WAL','LD','x'),"
		    "(13,'R3','Race','Three','race','three','1980-01-01','WAL','LD','x'),"
		    "(14,'R4','Race','Four','race','four','1980-01-01','WAL','LD','x'),"
		    "(15,'R5','Race','Five','race','five','1980-01-01','WAL','LD','x'),"
		    "(16,'R6','Race','Six','race','six','1980-01-01','WAL','LD','x');");
	for (int i = 0; i < RACERS; i++) {
		char ref[16];
		snprintf(ref, sizeof ref, "R%d", i + 1);
		int64_t r = world_request(ref, "SL", 10, "2026-12-01");
		offers[i] = world_offer_ok(r, 20);
	}
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 20 AND service = 'SL' AND locality = 'WAL'"), "10");
	char go[400];
	snprintf(go, sizeof go, "%s/go", fx.dir);
	pid_t kids[RACERS];
	for (int i = 0; i < RACERS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			struct session *s = NULL;
			if (session_open(&s, fx.cfg, i % 2 ? "officer" : "supervisor", NULL) != BR_OK)
				_exit(3);
			while (access(go, F_OK) != 0)
				usleep(1000);
			int64_t co;
			enum br_status st = offer_accept(s, offers[i], &co, NULL);
			session_close(&s);
			_exit(st == BR_OK ? 0 : st == BR_CONFLICT ? 1 : 2);
		}
	}
	usleep(100 * 1000);
	fx_write(&fx, "go", "");
	int won = 0, lost = 0, other = 0;
	for (int i = 0; i < RACERS; i++) {
		int status;
		waitpid(kids[i], &status, 0);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 9;
		won += code == 0;
		lost += code == 1;
		other += code > 1;
	}
	cr_expect_eq(won, 1, "exactly one booking");
	cr_expect_eq(lost, RACERS - 1, "the rest told it was taken");
	cr_expect_eq(other, 0, "no busy or broken answers");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 20 AND service = 'SL' AND locality = 'WAL'"), "0");
}

Test(broker, a_request_does_not_change_under_a_pending_offer)
{
	int64_t req = world_request("SU1", "HC", 10, "2026-12-01");
	world_offer_ok(req, 1);
	struct request_input in;
	struct request_info r;
	cr_assert_eq(request_get(fx.s, req, &r, NULL), BR_OK);
	memset(&in, 0, sizeof in);
	text_copy(in.user_ref, sizeof in.user_ref, "SU1");
	text_copy(in.service, sizeof in.service, "HC");
	in.units = 40;
	in.asc_pct = -1;
	text_copy(in.start, sizeof in.start, r.start);
	text_copy(in.urgency, sizeof in.urgency, r.urgency);
	text_copy(in.funding, sizeof in.funding, r.funding);
	char *why = NULL;
	cr_expect_eq(request_edit(fx.s, req, &in, &why), BR_CONFLICT);
	cr_expect_not_null(strstr(why, "waiting for an answer"), "%s", why);
	cr_expect_str_eq(fx_query(&fx, "SELECT units FROM package_request WHERE id = (SELECT max(id) FROM package_request)"), "10");
	br_free_str(&why);
}

/* ---- issue 26: a restricted record, probed ------------------------------------ */

static int su_hits(const char *text)
{
	struct su_filter f = {0};
	text_copy(f.text, sizeof f.text, text);
	struct su_row rows[10];
	int n = -1;
	cr_assert_eq(su_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, 10, &n, NULL), BR_OK);
	return n;
}

/* Finding 9: hidden NHS numbers and postcodes were recoverable a prefix at
 * a time from the search, and person add named whose a hidden number was. */
Test(broker, a_restricted_records_hidden_fields_match_no_search)
{
	fx_sql(&fx, "UPDATE service_user SET postcode = 'CH45 1AA', postcode_key = 'CH451AA' WHERE id IN (1, 3);"
		    "UPDATE service_user SET restricted = 1 WHERE id = 1");
	cr_expect_eq(su_hits("999000001"), 0, "SU1's NHS number is hidden");
	cr_expect_eq(su_hits("9990000018"), 0);
	cr_expect_eq(su_hits("9990000085"), 1, "SU3's is not");
	cr_expect_eq(su_hits("CH45"), 1, "only SU3 by postcode");
	cr_expect_eq(su_hits("Jones"), 1, "the name is shown, so it is searched");
	struct person_input in = {0};
	strcpy(in.nhs, "9990000018");
	strcpy(in.family, "Other");
	strcpy(in.given, "Person");
	strcpy(in.dob, "1970-01-01");
	strcpy(in.locality, "WAL");
	strcpy(in.need, "LD");
	strcpy(in.postcode, "CH41 1AA");
	char ref[17], warning[160] = "";
	char *why = NULL;
	cr_expect_eq(person_add(fx.s, &in, ref, warning, &why), BR_CONFLICT);
	cr_expect(why && !strstr(why, "SU1"), "says whose: %s", why ? why : "");
	br_free_str(&why);
}

/* Finding 8: an on-call officer's work order of a restricted NHS-funded
 * person printed the postcode, date of birth and NHS number, with no
 * reason asked and none on the record. */
Test(broker, a_restricted_persons_work_order_is_name_and_reference_until_a_reason)
{
	fx_sql(&fx, "UPDATE service_user SET postcode = 'CH45 1AA', restricted = 1 WHERE id = 1");
	struct request_input in = {.units = 10, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "CHC");
	int64_t r = 0, co = 0;
	char *why = NULL, *text = NULL;
	cr_assert_eq(request_create(fx.s, &in, &r, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	world_as("oncall");
	cr_assert_eq(workorder_text(fx.s, co, NULL, &text, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not_null(strstr(text, "Siân Jones"), "%s", text);
	cr_expect_not_null(strstr(text, "person SU1"), "%s", text);
	cr_expect_null(strstr(text, "CH45"), "%s", text);
	cr_expect_null(strstr(text, "1980-05-01"), "%s", text);
	cr_expect_null(strstr(text, "999 000 0018"), "%s", text);
	cr_expect_null(strstr(text, "Learning disability"), "%s", text);
	free(text);
	char dir[400], path[420];
	snprintf(dir, sizeof dir, "%s/out", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/wo.txt", dir);
	cr_assert_eq(workorder_write(fx.s, co, "provider needs the address for the first call", path, NULL, &why), BR_OK,
		     "%s", why ? why : "");
	char *written = slurp(path);
	cr_assert_not_null(written);
	cr_expect_not_null(strstr(written, "CH45 1AA"), "with a reason, the whole work order");
	free(written);
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || detail FROM audit WHERE action = 'person.breakglass'"),
			 "oncall work order of call-off 1 break-glass: provider needs the address for the first call");
	br_free_str(&why);
}

/* Finding 10: "residential placement for someone aged 40" in the
 * acceptance and on the Approvals screen told a restricted person's age. */
Test(broker, a_restricted_persons_age_is_not_in_the_approval_words)
{
	fx_sql(&fx, "UPDATE service_user SET restricted = 1 WHERE id = 1;"
		    "INSERT INTO registration SELECT 1, 'RES', code FROM need;"
		    "INSERT INTO capacity VALUES (1, 'RES', 'WAL', 3, 'x');"
		    "INSERT INTO rate VALUES (1, 'RES', '2019-04-01', 90000)");
	int64_t r = world_request("SU1", "RES", 1, "2026-11-30"), co = 0;
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	const char *words = fx_query(&fx, "SELECT detail FROM approval_rule WHERE rule = 'residential_under_65'");
	cr_expect_null(strstr(words, "46"), "%s", words);
	cr_expect_null(strstr(words, "aged"), "%s", words);
	cr_expect_not_null(strstr(words, "under 65"), "%s", words);
	br_free_str(&why);
}

#include <sqlite3.h>
#include "store_internal.h"

static int pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	int v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
	sqlite3_finalize(q);
	return v;
}

/* Issue 27, finding 3: a database changed behind the program's back is
 * read with suspicion by every session's connection: the schema is not
 * writable, no function runs from it, cells are checked as they are read,
 * deleted personal data is overwritten. */
Test(broker, every_sessions_connection_is_defensive)
{
	sqlite3 *db = store_db(fx.s->store);
	cr_expect_eq(pragma_int(db, "PRAGMA cell_size_check"), 1);
	cr_expect_eq(pragma_int(db, "PRAGMA trusted_schema"), 0);
	cr_expect_eq(pragma_int(db, "PRAGMA secure_delete"), 1);
	char *err = NULL;
	int rc = sqlite3_exec(db, "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql WHERE name = 'provider'",
			      NULL, NULL, &err);
	cr_expect_neq(rc, SQLITE_OK, "the schema was writable");
	sqlite3_free(err);
}
