/* view_providers.c — Providers: filter by service, need, locality, tier
 * and status; Enter shows the detail. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchlist.h"

struct providers {
	struct searchlist sl;
	struct provider_filter filter;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows,
			    int limit, int *n, char **why)
{
	struct providers *p = ctx;
	return provider_list(p->sl.ui->s->store, &p->filter, at, dir, rows, limit, n, why);
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

static const char *or_any(const char *s) { return s[0] ? s : "any"; }

static int header(struct ui *ui, struct searchlist *sl, int top, int width)
{
	(void)ui;
	const struct providers *p = sl->owner;
	char line[240];
	snprintf(line, sizeof line, " Service: %s  Need: %s  Locality: %s  Tier: %s  Status: %s",
		 or_any(p->filter.service), or_any(p->filter.need), or_any(p->filter.locality),
		 or_any(p->filter.tier), or_any(p->filter.status));
	draw_text(top, 0, width, line, A_NORMAL);
	searchlist_draw_field(sl, top + 1, " Name:", 7, 30);
	return 2;
}

static const char *const tiers[] = {"primary", "secondary", "peripheral", "registered", "spot"};
static const char *const tier_words[] = {"awarded for one locality", "awarded for one locality",
					 "awarded for the whole borough", "on the lot, no award",
					 "not on the lot (off framework)"};
static const char *const statuses[] = {"active", "suspended", "left"};

static enum reaction act(struct ui *ui, struct searchlist *sl, enum action a)
{
	struct providers *p = sl->owner;
	struct provider_filter *f = &p->filter;
	struct picker_option opts[SERVICE_COUNT > BR_MAX_LOCALITIES ? SERVICE_COUNT : BR_MAX_LOCALITIES];
	int n = 0;
	switch (a) {
	case ACT_FILTER_SERVICE:
		searchlist_pick(ui, sl, "Service", opts, options_services(opts, SERVICE_COUNT), f->service,
				sizeof f->service);
		return R_REDRAW;
	case ACT_FILTER_NEED:
		searchlist_pick(ui, sl, "Need", opts, options_needs(opts, NEED_COUNT), f->need, sizeof f->need);
		return R_REDRAW;
	case ACT_FILTER_LOCALITY:
		searchlist_pick(ui, sl, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES),
				f->locality, sizeof f->locality);
		return R_REDRAW;
	case ACT_FILTER_TIER:
		for (n = 0; n < 5; n++) {
			text_copy(opts[n].code, sizeof opts[n].code, tiers[n]);
			text_copy(opts[n].label, sizeof opts[n].label, tier_words[n]);
		}
		searchlist_pick(ui, sl, "Tier", opts, 5, f->tier, sizeof f->tier);
		return R_REDRAW;
	case ACT_FILTER_STATUS:
		for (n = 0; n < 3; n++) {
			text_copy(opts[n].code, sizeof opts[n].code, statuses[n]);
			opts[n].label[0] = '\0';
		}
		searchlist_pick(ui, sl, "Status", opts, 3, f->status, sizeof f->status);
		return R_REDRAW;
	case ACT_NEW_PROVIDER:
		provider_form_show(ui, 0);
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

static void open_row(struct ui *ui, const void *row)
{
	provider_show(ui, ((const struct provider_row *)row)->id);
}

static const struct searchlist_spec spec = {
	SEARCHLIST_STATE(struct providers, sl, filter),
	.row_size = sizeof(struct provider_row),
	.key_offset = offsetof(struct provider_row, key),
	.fetch = fetch,
	.cols = cols,
	.n_cols = 7,
	.empty = "No provider matches these filters; c clears them.",
	.header = header,
	.act = act,
	.open = open_row,
};

void *providers_new(struct ui *ui)
{
	return searchlist_new(ui, &spec);
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

const struct view_ops view_providers = SEARCHLIST_VIEW("Providers", keys, searchlist_field_keys);
