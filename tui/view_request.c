/* view_request.c — the New request form: Tab or Up/Down moves between
 * fields, Left/Right or Space changes a choice, Enter saves. Core checks
 * every value; its message says what is wrong. Saved, it opens the Match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

enum field_id { F_SERVICE, F_UNITS, F_START, F_URGENCY, F_FUNDING, F_ASC, F_NOTES, F_COUNT };

struct form {
	struct su_row su;
	int service, urgency, funding;
	struct field units, start, asc, notes;
	int focus;
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
	case F_NOTES: return &f->notes;
	default: return NULL;
	}
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	(void)height;
	struct form *f = v->state;
	char line[200];
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
			snprintf(value, sizeof value, "< %s  %s >", service_code(f->service), service_name(f->service));
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
		default:
			field_draw(text_field(f, i), y, 20, i == F_NOTES ? width - 22 : 14, focused);
			if (i == F_UNITS) {
				snprintf(value, sizeof value, "%s", service_unit(f->service));
				draw_text(y, 36, 20, value, theme(COLOUR_muted));
			}
			if (i == F_START)
				draw_text(y, 36, 30, "YYYY-MM-DD, today or later", theme(COLOUR_muted));
		}
	}
}

static void step_choice(struct form *f, int delta)
{
	switch (f->focus) {
	case F_SERVICE: f->service = (f->service + delta + SERVICE_COUNT) % SERVICE_COUNT; break;
	case F_URGENCY: f->urgency = (f->urgency + delta + 3) % 3; break;
	case F_FUNDING: f->funding = (f->funding + delta + 3) % 3; break;
	default: break;
	}
}

static void save(struct ui *ui, struct form *f)
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
		return;
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
	field_get(&f->notes, in.notes, sizeof in.notes);
	int64_t id = 0;
	char *why = NULL;
	enum br_status st = request_create(ui->s, &in, &id, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	ui_pop(ui);
	ui_say(ui, "Request %lld raised. Offer it down the tiers.", (long long)id);
	match_show(ui, id);
}

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct form *f = v->state;
	if ((!is_key && (ch == '\t')) || (is_key && ch == KEY_DOWN)) {
		f->focus = (f->focus + 1) % F_COUNT;
		return R_REDRAW;
	}
	if ((is_key && (ch == KEY_UP || ch == KEY_BTAB))) {
		f->focus = (f->focus + F_COUNT - 1) % F_COUNT;
		return R_REDRAW;
	}
	if (!is_key && (ch == '\r' || ch == '\n')) {
		save(ui, f);
		return R_REDRAW;
	}
	if (!is_key && ch == 27) {
		ui_pop(ui);
		ui_say(ui, "New request abandoned: nothing was saved.");
		return R_REDRAW;
	}
	struct field *tf = text_field(f, f->focus);
	if (tf && !(f->focus == F_ASC && f->funding != 2)) {
		field_edit(tf, ch, is_key);
		return R_REDRAW;
	}
	if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
		step_choice(f, 1);
	else if (is_key && ch == KEY_LEFT)
		step_choice(f, -1);
	else if (!is_key && f->focus == F_SERVICE) {
		/* a letter jumps to a service code */
		for (int i = 0; i < SERVICE_COUNT; i++)
			if (service_code(i)[0] == (char)towupper(ch)) {
				f->service = i;
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
	{'\t', ACT_NONE, "Tab", true, "next field"},
	{' ', ACT_NONE, "Left/Right", true, "change a choice"},
	{'\r', ACT_NONE, "Enter", true, "save"},
	{27, ACT_NONE, "Esc", true, "cancel"},
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
	field_set(&f->units, "10");
	char today[11];
	date_format(clock_today(), today);
	field_set(&f->start, today);
	f->funding = strcmp(su->funding, "CHC") == 0 ? 1 : strcmp(su->funding, "JOINT") == 0 ? 2 : 0;
	field_set(&f->asc, "50");
	ui_push(ui, &view_request, f);
}
