/* view_home.c — Home: the work queue. Open requests by urgency and days
 * waiting (hand-backs first) with the officer who has each, the ones that
 * are mine, my offers awaiting answers, and for supervisors the approvals
 * waiting. t takes the selected request (another officer's: with a reason,
 * unless it has been idle). */
#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct home {
	struct ui *ui;
	struct list lists[QUEUE_KINDS];
	struct fetch_ctx {
		struct ui *ui;
		enum queue_kind kind;
	} ctx[QUEUE_KINDS];
	int pane;             /* index into order[] */
	int n_panes;
	enum queue_kind order[QUEUE_KINDS];
	int64_t taking;       /* the request t is taking over (or A assigns), while asked */
	struct queue_counts counts;
	int height;
#define HOME_ASSIGNEES 64
	struct assignee assignees[HOME_ASSIGNEES]; /* A: who the picker offers */
	int n_assignees;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows,
			    int limit, int *n, char **why)
{
	struct fetch_ctx *c = ctx;
	return queue_list(c->ui->s, c->kind, at, dir, rows, limit, n, why);
}

static void c_urgency(const void *r, char *b, size_t n)
{
	const struct queue_row *q = r;
	snprintf(b, n, "%s", q->handback ? "HAND-BACK" : strcmp(q->urgency, "emergency") == 0 ? "EMERGENCY"
										    : q->urgency);
}
static attr_t a_urgency(const void *r)
{
	const struct queue_row *q = r;
	if (q->handback || strcmp(q->urgency, "emergency") == 0)
		return theme(COLOUR_warning) | A_BOLD;
	return strcmp(q->urgency, "urgent") == 0 ? theme(COLOUR_warning) : A_NORMAL;
}
static void c_days(const void *r, char *b, size_t n) { snprintf(b, n, "%4d", ((const struct queue_row *)r)->days_waiting); }
static void c_ref(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->ref); }
static void c_person(const void *r, char *b, size_t n)
{
	const struct queue_row *q = r;
	snprintf(b, n, "%s%s", q->restricted ? "[restricted] " : "", q->person);
}
static void c_service(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->service); }
static void c_units(const void *r, char *b, size_t n) { snprintf(b, n, "%5lld", (long long)((const struct queue_row *)r)->units); }
static void c_loc(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->locality); }
static void c_who(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->assigned_to); }
static void c_provider(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->provider); }
static void c_detail(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct queue_row *)r)->detail); }
/* a UTC stamp on screen in UK local time, short: "23 Nov 14:05" */
static void local_short(const char *stamp, char *b, size_t n)
{
	time_t t;
	char full[40];
	if (!stamp[0] || clock_parse(stamp, &t, NULL) != BR_OK) {
		snprintf(b, n, "%s", stamp);
		return;
	}
	clock_local(t, full, sizeof full); /* "23 Nov 2026 14:05" */
	snprintf(b, n, "%.6s %.5s", full, full + 12);
}
static void c_sent(const void *r, char *b, size_t n) { local_short(((const struct queue_row *)r)->sent_at, b, n); }
static void c_due(const void *r, char *b, size_t n) { local_short(((const struct queue_row *)r)->due_at, b, n); }
static void c_cost(const void *r, char *b, size_t n)
{
	char m[32];
	money_format(((const struct queue_row *)r)->weekly_cost, m, sizeof m);
	snprintf(b, n, "%10s", m);
}

static const struct column request_cols[] = {
	{"Urgency", 9, 0, false, c_urgency, a_urgency, 0},
	{"Days", 4, 0, false, c_days, NULL, 0},
	{"Ref", 8, 1, false, c_ref, NULL, 0},
	{"Person", 18, 0, true, c_person, NULL, 0},
	{"Svc", 3, 0, false, c_service, NULL, 0},
	{"Units", 5, 0, false, c_units, NULL, 0},
	{"Loc", 3, 0, false, c_loc, NULL, 0},
	{"Offer out to", 12, 2, false, c_provider, NULL, 2},
	{"Officer", 8, 1, false, c_who, NULL, 0},
};

static const struct column offer_cols[] = {
	{"Urgency", 9, 0, false, c_urgency, a_urgency, 0},
	{"Ref", 8, 1, false, c_ref, NULL, 0},
	{"Person", 14, 0, true, c_person, NULL, 1},
	{"Svc", 3, 0, false, c_service, NULL, 0},
	{"Provider", 16, 0, false, c_provider, NULL, 2},
	{"Sent", 12, 0, false, c_sent, NULL, 0},
	{"Answer due", 12, 0, false, c_due, NULL, 0},
	{"Tier", 10, 1, false, c_detail, NULL, 0},
};

static const struct column approval_cols[] = {
	{"Ref", 8, 1, false, c_ref, NULL, 0},
	{"Person", 18, 0, true, c_person, NULL, 0},
	{"Svc", 3, 0, false, c_service, NULL, 0},
	{"Provider", 20, 0, false, c_provider, NULL, 1},
	{"Weekly", 10, 0, false, c_cost, NULL, 0},
	{"Rules that fired", 24, 1, false, c_detail, NULL, 4},
};

static const char *const pane_names[QUEUE_KINDS] = {"Waiting requests", "My offers", "Approvals", "Mine"};

static void reload(struct home *h)
{
	char *why = NULL;
	enum br_status st = queue_counts(h->ui->s, &h->counts, &why);
	for (int i = 0; i < h->n_panes && st == BR_OK; i++)
		st = list_reload(&h->lists[h->order[i]], &why);
	ui_status(h->ui, st, &why);
}

void *home_new(struct ui *ui)
{
	struct home *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->ui = ui;
	/* the team's queue, then mine beside it, my offers, approvals */
	h->order[h->n_panes++] = QUEUE_REQUESTS;
	h->order[h->n_panes++] = QUEUE_MINE;
	h->order[h->n_panes++] = QUEUE_MY_OFFERS;
	if (session_may(ui->s, CAP_APPROVE))
		h->order[h->n_panes++] = QUEUE_APPROVALS;
	const struct column *cols[] = {request_cols, offer_cols, approval_cols, request_cols};
#define N(cols) (int)(sizeof cols / sizeof cols[0])
	int ncols[] = {N(request_cols), N(offer_cols), N(approval_cols), N(request_cols)};
#undef N
	const char *empty[] = {"No open requests: everyone is placed.",
			       "You have no offers waiting for an answer.",
			       "No call-offs are waiting for approval.",
			       "No requests are yours: t on a waiting request takes it."};
	for (int i = 0; i < QUEUE_KINDS; i++) {
		h->ctx[i] = (struct fetch_ctx){ui, (enum queue_kind)i};
		list_init(&h->lists[i], sizeof(struct queue_row), offsetof(struct queue_row, key), fetch,
			  &h->ctx[i], cols[i], ncols[i], empty[i]);
	}
	reload(h);
	return h;
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct home *h = v->state;
	const struct queue_counts *c = &h->counts;
	char line[300];
	snprintf(line, sizeof line,
		 " %d open: %d emergency, %d urgent, %d routine; %d hand-back%s; longest wait %d day%s",
		 c->open, c->emergency, c->urgent, c->routine, c->handbacks, c->handbacks == 1 ? "" : "s",
		 c->oldest_days, c->oldest_days == 1 ? "" : "s");
	draw_text(top, 0, width, line, A_BOLD);
	snprintf(line, sizeof line, " Offers out: %d mine, %d team.  Awaiting approval: %d.", c->my_offers,
		 c->offers_pending, c->approvals_waiting);
	if (c->overnight) {
		size_t len = strlen(line);
		snprintf(line + len, sizeof line - len, "  Booked overnight: %d.", c->overnight);
	}
	if (c->retainers_lapsed) {
		/* paused care whose retainer ran out: the capacity went back */
		size_t len = strlen(line);
		snprintf(line + len, sizeof line - len, "  Retainers lapsed: %d.", c->retainers_lapsed);
	}
	draw_text(top + 1, 0, width, line, c->retainers_lapsed ? theme(COLOUR_warning) : A_NORMAL);
	/* tabs */
	int x = 1;
	for (int i = 0; i < h->n_panes; i++) {
		enum queue_kind k = h->order[i];
		int count = k == QUEUE_REQUESTS ? c->open : k == QUEUE_MINE ? c->mine : k == QUEUE_MY_OFFERS ? c->my_offers
											  : c->approvals_waiting;
		snprintf(line, sizeof line, " %s (%d) ", pane_names[k], count);
		int w = text_width(line);
		draw_text(top + 2, x, w, line, i == h->pane ? theme(COLOUR_selection) | A_BOLD : A_NORMAL);
		x += w + 1;
	}
	h->height = height - 3;
	list_draw(&h->lists[h->order[h->pane]], top + 3, height - 3, width);
}

static void take_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct home *h = ctx;
	char *why = NULL;
	enum br_status st = request_take(ui->s, h->taking, reason, &why);
	if (st == BR_OK)
		ui_say(ui, "Request %lld is yours (taken over: %s).", (long long)h->taking, reason);
	else
		ui_status(ui, st, &why);
	reload(h);
}

/* A supervisor gives the chosen request to an officer (the picker's order). */
static void assign_to(struct ui *ui, void *ctx, int index)
{
	struct home *h = ctx;
	if (index < 0 || index >= h->n_assignees)
		return;
	char *why = NULL;
	const char *login = h->assignees[index].login;
	enum br_status st = request_assign(ui->s, h->taking, login, &why);
	if (st == BR_OK)
		ui_say(ui, "Request %lld is %s's now.", (long long)h->taking, login);
	else
		ui_status(ui, st, &why);
	reload(h);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct home *h = v->state;
	enum queue_kind kind = h->order[h->pane];
	struct list *l = &h->lists[kind];
	if (a == ACT_NEXT_PANE) {
		h->pane = (h->pane + 1) % h->n_panes;
		return R_REDRAW;
	}
	if (a == ACT_REFRESH) {
		reload(h);
		return R_UNHANDLED; /* and let the shell repaint the terminal */
	}
	if (a == ACT_OPEN) {
		const struct queue_row *r = list_selected(l);
		if (r && kind != QUEUE_APPROVALS)
			match_show(ui, r->request_id);
		else if (r)
			approval_show(ui, r->calloff_id);
		return R_REDRAW;
	}
	if (a == ACT_GO_HOME) {
		reload(h);
		return R_REDRAW;
	}
	if (a == ACT_TAKE) {
		const struct queue_row *r = list_selected(l);
		if (!r || (kind != QUEUE_REQUESTS && kind != QUEUE_MINE)) {
			ui_error(ui, "t takes a request: on Waiting requests, choose one first.");
			return R_REDRAW;
		}
		int64_t id = r->request_id;
		char *why = NULL;
		enum br_status st = request_take(ui->s, id, NULL, &why);
		if (st == BR_DENIED && why && strstr(why, "needs a reason")) {
			/* another officer has it: say who, and ask why */
			char q[160];
			snprintf(q, sizeof q, "%s has it. Why are you taking it over?", r->assigned_to);
			br_free_str(&why);
			h->taking = id;
			prompt_open(ui, "Take over the request", q, take_reason, h);
			return R_REDRAW;
		}
		if (st == BR_OK)
			ui_say(ui, "Request %lld is yours.", (long long)id);
		else
			ui_status(ui, st, &why);
		reload(h);
		return R_REDRAW;
	}
	if (a == ACT_ASSIGN) {
		const struct queue_row *r = list_selected(l);
		if (!r || (kind != QUEUE_REQUESTS && kind != QUEUE_MINE)) {
			ui_error(ui, "A assigns a request: on Waiting requests, choose one first.");
			return R_REDRAW;
		}
		char *why = NULL;
		enum br_status st = request_assignees(ui->s, h->assignees, HOME_ASSIGNEES, &h->n_assignees, &why);
		if (st != BR_OK) {
			ui_status(ui, st, &why);
			return R_REDRAW;
		}
		struct picker_option opts[HOME_ASSIGNEES];
		for (int i = 0; i < h->n_assignees; i++) {
			const struct assignee *p = &h->assignees[i];
			text_copy(opts[i].code, sizeof opts[i].code, p->login);
			snprintf(opts[i].label, sizeof opts[i].label, "%.30s, %s, %d open%s", p->name, p->role, p->open,
				 strcmp(p->login, r->assigned_to) == 0 ? " (has it)" : "");
		}
		h->taking = r->request_id;
		char title[80];
		snprintf(title, sizeof title, "Assign request %lld to", (long long)r->request_id);
		picker_open(ui, title, opts, h->n_assignees, false, assign_to, h);
		return R_REDRAW;
	}
	return list_act(l, a, h->height, ui);
}

static void resume(struct ui *ui, struct view *v)
{
	(void)ui;
	struct home *h = v->state;
	int pane = h->pane;
	int sel[QUEUE_KINDS];
	for (int i = 0; i < QUEUE_KINDS; i++)
		sel[i] = h->lists[i].sel;
	reload(h);
	h->pane = pane;
	for (int i = 0; i < QUEUE_KINDS; i++)
		if (sel[i] < h->lists[i].n)
			h->lists[i].sel = sel[i];
}

static void close_view(struct view *v)
{
	struct home *h = v->state;
	for (int i = 0; i < QUEUE_KINDS; i++)
		list_free(&h->lists[i]);
	free(h);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, "match"},
	{'\t', ACT_NEXT_PANE, "Tab", true, NULL},
	{'t', ACT_TAKE, "t", true, NULL},
	{'A', ACT_ASSIGN, "A", false, "assign to an officer (supervisors)"},
	{'!', ACT_RESPITE, "!", true, "respite"},
	{'2', ACT_GO_PEOPLE, "2", true, NULL},
	{'3', ACT_GO_PROVIDERS, "3", false, NULL}, /* in help; the footer has no room */
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_home = {
	.title = "Home",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
	.resume = resume,
};
