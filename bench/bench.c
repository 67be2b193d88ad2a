/* bench.c — `make bench`: figures at DESIGN.md §7 scale beside their
 * targets and beside the bare SQLite work underneath them.
 *
 * Builds the database once (cached in bench/data/), then times each list
 * filter the screens use through the core call and as the bare prepared
 * SQL, session start-up, and the peak RSS of `brokerage check`. Medians
 * and 99th percentiles; no thresholds: the machine is shared and noisy. */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
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

/* ---- matching and booking -------------------------------------------------- */

static void bench_match(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK)
		return;
	sqlite3_stmt *q = bare("SELECT id FROM package_request WHERE status = 'open' ORDER BY id LIMIT 400");
	static int64_t ids[400];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 400)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (n == 0) {
		session_close(&s);
		return;
	}
	/* the bare join beneath the match: registered for the lot and need,
	 * with coverage, capacity and the rate in force */
	sqlite3_stmt *b = bare(
		"SELECT p.id, p.name, p.status, p.cqc_rating, "
		"EXISTS (SELECT 1 FROM coverage c WHERE c.provider_id = p.id AND c.locality = r.locality), "
		"(SELECT free FROM capacity k WHERE k.provider_id = p.id AND k.service = r.service AND k.locality = r.locality), "
		"(SELECT pence FROM rate t WHERE t.provider_id = p.id AND t.service = r.service AND t.valid_from <= r.start_date "
		" ORDER BY t.valid_from DESC LIMIT 1), "
		"(SELECT a.tier FROM award a WHERE a.provider_id = p.id AND a.service = r.service AND "
		" (a.locality = r.locality OR a.locality IS NULL) LIMIT 1) "
		"FROM package_request r JOIN service_user su ON su.id = r.user_id "
		"JOIN registration g ON g.service = r.service AND g.need = su.primary_need "
		"JOIN provider p ON p.id = g.provider_id WHERE r.id = ?1");
	static double core[2000], raw[2000];
	int runs = 0;
	for (int round = 0; round < 5; round++)
		for (int i = 0; i < n && runs < 2000; i++, runs++) {
			struct match_result *m = NULL;
			double t0 = now_ms();
			match_run(s, ids[i], &m, NULL);
			core[runs] = now_ms() - t0;
			match_free(&m);
			t0 = now_ms();
			sqlite3_bind_int64(b, 1, ids[i]);
			while (sqlite3_step(b) == SQLITE_ROW)
				;
			sqlite3_reset(b);
			raw[runs] = now_ms() - t0;
		}
	sqlite3_finalize(b);
	session_close(&s);
	struct stats c = summarise(core, runs), r = summarise(raw, runs);
	printf("\nMatching (%d runs over %d open requests)\n", runs, n);
	printf("  %-38s p50 %7.3f ms  p99 %7.3f ms   bare join p50 %7.3f  p99 %7.3f   target: p99 < 1.2 ms, "
	       "within 2x of bare (p99 ratio %.1fx)\n", "match_run", c.p50, c.p99, r.p50, r.p99,
	       r.p99 > 0 ? c.p99 / r.p99 : 0);
}

/* ---- reports (issue 13): each report through core, beside the bare SQL of
 * its main query (placements, answers, approvals by date) ----------------- */

static void bench_reports(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "supervisor", NULL) != BR_OK)
		return;
	/* the main query under each report, in the order of BR_REPORT_LIST */
	static const char *const bare_sql[REPORT_COUNT] = {
		"SELECT locality, service, count(*), sum(units) FROM package_request WHERE status = 'open' "
		"GROUP BY locality, service",
		"SELECT r.urgency, c.service, c.locality, julianday(c.created_at) - julianday(r.opened_at) "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"WHERE c.created_at >= ?1 AND c.created_at < ?2 AND c.status <> 'rejected' AND c.status <> 'cancelled'",
		"SELECT tier, count(*) FROM calloff WHERE created_at >= ?1 AND created_at < ?2 "
		"AND status <> 'rejected' AND status <> 'cancelled' GROUP BY tier",
		"SELECT service, asc_pct, sum(weekly_cost_pence) FROM calloff INDEXED BY calloff_active_cost "
		"WHERE status = 'active' GROUP BY 1, 2",
		"SELECT provider_id, count(*) FROM calloff WHERE created_at >= ?1 AND created_at < ?2 "
		"AND status <> 'rejected' AND status <> 'cancelled' GROUP BY provider_id",
		"SELECT c.provider_id, count(*) FROM calloff c JOIN audit a ON a.entity = 'calloff' "
		"AND a.entity_id = CAST(c.id AS TEXT) AND a.action = 'calloff.handback' "
		"WHERE c.handback_reason IS NOT NULL AND c.handback_notice >= ?1 AND a.at >= ?1 AND a.at < ?2 "
		"GROUP BY c.provider_id",
		"SELECT decline_reason, count(*) FROM offer WHERE (status = 'declined' OR status = 'expired') "
		"AND responded_at >= ?1 AND responded_at < ?2 GROUP BY decline_reason",
		"SELECT ar.rule, count(*) FROM approval a JOIN approval_rule ar ON ar.approval_id = a.id "
		"WHERE a.requested_at >= ?1 AND a.requested_at < ?2 GROUP BY ar.rule",
		"SELECT locality, count(*) FROM calloff WHERE tier = 'emergency' AND created_at >= ?1 "
		"AND created_at < ?2 GROUP BY locality",
		"SELECT c.id, su.date_of_birth FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"JOIN service_user su ON su.id = r.user_id WHERE c.service = 'RES' AND c.created_at >= ?1 "
		"AND c.created_at < ?2",
	};
	struct report_params p;
	report_params_default(&p);
	char from[11], tonext[11];
	date_format(p.from, from);
	date_format(p.to + 1, tonext);
	printf("\nReports (the default 12 weeks, every locality and service; 9 runs each)\n");
	for (int w = 0; w < REPORT_COUNT; w++) {
		double core[9], raw[9];
		sqlite3_stmt *b = bare(bare_sql[w]);
		for (int i = 0; i < 9; i++) {
			struct report *r = NULL;
			char *why = NULL;
			double t0 = now_ms();
			if (report_run(s, w, &p, &r, &why) != BR_OK) {
				printf("  report %s: %s\n", report_code(w), why ? why : "failed");
				free(why);
			}
			core[i] = now_ms() - t0;
			report_free(&r);
			t0 = now_ms();
			if (sqlite3_bind_parameter_count(b) >= 2) {
				sqlite3_bind_text(b, 1, from, -1, SQLITE_STATIC);
				sqlite3_bind_text(b, 2, tonext, -1, SQLITE_STATIC);
			}
			while (sqlite3_step(b) == SQLITE_ROW)
				;
			sqlite3_reset(b);
			raw[i] = now_ms() - t0;
		}
		sqlite3_finalize(b);
		char what[48];
		snprintf(what, sizeof what, "report %s", report_code(w));
		row(what, summarise(core, 9), summarise(raw, 9), "target: < 500 ms");
	}
	session_close(&s);
}

static void bench_respite(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "oncall", NULL) != BR_OK)
		return;
	sqlite3_stmt *q = bare("SELECT id FROM service_user WHERE status = 'active' ORDER BY random() LIMIT 500");
	static int64_t ids[500];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 500)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	static double t[500];
	static struct respite_row rows[256];
	int found = 0;
	for (int i = 0; i < n; i++) {
		int m = 0;
		double t0 = now_ms();
		respite_list(s, ids[i], rows, 256, &m, NULL);
		t[i] = now_ms() - t0;
		found += m > 0;
	}
	session_close(&s);
	if (!n)
		return;
	struct stats sum = summarise(t, n);
	printf("\nEmergency respite\n  %-38s p50 %7.3f ms  p99 %7.3f ms   (%d people, %d with a bed tonight)   "
	       "target: a list screen under 16 ms\n", "beds free tonight, nearest first", sum.p50, sum.p99, n, found);
}

struct booking_world {
	int64_t person;
	char ref[17];
};

/* A provider on SL for every need in every locality, and a request +
 * offer for each booking, made before the clock starts. */
static int prepare_bookings(const char *cfg_path, int64_t provider, int64_t capacity, int count,
			    int64_t *offers)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK)
		return 0;
	char sql[1200];
	snprintf(sql, sizeof sql,
		 "BEGIN IMMEDIATE;"
		 "INSERT OR IGNORE INTO provider(id, name, name_fold, cqc_rating) VALUES (%lld, 'Bench Care %lld', 'benchcare%lld', 'Good');"
		 "INSERT OR IGNORE INTO registration SELECT %lld, 'SL', code FROM need;"
		 "INSERT OR IGNORE INTO coverage SELECT %lld, code FROM locality;"
		 "INSERT OR REPLACE INTO capacity SELECT %lld, 'SL', code, %lld, 'x' FROM locality;"
		 "INSERT OR IGNORE INTO rate VALUES (%lld, 'SL', '2019-04-01', 1700);"
		 "COMMIT;",
		 (long long)provider, (long long)provider, (long long)provider, (long long)provider,
		 (long long)provider, (long long)provider, (long long)capacity, (long long)provider);
	if (store_exec(s->store, sql, NULL) != BR_OK) {
		session_close(&s);
		return 0;
	}
	sqlite3_stmt *q = bare("SELECT ref FROM service_user WHERE status = 'active' AND restricted = 0 "
			       "ORDER BY id LIMIT 200");
	static char refs[200][17];
	int nrefs = 0;
	while (sqlite3_step(q) == SQLITE_ROW && nrefs < 200)
		text_copy(refs[nrefs++], 17, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	int made = 0;
	for (int i = 0; i < count && nrefs; i++) {
		struct request_input in = {.units = 1, .asc_pct = -1};
		text_copy(in.user_ref, sizeof in.user_ref, refs[i % nrefs]);
		text_copy(in.service, sizeof in.service, "SL");
		date_format(clock_today() + 7, in.start);
		text_copy(in.urgency, sizeof in.urgency, "routine");
		text_copy(in.funding, sizeof in.funding, "ASC");
		int64_t req, off;
		char *why = NULL;
		if (request_create(s, &in, &req, &why) != BR_OK ||
		    offer_create(s, req, provider, NULL, &off, &why) != BR_OK) {
			br_free_str(&why);
			continue;
		}
		offers[made++] = off;
	}
	session_close(&s);
	return made;
}

struct child_result {
	int booked, refused, busy, other;
	double worst;
	int n;
	double lat[64];
};

static void bench_one_process(const char *cfg_path)
{
	static int64_t offers[3000];
	int n = prepare_bookings(cfg_path, 900001, 1000000, 2000, offers);
	struct session *s = NULL;
	if (!n || session_open(&s, cfg_path, "officer", NULL) != BR_OK)
		return;
	double t0 = now_ms();
	int ok = 0;
	for (int i = 0; i < n; i++) {
		int64_t co;
		if (offer_accept(s, offers[i], &co, NULL) == BR_OK)
			ok++;
	}
	double ms = now_ms() - t0;
	session_close(&s);
	printf("\nBooking (accept: call-off + capacity + approval check + audit, one transaction, synchronous=FULL)\n");
	printf("  %-38s %.0f bookings/s (%d in %.0f ms)   target: 1,000 a second\n", "one process", ok / (ms / 1000), ok, ms);
}

static void bench_many(const char *cfg_path, bool think, int64_t provider, int64_t capacity, int per_child)
{
	enum { KIDS = 50 };
	static int64_t offers[KIDS * 64];
	int n = prepare_bookings(cfg_path, provider, capacity, KIDS * per_child, offers);
	if (n < KIDS * per_child) {
		printf("  (could only prepare %d offers)\n", n);
		return;
	}
	int fds[KIDS][2];
	pid_t pids[KIDS];
	char go[4200];
	snprintf(go, sizeof go, "%s.go", cfg_path);
	unlink(go);
	for (int k = 0; k < KIDS; k++) {
		if (pipe(fds[k]) != 0)
			return;
		pids[k] = fork();
		if (pids[k] == 0) {
			close(fds[k][0]);
			struct child_result r;
			memset(&r, 0, sizeof r);
			struct session *s = NULL;
			if (session_open(&s, cfg_path, k % 2 ? "officer" : "supervisor", NULL) != BR_OK)
				_exit(3);
			while (access(go, F_OK) != 0)
				usleep(500);
			uint64_t seed = (uint64_t)getpid() * 2654435761u;
			for (int i = 0; i < per_child; i++) {
				if (think) {
					/* an officer on the phone: 0.3 to 1 s between bookings */
					seed = seed * 6364136223846793005ULL + 1;
					usleep((useconds_t)(300000 + (seed >> 33) % 700000));
				}
				int64_t co;
				double t0 = now_ms();
				enum br_status res = offer_accept(s, offers[k * per_child + i], &co, NULL);
				double ms = now_ms() - t0;
				if (r.n < 64)
					r.lat[r.n++] = ms;
				if (ms > r.worst)
					r.worst = ms;
				if (res == BR_OK)
					r.booked++;
				else if (res == BR_CONFLICT)
					r.refused++;
				else if (res == BR_BUSY)
					r.busy++;
				else
					r.other++;
			}
			session_close(&s);
			ssize_t w = write(fds[k][1], &r, sizeof r);
			(void)w;
			_exit(0);
		}
		close(fds[k][1]);
	}
	usleep(200 * 1000);
	FILE *f = fopen(go, "w");
	if (f)
		fclose(f);
	double t0 = now_ms();
	static double lat[KIDS * 64];
	int nl = 0, booked = 0, refused = 0, busy = 0, other = 0, fewest = 1 << 30;
	double worst = 0;
	for (int k = 0; k < KIDS; k++) {
		struct child_result r;
		memset(&r, 0, sizeof r);
		ssize_t got = read(fds[k][0], &r, sizeof r);
		close(fds[k][0]);
		waitpid(pids[k], NULL, 0);
		if (got != (ssize_t)sizeof r) {
			other++;
			continue;
		}
		for (int i = 0; i < r.n; i++)
			lat[nl++] = r.lat[i];
		booked += r.booked;
		refused += r.refused;
		busy += r.busy;
		other += r.other;
		if (r.booked < fewest)
			fewest = r.booked;
		if (r.worst > worst)
			worst = r.worst;
	}
	double ms = now_ms() - t0;
	unlink(go);
	struct stats sum = summarise(lat, nl);
	/* overbooking: the call-offs on the provider against its capacity */
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM calloff WHERE provider_id = %lld), "
				  "(SELECT sum(free) FROM capacity WHERE provider_id = %lld)", (long long)provider,
		 (long long)provider);
	sqlite3_stmt *q = bare(sql);
	long long calloffs = 0, free_left = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		calloffs = sqlite3_column_int64(q, 0);
		free_left = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	long long taken = (long long)capacity * 4 - free_left; /* four localities */
	if (think)
		printf("  %-38s p50 %6.2f ms  p99 %6.2f ms  worst %6.1f ms  busy %d  (%d booked in %.1f s)   "
		       "target: p99 < 20 ms, no busy ever\n", "50 processes, think time 0.3-1 s", sum.p50, sum.p99,
		       worst, busy, booked, ms / 1000);
	else
		printf("  %-38s worst wait %6.1f ms  p99 %6.2f ms  fewest by a process %d  booked %d of %lld, "
		       "refused %d, busy %d, overbooked %lld   target: worst < 1 s, overbooking 0\n",
		       "50 processes flat out, last capacity", worst, sum.p99, fewest, booked, (long long)capacity * 4,
		       refused, busy, calloffs - taken > 0 ? calloffs - taken : 0);
	(void)other;
}

/* A real UI session on a pseudo-terminal: a few screens visited, then
 * its peak resident set read from /proc. */
static void bench_session_rss(const char *binary, const char *cfg_path)
{
	int master;
	struct winsize ws = {24, 80, 0, 0};
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	if (pid < 0)
		return;
	if (pid == 0) {
		setenv("TERM", "xterm", 1);
		execl(binary, binary, "--config", cfg_path, "--as", "officer", (char *)NULL);
		_exit(127);
	}
	static const char *const keys[] = {"2", "jones", "\r", "m", "3", "l", "\x1b[B", "\r", "4", "!", "smith", "\r", "1"};
	char buf[65536];
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		usleep(300 * 1000);
		while (1) { /* drain what it drew */
			fd_set r;
			FD_ZERO(&r);
			FD_SET(master, &r);
			struct timeval tv = {0, 50000};
			if (select(master + 1, &r, NULL, NULL, &tv) <= 0 || read(master, buf, sizeof buf) <= 0)
				break;
		}
		ssize_t w = write(master, keys[i], strlen(keys[i]));
		(void)w;
	}
	usleep(500 * 1000);
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	long hwm = -1;
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
			break;
	if (f)
		fclose(f);
	kill(pid, SIGHUP);
	waitpid(pid, NULL, 0);
	close(master);
	printf("  %-38s peak RSS %.1f MB   target: under 8 MB a session\n",
	       "a UI session (Home, search, Match, ...)", hwm / 1024.0);
}

/* Import: the 10xLCR people exported to CSV, imported into a new
 * database (all added), again (all unchanged), and checked against the
 * 10xLCR database itself as a dry run (all unchanged). */
static void bench_import(const char *dir, const char *cfg_path)
{
	printf("\nImport (core/import.c: libcsv, every row checked, one transaction)\n");
	struct session *s = NULL;
	char *why = NULL;
	if (session_open(&s, cfg_path, "admin", &why) != BR_OK) {
		fprintf(stderr, "bench: import: %s\n", why ? why : "?");
		free(why);
		return;
	}
	char csv[4300], new_cfg[4300], new_db[4300];
	snprintf(csv, sizeof csv, "%s/people.csv", dir);
	snprintf(new_cfg, sizeof new_cfg, "%s/import.cfg", dir);
	snprintf(new_db, sizeof new_db, "%s/import.db", dir);
	FILE *f = fopen(csv, "w");
	long long rows = 0;
	if (!f || export_run(s, EXPORT_SERVICE_USERS, EXPORT_CSV, f, &rows, &why) != BR_OK) {
		fprintf(stderr, "bench: import: exporting: %s\n", why ? why : "?");
		if (f)
			fclose(f);
		session_close(&s);
		free(why);
		return;
	}
	fclose(f);
	unlink(new_db);
	char side[4400];
	snprintf(side, sizeof side, "%s-wal", new_db);
	unlink(side);
	snprintf(side, sizeof side, "%s-wq", new_db);
	unlink(side);
	f = fopen(new_cfg, "w");
	if (!f) {
		session_close(&s);
		return;
	}
	fprintf(f, "database = \"import.db\";\n");
	fclose(f);
	/* a new live database, as a council would start: whoever runs the
	 * bench is its first admin */
	struct br_config cfg;
	char login[64];
	struct init_options o = {.login = login};
	struct init_report rep;
	struct session *n = NULL;
	if (identity_os_login(login, sizeof login, &why) != BR_OK ||
	    config_load(&cfg, new_cfg, &why) != BR_OK || init_database(&cfg, &o, &rep, &why) != BR_OK ||
	    session_open(&n, new_cfg, NULL, &why) != BR_OK) {
		fprintf(stderr, "bench: import: %s\n", why ? why : "?");
		free(why);
		session_close(&s);
		return;
	}
	static const char *const what[] = {
		"people into a new database (added)", "the same again (unchanged)",
		"dry run against the 10xLCR database",
	};
	for (int i = 0; i < 3; i++) {
		struct import_options io = {.dry_run = i == 2};
		struct import_report r;
		double t0 = now_ms();
		enum br_status stt = import_file(i == 2 ? s : n, IMPORT_SERVICE_USERS, csv, &io, &r, &why);
		double ms = now_ms() - t0;
		if (stt != BR_OK) {
			fprintf(stderr, "bench: import: %s %s\n", why ? why : "?", r.n_problems ? r.problems[0] : "");
			br_free_str(&why);
			import_report_free(&r);
			continue;
		}
		printf("  %-38s %6lld rows %7.2f s (%lld added, %lld unchanged)   target: 50,000 people under 10 s\n",
		       what[i], r.rows, ms / 1000, r.added, r.unchanged);
		import_report_free(&r);
	}
	session_close(&n);
	session_close(&s);
	unlink(new_db);
	static const char *const sides[] = {"-wal", "-shm", "-wq"};
	for (int i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", new_db, sides[i]);
		unlink(side);
	}
	unlink(new_cfg);
	unlink(csv);
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
	const char *db = "bench/data/lcr10.db", *only = "";
	double scale = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i]; /* lists screens startup check match respite reports import booking, comma-separated */
	}
#define PART(name) (!only[0] || strstr(only, name))
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
	fprintf(f, "database = \"%s\";\n", base);
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
	else {
		/* an older cached database is migrated, not rebuilt */
		struct init_options o = {.login = "admin"};
		struct init_report rep;
		if (init_database(&cfg, &o, &rep, &why) != BR_OK) {
			fprintf(stderr, "bench: %s\n", why);
			return 70;
		}
	}
	if (store_open(&st, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK) {
		fprintf(stderr, "bench: %s\n", why);
		return 66;
	}
	printf("brokerage bench: %s (scale %g; DESIGN.md §7 targets are for scale 10)\n", cfg.database,
	       scale);
	if (PART("lists"))
		bench_lists();
	if (PART("screens")) {
		printf("\nScreens (the real view code, drawn at 80x24)\n");
		bench_screen(cfg_path);
	}
	if (PART("startup")) {
		bench_startup(cfg_path);
		bench_session_rss("./brokerage", cfg_path);
	}
	if (PART("check"))
		bench_check_rss("./brokerage", cfg_path);
	if (PART("match"))
		bench_match(cfg_path);
	if (PART("respite"))
		bench_respite(cfg_path);
	if (PART("reports"))
		bench_reports(cfg_path);
	if (PART("import"))
		bench_import(dir, cfg_path);
	store_close(&st);
	if (!PART("booking"))
		return 0;

	/* bookings write: on a copy, so the cached database stays as built */
	char work[4200], work_cfg[4300];
	/* a folder of its own: a backup is never written beside the database */
	snprintf(work, sizeof work, "%s/work", dir);
	mkdir(work, 0700);
	snprintf(work, sizeof work, "%s/work/work.db", dir);
	snprintf(work_cfg, sizeof work_cfg, "%s/work/work.cfg", dir);
	struct store *src = NULL;
	struct outfile of;
	unlink(work);
	if (store_open(&src, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK ||
	    outfile_open(&of, work, cfg.database, &why) != BR_OK ||
	    store_backup(src, &of, NULL, &why) != BR_OK) {
		fprintf(stderr, "bench: copying for the booking runs: %s\n", why ? why : "?");
		store_close(&src);
		return 74;
	}
	store_close(&src);
	f = fopen(work_cfg, "w");
	if (!f)
		return 74;
	fprintf(f, "database = \"work.db\";\n");
	fclose(f);
	if (store_open(&st, work, 5000, STORE_EXISTING, &why) != BR_OK)
		return 66;
	bench_one_process(work_cfg);
	bench_many(work_cfg, true, 900002, 1000000, 12);
	bench_many(work_cfg, false, 900003, 100, 12);
	store_close(&st);
	unlink(work);
	return 0;
}
