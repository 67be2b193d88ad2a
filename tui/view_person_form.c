/* view_person_form.c — New person (from Service users) and edit person
 * (from the Person screen). Tab, Down or Enter moves to the next field, Up
 * or Shift-Tab back; a field's first keystroke replaces what was there;
 * Left/Right or Space change a choice. Enter on the last field shows a
 * review line that saves on y. Esc on a changed form asks first. Core
 * checks every value (person_add, person_edit); its message says what is
 * wrong, and the form stays as typed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui.h"

enum field_id {
	F_NHS, F_FAMILY, F_GIVEN, F_DOB, F_POSTCODE, F_LOCALITY, F_NEED, F_OTHER, F_FORENSIC, F_FUNDING,
	F_S117, F_FNC, F_COUNT
};

enum ask { ASK_NONE, ASK_SAVE, ASK_LEAVE };

struct person_form {
	int64_t edit_id;   /* 0: a new person */
	char ref[17];      /* the person edited */
	struct field text[F_COUNT];
	int locality, need, forensic, funding, s117, fnc;
	int focus;
	bool typed;        /* the focused field has had a keystroke since it took the focus */
	bool changed;
	enum ask ask;
	char review[400];
};

static const char *const fundings[] = {"ASC", "CHC", "JOINT"};
static const char *const funding_words[] = {"council adult social care", "NHS continuing healthcare",
					    "joint (Section 75 pool)"};

static bool is_text(int id)
{
	return id != F_LOCALITY && id != F_NEED && id != F_FORENSIC && id != F_FUNDING && id != F_S117 && id != F_FNC;
}

static void focus_to(struct person_form *f, int id)
{
	f->focus = (id + F_COUNT) % F_COUNT;
	f->typed = false;
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	struct person_form *f = v->state;
	const struct br_config *cfg = &ui->s->cfg;
	char line[240];
	if (f->edit_id)
		snprintf(line, sizeof line, " Edit person %s", f->ref);
	else
		snprintf(line, sizeof line, " New person: referred to the team (the reference comes when it is saved)");
	draw_text(top, 0, width, line, A_BOLD);
	static const char *const labels[F_COUNT] = {"NHS number", "Family name", "Given name", "Date of birth",
						     "Postcode", "Locality", "Primary need", "Other needs",
						     "Forensic", "Funding", "Section 117", "Nursing (FNC)"};
	static const char *const hints[F_COUNT] = {"10 digits, spaces allowed", "", "", "YYYY-MM-DD",
						    "", "", "", "codes, comma-separated: AUT,PD", "", "", "", ""};
	for (int i = 0; i < F_COUNT; i++) {
		int y = top + 2 + i;
		if (y >= top + height - 3)
			break;
		bool focused = f->focus == i && f->ask == ASK_NONE;
		draw_text(y, 2, 16, labels[i], focused ? A_BOLD : A_NORMAL);
		attr_t a = focused ? theme(COLOUR_selection) : A_NORMAL;
		switch (i) {
		case F_LOCALITY:
			snprintf(line, sizeof line, "< %s  %s >", cfg->localities[f->locality].code,
				 cfg->localities[f->locality].name);
			draw_text(y, 20, width - 22, line, a);
			break;
		case F_NEED:
			snprintf(line, sizeof line, "< %s  %s >", need_code(f->need), need_name(f->need));
			draw_text(y, 20, width - 22, line, a);
			break;
		case F_FORENSIC:
			snprintf(line, sizeof line, "< %s >", f->forensic ? "yes" : "no");
			draw_text(y, 20, 20, line, a);
			draw_text(y, 42, width - 44, "with a primary need of MH or DD", theme(COLOUR_muted));
			break;
		case F_FUNDING:
			snprintf(line, sizeof line, "< %s  %s >", fundings[f->funding], funding_words[f->funding]);
			draw_text(y, 20, width - 22, line, a);
			break;
		case F_S117:
		case F_FNC:
			snprintf(line, sizeof line, "< %s >", (i == F_S117 ? f->s117 : f->fnc) ? "yes" : "no");
			draw_text(y, 20, 20, line, a);
			draw_text(y, 42, width - 44, i == F_S117 ? "aftercare: free at the point of use"
								   : "assessed for funded nursing care", theme(COLOUR_muted));
			break;
		default:
			field_draw(&f->text[i], y, 20, 28, focused);
			if (hints[i][0])
				draw_text(y, 50, width - 52, hints[i], theme(COLOUR_muted));
		}
	}
	int y = top + height - 2;
	if (f->ask == ASK_SAVE)
		draw_text(y, 1, width - 2, f->review, theme(COLOUR_selection));
	else if (f->ask == ASK_LEAVE)
		draw_text(y, 1, width - 2, "Leave without saving? What you typed is lost. y/n",
			  theme(COLOUR_warning));
	else
		draw_text(y, 1, width - 2, "Enter on the last field reviews, then y saves.", theme(COLOUR_muted));
}

static void step_choice(struct ui *ui, struct person_form *f, int delta)
{
	int n = ui->s->cfg.n_localities;
	switch (f->focus) {
	case F_LOCALITY: f->locality = (f->locality + delta + n) % n; break;
	case F_NEED: f->need = (f->need + delta + NEED_COUNT) % NEED_COUNT; break;
	case F_FORENSIC: f->forensic = !f->forensic; break;
	case F_S117: f->s117 = !f->s117; break;
	case F_FNC: f->fnc = !f->fnc; break;
	case F_FUNDING: f->funding = (f->funding + delta + 3) % 3; break;
	default: return;
	}
	f->changed = true;
}

/* a letter jumps to the next choice whose code starts with it */
static void jump_choice(struct ui *ui, struct person_form *f, wint_t ch)
{
	wint_t up = towupper(ch);
	if (f->focus == F_FORENSIC || f->focus == F_S117 || f->focus == F_FNC) {
		int *flag = f->focus == F_FORENSIC ? &f->forensic : f->focus == F_S117 ? &f->s117 : &f->fnc;
		if (up == 'Y' || up == 'N') {
			*flag = up == 'Y';
			f->changed = true;
		}
		return;
	}
	int n = f->focus == F_LOCALITY ? ui->s->cfg.n_localities : f->focus == F_NEED ? NEED_COUNT : 3;
	int *cur = f->focus == F_LOCALITY ? &f->locality : f->focus == F_NEED ? &f->need : &f->funding;
	for (int k = 1; k <= n; k++) {
		int i = (*cur + k) % n;
		const char *code = f->focus == F_LOCALITY ? ui->s->cfg.localities[i].code
				 : f->focus == F_NEED ? need_code(i) : fundings[i];
		if ((wint_t)(unsigned char)code[0] == up) {
			*cur = i;
			f->changed = true;
			return;
		}
	}
}

/* A text field into a fixed buffer: false (and a message) when it is too long. */
static bool take(struct ui *ui, struct person_form *f, int id, const char *what, char *out, size_t n)
{
	char buf[256];
	field_get(&f->text[id], buf, sizeof buf);
	if (strlen(buf) >= n) {
		ui_error(ui, "%s: %zu characters is too long (%zu at most)", what, strlen(buf), n - 1);
		focus_to(f, id);
		return false;
	}
	text_copy(out, n, buf);
	return true;
}

static bool gather(struct ui *ui, struct person_form *f, struct person_input *in)
{
	memset(in, 0, sizeof *in);
	if (!take(ui, f, F_NHS, "NHS number", in->nhs, sizeof in->nhs) ||
	    !take(ui, f, F_FAMILY, "Family name", in->family, sizeof in->family) ||
	    !take(ui, f, F_GIVEN, "Given name", in->given, sizeof in->given) ||
	    !take(ui, f, F_DOB, "Date of birth", in->dob, sizeof in->dob) ||
	    !take(ui, f, F_POSTCODE, "Postcode", in->postcode, sizeof in->postcode) ||
	    !take(ui, f, F_OTHER, "Other needs", in->other_needs, sizeof in->other_needs))
		return false;
	text_copy(in->locality, sizeof in->locality, ui->s->cfg.localities[f->locality].code);
	text_copy(in->need, sizeof in->need, need_code(f->need));
	in->forensic = f->forensic != 0;
	in->s117 = f->s117 != 0;
	in->fnc = f->fnc != 0;
	text_copy(in->funding, sizeof in->funding, fundings[f->funding]);
	return true;
}

static void review(struct ui *ui, struct person_form *f)
{
	struct person_input in;
	if (!gather(ui, f, &in))
		return;
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char born[24];
	int64_t days;
	if (date_parse(in.dob, &days, NULL) == BR_OK) {
		int y, m, d;
		date_from_days(days, &y, &m, &d);
		snprintf(born, sizeof born, "%d %s %d", d, months[m - 1], y);
	} else {
		snprintf(born, sizeof born, "%s", in.dob[0] ? in.dob : "?");
	}
	snprintf(f->review, sizeof f->review, "%s: %.60s, %.60s, born %s, %s, %s%s%s%s%s%s? y/n",
		 f->edit_id ? "Save person" : "Add person", in.family, in.given, born, in.locality, in.need,
		 in.other_needs[0] ? "+" : "", in.other_needs, in.forensic ? " forensic" : "",
		 in.s117 ? " s117" : "", in.fnc ? " FNC" : "");
	f->ask = ASK_SAVE;
}

static void save(struct ui *ui, struct person_form *f)
{
	struct person_input in;
	f->ask = ASK_NONE;
	if (!gather(ui, f, &in))
		return;
	char *why = NULL, warning[160] = "", ref[17] = "";
	enum br_status st;
	if (f->edit_id) {
		st = person_edit(ui->s, f->edit_id, &in, warning, &why);
		text_copy(ref, sizeof ref, f->ref);
	} else {
		st = person_add(ui->s, &in, ref, warning, &why);
	}
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	int64_t edit_id = f->edit_id;
	ui_pop(ui);
	if (!edit_id) {
		/* open the new record, as an officer would next */
		struct su_row row;
		if (su_find_ref(ui->s->store, ref, &row, &why) == BR_OK)
			person_show(ui, row.id);
		br_free_str(&why);
	}
	if (warning[0])
		ui_error(ui, "%s %s. Warning: %s", ref, edit_id ? "saved" : "added", warning);
	else
		ui_say(ui, "%s %s: %s, %s.", ref, edit_id ? "saved" : "added", in.family, in.given);
}

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct person_form *f = v->state;
	/* F1, the F-keys and ! work everywhere, even here */
	if ((is_key && ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(12)) || (!is_key && ch == '!'))
		return R_UNHANDLED;
	if (f->ask != ASK_NONE) {
		if (!is_key && (ch == 'y' || ch == 'Y')) {
			if (f->ask == ASK_SAVE) {
				save(ui, f);
			} else {
				ui_pop(ui);
				ui_say(ui, "Nothing was saved.");
			}
		} else if (!is_key && (ch == 'n' || ch == 'N' || ch == 27)) {
			f->ask = ASK_NONE;
		}
		return R_REDRAW;
	}
	bool enter = (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);
	if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN) || (enter && f->focus + 1 < F_COUNT)) {
		focus_to(f, f->focus + 1);
		return R_REDRAW;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_BTAB)) {
		focus_to(f, f->focus - 1);
		return R_REDRAW;
	}
	if (enter) {
		review(ui, f);
		return R_REDRAW;
	}
	if (!is_key && ch == 27) {
		if (f->changed) {
			f->ask = ASK_LEAVE;
		} else {
			ui_pop(ui);
			ui_say(ui, "Nothing was saved.");
		}
		return R_REDRAW;
	}
	if (is_text(f->focus)) {
		struct field *tf = &f->text[f->focus];
		/* the first keystroke in a field replaces what was there */
		if (!f->typed && !is_key && iswprint(ch))
			field_set(tf, "");
		if (field_edit(tf, ch, is_key)) {
			f->changed = true;
			f->typed = true;
		}
		return R_REDRAW;
	}
	if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
		step_choice(ui, f, 1);
	else if (is_key && ch == KEY_LEFT)
		step_choice(ui, f, -1);
	else if (!is_key && ch < 128 && iswalpha(ch))
		jump_choice(ui, f, ch);
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
	return R_UNHANDLED;
}

static void close_view(struct view *v)
{
	free(v->state);
}

static const struct keybind keys[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{KEY_UP, ACT_NONE, "Up", false, "previous field"},
	{' ', ACT_NONE, "Left/Right", true, "change a choice"},
	{'\r', ACT_NONE, "Enter", false, "on the last field: review, then y saves"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{0, ACT_NONE, NULL, false, NULL},
};

/* the footer while typing: what fits in 80 columns */
static const struct keybind footer[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{' ', ACT_NONE, "Left/Right", true, "choose"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_person_form = {
	.title = "New person",
	.keys = keys,
	.edit_keys = footer,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};

const struct view_ops view_person_edit = {
	.title = "Edit person",
	.keys = keys,
	.edit_keys = footer,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};

static int index_of(const char *code, const char *const *codes, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return i;
	return 0;
}

void person_form_show(struct ui *ui, int64_t edit_id)
{
	if (!session_may(ui->s, CAP_REFER)) {
		ui_error(ui, "%s a person is not for role %s.", edit_id ? "Editing" : "Adding", ui->s->user.role);
		return;
	}
	if (ui->s->cfg.n_localities < 1) {
		ui_error(ui, "The config names no localities.");
		return;
	}
	struct person_form *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error(ui, "out of memory");
		return;
	}
	if (edit_id) {
		struct person_input in;
		char *why = NULL;
		enum br_status st = person_input_get(ui->s, edit_id, &in, f->ref, &why);
		if (st != BR_OK) {
			free(f);
			ui_status(ui, st, &why);
			return;
		}
		f->edit_id = edit_id;
		field_set(&f->text[F_NHS], in.nhs);
		field_set(&f->text[F_FAMILY], in.family);
		field_set(&f->text[F_GIVEN], in.given);
		field_set(&f->text[F_DOB], in.dob);
		field_set(&f->text[F_POSTCODE], in.postcode);
		field_set(&f->text[F_OTHER], in.other_needs);
		int li = config_locality(&ui->s->cfg, in.locality);
		f->locality = li > 0 ? li : 0;
		int ni = need_find(in.need);
		f->need = ni > 0 ? ni : 0;
		f->forensic = in.forensic;
		f->s117 = in.s117;
		f->fnc = in.fnc;
		f->funding = index_of(in.funding, fundings, 3);
	}
	ui_push(ui, edit_id ? &view_person_edit : &view_person_form, f);
}
