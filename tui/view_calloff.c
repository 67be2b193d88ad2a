/* view_calloff.c — one call-off: provider, tier, override, rate, units,
 * weekly cost, funding split, dates, status, approval rules. h records a
 * hand-back (reason, then notice date); x cancels one not yet started. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct calloff_view {
	int64_t id;
	struct calloff_info c;
	char handback_reason[24];
};

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	(void)height;
	struct calloff_view *cv = v->state;
	const struct calloff_info *c = &cv->c;
	char line[300], rate[32], weekly[32], annual[32];
	money_format(c->unit_rate, rate, sizeof rate);
	money_format(c->weekly_cost, weekly, sizeof weekly);
	money_format(c->weekly_cost * 52, annual, sizeof annual);
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
		draw_text(y++, 0, width, line, theme(COLOUR_warning));
	}
	snprintf(line, sizeof line, "   Service    %s %s, %s", c->service, service_name(si), c->locality);
	draw_text(y++, 0, width, line, A_NORMAL);
	snprintf(line, sizeof line, "   Cost       %lld %s at %s %s = %s a week (%s a year)", (long long)c->units,
		 service_unit(si), rate, service_rate_per(si), weekly, annual);
	draw_text(y++, 0, width, line, A_NORMAL);
	if (c->asc_pct >= 100)
		snprintf(line, sizeof line, "   Funding    council-funded (adult social care)");
	else if (c->asc_pct <= 0)
		snprintf(line, sizeof line, "   Funding    NHS-funded (continuing healthcare)");
	else
		snprintf(line, sizeof line, "   Funding    joint: council %d%%, NHS CHC %d%%", c->asc_pct, 100 - c->asc_pct);
	draw_text(y++, 0, width, line, A_NORMAL);
	snprintf(line, sizeof line, "   Dates      from %s%s%s", c->start, c->end[0] ? " to " : "", c->end);
	draw_text(y++, 0, width, line, A_NORMAL);
	snprintf(line, sizeof line, "   Proposed   by %s", c->proposed_by);
	draw_text(y++, 0, width, line, A_NORMAL);
	if (c->rules[0]) {
		snprintf(line, sizeof line, "   Approval   needed: %.270s", c->rules_words[0] ? c->rules_words : c->rules);
		draw_text(y++, 0, width, line, theme(COLOUR_warning));
	}
}

static void reload(struct ui *ui, struct calloff_view *cv)
{
	char *why = NULL;
	ui_status(ui, calloff_get(ui->s, cv->id, &cv->c, &why), &why);
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

/* The work order goes to a file the officer names (written as them, audited). */
static void workorder_to(struct ui *ui, void *ctx, const char *path)
{
	struct calloff_view *cv = ctx;
	char *why = NULL;
	enum br_status st = workorder_write(ui->s, cv->id, path, NULL, &why);
	if (st == BR_OK)
		ui_say(ui, "Work order for call-off %lld written to %s: send it to %s.", (long long)cv->id, path,
		       cv->c.provider);
	else
		ui_status(ui, st, &why);
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
	return R_UNHANDLED;
}

static void close_view(struct view *v)
{
	free(v->state);
}

static const struct keybind keys[] = {
	{'h', ACT_HANDBACK, "h", true, NULL},
	{'x', ACT_CANCEL_CALLOFF, "x", true, NULL},
	{'W', ACT_WORKORDER, "W", true, NULL},
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
	ui_push(ui, &view_calloff, cv);
}
