/* view_provider.c — one provider: CQC rating, status and suspension,
 * consortium, registrations, coverage, awards by tier and locality, free
 * capacity, rates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

#define MAX_LINES 400

struct provider_view {
	struct textpane pane;
	int64_t id;
	char name[96];
	char status[12];
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
	{KEY_NPAGE, ACT_PAGE_DOWN, "PgUp/PgDn", true, "page"},
	{'s', ACT_SUSPEND, "s", true, NULL},
	{'r', ACT_REINSTATE, "r", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_provider = {
	.title = "Provider",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
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
