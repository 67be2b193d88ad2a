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

#define IN(member) FORM_AT(struct person_input, member)
static const struct form_field fields[F_COUNT] = {
	[F_NHS] = {FORM_TEXT, "NHS number", 28, "10 digits, spaces allowed", IN(nhs)},
	[F_FAMILY] = {FORM_TEXT, "Family name", 28, IN(family)},
	[F_GIVEN] = {FORM_TEXT, "Given name", 28, IN(given)},
	[F_DOB] = {FORM_TEXT, "Date of birth", 28, "YYYY-MM-DD", IN(dob)},
	[F_POSTCODE] = {FORM_TEXT, "Postcode", 28, IN(postcode)},
	[F_LOCALITY] = {FORM_CHOICE, "Locality", .list = FORM_LOCALITIES, .jump = FORM_JUMP_NEXT, IN(locality)},
	[F_NEED] = {FORM_CHOICE, "Primary need", .list = FORM_NEEDS, .jump = FORM_JUMP_NEXT, IN(need)},
	[F_OTHER] = {FORM_TEXT, "Other needs", 28, "codes, comma-separated: AUT,PD", IN(other_needs)},
	[F_FORENSIC] = {FORM_FLAG, "Forensic", 20, "with a primary need of MH or DD", IN(forensic)},
	[F_FUNDING] = {FORM_CHOICE, "Funding", .list = FORM_FUNDINGS, .jump = FORM_JUMP_NEXT, IN(funding)},
	[F_S117] = {FORM_FLAG, "Section 117", 20, "aftercare: free at the point of use", IN(s117)},
	[F_FNC] = {FORM_FLAG, "Nursing (FNC)", 20, "assessed for funded nursing care", IN(fnc)},
};

static void review(struct ui *ui, struct form *f, const void *in_)
{
	(void)ui;
	const struct person_input *in = in_;
	char born[24];
	if (!date_words_text(in->dob, DATE_WITH_YEAR, born, sizeof born) && !in->dob[0])
		text_copy(born, sizeof born, "?");
	snprintf(f->review, sizeof f->review, "%s: %.60s, %.60s, born %s, %s, %s%s%s%s%s%s? y/n",
		 f->edit_id ? "Save person" : "Add person", in->family, in->given, born, in->locality, in->need,
		 in->other_needs[0] ? "+" : "", in->other_needs, in->forensic ? " forensic" : "",
		 in->s117 ? " s117" : "", in->fnc ? " FNC" : "");
}

static void save(struct ui *ui, struct form *f, const void *in_)
{
	const struct person_input *in = in_;
	char *why = NULL, warning[160] = "", ref[17] = "";
	enum br_status st;
	if (f->edit_id) {
		st = person_edit(ui->s, f->edit_id, in, warning, &why);
		text_copy(ref, sizeof ref, f->record);
	} else {
		st = person_add(ui->s, in, ref, warning, &why);
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
		ui_say(ui, "%s %s: %s, %s.", ref, edit_id ? "saved" : "added", in->family, in->given);
}

static enum br_status load(struct ui *ui, struct form *f, int64_t id, void *in, char **why)
{
	return person_input_get(ui->s, id, in, f->record, why);
}

static const struct form_spec spec = {FORM_FIELDS(fields), .label_width = 16, .in_size = sizeof(struct person_input),
	.heading_new = " New person: referred to the team (the reference comes when it is saved)",
	.heading_edit = " Edit person %s", .review = review, .save = save, .load = load};

/* for help; the footer while typing is the engine's (what fits in 80 columns) */
static const struct keybind keys[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{KEY_UP, ACT_NONE, "Up", false, "previous field"},
	{' ', ACT_NONE, "Left/Right", true, "change a choice"},
	{'\r', ACT_NONE, "Enter", false, "on the last field: review, then y saves"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_person_form = FORM_VIEW("New person", keys, form_keys);
const struct view_ops view_person_edit = FORM_VIEW("Edit person", keys, form_keys);

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
	struct form *f = form_open(ui, &spec, edit_id);
	if (f)
		ui_push(ui, edit_id ? &view_person_edit : &view_person_form, f);
}
