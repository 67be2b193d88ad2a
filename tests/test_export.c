/* Export: the interface columns, escaping, and the real awards. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup(void) { fx_open(&fx, 20, "admin"); }
static void teardown(void) { fx_close(&fx); }

TestSuite(export, .init = setup, .fini = teardown);

static char *run(enum export_what what, enum export_format fmt, enum br_status want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	char *why = NULL;
	enum br_status st = export_run(fx.s, what, fmt, out, NULL, &why);
	fclose(out);
	cr_assert_eq(st, want, "%s", why ? why : "");
	br_free_str(&why);
	return buf;
}

Test(export, service_users_csv_starts_with_the_interface_columns)
{
	char *csv = run(EXPORT_SERVICE_USERS, EXPORT_CSV, BR_OK);
	cr_expect_eq(strncmp(csv, "ref,nhs_number,family_name,given_name,date_of_birth,postcode,"
				  "locality,primary_need,other_needs,status", 85), 0, "%.120s", csv);
	int lines = 0;
	for (char *p = csv; *p; p++)
		lines += *p == '\n';
	cr_expect_eq(lines, 1 + atoi(fx_query(&fx, "SELECT count(*) FROM service_user WHERE restricted = 0")),
		     "header and every person not restricted");
	free(csv);
}

Test(export, providers_show_the_real_awards)
{
	char *csv = run(EXPORT_PROVIDERS, EXPORT_CSV, BR_OK);
	cr_expect_eq(strncmp(csv, "id,name,cqc_location_id,cqc_rating,status,consortium", 52), 0);
	cr_expect_not_null(strstr(csv, "Premier Care"));
	cr_expect_not_null(strstr(csv, "HC/BIR/primary;HC/WAL/primary"));
	cr_expect_not_null(strstr(csv, "HC/WW/primary;HC/BIR/secondary;HC/WAL/secondary"));
	cr_expect_not_null(strstr(csv, "Community Caring"));
	cr_expect_not_null(strstr(csv, "Aspire;Community Caring;Professional Carers"));
	cr_expect_not_null(strstr(csv, "Castlerock Recruitment Group (CRG)"));
	free(csv);
}

Test(export, spreadsheet_formulas_are_defused)
{
	fx_sql(&fx, "UPDATE service_user SET family_name = '=HYPERLINK(\"http://x\")' WHERE id = 1;"
		    "UPDATE service_user SET given_name = '+1', postcode = '@SUM(A1)' WHERE id = 2;"
		    "UPDATE service_user SET given_name = 'Ann, \"Nan\"' WHERE id = 3");
	char *csv = run(EXPORT_SERVICE_USERS, EXPORT_CSV, BR_OK);
	cr_expect_not_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://x\"\")\","), "%.400s", csv);
	cr_expect_not_null(strstr(csv, ",\"'+1\","));
	cr_expect_not_null(strstr(csv, ",\"'@SUM(A1)\","));
	cr_expect_not_null(strstr(csv, ",\"Ann, \"\"Nan\"\"\","));
	free(csv);
}

Test(export, json_uses_the_same_names_and_escapes)
{
	fx_sql(&fx, "UPDATE service_user SET family_name = 'Back\\slash \"q\"' || char(10) WHERE id = 1");
	char *json = run(EXPORT_SERVICE_USERS, EXPORT_JSON, BR_OK);
	cr_expect_eq(json[0], '[');
	cr_expect_not_null(strstr(json, "\"ref\": \"SU000001\""));
	cr_expect_not_null(strstr(json, "\"family_name\": \"Back\\\\slash \\\"q\\\"\\n\""), "%.300s", json);
	cr_expect_not_null(strstr(json, "\"other_needs\": ["));
	cr_expect_not_null(strstr(json, "\"restricted\": false"));
	free(json);
	json = run(EXPORT_PROVIDERS, EXPORT_JSON, BR_OK);
	cr_expect_not_null(strstr(json, "\"awards\": [\"HC/BIR/primary\",\"HC/WAL/primary\"]"));
	free(json);
}

Test(export, is_audited)
{
	free(run(EXPORT_PROVIDERS, EXPORT_CSV, BR_OK));
	cr_expect_str_eq(fx_query(&fx, "SELECT action || ' ' || entity || ' ' || login FROM audit "
				       "ORDER BY id DESC LIMIT 1"), "export providers admin");
}

Test(export, officers_may_not_export)
{
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "officer", NULL), BR_OK);
	free(run(EXPORT_SERVICE_USERS, EXPORT_CSV, BR_DENIED));
}
