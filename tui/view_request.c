/* view_request.c — the New request form (and Edit request): Tab, Enter or
 * Up/Down move between fields, Left/Right or Space changes a choice; the
 * first character typed in a field replaces its pre-filled value; Notes
 * takes several lines (Enter starts the next; Enter on an empty line, or
 * Tab, goes on to the review line), and the review line's y saves. Esc on
 * a changed form asks.
 * Core checks every value (units bounded per service from the config); its
 * message says what is wrong. Saved, a new request opens the Match. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

enum field_id { F_SERVICE, F_UNITS, F_START, F_URGENCY, F_FUNDING, F_ASC, F_NOTES, F_COUNT };

enum mode { MODE_FORM, MODE_REVIEW, MODE_DISCARD };

#define NOTES_LINES 4

struct form {
	struct su_row su;
	int64_t edit_id; /* 0: a new request; else the open request being changed */
	int service, urgency, funding;
	struct field units, start, asc;
	struct field notes[NOTES_LINES]; /* Notes, a line each; joined by newlines */
	int n_notes, notes_line;
	int focus;
	bool dirty;
	enum mode mode;
	char review[200];
};

static const char *const urgencies[] = {"routine", "urgent", "emergency"};
static const char *const fundings[] = {"ASC", "CHC", "JOINT"};
static const char *const funding_words[] = {"council adult social care", "NHS continuing healthcare",
					    "joint (Section 75 pool)"};

static struct field *text_field(struct form *f, int id)
{
	switch (id) {
	case F_UNITS: return &f->units;
	case F_START: return &f->start;
	case F_ASC: return &f->asc;
	case F_NOTES: return &f->notes[f->notes_line];
	default: return NULL;
	}
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	struct form *f = v->state;
	char line[200];
	if (f->edit_id)
		snprintf(line, sizeof line, " Edit request %lld for %s (%s), %s", (long long)f->edit_id,
			 f->su.family, f->su.ref, f->su.locality);
	else
		snprintf(line, sizeof line, " New request for %s, %s (%s), %s, primary need %s", f->su.family,
			 f->su.given, f->su.ref, f->su.locality, f->su.primary_need);
	draw_text(top, 0, width, line, A_BOLD);
	static const char *const labels[F_COUNT] = {"Service", "Units", "Start date", "Urgency", "Funding",
						     "Council share %", "Notes"};
	for (int i = 0; i < F_COUNT; i++) {
		int y = top + 2 + i * 2;
		bool focused = f->focus == i;
		draw_text(y, 2, 18, labels[i], focused ? A_BOLD : A_NORMAL);
		char value[160];
		switch (i) {
		case F_SERVICE:
			snprintf(value, sizeof value, f->edit_id ? "%s  %s (fixed: cancel and raise anew to change)"
								 : "< %s  %s >",
				 service_code(f->service), service_name(f->service));
			draw_text(y, 20, width - 22, value, focused ? theme(COLOUR_selection) : A_NORMAL);
			break;
		case F_URGENCY:
			snprintf(value, sizeof value, "< %s >", urgencies[f->urgency]);
			draw_text(y, 20, width - 22, value, focused ? theme(COLOUR_selection) : A_NORMAL);
			break;
		case F_FUNDING:
			snprintf(value, sizeof value, "< %s  %s >", fundings[f->funding], funding_words[f->funding]);
			draw_text(y, 20, width - 22, value, focused ? theme(COLOUR_selection) : A_NORMAL);
			break;
		case F_ASC:
			if (f->funding != 2) {
				draw_text(y, 20, width - 22, f->funding == 0 ? "100 (all council)" : "0 (all NHS CHC)",
					  theme(COLOUR_muted));
				break;
			}
			/* fall through */
		case F_NOTES:
			for (int k = 0; k < f->n_notes; k++)
				field_draw(&f->notes[k], y + k, 20, width - 22, focused && k == f->notes_line);
			break;
		default:
			field_draw(text_field(f, i), y, 20, 14, focused);
			if (i == F_UNITS) {
				snprintf(value, sizeof value, "%s, at most %lld", service_unit(f->service),
					 (long long)ui->s->cfg.units_max[f->service]);
				draw_text(y, 36, width - 38, value, theme(COLOUR_muted));
			}
			if (i == F_START)
				draw_text(y, 36, 30, "YYYY-MM-DD, today or later", theme(COLOUR_muted));
		}
	}
	int y = top + 2 + F_COUNT * 2 + f->n_notes - 1;
	if (y < top + height) {
		if (f->mode == MODE_REVIEW)
			draw_text(y, 1, width - 1, f->review, theme(COLOUR_warning) | A_BOLD);
		else if (f->mode == MODE_DISCARD)
			draw_text(y, 2, width - 4, f->edit_id ? "Discard your changes to this request? y/n"
							     : "Discard this new request? y/n",
				  theme(COLOUR_warning) | A_BOLD);
		else
			draw_text(y, 2, width - 4, f->focus == F_NOTES
				  ? "Notes: Enter starts a new line; Tab, or Enter on an empty line, to review and save."
				  : "Enter: next field; after Notes, review and save.", theme(COLOUR_muted));
	}
}

static void step_choice(struct form *f, int delta)
{
	f->dirty = true;
	switch (f->focus) {
	case F_SERVICE: if (f->edit_id) break; f->service = (f->service + delta + SERVICE_COUNT) % SERVICE_COUNT; break;
	case F_URGENCY: f->urgency = (f->urgency + delta + 3) % 3; break;
	case F_FUNDING: f->funding = (f->funding + delta + 3) % 3; break;
	default: break;
	}
}

/* The form's values as core's input; false (focus moved, message shown)
 * when the units are not a number. */
static bool form_input(struct ui *ui, struct form *f, struct request_input *out)
{
	struct request_input in;
	memset(&in, 0, sizeof in);
	text_copy(in.user_ref, sizeof in.user_ref, f->su.ref);
	text_copy(in.service, sizeof in.service, service_code(f->service));
	char buf[64];
	field_get(&f->units, buf, sizeof buf);
	char *end;
	long units = strtol(buf, &end, 10);
	if (!buf[0] || *end) {
		ui_error(ui, "Units: \"%s\" is not a whole number", buf);
		f->focus = F_UNITS;
		f->mode = MODE_FORM;
		return false;
	}
	in.units = units;
	field_get(&f->start, in.start, sizeof in.start);
	text_copy(in.urgency, sizeof in.urgency, urgencies[f->urgency]);
	text_copy(in.funding, sizeof in.funding, fundings[f->funding]);
	in.asc_pct = -1;
	if (f->funding == 2) {
		field_get(&f->asc, buf, sizeof buf);
		long pct = strtol(buf, &end, 10);
		in.asc_pct = buf[0] && !*end ? (int)pct : 0;
	}
	/* the lines of Notes, joined by newlines; empty lines at the end dropped */
	int last = f->n_notes - 1;
	char part[256];
	while (last > 0) {
		field_get(&f->notes[last], part, sizeof part);
		if (text_present(part))
			break;
		last--;
	}
	for (int k = 0; k <= last; k++) {
		field_get(&f->notes[k], part, sizeof part);
		size_t len = strlen(in.notes);
		snprintf(in.notes + len, sizeof in.notes - len, "%s%s", k ? "\n" : "", part);
	}
	*out = in;
	return true;
}

/* The review line: what will be saved, in words. */
static void review(struct ui *ui, struct form *f)
{
	struct request_input in;
	if (!form_input(ui, f, &in))
		return;
	int64_t day;
	char when[40];
	int y, m, d;
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (date_parse(in.start, &day, NULL) == BR_OK) {
		date_from_days(day, &y, &m, &d);
		int ty, tm, td;
		date_from_days(clock_today(), &ty, &tm, &td);
		if (y == ty)
			snprintf(when, sizeof when, "%d %s", d, months[(m - 1) % 12]);
		else
			snprintf(when, sizeof when, "%d %s %d", d, months[(m - 1) % 12], y);
	} else {
		snprintf(when, sizeof when, "%s", in.start);
	}
	char money[60];
	if (f->funding == 0)
		snprintf(money, sizeof money, "council-funded");
	else if (f->funding == 1)
		snprintf(money, sizeof money, "NHS-funded (CHC)");
	else
		snprintf(money, sizeof money, "joint: council %d%%, NHS %d%%", in.asc_pct, 100 - in.asc_pct);
	snprintf(f->review, sizeof f->review, "%s request: %s %lld %s from %s, %s, %s? y/n",
		 f->edit_id ? "Change" : "Save", in.service, (long long)in.units, service_unit(f->service), when,
		 in.urgency, money);
	f->mode = MODE_REVIEW;
	/* a second open request for the same person and service: say so, show the first */
	int same = 0;
	int64_t first = 0;
	char *why = NULL;
	if (!f->edit_id && request_open_same(ui->s, f->su.ref, in.service, &same, &first, &why) == BR_OK && same > 0) {
		struct request_info r;
		if (request_get(ui->s, first, &r, NULL) == BR_OK)
			ui_error(ui, "Request %lld is already open for %s: %s %lld %s from %s, %s, raised %.10s by %s. "
				     "y raises a second one.",
				 (long long)first, f->su.ref, r.service, (long long)r.units,
				 service_unit(service_find(r.service)), r.start, r.urgency, r.created_at, r.created_by);
	}
	br_free_str(&why);
}

static void save(struct ui *ui, struct form *f)
{
	struct request_input in;
	f->mode = MODE_FORM;
	if (!form_input(ui, f, &in))
		return;
	int64_t id = f->edit_id;
	char *why = NULL;
	enum br_status st = f->edit_id ? request_edit(ui->s, f->edit_id, &in, &why)
				       : request_create(ui->s, &in, &id, &why);
	if (st != BR_OK) {
		/* put the cursor where core says the fault is */
		if (why && strncmp(why, "units", 5) == 0)
			f->focus = F_UNITS;
		else if (why && strncmp(why, "start", 5) == 0)
			f->focus = F_START;
		ui_status(ui, st, &why);
		return;
	}
	bool edited = f->edit_id != 0;
	ui_pop(ui);
	if (edited) {
		ui_say(ui, "Request %lld changed.", (long long)id);
		return;
	}
	ui_say(ui, "Request %lld raised. Offer it down the tiers.", (long long)id);
	match_show(ui, id);
}

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct form *f = v->state;
	bool enter = (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);
	if (f->mode != MODE_FORM) {
		bool yes = !is_key && (ch == 'y' || ch == 'Y');
		if (f->mode == MODE_REVIEW && (yes || enter)) {
			save(ui, f);
			return R_REDRAW;
		}
		if (f->mode == MODE_DISCARD && yes) {
			bool edited = f->edit_id != 0;
			ui_pop(ui);
			ui_say(ui, edited ? "Edit abandoned: the request is as it was." : "New request abandoned: nothing was saved.");
			return R_REDRAW;
		}
		/* n, Esc or anything else: back to the form as it was */
		f->mode = MODE_FORM;
		return R_REDRAW;
	}
	if (f->focus == F_NOTES) {
		/* Notes takes several lines: Enter starts the next one; Enter on
		 * an empty line, Tab, or Down from the last line goes on to the
		 * review line; Up goes back a line, then to the field above */
		char here[256];
		field_get(&f->notes[f->notes_line], here, sizeof here);
		bool tab = !is_key && ch == '\t';
		if (enter && text_present(here)) {
			if (f->notes_line + 1 < f->n_notes) {
				f->notes_line++;
			} else if (f->n_notes < NOTES_LINES) {
				field_set(&f->notes[f->n_notes], "");
				f->notes_line = f->n_notes++;
			} else {
				ui_error(ui, "Notes hold %d lines: Tab to review and save.", NOTES_LINES);
			}
			return R_REDRAW;
		}
		if (enter || tab || (is_key && ch == KEY_DOWN && f->notes_line + 1 >= f->n_notes)) {
			review(ui, f);
			return R_REDRAW;
		}
		if (is_key && ch == KEY_DOWN) {
			f->notes_line++;
			return R_REDRAW;
		}
		if (is_key && ch == KEY_UP && f->notes_line > 0) {
			f->notes_line--;
			return R_REDRAW;
		}
	}
	if (enter) {
		f->focus += f->focus == F_FUNDING && f->funding != 2 ? 2 : 1; /* no share to ask */
		return R_REDRAW;
	}
	if ((!is_key && (ch == '\t')) || (is_key && ch == KEY_DOWN)) {
		f->focus = (f->focus + 1) % F_COUNT;
		if (f->focus == F_NOTES)
			f->notes_line = 0;
		return R_REDRAW;
	}
	if ((is_key && (ch == KEY_UP || ch == KEY_BTAB))) {
		f->focus = (f->focus + F_COUNT - 1) % F_COUNT;
		if (f->focus == F_NOTES)
			f->notes_line = f->n_notes - 1;
		return R_REDRAW;
	}
	if (!is_key && ch == 27) {
		if (f->dirty) {
			f->mode = MODE_DISCARD;
			return R_REDRAW;
		}
		bool edited = f->edit_id != 0;
		ui_pop(ui); /* frees f */
		ui_say(ui, edited ? "Nothing changed." : "New request abandoned: nothing was saved.");
		return R_REDRAW;
	}
	struct field *tf = text_field(f, f->focus);
	if (tf && !(f->focus == F_ASC && f->funding != 2)) {
		if (field_edit(tf, ch, is_key))
			f->dirty = true;
		return R_REDRAW;
	}
	if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
		step_choice(f, 1);
	else if (is_key && ch == KEY_LEFT)
		step_choice(f, -1);
	else if (!is_key && f->focus == F_SERVICE) {
		/* a letter jumps to a service code */
		for (int i = 0; i < SERVICE_COUNT && !f->edit_id; i++)
			if (service_code(i)[0] == (char)towupper(ch)) {
				f->service = i;
				f->dirty = true;
				break;
			}
	}
	return R_REDRAW;
}

static bool editing(const struct view *v)
{
	(void)v;
	return true;
}

static enum reaction act(struct ui *ui, struct view *v, enum action a)
{
	(void)ui;
	(void)v;
	(void)a;
	return R_REDRAW;
}

static void close_view(struct view *v)
{
	free(v->state);
}

static const struct keybind keys[] = {
	{'\r', ACT_NONE, "Enter", true, "next (Notes: new line)"},
	{'\t', ACT_NONE, "Tab", true, "next, review"},
	{' ', ACT_NONE, "Left/Right", true, "choice"},
	{KEY_UP, ACT_NONE, "Up/Down", false, "move"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_request = {
	.title = "New request",
	.keys = keys,
	.edit_keys = keys,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};

void request_form_show(struct ui *ui, const struct su_row *su)
{
	if (!session_may(ui->s, CAP_BROKER)) {
		ui_error(ui, "Raising a request is not for role %s.", ui->s->user.role);
		return;
	}
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return;
	f->su = *su;
	f->service = SERVICE_HC;
	field_prefill(&f->units, "10");
	char today[11];
	date_format(clock_today(), today);
	field_prefill(&f->start, today);
	f->funding = strcmp(su->funding, "CHC") == 0 ? 1 : strcmp(su->funding, "JOINT") == 0 ? 2 : 0;
	field_prefill(&f->asc, "50");
	f->n_notes = 1;
	ui_push(ui, &view_request, f);
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
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		return;
	f->edit_id = request_id;
	text_copy(f->su.ref, sizeof f->su.ref, r.ref);
	text_copy(f->su.family, sizeof f->su.family, r.person);
	text_copy(f->su.locality, sizeof f->su.locality, r.locality);
	f->service = service_find(r.service);
	if (f->service < 0)
		f->service = 0;
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)r.units);
	field_prefill(&f->units, buf);
	field_prefill(&f->start, r.start);
	for (int i = 0; i < 3; i++) {
		if (strcmp(r.urgency, urgencies[i]) == 0)
			f->urgency = i;
		if (strcmp(r.funding, fundings[i]) == 0)
			f->funding = i;
	}
	snprintf(buf, sizeof buf, "%d", r.funding[0] == 'J' ? r.asc_pct : 50);
	field_prefill(&f->asc, buf);
	/* Notes, a line each */
	const char *p = r.notes;
	f->n_notes = 0;
	do {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		char part[256];
		snprintf(part, sizeof part, "%.*s", len, p);
		field_prefill(&f->notes[f->n_notes++], part);
		p = nl ? nl + 1 : p + len;
	} while (*p && f->n_notes < NOTES_LINES);
	f->focus = F_UNITS;
	ui_push(ui, &view_request, f);
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
