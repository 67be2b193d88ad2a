/* view_provider_form.c — New provider (from Providers) and edit provider
 * (from its detail), admins, on the form engine (form.h) with the person
 * form's habits: a field's first keystroke replaces it, Left/Right change
 * the rating, Enter on the last field reviews and y saves, Esc on a changed
 * form asks. Core checks every value (provider_add/_edit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

enum field_id { F_NAME, F_CQC, F_RATING, F_PHONE, F_EMAIL, F_CONTACT, F_POSTCODE, F_LOCALITIES, F_COUNT };

#define IN(member) FORM_AT(struct provider_input, member)
static const struct form_field fields[F_COUNT] = {
	[F_NAME] = {FORM_TEXT, "Name", 40, IN(name)},
	[F_CQC] = {FORM_TEXT, "CQC location id", 28, "1- and digits", IN(cqc)},
	[F_RATING] = {FORM_CHOICE, "CQC rating", .list = FORM_RATINGS, .initial = "Not yet rated", IN(rating)},
	[F_PHONE] = {FORM_TEXT, "Phone", 28, IN(phone)},
	[F_EMAIL] = {FORM_TEXT, "Email", 28, IN(email)},
	[F_CONTACT] = {FORM_TEXT, "Contact", 28, IN(contact)},
	[F_POSTCODE] = {FORM_TEXT, "Postcode", 28, IN(postcode)},
	[F_LOCALITIES] = {FORM_TEXT, "Covers", 28, "locality codes, comma-separated: WAL,BIR", IN(localities)},
};

static void review(struct ui *ui, struct form *f, const void *in_)
{
	(void)ui;
	const struct provider_input *in = in_;
	snprintf(f->review, sizeof f->review, "%s: %.80s, %s, covers %s? y/n",
		 f->edit_id ? "Save provider" : "Add provider", in->name, in->rating,
		 in->localities[0] ? in->localities : "no locality");
}

static void save(struct ui *ui, struct form *f, const void *in_)
{
	const struct provider_input *in = in_;
	char *why = NULL;
	int64_t id = f->edit_id;
	enum br_status st = id ? provider_edit(ui->s, id, in, &why) : provider_add(ui->s, in, &id, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	bool added = !f->edit_id;
	ui_pop(ui);
	if (added)
		provider_show(ui, id);
	ui_say(ui, "Provider %lld %s: %s.", (long long)id, added ? "added" : "saved", in->name);
}

static enum br_status load(struct ui *ui, struct form *f, int64_t id, void *in, char **why)
{
	snprintf(f->record, sizeof f->record, "%lld", (long long)id);
	return provider_input_get(ui->s, id, in, why);
}

static const struct form_spec spec = {FORM_FIELDS(fields), .label_width = 17, .in_size = sizeof(struct provider_input),
	.heading_new = " New provider (then awards, registrations, capacity and rates on its detail)",
	.heading_edit = " Edit provider %s (status, awards, capacity and rates: on its detail)",
	.review = review, .save = save, .load = load};

const struct view_ops view_provider_form = FORM_VIEW("Provider form", form_keys, form_keys);

void provider_form_show(struct ui *ui, int64_t edit_id)
{
	if (!session_may(ui->s, CAP_ADMIN)) {
		ui_error(ui, "%s a provider is not for role %s.", edit_id ? "Editing" : "Adding", ui->s->user.role);
		return;
	}
	struct form *f = form_open(ui, &spec, edit_id);
	if (f)
		ui_push(ui, &view_provider_form, f);
}
