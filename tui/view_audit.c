/* view_audit.c — the Audit trail (admins and supervisors): newest first,
 * filtered by login, person, entity and day. Break-glass openings show
 * here with their reasons. */
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct audit_view {
	struct ui *ui;
	struct list list;
	struct audit_filter filter;
	char person_ref[17];
	int height;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows, int limit,
			    int *n, char **why)
{
	struct audit_view *a = ctx;
	return audit_list(a->ui->s, &a->filter, at, dir, rows, limit, n, why);
}

static void c_id(const void *r, char *b, size_t n) { snprintf(b, n, "%7lld", ((const struct audit_row *)r)->id); }
/* stored in UTC; shown in UK local time (DESIGN §5) */
static void c_at(const void *r, char *b, size_t n)
{
	const struct audit_row *a = r;
	time_t t;
	if (clock_parse(a->at, &t, NULL) == BR_OK)
		clock_local(t, b, n);
	else
		snprintf(b, n, "%.10s %.5s", a->at, a->at + 11);
}
static void c_login(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct audit_row *)r)->login); }
static void c_action(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct audit_row *)r)->action); }
static attr_t a_action(const void *r)
{
	return strstr(((const struct audit_row *)r)->action, "breakglass") ? theme(COLOUR_warning) | A_BOLD : A_NORMAL;
}
static void c_entity(const void *r, char *b, size_t n)
{
	const struct audit_row *a = r;
	snprintf(b, n, "%s %s", a->entity, a->entity_id);
}
static void c_detail(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct audit_row *)r)->detail); }

static const struct column cols[] = {
	{"Row", 7, 1, false, c_id, NULL, 0},
	{"When", 17, 0, false, c_at, NULL, 0},
	{"Login", 11, 0, false, c_login, NULL, 0},
	{"Action", 17, 0, false, c_action, a_action, 0},
	{"Entity", 14, 0, false, c_entity, NULL, 0},
	{"Detail", 16, 0, true, c_detail, NULL, 0},
};

static void reload(struct audit_view *a)
{
	char *why = NULL;
	ui_working(a->ui);
	ui_status(a->ui, list_reload(&a->list, &why), &why);
}

void *audit_view_new(struct ui *ui)
{
	if (!session_may(ui->s, CAP_AUDIT)) {
		ui_error(ui, "The audit trail is for admins and supervisors.");
		return NULL;
	}
	struct audit_view *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->ui = ui;
	list_init(&a->list, sizeof(struct audit_row), offsetof(struct audit_row, key), fetch, a, cols, 6,
		  "No audit rows match these filters; c clears them.");
	reload(a);
	return a;
}

static const char *or_any(const char *s) { return s[0] ? s : "any"; }

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct audit_view *a = v->state;
	char line[200];
	if (a->filter.person_id)
		snprintf(line, sizeof line, " Login: %s  Person: %s (everything about them)  Day: %s",
			 or_any(a->filter.login), a->person_ref, or_any(a->filter.day));
	else
		snprintf(line, sizeof line, " Login: %s  Entity: %s %s  Day: %s", or_any(a->filter.login),
			 or_any(a->filter.entity), a->filter.entity_id, or_any(a->filter.day));
	draw_text(top, 0, width, line, A_NORMAL);
	a->height = height - 1;
	list_draw(&a->list, top + 1, height - 1, width);
}

static void set_login(struct ui *ui, void *ctx, const char *text)
{
	(void)ui;
	struct audit_view *a = ctx;
	text_copy(a->filter.login, sizeof a->filter.login, text);
	reload(a);
}

static void set_day(struct ui *ui, void *ctx, const char *text)
{
	struct audit_view *a = ctx;
	int64_t d;
	char *why = NULL;
	if (date_parse(text, &d, &why) != BR_OK) {
		ui_status(ui, BR_DATA, &why);
		return;
	}
	text_copy(a->filter.day, sizeof a->filter.day, text);
	reload(a);
}

static void set_person(struct ui *ui, void *ctx, const char *text)
{
	struct audit_view *a = ctx;
	struct su_row su;
	char *why = NULL;
	if (su_find_ref(ui->s->store, text, &su, &why) != BR_OK) {
		ui_status(ui, BR_NOTFOUND, &why);
		return;
	}
	/* everything about the person: their record, requests, offers, call-offs */
	a->filter.entity[0] = '\0';
	a->filter.entity_id[0] = '\0';
	a->filter.person_id = su.id;
	text_copy(a->person_ref, sizeof a->person_ref, su.ref);
	reload(a);
}

static const char *const entities[] = {"person", "request", "offer", "calloff", "approval", "user", "config"};

static void set_entity(struct ui *ui, void *ctx, int i)
{
	(void)ui;
	struct audit_view *a = ctx;
	text_copy(a->filter.entity, sizeof a->filter.entity, i < 0 ? "" : entities[i]);
	a->filter.person_id = 0;
	a->filter.entity_id[0] = '\0';
	reload(a);
}

static enum reaction act(struct ui *ui, struct view *v, enum action act_)
{
	struct audit_view *a = v->state;
	switch (act_) {
	case ACT_FILTER_LOGIN:
		prompt_open(ui, "Filter", "Login:", set_login, a);
		return R_REDRAW;
	case ACT_FILTER_PERSON:
		prompt_open(ui, "Filter", "The person's reference (SU000123):", set_person, a);
		return R_REDRAW;
	case ACT_FILTER_DAY:
		prompt_open(ui, "Filter", "Day (YYYY-MM-DD, UK time):", set_day, a);
		return R_REDRAW;
	case ACT_FILTER_ENTITY: {
		struct picker_option opts[7];
		for (int i = 0; i < 7; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, entities[i]);
			opts[i].label[0] = '\0';
		}
		picker_open(ui, "Entity", opts, 7, true, set_entity, a);
		return R_REDRAW;
	}
	case ACT_CLEAR:
		memset(&a->filter, 0, sizeof a->filter);
		reload(a);
		return R_REDRAW;
	case ACT_OPEN: {
		const struct audit_row *r = list_selected(&a->list);
		if (r) {
			char when[40];
			c_at(r, when, sizeof when);
			ui_say(ui, "%lld %s %s %s %s %s: %s", r->id, when, r->login, r->action, r->entity, r->entity_id,
			       r->detail);
		}
		return R_REDRAW;
	}
	default:
		return list_act(&a->list, act_, a->height, ui);
	}
}

static void close_view(struct view *v)
{
	struct audit_view *a = v->state;
	list_free(&a->list);
	free(a);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, "whole row"},
	{'w', ACT_FILTER_LOGIN, "w", true, NULL},
	{'p', ACT_FILTER_PERSON, "p", true, NULL},
	{'e', ACT_FILTER_ENTITY, "e", true, NULL},
	{'d', ACT_FILTER_DAY, "d", true, NULL},
	{'c', ACT_CLEAR, "c", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_audit = {
	.title = "Audit",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
};
