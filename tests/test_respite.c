/* Emergency respite: tonight's beds, the booking, its approval, its
 * extension, the race for the last bed. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "world.h"

TestSuite(respite, .init = world_respite, .fini = world_close);

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
	world_as("officer");
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
	world_as("oncall");
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 4, &b, &why), BR_DENIED);
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 3, &b, &why), BR_OK, "on-call may book up to 3");
	world_as("viewer");
	cr_expect_eq(respite_book(fx.s, 3, 40, "", 1, &b, &why), BR_DENIED);
	world_as("supervisor");
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
	world_as("supervisor");
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
	world_as("supervisor");
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

/* Issue 26, finding 7: the on-call officer booked 3, 2 and 1 nights for one
 * person on the same night: three beds and three bills. One bed a night per
 * person; a longer stay is an extension. */
Test(respite, one_bed_a_night_per_person)
{
	world_as("oncall");
	struct respite_booking b, b2;
	char *why = NULL;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(respite_book(fx.s, 1, 40, "", 2, &b2, &why), BR_CONFLICT, "the same provider, the same night");
	cr_expect(why && strstr(why, "extend"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_eq(respite_book(fx.s, 3, 40, "", 1, &b2, &why), BR_OK, "someone else may have the other bed: %s",
		     why ? why : "");
	br_free_str(&why);
	/* Wallasey full now: Birkenhead may take someone, but not SU1 again */
	cr_expect_eq(respite_book(fx.s, 1, 41, "", 1, &b2, &why), BR_CONFLICT, "another provider, the same night");
	cr_expect(why && strstr(why, "already has a respite bed"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE service = 'RSP'"), "2");
}

/* Issue 26, finding 14: a death recorded the day after, with home care
 * from today and a bed tonight: the care was ended the day after the death
 * and the bed held tonight. A death ends care on its date; care that began
 * after it never happened and is cancelled, its bed free tonight. */
Test(respite, a_death_yesterday_cancels_what_began_after_it_and_frees_tonights_bed)
{
	int64_t hc = world_request("SU1", "HC", 10, "2026-11-22"), co = 0;
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(hc, 1), &co, &why), BR_OK, "%s", why ? why : "");
	world_as("oncall");
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, &why), BR_OK, "%s", why ? why : "");
	int beds = -1;
	cr_assert_eq(respite_free(fx.s, 40, "WAL", respite_tonight(), &beds, &why), BR_OK);
	cr_expect_eq(beds, 1);
	world_as("officer");
	struct deceased_report rep;
	cr_assert_eq(person_deceased(fx.s, "SU1", "2026-11-21", &rep, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(rep.cancelled, 2, "both began after the death");
	cr_expect_eq(rep.ended, 0);
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(status) FROM calloff"), "cancelled,cancelled");
	cr_assert_eq(respite_free(fx.s, 40, "WAL", respite_tonight(), &beds, &why), BR_OK);
	cr_expect_eq(beds, 2, "the bed is free tonight");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'"),
			 "50");
	br_free_str(&why);
}

/* ... and a stay begun before the death ends with the night before it. */
Test(respite, a_death_ends_a_stay_with_the_night_before)
{
	world_as("oncall");
	struct respite_booking b;
	char *why = NULL;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, &why), BR_OK, "%s", why ? why : "");
	clock_fix(TEST_NOW + 2 * 86400); /* 24 November */
	world_as("officer");
	struct deceased_report rep;
	cr_assert_eq(person_deceased(fx.s, "SU1", "2026-11-24", &rep, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || start_date || ' ' || end_date FROM calloff"),
			 "ended 2026-11-22 2026-11-23", "the nights of the 22nd and 23rd");
	br_free_str(&why);
}

/* Issue 26, finding 11: the on-call officer booked a bed outside the
 * person's locality while their own had beds free. */
Test(respite, out_of_locality_only_when_the_locality_cannot_take_the_person)
{
	world_as("oncall");
	struct respite_booking b;
	char *why = NULL;
	cr_expect_eq(respite_book(fx.s, 1, 41, "", 1, &b, &why), BR_DENIED, "Wallasey has 2 beds free");
	cr_expect(why && strstr(why, "Wallasey Beds"), "%s", why ? why : "");
	br_free_str(&why);
	fx_sql(&fx, "UPDATE capacity SET free = 0 WHERE provider_id = 40");
	cr_expect_eq(respite_book(fx.s, 1, 41, "", 1, &b, &why), BR_OK, "none in Wallasey tonight: %s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT override_kind FROM calloff"), "out_of_locality");
	br_free_str(&why);
}
