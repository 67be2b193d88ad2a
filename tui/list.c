/* list.c — the one search list every screen pages through (keyset pages of
 * rows fetched by the screen's core query), and its columns fitted to the
 * width. */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

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
