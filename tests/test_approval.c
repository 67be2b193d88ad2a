/* Approvals: four eyes, limits, break-glass, users. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "world.h"

TestSuite(approval, .init = world_open, .fini = world_close);

Test(approval, an_over_threshold_calloff_waits_with_its_rules_in_words)
{
	int64_t co = world_expensive();
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
	world_as("supervisor");
	int64_t co = world_expensive();
	char *why = NULL;
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "four eyes"), "%s", why);
	br_free_str(&why);
}

Test(approval, the_queue_names_the_proposers_and_says_at_once_who_may_decide)
{
	world_as("supervisor");
	int64_t co = world_expensive();
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
	world_as("supervisor2");
	cr_assert_eq(approval_list(fx.s, NULL, LIST_FORWARD, rows, 5, &n, NULL), BR_OK);
	cr_expect(!rows[0].mine);
	cr_expect_eq(approval_may_decide(fx.s, co, true, &why), BR_DENIED, "above supervisor2's limit");
	br_free_str(&why);
	cr_expect_eq(approval_may_decide(fx.s, co, false, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(approval_decide(fx.s, co, false, "Not needed", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(approval_may_decide(fx.s, co, false, &why), BR_CONFLICT, "decided already");
	br_free_str(&why);
	world_as("viewer");
	cr_expect_eq(approval_may_decide(fx.s, co, true, &why), BR_DENIED);
	br_free_str(&why);
}

Test(approval, above_the_limit_waits_for_someone_whose_limit_covers_it)
{
	int64_t co = world_expensive();
	world_as("supervisor2");
	char *why = NULL;
	cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "above supervisor2's limit of £10,000.00"), "%s", why);
	cr_expect_not_null(strstr(why, "supervisor can approve it"), "%s", why);
	world_as("supervisor");
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
	int64_t co = world_expensive();
	const char *const logins[] = {"officer", "viewer", "oncall", "admin"};
	for (int i = 0; i < 4; i++) {
		world_as(logins[i]);
		char *why = NULL;
		cr_expect_eq(approval_decide(fx.s, co, true, NULL, &why), BR_DENIED, "%s", logins[i]);
		br_free_str(&why);
	}
}

Test(approval, rejection_needs_a_note_returns_capacity_and_reopens)
{
	int64_t co = world_expensive();
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity WHERE provider_id = 1 AND locality = 'WAL'"), "10");
	world_as("supervisor");
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
	world_as("admin");
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
