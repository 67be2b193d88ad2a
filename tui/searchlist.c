/* searchlist.c — the search list (searchlist.h): a field over a keyset
 * list, for the list screens and the respite finder. */
#include "searchlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void searchlist_init(struct searchlist *sl, const struct searchlist_spec *spec, struct ui *ui, void *owner)
{
	memset(sl, 0, sizeof *sl);
	sl->spec = spec;
	sl->ui = ui;
	sl->owner = owner;
	sl->filter = (char *)owner + spec->filter_at;
	sl->filter_size = spec->filter_size;
	sl->text = (char *)owner + spec->text_at;
	sl->text_size = spec->text_size;
	list_init(&sl->list, spec->row_size, spec->key_offset, spec->fetch, owner, spec->cols, spec->n_cols,
		  spec->empty);
	if (spec->page)
		list_set_page(&sl->list, spec->page);
	sl->rows = !spec->finder; /* a list screen arrives on its rows: / to search */
}

void *searchlist_new(struct ui *ui, const struct searchlist_spec *spec)
{
	char *owner = calloc(1, spec->state_size);
	if (!owner)
		return NULL;
	struct searchlist *sl = (struct searchlist *)(owner + spec->sl_at);
	searchlist_init(sl, spec, ui, owner);
	searchlist_reload(sl);
	return sl;
}

void searchlist_free(struct searchlist *sl)
{
	list_free(&sl->list);
}

void searchlist_reload(struct searchlist *sl)
{
	char *why = NULL;
	ui_status(sl->ui, list_reload(&sl->list, &why), &why);
}

enum searchlist_result searchlist_key(struct searchlist *sl, wint_t ch, bool is_key)
{
	struct list *l = &sl->list;
	if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER)) {
		bool marked = sl->rows; /* a finder's row marked among several */
		sl->rows = true;
		if (!sl->spec->take_one)
			return SEARCHLIST_LEFT;
		/* take one only when it is the only match or the officer has
		 * marked it: opening a record is an audited access, never a guess */
		if (!marked)
			l->sel = 0;
		if (l->n == 0)
			return SEARCHLIST_NONE;
		if (marked || (l->n == 1 && !l->more_after && !l->more_before))
			return SEARCHLIST_TAKE;
		return SEARCHLIST_SEVERAL;
	}
	if (sl->spec->finder && is_key && (ch == KEY_DOWN || ch == KEY_UP)) {
		/* the first Down marks the first row; then Up/Down move the mark */
		if (ch == KEY_UP && l->sel > 0)
			l->sel--;
		if (ch == KEY_DOWN && l->n) {
			if (sl->rows && l->sel + 1 < l->n)
				l->sel++;
			sl->rows = true;
		}
		return SEARCHLIST_KEPT;
	}
	bool leave = (!is_key && (ch == 27 || ch == '\t')) || (is_key && (ch == KEY_DOWN || ch == KEY_UP));
	if (!sl->spec->finder && leave) {
		if (is_key)
			list_act(l, ch == KEY_DOWN ? ACT_DOWN : ACT_UP, sl->height, sl->ui);
		sl->rows = true;
		return SEARCHLIST_LEFT;
	}
	if (!field_edit(&sl->field, ch, is_key))
		return SEARCHLIST_KEPT;
	field_get(&sl->field, sl->text, sl->text_size);
	sl->rows = false;
	searchlist_reload(sl);
	return SEARCHLIST_SEARCHED;
}

void searchlist_draw_field(const struct searchlist *sl, int y, const char *label, int label_width, int field_width)
{
	draw_text(y, 0, label_width, label, A_BOLD);
	field_draw(&sl->field, y, label_width, field_width, sl->spec->finder || !sl->rows);
}

static void picked(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct searchlist *sl = ctx;
	text_copy(sl->pick_to, sl->pick_size, i < 0 ? "" : sl->pick_codes[i]);
	searchlist_reload(sl);
}

void searchlist_pick(struct ui *ui, struct searchlist *sl, const char *title, const struct picker_option *opts,
		     int n, char *to, size_t to_size)
{
	int max = (int)(sizeof sl->pick_codes / sizeof sl->pick_codes[0]);
	for (int i = 0; i < n && i < max; i++)
		text_copy(sl->pick_codes[i], sizeof sl->pick_codes[i], opts[i].code);
	sl->pick_to = to;
	sl->pick_size = to_size;
	picker_open(ui, title, opts, n, true, picked, sl);
}

/* ---- a list screen's hooks ------------------------------------------------------ */

void searchlist_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	struct searchlist *sl = v->state;
	int used = sl->spec->header(ui, sl, top, width);
	sl->height = height - used;
	list_draw(&sl->list, top + used, height - used, width);
}

enum reaction searchlist_act(struct ui *ui, struct view *v, enum action a)
{
	struct searchlist *sl = v->state;
	switch (a) {
	case ACT_SEARCH:
		sl->rows = false;
		return R_REDRAW;
	case ACT_OPEN: {
		const void *row = list_selected(&sl->list);
		if (row)
			sl->spec->open(ui, row);
		return R_REDRAW;
	}
	case ACT_CLEAR:
		memset(sl->filter, 0, sl->filter_size);
		field_set(&sl->field, "");
		searchlist_reload(sl);
		return R_REDRAW;
	default:
		if (sl->spec->act && sl->spec->act(ui, sl, a) != R_UNHANDLED)
			return R_REDRAW;
		return list_act(&sl->list, a, sl->height, ui);
	}
}

enum reaction searchlist_text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct searchlist *sl = v->state;
	if (sl->rows)
		return R_UNHANDLED;
	const struct list *l = &sl->list;
	switch (searchlist_key(sl, ch, is_key)) {
	case SEARCHLIST_TAKE:
		sl->spec->open(ui, list_selected(l));
		break;
	case SEARCHLIST_SEVERAL:
		ui_say(ui, "%s%d %s match: Up/Down to choose, Enter opens, / to search again.",
		       l->more_after ? "More than " : "", l->n, sl->spec->several);
		break;
	case SEARCHLIST_NONE:
		ui_error(ui, "%s", sl->spec->none);
		break;
	default:
		break;
	}
	return R_REDRAW;
}

const struct keybind searchlist_take_keys[] = {
	{0, ACT_NONE, "type", true, "to search"},
	{'\r', ACT_NONE, "Enter", true, "open if only one, else the list"},
	{27, ACT_NONE, "Down/Esc", true, "to the list"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct keybind searchlist_field_keys[] = {
	{0, ACT_NONE, "type", true, "to search"},
	{'\r', ACT_NONE, "Enter", true, "done"},
	{27, ACT_NONE, "Down/Esc", true, "to the list"},
	{0, ACT_NONE, NULL, false, NULL},
};

bool searchlist_editing(const struct view *v)
{
	return !((const struct searchlist *)v->state)->rows;
}

void searchlist_close(struct view *v)
{
	struct searchlist *sl = v->state;
	searchlist_free(sl);
	free(sl->owner);
	v->state = NULL;
}
