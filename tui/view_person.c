/* view_person.c — one person: identity, needs, funding, current call-offs,
 * open requests, history. Opening it is audited (core); a restricted
 * record asks for a break-glass reason first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define MAX_LINES 700

/* The lines Up/Down select: each call-off and each open request (a
 * selectable list, so m, e, x and Enter act on the one chosen). */
struct person_item {
	bool request;
	int64_t id;
};

struct person_view {
	struct person_detail *d;
	struct textpane pane;
	struct person_item items[256];
	int n_items;
};

static void item(struct person_view *pv, bool request, int64_t id)
{
	if (pv->n_items >= (int)(sizeof pv->items / sizeof pv->items[0]))
		return;
	pv->items[pv->n_items].request = request;
	pv->items[pv->n_items].id = id;
	textpane_item(&pv->pane, ++pv->n_items);
}

static const struct person_item *selected_item(const struct person_view *pv)
{
	int i = textpane_selected(&pv->pane);
	return i > 0 && i <= pv->n_items ? &pv->items[i - 1] : NULL;
}

#define add(pv, ...) textpane_add(&(pv)->pane, __VA_ARGS__)

static const char *funding_words(const char *f, int asc, char *buf, size_t n)
{
	if (strcmp(f, "JOINT") == 0)
		snprintf(buf, n, "joint (Section 75): council %d%%, NHS CHC %d%%", asc, 100 - asc);
	else if (strcmp(f, "CHC") == 0)
		snprintf(buf, n, "NHS continuing healthcare");
	else
		snprintf(buf, n, "council adult social care");
	return buf;
}

/* the call-offs shown as current: not over yet */
static bool current_status(const char *st)
{
	return calloff_status_in(st, CG_LIVE);
}

static void build(struct person_view *pv)
{
	const struct person_detail *d = pv->d;
	const struct su_row *s = &d->su;
	char nhs[13], buf[160], money[32];
	pv->n_items = 0;
	nhs_format(s->nhs, nhs);
	add(pv, A_BOLD, "%s, %s   (%s)%s", s->family, s->given, s->ref, s->restricted ? "   RESTRICTED" : "");
	add(pv, A_NORMAL, "NHS number %s   Born %s (age %d)   Status %s", nhs, s->dob, d->age, s->status);
	add(pv, A_NORMAL, "Locality %s (%s)   Postcode %s", d->locality_name, s->locality, s->postcode);
	int pn = need_find(s->primary_need);
	add(pv, A_NORMAL, "Primary need: %s%s", pn >= 0 ? need_name(pn) : s->primary_need,
	    s->forensic ? " (forensic)" : "");
	if (s->other_needs[0]) {
		char others[160] = "";
		char copy[32];
		text_copy(copy, sizeof copy, s->other_needs);
		char *save = NULL;
		for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
			int i = need_find(t);
			size_t len = strlen(others);
			snprintf(others + len, sizeof others - len, "%s%s", len ? ", " : "", i >= 0 ? need_name(i) : t);
		}
		add(pv, A_NORMAL, "Other needs: %s", others);
	}
	add(pv, A_NORMAL, "Funding: %s   Direct payment: %s", funding_words(s->funding, 100, buf, sizeof buf),
	    s->direct_payment ? "yes" : "no");
	if (s->s117 || s->fnc)
		add(pv, A_NORMAL, "%s%s%s", s->s117 ? "Section 117 aftercare (free to them)" : "",
		    s->s117 && s->fnc ? "   " : "", s->fnc ? "Funded nursing care: assessed" : "");
	add(pv, A_NORMAL, "%s", "");
	int current = 0;
	for (int i = 0; i < d->n_calloffs; i++)
		if (current_status(d->calloffs[i].status))
			current++;
	add(pv, theme(COLOUR_heading), "Current call-offs (%d)", current);
	if (current) {
		char council[32], nhs_cost[32];
		money_format(d->weekly_council, council, sizeof council);
		money_format(d->weekly_nhs, nhs_cost, sizeof nhs_cost);
		add(pv, A_BOLD, "  Weekly cost now: council %s, NHS %s%s", council, nhs_cost,
		    d->n_paused ? " (paused care at its retainer)" : "");
		if (d->weekly_fnc || d->weekly_s117) {
			char fnc[32], s117[32];
			money_format(d->weekly_fnc, fnc, sizeof fnc);
			money_format(d->weekly_s117, s117, sizeof s117);
			add(pv, A_NORMAL, "  of which: funded nursing care (NHS) %s; Section 117 aftercare %s", fnc, s117);
		}
	}
	for (int i = 0; i < d->n_calloffs; i++) {
		const struct person_calloff *c = &d->calloffs[i];
		bool now = current_status(c->status);
		if (!now)
			continue;
		money_format(c->weekly_cost, money, sizeof money);
		int si = service_find(c->service);
		add(pv, A_NORMAL, "  #%-6lld %-3s %3lld %-13s %11s a week  from %s%s%s", (long long)c->id,
		    c->service, (long long)c->units, si >= 0 ? service_unit(si) : "", money, c->start,
		    c->end[0] ? " to " : "", c->end);
		item(pv, false, c->id);
		bool waiting = strcmp(c->status, "active") != 0;
		add(pv, waiting ? theme(COLOUR_warning) : A_NORMAL, "           %s (%s)%s%s", c->provider, c->tier,
		    waiting ? ": " : "", !waiting ? "" : strcmp(c->status, "awaiting_approval") == 0 ? "awaiting approval"
						: strcmp(c->status, "paused") == 0 ? "paused, on a retainer"
						: strcmp(c->status, "paused_released") == 0 ? "paused, capacity released"
						: strcmp(c->status, "varied") == 0 ? "varied: ends the day before the new one"
						: c->status);
	}
	if (!current)
		add(pv, theme(COLOUR_muted), "  none");
	add(pv, A_NORMAL, "%s", "");
	int open = 0;
	for (int i = 0; i < d->n_requests; i++)
		open += strcmp(d->requests[i].status, "open") == 0;
	add(pv, theme(COLOUR_heading), "Open requests (%d)", open);
	for (int i = 0; i < d->n_requests; i++) {
		const struct person_request *r = &d->requests[i];
		if (strcmp(r->status, "open") != 0)
			continue;
		add(pv, strcmp(r->urgency, "emergency") == 0 || r->handback ? theme(COLOUR_warning) : A_NORMAL,
		    "  request %-6lld %-3s %3lld units  %-9s from %s  raised %.10s%s", (long long)r->id,
		    r->service, (long long)r->units, r->urgency, r->start, r->created,
		    r->handback ? "  HAND-BACK: re-source" : "");
		item(pv, true, r->id);
	}
	if (!open)
		add(pv, theme(COLOUR_muted), "  none");
	add(pv, A_NORMAL, "%s", "");
	add(pv, theme(COLOUR_heading), "History");
	int hist = 0;
	for (int i = 0; i < d->n_calloffs; i++) {
		const struct person_calloff *c = &d->calloffs[i];
		if (strcmp(c->status, "ended") != 0 && strcmp(c->status, "rejected") != 0 &&
		    strcmp(c->status, "cancelled") != 0)
			continue;
		money_format(c->weekly_cost, money, sizeof money);
		add(pv, theme(COLOUR_muted), "  #%-6lld %-3s %3lld units %11s a week  %-9s %s to %s", (long long)c->id,
		    c->service, (long long)c->units, money, c->status, c->start, c->end[0] ? c->end : "-");
		item(pv, false, c->id);
		add(pv, theme(COLOUR_muted), "           %s", c->provider);
		hist++;
	}
	for (int i = 0; i < d->n_requests; i++) {
		const struct person_request *r = &d->requests[i];
		if (strcmp(r->status, "cancelled") != 0)
			continue;
		add(pv, theme(COLOUR_muted), "  request %-6lld %-3s cancelled (raised %.10s)", (long long)r->id,
		    r->service, r->created);
		hist++;
	}
	if (!hist)
		add(pv, theme(COLOUR_muted), "  nothing earlier");
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct person_view *pv = v->state;
	textpane_draw(&pv->pane, top, height, width);
}

static void calloff_chosen(struct ui *ui, void *ctx, int index)
{
	struct person_view *pv = ctx;
	if (index >= 0 && index < pv->d->n_calloffs)
		calloff_show(ui, pv->d->calloffs[index].id);
}

/* The open requests: m, e and x act on the selected one, or on the only
 * one; with several and none selected, the first is selected to choose
 * from (Up/Down), not guessed. */
static void request_do(struct ui *ui, enum action a, int64_t id)
{
	if (a == ACT_MATCH)
		match_show(ui, id);
	else if (a == ACT_EDIT_REQUEST)
		request_edit_show(ui, id);
	else
		request_cancel_ask(ui, id);
}

static void pick_request(struct ui *ui, struct person_view *pv, enum action a)
{
	const struct person_item *it = selected_item(pv);
	if (it && it->request) {
		request_do(ui, a, it->id);
		return;
	}
	int n = 0, first = 0;
	int64_t only = 0;
	for (int i = 0; i < pv->n_items; i++)
		if (pv->items[i].request) {
			if (!n++)
				first = i + 1;
			only = pv->items[i].id;
		}
	if (!n) {
		ui_error(ui, "%s has no open request%s", pv->d->su.ref, a == ACT_MATCH ? " to match: n raises one." : ".");
		return;
	}
	if (n == 1) {
		request_do(ui, a, only);
		return;
	}
	textpane_select(&pv->pane, first);
	ui_say(ui, "%d open requests: choose one with Up/Down (the first is selected), then %s.", n,
	       a == ACT_MATCH ? "m" : a == ACT_EDIT_REQUEST ? "e" : "x");
}

static void reload_person(struct ui *ui, struct person_view *pv);

static const char *const close_codes[] = {"moved_away", "closed"};

struct close_ctx {
	struct person_view *pv;
	int reason;
};

static void close_noted(struct ui *ui, void *ctx, const char *note)
{
	struct close_ctx *c = ctx;
	struct person_view *pv = c->pv;
	const char *code = close_codes[c->reason];
	free(c);
	char *why = NULL;
	int n = 0;
	enum br_status st = person_close(ui->s, pv->d->su.id, code, note, true, &n, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	reload_person(ui, pv);
	ui_say(ui, "%s closed (%s)%s%d open request%s cancelled.", pv->d->su.ref, person_close_reason_text(code),
	       n ? ": " : "; ", n, n == 1 ? "" : "s");
}

static void close_chosen(struct ui *ui, void *ctx, int index)
{
	struct person_view *pv = ctx;
	if (index < 0 || index > 1)
		return;
	struct close_ctx *c = malloc(sizeof *c);
	if (!c)
		return;
	c->pv = pv;
	c->reason = index;
	char q[160];
	snprintf(q, sizeof q, "Why (%s)? Open requests are cancelled with this note.",
		 person_close_reason_text(close_codes[index]));
	prompt_open(ui, "Close the record", q, close_noted, c);
}

static void restrict_reasoned(struct ui *ui, void *ctx, const char *reason)
{
	struct person_view *pv = ctx;
	bool on = !pv->d->su.restricted;
	char *why = NULL;
	enum br_status st = person_restrict(ui->s, pv->d->su.id, on, reason, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	reload_person(ui, pv);
	ui_say(ui, "%s: restriction %s (audited).", pv->d->su.ref, on ? "on" : "off");
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct person_view *pv = v->state;
	switch (a) {
	case ACT_OPEN: {
		const struct person_item *it = selected_item(pv);
		if (!it)
			ui_say(ui, "Up/Down selects a call-off or an open request; Enter opens it.");
		else if (it->request)
			match_show(ui, it->id);
		else
			calloff_show(ui, it->id);
		return R_REDRAW;
	}
	case ACT_NEW_REQUEST:
		if (strcmp(pv->d->su.status, "active") != 0) {
			ui_error(ui, "%s is %s: a request needs an active person.", pv->d->su.ref, pv->d->su.status);
			return R_REDRAW;
		}
		request_form_show(ui, &pv->d->su);
		return R_REDRAW;
	case ACT_CALLOFFS: {
		struct picker_option opts[64];
		int n = 0;
		for (int i = 0; i < pv->d->n_calloffs && n < 64; i++, n++) {
			const struct person_calloff *c = &pv->d->calloffs[i];
			snprintf(opts[n].code, sizeof opts[n].code, "%lld", (long long)c->id);
			snprintf(opts[n].label, sizeof opts[n].label, "%s %s %.24s", c->service, c->status, c->provider);
		}
		if (!n) {
			ui_error(ui, "%s has no call-offs.", pv->d->su.ref);
			return R_REDRAW;
		}
		picker_open(ui, "Call-off", opts, n, false, calloff_chosen, pv);
		return R_REDRAW;
	}
	case ACT_EDIT_PERSON:
		person_form_show(ui, pv->d->su.id);
		return R_REDRAW;
	case ACT_CLOSE_PERSON: {
		if (strcmp(pv->d->su.status, "active") != 0) {
			ui_error(ui, "%s is already %s.", pv->d->su.ref, pv->d->su.status);
			return R_REDRAW;
		}
		struct picker_option opts[2];
		for (int i = 0; i < 2; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, i ? "closed" : "moved");
			text_copy(opts[i].label, sizeof opts[i].label, i ? "closed for another reason" : "moved away");
		}
		picker_open(ui, "Close the record", opts, 2, false, close_chosen, pv);
		return R_REDRAW;
	}
	case ACT_RESTRICT: {
		char q[160];
		snprintf(q, sizeof q, "Why %s %s's record? (audited)", pv->d->su.restricted ? "lift the restriction on"
			 : "restrict", pv->d->su.ref);
		prompt_open(ui, pv->d->su.restricted ? "Lift the restriction" : "Restrict the record", q,
			    restrict_reasoned, pv);
		return R_REDRAW;
	}
	case ACT_MATCH:
	case ACT_EDIT_REQUEST:
	case ACT_CANCEL_REQUEST:
		pick_request(ui, pv, a);
		return R_REDRAW;
	default: return textpane_act(&pv->pane, a);
	}
}

static void close_view(struct view *v)
{
	struct person_view *pv = v->state;
	person_detail_free(&pv->d);
	textpane_free(&pv->pane);
	free(pv);
}

static const struct keybind keys[] = {
	{'n', ACT_NEW_REQUEST, "n", true, NULL},
	{'m', ACT_MATCH, "m", true, "match"},
	{'\r', ACT_OPEN, "Enter", true, "open"},
	{'E', ACT_EDIT_PERSON, "E", true, "edit person"},
	{'e', ACT_EDIT_REQUEST, "e", true, "edit request"},
	{'x', ACT_CANCEL_REQUEST, "x", true, "cancel request"},
	{KEY_DOWN, ACT_DOWN, "Up/Down", true, "select"},
	{'c', ACT_CALLOFFS, "c", true, NULL},
	{'X', ACT_CLOSE_PERSON, "X", true, "close record"},
	{'R', ACT_RESTRICT, "R", false, NULL},
	{KEY_NPAGE, ACT_PAGE_DOWN, "PgUp/PgDn", true, "page"},
	{0, ACT_NONE, NULL, false, NULL},
};

static void reload_person(struct ui *ui, struct person_view *pv)
{
	struct person_detail *d = NULL;
	char *why = NULL;
	enum br_status st = person_refresh(ui->s, pv->d->su.id, &d, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	person_detail_free(&pv->d);
	pv->d = d;
	int top = pv->pane.top;
	const struct person_item *was = selected_item(pv);
	struct person_item keep = was ? *was : (struct person_item){false, 0};
	pv->pane.n = 0;
	build(pv);
	pv->pane.top = top < pv->pane.n ? top : 0;
	/* the same call-off or request stays selected, if it is still shown */
	int again = 0;
	for (int i = 0; keep.id && i < pv->n_items; i++)
		if (pv->items[i].request == keep.request && pv->items[i].id == keep.id)
			again = i + 1;
	textpane_select(&pv->pane, again);
}

static void resume(struct ui *ui, struct view *v)
{
	/* a request raised or placed, or the record edited, shows at once */
	reload_person(ui, v->state);
}

const struct view_ops view_person = {
	.title = "Person",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
	.resume = resume,
};

static void open_with(struct ui *ui, int64_t id, const char *reason);

struct breakglass_ctx {
	int64_t id;
};

static void breakglass_done(struct ui *ui, void *ctx, const char *reason)
{
	struct breakglass_ctx *b = ctx;
	int64_t id = b->id;
	free(b);
	open_with(ui, id, reason);
}

static void open_with(struct ui *ui, int64_t id, const char *reason)
{
	struct person_detail *d = NULL;
	char *why = NULL;
	enum br_status st = person_open(ui->s, id, reason, &d, &why);
	if (st == BR_DENIED && !reason && why && strstr(why, "restricted")) {
		br_free_str(&why);
		struct breakglass_ctx *b = malloc(sizeof *b);
		if (!b)
			return;
		b->id = id;
		prompt_open(ui, "Restricted record",
			    "Why do you need to open it? (break-glass: your reason is audited)",
			    breakglass_done, b);
		return;
	}
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	struct person_view *pv = calloc(1, sizeof *pv);
	if (pv && !textpane_init(&pv->pane, MAX_LINES)) {
		free(pv);
		pv = NULL;
	}
	if (!pv) {
		free(pv);
		person_detail_free(&d);
		ui_error(ui, "out of memory");
		return;
	}
	pv->d = d;
	build(pv);
	ui_push(ui, &view_person, pv);
	if (reason)
		ui_say(ui, "Break-glass recorded in the audit trail.");
}

void person_show(struct ui *ui, int64_t id)
{
	open_with(ui, id, NULL);
}
