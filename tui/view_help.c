/* view_help.c — every key of the screen it was opened from, from the same
 * tables that drive the keys, so the help can never miss one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct help {
	char title[64];
	char lines[80][100];
	int n, top, height;
};

static void add_keys(struct ui *ui, struct help *h, const struct keybind *keys, const struct keybind *except)
{
	for (const struct keybind *k = keys; k && k->keyname && h->n < 80; k++) {
		if (!ui_may(ui, k->act))
			continue;
		bool dup = false;
		/* one line a key name, first binding wins */
		for (const struct keybind *j = keys; j < k; j++)
			dup |= strcmp(j->keyname, k->keyname) == 0;
		for (const struct keybind *j = except; j && j->keyname; j++)
			dup |= j->key == k->key;
		if (dup || k->act == ACT_NONE)
			continue;
		snprintf(h->lines[h->n++], sizeof h->lines[0], "  %-10s %s", k->keyname,
			 k->label ? k->label : action_label(k->act));
	}
}

void help_show(struct ui *ui, const struct view *about)
{
	if (about->ops == &view_help)
		return;
	struct help *h = calloc(1, sizeof *h);
	if (!h)
		return;
	snprintf(h->title, sizeof h->title, "Help: %s", about->ops->title);
	snprintf(h->lines[h->n++], sizeof h->lines[0], "Keys on the %s screen", about->ops->title);
	add_keys(ui, h, about->ops->keys, NULL);
	snprintf(h->lines[h->n++], sizeof h->lines[0], "%s", "");
	snprintf(h->lines[h->n++], sizeof h->lines[0], "%s", "Keys everywhere (outside a text field)");
	add_keys(ui, h, ui_global_keys(), about->ops->keys);
	snprintf(h->lines[h->n++], sizeof h->lines[0], "%s", "");
	snprintf(h->lines[h->n++], sizeof h->lines[0], "%s",
		 "In a text field: type to search, Backspace deletes, Ctrl-U clears, Enter or Esc leaves.");
	ui_push(ui, &view_help, h);
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct help *h = v->state;
	h->height = height;
	for (int r = 0; r < height && h->top + r < h->n; r++) {
		const char *l = h->lines[h->top + r];
		draw_text(top + r, 1, width - 2, l, l[0] != ' ' ? theme(COLOUR_heading) : A_NORMAL);
	}
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	(void)ui;
	struct help *h = v->state;
	switch (a) {
	case ACT_UP: if (h->top > 0) h->top--; return R_REDRAW;
	case ACT_DOWN: if (h->top + h->height < h->n) h->top++; return R_REDRAW;
	case ACT_HELP: return R_REDRAW;
	default: return R_UNHANDLED;
	}
}

static void close_view(struct view *v)
{
	free(v->state);
}

static const struct keybind keys[] = {{0, ACT_NONE, NULL, false, NULL}};

const struct view_ops view_help = {
	.title = "Help",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
};
