/* view_provider.c — one provider: CQC rating, status and suspension,
 * consortium, registrations, coverage, awards by tier and locality, free
 * capacity, rates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define MAX_LINES 400

/* A change being asked for, step by step (pickers, then a prompt): kept
 * here, so a step left with Esc leaves nothing to free. */
struct upkeep_step {
	enum action kind;
	char service[4], tier[12], locality[9], need[4];
	int64_t pence, award_id;
};

struct provider_view {
	struct textpane pane;
	int64_t id;
	char name[96];
	char status[12];
	struct upkeep_step step;
	struct provider_award open_awards[32];
	int n_open_awards;
};

#define add(pv, ...) textpane_add(&(pv)->pane, __VA_ARGS__)

static void build(struct provider_view *pv, const struct provider_detail *d, const struct br_config *cfg)
{
	const struct provider_row *p = &d->p;
	add(pv, A_BOLD, "%s%s   (provider %lld)", p->name, p->is_consortium ? " (consortium)" : "",
	    (long long)p->id);
	add(pv, A_NORMAL, "CQC location %s   Rating: %s", p->cqc_location_id[0] ? p->cqc_location_id : "-",
	    p->rating);
	if (strcmp(p->status, "suspended") == 0)
		add(pv, theme(COLOUR_suspended), "SUSPENDED since %s: %s (never offerable while suspended)",
		    p->suspended_on, p->suspended_reason);
	else if (strcmp(p->status, "left") == 0)
		add(pv, theme(COLOUR_muted), "Left the framework on %s", d->left_on);
	else
		add(pv, A_NORMAL, "Status: active");
	add(pv, A_NORMAL, "Contact: %s   Phone: %s   Email: %s", d->contact[0] ? d->contact : "-",
	    p->phone[0] ? p->phone : "-", d->email[0] ? d->email : "-");
	if (p->consortium[0])
		add(pv, A_NORMAL, "Member of the consortium: %s", p->consortium);
	if (d->n_members) {
		char m[180] = "";
		for (int i = 0; i < d->n_members; i++) {
			size_t len = strlen(m);
			snprintf(m + len, sizeof m - len, "%s%s", i ? ", " : "", d->members[i].name);
		}
		add(pv, A_NORMAL, "Consortium members: %s", m);
	}
	add(pv, A_NORMAL, "%s", "");
	add(pv, theme(COLOUR_heading), "Awards");
	for (int i = 0; i < d->n_awards; i++) {
		const struct provider_award *a = &d->awards[i];
		int li = config_locality(cfg, a->locality);
		add(pv, theme_tier(a->tier), "  %-3s %-10s %-16s from %s%s%s", a->service, a->tier,
		    strcmp(a->locality, "*") == 0 ? "whole borough" : li >= 0 ? cfg->localities[li].name : a->locality,
		    a->from, a->to[0] ? " to " : "", a->to);
	}
	if (!d->n_awards)
		add(pv, theme(COLOUR_muted), "  none: registered on the lots below without a ranked award");
	add(pv, A_NORMAL, "%s", "");
	add(pv, theme(COLOUR_heading), "Registered for");
	for (int i = 0; i < d->n_regs;) {
		char needs[120] = "";
		const char *svc = d->regs[i].service;
		int j = i;
		for (; j < d->n_regs && strcmp(d->regs[j].service, svc) == 0; j++) {
			size_t len = strlen(needs);
			snprintf(needs + len, sizeof needs - len, "%s%s", j > i ? " " : "", d->regs[j].need);
		}
		int si = service_find(svc);
		add(pv, A_NORMAL, "  %-3s %-40s %s", svc, si >= 0 ? service_name(si) : "", needs);
		i = j;
	}
	char cov[160] = "";
	for (int i = 0; i < d->n_coverage; i++) {
		size_t len = strlen(cov);
		int li = config_locality(cfg, d->coverage[i]);
		snprintf(cov + len, sizeof cov - len, "%s%s", i ? ", " : "", li >= 0 ? cfg->localities[li].name : d->coverage[i]);
	}
	add(pv, A_NORMAL, "Covers: %s", d->n_coverage ? cov : "no locality");
	add(pv, A_NORMAL, "%s", "");
	add(pv, theme(COLOUR_heading), "Free capacity");
	for (int i = 0; i < d->n_capacity; i++) {
		const struct provider_capacity *c = &d->capacity[i];
		int si = service_find(c->service);
		add(pv, c->free == 0 ? theme(COLOUR_warning) : A_NORMAL, "  %-3s %-4s %5lld %s free%s%s",
		    c->service, c->locality, (long long)c->free, si >= 0 ? service_unit(si) : "",
		    c->reported[0] ? ", reported " : "", c->reported);
	}
	add(pv, A_NORMAL, "%s", "");
	/* the people it serves now: each to review after a suspension */
	add(pv, strcmp(p->status, "active") ? theme(COLOUR_warning) : theme(COLOUR_heading),
	    "People it serves now (%d)%s", d->n_served,
	    strcmp(p->status, "active") == 0 ? "" : ": review each one's care");
	for (int i = 0; i < d->n_served; i++) {
		const struct provider_served *w = &d->served[i];
		int si = service_find(w->service);
		add(pv, A_NORMAL, "  %-8s %-30.30s %-3s %4lld %-12s call-off %lld", w->ref, w->name, w->service,
		    (long long)w->units, si >= 0 ? service_unit(si) : "", (long long)w->calloff_id);
	}
	add(pv, A_NORMAL, "%s", "");
	add(pv, theme(COLOUR_heading), "Rates (newest first)");
	for (int i = 0; i < d->n_rates; i++) {
		char m[32];
		money_format(d->rates[i].pence, m, sizeof m);
		int si = service_find(d->rates[i].service);
		add(pv, A_NORMAL, "  %-3s from %s  %10s per %s", d->rates[i].service, d->rates[i].from, m,
		    service_rate_unit(si));
	}
}

/* Read the provider again and rebuild the page (after a change). */
static bool load(struct ui *ui, struct provider_view *pv)
{
	struct provider_detail *d = NULL;
	char *why = NULL;
	enum br_status st = provider_detail_get(ui->s->store, pv->id, &d, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return false;
	}
	int top = pv->pane.top;
	pv->pane.n = 0;
	build(pv, d, &ui->s->cfg);
	pv->pane.top = top < pv->pane.n ? top : 0;
	text_copy(pv->name, sizeof pv->name, d->p.name);
	text_copy(pv->status, sizeof pv->status, d->p.status);
	pv->n_open_awards = 0;
	for (int i = 0; i < d->n_awards && pv->n_open_awards < 32; i++)
		if (!d->awards[i].to[0])
			pv->open_awards[pv->n_open_awards++] = d->awards[i];
	provider_detail_free(&d);
	return true;
}

static void suspended(struct ui *ui, void *ctx, const char *reason)
{
	struct provider_view *pv = ctx;
	char *why = NULL;
	enum br_status st = provider_suspend(ui->s, pv->id, reason, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "%s suspended: its pending offers are withdrawn; the people it serves are listed below.", pv->name);
}

static void reinstated(struct ui *ui, void *ctx, const char *note)
{
	struct provider_view *pv = ctx;
	char *why = NULL;
	enum br_status st = provider_reinstate(ui->s, pv->id, note, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "%s reinstated: it can be offered packages again.", pv->name);
}

/* ---- upkeep (admins): capacity, rates, awards, registrations ---------------- */

static bool whole(struct ui *ui, const char *what, const char *text, int64_t *out)
{
	char *end;
	long long v = strtoll(text, &end, 10);
	while (*end == ' ')
		end++;
	if (!text[0] || *end || v < 0) {
		ui_error(ui, "%s: \"%.40s\" is not a whole number", what, text);
		return false;
	}
	*out = v;
	return true;
}

static void capacity_given(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	int64_t n, was = -1;
	if (!whole(ui, "Free", text, &n))
		return;
	char *why = NULL;
	enum br_status st = capacity_set(ui->s, pv->id, pv->step.service, pv->step.locality, n, &was, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	char wastext[40] = "";
	if (was >= 0)
		snprintf(wastext, sizeof wastext, " (was %lld)", (long long)was);
	ui_say(ui, "%s %s in %s: %lld free, reported today%s.", pv->name, pv->step.service, pv->step.locality,
	       (long long)n, wastext);
}

static void rate_from(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	int64_t was = 0;
	char *why = NULL, from[16];
	text_copy(from, sizeof from, text);
	enum br_status st = rate_set(ui->s, pv->id, pv->step.service, pv->step.pence, from, &was, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	char money[32];
	money_format(pv->step.pence, money, sizeof money);
	ui_say(ui, "%s %s: %s a unit from %s (call-offs already made keep their rate).", pv->name,
	       pv->step.service, money, from);
}

static void rate_given(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	if (!whole(ui, "Pence", text, &pv->step.pence))
		return;
	prompt_open(ui, "Rate", "From which day? (YYYY-MM-DD; the yearly uplift takes effect then)", rate_from, pv);
}

static void award_from(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	char *why = NULL, from[16];
	text_copy(from, sizeof from, text);
	int64_t id = 0;
	enum br_status st = award_add(ui->s, pv->id, pv->step.service, pv->step.tier, pv->step.locality, from, &id, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "Award %lld: %s %s %s%s%s from %s.", (long long)id, pv->name, pv->step.service, pv->step.tier,
	       pv->step.locality[0] ? " in " : " (whole borough)", pv->step.locality, from);
}

static void award_end_on(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	char *why = NULL, on[16];
	text_copy(on, sizeof on, text);
	enum br_status st = award_end(ui->s, pv->step.award_id, on, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "Award %lld ends on %s.", (long long)pv->step.award_id, on);
}

static void ask_date(struct ui *ui, struct provider_view *pv, const char *title,
		     void (*done)(struct ui *, void *, const char *))
{
	prompt_open(ui, title, "From which day? (YYYY-MM-DD)", done, pv);
}

static void locality_chosen(struct ui *ui, void *ctx, int i)
{
	struct provider_view *pv = ctx;
	if (i < 0 || i >= ui->s->cfg.n_localities)
		return;
	text_copy(pv->step.locality, sizeof pv->step.locality, ui->s->cfg.localities[i].code);
	if (pv->step.kind == ACT_SET_CAPACITY) {
		char q[160];
		int si = service_find(pv->step.service);
		snprintf(q, sizeof q, "%s in %s: %s free now? (reported today)", pv->step.service, pv->step.locality,
			 si >= 0 ? service_unit(si) : "units");
		prompt_open(ui, "Capacity", q, capacity_given, pv);
	} else {
		ask_date(ui, pv, "Award", award_from);
	}
}

static void pick_locality(struct ui *ui, struct provider_view *pv)
{
	struct picker_option opts[BR_MAX_LOCALITIES];
	picker_open(ui, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES), false,
		    locality_chosen, pv);
}

static const char *const tiers[] = {"primary", "secondary", "peripheral"};

static void tier_chosen(struct ui *ui, void *ctx, int i)
{
	struct provider_view *pv = ctx;
	if (i < 0 || i > 2)
		return;
	text_copy(pv->step.tier, sizeof pv->step.tier, tiers[i]);
	pv->step.locality[0] = '\0';
	if (i == 2)
		ask_date(ui, pv, "Award (whole borough)", award_from);
	else
		pick_locality(ui, pv);
}

static void need_chosen(struct ui *ui, void *ctx, int i)
{
	struct provider_view *pv = ctx;
	if (i < 0 || i >= NEED_COUNT)
		return;
	bool added = false;
	char *why = NULL;
	enum br_status st = registration_add(ui->s, pv->id, pv->step.service, need_code(i), &added, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "%s %s registered for %s on %s.", pv->name, added ? "is now" : "was already", need_code(i),
	       pv->step.service);
}

static void service_chosen(struct ui *ui, void *ctx, int i)
{
	struct provider_view *pv = ctx;
	if (i < 0 || i >= SERVICE_COUNT)
		return;
	text_copy(pv->step.service, sizeof pv->step.service, service_code(i));
	struct picker_option opts[NEED_COUNT > 3 ? NEED_COUNT : 3];
	switch (pv->step.kind) {
	case ACT_SET_CAPACITY:
		pick_locality(ui, pv);
		break;
	case ACT_SET_RATE: {
		char q[160];
		snprintf(q, sizeof q, "%s rate per %s in pence (2150 is \u00a321.50)", pv->step.service,
			 service_rate_unit(i));
		prompt_open(ui, "Rate", q, rate_given, pv);
		break;
	}
	case ACT_ADD_AWARD:
		for (int k = 0; k < 3; k++) {
			text_copy(opts[k].code, sizeof opts[k].code, tiers[k]);
			text_copy(opts[k].label, sizeof opts[k].label, k == 2 ? "whole borough" : "one locality");
		}
		picker_open(ui, "Tier", opts, 3, false, tier_chosen, pv);
		break;
	case ACT_ADD_REGISTRATION:
		picker_open(ui, "Registered for the need", opts, options_needs(opts, NEED_COUNT), false, need_chosen, pv);
		break;
	default:
		break;
	}
}

static void award_chosen(struct ui *ui, void *ctx, int i)
{
	struct provider_view *pv = ctx;
	if (i < 0 || i >= pv->n_open_awards)
		return;
	pv->step.award_id = pv->open_awards[i].id;
	prompt_open(ui, "End the award", "Its last day? (YYYY-MM-DD)", award_end_on, pv);
}

static void start_upkeep(struct ui *ui, struct provider_view *pv, enum action a)
{
	memset(&pv->step, 0, sizeof pv->step);
	pv->step.kind = a;
	if (a == ACT_END_AWARD) {
		struct picker_option opts[32];
		for (int i = 0; i < pv->n_open_awards; i++) {
			const struct provider_award *w = &pv->open_awards[i];
			snprintf(opts[i].code, sizeof opts[i].code, "%lld", (long long)w->id);
			snprintf(opts[i].label, sizeof opts[i].label, "%s %s %s from %s", w->service, w->tier,
				 strcmp(w->locality, "*") == 0 ? "borough" : w->locality, w->from);
		}
		if (!pv->n_open_awards) {
			ui_error(ui, "%s has no award in force to end.", pv->name);
			return;
		}
		picker_open(ui, "End which award?", opts, pv->n_open_awards, false, award_chosen, pv);
		return;
	}
	struct picker_option opts[SERVICE_COUNT];
	picker_open(ui, "Service", opts, options_services(opts, SERVICE_COUNT), false, service_chosen, pv);
}

static const enum action upkeep_menu[] = {ACT_SET_CAPACITY, ACT_SET_RATE, ACT_ADD_AWARD, ACT_END_AWARD,
					  ACT_ADD_REGISTRATION};

static void menu_chosen(struct ui *ui, void *ctx, int i)
{
	if (i >= 0 && i < 5)
		start_upkeep(ui, ctx, upkeep_menu[i]);
}

static void left_on(struct ui *ui, void *ctx, const char *text)
{
	struct provider_view *pv = ctx;
	char on[16], *why = NULL;
	text_copy(on, sizeof on, text);
	int offers = 0, cancelled = 0;
	enum br_status st = provider_leave(ui->s, pv->id, on, NULL, &offers, &cancelled, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	load(ui, pv);
	ui_say(ui, "Left the framework on %s: %d offer%s withdrawn, %d call-off%s cancelled.", on, offers,
	       offers == 1 ? "" : "s", cancelled, cancelled == 1 ? "" : "s");
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct provider_view *pv = v->state;
	textpane_draw(&pv->pane, top, height, width);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct provider_view *pv = v->state;
	char question[200];
	switch (a) {
	case ACT_OPEN:
		return R_REDRAW;
	case ACT_SUSPEND:
		if (strcmp(pv->status, "active") != 0) {
			ui_error(ui, "%s is %s: only an active provider can be suspended.", pv->name, pv->status);
			return R_REDRAW;
		}
		snprintf(question, sizeof question,
			 "Why is %.60s suspended? (its pending offers are withdrawn)", pv->name);
		prompt_open(ui, "Suspend provider", question, suspended, pv);
		return R_REDRAW;
	case ACT_REINSTATE:
		if (strcmp(pv->status, "suspended") != 0) {
			ui_error(ui, "%s is %s, not suspended.", pv->name, pv->status);
			return R_REDRAW;
		}
		snprintf(question, sizeof question, "A note: why may %.60s be offered packages again?", pv->name);
		prompt_open(ui, "Reinstate provider", question, reinstated, pv);
		return R_REDRAW;
	case ACT_LEAVE:
		if (strcmp(pv->status, "left") == 0) {
			ui_error(ui, "%s has already left the framework.", pv->name);
			return R_REDRAW;
		}
		snprintf(question, sizeof question, "%.50s leaves the framework on which day? (YYYY-MM-DD, today or earlier)",
			 pv->name);
		prompt_open(ui, "Left the framework", question, left_on, pv);
		return R_REDRAW;
	case ACT_EDIT_PROVIDER:
		provider_form_show(ui, pv->id);
		return R_REDRAW;
	case ACT_SET_CAPACITY:
	case ACT_SET_RATE:
	case ACT_ADD_AWARD:
	case ACT_END_AWARD:
	case ACT_ADD_REGISTRATION:
		start_upkeep(ui, pv, a);
		return R_REDRAW;
	case ACT_UPKEEP: {
		static const char *const keys_of[] = {"f", "p", "a", "E", "R"};
		struct picker_option opts[5];
		for (int i = 0; i < 5; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, keys_of[i]);
			text_copy(opts[i].label, sizeof opts[i].label, action_label(upkeep_menu[i]));
		}
		picker_open(ui, "Provider upkeep", opts, 5, false, menu_chosen, pv);
		return R_REDRAW;
	}
	default:
		return textpane_act(&pv->pane, a);
	}
}

static void close_view(struct view *v)
{
	struct provider_view *pv = v->state;
	textpane_free(&pv->pane);
	free(pv);
}

static const struct keybind keys[] = {
	{KEY_DOWN, ACT_DOWN, "Up/Down", true, "scroll"},
	{KEY_NPAGE, ACT_PAGE_DOWN, "PgUp/PgDn", false, "page"},
	{'s', ACT_SUSPEND, "s", true, NULL},
	{'r', ACT_REINSTATE, "r", true, NULL},
	{'u', ACT_UPKEEP, "u", true, "upkeep"},
	{'L', ACT_LEAVE, "L", false, NULL},
	{'e', ACT_EDIT_PROVIDER, "e", true, NULL},
	{'f', ACT_SET_CAPACITY, "f", false, "capacity free now"},
	{'p', ACT_SET_RATE, "p", false, "rate from a date"},
	{'a', ACT_ADD_AWARD, "a", false, "award a tier from a date"},
	{'E', ACT_END_AWARD, "E", false, "end an award"},
	{'R', ACT_ADD_REGISTRATION, "R", false, "register for a need"},
	{0, ACT_NONE, NULL, false, NULL},
};

static void resume(struct ui *ui, struct view *v)
{
	load(ui, v->state);
}

const struct view_ops view_provider = {
	.title = "Provider",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
	.resume = resume,
};

void provider_show(struct ui *ui, int64_t id)
{
	struct provider_view *pv = calloc(1, sizeof *pv);
	if (pv && !textpane_init(&pv->pane, MAX_LINES)) {
		free(pv);
		pv = NULL;
	}
	if (!pv) {
		ui_error(ui, "out of memory");
		return;
	}
	pv->id = id;
	if (!load(ui, pv)) {
		textpane_free(&pv->pane);
		free(pv);
		return;
	}
	ui_push(ui, &view_provider, pv);
}
