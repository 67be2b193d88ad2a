/* view_providers.c — Providers: filter by service, need, locality, tier
 * and status; Enter shows the detail. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct providers {
	struct ui *ui;
	struct list list;
	struct provider_filter filter;
	struct field search;
	bool editing;
	int height;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows,
			    int limit, int *n, char **why)
{
	struct providers *p = ctx;
	return provider_list(p->ui->s->store, &p->filter, at, dir, rows, limit, n, why);
}

static void c_id(const void *r, char *b, size_t n) { snprintf(b, n, "%5lld", (long long)((const struct provider_row *)r)->id); }
static void c_name(const void *r, char *b, size_t n)
{
	const struct provider_row *p = r;
	snprintf(b, n, "%s%s", p->name, p->is_consortium ? " (consortium)" : "");
}
static void c_tier(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct provider_row *)r)->tier); }
static attr_t a_tier(const void *r) { return theme_tier(((const struct provider_row *)r)->tier); }
static void c_rating(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct provider_row *)r)->rating); }
static attr_t a_rating(const void *r)
{
	return strcmp(((const struct provider_row *)r)->rating, "Inadequate") == 0 ? theme(COLOUR_warning) : A_NORMAL;
}
static void c_status(const void *r, char *b, size_t n)
{
	const struct provider_row *p = r;
	if (strcmp(p->status, "suspended") == 0)
		snprintf(b, n, "SUSPENDED %s: %s", p->suspended_on, p->suspended_reason);
	else
		snprintf(b, n, "%s", p->status);
}
static attr_t a_status(const void *r)
{
	const char *s = ((const struct provider_row *)r)->status;
	return strcmp(s, "suspended") == 0 ? theme(COLOUR_suspended) : strcmp(s, "left") == 0 ? theme(COLOUR_muted) : A_NORMAL;
}
static void c_parent(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct provider_row *)r)->consortium); }
static void c_phone(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct provider_row *)r)->phone); }

static const struct column cols[] = {
	{"Id", 5, 1, false, c_id, NULL, 0},
	{"Provider", 26, 0, true, c_name, NULL, 2},
	{"Tier", 10, 0, false, c_tier, a_tier, 0},
	{"CQC rating", 20, 0, false, c_rating, a_rating, 0},
	{"Status", 12, 0, false, c_status, a_status, 0},
	{"Member of", 24, 2, false, c_parent, NULL, 1},
	{"Phone", 13, 3, false, c_phone, NULL, 0},
};

static void reload(struct providers *p)
{
	char *why = NULL;
	ui_status(p->ui, list_reload(&p->list, &why), &why);
}

void *providers_new(struct ui *ui)
{
	struct providers *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->ui = ui;
	list_init(&p->list, sizeof(struct provider_row), offsetof(struct provider_row, key), fetch, p,
		  cols, 7, "No provider matches these filters; c clears them.");
	reload(p);
	return p;
}

static const char *or_any(const char *s) { return s[0] ? s : "any"; }

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct providers *p = v->state;
	char line[240];
	snprintf(line, sizeof line, " Service: %s  Need: %s  Locality: %s  Tier: %s  Status: %s",
		 or_any(p->filter.service), or_any(p->filter.need), or_any(p->filter.locality),
		 or_any(p->filter.tier), or_any(p->filter.status));
	draw_text(top, 0, width, line, A_NORMAL);
	draw_text(top + 1, 0, 7, " Name:", A_BOLD);
	field_draw(&p->search, top + 1, 7, 30, p->editing);
	p->height = height - 2;
	list_draw(&p->list, top + 2, height - 2, width);
}

static void set_service(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct providers *p = ctx;
	text_copy(p->filter.service, sizeof p->filter.service, i < 0 ? "" : service_code(i));
	reload(p);
}
static void set_need(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct providers *p = ctx;
	text_copy(p->filter.need, sizeof p->filter.need, i < 0 ? "" : need_code(i));
	reload(p);
}
static void set_locality(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct providers *p = ctx;
	text_copy(p->filter.locality, sizeof p->filter.locality, i < 0 ? "" : p->ui->s->cfg.localities[i].code);
	reload(p);
}
static const char *const tiers[] = {"primary", "secondary", "peripheral", "registered", "spot"};
static const char *const tier_words[] = {"awarded for one locality", "awarded for one locality",
					 "awarded for the whole borough", "on the lot, no award",
					 "not on the lot (off framework)"};
static void set_tier(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct providers *p = ctx;
	text_copy(p->filter.tier, sizeof p->filter.tier, i < 0 ? "" : tiers[i]);
	reload(p);
}
static const char *const statuses[] = {"active", "suspended", "left"};
static void set_status(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct providers *p = ctx;
	text_copy(p->filter.status, sizeof p->filter.status, i < 0 ? "" : statuses[i]);
	reload(p);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct providers *p = v->state;
	struct picker_option opts[SERVICE_COUNT > BR_MAX_LOCALITIES ? SERVICE_COUNT : BR_MAX_LOCALITIES];
	int n = 0;
	switch (a) {
	case ACT_SEARCH:
		p->editing = true;
		return R_REDRAW;
	case ACT_OPEN: {
		const struct provider_row *r = list_selected(&p->list);
		if (r)
			provider_show(ui, r->id);
		return R_REDRAW;
	}
	case ACT_FILTER_SERVICE:
		picker_open(ui, "Service", opts, options_services(opts, SERVICE_COUNT), true, set_service, p);
		return R_REDRAW;
	case ACT_FILTER_NEED:
		picker_open(ui, "Need", opts, options_needs(opts, NEED_COUNT), true, set_need, p);
		return R_REDRAW;
	case ACT_FILTER_LOCALITY:
		picker_open(ui, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES),
			    true, set_locality, p);
		return R_REDRAW;
	case ACT_FILTER_TIER:
		for (n = 0; n < 5; n++) {
			text_copy(opts[n].code, sizeof opts[n].code, tiers[n]);
			text_copy(opts[n].label, sizeof opts[n].label, tier_words[n]);
		}
		picker_open(ui, "Tier", opts, 5, true, set_tier, p);
		return R_REDRAW;
	case ACT_FILTER_STATUS:
		for (n = 0; n < 3; n++) {
			text_copy(opts[n].code, sizeof opts[n].code, statuses[n]);
			opts[n].label[0] = '\0';
		}
		picker_open(ui, "Status", opts, 3, true, set_status, p);
		return R_REDRAW;
	case ACT_NEW_PROVIDER:
		provider_form_show(ui, 0);
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
	struct providers *p = v->state;
	if (!p->editing)
		return R_UNHANDLED;
	switch (search_key(&p->search, &p->list, p->height, ui, ch, is_key, p->filter.text, sizeof p->filter.text)) {
	case SEARCH_ENTER:
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
	return ((const struct providers *)v->state)->editing;
}

static void close_view(struct view *v)
{
	struct providers *p = v->state;
	list_free(&p->list);
	free(p);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, NULL},
	{'/', ACT_SEARCH, "/", true, NULL},
	{'s', ACT_FILTER_SERVICE, "s", true, NULL},
	{'n', ACT_FILTER_NEED, "n", true, NULL},
	{'l', ACT_FILTER_LOCALITY, "l", true, NULL},
	{'t', ACT_FILTER_TIER, "t", true, NULL},
	{'a', ACT_FILTER_STATUS, "a", true, NULL},
	{'c', ACT_CLEAR, "c", true, NULL},
	{'N', ACT_NEW_PROVIDER, "N", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

static const struct keybind edit_keys[] = {
	{0, ACT_NONE, "type", true, "to search"},
	{'\r', ACT_NONE, "Enter", true, "done"},
	{27, ACT_NONE, "Down/Esc", true, "to the list"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_providers = {
	.title = "Providers",
	.keys = keys,
	.edit_keys = edit_keys,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};
