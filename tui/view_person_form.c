/* view_person_form.c — New person (from Service users) and edit person
 * (from the Person screen), on the form engine (form.h): a field's first
 * keystroke replaces what was there; a letter picks a locality, need or
 * funding by its code. Enter on the last field shows a review line that
 * saves on y. Core checks every value (person_add, person_edit); its
 * message says what is wrong, and the form stays as typed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

enum field_id {
	F_NHS, F_FAMILY, F_GIVEN, F_DOB, F_POSTCODE, F_LOCALITY, F_NEED, F_OTHER, F_FORENSIC, F_FUNDING,
	F_S117, F_FNC, F_COUNT
};

struct person_form {
	struct form form;
	int64_t edit_id;   /* 0: a new person */
	char ref[17];      /* the person edited */
};

static const struct form_field fields[F_COUNT] = {
	[F_NHS] = {.kind = FORM_TEXT, .label = "NHS number", .width = 28, .hint = "10 digits, spaces allowed"},
	[F_FAMILY] = {.kind = FORM_TEXT, .label = "Family name", .width = 28},
	[F_GIVEN] = {.kind = FORM_TEXT, .label = "Given name", .width = 28},
	[F_DOB] = {.kind = FORM_TEXT, .label = "Date of birth", .width = 28, .hint = "YYYY-MM-DD"},
	[F_POSTCODE] = {.kind = FORM_TEXT, .label = "Postcode", .width = 28},
	[F_LOCALITY] = {.kind = FORM_CHOICE, .label = "Locality", .list = FORM_LOCALITIES, .jump = FORM_JUMP_NEXT},
	[F_NEED] = {.kind = FORM_CHOICE, .label = "Primary need", .list = FORM_NEEDS, .jump = FORM_JUMP_NEXT},
	[F_OTHER] = {.kind = FORM_TEXT, .label = "Other needs", .width = 28, .hint = "codes, comma-separated: AUT,PD"},
	[F_FORENSIC] = {.kind = FORM_FLAG, .label = "Forensic", .width = 20, .hint = "with a primary need of MH or DD"},
	[F_FUNDING] = {.kind = FORM_CHOICE, .label = "Funding", .list = FORM_FUNDINGS, .jump = FORM_JUMP_NEXT},
	[F_S117] = {.kind = FORM_FLAG, .label = "Section 117", .width = 20, .hint = "aftercare: free at the point of use"},
	[F_FNC] = {.kind = FORM_FLAG, .label = "Nursing (FNC)", .width = 20, .hint = "assessed for funded nursing care"},
};

static void heading(const struct form *form, char *buf, size_t n)
{
	const struct person_form *f = form->ctx;
	if (f->edit_id)
		snprintf(buf, n, " Edit person %s", f->ref);
	else
		snprintf(buf, n, " New person: referred to the team (the reference comes when it is saved)");
}

static bool gather(struct ui *ui, struct form *f, struct person_input *in)
{
	memset(in, 0, sizeof *in);
	if (!form_take(ui, f, F_NHS, in->nhs, sizeof in->nhs) ||
	    !form_take(ui, f, F_FAMILY, in->family, sizeof in->family) ||
	    !form_take(ui, f, F_GIVEN, in->given, sizeof in->given) ||
	    !form_take(ui, f, F_DOB, in->dob, sizeof in->dob) ||
	    !form_take(ui, f, F_POSTCODE, in->postcode, sizeof in->postcode) ||
	    !form_take(ui, f, F_OTHER, in->other_needs, sizeof in->other_needs))
		return false;
	text_copy(in->locality, sizeof in->locality, form_code(f, F_LOCALITY));
	text_copy(in->need, sizeof in->need, form_code(f, F_NEED));
	in->forensic = f->choice[F_FORENSIC] != 0;
	in->s117 = f->choice[F_S117] != 0;
	in->fnc = f->choice[F_FNC] != 0;
	text_copy(in->funding, sizeof in->funding, form_code(f, F_FUNDING));
	return true;
}

static bool review(struct ui *ui, struct form *form)
{
	const struct person_form *f = form->ctx;
	struct person_input in;
	if (!gather(ui, form, &in))
		return false;
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
	snprintf(form->review, sizeof form->review, "%s: %.60s, %.60s, born %s, %s, %s%s%s%s%s%s? y/n",
		 f->edit_id ? "Save person" : "Add person", in.family, in.given, born, in.locality, in.need,
		 in.other_needs[0] ? "+" : "", in.other_needs, in.forensic ? " forensic" : "",
		 in.s117 ? " s117" : "", in.fnc ? " FNC" : "");
	return true;
}

static void save(struct ui *ui, struct form *form)
{
	struct person_form *f = form->ctx;
	struct person_input in;
	if (!gather(ui, form, &in))
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

static const struct form_spec spec = {
	.fields = fields,
	.n_fields = F_COUNT,
	.label_width = 16,
	.row_step = 1,
	.retype = true,
	.heading = heading,
	.review = review,
	.save = save,
};

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

const struct view_ops view_person_form = FORM_VIEW("New person", keys, footer);
const struct view_ops view_person_edit = FORM_VIEW("Edit person", keys, footer);

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
	struct form *form = &f->form;
	form_init(form, &spec, f, &ui->s->cfg);
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
		form_set(form, F_NHS, in.nhs);
		form_set(form, F_FAMILY, in.family);
		form_set(form, F_GIVEN, in.given);
		form_set(form, F_DOB, in.dob);
		form_set(form, F_POSTCODE, in.postcode);
		form_set(form, F_OTHER, in.other_needs);
		form_choose(form, F_LOCALITY, in.locality);
		form_choose(form, F_NEED, in.need);
		form->choice[F_FORENSIC] = in.forensic;
		form->choice[F_S117] = in.s117;
		form->choice[F_FNC] = in.fnc;
		form_choose(form, F_FUNDING, in.funding);
	}
	ui_push(ui, edit_id ? &view_person_edit : &view_person_form, form);
}
