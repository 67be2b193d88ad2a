/* bench.c — `make bench`: every figure of DESIGN.md §7 and issue 14 at
 * 10×LCR, each beside its target, beside the bare work underneath it (the
 * same SQL text on a bare connection, bare ncurses, bare commits), the
 * ratio, and MET or MISSED. Medians and 99th percentiles; no thresholds
 * fail the run: the machine is shared and noisy, so the load average is
 * printed at the start and at the end.
 *
 * Each label says what is measured:
 *  - first frame: fork + exec of the real binary on a pty until Home's
 *    footer (the last row curses writes) has arrived;
 *  - key -> drawn: the real screens in this process, a key handled as the
 *    main loop handles it, then the whole frame drawn and written by curses
 *    (to /dev/null: the terminal's own drawing is not ours);
 *  - a booking: request + offer + acceptance, as an officer makes them,
 *    three transactions, synchronous=FULL;
 *  - memory: peak resident set (VmHWM / ru_maxrss) of a process started by
 *    posix_spawn, so it inherits nothing of this one, in MB (10^6 bytes). */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "core.h"
#include "store_internal.h"
#include "tui.h"

extern char **environ;

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
	int n;
};

static struct stats summarise(double *v, int n)
{
	if (n <= 0)
		return (struct stats){0, 0, 0, 0};
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	struct stats s = {v[n / 2], v[(int)((n - 1) * 0.99)], v[n - 1], n};
	return s;
}

/* ---- one line per figure ---------------------------------------------------- */

static int n_met, n_missed;

static const char *verdict(bool met)
{
	if (met)
		n_met++;
	else
		n_missed++;
	return met ? "MET" : "MISSED";
}

static void section(const char *title)
{
	printf("\n%s\n", title);
}

/* A latency: p50 and p99 beside the bare cost (when there is one), the
 * ratio of the p99s, and the target on the p99 (and on the ratio). */
static void fig_ms(const char *what, struct stats core, const struct stats *bare, double target_p99,
		   double target_ratio)
{
	double ratio = bare && bare->p99 > 0 ? core.p99 / bare->p99 : 0;
	bool met = core.p99 < target_p99 && (!target_ratio || (bare && ratio <= target_ratio));
	char tgt[48], b[64];
	if (target_ratio)
		snprintf(tgt, sizeof tgt, "p99 < %g ms, <= %gx bare", target_p99, target_ratio);
	else
		snprintf(tgt, sizeof tgt, "p99 < %g ms", target_p99);
	if (bare)
		snprintf(b, sizeof b, "bare %7.3f %8.3f  %4.1fx", bare->p50, bare->p99, ratio);
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	printf("  %-46s %8.3f %8.3f ms  %s  %-26s %s\n", what, core.p50, core.p99, b, tgt, verdict(met));
}

/* The same, judged on the median (the 30xLCR screens) */
static void fig_ms_p50(const char *what, struct stats core, const struct stats *bare, double target_p50)
{
	char b[64], tgt[48];
	if (bare)
		snprintf(b, sizeof b, "bare %7.3f %8.3f  %4.1fx", bare->p50, bare->p99,
			 bare->p99 > 0 ? core.p99 / bare->p99 : 0);
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	snprintf(tgt, sizeof tgt, "p50 < %g ms", target_p50);
	printf("  %-46s %8.3f %8.3f ms  %s  %-26s %s\n", what, core.p50, core.p99, b, tgt,
	       verdict(core.p50 < target_p50));
}

/* A rate: per second, beside the bare rate (higher is better) */
static void fig_rate(const char *what, double per_s, double bare_per_s, double target)
{
	char tgt[48];
	snprintf(tgt, sizeof tgt, ">= %g /s", target);
	printf("  %-46s %8.0f /s %8s  bare %7.0f /s %10s %4.2fx  %-26s %s\n", what, per_s, "", bare_per_s, "",
	       bare_per_s > 0 ? per_s / bare_per_s : 0, tgt, verdict(per_s >= target));
}

static void fig_mb(const char *what, double mb, double bare_mb, double target)
{
	char tgt[48], b[64];
	snprintf(tgt, sizeof tgt, "< %g MB", target);
	if (bare_mb > 0)
		snprintf(b, sizeof b, "bare %7.1f MB %13s", bare_mb, "");
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	printf("  %-46s %8.1f MB %8s  %s  %-26s %s\n", what, mb, "", b, tgt, verdict(mb > 0 && mb < target));
}

/* A count that must be zero (busy, overbooked, lost) */
static void fig_zero(const char *what, long long n, const char *of)
{
	printf("  %-46s %8lld %-28s %-26s %s\n", what, n, of, "0", verdict(n == 0));
}

static void load_line(const char *when)
{
	double l[3] = {0, 0, 0};
	if (getloadavg(l, 3) < 0)
		l[0] = l[1] = l[2] = -1;
	printf("load average %s: %.2f %.2f %.2f (%ld cores)\n", when, l[0], l[1], l[2], sysconf(_SC_NPROCESSORS_ONLN));
}

#define RUNS 400
#define PAGE 40

static struct store *st;

/* ---- the bare SQL (same text, a bare connection, no core code) ------------- */

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

/* Start the real binary (or this one) with posix_spawn: nothing of this
 * process's memory is inherited, so ru_maxrss is the child's own. */
static pid_t spawn(const char *const argv[], int out_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
		posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	}
	pid_t pid;
	char *args[16];
	int n = 0;
	for (; argv[n] && n < 15; n++)
		args[n] = strdup(argv[n]);
	args[n] = NULL;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, args, environ);
	for (int i = 0; i < n; i++)
		free(args[i]);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? pid : -1;
}

/* run to the end; peak RSS in MB, wall time in ms, exit status */
static double spawn_wait(const char *const argv[], double *ms, int *exit_code)
{
	int devnull = open("/dev/null", O_WRONLY);
	double t0 = now_ms();
	pid_t pid = spawn(argv, devnull);
	close(devnull);
	if (pid < 0)
		return -1;
	int status;
	struct rusage ru;
	wait4(pid, &status, 0, &ru);
	if (ms)
		*ms = now_ms() - t0;
	if (exit_code)
		*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return (double)ru.ru_maxrss * 1024.0 / 1e6;
}

static void row(const char *what, struct stats core, struct stats bare_s, double target)
{
	fig_ms(what, core, &bare_s, target, 0);
}

static const char *const prefixes[] = {"jo", "smi", "o'n", "wil", "pa", "da", "mor", "ev", "kh", "ng",
				       "sian", "zoe", "ta", "ro", "hu", "le"};
#define N_PREFIX (int)(sizeof prefixes / sizeof prefixes[0])

/* the upper bound of a prefix: the same bytes with the last one raised
 * (keys compare as bytes) */
static void prefix_bounds_bench(const char *lo, char *hi, size_t n)
{
	snprintf(hi, n, "%s", lo);
	size_t len = strlen(hi);
	if (len)
		hi[len - 1]++;
}

static void bench_lists(void)
{
	static double core[RUNS], raw[RUNS];
	static struct su_row rows[PAGE];
	static struct provider_row prow[PAGE];
	int n;
	char lo[32], hi[32];

	printf("\nList filters: the core call alone, first page of %d rows, %d runs each (drawn: see Screens)\n",
	       PAGE, RUNS);

	/* service users by name: one letter, two letters, longer (the names
	 * of a real register: see the surname count above); the bare SQL is
	 * the core's own shape: the keys of each half, merged, then the page */
	sqlite3_stmt *q = bare(
		"SELECT su.id, su.ref, su.family_name, su.given_name, t.k1, t.k2 FROM (SELECT * FROM ("
		"SELECT * FROM (SELECT id, family_fold AS k1, given_fold AS k2 FROM service_user "
		"WHERE family_fold >= ?1 AND family_fold < ?2 ORDER BY 2, 3, 1 LIMIT 40) UNION "
		"SELECT * FROM (SELECT id, family_fold AS k1, given_fold AS k2 FROM service_user INDEXED BY su_by_given "
		"WHERE given_fold >= ?1 AND given_fold < ?2 ORDER BY 2, 3, 1 LIMIT 40) ORDER BY 2, 3, 1 LIMIT 40)) t "
		"JOIN service_user su ON su.id = t.id ORDER BY t.k1, t.k2, t.id");
	static const char *const one[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
					  "n", "o", "p", "r", "s", "t", "w", "y", "z", "ó", "ł", "ś", "ż"};
	static const char *const two[] = {"jo", "sm", "wi", "da", "ro", "ev", "th", "ha", "mc", "ma", "ba",
					  "br", "ho", "gr", "ke", "wa", "ni", "sa", "le", "pa", "ch", "mo"};
	struct {
		const char *what;
		const char *const *words;
		int n;
	} sets[] = {
		{"service users by name: one letter", one, (int)(sizeof one / sizeof one[0])},
		{"service users by name: two letters", two, (int)(sizeof two / sizeof two[0])},
		{"service users by name: three or more", prefixes, N_PREFIX},
	};
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < RUNS; i++) {
			struct su_filter f = {0};
			snprintf(f.text, sizeof f.text, "%s", sets[k].words[i % sets[k].n]);
			double t0 = now_ms();
			su_list(st, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
			core[i] = now_ms() - t0;
			text_fold(f.text, lo, sizeof lo);
			prefix_bounds_bench(lo, hi, sizeof hi);
			raw[i] = run_bare(q, lo, hi, NULL);
		}
		row(sets[k].what, summarise(core, RUNS), summarise(raw, RUNS), 16);
	}

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
	row("service users by NHS number", summarise(core, RUNS), summarise(raw, RUNS), 16);

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
	row("service users by locality + need", summarise(core, RUNS), summarise(raw, RUNS), 16);

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
	    16);
}

/* ---- the screens, key by key ---------------------------------------------------
 *
 * The real views in this process over a real session: each key goes
 * through ui_key as the main loop sends it, then ui_frame draws the whole
 * frame and curses writes it (to /dev/null). A step's keys before its
 * timed part set it up and are not counted. */

#define K_ENTER "\r"
#define K_ESC "\x1b"
#define K_DOWN "\x0e" /* stands for the Down arrow */

struct screen_bench {
	struct ui ui;
	SCREEN *scr;
	FILE *out;
};

static bool screens_open(struct screen_bench *b, const char *cfg_path, const char *login)
{
	memset(b, 0, sizeof *b);
	b->out = fopen("/dev/null", "w");
	b->scr = b->out ? newterm("xterm", b->out, stdin) : NULL;
	if (!b->scr) {
		if (b->out)
			fclose(b->out);
		printf("  (no terminal description for xterm: screens skipped)\n");
		return false;
	}
	set_term(b->scr);
	resizeterm(24, 80);
	struct session *s = NULL;
	char *why = NULL;
	if (session_open(&s, cfg_path, login, &why) != BR_OK) {
		printf("  (cannot open a session as %s: %s)\n", login, why ? why : "?");
		free(why);
		endwin();
		delscreen(b->scr);
		fclose(b->out);
		return false;
	}
	ui_start(&b->ui, s);
	ui_frame(&b->ui);
	return true;
}

static void screens_close(struct screen_bench *b)
{
	struct session *s = b->ui.s;
	while (b->ui.depth)
		ui_pop(&b->ui);
	session_close(&s);
	endwin();
	delscreen(b->scr);
	fclose(b->out);
}

/* one key, handled and drawn; its time in ms */
static double screen_key(struct screen_bench *b, wint_t ch, bool is_key)
{
	double t0 = now_ms();
	ui_key(&b->ui, ch, is_key);
	ui_frame(&b->ui);
	return now_ms() - t0;
}

/* the keys of a string, each handled and drawn; times appended to t */
static void screen_keys(struct screen_bench *b, const char *keys, double *t, int *n, int cap)
{
	wchar_t w[128];
	size_t len = mbstowcs(w, keys, 128);
	if (len == (size_t)-1)
		return;
	for (size_t i = 0; i < len; i++) {
		bool is_key = false;
		wint_t ch = (wint_t)w[i];
		if (ch == 0x0e) {
			ch = KEY_DOWN;
			is_key = true;
		}
		double ms = screen_key(b, ch, is_key);
		if (t && *n < cap)
			t[(*n)++] = ms;
	}
}

struct screen_step {
	const char *label;  /* NULL: set-up only */
	const char *setup;  /* keys before, not timed */
	const char *timed;  /* keys timed, one figure each; %s = the varying text */
	const char *after;  /* keys after, not timed */
};

#define SCREEN_RUNS 60

static void screens_run(const char *cfg_path, const char *login, const struct screen_step *steps, int n_steps,
			const char *const *vary, int n_vary, double target_p99, bool judge_p50)
{
	struct screen_bench b;
	if (!screens_open(&b, cfg_path, login))
		return;
	static double t[16][SCREEN_RUNS * 24];
	int n[16] = {0};
	for (int run = 0; run < SCREEN_RUNS; run++) {
		const char *v = vary[run % n_vary];
		for (int i = 0; i < n_steps && i < 16; i++) {
			char keys[160];
			screen_keys(&b, steps[i].setup, NULL, NULL, 0);
			snprintf(keys, sizeof keys, steps[i].timed, v);
			screen_keys(&b, keys, t[i], &n[i], SCREEN_RUNS * 24);
			screen_keys(&b, steps[i].after, NULL, NULL, 0);
		}
	}
	char message[sizeof b.ui.message];
	text_copy(message, sizeof message, b.ui.message);
	screens_close(&b);
	for (int i = 0; i < n_steps && i < 16; i++) {
		if (!steps[i].label || !n[i])
			continue;
		struct stats s = summarise(t[i], n[i]);
		if (judge_p50)
			fig_ms_p50(steps[i].label, s, NULL, target_p99);
		else
			fig_ms(steps[i].label, s, NULL, target_p99, 0);
	}
	if (message[0])
		printf("    (the screen's last message: %s)\n", message);
}

/* the bare ncurses work under a frame: a whole 80x24 screen of text
 * changed and written, nothing else */
static struct stats bare_frames(void)
{
	FILE *out = fopen("/dev/null", "w");
	SCREEN *scr = out ? newterm("xterm", out, stdin) : NULL;
	static double t[400];
	if (!scr) {
		if (out)
			fclose(out);
		return summarise(t, 0);
	}
	set_term(scr);
	resizeterm(24, 80);
	for (int i = 0; i < 400; i++) {
		double t0 = now_ms();
		erase();
		for (int y = 0; y < 24; y++)
			mvprintw(y, 0, "%-79.79s", i % 2 ? "Abbott, Siân  SU000123  12 Mar 1941  CH44 5TE  WAL  LD"
							: "Zielinski, Łukasz  SU004321  1 Jan 1990  CH41 2AB  BIR  MH");
		refresh();
		t[i] = now_ms() - t0;
	}
	endwin();
	delscreen(scr);
	fclose(out);
	return summarise(t, 400);
}

static void bench_screens(const char *cfg_path, bool judge_p50)
{
	double target = judge_p50 ? 16 : 16;
	section("Screens: key -> handled, whole frame drawn and written by curses to /dev/null (the real views, 80x24; the terminal's own drawing not counted)");
	struct stats bf = bare_frames();
	printf("  %-46s %8.3f %8.3f ms  (the bare ncurses floor under every frame below)\n",
	       "bare ncurses: a whole screen changed, written", bf.p50, bf.p99);
	static const char *const letters[] = {"a", "b", "c", "d", "e", "f", "g", "h", "j", "k", "l", "m", "n",
					      "o", "p", "r", "s", "t", "w", "y", "z", "ł", "ś", "ó"};
	static const char *const names[] = {"jones", "o'neill", "smith", "wiśniewska", "patel", "kowalczyk",
					    "siân", "davies", "999 1", "ch44", "murphy", "ó briain", "hughes",
					    "roberts", "evans", "nguyen"};
	const struct screen_step home[] = {
		{"Home: back to Home (1, counts + queue)", "2", "1", ""},
		{"Service users: open (2)", "", "2", ""},
		{"Service users: the first one-letter key", "/", "%s", K_ESC "1"},
		{"Providers: open (3)", "", "3", ""},
		{"Providers: the first one-letter key", "/", "%s", K_ESC "1"},
		{"Approvals: open (4)", "", "4", "1"},
		{"Reports: open (5, the default 12 weeks)", "", "5", "1"},
		{"Respite finder: open (!)", "", "!", ""},
		{"Respite finder: the first one-letter key", "", "%s", K_ESC "1"},
	};
	screens_run(cfg_path, "supervisor", home, (int)(sizeof home / sizeof home[0]), letters,
		    (int)(sizeof letters / sizeof letters[0]), target, judge_p50);
	const struct screen_step typing[] = {
		{"Service users: each key of a name", "2/", "%s", K_ESC "1"},
		{"Providers: each key of a name", "3/", "%s", K_ESC "1"},
		{"Respite finder: each key, then the beds (Enter)", "!", "%s" K_ENTER, K_ESC K_ESC "1"},
	};
	screens_run(cfg_path, "oncall", typing, (int)(sizeof typing / sizeof typing[0]), names,
		    (int)(sizeof names / sizeof names[0]), target, judge_p50);
	/* the Match of each request down the queue, opened from Home */
	static const char *const downs[] = {"", K_DOWN, K_DOWN K_DOWN, K_DOWN K_DOWN K_DOWN,
					    K_DOWN K_DOWN K_DOWN K_DOWN, K_DOWN K_DOWN K_DOWN K_DOWN K_DOWN};
	const struct screen_step match[] = {
		{NULL, "1", "%s", ""},
		{"Match: open from Home (Enter)", "", K_ENTER, ""},
		{"Match: the cursor down a row", "", K_DOWN, K_ESC},
	};
	screens_run(cfg_path, "officer", match, 3, downs, 6, target, judge_p50);
}

/* Audit: each filter, on people, days and logins that vary */
static void bench_audit_screen(const char *cfg_path, bool judge_p50)
{
	sqlite3_stmt *q = bare("SELECT ref FROM service_user ORDER BY random() LIMIT 24");
	static char refs[24][17];
	static const char *vary[24];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 24) {
		text_copy(refs[n], sizeof refs[n], (const char *)sqlite3_column_text(q, 0));
		vary[n] = refs[n];
		n++;
	}
	sqlite3_finalize(q);
	if (!n)
		return;
	char days[8][11];
	static const char *dvary[8];
	for (int i = 0; i < 8; i++) {
		date_format(clock_today() - 1 - i * 13, days[i]);
		dvary[i] = days[i];
	}
	const struct screen_step person[] = {
		{"Audit: open (6)", "", "6", ""},
		{"Audit: person filter (p, ref, Enter)", "p%s", K_ENTER, ""},
		{"Audit: clear the filters (c)", "", "c", "1"},
	};
	/* the person's ref goes into the set-up keys: build them per run */
	struct screen_bench b;
	if (!screens_open(&b, cfg_path, "admin"))
		return;
	static double t[3][SCREEN_RUNS];
	int m[3] = {0};
	static double td[SCREEN_RUNS], tw[SCREEN_RUNS];
	int nd = 0, nw = 0;
	for (int run = 0; run < SCREEN_RUNS; run++) {
		char keys[64];
		screen_keys(&b, "6", t[0], &m[0], SCREEN_RUNS);
		snprintf(keys, sizeof keys, "p%s", vary[run % n]);
		screen_keys(&b, keys, NULL, NULL, 0);
		screen_keys(&b, K_ENTER, t[1], &m[1], SCREEN_RUNS);
		screen_keys(&b, "c", t[2], &m[2], SCREEN_RUNS);
		snprintf(keys, sizeof keys, "d%s", dvary[run % 8]);
		screen_keys(&b, keys, NULL, NULL, 0);
		screen_keys(&b, K_ENTER, td, &nd, SCREEN_RUNS);
		screen_keys(&b, "c", NULL, NULL, 0);
		snprintf(keys, sizeof keys, "w%s", run % 2 ? "officer" : "supervisor");
		screen_keys(&b, keys, NULL, NULL, 0);
		screen_keys(&b, K_ENTER, tw, &nw, SCREEN_RUNS);
		screen_keys(&b, "c1", NULL, NULL, 0);
	}
	char message[sizeof b.ui.message];
	text_copy(message, sizeof message, b.ui.message);
	screens_close(&b);
	for (int i = 0; i < 3; i++) {
		struct stats s = summarise(t[i], m[i]);
		if (judge_p50)
			fig_ms_p50(person[i].label, s, NULL, 16);
		else
			fig_ms(person[i].label, s, NULL, 16, 0);
	}
	struct stats sd = summarise(td, nd), sw = summarise(tw, nw);
	if (judge_p50) {
		fig_ms_p50("Audit: day filter (d, date, Enter)", sd, NULL, 16);
		fig_ms_p50("Audit: login filter (w, login, Enter)", sw, NULL, 16);
	} else {
		fig_ms("Audit: day filter (d, date, Enter)", sd, NULL, 16, 0);
		fig_ms("Audit: login filter (w, login, Enter)", sw, NULL, 16, 0);
	}
	if (message[0])
		printf("    (the screen's last message: %s)\n", message);
}

/* ---- start-up: fork + exec to the first whole frame on a pty ------------------- */

#define FRAME_END "quit" /* the end of Home's footer, the last row curses writes */

/* argv started on a new 80x24 pty with TERM=xterm; the child's pid */
static pid_t pty_start(const char *const argv[], int *master)
{
	struct winsize ws = {24, 80, 0, 0};
	pid_t pid = forkpty(master, NULL, NULL, &ws);
	if (pid == 0) {
		setenv("TERM", "xterm", 1);
		char *args[16];
		int n = 0;
		for (; argv[n] && n < 15; n++)
			args[n] = strdup(argv[n]);
		args[n] = NULL;
		execv(args[0], args);
		_exit(127);
	}
	return pid;
}

/* Start argv on a new 80x24 pty; ms until FRAME_END has arrived, or -1.
 * The child is then hung up (SIGHUP, as a dropped SSH link) and reaped. */
static double first_frame(const char *const argv[])
{
	int master;
	double t0 = now_ms();
	pid_t pid = pty_start(argv, &master);
	if (pid < 0)
		return -1;
	char buf[8192], tail[16] = "";
	double got = -1;
	while (got < 0 && now_ms() - t0 < 5000) {
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 100) <= 0)
			continue;
		ssize_t n = read(master, buf, sizeof buf - 1);
		if (n <= 0)
			break;
		buf[n] = '\0';
		/* the marker may straddle two reads */
		char joined[sizeof tail + sizeof buf];
		snprintf(joined, sizeof joined, "%s%s", tail, buf);
		if (strstr(joined, FRAME_END))
			got = now_ms() - t0;
		size_t len = strlen(buf);
		const char *end = len > 8 ? buf + len - 8 : buf;
		memcpy(tail, end, strlen(end) + 1);
	}
	kill(pid, SIGHUP);
	/* drain, so a child blocked on a full pty can see its hang-up */
	for (int i = 0; i < 50; i++) {
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 20) <= 0 || read(master, buf, sizeof buf) <= 0)
			break;
	}
	close(master);
	waitpid(pid, NULL, 0);
	return got;
}

/* `bench --bare-frame`: the bare ncurses floor under a first frame: start
 * curses, fill 80x24 with text, end the last row with FRAME_END, write it */
static int bare_frame_main(void)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return 1;
	cbreak();
	noecho();
	curs_set(0);
	for (int y = 0; y < LINES - 1; y++)
		mvprintw(y, 0, "%-*.*s", COLS - 1, COLS - 1,
			 " urgent       7 SU001938 Mitchell, Connor   HC      5 WW  Wirral Home Care Alliance");
	mvprintw(LINES - 1, 0, " Enter match  Tab next list  t take  ! respite  ? more keys  q " FRAME_END);
	refresh();
	getch(); /* until hung up */
	endwin();
	return 0;
}

static void bench_startup(const char *self, const char *binary, const char *cfg_path)
{
	section("Start-up: fork + exec to the first whole frame (Home) on an 80x24 pty");
	enum { N = 40 };
	static double t[N], b[N];
	int n = 0, nb = 0;
	const char *const argv[] = {binary, "--config", cfg_path, "--as", "officer", NULL};
	const char *const bargv[] = {self, "--bare-frame", NULL};
	for (int i = 0; i < N; i++) {
		double ms = first_frame(argv);
		if (ms >= 0)
			t[n++] = ms;
		ms = first_frame(bargv);
		if (ms >= 0)
			b[nb++] = ms;
	}
	if (!n) {
		printf("  (no first frame seen from %s)\n", binary);
		return;
	}
	struct stats s = summarise(t, n), sb = summarise(b, nb);
	fig_ms("first frame: brokerage as officer", s, nb ? &sb : NULL, 20, 0);
	printf("    (bare: this binary with --bare-frame: exec, initscr, a full screen of text, refresh)\n");
}

/* ---- memory ------------------------------------------------------------------- */

/* A real UI session on a pty: an officer's path through every screen,
 * Match twice; its peak resident set read from /proc before it ends. */
static double session_hwm(const char *const argv[], const char *const *keys, int n_keys)
{
	int master;
	pid_t pid = pty_start(argv, &master);
	if (pid < 0)
		return -1;
	char buf[65536];
	for (int i = 0; i <= n_keys; i++) {
		double t0 = now_ms();
		while (now_ms() - t0 < 400) { /* drain what it drew */
			struct pollfd p = {master, POLLIN, 0};
			if (poll(&p, 1, 50) <= 0)
				continue;
			if (read(master, buf, sizeof buf) <= 0)
				break;
		}
		if (i < n_keys) {
			ssize_t w = write(master, keys[i], strlen(keys[i]));
			(void)w;
		}
	}
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
	for (int i = 0; i < 50; i++) {
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 20) <= 0 || read(master, buf, sizeof buf) <= 0)
			break;
	}
	close(master);
	waitpid(pid, NULL, 0);
	return hwm < 0 ? -1 : hwm * 1024.0 / 1e6;
}

static void bench_memory(const char *self, const char *binary, const char *cfg_path)
{
	section("Memory: peak resident set (MB = 10^6 bytes) of processes that inherit nothing");
	static const char *const officer[] = {"2", "/", "jones", "\r", "\x1b", "1", "\r", "\x1b", "\x1b[B", "\r",
					      "\x1b", "3", "/", "care", "\r", "\x1b", "!", "smith", "\x1b", "1"};
	static const char *const supervisor[] = {"4", "\r", "\x1b", "5", "y", "1", "6", "p", "SU000001", "\r",
						 "c", "1", "2", "\r", "\x1b", "1"};
	const char *const as_officer[] = {binary, "--config", cfg_path, "--as", "officer", NULL};
	const char *const as_supervisor[] = {binary, "--config", cfg_path, "--as", "supervisor", NULL};
	const char *const bare_argv[] = {self, "--bare-frame", NULL};
	double floor_mb = session_hwm(bare_argv, NULL, 0);
	double mb = session_hwm(as_officer, officer, (int)(sizeof officer / sizeof officer[0]));
	fig_mb("UI session: officer (people, Match twice, ...)", mb, floor_mb, 8);
	mb = session_hwm(as_supervisor, supervisor, (int)(sizeof supervisor / sizeof supervisor[0]));
	fig_mb("UI session: supervisor (approvals, reports, audit)", mb, floor_mb, 8);
	printf("    (bare: this binary with --bare-frame, curses and one frame, nothing else)\n");
	double ms;
	int code;
	const char *const check[] = {binary, "--config", cfg_path, "--as", "admin", "check", NULL};
	mb = spawn_wait(check, &ms, &code);
	printf("  %-46s %8.1f MB %8s  %.1f s, exit %d\n", "brokerage check (the whole database)", mb, "", ms / 1000,
	       code);
}

/* init --demo at the bench's scale, into a folder of its own, as a person
 * would run it: its peak RSS against "under 100 MB at any scale" */
static void bench_demo_build(const char *binary, const char *dir, double scale)
{
	section("Demo database: brokerage init --demo (a new process, into an empty folder)");
	char sub[4200], cfg[4300], db[4300], scale_text[32];
	snprintf(sub, sizeof sub, "%s/demo-build", dir);
	mkdir(sub, 0700);
	snprintf(cfg, sizeof cfg, "%s/demo.cfg", sub);
	snprintf(db, sizeof db, "%s/demo.db", sub);
	FILE *f = fopen(cfg, "w");
	if (!f)
		return;
	fprintf(f, "database = \"demo.db\";\n");
	fclose(f);
	unlink(db);
	snprintf(scale_text, sizeof scale_text, "%g", scale);
	const char *const argv[] = {binary, "--config", cfg, "init", "--demo", "--scale", scale_text, NULL};
	double ms;
	int code;
	double mb = spawn_wait(argv, &ms, &code);
	char what[80];
	snprintf(what, sizeof what, "init --demo --scale %g (%.0f s, exit %d)", scale, ms / 1000, code);
	fig_mb(what, code == 0 ? mb : -1, 0, 100);
	static const char *const sides[] = {"", "-wal", "-shm", "-wq"};
	for (int i = 0; i < 4; i++) {
		char p[4400];
		snprintf(p, sizeof p, "%s%s", db, sides[i]);
		unlink(p);
	}
	unlink(cfg);
	rmdir(sub);
}

/* ---- the match ------------------------------------------------------------------ */

/* the text of a statement the core has prepared in slot `slot`, prepared
 * again on the bare connection */
static sqlite3_stmt *bare_like(struct session *s, int slot)
{
	sqlite3_stmt *core = store_stmt(s->store, slot, "", NULL);
	return core && sqlite3_sql(core) ? bare(sqlite3_sql(core)) : NULL;
}

static void bench_match(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK)
		return;
	sqlite3_stmt *q = bare("SELECT r.id, r.service, r.locality, su.primary_need, r.start_date, r.user_id "
			       "FROM package_request r JOIN service_user su ON su.id = r.user_id "
			       "WHERE r.status = 'open' ORDER BY r.id LIMIT 400");
	static struct {
		int64_t id, user;
		char service[4], locality[9], need[8], start[11];
	} req[400];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 400) {
		req[n].id = sqlite3_column_int64(q, 0);
		text_copy(req[n].service, sizeof req[n].service, (const char *)sqlite3_column_text(q, 1));
		text_copy(req[n].locality, sizeof req[n].locality, (const char *)sqlite3_column_text(q, 2));
		text_copy(req[n].need, sizeof req[n].need, (const char *)sqlite3_column_text(q, 3));
		text_copy(req[n].start, sizeof req[n].start, (const char *)sqlite3_column_text(q, 4));
		req[n].user = sqlite3_column_int64(q, 5);
		n++;
	}
	sqlite3_finalize(q);
	if (n == 0) {
		session_close(&s);
		return;
	}
	/* one run first, so the core has prepared the statements whose text
	 * the bare connection runs */
	struct match_result *m = NULL;
	match_run(s, req[0].id, &m, NULL);
	match_free(&m);
	sqlite3_stmt *b_main = bare_like(s, STMT_MATCH), *b_awards = bare_like(s, STMT_MATCH_AWARDS),
		     *b_offers = bare_like(s, STMT_MATCH_OFFERS), *b_current = bare_like(s, STMT_MATCH_CURRENT);
	if (!b_main || !b_awards || !b_offers || !b_current) {
		printf("  (the match's statements were not found)\n");
		session_close(&s);
		return;
	}
	static double core[2000], raw[2000];
	static double by_svc_core[16][2000];
	static int by_svc_n[16];
	static char svc_names[16][4];
	int n_svc = 0;
	int runs = 0;
	char today[11], now[21];
	date_format(clock_today(), today);
	clock_stamp(clock_now(), now);
	for (int round = 0; round < 5; round++)
		for (int i = 0; i < n && runs < 2000; i++, runs++) {
			double t0 = now_ms();
			match_run(s, req[i].id, &m, NULL);
			core[runs] = now_ms() - t0;
			match_free(&m);
			int k = 0;
			while (k < n_svc && strcmp(svc_names[k], req[i].service) != 0)
				k++;
			if (k == n_svc && n_svc < 16)
				text_copy(svc_names[n_svc++], 4, req[i].service);
			if (k < 16)
				by_svc_core[k][by_svc_n[k]++] = core[runs];
			/* the same four statements, bare: one snapshot, every row stepped */
			t0 = now_ms();
			sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL);
			sqlite3_bind_text(b_awards, 1, req[i].service, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_awards, 2, today, -1, SQLITE_STATIC);
			while (sqlite3_step(b_awards) == SQLITE_ROW)
				;
			sqlite3_reset(b_awards);
			sqlite3_bind_int64(b_offers, 1, req[i].id);
			sqlite3_bind_text(b_offers, 2, now, -1, SQLITE_STATIC);
			while (sqlite3_step(b_offers) == SQLITE_ROW)
				;
			sqlite3_reset(b_offers);
			sqlite3_bind_int64(b_current, 1, req[i].user);
			sqlite3_bind_text(b_current, 2, req[i].service, -1, SQLITE_STATIC);
			while (sqlite3_step(b_current) == SQLITE_ROW)
				;
			sqlite3_reset(b_current);
			sqlite3_bind_int64(b_main, 1, req[i].id);
			sqlite3_bind_text(b_main, 2, req[i].service, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 3, req[i].locality, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 4, req[i].need, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 5, req[i].start, -1, SQLITE_STATIC);
			sqlite3_bind_int64(b_main, 6, req[i].user);
			while (sqlite3_step(b_main) == SQLITE_ROW)
				;
			sqlite3_reset(b_main);
			sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
			raw[runs] = now_ms() - t0;
		}
	sqlite3_finalize(b_main);
	sqlite3_finalize(b_awards);
	sqlite3_finalize(b_offers);
	sqlite3_finalize(b_current);
	session_close(&s);
	char title[120];
	snprintf(title, sizeof title, "Matching (match_run: %d runs over %d open requests; bare: the same four "
				      "statements' text, every row stepped)", runs, n);
	section(title);
	struct stats c = summarise(core, runs), r = summarise(raw, runs);
	char label[64];
	snprintf(label, sizeof label, "match_run, %d open requests", n);
	fig_ms(label, c, &r, 1.2, 2);
	for (int k = 0; k < n_svc; k++) {
		char what[96];
		struct stats ks = summarise(by_svc_core[k], by_svc_n[k]);
		snprintf(what, sizeof what, "  of which %s (%d runs)", svc_names[k], by_svc_n[k]);
		printf("  %-46s %8.3f %8.3f ms\n", what, ks.p50, ks.p99);
	}
}

/* ---- bookings ------------------------------------------------------------------- */

/* A provider on SL for every need in every locality with `capacity` free
 * in each; people to book for. */
static bool booking_world(struct session *s, int64_t provider, int64_t capacity)
{
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
	return store_exec(s->store, sql, NULL) == BR_OK;
}

static char (*booking_refs)[17];
static int n_booking_refs;

static void booking_people(void)
{
	static char refs[4000][17];
	booking_refs = refs;
	sqlite3_stmt *q = bare("SELECT ref FROM service_user WHERE status = 'active' AND restricted = 0 "
			       "ORDER BY id LIMIT 4000");
	while (sqlite3_step(q) == SQLITE_ROW && n_booking_refs < 4000)
		text_copy(refs[n_booking_refs++], 17, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
}

/* One whole booking, as an officer makes it: the request, the offer to
 * the provider, its acceptance. The call-off's id in *calloff. */
static enum br_status whole_booking(struct session *s, const char *ref, int64_t provider, int64_t *calloff,
				    double step_ms[3])
{
	struct request_input in = {.units = 1, .asc_pct = -1};
	text_copy(in.user_ref, sizeof in.user_ref, ref);
	text_copy(in.service, sizeof in.service, "SL");
	date_format(clock_today() + 7, in.start);
	text_copy(in.urgency, sizeof in.urgency, "routine");
	text_copy(in.funding, sizeof in.funding, "ASC");
	int64_t req, off;
	char *why = NULL;
	double t0 = now_ms(), t1, t2;
	enum br_status r = request_create(s, &in, &req, &why);
	t1 = now_ms();
	if (r == BR_OK)
		r = offer_create(s, req, provider, NULL, &off, &why);
	t2 = now_ms();
	if (r == BR_OK)
		r = offer_accept(s, off, calloff, &why);
	if (step_ms) {
		step_ms[0] = t1 - t0;
		step_ms[1] = t2 - t1;
		step_ms[2] = now_ms() - t2;
	}
	br_free_str(&why);
	return r;
}

/* the bare floor under a whole booking: three transactions, each one
 * insert, synchronous=FULL, on the same database */
static double bare_booking_ms(const char *db_path)
{
	sqlite3 *db;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS bench_bare(x)", NULL, NULL, NULL);
	double t0 = now_ms();
	for (int i = 0; i < 300; i++)
		sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO bench_bare VALUES (1); COMMIT", NULL, NULL, NULL);
	double ms = (now_ms() - t0) / 100; /* three commits a booking */
	sqlite3_exec(db, "DROP TABLE bench_bare", NULL, NULL, NULL);
	sqlite3_close(db);
	return ms;
}

static void bench_one_process(const char *cfg_path, const char *db_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK || !booking_world(s, 900001, 1000000)) {
		session_close(&s);
		return;
	}
	enum { N = 500 };
	static double step[3][N];
	int ok = 0, failed = 0;
	double t0 = now_ms();
	for (int i = 0; i < N; i++) {
		int64_t co;
		double ms[3];
		if (whole_booking(s, booking_refs[i % n_booking_refs], 900001, &co, ms) == BR_OK) {
			for (int k = 0; k < 3; k++)
				step[k][ok] = ms[k];
			ok++;
		} else {
			failed++;
		}
	}
	double ms = now_ms() - t0;
	session_close(&s);
	double bare_ms = bare_booking_ms(db_path);
	section("Bookings (request + offer + acceptance: three transactions, synchronous=FULL; bare: three "
		"one-row commits)");
	char what[80];
	snprintf(what, sizeof what, "one process, whole bookings (%d made, %d refused)", ok, failed);
	fig_rate(what, ok / (ms / 1000), bare_ms > 0 ? 1000 / bare_ms : 0, 1000);
	static const char *const steps[3] = {"  of which the request (request_create)", "  of which the offer (offer_create)",
					     "  of which the acceptance (offer_accept)"};
	for (int k = 0; k < 3; k++) {
		struct stats a = summarise(step[k], ok);
		printf("  %-46s %8.3f %8.3f ms\n", steps[k], a.p50, a.p99);
	}
}

struct child_result {
	int booked, refused, busy, other;
	double worst;
	int n;
	double lat[64];
	int64_t calloffs[64];
};

/* 50 officers at once, each making whole bookings; with think time (on the
 * phone: 0.3 to 1 s between bookings) or flat out for the last capacity */
static void bench_many(const char *cfg_path, bool think, int64_t provider, int64_t capacity, int per_child)
{
	enum { KIDS = 50 };
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK || !booking_world(s, provider, capacity)) {
		session_close(&s);
		return;
	}
	session_close(&s);
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
			static struct child_result r;
			memset(&r, 0, sizeof r);
			if (session_open(&s, cfg_path, k % 2 ? "officer" : "supervisor", NULL) != BR_OK)
				_exit(3);
			while (access(go, F_OK) != 0)
				usleep(500);
			uint64_t seed = (uint64_t)getpid() * 2654435761u;
			for (int i = 0; i < per_child; i++) {
				if (think) {
					seed = seed * 6364136223846793005ULL + 1;
					usleep((useconds_t)(300000 + (seed >> 33) % 700000));
				}
				int64_t co = 0;
				double t0 = now_ms();
				/* a person of its own for each booking */
				enum br_status res = whole_booking(s, booking_refs[(k * per_child + i) % n_booking_refs],
								   provider, &co, NULL);
				double ms = now_ms() - t0;
				if (r.n < 64)
					r.lat[r.n] = ms;
				if (ms > r.worst)
					r.worst = ms;
				if (res == BR_OK) {
					if (r.booked < 64)
						r.calloffs[r.booked] = co;
					r.booked++;
				} else if (res == BR_CONFLICT || res == BR_DENIED) {
					r.refused++;
				} else if (res == BR_BUSY) {
					r.busy++;
				} else {
					r.other++;
				}
				if (r.n < 64)
					r.n++;
			}
			session_close(&s);
			ssize_t w = write(fds[k][1], &r, sizeof r);
			(void)w;
			_exit(0);
		}
		close(fds[k][1]);
	}
	usleep(300 * 1000);
	FILE *f = fopen(go, "w");
	if (f)
		fclose(f);
	double t0 = now_ms();
	static double lat[KIDS * 64];
	static int64_t acked[KIDS * 64];
	int nl = 0, na = 0, booked = 0, refused = 0, busy = 0, other = 0;
	double worst = 0;
	for (int k = 0; k < KIDS; k++) {
		static struct child_result r;
		memset(&r, 0, sizeof r);
		size_t got = 0;
		while (got < sizeof r) {
			ssize_t n = read(fds[k][0], (char *)&r + got, sizeof r - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fds[k][0]);
		waitpid(pids[k], NULL, 0);
		if (got != sizeof r) {
			other++;
			continue;
		}
		for (int i = 0; i < r.n; i++)
			lat[nl++] = r.lat[i];
		for (int i = 0; i < r.booked && i < 64; i++)
			acked[na++] = r.calloffs[i];
		booked += r.booked;
		refused += r.refused;
		busy += r.busy;
		other += r.other;
		if (r.worst > worst)
			worst = r.worst;
	}
	double ms = now_ms() - t0;
	unlink(go);
	struct stats sum = summarise(lat, nl);
	/* nothing lost: every acknowledged call-off is there; nothing made
	 * that was not acknowledged; capacity never below what was taken */
	sqlite3_stmt *q = bare("SELECT count(*) FROM calloff WHERE id = ?1 AND provider_id = ?2");
	long long lost = 0;
	for (int i = 0; i < na; i++) {
		sqlite3_bind_int64(q, 1, acked[i]);
		sqlite3_bind_int64(q, 2, provider);
		if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 1)
			lost++;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM calloff WHERE provider_id = %lld), "
				  "(SELECT sum(free) FROM capacity WHERE provider_id = %lld)",
		 (long long)provider, (long long)provider);
	q = bare(sql);
	long long calloffs = 0, free_left = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		calloffs = sqlite3_column_int64(q, 0);
		free_left = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	long long taken = capacity * 4 - free_left; /* four localities, one unit a booking */
	char what[96], of[48];
	if (think) {
		snprintf(what, sizeof what, "50 processes, think 0.3-1 s: a whole booking");
		fig_ms(what, sum, NULL, 20, 0);
		printf("    (%d booked, %d refused, worst %.1f ms, in %.1f s)\n", booked, refused, worst, ms / 1000);
	} else {
		printf("  %-46s worst %.1f ms, p99 %.2f ms: %d booked of %lld free, %d refused, in %.1f s   %-14s %s\n",
		       "50 processes flat out for the last capacity", worst, sum.p99, booked, (long long)capacity * 4, refused,
		       ms / 1000, "worst < 1000 ms", verdict(worst < 1000));
	}
	snprintf(of, sizeof of, "(%d made)", booked);
	fig_zero(think ? "  busy shown" : "  busy shown (flat out)", busy, of);
	fig_zero(think ? "  overbooked" : "  overbooked (flat out)", calloffs - taken > 0 ? calloffs - taken : 0, of);
	snprintf(of, sizeof of, "(%d acknowledged, %lld on file)", na, calloffs);
	fig_zero(think ? "  acknowledged but not on file" : "  acknowledged but not on file (flat out)",
		 lost + (calloffs != booked ? llabs(calloffs - booked) : 0), of);
	if (other)
		printf("    (%d other failures)\n", other);
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
	section("Emergency respite: the core call (the screen: see Screens)");
	fig_ms("beds free tonight, nearest first", sum, NULL, 16, 0);
	printf("    (%d people, %d with a bed tonight)\n", n, found);
}

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
	printf("\nReports: the core call, the default 12 weeks, every locality and service; 9 runs each\n");
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
		row(what, summarise(core, 9), summarise(raw, 9), 500);
	}
	session_close(&s);
}

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
	const char *db = "bench/data/lcr10.db", *only = "", *binary = "./brokerage";
	double scale = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bare-frame") == 0)
			return bare_frame_main();
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (strcmp(argv[i], "--binary") == 0 && i + 1 < argc)
			binary = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: bench [--db FILE] [--scale N] [--binary PATH] [--only PARTS]\n"
					"PARTS, comma-separated: demo lists screens audit startup memory match respite "
					"reports import booking\n");
			return 64;
		}
	}
#define PART(name) (!only[0] || strstr(only, name))
	setlocale(LC_ALL, "");
	/* a line as soon as it is measured, into a pipe or a file too: a run
	 * takes minutes (the demo build alone half of one) */
	setvbuf(stdout, NULL, _IOLBF, 0);
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return 70;
	self[sl] = '\0';
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

	time_t started = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", localtime(&started));
	printf("brokerage bench, %s: %s at scale %g (DESIGN.md §7 targets are for scale 10)\n", when, db, scale);
	load_line("at the start");
	printf("Columns: p50, p99 | the bare work underneath: p50, p99, ratio of the p99s | target | verdict\n");

	if (PART("demo"))
		bench_demo_build(binary, dir, scale);

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
	} else {
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
	{
		sqlite3_stmt *q = bare("SELECT (SELECT count(*) FROM provider), (SELECT count(*) FROM service_user), "
				       "(SELECT count(*) FROM calloff), (SELECT max(id) FROM audit), "
				       "(SELECT count(DISTINCT family_fold) FROM service_user)");
		if (sqlite3_step(q) == SQLITE_ROW)
			printf("the database: %lld providers, %lld service users (%lld surnames), %lld call-offs, "
			       "%lld audit rows\n", (long long)sqlite3_column_int64(q, 0),
			       (long long)sqlite3_column_int64(q, 1), (long long)sqlite3_column_int64(q, 4),
			       (long long)sqlite3_column_int64(q, 2), (long long)sqlite3_column_int64(q, 3));
		sqlite3_finalize(q);
	}
	bool p50_only = scale > 20; /* at 30xLCR the target is every screen under 16 ms p50 */
	if (PART("lists"))
		bench_lists();
	if (PART("screens"))
		bench_screens(cfg_path, p50_only);
	if (PART("audit"))
		bench_audit_screen(cfg_path, p50_only);
	if (PART("startup"))
		bench_startup(self, binary, cfg_path);
	if (PART("memory"))
		bench_memory(self, binary, cfg_path);
	if (PART("match"))
		bench_match(cfg_path);
	if (PART("respite"))
		bench_respite(cfg_path);
	if (PART("reports"))
		bench_reports(cfg_path);
	if (PART("import"))
		bench_import(dir, cfg_path);
	store_close(&st);
	if (PART("booking")) {
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
		booking_people();
		bench_one_process(work_cfg, work);
		bench_many(work_cfg, true, 900002, 1000000, 12);
		bench_many(work_cfg, false, 900003, 100, 12);
		store_close(&st);
		static const char *const sides[] = {"", "-wal", "-shm", "-wq"};
		for (int i = 0; i < 4; i++) {
			char p[4400];
			snprintf(p, sizeof p, "%s%s", work, sides[i]);
			unlink(p);
		}
	}
	printf("\n%d met, %d missed; %.0f s in all\n", n_met, n_missed, difftime(time(NULL), started));
	load_line("at the end");
	return 0;
}
