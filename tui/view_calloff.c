/* view_calloff.c — one call-off: provider, tier, override, rate, units,
 * weekly cost, funding split, dates, status, approval rules, and the
 * package's history (original, variations, pauses, end) as a timeline.
 * h records a hand-back (reason, then notice date); x cancels one not yet
 * started; v varies the units, the unit rate or the funding split from a
 * date; p pauses (reason, retainer or release, date: a later date schedules
 * the pause); r resumes (or calls off a pause not begun); e ends from a date
 * with a reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct calloff_view {
	int64_t id;
	struct calloff_info c;
	char handback_reason[24];
	int64_t vary_units;
	int64_t vary_rate;     /* 0: keeps the rate */
	int vary_pct;          /* -1: keeps the split */
	char vary_from[11];
	int pause_reason;
	bool retain;
	int end_reason;
	struct calloff_event_row *history;
	int n_history;
	char wo_path[256];     /* the work order's file, while its questions are asked */
	bool wo_restricted;
};


static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	(void)height;
	struct calloff_view *cv = v->state;
	const struct calloff_info *c = &cv->c;
	char line[300], rate[32], weekly[64], annual[32];
	money_format(c->unit_rate, rate, sizeof rate);
	service_cost_words(service_find(c->service), c->weekly_cost, c->units, weekly, sizeof weekly);
	money_format(service_annual_cost(service_find(c->service), c->unit_rate, c->units), annual, sizeof annual);
	int si = service_find(c->service);
	int y = top;
	char status[64];
	calloff_status_words(c, status, sizeof status);
	snprintf(line, sizeof line, " Call-off %lld for request %lld: %s", (long long)c->id, (long long)c->request_id,
		 status);
	draw_text(y++, 0, width, line, A_BOLD);
	y++;
	snprintf(line, sizeof line, "   Provider   %s (provider %lld)", c->provider, (long long)c->provider_id);
	draw_text(y++, 0, width, line, A_NORMAL);
	snprintf(line, sizeof line, "   Tier       %s%s", c->tier, c->continuity ? ", continuity with the existing provider" : "");
	draw_text(y++, 0, width, line, theme_tier(c->tier));
	if (c->override_kind[0]) {
		snprintf(line, sizeof line, "   Override   %s: %s", c->override_kind, c->override_reason);
		y += draw_wrapped(y, 0, width, 2, 14, line, theme(COLOUR_warning));
	}
	snprintf(line, sizeof line, "   Service    %s %s, %s", c->service, service_name(si), c->locality);
	draw_text(y++, 0, width, line, A_NORMAL);
	if (service_weekly(si))
		snprintf(line, sizeof line, "   Cost       %lld %s at %s %s = %s (%s a year)", (long long)c->units,
			 service_unit(si), rate, service_rate_per(si), weekly, annual);
	else
		snprintf(line, sizeof line, "   Cost       %lld %s at %s %s = %s", (long long)c->units, service_unit(si),
			 rate, service_rate_per(si), weekly);
	y += draw_wrapped(y, 0, width, 2, 14, line, A_NORMAL);
	if (c->asc_pct >= 100)
		snprintf(line, sizeof line, "   Funding    council-funded (adult social care)");
	else if (c->asc_pct <= 0)
		snprintf(line, sizeof line, "   Funding    NHS-funded (continuing healthcare)");
	else
		snprintf(line, sizeof line, "   Funding    joint: council %d%%, NHS CHC %d%%", c->asc_pct, 100 - c->asc_pct);
	draw_text(y++, 0, width, line, A_NORMAL);
	if (c->s117 || c->fnc) {
		struct funding_split f;
		funding_split_of(&ui->s->cfg, calloff_weekly_now(ui->s, c), c->asc_pct, c->fnc, clock_today(), &f);
		char fnc[32];
		money_format(f.fnc, fnc, sizeof fnc);
		snprintf(line, sizeof line, "              %s%s%s%s", c->s117 ? "Section 117 aftercare: free to the person" : "",
			 c->s117 && c->fnc ? "; " : "", c->fnc ? "funded nursing care from the NHS " : "",
			 c->fnc ? fnc : "");
		if (c->fnc)
			snprintf(line + strlen(line), sizeof line - strlen(line), " a week");
		draw_text(y++, 0, width, line, A_NORMAL);
	}
	snprintf(line, sizeof line, "   Dates      from %s%s%s", c->start, c->end[0] ? " to " : "", c->end);
	draw_text(y++, 0, width, line, A_NORMAL);
	snprintf(line, sizeof line, "   Proposed   by %s", c->proposed_by);
	draw_text(y++, 0, width, line, A_NORMAL);
	if (c->rules[0]) {
		snprintf(line, sizeof line, "   Approval   needed: %.270s", c->rules_words[0] ? c->rules_words : c->rules);
		y += draw_wrapped(y, 0, width, 2, 14, line, theme(COLOUR_warning));
	}
	if (calloff_status_in(c->status, CG_PAUSED)) {
		char now[32];
		money_format(calloff_weekly_now(ui->s, c), now, sizeof now);
		snprintf(line, sizeof line, "   Paused     costing %s a week now%s", now,
			 strcmp(c->status, "paused") == 0 ? " (retainer)" : "; the capacity went back");
		draw_text(y++, 0, width, line, theme(COLOUR_warning));
	}
	/* the package's history, oldest first; the newest that fit */
	if (cv->n_history == 0 || y + 2 >= top + height)
		return;
	y++;
	draw_text(y++, 0, width, " Package history (* this call-off)", A_BOLD);
	draw_text(y++, 0, width, "  call-off date       what             units   weekly why (who)", theme(COLOUR_heading));
	int room = top + height - y, first = cv->n_history > room ? cv->n_history - room : 0;
	for (int i = first; i < cv->n_history && y < top + height; i++) {
		const struct calloff_event_row *r = &cv->history[i];
		char cost[32];
		money_format(r->weekly_cost, cost, sizeof cost);
		snprintf(line, sizeof line, " %c%7lld %-10s %-16.16s %5lld %8s %s%s(%s)", r->calloff_id == c->id ? '*' : ' ',
			 (long long)r->calloff_id, r->date, r->what, (long long)r->units, cost, r->why, r->why[0] ? " " : "",
			 r->who[0] ? r->who : "system");
		draw_text(y++, 0, width, line, r->calloff_id == c->id ? A_BOLD : A_NORMAL);
	}
}

static void reload(struct ui *ui, struct calloff_view *cv)
{
	char *why = NULL;
	ui_status(ui, calloff_get(ui->s, cv->id, &cv->c, &why), &why);
	free(cv->history);
	cv->history = NULL;
	cv->n_history = 0;
	if (calloff_history(ui->s, cv->id, &cv->history, &cv->n_history, &why) != BR_OK)
		br_free_str(&why);
}

/* after a variation the screen follows the package to its new call-off */
static void follow(struct ui *ui, struct calloff_view *cv, int64_t id)
{
	cv->id = id;
	reload(ui, cv);
}

static void vary_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	int64_t nid = 0, old = cv->id;
	struct vary_terms t = {.units = cv->vary_units, .rate = cv->vary_rate, .asc_pct = cv->vary_pct};
	enum br_status st = calloff_vary_terms(ui->s, cv->id, &t, cv->vary_from, reason, &nid, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		reload(ui, cv);
		return;
	}
	follow(ui, cv, nid);
	char words[80];
	calloff_status_words(&cv->c, words, sizeof words);
	char money[32];
	money_format(cv->c.weekly_cost, money, sizeof money);
	ui_say(ui, "Varied: call-off %lld ends the day before; call-off %lld, %lld at %s a week, council %d%%, from %s, "
	       "is %s.", (long long)old, (long long)nid, (long long)cv->c.units, money, cv->c.asc_pct, cv->vary_from,
	       words);
}

static void vary_date(struct ui *ui, void *ctx, const char *date)
{
	struct calloff_view *cv = ctx;
	int64_t d;
	char *why = NULL;
	if (date_parse(date, &d, &why) != BR_OK) {
		ui_status(ui, BR_DATA, &why);
		return;
	}
	date_format(d, cv->vary_from);
	prompt_open(ui, "Vary the package", "Why is it changing?", vary_reason, cv);
}

static void vary_units(struct ui *ui, void *ctx, const char *text)
{
	struct calloff_view *cv = ctx;
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v <= 0 || v > 10000) {
		ui_error(ui, "\"%s\" is not a number of units.", text);
		return;
	}
	cv->vary_units = v;
	prompt_open(ui, "Vary the package", "From which date? (YYYY-MM-DD; the old call-off ends the day before)",
		    vary_date, cv);
}

static void vary_rate(struct ui *ui, void *ctx, const char *text)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	int64_t pence;
	if (money_parse(text, &pence, &why) != BR_OK || pence <= 0) {
		br_free_str(&why);
		ui_error(ui, "\"%s\" is not a unit rate (pounds and pence: 16.20).", text);
		return;
	}
	cv->vary_rate = pence;
	prompt_open(ui, "Vary the package", "From which date? (YYYY-MM-DD; the old call-off ends the day before)",
		    vary_date, cv);
}

static void vary_pct(struct ui *ui, void *ctx, const char *text)
{
	struct calloff_view *cv = ctx;
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end || v < 0 || v > 100) {
		ui_error(ui, "\"%s\" is not a share: the council's per cent, 0 to 100.", text);
		return;
	}
	cv->vary_pct = (int)v;
	prompt_open(ui, "Vary the package", "From which date? (YYYY-MM-DD; the old call-off ends the day before)",
		    vary_date, cv);
}

/* what changes: the units, the rate or the split, one at a time here
 * (brokerage vary takes them together) */
static void vary_what(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	cv->vary_units = cv->vary_rate = 0;
	cv->vary_pct = -1;
	char q[120], money[32];
	if (index == 0) {
		snprintf(q, sizeof q, "New %s (now %lld)", service_unit(service_find(cv->c.service)), (long long)cv->c.units);
		prompt_open(ui, "Vary the package", q, vary_units, cv);
	} else if (index == 1) {
		money_format(cv->c.unit_rate, money, sizeof money);
		snprintf(q, sizeof q, "New unit rate in pounds (now %s)", money);
		prompt_open(ui, "Vary the package", q, vary_rate, cv);
	} else {
		snprintf(q, sizeof q, "The council's share, per cent (now %d; the NHS pays the rest)", cv->c.asc_pct);
		prompt_open(ui, "Vary the package", q, vary_pct, cv);
	}
}

static void pause_date(struct ui *ui, void *ctx, const char *date)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	enum br_status st = calloff_pause(ui->s, cv->id, date, calloff_pause_codes[cv->pause_reason], cv->retain, &why);
	if (st == BR_OK && cv->c.pause_from[0] == '\0' && calloff_get(ui->s, cv->id, &cv->c, NULL) == BR_OK &&
	    cv->c.pause_from[0])
		ui_say(ui, "Pause scheduled from %s (%s): active until then, %s.", date, calloff_pause_texts[cv->pause_reason],
		       cv->retain ? "then the provider keeps the capacity on a retainer" : "then the capacity goes back");
	else if (st == BR_OK)
		ui_say(ui, "Paused from %s (%s): %s.", date, calloff_pause_texts[cv->pause_reason],
		       cv->retain ? "the provider keeps the capacity on a retainer" : "the capacity goes back");
	else
		ui_status(ui, st, &why);
	reload(ui, cv);
}

static void pause_retain(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	cv->retain = index == 0;
	prompt_open(ui, "Pause the package", "Paused from which date? (YYYY-MM-DD)", pause_date, cv);
}

static void pause_reason(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	cv->pause_reason = index;
	char retain[64];
	snprintf(retain, sizeof retain, "Retainer: %d%% for up to %d days", ui->s->cfg.retainer_share_pct,
		 ui->s->cfg.retainer_days);
	struct picker_option opts[2] = {{"1", ""}, {"2", "Release the capacity now"}};
	text_copy(opts[0].label, sizeof opts[0].label, retain);
	picker_open(ui, "Does the provider keep the capacity?", opts, 2, false, pause_retain, cv);
}

static void resume_date(struct ui *ui, void *ctx, const char *date)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	char scheduled[11];
	text_copy(scheduled, sizeof scheduled, strcmp(cv->c.status, "active") == 0 ? cv->c.pause_from : "");
	enum br_status st = calloff_resume(ui->s, cv->id, date, &why);
	if (st == BR_OK && scheduled[0])
		ui_say(ui, "The pause scheduled from %s is called off: active.", scheduled);
	else if (st == BR_OK)
		ui_say(ui, "Resumed from %s: active.", date);
	else
		ui_status(ui, st, &why);
	reload(ui, cv);
}

static void end_date(struct ui *ui, void *ctx, const char *date)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	enum br_status st = calloff_end(ui->s, cv->id, date, calloff_end_codes[cv->end_reason], &why);
	if (st == BR_OK)
		ui_say(ui, "Ends %s (%s): the capacity returns on that date.", date, calloff_end_texts[cv->end_reason]);
	else
		ui_status(ui, st, &why);
	reload(ui, cv);
}

static void end_reason(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	cv->end_reason = index;
	prompt_open(ui, "End the package", "Ends from which date? (YYYY-MM-DD)", end_date, cv);
}

static void pick_from(struct ui *ui, const char *title, const char *const *texts, int n,
		      void (*choose)(struct ui *, void *, int), void *ctx)
{
	struct picker_option opts[8];
	for (int i = 0; i < n && i < 8; i++) {
		snprintf(opts[i].code, sizeof opts[i].code, "%d", i + 1);
		text_copy(opts[i].label, sizeof opts[i].label, texts[i]);
	}
	picker_open(ui, title, opts, n, false, choose, ctx);
}

static void handback_date(struct ui *ui, void *ctx, const char *date)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	enum br_status st = calloff_handback(ui->s, cv->id, cv->handback_reason, date, &why);
	if (st == BR_OK)
		ui_say(ui, "Handed back: care and capacity continue until %s; the request is at the top of the queue.",
		       date);
	else
		ui_status(ui, st, &why);
	reload(ui, cv);
}

static const char *const handback_codes[] = {
#define X(code, text) #code,
	HANDBACK_REASON_LIST(X)
#undef X
};
static const char *const handback_texts[] = {
#define X(code, text) text,
	HANDBACK_REASON_LIST(X)
#undef X
};

static void handback_reason(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	text_copy(cv->handback_reason, sizeof cv->handback_reason, handback_codes[index]);
	prompt_open(ui, "Hand-back", "Notice date: care continues until it (YYYY-MM-DD)", handback_date, cv);
}

static void cancel_reason(struct ui *ui, void *ctx, const char *reason)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	enum br_status st = calloff_cancel(ui->s, cv->id, reason, &why);
	if (st == BR_OK)
		ui_say(ui, "Call-off %lld cancelled: capacity returned, the request is open again.", (long long)cv->id);
	else
		ui_status(ui, st, &why);
	reload(ui, cv);
}

/* The work order goes to a file the officer names (written as them,
 * audited). A restricted person's gives the name and reference only,
 * unless the officer gives a reason to include the rest (break-glass, on
 * the record): the CLI's --reason, asked here (issue 26). */
static void workorder_write_to(struct ui *ui, struct calloff_view *cv, const char *reason)
{
	char *why = NULL;
	enum br_status st = workorder_write(ui->s, cv->id, reason, cv->wo_path, NULL, &why);
	if (st == BR_OK)
		ui_say(ui, "Work order for call-off %lld written to %s%s: send it to %s.", (long long)cv->id, cv->wo_path,
		       cv->wo_restricted && !reason ? " (name and reference only)" : "", cv->c.provider);
	else
		ui_status(ui, st, &why);
}

static void workorder_reason(struct ui *ui, void *ctx, const char *reason)
{
	workorder_write_to(ui, ctx, reason);
}

static void workorder_choice(struct ui *ui, void *ctx, int index)
{
	struct calloff_view *cv = ctx;
	if (index < 0)
		return;
	if (index == 0) {
		workorder_write_to(ui, cv, NULL);
		return;
	}
	prompt_open(ui, "Work order", "Why does the provider need the restricted person's details? (recorded)",
		    workorder_reason, cv);
}

static void workorder_to(struct ui *ui, void *ctx, const char *path)
{
	struct calloff_view *cv = ctx;
	text_copy(cv->wo_path, sizeof cv->wo_path, path);
	char *why = NULL;
	enum br_status st = workorder_restricted(ui->s, cv->id, &cv->wo_restricted, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	if (!cv->wo_restricted) {
		workorder_write_to(ui, cv, NULL);
		return;
	}
	struct picker_option opts[2] = {{"1", "Name and reference only"},
					{"2", "The person's details too (a reason is asked and recorded)"}};
	picker_open(ui, "A restricted record's work order", opts, 2, false, workorder_choice, cv);
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	struct calloff_view *cv = v->state;
	if (a == ACT_WORKORDER) {
		prompt_open(ui, "Work order", "Write the provider's work order to which file? (a full path)",
			    workorder_to, cv);
		return R_REDRAW;
	}
	if (a == ACT_HANDBACK) {
		enum { N = sizeof handback_codes / sizeof handback_codes[0] };
		struct picker_option opts[N];
		for (int i = 0; i < (int)N; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, "");
			snprintf(opts[i].code, sizeof opts[i].code, "%d", i + 1);
			text_copy(opts[i].label, sizeof opts[i].label, handback_texts[i]);
		}
		picker_open(ui, "Why is it handed back?", opts, N, false, handback_reason, cv);
		return R_REDRAW;
	}
	if (a == ACT_CANCEL_CALLOFF) {
		prompt_open(ui, "Cancel the call-off", "Why is it cancelled?", cancel_reason, cv);
		return R_REDRAW;
	}
	if (a == ACT_VARY) {
		struct picker_option opts[3] = {{"1", "The units"}, {"2", "The unit rate"}, {"3", "The funding split"}};
		picker_open(ui, "What changes?", opts, 3, false, vary_what, cv);
		return R_REDRAW;
	}
	if (a == ACT_PAUSE) {
		pick_from(ui, "Why is the care paused?", calloff_pause_texts, (int)(sizeof calloff_pause_texts / sizeof *calloff_pause_texts),
			  pause_reason, cv);
		return R_REDRAW;
	}
	if (a == ACT_RESUME && strcmp(cv->c.status, "active") == 0 && cv->c.pause_from[0]) {
		/* a pause not begun yet: resuming calls it off, today */
		char today[11];
		date_format(clock_today(), today);
		resume_date(ui, cv, today);
		return R_REDRAW;
	}
	if (a == ACT_RESUME) {
		prompt_open(ui, "Resume the package", "Care starts again on which date? (YYYY-MM-DD)", resume_date, cv);
		return R_REDRAW;
	}
	if (a == ACT_END_CALLOFF) {
		pick_from(ui, "Why does the care end?", calloff_end_texts, (int)(sizeof calloff_end_texts / sizeof *calloff_end_texts), end_reason,
			  cv);
		return R_REDRAW;
	}
	return R_UNHANDLED;
}

static void close_view(struct view *v)
{
	struct calloff_view *cv = v->state;
	if (cv)
		free(cv->history);
	free(v->state);
}

static const struct keybind keys[] = {
	{'h', ACT_HANDBACK, "h", true, NULL},
	{'x', ACT_CANCEL_CALLOFF, "x", true, NULL},
	{'W', ACT_WORKORDER, "W", true, NULL},
	{'v', ACT_VARY, "v", true, NULL},
	{'p', ACT_PAUSE, "p", true, NULL},
	{'r', ACT_RESUME, "r", true, NULL},
	{'e', ACT_END_CALLOFF, "e", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_calloff = {
	.title = "Call-off",
	.keys = keys,
	.draw = draw,
	.act = act,
	.close = close_view,
};

void calloff_show(struct ui *ui, int64_t id)
{
	struct calloff_view *cv = calloc(1, sizeof *cv);
	if (!cv)
		return;
	cv->id = id;
	char *why = NULL;
	enum br_status st = calloff_get(ui->s, id, &cv->c, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		free(cv);
		return;
	}
	if (calloff_history(ui->s, id, &cv->history, &cv->n_history, &why) != BR_OK)
		br_free_str(&why);
	ui_push(ui, &view_calloff, cv);
}
