/* ui.c — the shell: session first (refusals before curses starts), then
 * the view stack, status bar, message line and footer; the only place that
 * draws; signals that only set a flag. */
#include "ui.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "terminal.h"
#include "tui.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	int saved = errno;
	got_signal = sig;
	errno = saved;
}

static const struct keybind global_keys[] = {
	{'?', ACT_HELP, "?", true, NULL},
	{KEY_F(1), ACT_HELP, "F1", false, NULL},
	{'q', ACT_BACK, "q", true, NULL},
	{'Q', ACT_QUIT, "Q", false, NULL},
	{27, ACT_BACK, "Esc", false, NULL},
	{KEY_UP, ACT_UP, "Up", false, NULL},
	{'k', ACT_UP, "k", false, NULL},
	{KEY_DOWN, ACT_DOWN, "Down", false, NULL},
	{'j', ACT_DOWN, "j", false, NULL},
	{KEY_PPAGE, ACT_PAGE_UP, "PgUp", false, NULL},
	{KEY_NPAGE, ACT_PAGE_DOWN, "PgDn", false, NULL},
	{KEY_HOME, ACT_FIRST, "Home", false, NULL},
	{'g', ACT_FIRST, "g", false, NULL},
	{KEY_END, ACT_LAST, "End", false, NULL},
	{'G', ACT_LAST, "G", false, NULL},
	{'\n', ACT_OPEN, "Enter", false, NULL},
	{'\r', ACT_OPEN, "Enter", false, NULL},
	{KEY_ENTER, ACT_OPEN, "Enter", false, NULL},
	{'/', ACT_SEARCH, "/", false, NULL},
	{'1', ACT_GO_HOME, "1", false, NULL},
	{'2', ACT_GO_PEOPLE, "2", false, NULL},
	{'3', ACT_GO_PROVIDERS, "3", false, NULL},
	{'4', ACT_GO_APPROVALS, "4", false, NULL},
	{'5', ACT_GO_REPORTS, "5", false, NULL},
	{'6', ACT_GO_AUDIT, "6", false, NULL},
	{'!', ACT_RESPITE, "!", false, NULL},
	{12, ACT_REFRESH, "Ctrl-L", false, NULL},
	{'M', ACT_MESSAGES, "M", false, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct keybind *ui_global_keys(void)
{
	return global_keys;
}

const char *action_label(enum action a)
{
	static const char *const labels[ACT_COUNT] = {
#define X(id, label) label,
		ACTION_LIST(X)
#undef X
	};
	return (unsigned)a < ACT_COUNT ? labels[a] : "";
}

/* The capability an action needs; -1 when any role may. */
static int action_cap(enum action a)
{
	switch (a) {
	case ACT_NEW_REQUEST: case ACT_MATCH: case ACT_OFFER: case ACT_ACCEPT: case ACT_DECLINE:
	case ACT_HANDBACK: case ACT_CANCEL_CALLOFF: case ACT_EDIT_REQUEST: case ACT_CANCEL_REQUEST:
	case ACT_OVERRIDE: case ACT_WITHDRAW: case ACT_CORRECT:
		return CAP_BROKER;
	case ACT_APPROVE: case ACT_REJECT:
		return CAP_APPROVE;
	case ACT_GO_AUDIT:
		return CAP_AUDIT;
	case ACT_RESPITE:
		return CAP_RESPITE;
	case ACT_GO_REPORTS:
		return CAP_REPORTS_QUEUE;
	case ACT_NEW_PERSON: case ACT_EDIT_PERSON: case ACT_CLOSE_PERSON:
		return CAP_REFER;
	case ACT_SUSPEND: case ACT_REINSTATE: case ACT_LEAVE:
		return CAP_SUSPEND;
	case ACT_RESTRICT: case ACT_SET_CAPACITY: case ACT_SET_RATE: case ACT_ADD_AWARD: case ACT_END_AWARD:
	case ACT_ADD_REGISTRATION: case ACT_UPKEEP: case ACT_NEW_PROVIDER: case ACT_EDIT_PROVIDER:
		return CAP_ADMIN;
	default:
		return -1;
	}
}

bool ui_may(const struct ui *ui, enum action a)
{
	int cap = action_cap(a);
	return cap < 0 || session_may(ui->s, (enum br_cap)cap);
}

/* ---- the stack ----------------------------------------------------------- */

void ui_push(struct ui *ui, const struct view_ops *ops, void *state)
{
	if (ui->depth == (int)(sizeof ui->stack / sizeof ui->stack[0])) {
		ui_error(ui, "too many screens open: go back first");
		if (ops->close) {
			struct view v = {ops, state};
			ops->close(&v);
		}
		return;
	}
	ui->stack[ui->depth].ops = ops;
	ui->stack[ui->depth].state = state;
	ui->depth++;
}

void ui_pop(struct ui *ui)
{
	if (ui->depth == 0)
		return;
	struct view *v = &ui->stack[--ui->depth];
	if (v->ops->close)
		v->ops->close(v);
	v->ops = NULL;
	v->state = NULL;
	if (ui->depth > 0) {
		struct view *top = &ui->stack[ui->depth - 1];
		if (top->ops->resume)
			top->ops->resume(ui, top);
	}
}

static void vsay(struct ui *ui, bool error, const char *fmt, va_list ap)
{
	vsnprintf(ui->message, sizeof ui->message, fmt, ap);
	ui->message_is_error = error;
	if (!ui->message[0])
		return;
	int cap = (int)(sizeof ui->history / sizeof ui->history[0]);
	if (ui->n_history == cap) {
		memmove(ui->history[0], ui->history[1], sizeof ui->history[0] * (size_t)(cap - 1));
		ui->n_history--;
	}
	snprintf(ui->history[ui->n_history++], sizeof ui->history[0], "%s%s", error ? "! " : "", ui->message);
}

/* ---- the message history (M) ------------------------------------------------ */

struct messages_view {
	int skip; /* newest first; how many of the newest are scrolled past */
};

static void messages_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	struct messages_view *m = v->state;
	draw_text(top, 0, width, " Messages this session, newest first (! an error). Up/Down scroll.", A_BOLD);
	int y = top + 2;
	if (!ui->n_history)
		draw_text(y, 2, width - 4, "Nothing has been said yet.", theme(COLOUR_muted));
	for (int i = ui->n_history - 1 - m->skip; i >= 0 && y < top + height; i--) {
		const char *h = ui->history[i];
		bool error = h[0] == '!' && h[1] == ' ';
		int room = top + height - y;
		y += draw_wrapped(y, 1, width - 2, room < 4 ? room : 4, 2, h, error ? theme(COLOUR_error) : A_NORMAL);
	}
}

static enum reaction messages_act(struct ui *ui, struct view *v, enum action a)
{
	struct messages_view *m = v->state;
	switch (a) {
	case ACT_UP: case ACT_PAGE_UP: case ACT_FIRST: m->skip = 0; return R_REDRAW;
	case ACT_DOWN: if (m->skip + 1 < ui->n_history) m->skip++; return R_REDRAW;
	case ACT_PAGE_DOWN: case ACT_LAST: m->skip = ui->n_history ? ui->n_history - 1 : 0; return R_REDRAW;
	case ACT_MESSAGES: ui_pop(ui); return R_REDRAW;
	default: return R_UNHANDLED;
	}
}

static void messages_close(struct view *v)
{
	free(v->state);
}

static const struct keybind messages_keys[] = {
	{KEY_DOWN, ACT_DOWN, "Up/Down", true, "scroll"},
	{0, ACT_NONE, NULL, false, NULL},
};

static const struct view_ops view_messages = {
	.title = "Messages",
	.keys = messages_keys,
	.draw = messages_draw,
	.act = messages_act,
	.close = messages_close,
};

void ui_say(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(ui, false, fmt, ap);
	va_end(ap);
}

void ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(ui, true, fmt, ap);
	va_end(ap);
	beep();
}

void ui_working(struct ui *ui)
{
	/* drawn and sent to the terminal now, before the query runs: the
	 * officer sees that something is happening; the next key or redraw
	 * replaces it */
	if (ui->cols < UI_MIN_COLS || ui->lines < UI_MIN_LINES)
		return;
	draw_fill(ui->lines - 2, 0, ui->cols, A_NORMAL);
	draw_text(ui->lines - 2, 0, ui->cols, "working\xe2\x80\xa6", theme(COLOUR_warning) | A_BOLD);
	refresh();
}

void ui_status(struct ui *ui, enum br_status st, char **why)
{
	if (st == BR_OK)
		return;
	ui_error(ui, "%s", why && *why ? *why : br_status_text(st));
	br_free_str(why);
}

void ui_goto(struct ui *ui, enum action where)
{
	if (where == ACT_RESPITE) {
		/* over whatever screen is open: Esc comes back to it */
		respite_show(ui);
		return;
	}
	while (ui->depth > 1)
		ui_pop(ui);
	switch (where) {
	case ACT_GO_HOME:
		break;
	case ACT_GO_PEOPLE: {
		void *st = people_new(ui);
		if (st)
			ui_push(ui, &view_people, st);
		break;
	}
	case ACT_GO_PROVIDERS: {
		void *st = providers_new(ui);
		if (st)
			ui_push(ui, &view_providers, st);
		break;
	}
	case ACT_GO_APPROVALS: {
		void *st = approvals_new(ui);
		if (st)
			ui_push(ui, &view_approvals, st);
		break;
	}
	case ACT_GO_AUDIT: {
		void *st = audit_view_new(ui);
		if (st)
			ui_push(ui, &view_audit, st);
		break;
	}
	case ACT_GO_REPORTS: {
		void *st = reports_new(ui);
		if (st)
			ui_push(ui, &view_reports, st);
		break;
	}
	default:
		break;
	}
}

/* ---- drawing the frame ----------------------------------------------------- */

static void draw_status(struct ui *ui, const struct view *top)
{
	char left[160], right[200], when[40];
	const char *db = strrchr(ui->s->cfg.database, '/');
	db = db ? db + 1 : ui->s->cfg.database;
	time_t t = clock_now();
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(when, sizeof when, "%a %d %b %H:%M", &tm))
		when[0] = '\0';
	snprintf(left, sizeof left, " brokerage | %s", top ? top->ops->title : "");
	char dbname[64];
	text_copy(dbname, sizeof dbname, db);
	if (strcmp(ui->s->user.login, ui->s->user.role) == 0)
		snprintf(right, sizeof right, "%s%s | %s | %s ", ui->s->user.login,
			 ui->s->demo ? " DEMO" : "", dbname, when);
	else
		snprintf(right, sizeof right, "%s (%s)%s | %s | %s ", ui->s->user.login, ui->s->user.role,
			 ui->s->demo ? " DEMO" : "", dbname, when);
	attr_t a = theme(COLOUR_status);
	draw_fill(0, 0, ui->cols, a);
	int rw = text_width(right);
	draw_text(0, 0, ui->cols - rw, left, a | A_BOLD);
	draw_text(0, ui->cols - rw, rw, right, a);
}

static enum action lookup(const struct keybind *keys, int key);

static const struct keybind *keys_of(const struct view *v)
{
	return v ? v->ops->keys : NULL;
}

static void footer_add(char *buf, size_t n, const char *key, const char *label)
{
	size_t len = strlen(buf);
	snprintf(buf + len, n - len, "%s%s %s", len ? "  " : " ", key, label);
}

static void draw_footer(struct ui *ui, const struct view *top)
{
	/* the screen's keys, as many as fit whole, then always ? and q: a
	 * footer is never cut in the middle of a word (the help has them all) */
	char buf[512] = "", tail[64] = "";
	bool editing = top && top->ops->editing && top->ops->editing(top);
	/* on call, respite is the job: ! is on every screen's footer */
	bool oncall = !editing && strcmp(ui->s->user.role, "oncall") == 0 && ui_may(ui, ACT_RESPITE) &&
		      lookup(keys_of(top), '!') == ACT_NONE;
	if (oncall)
		footer_add(tail, sizeof tail, "!", "respite");
	if (!editing) {
		footer_add(tail, sizeof tail, "?", "help");
		footer_add(tail, sizeof tail, "q", ui->depth <= 1 ? "quit" : "back");
	}
	int room = ui->cols - (editing ? 0 : text_width("  ? more keys  q back") + (oncall ? 11 : 0)) - 1;
	const struct keybind *keys = editing ? top->ops->edit_keys : top ? top->ops->keys : NULL;
	bool dropped = false;
	for (const struct keybind *k = keys; k && k->keyname; k++) {
		if (!k->footer || (!editing && !ui_may(ui, k->act)))
			continue;
		char item[128] = "";
		footer_add(item, sizeof item, k->keyname, k->label ? k->label : action_label(k->act));
		if (text_width(buf) + text_width(item) + 2 > room) {
			dropped = true;
			continue;
		}
		footer_add(buf, sizeof buf, k->keyname, k->label ? k->label : action_label(k->act));
	}
	if (dropped && !editing)
		snprintf(tail, sizeof tail, "%s  ? more keys  q %s", oncall ? "  ! respite" : "",
			 ui->depth <= 1 ? "quit" : "back");
	size_t len = strlen(buf);
	if (tail[0] && tail[0] == ' ' && tail[1] == ' ' && !len)
		memmove(tail, tail + 1, strlen(tail)); /* one space at the start of a line */
	snprintf(buf + len, sizeof buf - len, "%s%s", len && tail[0] && tail[1] != ' ' ? " " : "", tail);
	draw_text(ui->lines - 1, 0, ui->cols, buf, theme(COLOUR_footer));
}

static void draw_message(struct ui *ui)
{
	attr_t a = ui->message_is_error ? theme(COLOUR_error) : A_NORMAL;
	draw_fill(ui->lines - 2, 0, ui->cols, A_NORMAL);
	if (!ui->message[0])
		return;
	if (text_width(ui->message) <= ui->cols) {
		draw_text(ui->lines - 2, 0, ui->cols, ui->message, a);
		return;
	}
	/* a long message takes the line above too: it is read in full */
	int cut = text_break(ui->message, ui->cols);
	char first[sizeof ui->message];
	snprintf(first, sizeof first, "%.*s", cut, ui->message);
	const char *rest = ui->message + cut;
	while (*rest == ' ')
		rest++;
	draw_fill(ui->lines - 3, 0, ui->cols, a);
	draw_text(ui->lines - 3, 0, ui->cols, first, a);
	draw_fill(ui->lines - 2, 0, ui->cols, a);
	draw_text(ui->lines - 2, 0, ui->cols, rest, a);
}

static void draw_too_small(struct ui *ui)
{
	erase();
	char line[120];
	snprintf(line, sizeof line, "Make the window at least %dx%d (it is %dx%d now).", UI_MIN_COLS,
		 UI_MIN_LINES, ui->cols, ui->lines);
	int w = text_width(line);
	int y = ui->lines / 2, x = (ui->cols - w) / 2;
	if (x < 0)
		x = 0;
	draw_text(y, x, w < ui->cols ? w : ui->cols, line, A_BOLD);
	if (y + 1 < ui->lines)
		draw_text(y + 1, x, w < ui->cols ? w : ui->cols, "Nothing is lost: your screen comes back.",
			  A_NORMAL);
}

static void draw_all(struct ui *ui)
{
	getmaxyx(stdscr, ui->lines, ui->cols);
	if (ui->cols < UI_MIN_COLS || ui->lines < UI_MIN_LINES) {
		draw_too_small(ui);
		refresh();
		return;
	}
	erase();
	struct view *top = ui->depth ? &ui->stack[ui->depth - 1] : NULL;
	/* a modal view is drawn over the one beneath it */
	int first = ui->depth - 1;
	while (first > 0 && ui->stack[first].ops->modal)
		first--;
	for (int i = first; i >= 0 && i < ui->depth; i++)
		ui->stack[i].ops->draw(ui, &ui->stack[i], 1, ui->lines - 3, ui->cols);
	draw_status(ui, top && top->ops->modal && first >= 0 ? &ui->stack[first] : top);
	draw_message(ui);
	draw_footer(ui, top);
	refresh();
}

/* ---- keys -------------------------------------------------------------------- */

static enum action lookup(const struct keybind *keys, int key)
{
	for (const struct keybind *k = keys; k && k->keyname; k++)
		if (k->key == key)
			return k->act;
	return ACT_NONE;
}

static void handle_global(struct ui *ui, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		ui->quit = true;
		break;
	case ACT_BACK:
		if (ui->depth <= 1) {
			/* a stray q must not end an officer's session: ask (Q quits at once, as tig) */
			ui->confirm_quit = true;
			ui_say(ui, "Quit brokerage? y/n  (Q quits at once)");
		} else {
			ui_pop(ui);
		}
		break;
	case ACT_HELP:
		help_show(ui, &ui->stack[ui->depth - 1]);
		break;
	case ACT_REFRESH:
		clearok(curscr, TRUE);
		break;
	case ACT_MESSAGES: {
		struct messages_view *m = calloc(1, sizeof *m);
		if (m)
			ui_push(ui, &view_messages, m);
		break;
	}
	case ACT_GO_HOME:
	case ACT_GO_PEOPLE:
	case ACT_GO_PROVIDERS:
	case ACT_GO_APPROVALS:
	case ACT_GO_REPORTS:
	case ACT_GO_AUDIT:
	case ACT_RESPITE:
		ui_goto(ui, a);
		break;
	default:
		break;
	}
}

static void handle_key(struct ui *ui, wint_t ch, bool is_key)
{
	struct view *v = &ui->stack[ui->depth - 1];
	ui->message[0] = '\0';
	if (ui->confirm_quit) {
		ui->confirm_quit = false;
		if (!is_key && (ch == 'y' || ch == 'Y' || ch == 'q' || ch == 'Q'))
			ui->quit = true;
		return;
	}
	bool editing = v->ops->editing && v->ops->editing(v);
	/* F1, the F-keys and ! work everywhere, even in a text field (as in
	 * htop and mutt): nothing an officer needs at once is eaten as text */
	bool anywhere = (is_key && ch >= KEY_F(1) && ch <= KEY_F(12)) || (!is_key && ch == '!');
	if (editing && v->ops->text && !anywhere) {
		if (v->ops->text(ui, v, ch, is_key) != R_UNHANDLED)
			return;
	}
	int key = (int)ch;
	enum action a = lookup(v->ops->keys, key);
	if (a == ACT_NONE)
		a = lookup(global_keys, key);
	if (a == ACT_NONE) {
		if (!is_key && v->ops->text && v->ops->text(ui, v, ch, is_key) != R_UNHANDLED)
			return;
		return;
	}
	if (!ui_may(ui, a)) {
		ui_error(ui, "%s is not for role %s.", action_label(a), ui->s->user.role);
		return;
	}
	/* outside a text field the digits and ! go anywhere */
	if (editing && anywhere) {
		handle_global(ui, a);
		return;
	}
	if (v->ops->act && v->ops->act(ui, v, a) != R_UNHANDLED)
		return;
	handle_global(ui, a);
}

/* ---- entry --------------------------------------------------------------------- */

static bool input_gone(void)
{
	struct pollfd p = {STDIN_FILENO, POLLIN, 0};
	if (poll(&p, 1, 0) != 1)
		return false;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	/* readable with nothing waiting (curses has just timed out): end of
	 * file on a pipe or a file; a key that came since is not */
	int pending = 0;
	return !(ioctl(STDIN_FILENO, FIONREAD, &pending) == 0 && pending > 0);
}

void ui_start(struct ui *ui, struct session *s)
{
	memset(ui, 0, sizeof *ui);
	ui->s = s;
	getmaxyx(stdscr, ui->lines, ui->cols);
	theme_init(ui, &s->cfg);
	void *home = home_new(ui);
	if (home)
		ui_push(ui, &view_home, home);
	else
		ui->quit = true;
	if (s->demo_identity && !ui->message[0])
		ui_say(ui, "Demo database: signed in as %s for this session.", s->user.login);
}

void ui_key(struct ui *ui, wint_t ch, bool is_key) { handle_key(ui, ch, is_key); }
void ui_frame(struct ui *ui) { draw_all(ui); }

int ui_main(const struct cli_globals *g)
{
	char *why = NULL;
	struct session *s = NULL;
	setlocale(LC_ALL, "");
	/* the terminal first: a TERM that names none is our one line, exit 78
	 * (the caller's environment is misconfigured; no option is wrong), and
	 * no session is opened for a screen that cannot start */
	char term_why[200];
	if (!terminal_usable(term_why, sizeof term_why)) {
		cli_error("brokerage: %s\n", term_why);
		return 78;
	}
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK) {
		cli_error("brokerage: %s\n", why ? why : br_status_text(st));
		free(why);
		return br_status_exit(st);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL); /* Ctrl-\: leave as for Ctrl-C, the terminal restored (issue 27, finding 5) */
	signal(SIGPIPE, SIG_IGN);

	/* newterm, not initscr: on a failure it returns NULL where initscr
	 * prints ncurses's own message and exits */
	SCREEN *screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		cli_error("brokerage: cannot start the screens on this terminal (TERM=\"%s\")\n", getenv("TERM"));
		session_close(&s);
		return 78;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(500);

	struct ui ui;
	ui_start(&ui, s);

	bool dirty = true;
	time_t last_minute = clock_now() / 60;
	while (!ui.quit && !got_signal) {
		if (dirty)
			draw_all(&ui);
		dirty = false;
		wint_t ch;
		int r = get_wch(&ch);
		if (got_signal)
			break;
		if (r == ERR) {
			/* no key: a timeout, or input that has ended (stdin closed,
			 * the link gone without a SIGHUP): leave as on a hang-up
			 * rather than spin on end-of-file */
			if (input_gone()) {
				got_signal = SIGHUP;
				break;
			}
			session_idle(ui.s);
			if (clock_now() / 60 != last_minute) {
				last_minute = clock_now() / 60;
				dirty = true;
			}
			continue;
		}
		dirty = true;
		if (r == KEY_CODE_YES && ch == KEY_RESIZE)
			continue;
		if (ui.cols < UI_MIN_COLS || ui.lines < UI_MIN_LINES) {
			if (ch == 'q' && ui.depth <= 1)
				ui.quit = true;
			continue;
		}
		handle_key(&ui, ch, r == KEY_CODE_YES);
	}
	while (ui.depth)
		ui_pop(&ui);
	endwin();
	delscreen(screen);
	session_close(&s);
	/* SIGHUP (the SSH link dropped), SIGTERM, Ctrl-C, Ctrl-\: nothing half-written,
	 * because no transaction is ever open while waiting for a key. */
	return got_signal ? 128 + (int)got_signal : 0;
}
