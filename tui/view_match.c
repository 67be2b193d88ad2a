/* view_match.c — the Match: for one request, the offerable providers in
 * cascade order, then the excluded ones with every reason. Keys offer the
 * package, record an acceptance (the call-off) or a decline with its
 * reason. The rules are core's: a refused step shows core's message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct match_view {
	int64_t request_id;
	struct match_result *m;
	int sel, top, height;
	/* an offer with a reason, a withdrawal or a correction in progress */
	int64_t provider_id, offer_id;
	enum override_kind override;
	char provider[96];
};

static void reload(struct ui *ui, struct match_view *mv)
{
	int64_t keep = mv->m && mv->sel < mv->m->n ? mv->m->rows[mv->sel].provider_id : 0;
	match_free(&mv->m);
	char *why = NULL;
	enum br_status st = match_run(ui->s, mv->request_id, &mv->m, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	mv->sel = 0;
	for (int i = 0; i < mv->m->n; i++)
		if (mv->m->rows[i].provider_id == keep)
			mv->sel = i;
}

/* After any answer the cursor goes to the next provider that can be
 * offered it now (none yet offered), so o works at once. */
static void to_next_offerable(struct match_view *mv)
{
	if (!mv->m)
		return;
	for (int i = 0; i < mv->m->n_offerable; i++)
		if ((!mv->m->rows[i].offer_status[0] || strcmp(mv->m->rows[i].offer_status, "withdrawn") == 0) &&
		    !mv->m->rows[i].reasons) {
			mv->sel = i;
			return;
		}
}

static void reasons_text(unsigned reasons, bool brief, char *out, size_t n)
{
	out[0] = '\0';
	for (int b = 0; b < MATCH_REASON_COUNT; b++)
		if (reasons & (1u << b)) {
			size_t len = strlen(out);
			snprintf(out + len, n - len, "%s%s", len ? ", " : "",
				 brief ? match_reason_brief(b) : match_reason_text(b));
		}
}

/* The table's cells; the reasons are brief when their column is narrow. */
static bool why_brief;
static void c_id(const void *r, char *b, size_t n) { snprintf(b, n, "%5lld", (long long)((const struct match_row *)r)->provider_id); }
static void c_name(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct match_row *)r)->name); }
static void c_tier(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct match_row *)r)->tier); }
static void c_rating(const void *r, char *b, size_t n)
{
	const struct match_row *m = r;
	snprintf(b, n, "%s", m->rating[0] ? m->rating : "not rated");
}
static void c_free(const void *r, char *b, size_t n)
{
	const struct match_row *m = r;
	/* a stale figure is marked: ring the provider before trusting it */
	snprintf(b, n, "%5lld%s", (long long)(m->free < 0 ? 0 : m->free), m->stale && m->free > 0 ? "?" : "");
}
static void c_rate(const void *r, char *b, size_t n)
{
	char rate[32];
	money_format(((const struct match_row *)r)->unit_rate, rate, sizeof rate);
	snprintf(b, n, "%9s", rate);
}
static void c_why(const void *r, char *b, size_t n)
{
	const struct match_row *m = r;
	if (m->reasons)
		reasons_text(m->reasons, why_brief, b, n);
	else
		snprintf(b, n, "%s%s%s", m->continuity ? "continuity " : "", m->offer_status[0] ? "offer " : "",
			 m->offer_status[0] ? m->offer_status : "");
	size_t wl = strlen(b);
	if (m->suspended_reason[0])
		/* the suspension says why, and since when */
		snprintf(b + wl, n - wl, ": %s (since %s)", m->suspended_reason, m->suspended_on);
	else if (m->stale && m->free > 0)
		snprintf(b + wl, n - wl, "%sstale capacity, reported %s", wl ? ", " : "",
			 m->reported_on[0] ? m->reported_on : "never");
}

/* By priority (the list widget's): the CQC rating shows when there is
 * room; a wide terminal's spare columns go to the reasons, the name and
 * the rating, the columns that were cut. */
static const struct column cols[] = {
	{"   Id", 5, 0, false, c_id, NULL, 0},
	{"Provider", 22, 0, true, c_name, NULL, 2},
	{"Tier", 10, 0, false, c_tier, NULL, 0},
	{"CQC rating", 10, 1, false, c_rating, NULL, 1},
	{"Free", 6, 0, false, c_free, NULL, 0},
	{"     Rate", 9, 0, false, c_rate, NULL, 0},
	{"Offer / why not", 16, 0, false, c_why, NULL, 3},
};
#define N_COLS ((int)(sizeof cols / sizeof cols[0]))

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct match_view *mv = v->state;
	if (!mv->m) {
		draw_text(top + 1, 2, width - 4, "No match to show.", theme(COLOUR_muted));
		return;
	}
	const struct request_info *r = &mv->m->req;
	char line[800];
	snprintf(line, sizeof line, " Request %lld: %s %s%s, %s %lld %s from %s, %s, %s%s%s", (long long)r->id,
		 r->ref, r->person, r->restricted ? " [restricted]" : "", r->service, (long long)r->units,
		 service_unit(service_find(r->service)), r->start, r->urgency, r->locality, r->need[0] ? ", need " : "",
		 r->need);
	/* the request wraps onto a second line rather than being cut */
	int used = draw_wrapped(top, 0, width, 2, 1, line, A_BOLD);
	top += used - 1;
	height -= used - 1;
	if (strcmp(r->status, "open") != 0)
		snprintf(line, sizeof line, " This request is %s.", r->status);
	else if (mv->m->blocking[0])
		snprintf(line, sizeof line, " Waiting on: %s", mv->m->blocking);
	else
		snprintf(line, sizeof line, " %d provider%s can be offered it now.%s%s%s", mv->m->n_offerable,
			 mv->m->n_offerable == 1 ? "" : "s",
			 r->direct_payment ? "  Direct payment: holds their own budget." : "",
			 r->s117 ? "  Section 117 aftercare." : "", r->fnc ? "  FNC from the NHS." : "");
	draw_text(top + 1, 0, width, line, strcmp(r->status, "open") ? theme(COLOUR_warning) : A_NORMAL);
	int widths[N_COLS];
	columns_fit(cols, N_COLS, width, widths);
	why_brief = widths[N_COLS - 1] < 40;
	columns_heading(cols, N_COLS, widths, top + 2, width);
	int rows = height - 3 - 2;
	mv->height = rows;
	if (mv->sel < mv->top)
		mv->top = mv->sel;
	if (mv->sel >= mv->top + rows)
		mv->top = mv->sel - rows + 1;
	int y = top + 3;
	for (int i = mv->top; i < mv->m->n && y < top + 3 + rows; i++, y++) {
		const struct match_row *m = &mv->m->rows[i];
		/* a rule between the offerable and the excluded */
		if (i == mv->m->n_offerable && i > 0 && i == mv->top + (y - top - 3) && y < top + 3 + rows - 1) {
			draw_text(y, 1, width - 2, "-- excluded --", theme(COLOUR_muted));
			y++;
		}
		attr_t a = i == mv->sel ? theme(COLOUR_selection)
			 : m->reasons & (1u << MATCH_SUSPENDED) ? theme(COLOUR_suspended)
			 : m->reasons ? theme(COLOUR_muted) : theme_tier(m->tier);
		columns_row(cols, N_COLS, widths, m, y, width, i == mv->sel, a);
	}
	/* the selected provider in full: name, rating, every reason in words */
	const struct match_row *m = mv->sel < mv->m->n ? &mv->m->rows[mv->sel] : NULL;
	if (m) {
		char why[400];
		if (m->reasons)
			reasons_text(m->reasons, false, why, sizeof why);
		else
			snprintf(why, sizeof why, "%s%s", m->offer_status[0] ? "offer " : "can be offered now",
				 m->offer_status[0] ? m->offer_status : "");
		char cap[96] = "";
		if (m->free >= 0)
			snprintf(cap, sizeof cap, "; %lld free, reported %s%s", (long long)m->free,
				 m->reported_on[0] ? m->reported_on : "never", m->stale ? " (stale)" : "");
		if (m->suspended_reason[0])
			snprintf(line, sizeof line, " %s: suspended since %s: %s%s", m->name, m->suspended_on,
				 m->suspended_reason, cap);
		else
			snprintf(line, sizeof line, " %s (%s tier), CQC %s: %s%s", m->name, m->tier,
				 m->rating[0] ? m->rating : "not rated", why, cap);
		int cut = text_break(line, width - 1);
		char first[600];
		snprintf(first, sizeof first, "%.*s", cut, line);
		const char *rest = line + cut;
		while (*rest == ' ')
			rest++;
		draw_text(top + height - 2, 0, width, first, theme(COLOUR_heading));
		draw_text(top + height - 1, 1, width - 1, rest, theme(COLOUR_heading));
	}
}

static const struct match_row *selected(struct match_view *mv)
{
	return mv->m && mv->sel >= 0 && mv->sel < mv->m->n ? &mv->m->rows[mv->sel] : NULL;
}

struct decline_ctx {
	struct match_view *mv;
	int64_t offer_id;
};

static void decline_chosen(struct ui *ui, void *ctx, int index)
{
	struct decline_ctx *d = ctx;
	struct match_view *mv = d->mv;
	int64_t offer = d->offer_id;
	free(d);
	if (index < 0)
		return;
	char *why = NULL;
	const char *note = index == DECLINE_OTHER ? "other reason given by phone" : NULL;
	enum br_status st = offer_decline(ui->s, offer, index, note, &why);
	if (st == BR_OK)
		ui_say(ui, "Offer %lld declined: %s. The next tier opens when this one is done.", (long long)offer,
		       decline_text(index));
	else
		ui_status(ui, st, &why);
	reload(ui, mv);
	to_next_offerable(mv);
}

static const char *const override_words[] = {"", "the person's own choice", "a clinical reason", "a spot purchase",
					       "out of locality"};

static void override_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct match_view *mv = ctx;
	struct offer_options o = {mv->override, ""};
	text_copy(o.reason, sizeof o.reason, reason);
	int64_t id = 0;
	char *why = NULL;
	enum br_status st = offer_create(ui->s, mv->request_id, mv->provider_id, &o, &id, &why);
	if (st == BR_OK)
		ui_say(ui, "Offer %lld sent to %s (%s). Its call-off goes to a supervisor for approval.", (long long)id,
		       mv->provider, override_words[mv->override]);
	else
		ui_status(ui, st, &why);
	reload(ui, mv);
}

static void override_chosen(struct ui *ui, void *ctx, int index)
{
	struct match_view *mv = ctx;
	if (index < 0 || index > 3)
		return;
	mv->override = (enum override_kind)(OVERRIDE_PERSON_CHOICE + index);
	char q[200];
	snprintf(q, sizeof q, "Why offer %.60s (%s)? It goes to approval.", mv->provider, override_words[mv->override]);
	prompt_open(ui, "Offer with a reason", q, override_reason, mv);
}

static void withdraw_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct match_view *mv = ctx;
	char *why = NULL;
	enum br_status st = offer_withdraw(ui->s, mv->offer_id, reason, &why);
	if (st == BR_OK)
		ui_say(ui, "Offer %lld to %s withdrawn: %s", (long long)mv->offer_id, mv->provider, reason);
	else
		ui_status(ui, st, &why);
	reload(ui, mv);
}

static void correct_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct match_view *mv = ctx;
	char *why = NULL;
	enum br_status st = offer_correct(ui->s, mv->offer_id, reason, &why);
	if (st == BR_OK)
		ui_say(ui, "Offer %lld to %s waits for an answer again: record it with a or d.", (long long)mv->offer_id,
		       mv->provider);
	else
		ui_status(ui, st, &why);
	reload(ui, mv);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct match_view *mv = v->state;
	const struct match_row *r = selected(mv);
	char *why = NULL;
	enum br_status st;
	int n = mv->m ? mv->m->n : 0;
	switch (a) {
	case ACT_UP: if (mv->sel > 0) mv->sel--; return R_REDRAW;
	case ACT_DOWN: if (mv->sel + 1 < n) mv->sel++; return R_REDRAW;
	case ACT_PAGE_UP: mv->sel = mv->sel > mv->height ? mv->sel - mv->height : 0; return R_REDRAW;
	case ACT_PAGE_DOWN: mv->sel = mv->sel + mv->height < n ? mv->sel + mv->height : (n ? n - 1 : 0); return R_REDRAW;
	case ACT_FIRST: mv->sel = 0; return R_REDRAW;
	case ACT_LAST: mv->sel = n ? n - 1 : 0; return R_REDRAW;
	case ACT_OFFER: {
		if (!r)
			return R_REDRAW;
		int64_t id = 0;
		st = offer_create(ui->s, mv->request_id, r->provider_id, NULL, &id, &why);
		if (st == BR_OK)
			ui_say(ui, "Offer %lld sent to %s (%s). Record the answer with a or d.", (long long)id, r->name, r->tier);
		else
			ui_status(ui, st, &why);
		reload(ui, mv);
		return R_REDRAW;
	}
	case ACT_ACCEPT: {
		if (!r || strcmp(r->offer_status, "pending") != 0) {
			ui_error(ui, "%s has no offer waiting for an answer.", r ? r->name : "Nobody");
			return R_REDRAW;
		}
		int64_t co = 0;
		st = offer_accept(ui->s, r->offer_id, &co, &why);
		if (st != BR_OK) {
			ui_status(ui, st, &why);
			reload(ui, mv);
			return R_REDRAW;
		}
		struct calloff_info c;
		if (calloff_get(ui->s, co, &c, &why) == BR_OK) {
			char money[64];
			service_cost_words(service_find(c.service), c.weekly_cost, c.units, money, sizeof money);
			ui_say(ui, "Call-off %lld: %s, %s, %s%s%s.", (long long)co, c.provider, money,
			       strcmp(c.status, "awaiting_approval") == 0 ? "awaiting approval" : c.status,
			       c.rules_words[0] ? ": " : "", c.rules_words);
		}
		br_free_str(&why);
		reload(ui, mv);
		to_next_offerable(mv);
		calloff_show(ui, co);
		return R_REDRAW;
	}
	case ACT_DECLINE: {
		if (!r || strcmp(r->offer_status, "pending") != 0) {
			ui_error(ui, "%s has no offer waiting for an answer.", r ? r->name : "Nobody");
			return R_REDRAW;
		}
		struct picker_option opts[DECLINE_COUNT];
		for (int i = 0; i < DECLINE_COUNT; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, "");
			snprintf(opts[i].code, sizeof opts[i].code, "%d", i + 1);
			text_copy(opts[i].label, sizeof opts[i].label, decline_text(i));
		}
		struct decline_ctx *d = malloc(sizeof *d);
		if (!d)
			return R_REDRAW;
		d->mv = mv;
		d->offer_id = r->offer_id;
		picker_open(ui, "Why did they decline?", opts, DECLINE_COUNT, false, decline_chosen, d);
		return R_REDRAW;
	}
	case ACT_REFRESH:
		reload(ui, mv);
		return R_UNHANDLED;
	case ACT_OPEN:
		if (r)
			provider_show(ui, r->provider_id);
		return R_REDRAW;
	case ACT_EDIT_REQUEST:
		request_edit_show(ui, mv->request_id);
		return R_REDRAW;
	case ACT_OVERRIDE: {
		if (!r)
			return R_REDRAW;
		mv->provider_id = r->provider_id;
		text_copy(mv->provider, sizeof mv->provider, r->name);
		struct picker_option opts[4];
		for (int i = 0; i < 4; i++) {
			snprintf(opts[i].code, sizeof opts[i].code, "%d", i + 1);
			text_copy(opts[i].label, sizeof opts[i].label, override_words[OVERRIDE_PERSON_CHOICE + i]);
		}
		picker_open(ui, "Offer out of the cascade order because of", opts, 4, false, override_chosen, mv);
		return R_REDRAW;
	}
	case ACT_WITHDRAW:
	case ACT_CORRECT: {
		const char *need = a == ACT_WITHDRAW ? "pending" : "declined";
		if (!r || strcmp(r->offer_status, need) != 0) {
			ui_error(ui, a == ACT_WITHDRAW ? "%s has no offer waiting for an answer to withdraw."
						       : "%s has no recorded decline to correct.",
				 r ? r->name : "Nobody");
			return R_REDRAW;
		}
		mv->offer_id = r->offer_id;
		text_copy(mv->provider, sizeof mv->provider, r->name);
		char q[200];
		snprintf(q, sizeof q, a == ACT_WITHDRAW ? "Why withdraw the offer to %.80s?"
							: "Why correct %.80s's decline (wrong provider?)",
			 r->name);
		prompt_open(ui, a == ACT_WITHDRAW ? "Withdraw offer" : "Correct a recorded answer", q,
			    a == ACT_WITHDRAW ? withdraw_reason : correct_reason, mv);
		return R_REDRAW;
	}
	case ACT_CANCEL_REQUEST:
		request_cancel_ask(ui, mv->request_id);
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

static void resume(struct ui *ui, struct view *v)
{
	reload(ui, v->state);
}

static void close_view(struct view *v)
{
	struct match_view *mv = v->state;
	match_free(&mv->m);
	free(mv);
}

static const struct keybind keys[] = {
	{'o', ACT_OFFER, "o", true, NULL},
	{'a', ACT_ACCEPT, "a", true, "accept"},
	{'d', ACT_DECLINE, "d", true, "decline"},
	{'\r', ACT_OPEN, "Enter", true, "provider"},
	{'O', ACT_OVERRIDE, "O", true, "offer+reason"},
	{'w', ACT_WITHDRAW, "w", true, "withdraw"},
	{'u', ACT_CORRECT, "u", false, "correct a decline"},
	{'e', ACT_EDIT_REQUEST, "e", true, "edit"},
	{'x', ACT_CANCEL_REQUEST, "x", true, "cancel request"},
	{'r', ACT_REFRESH, "r", false, "refresh"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_match = {
	.title = "Match",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
	.resume = resume,
};

void match_show(struct ui *ui, int64_t request_id)
{
	struct match_view *mv = calloc(1, sizeof *mv);
	if (!mv)
		return;
	mv->request_id = request_id;
	reload(ui, mv);
	if (!mv->m) {
		free(mv);
		return;
	}
	ui_push(ui, &view_match, mv);
}
