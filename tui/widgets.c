/* widgets.c — the list, the text field, the picker and the prompt. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui.h"

/* ---- hooks views share ------------------------------------------------------- */

bool view_every_key(const struct view *v)
{
	(void)v;
	return true;
}

void view_free_state(struct view *v)
{
	free(v->state);
	v->state = NULL;
}

/* ---- the list ------------------------------------------------------------ */

#define LIST_CAP 240
#define LIST_PAGE 60

void list_init(struct list *l, size_t row_size, size_t key_offset, list_fetch_fn fetch, void *ctx,
	       const struct column *cols, int n_cols, const char *empty)
{
	memset(l, 0, sizeof *l);
	l->size = row_size;
	l->key_offset = key_offset;
	l->cap = LIST_CAP;
	l->page = LIST_PAGE;
	l->rows = calloc((size_t)l->cap, row_size);
	l->fetch = fetch;
	l->ctx = ctx;
	l->cols = cols;
	l->n_cols = n_cols;
	l->empty = empty;
}

void list_set_page(struct list *l, int page)
{
	free(l->rows);
	l->page = page;
	l->cap = page * (LIST_CAP / LIST_PAGE);
	l->rows = calloc((size_t)l->cap, l->size);
	l->n = l->sel = l->top = 0;
}

void list_free(struct list *l)
{
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
}

static void *row_at(const struct list *l, int i)
{
	return l->rows + (size_t)i * l->size;
}

static const struct list_cursor *key_at(const struct list *l, int i)
{
	return (const struct list_cursor *)((const char *)row_at(l, i) + l->key_offset);
}

const void *list_row(const struct list *l, int i)
{
	return i >= 0 && i < l->n ? row_at(l, i) : NULL;
}

const void *list_selected(const struct list *l)
{
	return l->n > 0 && l->sel >= 0 && l->sel < l->n ? row_at(l, l->sel) : NULL;
}

enum br_status list_reload(struct list *l, char **why)
{
	if (!l->rows)
		return br_fail(why, BR_NOMEM, "out of memory");
	int n = 0;
	enum br_status st = l->fetch(l->ctx, NULL, LIST_FORWARD, l->rows, l->page, &n, why);
	l->n = st == BR_OK ? n : 0;
	l->sel = 0;
	l->top = 0;
	l->more_after = n == l->page;
	l->more_before = false;
	return st;
}

/* Load rows after the last one; drop from the front when full. */
static enum br_status fetch_after(struct list *l, char **why)
{
	if (!l->more_after || l->n == 0)
		return BR_OK;
	if (l->n + l->page > l->cap) {
		int drop = l->n + l->page - l->cap;
		memmove(l->rows, row_at(l, drop), (size_t)(l->n - drop) * l->size);
		l->n -= drop;
		l->sel -= drop;
		l->top -= drop;
		if (l->top < 0)
			l->top = 0;
		l->more_before = true;
	}
	struct list_cursor at = *key_at(l, l->n - 1);
	int n = 0;
	enum br_status st = l->fetch(l->ctx, &at, LIST_FORWARD, row_at(l, l->n), l->page, &n, why);
	if (st != BR_OK)
		return st;
	l->n += n;
	l->more_after = n == l->page;
	return BR_OK;
}

/* Load rows before the first one; drop from the back when full. */
static enum br_status fetch_before(struct list *l, char **why)
{
	if (!l->more_before || l->n == 0)
		return BR_OK;
	struct list_cursor at = *key_at(l, 0);
	char *page = calloc((size_t)l->page, l->size);
	if (!page)
		return br_fail(why, BR_NOMEM, "out of memory");
	int n = 0;
	enum br_status st = l->fetch(l->ctx, &at, LIST_BACKWARD, page, l->page, &n, why);
	if (st != BR_OK) {
		free(page);
		return st;
	}
	if (l->n + n > l->cap) {
		l->n = l->cap - n;
		l->more_after = true;
	}
	memmove(row_at(l, n), l->rows, (size_t)l->n * l->size);
	memcpy(l->rows, page, (size_t)n * l->size);
	free(page);
	l->n += n;
	l->sel += n;
	l->top += n;
	l->more_before = n == l->page;
	return BR_OK;
}

static enum br_status list_last(struct list *l, char **why)
{
	int n = 0;
	enum br_status st = l->fetch(l->ctx, NULL, LIST_BACKWARD, l->rows, l->page, &n, why);
	if (st != BR_OK)
		return st;
	l->n = n;
	l->sel = n - 1;
	l->top = 0; /* list_draw scrolls just enough: the last page stays full */
	l->more_after = false;
	l->more_before = n == l->page;
	return BR_OK;
}

static enum br_status move_to(struct list *l, int target, char **why)
{
	enum br_status st = BR_OK;
	while (target >= l->n && l->more_after && st == BR_OK) {
		int before = l->sel;
		st = fetch_after(l, why);
		target -= before - l->sel; /* rows dropped from the front shift indices */
	}
	while (target < 0 && l->more_before && st == BR_OK) {
		int before = l->sel;
		st = fetch_before(l, why);
		target += l->sel - before;
	}
	if (target >= l->n)
		target = l->n - 1;
	if (target < 0)
		target = 0;
	l->sel = target;
	return st;
}

enum reaction list_act(struct list *l, enum action a, int height, struct ui *ui)
{
	char *why = NULL;
	enum br_status st = BR_OK;
	int page = height > 2 ? height - 1 : 1;
	switch (a) {
	case ACT_UP: st = move_to(l, l->sel - 1, &why); break;
	case ACT_DOWN: st = move_to(l, l->sel + 1, &why); break;
	case ACT_PAGE_UP: st = move_to(l, l->sel - page, &why); break;
	case ACT_PAGE_DOWN: st = move_to(l, l->sel + page, &why); break;
	case ACT_FIRST: st = list_reload(l, &why); break;
	case ACT_LAST: st = list_last(l, &why); break;
	default: return R_UNHANDLED;
	}
	ui_status(ui, st, &why);
	return R_REDRAW;
}

void columns_fit(const struct column *cols, int n_cols, int width, int widths[])
{
	/* which columns fit: by priority, then the flexible one takes the rest */
	bool shown[16] = {false};
	int used = 1, flex = -1;
	for (int pri = 0; pri < 10; pri++)
		for (int c = 0; c < n_cols && c < 16; c++) {
			if (cols[c].priority != pri || shown[c])
				continue;
			int need = cols[c].width + 1;
			if (used + need <= width) {
				shown[c] = true;
				used += need;
				if (cols[c].flex)
					flex = c;
			}
		}
	int spare = width - used;
	/* spare width goes to the columns that asked for it, by their shares */
	int shares = 0;
	for (int c = 0; c < n_cols && c < 16; c++)
		if (shown[c])
			shares += cols[c].grow ? cols[c].grow : cols[c].flex;
	int given = 0, last_grow = -1;
	for (int c = 0; c < n_cols && c < 16; c++) {
		widths[c] = shown[c] ? cols[c].width : 0;
		int share = !shown[c] ? 0 : cols[c].grow ? cols[c].grow : cols[c].flex;
		if (share && shares && spare > 0) {
			int add = spare * share / shares;
			widths[c] += add;
			given += add;
			last_grow = c;
		}
	}
	if (last_grow >= 0)
		widths[last_grow] += spare - given;
	if (flex < 0 && last_grow < 0 && spare > 0) {
		for (int c = n_cols - 1; c >= 0; c--)
			if (shown[c]) {
				widths[c] += spare;
				break;
			}
	}
}

void columns_heading(const struct column *cols, int n_cols, const int widths[], int y, int width)
{
	int x = 1;
	draw_fill(y, 0, width, theme(COLOUR_heading));
	for (int c = 0; c < n_cols && c < 16; c++) {
		if (!widths[c])
			continue;
		draw_text(y, x, widths[c], cols[c].title, theme(COLOUR_heading));
		x += widths[c] + 1;
	}
}

void columns_row(const struct column *cols, int n_cols, const int widths[], const void *row, int y, int width,
		 bool sel, attr_t base)
{
	draw_fill(y, 0, width, base);
	/* a marker as well as the colour, for monochrome terminals and tests */
	draw_text(y, 0, 1, sel ? ">" : " ", base | (sel ? A_BOLD : 0));
	int x = 1;
	for (int c = 0; c < n_cols && c < 16; c++) {
		if (!widths[c])
			continue;
		char cell[512] = "";
		cols[c].cell(row, cell, sizeof cell);
		attr_t a = base;
		if (!sel && cols[c].attr)
			a = cols[c].attr(row);
		draw_text(y, x, widths[c], cell, a);
		x += widths[c] + 1;
	}
}

void list_draw(struct list *l, int top, int height, int width)
{
	int widths[16];
	columns_fit(l->cols, l->n_cols, width, widths);
	columns_heading(l->cols, l->n_cols, widths, top, width);
	int rows = height - 1;
	if (l->n == 0) {
		draw_text(top + 2, 2, width - 4, l->empty ? l->empty : "Nothing to show.", theme(COLOUR_muted));
		return;
	}
	if (l->detail && rows > 6) {
		rows -= 3;
		const void *row = list_selected(l);
		char text[600] = "";
		if (row)
			l->detail(row, text, sizeof text);
		const char *p = text;
		for (int line = 0; line < 3; line++) {
			int cut = line < 2 ? text_break(p, width - 2) : (int)strlen(p);
			char part[600];
			snprintf(part, sizeof part, "%.*s", cut, p);
			draw_text(top + 1 + rows + line, 1, width - 2, part, theme(COLOUR_heading));
			p += cut;
			while (*p == ' ')
				p++;
		}
	}
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	if (l->top < 0)
		l->top = 0;
	for (int r = 0; r < rows && l->top + r < l->n; r++) {
		int i = l->top + r;
		const void *row = row_at(l, i);
		bool sel = i == l->sel;
		attr_t base = sel ? theme(COLOUR_selection) : A_NORMAL;
		columns_row(l->cols, l->n_cols, widths, row, top + 1 + r, width, sel, base);
	}
	/* where we are: ^ more above, v more below, in the heading's last
	 * columns; rows loaded but scrolled out of sight count too, so a
	 * filtered list of 30 keeps its markers */
	bool above = l->more_before || l->top > 0, below = l->more_after || l->top + rows < l->n;
	if (above || below) {
		char more[4];
		snprintf(more, sizeof more, "%c%c", above ? '^' : ' ', below ? 'v' : ' ');
		draw_text(top, width - 2, 2, more, theme(COLOUR_heading) | A_BOLD);
	}
}

/* ---- the text pane ------------------------------------------------------------ */

bool textpane_init(struct textpane *t, int cap)
{
	memset(t, 0, sizeof *t);
	t->lines = calloc((size_t)cap, sizeof *t->lines);
	t->cap = t->lines ? cap : 0;
	t->sel = -1;
	return t->lines != NULL;
}

void textpane_free(struct textpane *t)
{
	free(t->lines);
	t->lines = NULL;
	t->n = t->cap = 0;
}

void textpane_add(struct textpane *t, attr_t attr, const char *fmt, ...)
{
	if (t->n >= t->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->lines[t->n].text, sizeof t->lines[t->n].text, fmt, ap);
	va_end(ap);
	t->lines[t->n].item = 0;
	t->lines[t->n++].attr = attr;
}

void textpane_item(struct textpane *t, int item)
{
	if (t->n > 0)
		t->lines[t->n - 1].item = item;
}

int textpane_selected(const struct textpane *t)
{
	return t->sel >= 0 && t->sel < t->n ? t->lines[t->sel].item : 0;
}

static void textpane_show_sel(struct textpane *t)
{
	int h = t->height > 0 ? t->height : 1;
	if (t->sel < 0)
		return;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + h)
		t->top = t->sel - h + 1;
}

void textpane_select(struct textpane *t, int item)
{
	t->sel = -1;
	for (int i = 0; item > 0 && i < t->n; i++)
		if (t->lines[i].item == item) {
			t->sel = i;
			break;
		}
	textpane_show_sel(t);
}

void textpane_draw(struct textpane *t, int top, int height, int width)
{
	t->height = height;
	if (t->top > t->n - height)
		t->top = t->n - height > 0 ? t->n - height : 0;
	for (int r = 0; r < height && t->top + r < t->n; r++) {
		bool sel = t->top + r == t->sel;
		attr_t a = sel ? theme(COLOUR_selection) : t->lines[t->top + r].attr;
		if (sel)
			draw_fill(top + r, 0, width, a);
		draw_text(top + r, 0, 1, sel ? ">" : " ", a | (sel ? A_BOLD : 0));
		draw_text(top + r, 1, width - 2, t->lines[t->top + r].text, a);
	}
	if (t->top + height < t->n)
		draw_text(top + height - 1, width - 14, 13, " more below ", theme(COLOUR_muted));
}

enum reaction textpane_act(struct textpane *t, enum action a)
{
	int page = t->height > 1 ? t->height - 1 : 1;
	if (a == ACT_UP || a == ACT_DOWN) {
		/* with items: to the next one, the lines between scrolled past */
		int step = a == ACT_UP ? -1 : 1;
		for (int i = t->sel + step; i >= 0 && i < t->n; i += step)
			if (t->lines[i].item) {
				t->sel = i;
				textpane_show_sel(t);
				return R_REDRAW;
			}
		if (a == ACT_UP && t->sel >= 0 && t->top == 0)
			t->sel = -1; /* above the first item: nothing selected */
	}
	switch (a) {
	case ACT_UP: t->top--; break;
	case ACT_DOWN: t->top++; break;
	case ACT_PAGE_UP: t->top -= page; break;
	case ACT_PAGE_DOWN: t->top += page; break;
	case ACT_FIRST: t->top = 0; break;
	case ACT_LAST: t->top = t->n; break;
	default: return R_UNHANDLED;
	}
	if (t->top > t->n - t->height)
		t->top = t->n - t->height;
	if (t->top < 0)
		t->top = 0;
	return R_REDRAW;
}

/* ---- the text field ---------------------------------------------------------- */

void field_set(struct field *f, const char *utf8)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	const char *p = utf8 ? utf8 : "";
	size_t n = mbsrtowcs(f->text, &p, sizeof f->text / sizeof f->text[0] - 1, &ps);
	f->len = n == (size_t)-1 ? 0 : (int)n;
	f->text[f->len] = L'\0';
	f->fresh = false;
}

void field_prefill(struct field *f, const char *utf8)
{
	field_set(f, utf8);
	f->fresh = f->len > 0;
}

void field_get(const struct field *f, char *utf8, size_t n)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	const wchar_t *p = f->text;
	size_t r = wcsrtombs(utf8, &p, n - 1, &ps);
	if (r == (size_t)-1)
		r = 0;
	utf8[r < n ? r : n - 1] = '\0';
}

bool field_edit(struct field *f, wint_t ch, bool is_key)
{
	if (f->fresh && !is_key && iswprint(ch)) {
		/* the first character typed replaces a pre-filled value */
		f->len = 0;
		f->text[0] = L'\0';
	}
	f->fresh = false;
	if ((is_key && (ch == KEY_BACKSPACE || ch == KEY_DC)) || (!is_key && (ch == 127 || ch == 8))) {
		if (f->len == 0)
			return false;
		f->text[--f->len] = L'\0';
		return true;
	}
	if (!is_key && ch == 21) { /* Ctrl-U clears */
		f->len = 0;
		f->text[0] = L'\0';
		return true;
	}
	if (is_key || !iswprint(ch))
		return false;
	if (f->len + 1 >= (int)(sizeof f->text / sizeof f->text[0]))
		return false;
	f->text[f->len++] = (wchar_t)ch;
	f->text[f->len] = L'\0';
	return true;
}

void field_draw(const struct field *f, int y, int x, int width, bool focused)
{
	char utf8[256];
	field_get(f, utf8, sizeof utf8);
	attr_t a = focused ? (A_UNDERLINE | A_BOLD) : A_UNDERLINE;
	if (focused && f->fresh)
		a = theme(COLOUR_selection); /* typing replaces it */
	/* show the end of a long entry */
	const char *shown = utf8;
	while (text_width(shown) > width - 1 && *shown) {
		shown++;
		while ((*shown & 0xc0) == 0x80)
			shown++;
	}
	char with_cursor[300];
	snprintf(with_cursor, sizeof with_cursor, "%s%s", shown, focused ? "_" : "");
	draw_text(y, x, width, with_cursor, a);
}

/* ---- the picker ------------------------------------------------------------------ */

struct picker {
	char title[64];
	struct picker_option opts[64];
	int n, sel;
	bool with_any;
	void (*choose)(struct ui *ui, void *ctx, int index);
	void *ctx;
};

static void picker_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct picker *p = v->state;
	int rows = p->n + (p->with_any ? 1 : 0);
	int h = rows + 2 < height ? rows + 2 : height, w = 46;
	int y = top + (height - h) / 2, x = (width - w) / 2;
	draw_box(y, x, h, w, A_NORMAL);
	draw_text(y, x + 2, text_width(p->title) + 2, p->title, A_BOLD);
	int visible = h - 2, first = p->sel - visible + 1 > 0 ? p->sel - visible + 1 : 0;
	for (int r = 0; r < visible && first + r < rows; r++) {
		int i = first + r;
		char line[96];
		if (p->with_any && i == 0)
			snprintf(line, sizeof line, "any");
		else
			snprintf(line, sizeof line, "%-5s %s", p->opts[i - p->with_any].code,
				 p->opts[i - p->with_any].label);
		bool sel = i == p->sel;
		draw_text(y + 1 + r, x + 1, 1, sel ? ">" : " ", sel ? theme(COLOUR_selection) : A_NORMAL);
		draw_text(y + 1 + r, x + 2, w - 3, line, sel ? theme(COLOUR_selection) : A_NORMAL);
	}
}

static enum reaction picker_act(struct ui *ui, struct view *v, enum action a)
{
	struct picker *p = v->state;
	int rows = p->n + (p->with_any ? 1 : 0);
	switch (a) {
	case ACT_UP: p->sel = p->sel > 0 ? p->sel - 1 : rows - 1; return R_REDRAW;
	case ACT_DOWN: p->sel = p->sel + 1 < rows ? p->sel + 1 : 0; return R_REDRAW;
	case ACT_FIRST: p->sel = 0; return R_REDRAW;
	case ACT_LAST: p->sel = rows - 1; return R_REDRAW;
	case ACT_OPEN: {
		int index = p->sel - (p->with_any ? 1 : 0);
		void (*choose)(struct ui *, void *, int) = p->choose;
		void *ctx = p->ctx;
		ui_pop(ui);
		choose(ui, ctx, index);
		return R_REDRAW;
	}
	case ACT_BACK: ui_pop(ui); return R_REDRAW;
	default: return R_REDRAW; /* a modal choice: nothing else until it is made */
	}
}

static enum reaction picker_text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	/* a digit that is an option's whole code (a numbered list) chooses it;
	 * a letter jumps to the first option whose code starts with it */
	struct picker *p = v->state;
	if (is_key || ch >= 128 || !iswalnum(ch))
		return R_UNHANDLED;
	for (int i = 0; i < p->n && iswdigit(ch); i++)
		if (p->opts[i].code[0] == (char)ch && p->opts[i].code[1] == '\0') {
			p->sel = i + (p->with_any ? 1 : 0);
			return picker_act(ui, v, ACT_OPEN);
		}
	for (int i = 0; i < p->n; i++)
		if (towupper((wint_t)p->opts[i].code[0]) == towupper(ch)) {
			p->sel = i + (p->with_any ? 1 : 0);
			return R_REDRAW;
		}
	return R_UNHANDLED;
}

static const struct keybind picker_keys[] = {
	{'\r', ACT_OPEN, "Enter", true, NULL},
	{'\n', ACT_OPEN, "Enter", false, NULL},
	{27, ACT_BACK, "Esc", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_picker = {
	.title = "Choose",
	.keys = picker_keys,
	.edit_keys = picker_keys,
	.draw = picker_draw,
	.act = picker_act,
	.text = picker_text,
	.editing = view_every_key, /* letters and digits choose; the rest go to picker_act */
	.close = view_free_state,
	.modal = true,
};

void picker_open(struct ui *ui, const char *title, const struct picker_option *opts, int n,
		 bool with_any, void (*choose)(struct ui *ui, void *ctx, int index), void *ctx)
{
	struct picker *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, "out of memory");
		return;
	}
	text_copy(p->title, sizeof p->title, title);
	p->n = n < 64 ? n : 64;
	memcpy(p->opts, opts, (size_t)p->n * sizeof *opts);
	p->with_any = with_any;
	p->choose = choose;
	p->ctx = ctx;
	ui_push(ui, &view_picker, p);
}

/* ---- the prompt --------------------------------------------------------------------- */

struct prompt {
	char title[64];
	char question[160];
	struct field f;
	void (*done)(struct ui *ui, void *ctx, const char *text);
	void *ctx;
};

static void prompt_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct prompt *p = v->state;
	int h = 7, w = width - 4 < 100 ? width - 4 : 100;
	int y = top + (height - h) / 2, x = (width - w) / 2;
	draw_box(y, x, h, w, A_NORMAL);
	draw_text(y, x + 2, text_width(p->title) + 2, p->title, A_BOLD);
	/* the question wraps onto a second line rather than being cut */
	int cut = text_break(p->question, w - 4);
	char first[sizeof p->question];
	snprintf(first, sizeof first, "%.*s", cut, p->question);
	const char *rest = p->question + cut;
	while (*rest == ' ')
		rest++;
	draw_text(y + 1, x + 2, w - 4, first, A_NORMAL);
	draw_text(y + 2, x + 2, w - 4, rest, A_NORMAL);
	field_draw(&p->f, y + 4, x + 2, w - 4, true);
}

static enum reaction prompt_text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct prompt *p = v->state;
	if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER)) {
		char text[256];
		field_get(&p->f, text, sizeof text);
		if (!text_present(text)) {
			ui_error(ui, "A reason is needed (or Esc to cancel).");
			return R_REDRAW;
		}
		void (*done)(struct ui *, void *, const char *) = p->done;
		void *ctx = p->ctx;
		ui_pop(ui);
		done(ui, ctx, text);
		return R_REDRAW;
	}
	if (!is_key && ch == 27) {
		ui_pop(ui);
		ui_say(ui, "Cancelled.");
		return R_REDRAW;
	}
	field_edit(&p->f, ch, is_key);
	return R_REDRAW;
}

static const struct keybind prompt_keys[] = {
	{'\r', ACT_NONE, "Enter", true, "done"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_prompt = {
	.title = "Question",
	.keys = prompt_keys,
	.edit_keys = prompt_keys,
	.draw = prompt_draw,
	.text = prompt_text, /* takes every key: no act */
	.editing = view_every_key,
	.close = view_free_state,
	.modal = true,
};

void prompt_open(struct ui *ui, const char *title, const char *question,
		 void (*done)(struct ui *ui, void *ctx, const char *text), void *ctx)
{
	struct prompt *p = calloc(1, sizeof *p);
	if (!p) {
		ui_error(ui, "out of memory");
		return;
	}
	text_copy(p->title, sizeof p->title, title);
	text_copy(p->question, sizeof p->question, question);
	p->done = done;
	p->ctx = ctx;
	ui_push(ui, &view_prompt, p);
}

/* ---- options ---------------------------------------------------------------------- */

int options_localities(const struct br_config *cfg, struct picker_option *out, int max)
{
	int n = 0;
	for (int i = 0; i < cfg->n_localities && n < max; i++, n++) {
		text_copy(out[n].code, sizeof out[n].code, cfg->localities[i].code);
		text_copy(out[n].label, sizeof out[n].label, cfg->localities[i].name);
	}
	return n;
}

int options_needs(struct picker_option *out, int max)
{
	int n = 0;
	for (int i = 0; i < NEED_COUNT && n < max; i++, n++) {
		text_copy(out[n].code, sizeof out[n].code, need_code(i));
		text_copy(out[n].label, sizeof out[n].label, need_name(i));
	}
	return n;
}

int options_services(struct picker_option *out, int max)
{
	int n = 0;
	for (int i = 0; i < SERVICE_COUNT && n < max; i++, n++) {
		text_copy(out[n].code, sizeof out[n].code, service_code(i));
		text_copy(out[n].label, sizeof out[n].label, service_name(i));
	}
	return n;
}
