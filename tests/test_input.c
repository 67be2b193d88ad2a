/* What the faces take in (issue 27): free text (notes, reasons), names and
 * NHS numbers, through core's one check each, so the screens and the
 * command line refuse the same. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "world.h"

TestSuite(input, .init = world_open, .fini = world_close);

/* an xterm title sequence, as the probe typed it */
#define ESC_TITLE "x\x1b]2;PWNED\x07"

static const char *audit_rows(void)
{
	static char n[24];
	strcpy(n, fx_query(&fx, "SELECT count(*) FROM audit"));
	return n;
}

/* BR_DATA, one line naming the field */
static void refused(enum br_status st, char **why, const char *field, const char *what)
{
	cr_expect_eq(st, BR_DATA, "%s: %s (%s)", what, *why ? *why : "accepted", field);
	cr_expect(*why && strstr(*why, field) && !strchr(*why, '\n'), "%s: %s", what, *why ? *why : "");
	br_free_str(why);
}

/* Issue 27, finding 7: every free-text field refuses a control character
 * but a new line where it may have lines (notes), before anything is
 * written. */
Test(input, free_text_with_a_control_character_is_refused_and_nothing_written)
{
	char *why = NULL;
	int64_t r = world_request("SU1", "HC", 10, "2026-11-30");
	char n_before[24];
	strcpy(n_before, audit_rows());

	struct request_input in = {.units = 5, .asc_pct = -1};
	strcpy(in.user_ref, "SU3");
	strcpy(in.service, "HC");
	strcpy(in.start, "2026-11-30");
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	strcpy(in.notes, ESC_TITLE);
	int64_t id = 0;
	refused(request_create(fx.s, &in, &id, &why), &why, "--notes", "request notes with ESC");
	strcpy(in.notes, "carriage\rreturn");
	refused(request_create(fx.s, &in, &id, &why), &why, "--notes", "request notes with CR");
	refused(request_edit(fx.s, r, &in, &why), &why, "--notes", "edited notes with CR");
	refused(request_cancel(fx.s, r, ESC_TITLE, &why), &why, "--reason", "cancel reason with ESC");
	refused(request_cancel(fx.s, r, "two\nlines", &why), &why, "--reason", "a reason is one line");
	refused(request_take(fx.s, r, ESC_TITLE, &why), &why, "--reason", "take reason with ESC");
	struct offer_options o = {.override = OVERRIDE_PERSON_CHOICE};
	strcpy(o.reason, ESC_TITLE);
	refused(offer_create(fx.s, r, 5, &o, &id, &why), &why, "--reason", "override reason with ESC");
	int64_t offer = world_offer_ok(r, 1);
	strcpy(n_before, audit_rows());
	refused(offer_decline(fx.s, offer, DECLINE_OTHER, ESC_TITLE, &why), &why, "--note", "decline note with ESC");
	refused(offer_withdraw(fx.s, offer, ESC_TITLE, &why), &why, "--note", "withdrawal with ESC");
	cr_expect_str_eq(audit_rows(), n_before, "nothing written");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM offer WHERE id = 1"), "pending");
	int64_t co = 0;
	cr_assert_eq(offer_accept(fx.s, offer, &co, &why), BR_OK, "%s", why ? why : "");
	strcpy(n_before, audit_rows());
	refused(calloff_cancel(fx.s, co, ESC_TITLE, &why), &why, "--reason", "call-off cancel reason with ESC");
	struct vary_terms t = {.units = 5, .asc_pct = -1};
	refused(calloff_vary_terms(fx.s, co, &t, "2026-12-01", ESC_TITLE, &id, &why), &why, "--reason",
		"variation reason with ESC");
	refused(person_close(fx.s, 3, "moved_away", ESC_TITLE, false, NULL, &why), &why, "--note", "closing note");
	world_as("supervisor");
	refused(provider_suspend(fx.s, 5, ESC_TITLE, &why), &why, "--reason", "suspension with ESC");
	refused(provider_reinstate(fx.s, 22, ESC_TITLE, &why), &why, "--note", "reinstatement with ESC");
	refused(approval_decide(fx.s, co, false, ESC_TITLE, &why), &why, "--note", "rejection note with ESC");
	char *text = NULL;
	refused(workorder_text(fx.s, co, ESC_TITLE, &text, &why), &why, "--reason", "work order reason with ESC");
	free(text);
	world_as("admin");
	refused(person_restrict(fx.s, 2, true, ESC_TITLE, &why), &why, "--reason", "restriction reason");
	fx_sql(&fx, "UPDATE service_user SET restricted = 1 WHERE id = 2");
	struct person_detail *d = NULL;
	refused(person_open(fx.s, 2, ESC_TITLE, &d, &why), &why, "--reason", "break-glass reason with ESC");
	person_detail_free(&d);
	struct export_options eo = {.include_restricted = true, .reason = ESC_TITLE};
	long long rows = 0;
	FILE *out = fopen("/dev/null", "w");
	refused(export_run_with(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, &eo, out, &rows, &why), &why, "--reason",
		"export reason with ESC");
	fclose(out);
	cr_expect_str_eq(audit_rows(), n_before, "nothing written");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || ' ' || coalesce(cancel_reason, '-') FROM package_request "
				       "WHERE id = 1"), "placed -");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM package_request"), "1");
	cr_expect_str_eq(fx_query(&fx, "SELECT status FROM calloff WHERE id = 1"), "approved");
	cr_expect_str_eq(fx_query(&fx, "SELECT status || restricted FROM service_user WHERE id = 3"), "active0");

	/* notes may have lines; the stored text is what was typed */
	world_as("officer");
	strcpy(in.notes, "multi\nline");
	cr_assert_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	cr_expect_str_eq(fx_query(&fx, "SELECT notes FROM package_request ORDER BY id DESC LIMIT 1"), "multi\nline");
	free(why);
}

/* Issue 27, finding 10: a name with a bidirectional control (text that
 * reads one way and runs another) or nothing in it but spaces, of any
 * script, is refused wherever a name is taken: people, providers, users,
 * and the two imports. */
#define RLO "\xe2\x80\xae" /* U+202E right-to-left override */
#define RLM "\xe2\x80\x8f" /* U+200F right-to-left mark */
#define LRM "\xe2\x80\x8e" /* U+200E left-to-right mark */
#define ALM "\xd8\x9c"     /* U+061C Arabic letter mark */
#define NBSP "\xc2\xa0"    /* U+00A0 no-break space */
#define IDSP "\xe3\x80\x80" /* U+3000 ideographic space */
#define ZWSP "\xe2\x80\x8b" /* U+200B zero-width space */

Test(input, a_name_with_a_bidi_control_or_only_spaces_is_refused_everywhere)
{
	char *why = NULL, ref[17], warning[160];
	world_as("admin");
	char n_before[24];
	strcpy(n_before, audit_rows());
	const char *bad[] = {"Evil" RLO "oC", "Evil" RLM "oC", "Evil" LRM "oC", "Evil" ALM "oC",
			     "   ", NBSP NBSP, IDSP, ZWSP, " " NBSP ZWSP " "};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct provider_input p = {0};
		strcpy(p.name, bad[i]);
		int64_t id = 0;
		refused(provider_add(fx.s, &p, &id, &why), &why, "name", bad[i]);
		refused(user_add(fx.s, "newuser", bad[i], "officer", -1, &why), &why, "name", bad[i]);
		struct person_input in = {0};
		strcpy(in.nhs, "943 476 5919");
		strcpy(in.family, bad[i]);
		strcpy(in.given, "Ann");
		strcpy(in.dob, "1950-03-01");
		strcpy(in.postcode, "CH41 5LH");
		strcpy(in.locality, "WAL");
		strcpy(in.need, "LD");
		refused(person_add(fx.s, &in, ref, warning, &why), &why, "family name", bad[i]);
		strcpy(in.family, "Jones");
		strcpy(in.given, bad[i]);
		refused(person_add(fx.s, &in, ref, warning, &why), &why, "given name", bad[i]);
		struct provider_input now;
		cr_assert_eq(provider_input_get(fx.s, 1, &now, &why), BR_OK, "%s", why ? why : "");
		strcpy(now.name, bad[i]);
		refused(provider_edit(fx.s, 1, &now, &why), &why, "name", bad[i]);
		/* the importers: the same rule, as FILE:LINE: column */
		char csv[256];
		snprintf(csv, sizeof csv, "name,localities\n\"%s\",WAL\n", bad[i]);
		struct import_report rep;
		enum br_status st = import_buffer(fx.s, IMPORT_PROVIDERS, "p.csv", csv, strlen(csv), NULL, &rep, &why);
		cr_expect(rep.n_problems && strstr(rep.problems[0], "p.csv:2: column name"), "%s: %s", bad[i],
			  rep.n_problems ? rep.problems[0] : "no problem");
		import_report_free(&rep);
		refused(st, &why, "p.csv", bad[i]);
		snprintf(csv, sizeof csv, "ref,family_name,given_name,date_of_birth,locality,primary_need\n"
					  "SU9,\"%s\",Ann,1950-03-01,WAL,LD\n", bad[i]);
		st = import_buffer(fx.s, IMPORT_SERVICE_USERS, "s.csv", csv, strlen(csv), NULL, &rep, &why);
		cr_expect(rep.n_problems && strstr(rep.problems[0], "s.csv:2: column family_name"), "%s: %s", bad[i],
			  rep.n_problems ? rep.problems[0] : "no problem");
		import_report_free(&rep);
		refused(st, &why, "s.csv", bad[i]);
	}
	cr_expect_str_eq(audit_rows(), n_before, "nothing written");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM users WHERE login = 'newuser'"), "0");
	cr_expect_str_eq(fx_query(&fx, "SELECT name FROM provider WHERE id = 1"), "Premier Care");
	/* a user's name left out is the login, as before; names of any script are names */
	cr_expect_eq(user_add(fx.s, "newuser", NULL, "officer", -1, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(user_add(fx.s, "newuser2", "Siân Ó Briain", "officer", -1, &why), BR_OK, "%s", why ? why : "");
	struct provider_input p = {0};
	strcpy(p.name, "שירותי בריאות");
	int64_t id = 0;
	cr_expect_eq(provider_add(fx.s, &p, &id, &why), BR_OK, "%s", why ? why : "");
	free(why);
}
