/* Live packages (issue 16): variations, pauses with a retainer, ends from a
 * date, a person's death, and one officer per request. A small world built
 * by hand so every figure is known: Premier Care (provider 1) is primary for
 * home care in Wallasey with 50 hours free at £15.50 an hour; the clock is
 * Sunday 22 November 2026, 10:00 UTC. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;

static void world(void)
{
	fx_open(&fx, 0, "officer");
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, cqc_rating) VALUES (1,'Premier Care','premiercare','Good'),"
		"(2,'Second Care','secondcare','Good');"
		"INSERT INTO registration SELECT p.id, 'HC', n.code FROM provider p, need n;"
		"INSERT INTO coverage SELECT p.id, l.code FROM provider p, locality l;"
		"INSERT INTO capacity SELECT p.id, 'HC', l.code, 50, 'x' FROM provider p, locality l;"
		"INSERT INTO rate SELECT p.id, 'HC', '2019-04-01', 1550 FROM provider p;"
		"INSERT INTO award(service, locality, provider_id, tier, valid_from) VALUES "
		"('HC','WAL',1,'primary','2019-04-01'),('HC','WAL',2,'secondary','2019-04-01');"
		"INSERT INTO users(login, name, role, approval_limit, created_at) VALUES "
		"('officer2','O2','officer',NULL,'x'),('sup2','S2','supervisor',100000000000,'x');"
		"UPDATE users SET approval_limit = 100000000000 WHERE login = 'supervisor';"
		"INSERT INTO service_user(id, ref, nhs_number, family_name, given_name, family_fold, given_fold, "
		"date_of_birth, locality, primary_need, created_at) VALUES "
		"(1,'SU1','9990000018','Jones','Siân','jones','sian','1980-05-01','WAL','LD','x'),"
		"(2,'SU2','9990000050','Hughes','Tom','hughes','tom','1950-05-01','WAL','AUT','x');");
}

static void teardown(void) { fx_close(&fx); }

TestSuite(live, .init = world, .fini = teardown);

static void as(const char *login)
{
	session_close(&fx.s);
	char *why = NULL;
	cr_assert_eq(session_open(&fx.s, fx.cfg, login, &why), BR_OK, "%s", why ? why : "");
}

static int64_t request(const char *ref, int64_t units, const char *start)
{
	struct request_input in = {.units = units, .asc_pct = -1};
	strcpy(in.user_ref, ref);
	strcpy(in.service, "HC");
	strcpy(in.start, start);
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	return id;
}

/* a package with Premier Care: active when it starts today */
static int64_t place(const char *ref, int64_t units, const char *start)
{
	int64_t r = request(ref, units, start), o = 0, co = 0;
	char *why = NULL;
	cr_assert_eq(offer_create(fx.s, r, 1, NULL, &o, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, o, &co, &why), BR_OK, "%s", why ? why : "");
	return co;
}

static const char *free_wal(void)
{
	return fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'");
}

static const char *status_of(int64_t id)
{
	char sql[100];
	snprintf(sql, sizeof sql, "SELECT status FROM calloff WHERE id = %lld", (long long)id);
	return fx_query(&fx, sql);
}

static void clock_to(const char *day)
{
	int64_t d;
	cr_assert_eq(date_parse(day, &d, NULL), BR_OK);
	clock_fix((time_t)(d * 86400 + 10 * 3600));
	int n;
	char *why = NULL;
	cr_assert_eq(calloffs_activate_due(fx.s, &n, &why), BR_OK, "%s", why ? why : "");
}

Test(live, a_decrease_moves_only_the_difference_and_needs_no_approval)
{
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	cr_assert_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40");
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 6, "2026-11-30", "needs less help at tea time", &nid, &why), BR_OK, "%s",
		     why ? why : "");
	/* issue 26, finding 1: the capacity moves on the variation's date: the
	 * old 10 hours run until the 29th, so nothing comes back before */
	cr_expect_str_eq(free_wal(), "40", "capacity moves on the variation's date, not now");
	cr_expect_str_eq(status_of(co), "varied");
	cr_expect_str_eq(status_of(nid), "approved", "starts on the 30th, no approval for a decrease");
	cr_expect_str_eq(fx_query(&fx, "SELECT end_date FROM calloff WHERE id = 1"), "2026-11-29", "ends the day before");
	cr_expect_str_eq(fx_query(&fx, "SELECT varied_from || ' ' || start_date || ' ' || units FROM calloff WHERE id = 2"),
			 "1 2026-11-30 6");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM approval"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "placed");
	clock_to("2026-11-29");
	cr_expect_str_eq(status_of(co), "varied", "the old one runs through its last day");
	cr_expect_str_eq(free_wal(), "40");
	clock_to("2026-11-30");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(status_of(nid), "active");
	cr_expect_str_eq(free_wal(), "44", "by the difference, on the date: 4 hours back");
	clock_to("2026-12-01");
	cr_expect_str_eq(free_wal(), "44", "and nothing moves twice");
	struct calloff_event_row *rows = NULL;
	int n = 0;
	cr_assert_eq(calloff_history(fx.s, nid, &rows, &n, NULL), BR_OK);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(rows[0].what, "placed");
	cr_expect_str_eq(rows[1].what, "varied");
	cr_expect_str_eq(rows[1].why, "needs less help at tea time");
	cr_expect_eq(rows[1].weekly_cost, 6 * 1550);
	free(rows);
	br_free_str(&why);
}

/* Issue 26, finding 1: a decrease recorded weeks ahead freed the
 * difference at once, and a second package took it while the first still
 * ran at the old units. */
Test(live, a_decrease_weeks_ahead_frees_nothing_before_its_date)
{
	int64_t co = place("SU1", 30, "2026-11-22"), nid = 0;
	cr_assert_str_eq(free_wal(), "20");
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 5, "2026-12-20", "family helping", &nid, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "20", "still 30 hours a week until 20 December");
	int64_t r = request("SU2", 45, "2026-11-23"), o = 0;
	cr_expect_neq(offer_create(fx.s, r, 1, NULL, &o, &why), BR_OK, "45 hours fit only the freed 25: refused");
	br_free_str(&why);
	/* a cancelled decrease gives back exactly what it held */
	cr_assert_eq(calloff_cancel(fx.s, nid, "family cannot help after all", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "20");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE held_units IS NOT NULL AND status = 'active'"), "0");
	free(why);
}

Test(live, an_increase_over_the_threshold_waits_for_approval_and_a_rejection_restores_the_old)
{
	fx_sql(&fx, "UPDATE capacity SET free = 100");
	int64_t co = place("SU1", 40, "2026-11-22"), nid = 0;
	cr_expect_str_eq(free_wal(), "60");
	char *why = NULL;
	/* 60 hours at £15.50 = £930 a week: above the £800 home care threshold */
	cr_assert_eq(calloff_vary(fx.s, co, 60, "2026-11-30", "carer breakdown", &nid, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(nid), "awaiting_approval");
	cr_expect_str_eq(fx_query(&fx, "SELECT rule FROM approval_rule"), "weekly_cost");
	cr_expect_str_eq(free_wal(), "40", "the extra 20 are held while it waits");
	clock_to("2026-12-01");
	cr_expect_str_eq(status_of(co), "varied", "care goes on as it was until the increase is decided");
	as("supervisor");
	cr_assert_eq(approval_decide(fx.s, nid, false, "use assistive technology first", &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(nid), "rejected");
	cr_expect_str_eq(status_of(co), "active", "the old call-off is restored");
	cr_expect_str_eq(fx_query(&fx, "SELECT coalesce(end_date, 'none') FROM calloff WHERE id = 1"), "none");
	cr_expect_str_eq(free_wal(), "60");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM package_request"), "placed", "nothing is re-sourced");
	br_free_str(&why);
}

Test(live, an_approved_increase_starts_on_its_date)
{
	fx_sql(&fx, "UPDATE capacity SET free = 100");
	int64_t co = place("SU1", 40, "2026-11-22"), nid = 0;
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 60, "2026-11-30", NULL, &nid, &why), BR_OK, "%s", why ? why : "");
	as("supervisor");
	cr_assert_eq(approval_decide(fx.s, nid, true, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(nid), "approved");
	clock_to("2026-11-30");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(status_of(nid), "active");
	cr_expect_str_eq(free_wal(), "40");
	br_free_str(&why);
}

Test(live, an_increase_beyond_free_capacity_is_refused)
{
	int64_t co = place("SU1", 45, "2026-11-22"), nid = 0;
	cr_expect_str_eq(free_wal(), "5");
	char *why = NULL;
	cr_expect_eq(calloff_vary(fx.s, co, 52, "2026-11-30", NULL, &nid, &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "the increase of 7 needs 7"), "%s", why ? why : "");
	cr_expect_not_null(why && strstr(why, "Premier Care has 5 hours"), "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "5");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "1", "nothing half-made");
	br_free_str(&why);
	cr_expect_eq(calloff_vary(fx.s, co, 50, "2026-11-30", NULL, &nid, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "0", "an increase within the free capacity is fine");
	br_free_str(&why);
}

Test(live, a_variation_is_refused_before_the_start_and_for_the_same_units)
{
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	char *why = NULL;
	cr_expect_eq(calloff_vary(fx.s, co, 12, "2026-11-22", NULL, &nid, &why), BR_DATA, "not on its first day");
	br_free_str(&why);
	cr_expect_eq(calloff_vary(fx.s, co, 10, "2026-11-30", NULL, &nid, &why), BR_DATA, "no change");
	br_free_str(&why);
	as("viewer");
	cr_expect_eq(calloff_vary(fx.s, co, 12, "2026-11-30", NULL, &nid, &why), BR_DENIED);
	br_free_str(&why);
}

Test(live, a_retainer_holds_the_capacity_then_lapses_and_home_is_told)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "paused");
	cr_expect_str_eq(free_wal(), "40", "the provider keeps the hours on a retainer");
	cr_expect_str_eq(fx_query(&fx, "SELECT retain_until || ' ' || retain_pct FROM calloff_pause"), "2026-12-19 80",
			 "28 days at 80% (the defaults)");
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect_eq(calloff_weekly_now(fx.s, &c), 10 * 1550 * 80 / 100);
	int lapsed = -1;
	clock_to("2026-12-19");
	cr_expect_str_eq(status_of(co), "paused", "the retainer's last day");
	cr_assert_eq(calloffs_retainers_lapsed(fx.s, &lapsed, NULL), BR_OK);
	cr_expect_eq(lapsed, 0);
	clock_to("2026-12-20");
	cr_expect_str_eq(status_of(co), "paused_released");
	cr_expect_str_eq(free_wal(), "50", "past the limit the capacity goes back");
	cr_assert_eq(calloffs_retainers_lapsed(fx.s, &lapsed, NULL), BR_OK);
	cr_expect_eq(lapsed, 1, "Home tells the team");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action FROM audit WHERE entity = 'calloff' ORDER BY id DESC "
				       "LIMIT 1"), "system calloff.retainer_expire");
	cr_expect_eq(calloff_resume(fx.s, co, "2026-12-21", &why), BR_DATA, "not a day still to come");
	br_free_str(&why);
	clock_to("2026-12-21");
	/* issue 26: a resume dated while the retainer still ran left resumed_on
	 * before released_on, the days between paid twice */
	cr_expect_eq(calloff_resume(fx.s, co, "2026-12-10", &why), BR_DATA, "before the capacity went back");
	cr_expect(why && strstr(why, "ran out on 2026-12-20"), "%s", why ? why : "");
	br_free_str(&why);
	cr_assert_eq(calloff_resume(fx.s, co, "2026-12-21", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff_pause WHERE resumed_on < released_on"), "0");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40", "back from hospital: the hours are taken again");
	cr_assert_eq(calloffs_retainers_lapsed(fx.s, &lapsed, NULL), BR_OK);
	cr_expect_eq(lapsed, 0);
	br_free_str(&why);
}

Test(live, a_released_pause_returns_the_capacity_and_a_resume_needs_it_back)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_expect_eq(calloff_pause(fx.s, co, "2026-11-22", "holiday", false, &why), BR_DATA, "not a reason");
	br_free_str(&why);
	/* from tomorrow: scheduled (see below); a resume today calls it off */
	cr_expect_eq(calloff_pause(fx.s, co, "2026-11-23", "away", false, &why), BR_OK, "a pause from a later date");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_eq(calloff_resume(fx.s, co, "2026-11-22", &why), BR_OK);
	br_free_str(&why);
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "away", false, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "paused_released");
	cr_expect_str_eq(free_wal(), "50");
	cr_expect_eq(calloff_pause(fx.s, co, "2026-11-22", "away", false, &why), BR_CONFLICT, "paused already");
	br_free_str(&why);
	/* someone else takes the hours meanwhile */
	place("SU2", 45, "2026-11-22");
	cr_expect_eq(calloff_resume(fx.s, co, "2026-11-22", &why), BR_CONFLICT);
	cr_expect_not_null(why && strstr(why, "5 hours/week free"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_str_eq(status_of(co), "paused_released");
}

Test(live, an_end_in_the_future_holds_the_capacity_until_that_date)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_expect_eq(calloff_end(fx.s, co, "2026-12-01", "bored", &why), BR_DATA, "not a reason");
	br_free_str(&why);
	cr_assert_eq(calloff_end(fx.s, co, "2026-12-01", "moved_away", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40", "not before the date");
	cr_expect_str_eq(fx_query(&fx, "SELECT end_date || ' ' || ended_reason FROM calloff"), "2026-12-01 moved_away");
	clock_to("2026-11-30");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40");
	clock_to("2026-12-01");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(free_wal(), "50", "on the date");
	cr_expect_str_eq(fx_query(&fx, "SELECT ended_reason FROM calloff"), "moved_away", "the reason stays");
	br_free_str(&why);
}

Test(live, an_end_from_today_returns_the_capacity_now)
{
	int64_t co = place("SU1", 10, "2026-11-22"), later = place("SU2", 5, "2026-11-30");
	char *why = NULL;
	cr_assert_eq(calloff_end(fx.s, co, "2026-11-22", "no_longer_needed", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(free_wal(), "45");
	cr_expect_eq(calloff_end(fx.s, later, "2026-12-01", "no_longer_needed", &why), BR_CONFLICT,
		     "not started: cancel it");
	cr_expect_not_null(why && strstr(why, "cancel it"), "%s", why ? why : "");
	br_free_str(&why);
}

Test(live, a_death_ends_the_care_and_cancels_the_rest_in_one_step)
{
	int64_t running = place("SU1", 10, "2026-11-22"), paused = place("SU1", 5, "2026-11-22"),
		later = place("SU1", 3, "2026-12-07"), open = request("SU1", 4, "2026-12-01"), other = place("SU2", 7, "2026-11-22");
	char *why = NULL;
	int64_t o;
	cr_assert_eq(offer_create(fx.s, open, 1, NULL, &o, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_pause(fx.s, paused, "2026-11-22", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "25");
	struct deceased_report rep;
	cr_expect_eq(person_deceased(fx.s, "SU1", "2026-11-23", &rep, &why), BR_DATA, "not in the future");
	br_free_str(&why);
	cr_assert_eq(person_deceased(fx.s, "SU1", "2026-11-22", &rep, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(rep.ended, 2);
	cr_expect_eq(rep.cancelled, 1);
	cr_expect_eq(rep.requests, 2, "the one waiting, and the one the cancellation reopened");
	cr_expect_str_eq(status_of(running), "ended");
	cr_expect_str_eq(status_of(paused), "ended");
	cr_expect_str_eq(status_of(later), "cancelled");
	cr_expect_str_eq(status_of(other), "active", "nobody else's care");
	cr_expect_str_eq(free_wal(), "43", "only SU2's 7 hours still held");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(ended_reason) FROM calloff WHERE id IN (1, 2)"),
			 "deceased,deceased");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM package_request r JOIN service_user u ON u.id = r.user_id "
				       "WHERE u.ref = 'SU1' AND r.status <> 'cancelled' AND NOT EXISTS (SELECT 1 FROM calloff c "
				       "WHERE c.request_id = r.id AND c.status = 'ended')"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 5"), "withdrawn",
			 "the pending offer on the open request");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || died_on FROM service_user WHERE ref = 'SU1'"),
			 "deceased 2026-11-22");
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit ORDER BY id DESC LIMIT 1"), "person.deceased");
	cr_expect_eq(person_deceased(fx.s, "SU1", "2026-11-22", &rep, &why), BR_CONFLICT, "once");
	br_free_str(&why);
	as("viewer");
	cr_expect_eq(person_deceased(fx.s, "SU2", "2026-11-22", &rep, &why), BR_DENIED);
	br_free_str(&why);
}

Test(live, a_death_before_a_variation_starts_ends_the_old_and_cancels_the_new)
{
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 14, "2026-11-30", NULL, &nid, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "36");
	cr_assert_eq(person_deceased(fx.s, "SU1", "2026-11-22", NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(status_of(nid), "cancelled");
	cr_expect_str_eq(free_wal(), "50", "and the old one is not brought back");
	br_free_str(&why);
}

Test(live, taking_over_needs_a_reason_or_an_idle_request)
{
	int64_t r = request("SU1", 10, "2026-11-30");
	char *why = NULL;
	cr_assert_eq(request_take(fx.s, r, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT assigned_to FROM package_request"), "officer");
	as("officer2");
	cr_expect_eq(request_take(fx.s, r, NULL, &why), BR_DENIED);
	cr_expect_not_null(why && strstr(why, "is with officer"), "%s", why ? why : "");
	cr_expect_not_null(why && strstr(why, "needs a reason"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_eq(request_take(fx.s, r, "   ", &why), BR_DENIED, "blank is no reason");
	br_free_str(&why);
	cr_assert_eq(request_take(fx.s, r, "officer is off sick", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT assigned_to FROM package_request"), "officer2");
	cr_expect_str_eq(fx_query(&fx, "SELECT action || ' ' || detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "request.takeover from=officer reason=officer is off sick");
	/* officer2 offers: the request is worked on */
	int64_t o;
	cr_assert_eq(offer_create(fx.s, r, 1, NULL, &o, &why), BR_OK, "%s", why ? why : "");
	as("officer");
	clock_fix(TEST_NOW + 239 * 60);
	cr_expect_eq(request_take(fx.s, r, NULL, &why), BR_DENIED, "239 minutes: not idle yet");
	br_free_str(&why);
	clock_fix(TEST_NOW + 241 * 60);
	cr_assert_eq(request_take(fx.s, r, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"), "from=officer2 idle=241min");
	/* responses record the officer */
	cr_assert_eq(offer_decline(fx.s, o, DECLINE_NO_STAFF, NULL, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT responded_by FROM offer"), "officer");
	br_free_str(&why);
}

Test(live, supervisors_assign)
{
	int64_t r = request("SU1", 10, "2026-11-30");
	char *why = NULL;
	cr_expect_eq(request_assign(fx.s, r, "officer2", &why), BR_DENIED, "officers do not assign");
	br_free_str(&why);
	as("supervisor");
	cr_expect_eq(request_assign(fx.s, r, "viewer", &why), BR_DATA, "a viewer works no requests");
	br_free_str(&why);
	cr_expect_eq(request_assign(fx.s, r, "nobody", &why), BR_DATA);
	br_free_str(&why);
	cr_assert_eq(request_assign(fx.s, r, "officer2", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT assigned_to || ' ' || assigned_by FROM package_request"),
			 "officer2 supervisor");
	br_free_str(&why);
}


Test(live, the_person_screen_shows_the_weekly_cost_now_by_funding)
{
	place("SU1", 10, "2026-11-22");
	int64_t paused = place("SU1", 5, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_pause(fx.s, paused, "2026-11-22", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	struct request_input in = {.units = 4, .asc_pct = 60};
	strcpy(in.user_ref, "SU1");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-22");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "JOINT");
	int64_t r, o, co;
	cr_assert_eq(request_create(fx.s, &in, &r, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_create(fx.s, r, 1, NULL, &o, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(offer_accept(fx.s, o, &co, &why), BR_OK, "%s", why ? why : "");
	struct person_detail *d = NULL;
	cr_assert_eq(person_refresh(fx.s, 1, &d, &why), BR_OK, "%s", why ? why : "");
	/* £155 active + £62 retainer (80% of £77.50), all council; £62 joint, 60% council */
	cr_expect_eq(d->weekly_council, 15500 + 6200 + 3720);
	cr_expect_eq(d->weekly_nhs, 2480);
	cr_expect_eq(d->n_paused, 1);
	person_detail_free(&d);
	br_free_str(&why);
}

Test(live, the_match_shows_a_person_who_holds_their_own_budget)
{
	fx_sql(&fx, "UPDATE service_user SET direct_payment = 1 WHERE ref = 'SU2'");
	int64_t mine = request("SU2", 3, "2026-11-30"), other = request("SU1", 3, "2026-11-30");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, mine, &m, NULL), BR_OK);
	cr_expect(m->req.direct_payment);
	match_free(&m);
	cr_assert_eq(match_run(fx.s, other, &m, NULL), BR_OK);
	cr_expect(!m->req.direct_payment);
	match_free(&m);
}

Test(live, a_package_paused_past_its_end_date_ends_on_it)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_end(fx.s, co, "2026-11-25", "changed_service", &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_wal(), "40");
	clock_to("2026-11-25");
	cr_expect_str_eq(status_of(co), "ended");
	cr_expect_str_eq(free_wal(), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT ended_reason FROM calloff"), "changed_service");
	br_free_str(&why);
}

/* ---- funding as councils record it; variations of the rate and the split;
 * a pause from a later date ------------------------------------------------ */

Test(live, section_117_and_fnc_come_from_the_person_onto_the_calloff)
{
	fx_sql(&fx, "UPDATE service_user SET s117 = 1, fnc = 1 WHERE ref = 'SU1'");
	int64_t co = place("SU1", 10, "2026-11-22"), other = place("SU2", 2, "2026-11-22");
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect(c.s117, "carried from the person");
	cr_expect(!c.fnc, "funded nursing care is for a nursing placement (RES) only");
	cr_assert_eq(calloff_get(fx.s, other, &c, NULL), BR_OK);
	cr_expect(!c.s117 && !c.fnc);
	int64_t r = request("SU1", 3, "2026-11-30");
	struct match_result *m = NULL;
	cr_assert_eq(match_run(fx.s, r, &m, NULL), BR_OK);
	cr_expect(m->req.s117, "the match shows it");
	match_free(&m);
	/* a variation is placed for the same person: it carries the flag too */
	int64_t nid = 0;
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 8, "2026-11-30", NULL, &nid, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_get(fx.s, nid, &c, NULL), BR_OK);
	cr_expect(c.s117);
	br_free_str(&why);
}

Test(live, funded_nursing_care_is_the_nhs_share_at_the_years_rate)
{
	struct funding_split f;
	int64_t d25, d26;
	cr_assert_eq(date_parse("2025-06-01", &d25, NULL), BR_OK);
	cr_assert_eq(date_parse("2024-06-01", &d26, NULL), BR_OK);
	const struct br_config *cfg = &fx.s->cfg;
	funding_split_of(cfg, 120000, 100, true, d25, &f);
	cr_expect_eq(f.fnc, 25406, "the 2025-26 rate");
	cr_expect_eq(f.nhs, 25406);
	cr_expect_eq(f.council, 120000 - 25406);
	funding_split_of(cfg, 120000, 100, true, d26, &f);
	cr_expect_eq(f.fnc, 23588, "the rate in force that year");
	funding_split_of(cfg, 120000, 50, true, d25, &f);
	cr_expect_eq(f.council, (120000 - 25406) / 2, "a joint package splits what is left");
	cr_expect_eq(f.council + f.nhs, 120000);
	funding_split_of(cfg, 120000, 0, true, d25, &f);
	cr_expect_eq(f.fnc, 0, "the NHS pays in full: no FNC on top");
	funding_split_of(cfg, 10000, 100, true, d25, &f);
	cr_expect_eq(f.fnc, 10000, "never more than the weekly cost");
	funding_split_of(cfg, 120000, 100, false, d25, &f);
	cr_expect_eq(f.fnc, 0);
	cr_expect_eq(f.council, 120000);
	/* the Person screen: FNC is the NHS's part of the weekly cost now */
	int64_t co = place("SU1", 10, "2026-11-22");
	fx_sql(&fx, "UPDATE calloff SET fnc = 1, s117 = 1");
	(void)co;
	struct person_detail *d = NULL;
	char *why = NULL;
	cr_assert_eq(person_refresh(fx.s, 1, &d, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(d->weekly_fnc, 15500, "capped at the week's £155");
	cr_expect_eq(d->weekly_nhs, 15500);
	cr_expect_eq(d->weekly_council, 0);
	cr_expect_eq(d->weekly_s117, 15500);
	person_detail_free(&d);
	br_free_str(&why);
}

Test(live, a_variation_of_the_rate_over_the_threshold_waits_for_approval)
{
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	char *why = NULL;
	struct vary_terms up = {.units = 0, .rate = 9000, .asc_pct = -1};
	cr_assert_eq(calloff_vary_terms(fx.s, co, &up, "2026-11-30", "a dearer provider rate", &nid, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(nid), "awaiting_approval", "£900 a week is over the £800 threshold");
	cr_expect_str_eq(free_wal(), "40", "the units did not change: nor does the capacity");
	cr_expect_str_eq(fx_query(&fx, "SELECT units || ' ' || unit_rate_pence || ' ' || weekly_cost_pence || ' ' || asc_pct "
				       "FROM calloff WHERE id = 2"), "10 9000 90000 100");
	cr_expect_str_eq(status_of(co), "varied");
	cr_expect_eq(calloff_vary_terms(fx.s, nid, &up, "2026-12-01", NULL, NULL, &why), BR_CONFLICT, "not active");
	br_free_str(&why);
	/* rejected: the old one runs on */
	as("supervisor");
	cr_assert_eq(approval_decide(fx.s, nid, false, "not at that rate", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40");
	br_free_str(&why);
}

/* Issue 26, finding 4: fewer hours at £50 an hour (the framework's is
 * £24.20) went through without approval because the week cost less. */
Test(live, a_dearer_unit_rate_above_the_framework_waits_for_approval_even_when_the_week_costs_less)
{
	int64_t co = place("SU1", 20, "2026-11-22"), nid = 0;
	char *why = NULL;
	struct vary_terms t = {.units = 5, .rate = 5000, .asc_pct = -1}; /* £250 a week, down from £310 */
	cr_assert_eq(calloff_vary_terms(fx.s, co, &t, "2026-11-30", "provider's new price", &nid, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(nid), "awaiting_approval", "£50 an hour is above the framework rate");
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(rule) FROM approval_rule"), "unit_rate");
	br_free_str(&why);
}

/* Issue 26, finding 3: a request may ask for at most units_max; a
 * variation went past it (30 day sessions a week, 500 hours of home care). */
Test(live, a_variation_asks_for_no_more_units_than_a_request_may)
{
	fx_sql(&fx, "UPDATE capacity SET free = 1000");
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	char *why = NULL;
	char sql[80];
	snprintf(sql, sizeof sql, "%lld", (long long)fx.s->cfg.units_max[SERVICE_HC] + 1);
	int64_t over = fx.s->cfg.units_max[SERVICE_HC] + 1;
	cr_expect_eq(calloff_vary(fx.s, co, over, "2026-11-30", "more", &nid, &why), BR_DATA, "%s hours", sql);
	cr_expect(why && strstr(why, "units_max"), "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff"), "1");
	br_free_str(&why);
}

Test(live, a_variation_of_the_split_or_a_lower_rate_needs_no_approval)
{
	int64_t co = place("SU1", 10, "2026-11-22"), nid = 0;
	char *why = NULL;
	struct vary_terms none = {.units = 0, .rate = 0, .asc_pct = -1};
	cr_expect_eq(calloff_vary_terms(fx.s, co, &none, "2026-11-30", NULL, &nid, &why), BR_USAGE, "nothing to change");
	br_free_str(&why);
	struct vary_terms same = {.units = 10, .rate = 1550, .asc_pct = 100};
	cr_expect_eq(calloff_vary_terms(fx.s, co, &same, "2026-11-30", NULL, &nid, &why), BR_DATA, "the same terms");
	br_free_str(&why);
	struct vary_terms bad = {.units = 0, .rate = 0, .asc_pct = 101};
	cr_expect_eq(calloff_vary_terms(fx.s, co, &bad, "2026-11-30", NULL, &nid, &why), BR_DATA);
	br_free_str(&why);
	struct vary_terms split = {.units = 0, .rate = 0, .asc_pct = 60};
	cr_assert_eq(calloff_vary_terms(fx.s, co, &split, "2026-11-30", "CHC agreed 40%", &nid, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(nid), "approved");
	cr_expect_str_eq(fx_query(&fx, "SELECT asc_pct || ' ' || units || ' ' || unit_rate_pence FROM calloff WHERE id = 2"),
			 "60 10 1550");
	cr_expect_str_eq(free_wal(), "40");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit WHERE action = 'calloff.vary' ORDER BY id DESC LIMIT 1"),
			 "proposed->approved from=1 units 10->10 rate 1550->1550 asc_pct 100->60 weekly=15500");
	clock_to("2026-11-30");
	int64_t lower = 0;
	struct vary_terms cheaper = {.units = 0, .rate = 1400, .asc_pct = -1};
	cr_assert_eq(calloff_vary_terms(fx.s, nid, &cheaper, "2026-12-07", NULL, &lower, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(lower), "approved", "a lower rate needs no approval");
	cr_expect_str_eq(fx_query(&fx, "SELECT asc_pct || ' ' || weekly_cost_pence FROM calloff WHERE id = 3"), "60 14000",
			 "the split stays as it was varied");
	br_free_str(&why);
}

Test(live, a_pause_from_a_later_date_is_scheduled_and_begins_on_it)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-26", "respite_elsewhere", false, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(status_of(co), "active", "scheduled: active until the date");
	cr_expect_str_eq(free_wal(), "40", "the capacity is kept until then");
	struct calloff_info c;
	cr_assert_eq(calloff_get(fx.s, co, &c, NULL), BR_OK);
	cr_expect_str_eq(c.pause_from, "2026-11-26");
	char words[80];
	calloff_status_words(&c, words, sizeof words);
	cr_expect_str_eq(words, "active, pause scheduled from 26 Nov (release)");
	cr_expect_eq(calloff_weekly_now(fx.s, &c), 15500, "full cost until the pause");
	cr_expect_eq(calloff_pause(fx.s, co, "2026-11-28", "away", true, &why), BR_CONFLICT, "one at a time");
	br_free_str(&why);
	int64_t nid = 0;
	cr_expect_eq(calloff_vary(fx.s, co, 12, "2026-11-30", NULL, &nid, &why), BR_CONFLICT, "call the pause off first");
	br_free_str(&why);
	clock_to("2026-11-25");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40");
	clock_to("2026-11-26");
	cr_expect_str_eq(status_of(co), "paused_released", "the clock begins it on the day");
	cr_expect_str_eq(free_wal(), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT login || ' ' || action FROM audit WHERE entity = 'calloff' ORDER BY id DESC "
				       "LIMIT 1"), "system calloff.pause_begin");
	cr_expect_str_eq(fx_query(&fx, "SELECT begun || ' ' || released_on FROM calloff_pause"), "1 2026-11-26");
	cr_assert_eq(calloff_resume(fx.s, co, "2026-11-26", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(free_wal(), "40");
	br_free_str(&why);
}

Test(live, a_scheduled_retainer_runs_from_its_date_and_a_resume_before_calls_it_off)
{
	int64_t co = place("SU1", 10, "2026-11-22"), other = place("SU2", 5, "2026-11-22");
	char *why = NULL;
	cr_expect_eq(calloff_pause(fx.s, co, "2026-11-21", "hospital", true, &why), BR_DATA, "before it started");
	br_free_str(&why);
	cr_expect_eq(calloff_end(fx.s, other, "2026-11-28", "moved_away", &why), BR_OK);
	br_free_str(&why);
	cr_expect_eq(calloff_pause(fx.s, other, "2026-11-29", "hospital", true, &why), BR_CONFLICT,
		     "it ends before the pause would begin");
	br_free_str(&why);
	cr_assert_eq(calloff_pause(fx.s, co, "2026-12-01", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT retain_until || ' ' || begun FROM calloff_pause"), "2026-12-28 0",
			 "28 days from the pause's own date");
	/* called off: a resume before it begins */
	cr_assert_eq(calloff_resume(fx.s, co, "2026-11-22", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(status_of(co), "active");
	cr_expect_str_eq(fx_query(&fx, "SELECT cancelled_on FROM calloff_pause"), "2026-11-22");
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit WHERE entity = 'calloff' ORDER BY id DESC LIMIT 1"),
			 "calloff.pause_cancel");
	clock_to("2026-12-02");
	cr_expect_str_eq(status_of(co), "active", "a pause called off never begins");
	cr_expect_str_eq(free_wal(), "40", "the other ended on the 28th");
	/* scheduled again, and this time it runs: retained, then lapses */
	cr_assert_eq(calloff_pause(fx.s, co, "2026-12-05", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	clock_to("2026-12-05");
	cr_expect_str_eq(status_of(co), "paused");
	cr_expect_str_eq(free_wal(), "40", "kept on the retainer");
	clock_to("2027-01-02");
	cr_expect_str_eq(status_of(co), "paused_released", "28 days on");
	cr_expect_str_eq(free_wal(), "50");
	struct calloff_event_row *rows = NULL;
	int n = 0;
	cr_assert_eq(calloff_history(fx.s, co, &rows, &n, NULL), BR_OK);
	cr_assert_geq(n, 3);
	cr_expect_str_eq(rows[1].what, "pause called off");
	cr_expect_str_eq(rows[2].what, "paused, retained");
	free(rows);
	br_free_str(&why);
}

Test(live, the_assign_picker_lists_the_officers_for_supervisors)
{
	int64_t r = request("SU1", 10, "2026-11-30");
	struct assignee a[16];
	int n = -1;
	char *why = NULL;
	cr_expect_eq(request_assignees(fx.s, a, 16, &n, &why), BR_DENIED, "officers do not assign");
	cr_expect_eq(n, 0);
	br_free_str(&why);
	as("supervisor");
	cr_assert_eq(request_assign(fx.s, r, "officer2", &why), BR_OK, "%s", why ? why : "");
	fx_sql(&fx, "UPDATE users SET disabled = 1 WHERE login = 'sup2'");
	cr_assert_eq(request_assignees(fx.s, a, 16, &n, &why), BR_OK, "%s", why ? why : "");
	int officer2 = -1;
	for (int i = 0; i < n; i++) {
		cr_expect(strcmp(a[i].role, "officer") == 0 || strcmp(a[i].role, "supervisor") == 0, "%s", a[i].role);
		cr_expect_str_neq(a[i].login, "sup2", "not a disabled user");
		if (strcmp(a[i].login, "officer2") == 0)
			officer2 = i;
	}
	cr_assert_geq(officer2, 0);
	cr_expect_eq(a[officer2].open, 1, "with what they have now");
	cr_expect_str_eq(a[0].role, "officer", "officers first");
	br_free_str(&why);
}

/* Issue 20, finding 1: "live" is every state but ended, rejected and
 * cancelled. A package paused on a retainer still holds capacity for the
 * person: the record cannot be closed over it. */
Test(live, a_paused_package_keeps_the_record_from_closing)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_assert_str_eq(status_of(co), "paused");
	as("supervisor");
	int n = -1;
	cr_expect_eq(person_close(fx.s, 1, "moved_away", NULL, true, &n, &why), BR_CONFLICT,
		     "closed over a paused call-off");
	cr_expect(why && strstr(why, "call-off"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM service_user WHERE id = 1"), "active");
	cr_expect_str_eq(status_of(co), "paused");
	free(why);
	why = NULL;
	/* released, it holds nothing, but it is still care not over */
	as("officer");
	cr_assert_eq(calloff_resume(fx.s, co, "2026-11-22", &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "hospital", false, &why), BR_OK, "%s", why ? why : "");
	cr_assert_str_eq(status_of(co), "paused_released");
	as("supervisor");
	cr_expect_eq(person_close(fx.s, 1, "moved_away", NULL, true, &n, &why), BR_CONFLICT,
		     "closed over a released pause");
	free(why);
}

/* Issue 20, finding 4: a pause may be scheduled from any day the package
 * will be running, a variation's new part included; and a refusal says
 * so in words. */
Test(live, a_pause_is_scheduled_on_a_variation_that_starts_tomorrow)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	int64_t nw = 0;
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 8, "2026-11-23", "needs less", &nw, &why), BR_OK, "%s", why ? why : "");
	cr_assert_str_eq(status_of(nw), "approved");
	cr_expect_eq(calloff_pause(fx.s, nw, "2026-11-25", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT from_date FROM calloff_pause WHERE calloff_id = (SELECT max(id) FROM calloff) "
				       "AND cancelled_on IS NULL"), "2026-11-25");
	cr_expect_str_eq(status_of(nw), "approved", "the pause waits for the care to start");
	free(why);
	why = NULL;
	/* before the new part starts, the old one is what runs: a pause from
	 * today is the old part's */
	cr_expect_eq(calloff_pause(fx.s, nw, "2026-11-22", "hospital", true, &why), BR_DATA,
		     "paused before it starts");
	cr_expect(why && !strstr(why, "to active"), "garbled: %s", why ? why : "");
	free(why);
}

/* ... and the clock starts the new part, then begins the pause on its day,
 * holding the capacity on the retainer. */
Test(live, a_pause_scheduled_before_the_start_begins_once_the_care_has_started)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	int64_t nw = 0;
	char *why = NULL;
	cr_assert_eq(calloff_vary(fx.s, co, 8, "2026-11-23", "needs less", &nw, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_pause(fx.s, nw, "2026-11-25", "hospital", true, &why), BR_OK, "%s", why ? why : "");
	clock_to("2026-11-23");
	cr_expect_str_eq(status_of(nw), "active");
	cr_expect_str_eq(status_of(co), "ended");
	clock_to("2026-11-25");
	cr_expect_str_eq(status_of(nw), "paused");
	cr_expect_str_eq(free_wal(), "42", "the retainer keeps the 8 hours");
	free(why);
}

/* A pause scheduled on care that is then cancelled before it starts never begins. */
Test(live, a_pause_scheduled_on_care_cancelled_before_it_starts_is_called_off)
{
	int64_t co = place("SU1", 10, "2026-11-24");
	char *why = NULL;
	cr_assert_str_eq(status_of(co), "approved");
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-26", "away", false, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(calloff_cancel(fx.s, co, "not wanted", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff_pause WHERE calloff_id = 1 AND cancelled_on IS NULL"),
			 "0");
	free(why);
}

/* Issue 26: a resume refused for want of capacity blamed the last officer
 * to place a package, when an admin had set the figure since. */
Test(live, a_resume_refused_for_capacity_names_who_set_the_figure)
{
	int64_t co = place("SU1", 10, "2026-11-22");
	char *why = NULL;
	cr_assert_eq(calloff_pause(fx.s, co, "2026-11-22", "hospital", false, &why), BR_OK, "%s", why ? why : "");
	clock_fix((time_t)(1795305600 + 11 * 3600)); /* 11:00, after the placement */
	as("admin");
	int64_t was = 0;
	cr_assert_eq(capacity_set(fx.s, 1, "HC", "WAL", 4, &was, &why), BR_OK, "%s", why ? why : "");
	as("officer");
	cr_expect_eq(calloff_resume(fx.s, co, "2026-11-22", &why), BR_CONFLICT);
	cr_expect(why && strstr(why, "admin set the figure"), "%s", why ? why : "");
	br_free_str(&why);
}
