/* The call-off lifecycle: the sequences that broke under probing (issue 10)
 * and after its review. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "world.h"

TestSuite(lifecycle, .init = world_respite, .fini = world_close);

static const char *free_hc_wal_1(void)
{
	return fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND service = 'HC' AND locality = 'WAL'");
}

/* Finding 1: cancel while awaiting approval, then a supervisor rejects it. */
Test(lifecycle, cancelled_then_rejected_returns_capacity_once)
{
	int64_t co = world_expensive();
	cr_expect_str_eq(free_hc_wal_1(), "10");
	char *why = NULL;
	cr_assert_eq(calloff_cancel(fx.s, co, "Family found another way", &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(free_hc_wal_1(), "50");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM approval"), "rejected", "the approval is settled");
	world_as("supervisor");
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
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 41), &co, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff"), "awaiting_approval");
	int f;
	respite_free(fx.s, 41, "BIR", date_days(2026, 11, 30), &f, NULL);
	cr_expect_eq(f, 4, "one bed held on its nights");
	world_as("supervisor");
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
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	int64_t o = world_offer_ok(r, 1), co = 0;
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
	world_as("supervisor");
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), id = 0, co = 0;
	world_offer_ok(r, 1);
	struct offer_options oo = {OVERRIDE_PERSON_CHOICE, "Mrs Jones asks for Kare Plus"};
	char *why = NULL;
	cr_assert_eq(offer_create(fx.s, r, 9, &oo, &id, &why), BR_OK, "%s", why ? why : "");
	world_as("officer");
	cr_assert_eq(offer_accept(fx.s, id, &co, &why), BR_OK, "%s", why ? why : "");
	world_as("supervisor");
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED, "raised it and wrote the reason");
	cr_expect_not_null(why && strstr(why, "four eyes"), "%s", why ? why : "");
	world_as("sup2");
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_OK, "%s", why ? why : "");
	br_free_str(&why);
}

/* Finding 5: a hand-back with a notice date keeps the care going until then. */
Test(lifecycle, a_handback_keeps_care_until_the_notice_date)
{
	int64_t r = world_request("SU1", "HC", 10, "2026-11-22"), co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
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
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), id = 0;
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
	world_as("viewer");
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
	world_as("admin");
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
	world_as("officer");
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
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
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), co = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, NULL), BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT group_concat(detail, '|') FROM audit WHERE action LIKE 'calloff.%'"),
			 "proposed->approved request=1 provider=1 tier=primary rate=1550 units=10 weekly=15500");
}

/* Finding 3, the other half: a suspension withdraws pending offers and what
 * has not started, in one transaction, audited; only supervisors and admins. */
Test(lifecycle, a_suspension_withdraws_offers_and_unstarted_calloffs)
{
	int64_t co = world_expensive();           /* SU1 at Premier Care, awaiting approval */
	int64_t r2 = world_request("SU3", "HC", 5, "2026-11-30");
	int64_t o2 = world_offer_ok(r2, 1);
	char *why = NULL;
	cr_expect_eq(provider_suspend(fx.s, 1, "Safeguarding concern", &why), BR_DENIED, "not an officer");
	world_as("viewer");
	cr_expect_eq(provider_suspend(fx.s, 1, "Safeguarding concern", &why), BR_DENIED, "not a viewer");
	world_as("supervisor");
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
	world_as("officer");
	int64_t x = 0;
	cr_expect_eq(offer_accept(fx.s, o2, &x, &why), BR_CONFLICT, "the offer was withdrawn");
	(void)co;
	world_as("admin");
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
	int64_t co = world_expensive();           /* SU1 at Premier Care, awaiting approval */
	int64_t r2 = world_request("SU3", "HC", 5, "2026-11-30");
	int64_t o2 = world_offer_ok(r2, 1);
	char *why = NULL;
	int offers = -1, cancelled = -1;
	cr_expect_eq(provider_leave(fx.s, 1, "2026-11-22", NULL, &offers, &cancelled, &why), BR_DENIED, "not an officer");
	world_as("supervisor");
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
	world_as("officer");
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
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30"), old = 0, fresh = 0;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &old, NULL), BR_OK);
	char *why = NULL;
	cr_assert_eq(calloff_handback(fx.s, old, "no_staff", "2026-12-09", &why), BR_OK, "%s", why ? why : "");
	world_decline(world_offer_ok(r, 2));
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 8), &fresh, &why), BR_OK, "%s", why ? why : "");
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
	world_as("oncall");
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 2, &b, NULL), BR_OK);
	char *why = NULL;
	world_as("sup2");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 1, &why), BR_DATA, "a shorter stay is no extension");
	cr_expect_not_null(strstr(why, "already has 2 nights"), "%s", why);
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 2, &why), BR_DATA);
	cr_assert_eq(respite_extend(fx.s, b.calloff_id, 3, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT annual_cost_pence FROM approval"), "54000", "3 nights at £180");
	cr_expect_eq(approval_decide(fx.s, b.calloff_id, true, "", &why), BR_DENIED, "sup2 extended it");
	world_as("supervisor");
	fx_sql(&fx, "UPDATE users SET approval_limit = 100000000 WHERE login = 'supervisor'");
	world_as("supervisor");
	cr_assert_eq(approval_decide(fx.s, b.calloff_id, true, "", &why), BR_OK, "%s", why ? why : "");
	world_as("sup2");
	cr_expect_eq(respite_extend(fx.s, b.calloff_id, 4, &why), BR_CONFLICT, "approved for 3 nights");
	cr_expect_not_null(strstr(why, "approval has been decided"), "%s", why);
	cr_expect_str_eq(fx_query(&fx, "SELECT units FROM calloff"), "3");
	br_free_str(&why);
}

/* Rejecting an emergency booking that has started keeps tonight's bed:
 * and charges tonight only, not the nights it no longer holds. */
Test(lifecycle, a_rejected_emergency_booking_is_paid_for_the_nights_it_held)
{
	world_as("oncall");
	struct respite_booking b;
	cr_assert_eq(respite_book(fx.s, 1, 40, "", 3, &b, NULL), BR_OK);
	world_as("supervisor");
	fx_sql(&fx, "UPDATE users SET approval_limit = 100000000 WHERE login = 'supervisor'");
	world_as("supervisor");
	char *why = NULL;
	cr_assert_eq(approval_decide(fx.s, b.calloff_id, false, "not an emergency", &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || units || ' ' || weekly_cost_pence FROM calloff"),
			 "ended 1 18000", "one night held, one night paid");
	br_free_str(&why);
}

/* A request cannot change under a pending offer: what the provider was
 * offered is what it accepts, and an editor would not count as a shaper. */

/* ---- issue 26: found by an auditor's probe --------------------------------- */

/* Issue 26, finding 5: a package asked for from 22 November and accepted
 * on the 24th started on the 22nd, and respite nights already past were
 * paid. Care starts no earlier than its acceptance. */
Test(lifecycle, care_never_starts_before_it_is_accepted)
{
	fx_sql(&fx, "INSERT INTO coverage VALUES (40, 'WAL')");
	int64_t hc = world_request("SU1", "HC", 10, "2026-11-22");
	int64_t rsp = world_request("SU1", "RSP", 3, "2026-11-23");
	int64_t o_hc = world_offer_ok(hc, 1), o_rsp = world_offer_ok(rsp, 40), co = 0;
	clock_fix(TEST_NOW + 2 * 86400); /* 24 November */
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, o_hc, &co, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT start_date || ' ' || status FROM calloff"), "2026-11-24 active",
			 "home care starts the day it is accepted");
	cr_expect_eq(offer_accept(fx.s, o_rsp, &co, &why), BR_CONFLICT, "nights gone are not booked");
	cr_expect(why && strstr(why, "2026-11-23"), "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE service = 'RSP'"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM calloff WHERE start_date < substr(created_at, 1, 10)"), "0");
	br_free_str(&why);
}
