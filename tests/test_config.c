/* The libconfig file: defaults, overlays, and every kind of mistake. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;
static void setup_dir(void) { fx_config(&fx, NULL); }
static void teardown(void) { fx_close(&fx); }

TestSuite(config, .init = setup_dir, .fini = teardown);

static enum br_status load(const char *text, struct br_config *cfg, char **why)
{
	const char *path = fx_write(&fx, "c.cfg", text);
	return config_load(cfg, path, why);
}

Test(config, the_shipped_file_loads)
{
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(config_load(&cfg, "config/brokerage.cfg", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(cfg.n_localities, 4);
	cr_expect_str_eq(cfg.localities[0].code, "WAL");
	cr_expect_str_eq(cfg.localities[3].name, "South Wirral");
	cr_expect_eq(cfg.weekly_cost_limit[SERVICE_HC], 80000);
	cr_expect_eq(config_framework_rate(&cfg, SERVICE_HC, date_days(2019, 4, 1)), 1560);
	cr_expect_eq(config_framework_rate(&cfg, SERVICE_HC, date_days(2019, 3, 31)), -1);
	cr_expect_eq(config_framework_rate(&cfg, SERVICE_HC, date_days(2022, 6, 1)), 2024);
	cr_expect_eq(cfg.respite_max_nights, 3);
	cr_expect_eq(cfg.units_max[SERVICE_HC], 168);
	cr_expect_eq(cfg.units_max[SERVICE_RES], 1);
	cr_expect_eq(cfg.capacity_stale_days, 14);
	cr_expect_str_eq(cfg.colours[COLOUR_selection], "black/yellow");
	cr_expect_not_null(strstr(cfg.database, "data/brokerage.db"));
}

Test(config, database_path_is_relative_to_the_config_folder)
{
	struct br_config cfg;
	cr_assert_eq(load("database = \"x/y.db\";", &cfg, NULL), BR_OK);
	char want[400];
	snprintf(want, sizeof want, "%s/x/y.db", fx.dir);
	cr_expect_str_eq(cfg.database, want);
	cr_assert_eq(load("database = \"/srv/b.db\";", &cfg, NULL), BR_OK);
	cr_expect_str_eq(cfg.database, "/srv/b.db");
}

Test(config, defaults_fill_what_the_file_leaves_out)
{
	struct br_config cfg;
	cr_assert_eq(load("busy_timeout_ms = 1000;", &cfg, NULL), BR_OK);
	cr_expect_eq(cfg.n_localities, 4);
	cr_expect_eq(cfg.response_hours[1], 24);
	cr_expect_eq(cfg.residential_min_age, 65);
}

Test(config, a_syntax_error_names_the_line)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("busy_timeout_ms = 300;\n\ndatabase = \"x.db\"\nfoo", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "c.cfg:4"), "%s", why);
	br_free_str(&why);
}

Test(config, an_unknown_key_names_the_line)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("busy_timeout_ms = 300;\ndatabse = \"x.db\";\n", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "c.cfg:2: databse: unknown key"), "%s", why);
	br_free_str(&why);
	cr_expect_eq(load("respite = { max_nights = 2; nights = 3; };\n", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "nights: unknown key"), "%s", why);
	br_free_str(&why);
}

Test(config, a_wrong_type_names_the_line)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("\ntimezone = 5;\n", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "c.cfg:2: timezone: must be"), "%s", why);
	br_free_str(&why);
	cr_expect_eq(load("busy_timeout_ms = \"5\";", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "must be an integer"), "%s", why);
	br_free_str(&why);
}

Test(config, values_out_of_range_are_refused)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("respite = { max_nights = 0; };", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "between 1 and 9"), "%s", why);
	cr_expect_eq(load("capacity_stale_days = 0;", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "capacity_stale_days"), "%s", why);
	cr_expect_eq(load("capacity_stale_days = 7;", &cfg, &why), BR_OK);
	cr_expect_eq(cfg.capacity_stale_days, 7);
	cr_expect_eq(load("approval = { weekly_cost_pence = { XX = 5; }; };", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "not a service code"), "%s", why);
	cr_expect_eq(load("bank_holidays = [\"2026-02-30\"];", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "2026-02-30"), "%s", why);
	cr_expect_eq(load("colours = { selection = \"pink/black\"; };", &cfg, &why), BR_CONFIG);
	cr_expect_eq(load("colours = { wallpaper = \"red/black\"; };", &cfg, &why), BR_CONFIG);
	br_free_str(&why);
}

Test(config, rate_steps_must_be_in_date_order)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("framework_rates = { HC = ( { from = \"2022-04-01\"; pence = 2000; },\n"
			  "  { from = \"2019-04-01\"; pence = 1560; } ); };", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "date order"), "%s", why);
	br_free_str(&why);
}

Test(config, localities_come_from_the_file)
{
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(load("localities = ( { code = \"N\"; name = \"North\"; nearest = [\"S\"]; },\n"
			  "  { code = \"S\"; name = \"South\"; } );", &cfg, &why), BR_OK, "%s", why);
	cr_expect_eq(cfg.n_localities, 2);
	cr_expect_eq(config_locality(&cfg, "S"), 1);
	cr_expect_eq(load("localities = ( { code = \"N\"; name = \"North\"; nearest = [\"Q\"]; } );",
			  &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "\"Q\" is not another locality"), "%s", why);
	cr_expect_eq(load("localities = ( { code = \"n\"; name = \"North\"; } );", &cfg, &why),
		     BR_CONFIG);
	cr_expect_eq(load("localities = ( { code = \"N\"; name = \"A\"; }, { code = \"N\"; name = \"B\"; } );",
			  &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "twice"), "%s", why);
	br_free_str(&why);
}

Test(config, a_missing_file_is_no_input)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(config_load(&cfg, "/nonexistent/brokerage.cfg", &why), BR_NOINPUT);
	cr_expect_not_null(strstr(why, "/nonexistent/brokerage.cfg"));
	br_free_str(&why);
}

Test(config, located_by_flag_then_environment_then_default)
{
	char out[256];
	setenv("BROKERAGE_CONFIG", "/env/b.cfg", 1);
	cr_expect_eq(config_locate("/flag/b.cfg", out, sizeof out, NULL), BR_OK);
	cr_expect_str_eq(out, "/flag/b.cfg");
	cr_expect_eq(config_locate(NULL, out, sizeof out, NULL), BR_OK);
	cr_expect_str_eq(out, "/env/b.cfg");
	unsetenv("BROKERAGE_CONFIG");
	cr_expect_eq(config_locate(NULL, out, sizeof out, NULL), BR_OK);
	cr_expect_str_eq(out, "config/brokerage.cfg");
}

/* Finding 1 of issue 9: the setgid program obeyed the caller's config. */
Test(config, an_elevated_program_refuses_the_callers_config)
{
	char out[256];
	char *why = NULL;
	priv_pretend(1);
	cr_expect_eq(config_locate("/home/mallory/evil.cfg", out, sizeof out, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "--config is refused"), "%s", why);
	setenv("BROKERAGE_CONFIG", "/home/mallory/evil.cfg", 1);
	cr_expect_eq(config_locate(NULL, out, sizeof out, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "$BROKERAGE_CONFIG is refused"), "%s", why);
	unsetenv("BROKERAGE_CONFIG");
	/* a build from the tree has no installed config to fall back on */
	cr_expect_eq(config_locate(NULL, out, sizeof out, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "must not run setgid"), "%s", why);
	priv_pretend(-1);
	br_free_str(&why);
}

Test(config, units_max_is_per_service_and_checked)
{
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(load("units_max = { HC = 40; };", &cfg, &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(cfg.units_max[SERVICE_HC], 40);
	cr_expect_eq(cfg.units_max[SERVICE_RES], 1, "the others keep their defaults");
	cr_expect_eq(load("\nunits_max = { XX = 4; };", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(why && strstr(why, ":2:"), "%s", why ? why : "");
	cr_expect_not_null(why && strstr(why, "not a service code"), "%s", why ? why : "");
	br_free_str(&why);
	cr_expect_eq(load("units_max = { HC = 0; };", &cfg, &why), BR_CONFIG);
	br_free_str(&why);
	cr_expect_eq(load("units_max = { HC = \"ten\"; };", &cfg, &why), BR_CONFIG);
	br_free_str(&why);
}

Test(config, demo_is_not_a_config_key)
{
	struct br_config cfg;
	char *why = NULL;
	cr_expect_eq(load("database = \"t.db\";\ndemo = true;\n", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "c.cfg:2: demo: not a config key"), "%s", why);
	br_free_str(&why);
}

Test(config, as_login_needs_a_demo_database)
{
	/* a live database: made by init without --demo */
	struct br_config cfg;
	cr_assert_eq(config_load(&cfg, fx.cfg, NULL), BR_OK);
	struct init_options o = {.login = "admin"};
	struct init_report rep;
	cr_assert_eq(init_database(&cfg, &o, &rep, NULL), BR_OK);
	struct session *s = NULL;
	char *why = NULL;
	cr_expect_eq(session_open(&s, fx.cfg, "officer", &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "demo"), "%s", why);
	cr_expect_null(s);
	br_free_str(&why);
}

Test(config, fnc_rates_are_the_years_rate_and_checked)
{
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(config_load(&cfg, "config/brokerage.cfg", &why), BR_OK, "%s", why ? why : "");
	cr_expect_eq(config_fnc_rate(&cfg, date_days(2025, 4, 1)), 25406);
	cr_expect_eq(config_fnc_rate(&cfg, date_days(2025, 3, 31)), 23588);
	cr_expect_eq(config_fnc_rate(&cfg, date_days(2020, 1, 1)), 0, "none before the first step");
	cr_assert_eq(load("fnc_rates = ( { from = \"2026-04-01\"; pence = 26000; } );", &cfg, &why), BR_OK, "%s",
		     why ? why : "");
	cr_expect_eq(config_fnc_rate(&cfg, date_days(2026, 5, 1)), 26000);
	cr_expect_eq(config_fnc_rate(&cfg, date_days(2026, 3, 1)), 0, "the file's list replaces the defaults");
	cr_expect_eq(load("fnc_rates = ( { from = \"2026-04-01\"; pence = 26000; }, "
			  "{ from = \"2025-04-01\"; pence = 25406; } );", &cfg, &why), BR_CONFIG);
	cr_expect_not_null(strstr(why, "date order"), "%s", why);
	br_free_str(&why);
	cr_expect_eq(load("fnc_rates = ( { from = \"2026-04-01\"; pence = -1; } );", &cfg, &why), BR_CONFIG);
	br_free_str(&why);
	cr_expect_eq(load("fnc_rates = ( { from = \"2026-04-01\"; weekly = 1; } );", &cfg, &why), BR_CONFIG,
		     "an unknown key");
	br_free_str(&why);
	cr_expect_eq(load("fnc_rates = 25406;", &cfg, &why), BR_CONFIG);
	br_free_str(&why);
}
