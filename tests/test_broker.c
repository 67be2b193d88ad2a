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

static struct fixture fx;

/* Providers: 1 Premier (primary WAL), 2 Alliance (consortium: secondary WAL,
 * primary WW), 3 Community Caring (member of 2), 5 Haven (primary SW,
 * secondary WW), 8 and 9 peripheral, 20 registered on HC and SL in WAL,
 * 21 on SL only, 22 suspended, 23 covers BIR only, 24 rated Inadequate. */
static void world(void)
{
	fx_open(&fx, 0, "officer");
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, cqc_rating, is_consortium, consortium_id) VALUES "
		"(1,'Premier Care','premiercare','Good',0,NULL),(2,'Wirral Home Care Alliance','wirralhomecarealliance','Good',1,NULL),"
		"(3,'Community Caring','communitycaring','Good',0,2),(5,'Haven Care','havencare','Good',0,NULL),"
		"(8,'Care Connect','careconnect','Good',0,NULL),(9,'Kare Plus','kareplus','Outstanding',0,NULL),"
		"(20,'Registered One','registeredone','Good',0,NULL),(21,'Spot Shop','spotshop','Good',0,NULL),"
		"(23,'Birkenhead Only','birkenheadonly','Good',0,NULL),(24,'Poor Care','poorcare','Inadequate',0,NULL);"
		"INSERT INTO provider(id, name, name_fold, cqc_rating, status, suspended_reason, suspended_on) VALUES "
		"(22,'Embargoed Ltd','embargoedltd','Good','suspended','Safeguarding concern','2026-11-01');"
		"INSERT INTO registration SELECT p.id, 'HC', n.code FROM provider p, need n WHERE p.id NOT IN (21);"
		"INSERT INTO registration SELECT p.id, 'SL', n.code FROM provider p, need n WHERE p.id IN (20, 21);"
		"INSERT INTO coverage SELECT p.id, l.code FROM provider p, locality l WHERE p.id NOT IN (23);"
		"INSERT INTO coverage VALUES (23, 'BIR');"
		"INSERT INTO capacity SELECT p.id, 'HC', l.code, 50, 'x' FROM provider p, locality l WHERE p.id NOT IN (21, 23);"
		"INSERT INTO capacity VALUES (23, 'HC', 'BIR', 50, 'x');"
		"INSERT INTO capacity SELECT p.id, 'SL', l.code, 10, 'x' FROM provider p, locality l WHERE p.id IN (20, 21);"
		"INSERT INTO rate SELECT p.id, 'HC', '2019-04-01', 1500 FROM provider p;"
		"INSERT INTO rate SELECT p.id, 'SL', '2019-04-01', 1700 FROM provider p WHERE p.id IN (20, 21);"
		"INSERT INTO rate VALUES (1, 'HC', '2026-04-01', 1550), (1, 'HC', '2027-01-01', 1600);"
		"INSERT INTO award(service, locality, provider_id, tier, valid_from) VALUES "
		"('HC','WAL',1,'primary','2019-04-01'),('HC','WAL',2,'secondary','2019-04-01'),"
		"('HC','WW',2,'primary','2019-04-01'),('HC','WW',5,'secondary','2019-04-01'),"
		"('HC','SW',5,'primary','2019-04-01'),('HC',NULL,8,'peripheral','2019-04-01'),"
		"('HC',NULL,9,'peripheral','2019-04-01');"
		"INSERT INTO service_user(id, ref, nhs_number, family_name, given_name, family_fold, given_fold, "
		"date_of_birth, locality, primary_need, created_at) VALUES "
		"(1,'SU1','9990000018','Jones','Siân','jones','sian','1980-05-01','WAL','LD','x'),"
		"(2,'SU2','9990000050','Hughes','Tom','hughes','tom','1950-05-01','WW','AUT','x'),"
		"(3,'SU3','9990000085','Price','Ann','price','ann','1990-05-01','WAL','LD','x');");
}

static void teardown(void) { fx_close(&fx); }

TestSuite(broker, .init = world, .fini = teardown);

static int64_t request(const char *ref, const char *service, int64_t units, const char *start)
{
	struct request_input in = {.units = units, .asc_pct = -1};
	strcpy(in.user_ref, ref);
	strcpy(in.service, service);
	strcpy(in.start, start);
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	return id;
}

static enum br_status offer(int64_t req, int64_t provider, int64_t *id, char **why)
{
	int64_t dummy;
	return offer_create(fx.s, req, provider, NULL, id ? id : &dummy, why);
}

static int64_t offer_ok(int64_t req, int64_t provider)
{
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(offer(req, provider, &id, &why), BR_OK, "offer to %lld: %s", (long long)provider,
		     why ? why : "");
	return id;
}

static void decline(int64_t offer_id)
{
	char *why = NULL;
	cr_assert_eq(offer_decline(fx.s, offer_id, DECLINE_NO_STAFF, NULL, &why), BR_OK, "%s", why ? why : "");
}

static const struct match_row *row(struct match_result *m, int64_t provider)
{
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == provider)
			return &m->rows[i];
	return NULL;
}

Test(broker, primary_first_and_the_refusal_names_it)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	char *why = NULL;
	cr_expect_eq(offer(r, 2, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "Premier Care (primary, provider 1)"), "%s", why);
	cr_expect_eq(offer(r, 8, NULL, &why), BR_DENIED, "peripheral waits too");
	cr_expect_eq(offer(r, 20, NULL, &why), BR_DENIED, "registered waits too");
	br_free_str(&why);
	offer_ok(r, 1);
}

Test(broker, secondary_after_primary_declined)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t o = offer_ok(r, 1);
	char *why = NULL;
	cr_expect_eq(offer(r, 2, NULL, &why), BR_DENIED, "primary still has the offer");
	cr_expect_not_null(strstr(why, "has the offer"), "%s", why);
	br_free_str(&why);
	decline(o);
	offer_ok(r, 2);
}

Test(broker, secondary_after_primary_expired)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t o = offer_ok(r, 1);
	char *why = NULL;
	clock_fix(TEST_NOW + 71 * 3600);
	cr_expect_eq(offer(r, 2, NULL, &why), BR_DENIED, "71 hours: still inside the 72-hour window");
	clock_fix(TEST_NOW + 73 * 3600);
	offer_ok(r, 2);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 1"), "expired");
	(void)o;
	cr_expect_eq(offer_accept(fx.s, o, &(int64_t){0}, &why), BR_CONFLICT, "an expired offer cannot be accepted");
	br_free_str(&why);
}

Test(broker, secondary_when_primary_has_no_capacity_or_is_suspended)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
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
	cr_expect_eq(offer(r, 1, NULL, &why), BR_DENIED, "suspended providers are never offerable");
	cr_expect_not_null(strstr(why, "suspended"), "%s", why);
	br_free_str(&why);
	offer_ok(r, 2);
}

Test(broker, peripheral_only_after_both_and_first_acceptance_wins)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	decline(offer_ok(r, 1));
	char *why = NULL;
	cr_expect_eq(offer(r, 8, NULL, &why), BR_DENIED, "the secondary has not answered");
	br_free_str(&why);
	decline(offer_ok(r, 2));
	int64_t a = offer_ok(r, 8), b = offer_ok(r, 9);
	cr_expect_eq(offer(r, 20, NULL, &why), BR_DENIED, "registered waits for the peripherals");
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
	int64_t r = request("SU2", "HC", 10, "2026-11-30");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect_eq(m->rows[0].provider_id, 2, "the Alliance is West Wirral's primary");
	cr_expect_str_eq(m->rows[0].tier, "primary");
	cr_expect(row(m, 3)->reasons & (1u << MATCH_CONSORTIUM_MEMBER));
	match_free(&m);
	char *why = NULL;
	cr_expect_eq(offer(r, 3, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "Wirral Home Care Alliance"), "%s", why);
	br_free_str(&why);
	offer_ok(r, 2);
}

Test(broker, continuity_skips_the_cascade)
{
	int64_t first = request("SU1", "HC", 5, "2026-11-22");
	decline(offer_ok(first, 1));
	decline(offer_ok(first, 2));
	decline(offer_ok(first, 8));
	decline(offer_ok(first, 9));
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(first, 20), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff WHERE id = 1"), "active");
	/* a change of package: the existing provider without the cascade */
	int64_t r = request("SU1", "HC", 12, "2026-12-01");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(row(m, 20)->continuity);
	cr_expect_eq(row(m, 20)->reasons, 0u);
	match_free(&m);
	int64_t o = offer_ok(r, 20);
	cr_assert_eq(offer_accept(fx.s, o, &co, NULL), BR_OK);
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect(c.continuity, "the call-off records continuity");
	cr_expect_str_eq(c.tier, "registered", "and the provider's own tier");
	/* someone else with no such provider still goes through the cascade */
	int64_t other = request("SU3", "HC", 10, "2026-12-01");
	char *why = NULL;
	cr_expect_eq(offer(other, 20, NULL, &why), BR_DENIED);
	br_free_str(&why);
}

Test(broker, spot_purchase_needs_a_reason_and_approval)
{
	int64_t r = request("SU1", "SL", 5, "2026-11-30");
	fx_sql(&fx, "INSERT INTO provider(id, name, name_fold) VALUES (30, 'Off Framework', 'offframework');"
		    "INSERT INTO rate VALUES (30, 'SL', '2019-04-01', 1900)");
	char *why = NULL;
	int64_t id = 0;
	cr_expect_eq(offer(r, 30, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "spot"), "%s", why);
	struct offer_options o = {OVERRIDE_SPOT, ""};
	cr_expect_eq(offer_create(fx.s, r, 30, &o, &id, &why), BR_DATA, "no reason given");
	strcpy(o.reason, "Only provider able to support at night");
	cr_expect_eq(offer_create(fx.s, r, 30, &o, &id, &why), BR_DENIED, "the framework is not exhausted");
	cr_expect_not_null(strstr(why, "last resort"), "%s", why);
	decline(offer_ok(r, 20));
	decline(offer_ok(r, 21));
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
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	offer_ok(r, 1);
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
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	decline(offer_ok(r, 1));
	decline(offer_ok(r, 2));
	decline(offer_ok(r, 8));
	decline(offer_ok(r, 9));
	decline(offer_ok(r, 20));
	struct offer_options early = {OVERRIDE_OUT_OF_LOCALITY, "Nearest with a carer who speaks Welsh"};
	char *why = NULL;
	int64_t id = 0, co = 0;
	cr_expect_eq(offer_create(fx.s, r, 23, &early, &id, &why), BR_DENIED, "Haven Care in Wallasey can still answer");
	cr_expect_not_null(strstr(why, "Haven Care"), "%s", why);
	decline(offer_ok(r, 5));
	cr_expect_eq(offer(r, 23, &id, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "does not cover WAL"), "%s", why);
	struct offer_options o = {OVERRIDE_OUT_OF_LOCALITY, "Nearest with a carer who speaks Welsh"};
	cr_assert_eq(offer_create(fx.s, r, 23, &o, &id, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_not_null(strstr(c.rules, "out_of_locality"), "%s", c.rules);
	br_free_str(&why);
}

Test(broker, inadequate_is_excluded)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	struct match_result *m = NULL;
	match_run(fx.s, r, &m, NULL);
	cr_expect(row(m, 24)->reasons & (1u << MATCH_INADEQUATE));
	match_free(&m);
}

Test(broker, a_decline_needs_a_reason)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t o = offer_ok(r, 1);
	char *why = NULL;
	cr_expect_eq(offer_decline(fx.s, o, -1, NULL, &why), BR_DATA);
	cr_expect_eq(offer_decline(fx.s, o, DECLINE_OTHER, "", &why), BR_DATA, "other needs a note");
	cr_expect_eq(offer_decline(fx.s, o, DECLINE_OTHER, "Carer off sick", &why), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT decline_reason || ':' || note FROM offer"), "other:Carer off sick");
	br_free_str(&why);
}

Test(broker, the_rate_in_force_on_the_start_date)
{
	int64_t a = request("SU1", "HC", 10, "2026-12-01"), b = request("SU3", "HC", 10, "2027-01-05");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(a, 1), &co, NULL), BR_OK);
	struct calloff_info c;
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_eq(c.unit_rate, 1550, "the April 2026 rate");
	cr_expect_eq(c.weekly_cost, 15500);
	cr_assert_eq(offer_accept(fx.s, offer_ok(b, 1), &co, NULL), BR_OK);
	calloff_get(fx.s, co, &c, NULL);
	cr_expect_eq(c.unit_rate, 1600, "the January 2027 rate");
	int64_t p;
	rate_in_force(fx.s, 1, "HC", "2026-03-31", &p, NULL);
	cr_expect_eq(p, 1500);
}

Test(broker, capacity_is_taken_and_never_goes_below_zero)
{
	fx_sql(&fx, "UPDATE capacity SET free = 12 WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'");
	int64_t a = request("SU1", "HC", 10, "2026-12-01"), b = request("SU3", "HC", 10, "2026-12-01");
	int64_t oa = offer_ok(a, 1), ob = offer_ok(b, 1), co = 0;
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
	int64_t r = request("SU1", "HC", 10, "2026-11-22");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
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
	cr_expect_eq(request_create(fx.s, &in, &id, &why), BR_OK, "today is fine");
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
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t o1 = offer_ok(r, 1); /* Premier, primary WAL */
	char *why = NULL;
	cr_expect_eq(offer_withdraw(fx.s, o1, "", &why), BR_DATA, "a reason is needed");
	br_free_str(&why);
	cr_assert_eq(offer_withdraw(fx.s, o1, "person changed their mind", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 1"), "withdrawn");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'offer.withdraw' "
				       "AND detail LIKE '%person changed their mind%'"), "1");
	cr_expect_eq(offer_withdraw(fx.s, o1, "again", &why), BR_CONFLICT, "only a pending offer");
	br_free_str(&why);
	/* a decline recorded on the wrong provider, then corrected */
	int64_t o2 = offer_ok(r, 1);
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
	int64_t o3 = offer_ok(r, 2); /* the secondary */
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
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(workorder_text(fx.s, co, &text, &why), BR_OK, "%s", why ? why : "");
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
	cr_assert_eq(workorder_text(fx.s, co, &text, &why), BR_OK, "%s", why ? why : "");
	cr_expect_not_null(strstr(text, "NHS number:      999 000 0018"), "%s", text);
	free(text);
	text = NULL;
	/* written as a file the caller names, audited first */
	char dir[400], path[420];
	snprintf(dir, sizeof dir, "%s/out", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/wo.txt", dir);
	cr_assert_eq(workorder_write(fx.s, co, path, NULL, &why), BR_OK, "%s", why ? why : "");
	char *written = slurp(path);
	cr_assert_not_null(written);
	cr_expect_not_null(strstr(written, "WORK ORDER for Premier Care"));
	free(written);
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || entity || ' ' || entity_id FROM audit WHERE action = 'workorder.write'"),
			 "officer calloff 1");
	snprintf(path, sizeof path, "%s/wo.txt", fx.dir);
	cr_expect_eq(workorder_write(fx.s, co, path, NULL, &why), BR_DENIED, "never beside the database");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action = 'workorder.write'"), "1",
			 "a refused file is not recorded as written");
	/* a viewer may not; a call-off not yet agreed has none */
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "viewer", &why), BR_OK);
	cr_expect_eq(workorder_text(fx.s, co, &text, &why), BR_DENIED);
	br_free_str(&why);
}

Test(broker, a_second_open_request_for_the_same_service_is_found)
{
	int n = -1;
	int64_t first = -1;
	cr_assert_eq(request_open_same(fx.s, "SU1", "HC", &n, &first, NULL), BR_OK);
	cr_expect_eq(n, 0);
	cr_expect_eq(first, 0);
	int64_t r1 = request("SU1", "HC", 10, "2026-11-30");
	request("SU1", "SL", 5, "2026-11-30");
	request("SU3", "HC", 5, "2026-11-30");
	cr_assert_eq(request_open_same(fx.s, "SU1", "HC", &n, &first, NULL), BR_OK);
	cr_expect_eq(n, 1);
	cr_expect_eq(first, r1);
	request("SU1", "HC", 12, "2026-12-07");
	cr_assert_eq(request_open_same(fx.s, "SU1", "HC", &n, &first, NULL), BR_OK);
	cr_expect_eq(n, 2);
	cr_expect_eq(first, r1, "the oldest is shown");
	char *why = NULL;
	cr_assert_eq(request_cancel(fx.s, r1, "raised twice", &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(request_open_same(fx.s, "SU1", "HC", &n, &first, NULL), BR_OK);
	cr_expect_eq(n, 1, "a cancelled one does not count");
}

Test(broker, the_audit_person_filter_shows_everything_about_them)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30"), co = 0;
	request("SU3", "HC", 5, "2026-11-30");
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
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
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	session_close(&fx.s);
	const char *const logins[] = {"viewer", "oncall"};
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(session_open(&fx.s, fx.cfg, logins[i], NULL), BR_OK);
		char *why = NULL;
		int64_t id;
		cr_expect_eq(offer(r, 1, &id, &why), BR_DENIED, "%s", logins[i]);
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
	int64_t r = request("SU1", "HC", 10, "2026-12-30");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "approved");
	cr_assert_eq(calloff_cancel(fx.s, co, "Moved to a care home", NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "open");
	cr_assert_eq(request_cancel(fx.s, r, "No longer needed", NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "cancelled");
}

Test(broker, an_approved_calloff_becomes_active_on_its_start_date)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-24");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
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
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
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
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_eq(request_edit(fx.s, r, &in, &why), BR_CONFLICT, "placed: no more changes");
	cr_expect_eq(request_cancel(fx.s, r, "x", &why), BR_CONFLICT);
	br_free_str(&why);
}

Test(broker, every_write_is_audited)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
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
	for (int i = 0; i < RACERS; i++) {
		int64_t r = request(i % 2 ? "SU1" : "SU3", "SL", 10, "2026-12-01");
		offers[i] = offer_ok(r, 20);
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

/* ---- approvals, four eyes, limits, break-glass, users ------------------- */

TestSuite(approval, .init = world, .fini = teardown);

static void as(const char *login)
{
	session_close(&fx.s);
	char *why = NULL;
	cr_assert_eq(session_open(&fx.s, fx.cfg, login, &why), BR_OK, "%s", why ? why : "");
}

/* 40 hours at £21 = £840 a week: above the £800 home care threshold */
static int64_t expensive(void)
{
	fx_sql(&fx, "UPDATE rate SET pence = 2100 WHERE provider_id = 1;"
		    "UPDATE users SET approval_limit = 10000000 WHERE login = 'supervisor';"
		    "INSERT INTO users(login, name, role, approval_limit, created_at) VALUES "
		    "('supervisor2', 'S2', 'supervisor', 1000000, 'x')");
	int64_t r = request("SU1", "HC", 40, "2026-11-30"), co = 0;
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	return co;
}

Test(approval, an_over_threshold_calloff_waits_with_its_rules_in_words)
{
	int64_t co = expensive();
	struct approval_item a;
	cr_assert_eq(approval_get(fx.s, co, &a, NULL), BR_OK);
	cr_expect_str_eq(a.status, "pending");
	cr_expect_not_null(strstr(a.rules, "weekly cost £840.00 is above the £800.00 threshold"), "%s", a.rules);
	cr_expect_eq(a.annual_cost, 84000 * 52);
	cr_expect_str_eq(a.can_approve, "supervisor", "supervisor2's limit is too small");
	struct approval_item rows[5];
	int n;
	cr_assert_eq(approval_list(fx.s, NULL, LIST_FORWARD, rows, 5, &n, NULL), BR_OK);
	cr_expect_eq(n, 1);
}

Test(approval, nobody_approves_their_own_proposal)
{
	as("supervisor");
	int64_t co = expensive();
	char *why = NULL;
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "four eyes"), "%s", why);
	br_free_str(&why);
}

Test(approval, the_queue_names_the_proposers_and_says_at_once_who_may_decide)
{
	as("supervisor");
	int64_t co = expensive();
	struct approval_item rows[5];
	int n = 0;
	cr_assert_eq(approval_list(fx.s, NULL, LIST_FORWARD, rows, 5, &n, NULL), BR_OK);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(rows[0].proposers, "supervisor");
	cr_expect(rows[0].mine, "the supervisor shaped it");
	char *why = NULL;
	cr_expect_eq(approval_may_decide(fx.s, co, true, &why), BR_DENIED);
	cr_expect_not_null(why && strstr(why, "four eyes"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action LIKE 'approval.%' AND login = 'supervisor' "
				       "AND action <> 'approval.request'"), "0", "asking writes nothing");
	as("supervisor2");
	cr_assert_eq(approval_list(fx.s, NULL, LIST_FORWARD, rows, 5, &n, NULL), BR_OK);
	cr_expect(!rows[0].mine);
	cr_expect_eq(approval_may_decide(fx.s, co, true, &why), BR_DENIED, "above supervisor2's limit");
	br_free_str(&why);
	cr_expect_eq(approval_may_decide(fx.s, co, false, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(approval_decide(fx.s, co, false, "Not needed", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(approval_may_decide(fx.s, co, false, &why), BR_CONFLICT, "decided already");
	br_free_str(&why);
	as("viewer");
	cr_expect_eq(approval_may_decide(fx.s, co, true, &why), BR_DENIED);
	br_free_str(&why);
}

Test(approval, above_the_limit_waits_for_someone_whose_limit_covers_it)
{
	int64_t co = expensive();
	as("supervisor2");
	char *why = NULL;
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "above supervisor2's limit of £10,000.00"), "%s", why);
	cr_expect_not_null(strstr(why, "supervisor can approve it"), "%s", why);
	as("supervisor");
	cr_expect_eq(approval_decide(fx.s, co, true, "Complex needs at night", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "approved");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || decided_by FROM approval"), "approved supervisor");
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_CONFLICT, "only once");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit "
				       "WHERE login = 'supervisor' ORDER BY id)"), "approval.approve calloff.approve");
	br_free_str(&why);
}

Test(approval, only_supervisors_decide)
{
	int64_t co = expensive();
	const char *const logins[] = {"officer", "viewer", "oncall", "admin"};
	for (int i = 0; i < 4; i++) {
		as(logins[i]);
		char *why = NULL;
		cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED, "%s", logins[i]);
		br_free_str(&why);
	}
}

Test(approval, rejection_needs_a_note_returns_capacity_and_reopens)
{
	int64_t co = expensive();
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "10");
	as("supervisor");
	char *why = NULL;
	cr_expect_eq(approval_decide(fx.s, co, false, "", &why), BR_DATA);
	cr_assert_eq(approval_decide(fx.s, co, false, "Try a community alternative", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "rejected");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "open");
	br_free_str(&why);
}

Test(approval, a_restricted_record_needs_break_glass)
{
	fx_sql(&fx, "UPDATE service_user SET restricted = 1 WHERE id = 1");
	struct person_detail *d = NULL;
	char *why = NULL;
	cr_expect_eq(person_open(fx.s, 1, NULL, &d, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "restricted"), "%s", why);
	cr_expect_null(d);
	cr_expect_eq(person_open(fx.s, 1, "   ", &d, &why), BR_DENIED, "a blank reason is no reason");
	cr_assert_eq(person_open(fx.s, 1, "Safeguarding call from the police", &d, &why), BR_OK);
	cr_expect_str_eq(d->su.ref, "SU1");
	person_detail_free(&d);
	cr_expect_str_eq(fx_query(&fx, "SELECT action || ': ' || detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "person.breakglass: SU1 break-glass: Safeguarding call from the police");
	cr_assert_eq(person_open(fx.s, 3, NULL, &d, &why), BR_OK, "others open as usual");
	person_detail_free(&d);
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit ORDER BY id DESC LIMIT 1"), "person.open");
	br_free_str(&why);
}

Test(approval, admins_manage_users_and_nobody_else_does)
{
	char *why = NULL;
	cr_expect_eq(user_add(fx.s, "newbie", "New Officer", "officer", -1, &why), BR_DENIED, "an officer cannot");
	as("admin");
	cr_expect_eq(user_add(fx.s, "newbie", "New Officer", "officer", -1, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(user_add(fx.s, "newbie", "Again", "officer", -1, &why), BR_CONFLICT);
	cr_expect_eq(user_add(fx.s, "Bad Login", "x", "officer", -1, &why), BR_DATA);
	cr_expect_eq(user_add(fx.s, "x2", "x", "guest", -1, &why), BR_DATA);
	cr_expect_eq(user_add(fx.s, "x3", "x", "officer", 5000, &why), BR_DATA, "limits are for supervisors");
	cr_expect_eq(user_set_role(fx.s, "newbie", "supervisor", 2000000, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT role || ' ' || approval_limit FROM users WHERE login = 'newbie'"),
			 "supervisor 2000000");
	cr_expect_eq(user_set_role(fx.s, "admin", "officer", -1, &why), BR_DENIED, "not their own admin role");
	cr_expect_eq(user_disable(fx.s, "newbie", &why), BR_OK);
	cr_expect_eq(user_disable(fx.s, "nobody", &why), BR_NOTFOUND);
	struct session *s = NULL;
	cr_expect_eq(session_open(&s, fx.cfg, "newbie", &why), BR_DENIED, "a disabled login is refused");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit "
				       "WHERE login = 'admin' AND entity_id = 'newbie' ORDER BY id)"), "user.add user.set-role user.disable");
	br_free_str(&why);
}

/* ---- emergency respite -------------------------------------------------- */

static void respite_world(void)
{
	world();
	/* 40 has 2 beds in WAL, 41 one in BIR, 42 one in SW (registered for AUT
	 * only), 43 one in WW but suspended, 44 one in WW */
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, phone) VALUES (40,'Wallasey Beds','wallaseybeds','0151 000 0040'),"
		"(41,'Birkenhead Beds','birkenheadbeds','0151 000 0041'),(42,'Autism Only','autismonly','0151 000 0042'),"
		"(44,'West Beds','westbeds','0151 000 0044');"
		"INSERT INTO provider(id, name, name_fold, status, suspended_reason, suspended_on) VALUES "
		"(43,'Closed Beds','closedbeds','suspended','Safeguarding','2026-11-01');"
		"INSERT INTO registration SELECT id, 'RSP', 'LD' FROM provider WHERE id IN (40,41,43,44);"
		"INSERT INTO registration VALUES (42, 'RSP', 'AUT');"
		"INSERT INTO capacity VALUES (40,'RSP','WAL',2,'x'),(41,'RSP','BIR',1,'x'),(42,'RSP','SW',1,'x'),"
		"(43,'RSP','WW',1,'x'),(44,'RSP','WW',1,'x');"
		"INSERT INTO rate SELECT id, 'RSP', '2019-04-01', 18000 FROM provider WHERE id BETWEEN 40 AND 44;"
		"INSERT INTO users(login, name, role, approval_limit, created_at) VALUES ('sup2','S','supervisor',100000000,'x');");
}

TestSuite(respite, .init = respite_world, .fini = teardown);

/* a respite booking made by hand: nights [first, last] at provider 40 */
static void hold(const char *first, const char *last)
{
	char sql[600];
	snprintf(sql, sizeof sql,
		 "INSERT INTO package_request(user_id, service, locality, units, start_date, urgency, funding, asc_pct, "
		 "status, created_at, created_by, opened_at, closed_at) VALUES (3,'RSP','WAL',1,'%s','emergency','ASC',100,"
		 "'placed','x','officer','x','x');"
		 "INSERT INTO calloff(request_id, provider_id, tier, service, locality, unit_rate_pence, units, "
		 "weekly_cost_pence, asc_pct, start_date, end_date, status, proposed_by, created_at) VALUES "
		 "(last_insert_rowid(), 40, 'emergency', 'RSP', 'WAL', 100, 1, 100, 100, '%s', '%s', 'active', 'officer', 'x')",
		 first, first, last);
	fx_sql(&fx, sql);
}

static int free_at_40(void)
{
	int f = -1;
	cr_assert_eq(respite_free(fx.s, 40, "WAL", respite_tonight(), &f, NULL), BR_OK);
	return f;
}

Test(respite, free_tonight_counts_the_bookings_that_cover_tonight)
{
	cr_expect_eq(free_at_40(), 2);
	hold("2026-11-20", "2026-11-21");
	cr_expect_eq(free_at_40(), 2, "a booking whose last night was last night frees the bed tonight");
	hold("2026-11-23", "2026-11-25");
	cr_expect_eq(free_at_40(), 2, "one that starts tomorrow does not hold tonight");
	hold("2026-11-21", "2026-11-23");
	cr_expect_eq(free_at_40(), 1, "one across tonight holds a bed");
	hold("2026-11-22", "2026-11-22");
	cr_expect_eq(free_at_40(), 0);
	struct respite_row rows[10];
	int n;
	cr_assert_eq(respite_list(fx.s, 1, rows, 10, &n, NULL), BR_OK);
	for (int i = 0; i < n; i++)
		cr_expect_neq(rows[i].provider_id, 40, "a provider with no bed tonight is not listed");
}

Test(respite, tonight_at_three_in_the_morning_is_last_night)
{
	clock_fix(1795312800); /* 2026-11-22 02:00 UTC */
	char d[11];
	date_format(respite_tonight(), d);
	cr_expect_str_eq(d, "2026-11-21");
	clock_fix(TEST_NOW);
	date_format(respite_tonight(), d);
	cr_expect_str_eq(d, "2026-11-22");
}

Test(respite, the_needs_filter_suspended_and_nearest_first)
{
	struct respite_row rows[10];
	int n;
	cr_assert_eq(respite_list(fx.s, 1, rows, 10, &n, NULL), BR_OK); /* SU1: WAL, LD */
	cr_assert_eq(n, 3, "Autism Only (need) and Closed Beds (suspended) are not listed");
	cr_expect_eq(rows[0].provider_id, 40, "Wallasey first");
	cr_expect_eq(rows[1].provider_id, 41, "then Birkenhead, nearest to Wallasey in the config");
	cr_expect_eq(rows[2].provider_id, 44, "then West Wirral");
	cr_expect_eq(rows[0].free_tonight, 2);
	cr_expect_str_eq(rows[0].phone, "0151 000 0040");
	struct respite_booking b;
	char *why = NULL;
	cr_expect_eq(respite_book(fx.s, 1, 43, "", 1, &b, &why), BR_DENIED, "suspended: never bookable");
	cr_expect_eq(respite_book(fx.s, 1, 42, "", 1, &b, &why), BR_CONFLICT, "not for this need");
	br_free_str(&why);
}

Test(respite, a_booking_is_an_active_emergency_calloff_with_approval_next_working_day)
{
	clock_fix(1795213200); /* Friday 20 Nov 2026, 22:20 UTC */
	struct respite_booking b;
	char *why = NULL;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 2, &b, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(b.first_night, "2026-11-20");
	cr_expect_str_eq(b.last_night, "2026-11-21");
	cr_expect_str_eq(b.due, "2026-11-23", "Friday night: Monday");
	cr_expect_not_null(strstr(b.summary, "0151 000 0040"), "%s", b.summary);
	cr_expect_str_eq(fx_query(&fx, "SELECT tier || ' ' || status || ' ' || units FROM calloff"), "emergency active 2");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(rule) FROM approval_rule"), "emergency");
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit ORDER BY id DESC LIMIT 1"), "respite.book");
	int f;
	respite_free(fx.s, 40, "WAL", date_days(2026, 11, 21), &f, NULL);
	cr_expect_eq(f, 1, "the bed is held on the second night too");
	clock_fix(1795226580); /* Saturday 21 Nov, 02:03: still Friday's night */
	cr_assert_eq(respite_book(fx.s, 3, 40, "", 1, &b, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(b.due, "2026-11-23");
	br_free_str(&why);
}

Test(respite, approval_due_skips_bank_holidays)
{
	fx_write(&fx, "brokerage.cfg", "database = \"t.db\";\n"
				       "bank_holidays = [\"2026-12-25\", \"2026-12-28\"];\n");
	clock_fix(1798149600); /* Thursday 24 Dec 2026, 22:00 UTC */
	as("officer");
	struct respite_booking b;
	char *why = NULL;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 1, &b, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(b.due, "2026-12-29", "past Christmas, the weekend and the Boxing Day holiday");
	br_free_str(&why);
}

Test(respite, more_nights_than_the_config_allows_needs_a_supervisor)
{
	struct respite_booking b;
	char *why = NULL;
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 4, &b, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "supervisor"), "%s", why);
	as("oncall");
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 4, &b, &why), BR_DENIED);
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 3, &b, &why), BR_OK, "on-call may book up to 3");
	as("viewer");
	cr_expect_eq(respite_book(fx.s, 3, 40, "", 1, &b, &why), BR_DENIED);
	as("supervisor");
	cr_expect_eq(respite_book(fx.s, 3, 40, "", 5, &b, &why), BR_OK, "%s", why ? why : "");
	br_free_str(&why);
}

Test(respite, extending_past_the_configured_nights_needs_a_supervisor)
{
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 2, &b, NULL), BR_OK);
	char *why = NULL;
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 3, &why), BR_OK, "up to 3 nights: %s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT units || ' ' || end_date FROM calloff"), "3 2026-11-24");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 5, &why), BR_DENIED, "past 3: an officer may not");
	cr_expect_not_null(strstr(why, "supervisor"), "%s", why);
	as("supervisor");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 5, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT units || ' ' || end_date || ' ' || weekly_cost_pence FROM calloff"),
			 "5 2026-11-26 90000");
	hold("2026-11-27", "2026-11-27");
	hold("2026-11-27", "2026-11-27");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 6, &why), BR_CONFLICT, "no bed on the 27th");
	br_free_str(&why);
}

Test(respite, a_rejected_booking_ends_after_tonight)
{
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, NULL), BR_OK);
	as("supervisor");
	char *why = NULL;
	cr_assert_eq(approval_decide(fx.s, b.calloff_id, false, "Family can cover from tomorrow", &why), BR_OK,
		     "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || end_date FROM calloff"), "ended 2026-11-22");
	int f;
	respite_free(fx.s, 40, "WAL", date_days(2026, 11, 23), &f, NULL);
	cr_expect_eq(f, 2, "tomorrow's bed is free again");
	br_free_str(&why);
}

Test(respite, racing_for_the_last_bed_exactly_one_wins, .timeout = 60)
{
	enum { RACERS = 5 };
	fx_sql(&fx, "UPDATE capacity SET free = 1 WHERE provider_id = 40 AND service = 'RSP';"
		    "INSERT INTO service_user(id, ref, family_name, given_name, family_fold, given_fold, date_of_birth, "
		    "locality, primary_need, created_at) VALUES (4,'SU4','A','B','a','b','1980-01-01','WAL','LD','x'),"
		    "(5,'SU5','A','B','a','b','1980-01-01','WAL','LD','x')");
	char go[400];
	snprintf(go, sizeof go, "%s/go", fx.dir);
	pid_t kids[RACERS];
	const char *const logins[] = {"officer", "oncall", "supervisor", "officer", "oncall"};
	for (int i = 0; i < RACERS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			struct session *s = NULL;
			if (session_open(&s, fx.cfg, logins[i], NULL) != BR_OK)
				_exit(3);
			while (access(go, F_OK) != 0)
				usleep(1000);
			struct respite_booking b;
			enum br_status st = respite_book(s, i % 2 ? 1 : (i == 2 ? 4 : 3 + (i == 4 ? 2 : 0)), 40, "WAL", 1, &b, NULL);
			session_close(&s);
			_exit(st == BR_OK ? 0 : st == BR_CONFLICT ? 1 : 2);
		}
	}
	usleep(100 * 1000);
	fx_write(&fx, "go", "");
	int won = 0, lost = 0;
	for (int i = 0; i < RACERS; i++) {
		int status;
		waitpid(kids[i], &status, 0);
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 9;
		won += code == 0;
		lost += code == 1;
	}
	cr_expect_eq(won, 1, "exactly one booking of the last bed");
	cr_expect_eq(lost, RACERS - 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE provider_id = 40"), "1");
}

/* ---- the call-off lifecycle: the sequences that broke under probing (issue 10) ---- */

TestSuite(lifecycle, .init = respite_world, .fini = teardown);

static const char *free_hc_wal_1(void)
{
	return fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'");
}

/* Finding 1: cancel while awaiting approval, then a supervisor rejects it. */
Test(lifecycle, cancelled_then_rejected_returns_capacity_once)
{
	int64_t co = expensive();
	cr_expect_str_eq(free_hc_wal_1(), "10");
	char *why = NULL;
	cr_assert_eq(calloff_cancel(fx.s, co, "Family found another way", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_hc_wal_1(), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM approval"), "rejected", "the approval is settled");
	as("supervisor");
	cr_expect_eq(approval_decide(fx.s, co, false, "No", &why), BR_CONFLICT, "nothing left to decide");
	cr_expect_str_eq(free_hc_wal_1(), "50", "capacity returned once only");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "cancelled", "rejected never overwrites cancelled");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM audit WHERE action LIKE 'request.reopen%'"), "1");
	br_free_str(&why);
}

/* Finding 2: routine respite through the cascade, then rejected. */
Test(lifecycle, rejecting_routine_respite_adds_no_beds)
{
	/* placed in Birkenhead for a Wallasey person: out of locality, so it waits for approval */
	fx_sql(&fx, "UPDATE capacity SET free = 5 WHERE provider_id = 41 AND service = 'RSP';"
		    "INSERT INTO coverage VALUES (41, 'BIR');"
		    "UPDATE users SET approval_limit = 100000000 WHERE login = 'supervisor'");
	struct request_input in = {.units = 3, .asc_pct = -1};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "RSP");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	strcpy(in.locality, "BIR");
	int64_t r = 0, co = 0;
	char *why = NULL;
	cr_assert_eq(request_create(fx.s, &in, &r, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 41), &co, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "awaiting_approval");
	int f;
	respite_free(fx.s, 41, "BIR", date_days(2026, 11, 30), &f, NULL);
	cr_expect_eq(f, 4, "one bed held on its nights");
	as("supervisor");
	cr_assert_eq(approval_decide(fx.s, co, false, "Too far from home", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 41 AND service = 'RSP'"), "5",
			 "beds are never returned as units");
	respite_free(fx.s, 41, "BIR", date_days(2026, 11, 30), &f, NULL);
	cr_expect_eq(f, 5);
	br_free_str(&why);
}

/* Finding 3: an offer made, the provider suspended, the offer accepted. */
Test(lifecycle, a_suspended_provider_cannot_be_booked)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	int64_t o = offer_ok(r, 1), co = 0;
	fx_sql(&fx, "UPDATE provider SET status = 'suspended', suspended_reason = 'Safeguarding', "
		    "suspended_on = '2026-11-22' WHERE id = 1");
	char *why = NULL;
	cr_expect_eq(offer_accept(fx.s, o, &co, &why), BR_DENIED);
	cr_expect_not_null(why && strstr(why, "suspended"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "0");
	cr_expect_str_eq(free_hc_wal_1(), "50");
	br_free_str(&why);
}

/* Finding 4: a supervisor raises the request and writes the override reason,
 * an officer records the acceptance; the supervisor may not approve it. */
Test(lifecycle, whoever_shaped_a_calloff_may_not_approve_it)
{
	fx_sql(&fx, "UPDATE users SET approval_limit = 100000000 WHERE login IN ('supervisor', 'sup2')");
	as("supervisor");
	int64_t r = request("SU1", "HC", 10, "2026-11-30"), id = 0, co = 0;
	offer_ok(r, 1);
	struct offer_options oo = {OVERRIDE_PERSON_CHOICE, "Mrs Jones asks for Kare Plus"};
	char *why = NULL;
	cr_assert_eq(offer_create(fx.s, r, 9, &oo, &id, &why), BR_OK, "%s", why ? why : "");
	as("officer");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	as("supervisor");
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED, "raised it and wrote the reason");
	cr_expect_not_null(why && strstr(why, "four eyes"), "%s", why ? why : "");
	as("sup2");
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_OK, "%s", why ? why : "");
	br_free_str(&why);
}

/* Finding 5: a hand-back with a notice date keeps the care going until then. */
Test(lifecycle, a_handback_keeps_care_until_the_notice_date)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-22"), co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
	char *why = NULL;
	cr_assert_eq(calloff_handback(fx.s, co, "no_staff", "2026-12-21", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || end_date || ' ' || handback_notice FROM calloff"),
			 "active 2026-12-21 2026-12-21", "still caring, handed back, ends on the notice date");
	cr_expect_str_eq(free_hc_wal_1(), "40", "capacity held until the date");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || handback || ' ' || start_date FROM package_request"),
			 "open 1 2026-12-21", "reopened at once; the new call-off may start the day the old one ends");
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect_str_eq(c.handback_notice, "2026-12-21");
	int n;
	clock_fix(TEST_NOW + 28 * 86400); /* 20 December */
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "active", "not the day before");
	clock_fix(TEST_NOW + 29 * 86400); /* 21 December */
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "ended");
	cr_expect_str_eq(free_hc_wal_1(), "50", "capacity returns on the date");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action FROM audit WHERE action = 'calloff.end'"),
			 "system calloff.end");
	br_free_str(&why);
}

/* Finding 6: spot and out of locality are last resorts. */
Test(lifecycle, spot_and_out_of_locality_wait_for_the_framework)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30"), id = 0;
	fx_sql(&fx, "INSERT INTO provider(id, name, name_fold) VALUES (30, 'Off Framework', 'offframework');"
		    "INSERT INTO rate VALUES (30, 'HC', '2019-04-01', 1900)");
	struct offer_options spot = {OVERRIDE_SPOT, "Nobody else"}, ool = {OVERRIDE_OUT_OF_LOCALITY, "Nearest"};
	char *why = NULL;
	cr_expect_eq(offer_create(fx.s, r, 30, &spot, &id, &why), BR_DENIED, "the primary has not even been offered");
	cr_expect_not_null(why && strstr(why, "framework"), "%s", why ? why : "");
	cr_expect_eq(offer_create(fx.s, r, 23, &ool, &id, &why), BR_DENIED, "someone in Wallasey can take it");
	cr_expect_not_null(why && strstr(why, "locality"), "%s", why ? why : "");
	struct offer_options choice = {OVERRIDE_PERSON_CHOICE, "Her own choice under the Care Act"};
	cr_expect_eq(offer_create(fx.s, r, 30, &choice, &id, &why), BR_OK, "the person's choice may name anyone: %s",
		     why ? why : "");
	br_free_str(&why);
}

/* Finding 7: an emergency booking ends on its last night. */
Test(lifecycle, an_emergency_booking_ends_on_its_end_date)
{
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 2, &b, NULL), BR_OK);
	int n;
	clock_fix(TEST_NOW + 86400);
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "active", "its last night is tonight");
	clock_fix(TEST_NOW + 2 * 86400);
	cr_assert_eq(calloffs_activate_due(fx.s, &n, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "ended", "the morning after its last night");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action FROM audit WHERE action = 'calloff.end'"),
			 "system calloff.end");
	int f;
	respite_free(fx.s, 40, "WAL", date_days(2026, 11, 23), &f, NULL);
	cr_expect_eq(f, 1, "the last night's bed is still taken");
}

/* Finding 8: restricted people show name and reference only. */
Test(lifecycle, restricted_people_show_name_and_reference_only)
{
	fx_sql(&fx, "UPDATE service_user SET restricted = 1, postcode = 'CH45 1AA' WHERE id = 1");
	struct su_filter f = {0};
	struct su_row rows[10];
	int n = 0;
	cr_assert_eq(su_list(fx.s->store, &f, NULL, LIST_FORWARD, rows, 10, &n, NULL), BR_OK);
	bool seen = false;
	for (int i = 0; i < n; i++)
		if (rows[i].id == 1) {
			seen = true;
			cr_expect_str_eq(rows[i].ref, "SU1");
			cr_expect_str_eq(rows[i].family, "Jones");
			cr_expect_str_eq(rows[i].nhs, "", "no NHS number");
			cr_expect_str_eq(rows[i].dob, "", "no date of birth");
			cr_expect_str_eq(rows[i].postcode, "", "no postcode");
		}
	cr_expect(seen);
	as("viewer");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	char *why = NULL;
	cr_assert_eq(export_run(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, out, NULL, &why), BR_OK, "%s", why ? why : "");
	fclose(out);
	cr_expect_null(strstr(buf, "9990000018"), "a viewer's export leaves the restricted person out");
	cr_expect_null(strstr(buf, "SU1,"));
	cr_expect_not_null(strstr(buf, "SU3,"));
	free(buf);
	struct export_options eo = {true, "Subject access request 2026/114"};
	out = open_memstream(&buf, &len);
	cr_expect_eq(export_run_with(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, &eo, out, NULL, &why), BR_DENIED,
		     "only an admin may include restricted people");
	fclose(out);
	free(buf);
	as("admin");
	eo.reason = "";
	out = open_memstream(&buf, &len);
	cr_expect_eq(export_run_with(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, &eo, out, NULL, &why), BR_USAGE,
		     "with a reason");
	fclose(out);
	free(buf);
	eo.reason = "Subject access request 2026/114";
	out = open_memstream(&buf, &len);
	cr_assert_eq(export_run_with(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, &eo, out, NULL, &why), BR_OK, "%s",
		     why ? why : "");
	fclose(out);
	cr_expect_not_null(strstr(buf, "SU1,9990000018,"));
	free(buf);
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "csv to standard output, restricted included: Subject access request 2026/114");
	/* the match and the request show no date of birth for them */
	as("officer");
	int64_t r = request("SU1", "HC", 10, "2026-11-30");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(m->req.restricted);
	cr_expect_str_eq(m->req.dob, "");
	/* issue 20: one mask, in core, for every face: the need and the
	 * funding flags go too (the Match screen showed the need) */
	cr_expect_str_eq(m->req.need, "");
	cr_expect(!m->req.direct_payment && !m->req.s117 && !m->req.fnc);
	match_free(&m);
	br_free_str(&why);
}

/* Finding 9: the status flow. */
Test(lifecycle, a_calloff_is_proposed_before_it_is_anything_else)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30"), co = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(detail, '|') FROM audit WHERE action LIKE 'calloff.%'"),
			 "proposed->approved request=1 provider=1 tier=primary rate=1550 units=10 weekly=15500");
}

/* Finding 3, the other half: a suspension withdraws pending offers and what
 * has not started, in one transaction, audited; only supervisors and admins. */
Test(lifecycle, a_suspension_withdraws_offers_and_unstarted_calloffs)
{
	int64_t co = expensive();           /* SU1 at Premier Care, awaiting approval */
	int64_t r2 = request("SU3", "HC", 5, "2026-11-30");
	int64_t o2 = offer_ok(r2, 1);
	char *why = NULL;
	cr_expect_eq(provider_suspend(fx.s, 1, "Safeguarding concern", &why), BR_DENIED, "not an officer");
	as("viewer");
	cr_expect_eq(provider_suspend(fx.s, 1, "Safeguarding concern", &why), BR_DENIED, "not a viewer");
	as("supervisor");
	cr_expect_eq(provider_suspend(fx.s, 1, "  ", &why), BR_DATA, "a reason");
	cr_assert_eq(provider_suspend(fx.s, 1, "Safeguarding concern", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || suspended_reason FROM provider WHERE id = 1"),
			 "suspended Safeguarding concern");
	/* the detail lists the people it serves now, to review each */
	struct provider_detail *d = NULL;
	cr_assert_eq(provider_detail_get(fx.s->store, 1, &d, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(d->n_served, (int)strtol(fx_query(&fx, "SELECT count(*) FROM calloff WHERE provider_id = 1 "
							     "AND status = 'active'"), NULL, 10));
	provider_detail_free(&d);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 2"), "withdrawn");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff WHERE id = 1"), "cancelled");
	cr_expect_str_eq(free_hc_wal_1(), "50", "capacity back");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || coalesce(decided_by, '-') FROM approval"), "rejected -",
			 "withdrawn: nobody's decision");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(status, ' ') FROM package_request ORDER BY id"), "open open");
	as("officer");
	int64_t x = 0;
	cr_expect_eq(offer_accept(fx.s, o2, &x, &why), BR_CONFLICT, "the offer was withdrawn");
	(void)co;
	as("admin");
	cr_expect_eq(provider_reinstate(fx.s, 1, "", &why), BR_DATA);
	cr_assert_eq(provider_reinstate(fx.s, 1, "Embargo lifted", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit WHERE "
				       "login IN ('supervisor', 'admin') AND action <> 'user.add' ORDER BY id)"),
			 "offer.withdraw request.reopen approval.withdraw calloff.suspend provider.suspend provider.reinstate");
	long long rows;
	cr_expect_eq(audit_verify(fx.s->store, &rows, NULL, NULL), BR_OK);
	br_free_str(&why);
}

/* Issue 11: leaving the framework from a date takes the suspension's path:
 * pending offers withdrawn, unstarted call-offs cancelled, in one step. */
Test(lifecycle, leaving_the_framework_withdraws_offers_and_unstarted_calloffs)
{
	int64_t co = expensive();           /* SU1 at Premier Care, awaiting approval */
	int64_t r2 = request("SU3", "HC", 5, "2026-11-30");
	int64_t o2 = offer_ok(r2, 1);
	char *why = NULL;
	int offers = -1, cancelled = -1;
	cr_expect_eq(provider_leave(fx.s, 1, "2026-11-22", NULL, &offers, &cancelled, &why), BR_DENIED, "not an officer");
	as("supervisor");
	cr_expect_eq(provider_leave(fx.s, 1, "2026-11-23", NULL, &offers, &cancelled, &why), BR_DATA, "not in the future");
	cr_expect_not_null(why && strstr(why, "in the future"), "%s", why ? why : "");
	cr_expect_eq(provider_leave(fx.s, 1, "2026-02-30", NULL, &offers, &cancelled, &why), BR_DATA);
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM provider WHERE id = 1"), "active", "nothing written");
	cr_assert_eq(provider_leave(fx.s, 1, "2026-11-22", "contract ended", &offers, &cancelled, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_eq(offers, 1);
	cr_expect_eq(cancelled, 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || left_on FROM provider WHERE id = 1"), "left 2026-11-22");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 2"), "withdrawn");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff WHERE id = 1"), "cancelled");
	cr_expect_str_eq(free_hc_wal_1(), "50", "capacity back");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit WHERE action = 'provider.leave'"),
			 "on=2026-11-22 note=contract ended offers_withdrawn=1 calloffs_cancelled=1");
	cr_expect_eq(provider_leave(fx.s, 1, "2026-11-22", NULL, &offers, &cancelled, &why), BR_CONFLICT, "already left");
	/* the match shows it left; an offer to it is refused */
	as("officer");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r2, &m, &why), BR_OK, "%s", why ? why : "");
	for (int i = 0; i < m->n; i++)
		if (m->rows[i].provider_id == 1)
			cr_expect(m->rows[i].reasons & (1u << MATCH_LEFT));
	match_free(&m);
	int64_t x = 0;
	cr_expect_eq(offer_accept(fx.s, o2, &x, &why), BR_CONFLICT, "the offer was withdrawn");
	(void)co;
	long long rows;
	cr_expect_eq(audit_verify(fx.s->store, &rows, NULL, NULL), BR_OK);
	br_free_str(&why);
}

Test(lifecycle, the_table_moves_capacity_exactly_when_holding_changes)
{
	int n;
	const struct calloff_transition_row *t = calloff_table(&n);
	cr_assert_gt(n, 10);
	for (int i = 0; i < n; i++) {
		int d = (int)calloff_state_in((int)t[i].to, CG_HOLDS) - (int)calloff_state_in((int)t[i].from, CG_HOLDS);
		int u = t[i].units == UNITS_TAKE ? 1 : t[i].units == UNITS_RETURN ? -1 : 0;
		/* a proposed call-off holds nothing; accepting takes it */
		cr_expect_eq(u, d, "row %d: %s -%s-> %s", i, calloff_state_code((int)t[i].from),
			     calloff_event_text((int)t[i].event), calloff_state_code((int)t[i].to));
	}
}

/* Found by the model test (seed 7): the old call-off, handed back before it
 * started, is cancelled after a new one has placed the request again. */
Test(lifecycle, cancelling_a_handed_back_calloff_leaves_the_new_placement_alone)
{
	int64_t r = request("SU1", "HC", 10, "2026-11-30"), old = 0, fresh = 0;
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 1), &old, NULL), BR_OK);
	char *why = NULL;
	cr_assert_eq(calloff_handback(fx.s, old, "no_staff", "2026-12-09", &why), BR_OK, "%s", why ? why : "");
	decline(offer_ok(r, 2));
	cr_assert_eq(offer_accept(fx.s, offer_ok(r, 8), &fresh, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "placed");
	cr_assert_eq(calloff_cancel(fx.s, old, "Provider cannot start at all", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "placed", "the new call-off holds it");
	cr_expect_str_eq(free_hc_wal_1(), "50");
	br_free_str(&why);
}

/* ---- found by the review after issue 10 ------------------------------------ */

/* An extension adds nights, never takes them away; it keeps the approval
 * waiting for the next working day in step with the cost; whoever extended
 * a booking shaped it and may not approve it; a decided approval is not
 * stretched to cover a longer stay. */
Test(lifecycle, extending_respite_keeps_the_approval_honest)
{
	as("oncall");
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 2, &b, NULL), BR_OK);
	char *why = NULL;
	as("sup2");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 1, &why), BR_DATA, "a shorter stay is no extension");
	cr_expect_not_null(strstr(why, "already has 2 nights"), "%s", why);
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 2, &why), BR_DATA);
	cr_assert_eq(respite_extend(fx.s, b.calloff_id, 3, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT annual_cost_pence FROM approval"), "54000", "3 nights at £180");
	cr_expect_eq(approval_decide(fx.s, b.calloff_id, true, "", &why), BR_DENIED, "sup2 extended it");
	as("supervisor");
	fx_sql(&fx, "UPDATE users SET approval_limit = 100000000 WHERE login = 'supervisor'");
	as("supervisor");
	cr_assert_eq(approval_decide(fx.s, b.calloff_id, true, "", &why), BR_OK, "%s", why ? why : "");
	as("sup2");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 4, &why), BR_CONFLICT, "approved for 3 nights");
	cr_expect_not_null(strstr(why, "approval has been decided"), "%s", why);
	cr_expect_str_eq(fx_query(&fx, "SELECT units FROM calloff"), "3");
	br_free_str(&why);
}

/* Rejecting an emergency booking that has started keeps tonight's bed:
 * and charges tonight only, not the nights it no longer holds. */
Test(lifecycle, a_rejected_emergency_booking_is_paid_for_the_nights_it_held)
{
	as("oncall");
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, NULL), BR_OK);
	as("supervisor");
	fx_sql(&fx, "UPDATE users SET approval_limit = 100000000 WHERE login = 'supervisor'");
	as("supervisor");
	char *why = NULL;
	cr_assert_eq(approval_decide(fx.s, b.calloff_id, false, "not an emergency", &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || units || ' ' || weekly_cost_pence FROM calloff"),
			 "ended 1 18000", "one night held, one night paid");
	br_free_str(&why);
}

/* A request cannot change under a pending offer: what the provider was
 * offered is what it accepts, and an editor would not count as a shaper. */
Test(broker, a_request_does_not_change_under_a_pending_offer)
{
	int64_t req = request("SU1", "HC", 10, "2026-12-01");
	offer_ok(req, 1);
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
