/* cli_data.c — the commands on the database as a whole: init (create,
 * migrate, demo data), check, export, import, backup, and the reports. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "cli_internal.h"

/* ---- init ------------------------------------------------------------------ */

static void progress_line(void *ctx, const char *stage, double done)
{
	(void)ctx;
	fprintf(stderr, "\rbuilding demo data: %-14s %3d%%", stage, (int)(done * 100 + 0.5));
	if (done >= 1.0)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_cmd_init(const struct cli_globals *g, int argc, char **argv)
{
	struct init_options o = {.scale_permille = 1000, .seed = 0, .demo_fill = g->demo};
	const char *admin = NULL, *scale = NULL;
	long seed = 0;
	const struct cli_opt opts[] = {
		OPT_FLAG("demo", o.demo),
		OPT_STR("admin", admin),
		OPT_STR("scale", scale),
		OPT_NUM("seed", seed, 0, 2000000000L, "--seed takes a whole number, not \"%s\""),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "init", argc, argv, opts, 0))
		return a.exit;
	if (admin && (!*admin || strlen(admin) > 32))
		return cli_usage_error("init", "--admin takes a login, not \"%s\"", admin);
	o.first_admin = admin;
	if (scale) {
		char *end;
		errno = 0;
		double x = strtod(scale, &end);
		if (errno || end == scale || *end || !(x >= 0.01 && x <= 100))
			return cli_usage_error("init", "--scale takes a number from 0.01 to 100 (1 = the LCR), not \"%s\"", scale);
		o.scale_permille = (int)(x * 1000 + 0.5);
	}
	o.seed = (uint64_t)seed;
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open_config(&s, g->config, &why);
	if (st != BR_OK)
		return cli_fail(st, &why);
	char login[64];
	if (g->as) {
		/* init_database refuses it unless the database is (or becomes) a demo */
		text_copy(login, sizeof login, g->as);
		o.as_given = true;
	} else if ((st = session_os_login(login, sizeof login, &why)) != BR_OK) {
		session_close(&s);
		return cli_fail(st, &why);
	} else {
		o.by_root = getuid() == 0;
	}
	o.login = login;
	if (o.demo && isatty(STDERR_FILENO))
		o.progress = progress_line;
	struct init_report rep;
	st = init_database(&s->cfg, &o, &rep, &why);
	if (st != BR_OK) {
		session_close(&s);
		return cli_fail(st, &why);
	}
	if (rep.created)
		cli_out("created %s (schema %d)\n", s->cfg.database, rep.to_version);
	else if (rep.from_version != rep.to_version)
		cli_out("migrated %s from schema %d to %d\n", s->cfg.database, rep.from_version,
		       rep.to_version);
	else
		cli_out("%s is at schema %d: nothing to migrate\n", s->cfg.database, rep.to_version);
	if (rep.reference_changes && !rep.created)
		cli_out("reference data: %d rows brought in line with %s\n", rep.reference_changes,
		       s->cfg.path);
	if (rep.first_admin)
		cli_out("first admin: %s\n", o.first_admin ? o.first_admin : login);
	if (rep.demo_built)
		cli_out("demo data: %lld providers, %lld service users, %lld call-offs, %lld audit rows\n",
		       rep.providers, rep.service_users, rep.calloffs, rep.audit_rows);
	if (rep.demo_skipped)
		cli_out("demo data not added: it only goes into a new database (%lld service users here)\n",
		       rep.service_users);
	session_close(&s);
	return 0;
}

/* ---- check ----------------------------------------------------------------- */

static void check_line(void *ctx, int ok, const char *line)
{
	(void)ctx;
	if (ok)
		cli_out("ok       %s\n", line);
	else
		cli_out("PROBLEM  %s\n", line);
}

int cli_cmd_check(const struct cli_globals *g, int argc, char **argv)
{
	const char *witness = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("witness", witness),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "check", argc, argv, opts, 0))
		return a.exit;
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return cli_fail(st, &why);
	if (isatty(STDERR_FILENO))
		cli_error("checking %s: integrity_check reads the whole file (about a minute at 10x LCR)\n",
			s->cfg.database);
	st = check_run(s, check_line, NULL, &why);
	if (witness && (st == BR_OK || st == BR_DATA)) {
		char *wwhy = NULL;
		enum br_status ws = check_witness(s, witness, check_line, NULL, &wwhy);
		if (ws != BR_OK && (st == BR_OK || ws != BR_DATA)) {
			br_free_str(&why);
			why = wwhy;
			wwhy = NULL;
			st = ws;
		}
		br_free_str(&wwhy);
	}
	fflush(stdout);
	session_close(&s);
	if (st != BR_OK)
		return cli_fail(st, &why);
	return 0;
}

/* ---- export ---------------------------------------------------------------- */

int cli_cmd_export(const struct cli_globals *g, int argc, char **argv)
{
	static const struct {
		const char *name;
		enum export_what what;
	} tables[] = {
		{"service-users", EXPORT_SERVICE_USERS}, {"providers", EXPORT_PROVIDERS}, {"requests", EXPORT_REQUESTS},
		{"calloffs", EXPORT_CALLOFFS}, {"audit", EXPORT_AUDIT}, {"awards", EXPORT_AWARDS},
		{"capacity", EXPORT_CAPACITY}, {"rates", EXPORT_RATES}, {"registrations", EXPORT_REGISTRATIONS},
	};
	enum export_format fmt = EXPORT_CSV;
	const char *out_path = NULL, *format = NULL;
	int what = -1;
	struct export_options eo = {false, NULL};
	const struct cli_opt opts[] = {
		OPT_FLAG("include-restricted", eo.include_restricted),
		OPT_STR("reason", eo.reason),
		OPT_STR("format", format),
		OPT_STR("out", out_path),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "export", argc, argv, opts, 1))
		return a.exit;
	if (format && strcmp(format, "json") == 0)
		fmt = EXPORT_JSON;
	else if (format && strcmp(format, "csv") != 0)
		return cli_usage_error("export", "--format is csv or json, not \"%s\"", format);
	for (size_t t = 0; a.n && t < sizeof tables / sizeof tables[0]; t++)
		if (strcmp(a.v[0], tables[t].name) == 0)
			what = (int)tables[t].what;
	if (a.n && what < 0)
		return cli_usage_error("export", "unknown table \"%s\"", a.v[0]);
	if (what < 0)
		return cli_usage_error("export", "%s", "which table?");
	if (eo.reason && !eo.include_restricted)
		return cli_usage_error("export", "%s", "--reason goes with --include-restricted");
	if (eo.include_restricted && !eo.reason)
		return cli_usage_error("export", "%s", "--include-restricted needs --reason TEXT (it is audited)");
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return cli_fail(st, &why);
	long long rows = 0;
	st = out_path ? export_to_file(s, (enum export_what)what, fmt, &eo, out_path, &rows, &why)
		      : export_run_with(s, (enum export_what)what, fmt, &eo, stdout, &rows, &why);
	if (st == BR_OK && out_path)
		cli_error("wrote %lld rows to %s\n", rows, out_path);
	session_close(&s);
	if (st != BR_OK)
		return cli_fail(st, &why);
	return 0;
}

/* ---- import ---------------------------------------------------------------- */

static const char *import_path;
static bool import_line_open; /* a progress line waits for its newline */

static void import_progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	cli_error("\r%s: %-8s %3d%%", import_path, stage, (int)(done * 100 + 0.5));
	import_line_open = true;
	if (done >= 1.0) {
		fputc('\n', stderr);
		import_line_open = false;
	}
	fflush(stderr);
}

int cli_cmd_import(const struct cli_globals *g, int argc, char **argv)
{
	int what = -1;
	const char *path = NULL;
	struct import_options o = {0};
	const struct cli_opt opts[] = {
		OPT_FLAG("dry-run", o.dry_run),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "import", argc, argv, opts, 3))
		return a.exit;
	if (a.n > 2)
		return cli_usage_error("import", "one file at a time, not \"%s\" too", a.v[2]);
	if (a.n > 0 && (what = import_find(a.v[0])) < 0)
		return cli_usage_error("import", "\"%s\" is not a table that can be imported", a.v[0]);
	if (a.n > 1)
		path = a.v[1];
	if (what < 0 || !path)
		return cli_usage_error("import", "%s", what < 0 ? "which table?" : "which file?");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	if (isatty(STDERR_FILENO)) {
		o.progress = import_progress;
		import_path = path;
	}
	struct import_report rep;
	char *why = NULL;
	enum br_status st = import_file(s, (enum import_what)what, path, &o, &rep, &why);
	if (import_line_open)
		fputc('\n', stderr); /* problems start on a line of their own */
	for (int i = 0; i < rep.n_problems; i++)
		cli_error("%s\n", rep.problems[i]);
	if (rep.more_problems)
		cli_error("%s: stopped at %d problems\n", path, IMPORT_MAX_PROBLEMS);
	if (st == BR_OK)
		cli_out("%s: %lld rows: %lld added, %lld updated, %lld unchanged%s\n", path, rep.rows,
		       rep.added, rep.updated, rep.unchanged, o.dry_run ? " (dry run: nothing written)" : "");
	import_report_free(&rep);
	return cli_finish(&s, st, &why);
}

/* ---- backup ---------------------------------------------------------------- */

int cli_cmd_backup(const struct cli_globals *g, int argc, char **argv)
{
	const struct cli_opt opts[] = {OPT_END};
	struct cli_args a;
	if (!cli_args_parse(&a, "backup", argc, argv, opts, 1))
		return a.exit;
	if (a.n != 1)
		return cli_usage_error("backup", "%s", "give the file to write");
	const char *path = a.v[0];
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return cli_fail(st, &why);
	long long pages = 0;
	st = export_backup(s, path, &pages, &why);
	session_close(&s);
	if (st != BR_OK)
		return cli_fail(st, &why);
	cli_error("backed up %lld pages to %s\n", pages, path);
	return 0;
}

/* ---- report ---------------------------------------------------------------- */

int cli_cmd_report(const struct cli_globals *g, int argc, char **argv)
{
	int which = -1;
	enum report_format fmt = REPORT_TABLE;
	const char *from = NULL, *to = NULL, *loc = NULL, *svc = NULL, *format = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_STR("to", to),
		OPT_STR("locality", loc),
		OPT_STR("service", svc),
		OPT_STR("format", format),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "report", argc, argv, opts, 1))
		return a.exit;
	if (format && strcmp(format, "csv") == 0)
		fmt = REPORT_CSV;
	else if (format && strcmp(format, "json") == 0)
		fmt = REPORT_JSON;
	else if (format && strcmp(format, "table") != 0)
		return cli_usage_error("report", "--format is table, csv or json, not \"%s\"", format);
	if (a.n && (which = report_find(a.v[0])) < 0)
		return cli_usage_error("report", "no such report \"%s\"", a.v[0]);
	if (which < 0)
		return cli_usage_error("report", "%s", "which report?");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	struct report_params p;
	report_params_default(&p);
	char *why = NULL;
	enum br_status st = BR_OK;
	if (from && date_parse(from, &p.from, &why) != BR_OK)
		st = br_fail(&why, BR_USAGE, "report: --from \"%s\" is not a date (YYYY-MM-DD)", from);
	if (st == BR_OK && to && date_parse(to, &p.to, &why) != BR_OK)
		st = br_fail(&why, BR_USAGE, "report: --to \"%s\" is not a date (YYYY-MM-DD)", to);
	if (st == BR_OK && to && !from)
		p.from = p.to - 83;
	if (st == BR_OK && loc && strlen(loc) >= sizeof p.locality)
		st = br_fail(&why, BR_USAGE, "report: no such locality \"%s\"", loc);
	if (st == BR_OK && svc && strlen(svc) >= sizeof p.service)
		st = br_fail(&why, BR_USAGE, "report: no such service \"%s\"", svc);
	if (st == BR_OK) {
		text_copy(p.locality, sizeof p.locality, loc ? loc : "");
		text_copy(p.service, sizeof p.service, svc ? svc : "");
		for (char *c = p.locality; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		for (char *c = p.service; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	}
	struct report *r = NULL;
	if (st == BR_OK)
		st = report_run(s, which, &p, &r, &why);
	if (st == BR_OK)
		st = report_write(s, r, fmt, stdout, &why);
	report_free(&r);
	return cli_finish(&s, st, &why);
}
