/* view_reports.c — the Reports screen (key 5): the reports this role may
 * read on the left, the chosen one on the right as a horizontal bar chart
 * and its tables. Every figure comes from core/report.c (the same function
 * as `brokerage report`); this file only lays it out. A report that takes
 * longer than 100 ms says "working…" and Esc abandons it. */
#include <langinfo.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui.h"

enum range { RANGE_WEEK, RANGE_12W, RANGE_YEAR, RANGE_CUSTOM };

struct reports {
	struct ui *ui;
	int allowed[REPORT_COUNT];
	int nallowed, sel;
	enum range range;
	struct report_params p;
	struct report *r;
	int scroll, pane_height;
	bool more_below;
};

#define LIST_WIDTH 14

/* ---- running a report, with "working…" and Esc -------------------------- */

struct running {
	struct ui *ui;
	struct timespec start, last_poll;
	bool shown, abandoned;
};

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

static bool still_wanted(void *ctx)
{
	struct running *w = ctx;
	if (!w->shown) {
		if (ms_since(&w->start) < 100)
			return false;
		/* the one place a screen draws outside the main loop: the
		 * loop is waiting for this report */
		draw_text(w->ui->lines - 2, 0, w->ui->cols, "working… (Esc abandons the report)", A_BOLD);
		refresh();
		w->shown = true;
		clock_gettime(CLOCK_MONOTONIC, &w->last_poll);
	}
	if (ms_since(&w->last_poll) < 20)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &w->last_poll);
	timeout(0);
	int ch;
	bool esc = false;
	while ((ch = getch()) != ERR) {
		if (ch == 27)
			esc = true; /* other keys are dropped; a resize is laid out after */
	}
	timeout(500);
	if (esc)
		w->abandoned = true;
	return esc;
}

static void rerun(struct reports *v)
{
	report_free(&v->r);
	v->scroll = 0;
	if (v->nallowed == 0)
		return;
	struct running w = {.ui = v->ui};
	clock_gettime(CLOCK_MONOTONIC, &w.start);
	struct report_params p = v->p;
	p.progress = still_wanted;
	p.ctx = &w;
	char *why = NULL;
	enum br_status st = report_run(v->ui->s, v->allowed[v->sel], &p, &v->r, &why);
	if (w.abandoned) {
		free(why);
		ui_say(v->ui, "Report %s abandoned.", report_code(v->allowed[v->sel]));
		return;
	}
	ui_status(v->ui, st, &why);
}

static void set_range(struct reports *v, enum range r)
{
	v->range = r;
	v->p.to = clock_today();
	v->p.from = r == RANGE_WEEK ? v->p.to - 6 : r == RANGE_YEAR ? v->p.to - 364 : v->p.to - 83;
}

void *reports_new(struct ui *ui)
{
	struct reports *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->ui = ui;
	for (int i = 0; i < REPORT_COUNT; i++)
		if (report_may(ui->s, i))
			v->allowed[v->nallowed++] = i;
	if (v->nallowed == 0) {
		free(v);
		ui_error(ui, "Reports are for supervisors, admins and viewers (officers see waiting and pickup).");
		return NULL;
	}
	report_params_default(&v->p);
	set_range(v, RANGE_12W);
	rerun(v);
	return v;
}

/* ---- drawing ---------------------------------------------------------------- */

static bool unicode_bars(void)
{
	const char *term = getenv("TERM");
	if (term && strncmp(term, "vt", 2) == 0)
		return false;
	const char *cs = nl_langinfo(CODESET);
	return cs && strcmp(cs, "UTF-8") == 0;
}

/* A bar of value v of max in width cells: eighths in Unicode, '#' in ASCII. */
static void bar_text(int64_t v, int64_t max, int width, bool uni, char *out, size_t outsz)
{
	static const char *const part[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	out[0] = '\0';
	if (v <= 0 || max <= 0 || width <= 0)
		return;
	size_t len = 0;
	if (!uni) {
		int64_t cells = (v * width + max / 2) / max;
		if (cells < 1)
			cells = 1;
		for (int64_t i = 0; i < cells && len + 2 < outsz; i++)
			out[len++] = '#';
		out[len] = '\0';
		return;
	}
	int64_t eighths = v * width * 8 / max;
	if (eighths < 1)
		eighths = 1;
	for (int64_t i = 0; i < eighths / 8 && len + 4 < outsz; i++) {
		memcpy(out + len, "█", 3);
		len += 3;
	}
	const char *p = part[eighths % 8];
	if (len + strlen(p) + 1 < outsz) {
		memcpy(out + len, p, strlen(p));
		len += strlen(p);
	}
	out[len] = '\0';
}

/* The pane as lines: what each line of the right side shows. */
enum line_kind { L_TITLE, L_SCOPE, L_NOTE, L_BLANK, L_CHART_HEAD, L_BAR, L_TABLE_TITLE, L_HEAD, L_ROW, L_NONE };
struct line {
	enum line_kind kind;
	int t, row;
};

static int pane_lines(const struct report *r, struct line *out, int max)
{
	int n = 0;
#define ADD(k, tt, rr)                                              \
	do {                                                        \
		if (n < max)                                        \
			out[n++] = (struct line){(k), (tt), (rr)}; \
	} while (0)
	ADD(L_TITLE, 0, 0);
	ADD(L_SCOPE, 0, 0);
	if (r->note[0])
		ADD(L_NOTE, 0, 0);
	int ct = report_chart_table(r);
	if (ct >= 0) {
		ADD(L_BLANK, 0, 0);
		ADD(L_CHART_HEAD, ct, 0);
		for (int i = 0; i < r->t[ct].nrows; i++)
			ADD(L_BAR, ct, i);
		if (r->t[ct].nrows == 0)
			ADD(L_NONE, ct, 0);
	}
	for (int t = 0; t < r->ntables; t++) {
		ADD(L_BLANK, 0, 0);
		ADD(L_TABLE_TITLE, t, 0);
		ADD(L_HEAD, t, 0);
		for (int i = 0; i < r->t[t].nrows; i++)
			ADD(L_ROW, t, i);
		if (r->t[t].nrows == 0)
			ADD(L_NONE, t, 0);
	}
#undef ADD
	return n;
}

/* Column widths for a table in the pane: as wide as the widest cell (text
 * at most 28), and only as many columns as fit: wider terminals show more. */
static int table_layout(const struct report_table *t, int width, int *w)
{
	int used = 0, shown = 0;
	for (int c = 0; c < t->ncols; c++) {
		char buf[128];
		int cw = text_width(t->cols[c].title);
		for (int i = 0; i < t->nrows; i++) {
			report_cell_text(t, i, c, true, buf, sizeof buf);
			int bw = text_width(buf);
			if (bw > cw)
				cw = bw;
		}
		if (t->cols[c].kind == RK_TEXT && cw > 28)
			cw = 28;
		int need = cw + (c ? 2 : 0);
		if (c > 0 && used + need > width) {
			/* a last text column may take what is left */
			if (t->cols[c].kind == RK_TEXT && width - used - 2 >= 8) {
				w[c] = width - used - 2;
				shown = c + 1;
			}
			break;
		}
		w[c] = cw;
		used += need;
		shown = c + 1;
	}
	return shown;
}

static void draw_cells(int y, int x, const struct report_table *t, int row, const int *w, int shown,
		       bool head, attr_t attr)
{
	for (int c = 0; c < shown; c++) {
		char buf[160];
		if (head)
			text_copy(buf, sizeof buf, t->cols[c].title);
		else
			report_cell_text(t, row, c, true, buf, sizeof buf);
		bool right = t->cols[c].kind != RK_TEXT && t->cols[c].kind != RK_DATE;
		int bw = text_width(buf);
		int pad = right && bw < w[c] ? w[c] - bw : 0;
		draw_text(y, x + pad, w[c] - pad, buf, attr);
		x += w[c] + 2;
	}
}

static attr_t bar_attr(const struct report *r, const struct report_table *t, int row)
{
	char label[96];
	report_row_label(t, row, label, sizeof label);
	if (r->which == REPORT_TIERS) {
		attr_t a = theme_tier(label);
		if (a != A_NORMAL)
			return a;
		if (strcmp(label, "spot") == 0 || strcmp(label, "emergency") == 0)
			return theme(COLOUR_warning);
	}
	if (strncmp(label, "the other ", 10) == 0 || label[0] == '(')
		return theme(COLOUR_muted);
	return theme(COLOUR_chart);
}

static void draw_bar_line(int y, int x, int width, const struct report *r, const struct report_table *t, int row,
			  int label_w, int value_w, int64_t max, bool uni)
{
	char label[96], value[48], bar[512];
	report_row_label(t, row, label, sizeof label);
	report_cell_text(t, row, t->chart_col, true, value, sizeof value);
	draw_text(y, x, label_w, label, A_NORMAL);
	int bar_w = width - label_w - value_w - 2;
	bar_text(report_cell_value(t, row, t->chart_col), max, bar_w, uni, bar, sizeof bar);
	int vw = text_width(value);
	draw_text(y, x + label_w + 1, bar_w, bar, bar_attr(r, t, row));
	draw_text(y, x + width - vw, vw, value, A_NORMAL);
}

static const char *range_word(enum range r)
{
	return r == RANGE_WEEK ? "the last week" : r == RANGE_YEAR ? "the last year" : r == RANGE_CUSTOM ? "custom range" : "the last 12 weeks";
}

static void draw_pane(struct reports *v, int top, int height, int x, int width)
{
	const struct report *r = v->r;
	if (!r) {
		draw_text(top, x, width, "No report shown: Enter runs it again.", theme(COLOUR_muted));
		return;
	}
	struct line lines[600];
	int n = pane_lines(r, lines, 600);
	if (v->scroll > n - height)
		v->scroll = n - height;
	if (v->scroll < 0)
		v->scroll = 0;
	bool uni = unicode_bars();
	/* the chart's layout: labels as wide as the widest (at most 24) */
	int ct = report_chart_table(r), label_w = 4, value_w = 4;
	int64_t max = 0;
	if (ct >= 0) {
		const struct report_table *t = &r->t[ct];
		for (int i = 0; i < t->nrows; i++) {
			char buf[96];
			report_row_label(t, i, buf, sizeof buf);
			if (text_width(buf) > label_w)
				label_w = text_width(buf);
			report_cell_text(t, i, t->chart_col, true, buf, sizeof buf);
			if (text_width(buf) > value_w)
				value_w = text_width(buf);
			if (report_cell_value(t, i, t->chart_col) > max)
				max = report_cell_value(t, i, t->chart_col);
		}
		if (label_w > 24)
			label_w = 24;
		if (label_w > width / 3)
			label_w = width / 3;
	}
	for (int y = 0; y < height && v->scroll + y < n; y++) {
		const struct line *l = &lines[v->scroll + y];
		int sy = top + y;
		const struct report_table *t = &r->t[l->t];
		char buf[300];
		switch (l->kind) {
		case L_TITLE:
			snprintf(buf, sizeof buf, "%s (%s)", report_title(r->which), report_code(r->which));
			draw_text(sy, x, width, buf, theme(COLOUR_heading) | A_BOLD);
			break;
		case L_SCOPE: {
			char scope[200];
			report_scope_text(v->ui->s, r, scope, sizeof scope);
			draw_text(sy, x, width, scope, A_NORMAL);
			break;
		}
		case L_NOTE:
			draw_text(sy, x, width, r->note, theme(COLOUR_muted));
			break;
		case L_BLANK:
			break;
		case L_CHART_HEAD:
			snprintf(buf, sizeof buf, "%s: %s", t->title, t->cols[t->chart_col].title);
			draw_text(sy, x, width, buf, theme(COLOUR_heading));
			break;
		case L_BAR:
			draw_bar_line(sy, x, width, r, t, l->row, label_w, value_w, max, uni);
			break;
		case L_TABLE_TITLE:
			draw_text(sy, x, width, t->title, theme(COLOUR_heading));
			break;
		case L_HEAD:
		case L_ROW: {
			int w[REPORT_MAX_COLS];
			int shown = table_layout(t, width, w);
			draw_cells(sy, x, t, l->row, w, shown, l->kind == L_HEAD,
				   l->kind == L_HEAD ? A_UNDERLINE : A_NORMAL);
			break;
		}
		case L_NONE:
			draw_text(sy, x, width, "(none)", theme(COLOUR_muted));
			break;
		}
	}
	v->more_below = v->scroll + height < n;
}

static void draw(struct ui *ui, struct view *vw, int top, int height, int width)
{
	struct reports *v = vw->state;
	char line[200];
	int li = v->p.locality[0] ? config_locality(&ui->s->cfg, v->p.locality) : -1;
	int sv = v->p.service[0] ? service_find(v->p.service) : -1;
	snprintf(line, sizeof line, " Range: %s  Locality: %s  Service: %s", range_word(v->range),
		 li >= 0 ? ui->s->cfg.localities[li].name : "all", sv >= 0 ? service_name(sv) : "all");
	draw_text(top, 0, width, line, A_NORMAL);
	for (int i = 0; i < v->nallowed && i < height - 1; i++) {
		snprintf(line, sizeof line, "%s%s", i == v->sel ? ">" : " ", report_code(v->allowed[i]));
		draw_text(top + 1 + i, 0, LIST_WIDTH, line, i == v->sel ? theme(COLOUR_selection) : A_NORMAL);
	}
	const char *rule = unicode_bars() ? "│" : "|";
	for (int y = top + 1; y < top + height; y++)
		draw_text(y, LIST_WIDTH, 1, rule, theme(COLOUR_muted));
	v->pane_height = height - 1;
	draw_pane(v, top + 1, height - 1, LIST_WIDTH + 2, width - LIST_WIDTH - 2);
	const char *more = v->more_below ? (v->scroll ? "PgUp PgDn: more " : "PgDn: more below ")
					 : v->scroll ? "PgUp: more above " : "";
	int mw = text_width(more);
	if (mw && width - mw > text_width(line))
		draw_text(top, width - mw, mw, more, theme(COLOUR_muted));
}

/* ---- keys ---------------------------------------------------------------- */

static void set_locality(struct ui *ui, void *ctx, int i)
{
	struct reports *v = ctx;
	text_copy(v->p.locality, sizeof v->p.locality, i < 0 ? "" : ui->s->cfg.localities[i].code);
	rerun(v);
}

static void set_service(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct reports *v = ctx;
	text_copy(v->p.service, sizeof v->p.service, i < 0 ? "" : service_code(i));
	rerun(v);
}

static void set_custom(struct ui *ui, void *ctx, const char *text)
{
	struct reports *v = ctx;
	char a[16] = "", b[16] = "";
	int64_t from, to;
	char *why = NULL;
	if (sscanf(text, "%15s %15s", a, b) != 2 || date_parse(a, &from, NULL) != BR_OK ||
	    date_parse(b, &to, NULL) != BR_OK) {
		ui_error(ui, "Give two dates: from and to, as YYYY-MM-DD YYYY-MM-DD.");
		return;
	}
	if (from > to) {
		ui_error(ui, "The range runs backwards: the first date is after the second.");
		return;
	}
	free(why);
	v->range = RANGE_CUSTOM;
	v->p.from = from;
	v->p.to = to;
	rerun(v);
}

static void write_csv(struct ui *ui, struct reports *v)
{
	if (!v->r) {
		ui_error(ui, "No report shown to write.");
		return;
	}
	const struct passwd *pw = getpwuid(getuid());
	if (!pw || !pw->pw_dir || !pw->pw_dir[0]) {
		ui_error(ui, "Your login has no home folder to write the report to.");
		return;
	}
	char stamp[32], path[600];
	time_t t = clock_now();
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm))
		text_copy(stamp, sizeof stamp, "report");
	snprintf(path, sizeof path, "%s/brokerage-%s-%s.csv", pw->pw_dir, report_code(v->r->which), stamp);
	char *why = NULL;
	enum br_status st = report_to_file(ui->s, v->r, path, &why);
	if (st == BR_OK)
		ui_say(ui, "Wrote %s", path);
	else
		ui_status(ui, st, &why);
}

static enum reaction act(struct ui *ui, struct view *vw, enum action a)
{
	struct reports *v = vw->state;
	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_FIRST:
	case ACT_LAST: {
		int was = v->sel;
		if (a == ACT_UP && v->sel > 0)
			v->sel--;
		else if (a == ACT_DOWN && v->sel + 1 < v->nallowed)
			v->sel++;
		else if (a == ACT_FIRST)
			v->sel = 0;
		else if (a == ACT_LAST)
			v->sel = v->nallowed - 1;
		if (v->sel != was)
			rerun(v);
		return R_REDRAW;
	}
	case ACT_PAGE_DOWN:
		v->scroll += v->pane_height > 2 ? v->pane_height - 2 : 1;
		return R_REDRAW;
	case ACT_PAGE_UP:
		v->scroll -= v->pane_height > 2 ? v->pane_height - 2 : 1;
		if (v->scroll < 0)
			v->scroll = 0;
		return R_REDRAW;
	case ACT_SCROLL_DOWN:
		v->scroll++;
		return R_REDRAW;
	case ACT_SCROLL_UP:
		if (v->scroll > 0)
			v->scroll--;
		return R_REDRAW;
	case ACT_OPEN:
		rerun(v);
		return R_REDRAW;
	case ACT_RANGE_WEEK:
	case ACT_RANGE_12W:
	case ACT_RANGE_YEAR:
		set_range(v, a == ACT_RANGE_WEEK ? RANGE_WEEK : a == ACT_RANGE_YEAR ? RANGE_YEAR : RANGE_12W);
		rerun(v);
		return R_REDRAW;
	case ACT_RANGE_CUSTOM:
		prompt_open(ui, "Date range", "From and to (YYYY-MM-DD YYYY-MM-DD):", set_custom, v);
		return R_REDRAW;
	case ACT_FILTER_LOCALITY: {
		struct picker_option opts[BR_MAX_LOCALITIES];
		picker_open(ui, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES), true,
			    set_locality, v);
		return R_REDRAW;
	}
	case ACT_FILTER_SERVICE: {
		struct picker_option opts[SERVICE_COUNT];
		picker_open(ui, "Service", opts, options_services(opts, SERVICE_COUNT), true, set_service, v);
		return R_REDRAW;
	}
	case ACT_CLEAR:
		v->p.locality[0] = v->p.service[0] = '\0';
		set_range(v, RANGE_12W);
		rerun(v);
		return R_REDRAW;
	case ACT_EXPORT_CSV:
		write_csv(ui, v);
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

static void close_view(struct view *vw)
{
	struct reports *v = vw->state;
	report_free(&v->r);
	free(v);
}

static const struct keybind keys[] = {
	{'w', ACT_RANGE_WEEK, "w", true, NULL},
	{'t', ACT_RANGE_12W, "t", true, "12 wks"},
	{'y', ACT_RANGE_YEAR, "y", true, NULL},
	{'d', ACT_RANGE_CUSTOM, "d", true, NULL},
	{'l', ACT_FILTER_LOCALITY, "l", true, NULL},
	{'s', ACT_FILTER_SERVICE, "s", true, NULL},
	{'c', ACT_CLEAR, "c", false, "clear filters, 12 weeks"},
	{'x', ACT_EXPORT_CSV, "x", true, "CSV"},
	{'J', ACT_SCROLL_DOWN, "J", false, NULL},
	{'K', ACT_SCROLL_UP, "K", false, NULL},
	{'\r', ACT_OPEN, "Enter", false, "run again"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_reports = {
	.title = "Reports",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
};
