/* cli.c — brokerage's commands. Each parses its options, calls core/, and
 * turns the status into one line on stderr and a sysexits code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "cli.h"

#define CLI_COMMANDS(X)                                                                      \
	X(init, "init [--demo [--scale N] [--seed S]]", "create or migrate the database; demo data") \
	X(check, "check", "config, integrity, foreign keys, audit chain")                         \
	X(export, "export service-users|providers [--format csv|json] [--out FILE]",             \
	  "write a table out")                                                                      \
	X(backup, "backup FILE", "online copy of the database while others work")

#define X(name, usage, text) static int cmd_##name(const struct cli_globals *g, int argc, char **argv);
CLI_COMMANDS(X)
#undef X

static const struct {
	const char *name, *usage, *text;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
} commands[] = {
#define X(name, usage, text) {#name, usage, text, cmd_##name},
	CLI_COMMANDS(X)
#undef X
};

#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

void cli_usage(FILE *out)
{
	fprintf(out, "usage: brokerage [--config FILE] [--as LOGIN]          the terminal UI\n");
	for (int i = 0; i < N_COMMANDS; i++)
		fprintf(out, "       brokerage %-46s %s\n", commands[i].usage, commands[i].text);
	fprintf(out,
		"\nThe config is --config FILE, else $BROKERAGE_CONFIG, else ./config/brokerage.cfg.\n"
		"--as LOGIN works only when the config says demo = true.\n"
		"Exit codes: 0 ok, 64 usage, 65 bad data, 66 no input, 75 busy (try again),\n"
		"77 not allowed for your role, 78 bad config.\n");
}

int cli_known(const char *name)
{
	for (int i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

int cli_run(const struct cli_globals *g, int argc, char **argv)
{
	for (int i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, argv[0]) == 0)
			return commands[i].run(g, argc, argv);
	return 64;
}

/* One line on stderr; the exit code for the status. */
static int fail(enum br_status st, char **why)
{
	fprintf(stderr, "brokerage: %s\n", why && *why ? *why : br_status_text(st));
	br_free_str(why);
	return br_status_exit(st);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "brokerage %s: ", cmd);
	fprintf(stderr, fmt, arg);
	for (int i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fprintf(stderr, " (usage: brokerage %s)", commands[i].usage);
	fputc('\n', stderr);
	return 64;
}

/* "--opt VALUE" or "--opt=VALUE"; advances *i. NULL when absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_count(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

/* ---- init ------------------------------------------------------------------ */

static void progress_line(void *ctx, const char *stage, double done)
{
	(void)ctx;
	fprintf(stderr, "\rbuilding demo data: %-14s %3d%%", stage, (int)(done * 100 + 0.5));
	if (done >= 1.0)
		fputc('\n', stderr);
	fflush(stderr);
}

static int cmd_init(const struct cli_globals *g, int argc, char **argv)
{
	struct init_options o = {.scale_permille = 1000, .seed = 0};
	for (int i = 1; i < argc; i++) {
		const char *v;
		long n;
		if (strcmp(argv[i], "--demo") == 0) {
			o.demo = true;
		} else if ((v = opt_value(argc, argv, &i, "--scale"))) {
			char *end;
			errno = 0;
			double x = strtod(v, &end);
			if (errno || end == v || *end || !(x >= 0.01 && x <= 100))
				return usage_error("init", "--scale takes a number from 0.01 to 100 (1 = the LCR), not \"%s\"", v);
			o.scale_permille = (int)(x * 1000 + 0.5);
		} else if ((v = opt_value(argc, argv, &i, "--seed"))) {
			if (!parse_count(v, 0, 2000000000L, &n))
				return usage_error("init", "--seed takes a whole number, not \"%s\"", v);
			o.seed = (uint64_t)n;
		} else {
			return usage_error("init", "unknown option \"%s\"", argv[i]);
		}
	}
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open_config(&s, g->config, &why);
	if (st != BR_OK)
		return fail(st, &why);
	char login[64];
	if (g->as) {
		if (!s->cfg.demo) {
			st = br_fail(&why, BR_DENIED, "--as is only for demo databases (demo = true in %s)",
				     s->cfg.path);
			session_close(&s);
			return fail(st, &why);
		}
		text_copy(login, sizeof login, g->as);
	} else if ((st = identity_os_login(login, sizeof login, &why)) != BR_OK) {
		session_close(&s);
		return fail(st, &why);
	}
	o.login = login;
	if (o.demo && isatty(STDERR_FILENO))
		o.progress = progress_line;
	struct init_report rep;
	st = init_database(&s->cfg, &o, &rep, &why);
	if (st != BR_OK) {
		session_close(&s);
		return fail(st, &why);
	}
	if (rep.created)
		printf("created %s (schema %d)\n", s->cfg.database, rep.to_version);
	else if (rep.from_version != rep.to_version)
		printf("migrated %s from schema %d to %d\n", s->cfg.database, rep.from_version,
		       rep.to_version);
	else
		printf("%s is at schema %d: nothing to migrate\n", s->cfg.database, rep.to_version);
	if (rep.reference_changes && !rep.created)
		printf("reference data: %d rows brought in line with %s\n", rep.reference_changes,
		       s->cfg.path);
	if (rep.first_admin)
		printf("first admin: %s\n", login);
	if (rep.demo_built)
		printf("demo data: %lld providers, %lld service users, %lld call-offs, %lld audit rows\n",
		       rep.providers, rep.service_users, rep.calloffs, rep.audit_rows);
	if (rep.demo_skipped)
		printf("demo data not added: it only goes into a new database (%lld service users here)\n",
		       rep.service_users);
	session_close(&s);
	return 0;
}

/* ---- check ----------------------------------------------------------------- */

static void check_line(void *ctx, int ok, const char *line)
{
	(void)ctx;
	if (ok)
		printf("ok       %s\n", line);
	else
		printf("PROBLEM  %s\n", line);
}

static int cmd_check(const struct cli_globals *g, int argc, char **argv)
{
	if (argc > 1)
		return usage_error("check", "unknown option \"%s\"", argv[1]);
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	st = check_run(s, check_line, NULL, &why);
	fflush(stdout);
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	return 0;
}

/* ---- export ---------------------------------------------------------------- */

static int cmd_export(const struct cli_globals *g, int argc, char **argv)
{
	enum export_format fmt = EXPORT_CSV;
	const char *out_path = NULL;
	int what = -1;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = opt_value(argc, argv, &i, "--format"))) {
			if (strcmp(v, "csv") == 0)
				fmt = EXPORT_CSV;
			else if (strcmp(v, "json") == 0)
				fmt = EXPORT_JSON;
			else
				return usage_error("export", "--format is csv or json, not \"%s\"", v);
		} else if ((v = opt_value(argc, argv, &i, "--out"))) {
			out_path = v;
		} else if (what < 0 && strcmp(argv[i], "service-users") == 0) {
			what = EXPORT_SERVICE_USERS;
		} else if (what < 0 && strcmp(argv[i], "providers") == 0) {
			what = EXPORT_PROVIDERS;
		} else {
			return usage_error("export", "unknown table or option \"%s\"", argv[i]);
		}
	}
	if (what < 0)
		return usage_error("export", "%s", "which table?");
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	FILE *out = stdout;
	char tmp[4096] = "";
	if (out_path) {
		/* written beside the target and renamed: never a half file */
		snprintf(tmp, sizeof tmp, "%s.part", out_path);
		out = fopen(tmp, "w");
		if (!out) {
			st = br_fail(&why, BR_IO, "%s: cannot write: %s", out_path, strerror(errno));
			session_close(&s);
			return fail(st, &why);
		}
	}
	long long rows = 0;
	st = export_run(s, (enum export_what)what, fmt, out, &rows, &why);
	if (out_path) {
		if (fclose(out) != 0 && st == BR_OK)
			st = br_fail(&why, BR_IO, "%s: writing failed: %s", out_path, strerror(errno));
		if (st == BR_OK && rename(tmp, out_path) != 0)
			st = br_fail(&why, BR_IO, "%s: cannot rename into place: %s", out_path,
				     strerror(errno));
		if (st != BR_OK)
			unlink(tmp);
		else
			fprintf(stderr, "wrote %lld rows to %s\n", rows, out_path);
	}
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	return 0;
}

/* ---- backup ---------------------------------------------------------------- */

static int cmd_backup(const struct cli_globals *g, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return usage_error("backup", "%s", "give the file to write");
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	static const char *const may[] = {"admin", NULL};
	long long pages = 0;
	st = session_require(s, may, "backup", &why);
	if (st == BR_OK)
		st = store_backup(s->store, argv[1], &pages, &why);
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	fprintf(stderr, "backed up %lld pages to %s\n", pages, argv[1]);
	return 0;
}
