/* bench.c — `make bench`: figures at DESIGN.md §7 scale beside their
 * targets and beside the bare SQLite work underneath them.
 *
 * Builds the database once (cached in bench/data/), then times each list
 * filter the screens use through the core call and as the bare prepared
 * SQL, session start-up, and the peak RSS of `brokerage check`. Medians
 * and 99th percentiles; no thresholds: the machine is shared and noisy. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "store_internal.h"
#include "tui.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct stats {
	double p50, p99, max;
};

static struct stats summarise(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	struct stats s = {v[n / 2], v[(int)((n - 1) * 0.99)], v[n - 1]};
	return s;
}

static void row(const char *what, struct stats core, struct stats bare, const char *target)
{
	printf("  %-38s p50 %7.3f ms  p99 %7.3f ms   bare SQL p50 %7.3f  p99 %7.3f   %s\n", what,
	       core.p50, core.p99, bare.p50, bare.p99, target);
}

#define RUNS 400
#define PAGE 40

static struct store *st;

/* ---- the bare SQL beneath each list (same indexes, no core code) ------ */

static sqlite3_stmt *bare(const char *sql)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v3(store_db(st), sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: %s\n", sqlite3_errmsg(store_db(st)));
		exit(70);
	}
	return q;
}

static double run_bare(sqlite3_stmt *q, const char *a, const char *b, const char *c)
{
	double t0 = now_ms();
	if (a)
		sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(q, 3, c, -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < PAGE)
		n++;
	sqlite3_reset(q);
	return now_ms() - t0;
}

static const char *const prefixes[] = {"jo", "smi", "o'n", "wil", "pa", "da", "mor", "ev", "kh", "ng",
				       "sian", "zoe", "ta", "ro", "hu", "le"};
#define N_PREFIX (int)(sizeof prefixes / sizeof prefixes[0])

static void bench_lists(void)
{
	static double core[RUNS], raw[RUNS];
	static struct su_row rows[PAGE];
	static struct provider_row prow[PAGE];
	int n;
	char lo[32], hi[32];

	printf("\nList filters (first page of %d rows, %d runs each; target: list filtered "
	       "and drawn under 16 ms)\n", PAGE, RUNS);

	/* service users by name prefix */
	sqlite3_stmt *q = bare(
		"SELECT id, ref, family_name, given_name FROM service_user "
		"WHERE (family_fold >= ?1 AND family_fold < ?2) OR (given_fold >= ?1 AND given_fold < ?2) "
		"ORDER BY family_fold, given_fold, id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct su_filter f = {0};
		snprintf(f.text, sizeof f.text, "%s", prefixes[i % N_PREFIX]);
		double t0 = now_ms();
		su_list(st, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		text_fold(f.text, lo, sizeof lo);
		snprintf(hi, sizeof hi, "%s", lo);
		hi[strlen(hi) - 1]++;
		raw[i] = run_bare(q, lo, hi, NULL);
	}
	row("service users by name prefix", summarise(core, RUNS), summarise(raw, RUNS), "< 16 ms");

	/* by NHS number */
	sqlite3_stmt *nq = bare("SELECT nhs_number FROM service_user ORDER BY random() LIMIT 400");
	static char nhs[RUNS][11];
	for (int i = 0; i < RUNS && sqlite3_step(nq) == SQLITE_ROW; i++)
		snprintf(nhs[i], sizeof nhs[i], "%s", (const char *)sqlite3_column_text(nq, 0));
	sqlite3_finalize(nq);
	q = bare("SELECT id, ref, family_name FROM service_user WHERE nhs_number >= ?1 AND nhs_number < ?2 "
		 "ORDER BY nhs_number, id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct su_filter f = {0};
		text_copy(f.text, sizeof f.text, nhs[i]);
		double t0 = now_ms();
		su_list(st, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		text_copy(hi, sizeof hi, nhs[i]);
		hi[9]++;
		raw[i] = run_bare(q, nhs[i], hi, NULL);
	}
	row("service users by NHS number", summarise(core, RUNS), summarise(raw, RUNS), "< 16 ms");

	/* by locality + need */
	static const char *const locs[] = {"WAL", "BIR", "WW", "SW"};
	static const char *const needs[] = {"LD", "AUT", "MH", "ABI", "PD", "DD"};
	q = bare("SELECT id, ref, family_name FROM service_user su WHERE locality = ?1 AND "
		 "(primary_need = ?2 OR EXISTS (SELECT 1 FROM service_user_need n WHERE n.user_id = su.id "
		 "AND n.need = ?2)) ORDER BY family_fold, given_fold, id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct su_filter f = {0};
		snprintf(f.locality, sizeof f.locality, "%s", locs[i % 4]);
		snprintf(f.need, sizeof f.need, "%s", needs[i % 6]);
		double t0 = now_ms();
		su_list(st, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		raw[i] = run_bare(q, f.locality, f.need, NULL);
	}
	row("service users by locality + need", summarise(core, RUNS), summarise(raw, RUNS), "< 16 ms");

	/* providers by service + need + locality */
	static const char *const svcs[] = {"HC", "SL", "RES", "DAY", "RSP", "PBS"};
	q = bare("SELECT p.id, p.name FROM provider p WHERE EXISTS (SELECT 1 FROM registration r "
		 "WHERE r.provider_id = p.id AND r.service = ?1 AND r.need = ?2) AND EXISTS (SELECT 1 "
		 "FROM coverage c WHERE c.provider_id = p.id AND c.locality = ?3) "
		 "ORDER BY p.name_fold, p.id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct provider_filter f = {0};
		snprintf(f.service, sizeof f.service, "%s", svcs[i % 6]);
		snprintf(f.need, sizeof f.need, "%s", needs[(i / 6) % 6]);
		snprintf(f.locality, sizeof f.locality, "%s", locs[i % 4]);
		double t0 = now_ms();
		provider_list(st, &f, NULL, LIST_FORWARD, prow, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		raw[i] = run_bare(q, f.service, f.need, f.locality);
	}
	row("providers by service + need + locality", summarise(core, RUNS), summarise(raw, RUNS),
	    "< 16 ms");
}

static void bench_startup(const char *cfg_path)
{
	static double t[50];
	for (int i = 0; i < 50; i++) {
		struct session *s = NULL;
		double t0 = now_ms();
		if (session_open(&s, cfg_path, "admin", NULL) != BR_OK) {
			fprintf(stderr, "bench: cannot open a session\n");
			exit(70);
		}
		t[i] = now_ms() - t0;
		session_close(&s);
	}
	struct stats s = summarise(t, 50);
	printf("\nStart-up\n  %-38s p50 %7.3f ms  p99 %7.3f ms   %s\n", "open config, database, user", s.p50,
	       s.p99, "target: first screen under 20 ms");
}

static void bench_check_rss(const char *binary, const char *cfg_path)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", 1);
		dup2(devnull, 1);
		execl(binary, binary, "--config", cfg_path, "--as", "admin", "check", (char *)NULL);
		_exit(127);
	}
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	double ms = now_ms() - t0;
	printf("  %-38s %.0f ms, peak RSS %.1f MB (exit %d)   target: under 8 MB a session\n",
	       "brokerage check (whole database)", ms, (double)ru.ru_maxrss / 1024.0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* The real Service users screen, typed at one key at a time: each key
 * reloads the list through core and draws it (curses writing to
 * /dev/null), as an officer searching would. */
static void bench_screen(const char *cfg_path)
{
	FILE *devnull = fopen("/dev/null", "w");
	SCREEN *scr = devnull ? newterm("xterm", devnull, stdin) : NULL;
	if (!scr) {
		printf("  (no terminal description for xterm: screen timing skipped)\n");
		if (devnull)
			fclose(devnull);
		return;
	}
	set_term(scr);
	resizeterm(24, 80);
	struct ui ui;
	memset(&ui, 0, sizeof ui);
	if (session_open(&ui.s, cfg_path, "admin", NULL) != BR_OK) {
		endwin();
		delscreen(scr);
		fclose(devnull);
		return;
	}
	ui.cols = 80;
	ui.lines = 24;
	theme_init(&ui, &ui.s->cfg);
	static const char *const names[] = {"jones", "o'neill", "smith", "wiśniewska", "patel",
					    "kowalczyk", "siân", "davies", "999 1", "ch44"};
	static double t[2000];
	int n = 0;
	for (int round = 0; round < 8; round++)
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			struct view v = {&view_people, people_new(&ui)};
			wchar_t w[32];
			mbstowcs(w, names[i], 32);
			for (int k = 0; w[k] && n < 2000; k++) {
				double t0 = now_ms();
				v.ops->text(&ui, &v, (wint_t)w[k], false);
				erase();
				v.ops->draw(&ui, &v, 1, 21, 80);
				refresh();
				t[n++] = now_ms() - t0;
			}
			v.ops->close(&v);
		}
	session_close(&ui.s);
	endwin();
	delscreen(scr);
	fclose(devnull);
	struct stats sum = summarise(t, n);
	printf("  %-38s p50 %7.3f ms  p99 %7.3f ms   (%d keystrokes)   target: under 16 ms\n",
	       "Service users: key -> filtered + drawn", sum.p50, sum.p99, n);
}

static void progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	if (isatty(2))
		fprintf(stderr, "\rbuilding the benchmark database: %-14s %3d%%%s", stage,
			(int)(done * 100), done >= 1.0 ? "\n" : "");
}

int main(int argc, char **argv)
{
	const char *db = "bench/data/lcr10.db";
	double scale = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atof(argv[++i]);
	}
	char dir[4096], cfg_path[4200];
	snprintf(dir, sizeof dir, "%s", db);
	char *slash = strrchr(dir, '/');
	const char *base = db;
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		mkdir(dir, 0755);
	} else {
		strcpy(dir, ".");
	}
	snprintf(cfg_path, sizeof cfg_path, "%s/bench.cfg", dir);
	FILE *f = fopen(cfg_path, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", cfg_path, strerror(errno));
		return 74;
	}
	fprintf(f, "database = \"%s\";\ndemo = true;\n", base);
	fclose(f);

	struct br_config cfg;
	char *why = NULL;
	if (config_load(&cfg, cfg_path, &why) != BR_OK) {
		fprintf(stderr, "bench: %s\n", why);
		return 78;
	}
	if (access(cfg.database, F_OK) != 0) {
		struct init_options o = {.demo = true, .scale_permille = (int)(scale * 1000),
					 .seed = 1, .login = "admin", .progress = progress};
		struct init_report rep;
		double t0 = now_ms();
		if (init_database(&cfg, &o, &rep, &why) != BR_OK) {
			fprintf(stderr, "bench: %s\n", why);
			return 70;
		}
		printf("built %s in %.1f s: %lld providers, %lld service users, %lld call-offs, "
		       "%lld audit rows\n", cfg.database, (now_ms() - t0) / 1000, rep.providers,
		       rep.service_users, rep.calloffs, rep.audit_rows);
	}
	if (store_open(&st, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK) {
		fprintf(stderr, "bench: %s\n", why);
		return 66;
	}
	printf("brokerage bench: %s (scale %g; DESIGN.md §7 targets are for scale 10)\n", cfg.database,
	       scale);
	bench_lists();
	printf("\nScreens (the real view code, drawn at 80x24)\n");
	bench_screen(cfg_path);
	bench_startup(cfg_path);
	bench_check_rss("./brokerage", cfg_path);
	store_close(&st);
	return 0;
}
