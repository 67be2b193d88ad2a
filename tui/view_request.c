/* view_request.c — the New request form (and Edit request), on the form
 * engine (form.h): Tab, Enter or Up/Down move between fields (Enter passes
 * the council's share unless the funding is joint), Left/Right or Space
 * changes a choice, a letter picks a service; the first character typed in
 * a field replaces its pre-filled value; Notes takes several lines (Enter
 * starts the next; Enter on an empty line, or Tab, goes on to the review
 * line), and the review line's y (or Enter) saves. Esc on a changed form
 * asks. Core checks every value (units bounded per service from the
 * config); its message says what is wrong. Saved, a new request opens the
 * Match. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

enum field_id { F_SERVICE, F_UNITS, F_START, F_URGENCY, F_FUNDING, F_ASC, F_NOTES, F_COUNT };

enum { FUNDING_ASC, FUNDING_CHC, FUNDING_JOINT }; /* the choices of F_FUNDING */

struct request_form {
	struct form form; /* edit_id: the open request being changed */
	struct su_row su;
};

static const char *const urgencies[] = {"routine", "urgent", "emergency"};

static const struct form_field fields[F_COUNT] = {
	[F_SERVICE] = {.kind = FORM_CHOICE, .label = "Service", .list = FORM_SERVICES, .jump = FORM_JUMP_FIRST,
		       .fixed_note = "(fixed: cancel and raise anew to change)"},
	[F_UNITS] = {.kind = FORM_TEXT, .label = "Units", .width = 14},
	[F_START] = {.kind = FORM_TEXT, .label = "Start date", .width = 14, .hint = "YYYY-MM-DD, today or later",
		     .hint_width = 30},
	[F_URGENCY] = {.kind = FORM_CHOICE, .label = "Urgency", .codes = urgencies, .n = 3},
	[F_FUNDING] = {.kind = FORM_CHOICE, .label = "Funding", .list = FORM_FUNDINGS},
	[F_ASC] = {.kind = FORM_TEXT, .label = "Council share %", .width = 14},
	[F_NOTES] = {.kind = FORM_LINES, .label = "Notes"},
};

static void heading(const struct form *form, char *buf, size_t n)
{
	const struct request_form *f = form->ctx;
	if (form->edit_id)
		snprintf(buf, n, " Edit request %lld for %s (%s), %s", (long long)form->edit_id, f->su.family,
			 f->su.ref, f->su.locality);
	else
		snprintf(buf, n, " New request for %s, %s (%s), %s, primary need %s", f->su.family, f->su.given,
			 f->su.ref, f->su.locality, f->su.primary_need);
}

/* the council's share is asked only of a joint request */
static bool active(const struct form *f, int id)
{
	return id != F_ASC || f->choice[F_FUNDING] == FUNDING_JOINT;
}

static void hint(const struct form *f, int id, char *buf, size_t n)
{
	if (id == F_UNITS)
		snprintf(buf, n, "%s, at most %lld", service_unit(f->choice[F_SERVICE]),
			 (long long)f->cfg->units_max[f->choice[F_SERVICE]]);
}

static bool value(const struct form *f, int id, int y, int x, int width, bool focused)
{
	if (id != F_ASC)
		return false;
	if (!active(f, id))
		draw_text(y, x, width - 22,
			  f->choice[F_FUNDING] == FUNDING_ASC ? "100 (all council)" : "0 (all NHS CHC)",
			  theme(COLOUR_muted));
	else /* as this form always has: a joint request's share row shows the Notes' lines */
		form_lines_draw(f, y, x, width - 22, focused);
	return true;
}

static void foot(const struct form *form, int y, int bottom, int width)
{
	if (y >= bottom)
		return;
	if (form->ask == FORM_ASK_SAVE)
		draw_text(y, 1, width - 1, form->review, theme(COLOUR_warning) | A_BOLD);
	else if (form->ask == FORM_ASK_LEAVE)
		draw_text(y, 2, width - 4, form->edit_id ? "Discard your changes to this request? y/n"
						     : "Discard this new request? y/n",
			  theme(COLOUR_warning) | A_BOLD);
	else
		draw_text(y, 2, width - 4, form->focus == F_NOTES
			  ? "Notes: Enter starts a new line; Tab, or Enter on an empty line, to review and save."
			  : "Enter: next field; after Notes, review and save.", theme(COLOUR_muted));
}

static const char *left(const struct form *form, bool discarded)
{
	if (!form->edit_id)
		return "New request abandoned: nothing was saved.";
	return discarded ? "Edit abandoned: the request is as it was." : "Nothing changed.";
}

/* The form's values as core's input; false (focus moved, message shown)
 * when the units are not a number. */
static bool gather(struct ui *ui, struct form *form, void *in_)
{
	const struct request_form *f = form->ctx;
	struct request_input *in = in_; /* zeroed */
	text_copy(in->user_ref, sizeof in->user_ref, f->su.ref);
	text_copy(in->service, sizeof in->service, form_code(form, F_SERVICE));
	char buf[64];
	form_get(form, F_UNITS, buf, sizeof buf);
	char *end;
	long units = strtol(buf, &end, 10);
	if (!buf[0] || *end) {
		ui_error(ui, "Units: \"%s\" is not a whole number", buf);
		form_fault(form, F_UNITS);
		return false;
	}
	in->units = units;
	form_get(form, F_START, in->start, sizeof in->start);
	text_copy(in->urgency, sizeof in->urgency, form_code(form, F_URGENCY));
	text_copy(in->funding, sizeof in->funding, form_code(form, F_FUNDING));
	in->asc_pct = -1;
	if (form->choice[F_FUNDING] == FUNDING_JOINT) {
		form_get(form, F_ASC, buf, sizeof buf);
		long pct = strtol(buf, &end, 10);
		in->asc_pct = buf[0] && !*end ? (int)pct : 0;
	}
	form_lines_get(form, in->notes, sizeof in->notes);
	return true;
}

/* The review line: what will be saved, in words. */
static void review(struct ui *ui, struct form *form, const void *in_)
{
	(void)ui;
	const struct request_input *in = in_;
	char when[40];
	date_words_text(in->start, DATE_YEAR_IF_OTHER, when, sizeof when);
	char money[60];
	if (form->choice[F_FUNDING] == FUNDING_ASC)
		snprintf(money, sizeof money, "council-funded");
	else if (form->choice[F_FUNDING] == FUNDING_CHC)
		snprintf(money, sizeof money, "NHS-funded (CHC)");
	else
		snprintf(money, sizeof money, "joint: council %d%%, NHS %d%%", in->asc_pct, 100 - in->asc_pct);
	snprintf(form->review, sizeof form->review, "%s request: %s %lld %s from %s, %s, %s? y/n",
		 form->edit_id ? "Change" : "Save", in->service, (long long)in->units,
		 service_unit(form->choice[F_SERVICE]), when, in->urgency, money);
}

static void save(struct ui *ui, struct form *form, const void *in_)
{
	const struct request_input *in = in_;
	int64_t id = form->edit_id;
	char *why = NULL;
	enum br_status st = form->edit_id ? request_edit(ui->s, form->edit_id, in, &why)
				       : request_create(ui->s, in, &id, &why);
	if (st != BR_OK) {
		/* put the cursor where core says the fault is */
		if (why && strncmp(why, "units", 5) == 0)
			form_fault(form, F_UNITS);
		else if (why && strncmp(why, "start", 5) == 0)
			form_fault(form, F_START);
		ui_status(ui, st, &why);
		return;
	}
	bool edited = form->edit_id != 0;
	ui_pop(ui);
	if (edited) {
		ui_say(ui, "Request %lld changed.", (long long)id);
		return;
	}
	ui_say(ui, "Request %lld raised. Offer it down the tiers.", (long long)id);
	match_show(ui, id);
}

static const struct form_spec spec = {
	FORM_FIELDS(fields),
	.label_width = 18,
	.row_step = 2,
	.prefill_only = true,
	.lenient = true,
	.focus_while_asking = true,
	.in_size = sizeof(struct request_input),
	.gather = gather,
	.heading = heading,
	.review = review,
	.save = save,
	.active = active,
	.hint = hint,
	.value = value,
	.foot = foot,
	.left = left,
};

static const struct keybind keys[] = {
	{'\r', ACT_NONE, "Enter", true, "next (Notes: new line)"},
	{'\t', ACT_NONE, "Tab", true, "next, review"},
	{' ', ACT_NONE, "Left/Right", true, "choice"},
	{KEY_UP, ACT_NONE, "Up/Down", false, "move"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_request = FORM_VIEW("New request", keys, keys);

static struct request_form *request_form_new(struct ui *ui)
{
	struct request_form *f = calloc(1, sizeof *f);
	if (f)
		form_init(&f->form, &spec, f, &ui->s->cfg);
	return f;
}

void request_form_show(struct ui *ui, const struct su_row *su)
{
	if (!session_may(ui->s, CAP_BROKER)) {
		ui_error(ui, "Raising a request is not for role %s.", ui->s->user.role);
		return;
	}
	struct request_form *f = request_form_new(ui);
	if (!f)
		return;
	struct form *form = &f->form;
	f->su = *su;
	form->choice[F_SERVICE] = SERVICE_HC;
	form_prefill(form, F_UNITS, "10");
	char today[11];
	date_format(clock_today(), today);
	form_prefill(form, F_START, today);
	form_choose(form, F_FUNDING, su->funding);
	form_prefill(form, F_ASC, "50");
	ui_push(ui, &view_request, form);
}

void request_edit_show(struct ui *ui, int64_t request_id)
{
	if (!session_may(ui->s, CAP_BROKER)) {
		ui_error(ui, "Changing a request is not for role %s.", ui->s->user.role);
		return;
	}
	struct request_info r;
	char *why = NULL;
	enum br_status st = request_get(ui->s, request_id, &r, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	if (strcmp(r.status, "open") != 0) {
		ui_error(ui, "Request %lld is %s: only an open request can be changed.", (long long)request_id, r.status);
		return;
	}
	struct request_form *f = request_form_new(ui);
	if (!f)
		return;
	struct form *form = &f->form;
	form->edit_id = request_id;
	text_copy(f->su.ref, sizeof f->su.ref, r.ref);
	text_copy(f->su.family, sizeof f->su.family, r.person);
	text_copy(f->su.locality, sizeof f->su.locality, r.locality);
	form_choose(form, F_SERVICE, r.service);
	form->fixed[F_SERVICE] = true;
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)r.units);
	form_prefill(form, F_UNITS, buf);
	form_prefill(form, F_START, r.start);
	form_choose(form, F_URGENCY, r.urgency);
	form_choose(form, F_FUNDING, r.funding);
	snprintf(buf, sizeof buf, "%d", r.funding[0] == 'J' ? r.asc_pct : 50);
	form_prefill(form, F_ASC, buf);
	form_lines_set(form, r.notes);
	form->focus = F_UNITS;
	ui_push(ui, &view_request, form);
}

/* Cancelling a request: the reason first, then core. */
static void cancel_reason(struct ui *ui, void *ctx, const char *reason)
{
	int64_t id = (int64_t)(intptr_t)ctx;
	char *why = NULL;
	enum br_status st = request_cancel(ui->s, id, reason, &why);
	if (st == BR_OK)
		ui_say(ui, "Request %lld cancelled: %s", (long long)id, reason);
	else
		ui_status(ui, st, &why);
	/* the screen beneath shows the request as it is now */
	struct view *top = ui->depth ? &ui->stack[ui->depth - 1] : NULL;
	if (top && top->ops->resume)
		top->ops->resume(ui, top);
}

void request_cancel_ask(struct ui *ui, int64_t request_id)
{
	if (!session_may(ui->s, CAP_BROKER)) {
		ui_error(ui, "Cancelling a request is not for role %s.", ui->s->user.role);
		return;
	}
	char q[160];
	snprintf(q, sizeof q, "Why is request %lld cancelled? (Esc keeps it)", (long long)request_id);
	prompt_open(ui, "Cancel request", q, cancel_reason, (void *)(intptr_t)request_id);
}
