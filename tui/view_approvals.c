/* view_approvals.c — Approvals (supervisors): the queue oldest first with
 * the rules that fired, cost, tier, person, provider and who can approve;
 * Enter shows the detail with the cascade as it was; a approves, r
 * rejects (a note is required). Core decides who may. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui.h"

struct approvals {
	struct ui *ui;
	struct list list;
	int height;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows, int limit,
			    int *n, char **why)
{
	struct approvals *a = ctx;
	return approval_list(a->ui->s, at, dir, rows, limit, n, why);
}

static void c_when(const void *r, char *b, size_t n) { snprintf(b, n, "%.10s", ((const struct approval_item *)r)->requested_at); }
static void c_ref(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct approval_item *)r)->ref); }
static void c_person(const void *r, char *b, size_t n)
{
	const struct approval_item *a = r;
	snprintf(b, n, "%s%s", a->mine ? "[yours] " : "", a->person);
}
static void c_proposers(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct approval_item *)r)->proposers); }
static void detail(const void *r, char *b, size_t n)
{
	const struct approval_item *a = r;
	snprintf(b, n, "%s. Proposed by %s%s. Who can approve: %s.", a->rules, a->proposers,
		 a->mine ? " (you: another supervisor must decide)" : "",
		 a->can_approve[0] ? a->can_approve : "no supervisor's limit covers it");
}
static void c_provider(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct approval_item *)r)->provider); }
static void c_weekly(const void *r, char *b, size_t n)
{
	char m[32];
	money_format(((const struct approval_item *)r)->weekly_cost, m, sizeof m);
	snprintf(b, n, "%10s", m);
}
static void c_rules(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct approval_item *)r)->rules); }
static void c_who(const void *r, char *b, size_t n)
{
	const struct approval_item *a = r;
	snprintf(b, n, "%s", a->can_approve[0] ? a->can_approve : "nobody's limit");
}
static attr_t a_rules(const void *r) { (void)r; return theme(COLOUR_warning); }

static const struct column cols[] = {
	{"Asked", 10, 0, false, c_when, NULL, 0},
	{"Ref", 8, 2, false, c_ref, NULL, 0},
	{"Person", 14, 0, true, c_person, NULL, 1},
	{"Provider", 16, 0, false, c_provider, NULL, 1},
	{"Weekly", 10, 0, false, c_weekly, NULL, 0},
	{"Why it needs approval", 24, 0, false, c_rules, a_rules, 16},
	{"Proposed by", 14, 1, false, c_proposers, NULL, 0},
	{"Who can approve", 20, 3, false, c_who, NULL, 1},
};

static void reload(struct approvals *a)
{
	char *why = NULL;
	ui_status(a->ui, list_reload(&a->list, &why), &why);
}

void *approvals_new(struct ui *ui)
{
	if (!session_may(ui->s, CAP_APPROVE) && !session_may(ui->s, CAP_ADMIN)) {
		ui_error(ui, "Approvals are for supervisors.");
		return NULL;
	}
	struct approvals *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->ui = ui;
	list_init(&a->list, sizeof(struct approval_item), offsetof(struct approval_item, key), fetch, a, cols, 8,
		  "Nothing is waiting for approval.");
	a->list.detail = detail;
	reload(a);
	return a;
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct approvals *a = v->state;
	draw_text(top, 0, width, " Waiting for a supervisor, oldest first. Enter: the detail and the cascade.",
		  A_NORMAL);
	a->height = height - 1;
	list_draw(&a->list, top + 1, height - 1, width);
}

static enum reaction act(struct ui *ui, struct view *v, enum action act_)
{
	struct approvals *a = v->state;
	if (act_ == ACT_OPEN) {
		const struct approval_item *it = list_selected(&a->list);
		if (it)
			approval_show(ui, it->calloff_id);
		return R_REDRAW;
	}
	return list_act(&a->list, act_, a->height, ui);
}

static void resume(struct ui *ui, struct view *v)
{
	(void)ui;
	reload(v->state);
}

static void close_view(struct view *v)
{
	struct approvals *a = v->state;
	list_free(&a->list);
	free(a);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, "detail"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_approvals = {
	.title = "Approvals",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
	.resume = resume,
};

/* ---- one approval ------------------------------------------------------------- */

struct approval_view {
	int64_t calloff_id;
	struct approval_item a;
	struct offer_history offers[32];
	int n_offers;
};

static void load(struct ui *ui, struct approval_view *av)
{
	char *why = NULL;
	enum br_status st = approval_get(ui->s, av->calloff_id, &av->a, &why);
	if (st == BR_OK)
		st = approval_offers(ui->s, av->a.request_id, av->offers, 32, &av->n_offers, &why);
	ui_status(ui, st, &why);
}

static void detail_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct approval_view *av = v->state;
	const struct approval_item *a = &av->a;
	char line[400], weekly[64], annual[32], rate[32];
	service_cost_words(service_find(a->service), a->weekly_cost, a->units, weekly, sizeof weekly);
	money_format(a->annual_cost, annual, sizeof annual);
	money_format(a->unit_rate, rate, sizeof rate);
	int y = top;
	snprintf(line, sizeof line, " Call-off %lld for %s (%s): %s", (long long)a->calloff_id, a->person, a->ref,
		 strcmp(a->status, "pending") == 0 ? "waiting for approval" : a->status);
	y += draw_wrapped(y, 0, width, 2, 1, line, A_BOLD);
	snprintf(line, sizeof line, "   %s, %s tier, %s %lld units at %s = %s, %s a year", a->provider, a->tier,
		 a->service, (long long)a->units, rate, weekly, annual);
	y += draw_wrapped(y, 0, width, 2, 5, line, A_NORMAL);
	char asked[40];
	time_t t;
	if (clock_parse(a->requested_at, &t, NULL) == BR_OK)
		clock_local(t, asked, sizeof asked);
	else
		text_copy(asked, sizeof asked, a->requested_at);
	snprintf(line, sizeof line, "   Proposed by %s at %s%s%s", a->requested_by, asked,
		 a->due_date[0] ? "; due " : "", a->due_date);
	y += draw_wrapped(y, 0, width, 2, 5, line, A_NORMAL);
	snprintf(line, sizeof line, "   Shaped by (four eyes: none of them decides): %s%s", a->proposers,
		 a->mine ? ". That includes you." : "");
	y += draw_wrapped(y, 0, width, 2, 5, line, a->mine ? theme(COLOUR_warning) : A_NORMAL);
	y++;
	draw_text(y++, 1, width - 2, "Why it needs approval", theme(COLOUR_heading));
	char rules[400];
	text_copy(rules, sizeof rules, a->rules);
	char *save = NULL;
	for (char *r = strtok_r(rules, ";", &save); r && y < top + height; r = strtok_r(NULL, ";", &save)) {
		while (*r == ' ')
			r++;
		snprintf(line, sizeof line, "   - %s", r);
		y += draw_wrapped(y, 0, width, 2, 5, line, theme(COLOUR_warning));
	}
	snprintf(line, sizeof line, "   Who can approve: %s", a->can_approve[0] ? a->can_approve : "no supervisor's limit covers it");
	y += draw_wrapped(y, 0, width, 2, 5, line, A_NORMAL);
	y++;
	draw_text(y++, 1, width - 2, "The cascade as it was (offers in order)", theme(COLOUR_heading));
	for (int i = 0; i < av->n_offers && y < top + height; i++) {
		const struct offer_history *o = &av->offers[i];
		char when[40];
		if (clock_parse(o->offered_at, &t, NULL) == BR_OK)
			clock_local(t, when, sizeof when);
		else
			text_copy(when, sizeof when, o->offered_at);
		/* a decline's reason in words, not its code */
		int d = decline_find(o->reason);
		snprintf(line, sizeof line, "   %s %-28s %-10s %-9s %s%s%s", when, o->provider, o->tier,
			 o->status, d >= 0 ? decline_text(d) : o->reason, o->note[0] ? ": " : "", o->note);
		/* the reason and note wrap rather than being cut */
		int room = top + height - y;
		y += draw_wrapped(y, 0, width, room < 2 ? room : 2, 21, line, theme_tier(o->tier));
	}
}

static void decided(struct ui *ui, struct approval_view *av, bool approve, const char *note)
{
	char *why = NULL;
	enum br_status st = approval_decide(ui->s, av->calloff_id, approve, note, &why);
	if (st == BR_OK)
		ui_say(ui, "Call-off %lld %s.", (long long)av->calloff_id,
		       approve ? "approved" : "rejected: capacity returned, the request is open again");
	else
		ui_status(ui, st, &why);
	load(ui, av);
}

static void approve_note(struct ui *ui, void *ctx, const char *note)
{
	decided(ui, ctx, true, note);
}

static void reject_note(struct ui *ui, void *ctx, const char *note)
{
	decided(ui, ctx, false, note);
}

static enum reaction detail_act(struct ui *ui, struct view *v, enum action a)
{
	struct approval_view *av = v->state;
	if (a == ACT_APPROVE || a == ACT_REJECT) {
		/* say at once why not, before a note is typed */
		char *why = NULL;
		enum br_status st = approval_may_decide(ui->s, av->calloff_id, a == ACT_APPROVE, &why);
		if (st != BR_OK) {
			ui_status(ui, st, &why);
			return R_REDRAW;
		}
	}
	if (a == ACT_APPROVE) {
		prompt_open(ui, "Approve", "A note for the record (Enter to approve):", approve_note, av);
		return R_REDRAW;
	}
	if (a == ACT_REJECT) {
		prompt_open(ui, "Reject", "Why is it rejected? (the officer sees this)", reject_note, av);
		return R_REDRAW;
	}
	return R_UNHANDLED;
}

static void detail_close(struct view *v)
{
	free(v->state);
}

static const struct keybind detail_keys[] = {
	{'a', ACT_APPROVE, "a", true, NULL},
	{'r', ACT_REJECT, "r", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_approval = {
	.title = "Approval",
	.keys = detail_keys,
	.draw = detail_draw,
	.act = detail_act,
	.close = detail_close,
};

void approval_show(struct ui *ui, int64_t calloff_id)
{
	struct approval_view *av = calloc(1, sizeof *av);
	if (!av)
		return;
	av->calloff_id = calloff_id;
	char *why = NULL;
	if (approval_get(ui->s, calloff_id, &av->a, &why) != BR_OK) {
		ui_status(ui, BR_NOTFOUND, &why);
		free(av);
		return;
	}
	load(ui, av);
	ui_push(ui, &view_approval, av);
}
