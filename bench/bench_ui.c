/* bench_ui.c — the real program's face: the screens key by key in this
 * process, start-up to the first frame on a pty, the memory of UI sessions,
 * `check` and brokerage-demo's `init --demo` (each a process that inherits
 * nothing). */
#include "bench.h"

#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "tui.h"

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

void bench_screens(const char *cfg_path, bool judge_p50)
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
void bench_audit_screen(const char *cfg_path, bool judge_p50)
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
int bare_frame_main(void)
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

void bench_startup(const char *self, const char *binary, const char *cfg_path)
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
	double mb = vm_hwm_mb(pid);
	kill(pid, SIGHUP);
	for (int i = 0; i < 50; i++) {
		struct pollfd p = {master, POLLIN, 0};
		if (poll(&p, 1, 20) <= 0 || read(master, buf, sizeof buf) <= 0)
			break;
	}
	close(master);
	waitpid(pid, NULL, 0);
	return mb;
}

void bench_memory(const char *self, const char *binary, const char *cfg_path)
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
void bench_demo_build(const char *binary, const char *dir, double scale)
{
	section("Demo database: brokerage-demo init --demo (a new process, into an empty folder)");
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
