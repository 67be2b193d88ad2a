/* widgets.c — the text pane, the text field, the picker and the prompt
 * (the list is list.c). */
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
