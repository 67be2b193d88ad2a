/* view_people.c — Service users: opens on the list (keys are commands, as
 * in mutt); / enters the search field, which searches as you type by name,
 * reference, NHS number or postcode; Enter there opens the person only when
 * exactly one matches, else moves into the list; Esc leaves it. Filter by
 * locality, need and status. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct people {
	struct ui *ui;
	struct list list;
	struct su_filter filter;
	struct field search;
	bool editing;
	int height;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows,
			    int limit, int *n, char **why)
{
	struct people *p = ctx;
	return su_list(p->ui->s->store, &p->filter, at, dir, rows, limit, n, why);
}

static void c_ref(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->ref); }
static void c_name(const void *r, char *b, size_t n)
{
	const struct su_row *s = r;
	snprintf(b, n, "%s%s, %s", s->restricted ? "[restricted] " : "", s->family, s->given);
}
static void c_nhs(const void *r, char *b, size_t n)
{
	char f[13];
	nhs_format(((const struct su_row *)r)->nhs, f);
	snprintf(b, n, "%s", f);
}
static void c_dob(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->dob); }
static void c_postcode(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->postcode); }
static void c_loc(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->locality); }
static void c_needs(const void *r, char *b, size_t n)
{
	const struct su_row *s = r;
	snprintf(b, n, "%s%s%s%s", s->primary_need, s->other_needs[0] ? "+" : "", s->other_needs,
		 s->forensic ? " F" : "");
}
static void c_status(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->status); }
static attr_t a_status(const void *r)
{
	return strcmp(((const struct su_row *)r)->status, "active") == 0 ? A_NORMAL : theme(COLOUR_muted);
}

static const struct column cols[] = {
	{"Ref", 8, 0, false, c_ref, NULL, 0},
	{"Name", 22, 0, true, c_name, NULL, 0},
	{"NHS number", 12, 1, false, c_nhs, NULL, 0},
	{"Born", 10, 0, false, c_dob, NULL, 0},
	{"Postcode", 8, 0, false, c_postcode, NULL, 0},
	{"Loc", 3, 0, false, c_loc, NULL, 0},
	{"Needs", 12, 2, false, c_needs, NULL, 1},
	{"Status", 8, 1, false, c_status, a_status, 0},
};

static void reload(struct people *p)
{
	char *why = NULL;
	ui_status(p->ui, list_reload(&p->list, &why), &why);
}

void *people_new(struct ui *ui)
{
	struct people *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->ui = ui;
	list_init(&p->list, sizeof(struct su_row), offsetof(struct su_row, key), fetch, p, cols, 8,
		  "Nobody matches. Try fewer letters, or c to clear the filters.");
	p->editing = false; /* arrive on the list: / to search */
	reload(p);
	return p;
}

static const char *or_any(const char *s) { return s[0] ? s : "any"; }

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct people *p = v->state;
	draw_text(top, 0, 9, " Search:", A_BOLD);
	field_draw(&p->search, top, 9, 26, p->editing);
	char line[200];
	snprintf(line, sizeof line, " (%s) Locality: %s Need: %s Status: %s",
		 su_text_kind_name(su_text_kind(p->ui->s->store, p->filter.text)),
		 or_any(p->filter.locality), or_any(p->filter.need), or_any(p->filter.status));
	draw_text(top, 36, width - 36, line, A_NORMAL);
	p->height = height - 1;
	list_draw(&p->list, top + 1, height - 1, width);
}

static void set_locality(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct people *p = ctx;
	text_copy(p->filter.locality, sizeof p->filter.locality,
		  i < 0 ? "" : p->ui->s->cfg.localities[i].code);
	reload(p);
}

static void set_need(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct people *p = ctx;
	text_copy(p->filter.need, sizeof p->filter.need, i < 0 ? "" : need_code(i));
	reload(p);
}

static const char *const statuses[] = {"active", "closed", "deceased"};

static void set_status(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct people *p = ctx;
	text_copy(p->filter.status, sizeof p->filter.status, i < 0 ? "" : statuses[i]);
	reload(p);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct people *p = v->state;
	struct picker_option opts[BR_MAX_LOCALITIES > NEED_COUNT ? BR_MAX_LOCALITIES : NEED_COUNT];
	switch (a) {
	case ACT_SEARCH:
		p->editing = true;
		return R_REDRAW;
	case ACT_OPEN: {
		const struct su_row *r = list_selected(&p->list);
		if (r)
			person_show(ui, r->id);
		return R_REDRAW;
	}
	case ACT_FILTER_LOCALITY:
		picker_open(ui, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES),
			    true, set_locality, p);
		return R_REDRAW;
	case ACT_FILTER_NEED:
		picker_open(ui, "Need", opts, options_needs(opts, NEED_COUNT), true, set_need, p);
		return R_REDRAW;
	case ACT_FILTER_STATUS:
		for (int i = 0; i < 3; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, statuses[i]);
			opts[i].label[0] = '\0';
		}
		picker_open(ui, "Status", opts, 3, true, set_status, p);
		return R_REDRAW;
	case ACT_NEW_PERSON:
		person_form_show(ui, 0);
		return R_REDRAW;
	case ACT_CLEAR:
		memset(&p->filter, 0, sizeof p->filter);
		field_set(&p->search, "");
		reload(p);
		return R_REDRAW;
	default:
		return list_act(&p->list, a, p->height, ui);
	}
}

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct people *p = v->state;
	if (!p->editing)
		return R_UNHANDLED;
	switch (search_key(&p->search, &p->list, p->height, ui, ch, is_key, p->filter.text, sizeof p->filter.text)) {
	case SEARCH_ENTER: {
		/* Enter opens the person only when exactly one matches: opening
		 * a record is an audited access, so never guess among several */
		p->editing = false;
		p->list.sel = 0;
		const struct su_row *r = list_selected(&p->list);
		if (r && p->list.n == 1 && !p->list.more_after && !p->list.more_before)
			person_show(ui, r->id);
		else if (r)
			ui_say(ui, "%s%d people match: Up/Down to choose, Enter opens, / to search again.",
			       p->list.more_after ? "More than " : "", p->list.n);
		else
			ui_error(ui, "Nobody matches. / to search again, c clears the filters.");
		break;
	}
	case SEARCH_LEFT:
		p->editing = false;
		break;
	case SEARCH_CHANGED:
		reload(p);
		break;
	case SEARCH_KEPT:
		break;
	}
	return R_REDRAW;
}

static bool editing(const struct view *v)
{
	return ((const struct people *)v->state)->editing;
}

static void close_view(struct view *v)
{
	struct people *p = v->state;
	list_free(&p->list);
	free(p);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, NULL},
	{'/', ACT_SEARCH, "/", true, NULL},
	{'l', ACT_FILTER_LOCALITY, "l", true, NULL},
	{'n', ACT_FILTER_NEED, "n", true, NULL},
	{'a', ACT_FILTER_STATUS, "a", true, NULL},
	{'c', ACT_CLEAR, "c", true, NULL},
	{'N', ACT_NEW_PERSON, "N", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

static const struct keybind edit_keys[] = {
	{0, ACT_NONE, "type", true, "to search"},
	{'\r', ACT_NONE, "Enter", true, "open if only one, else the list"},
	{27, ACT_NONE, "Down/Esc", true, "to the list"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_people = {
	.title = "Service users",
	.keys = keys,
	.edit_keys = edit_keys,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};
