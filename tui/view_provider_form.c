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

struct provider_form {
	struct form form;
	int64_t edit_id;
};

static const struct form_field fields[F_COUNT] = {
	[F_NAME] = {.kind = FORM_TEXT, .label = "Name", .width = 40},
	[F_CQC] = {.kind = FORM_TEXT, .label = "CQC location id", .width = 28, .hint = "1- and digits"},
	[F_RATING] = {.kind = FORM_CHOICE, .label = "CQC rating", .list = FORM_RATINGS},
	[F_PHONE] = {.kind = FORM_TEXT, .label = "Phone", .width = 28},
	[F_EMAIL] = {.kind = FORM_TEXT, .label = "Email", .width = 28},
	[F_CONTACT] = {.kind = FORM_TEXT, .label = "Contact", .width = 28},
	[F_POSTCODE] = {.kind = FORM_TEXT, .label = "Postcode", .width = 28},
	[F_LOCALITIES] = {.kind = FORM_TEXT, .label = "Covers", .width = 28,
			  .hint = "locality codes, comma-separated: WAL,BIR"},
};

static void heading(const struct form *form, char *buf, size_t n)
{
	const struct provider_form *f = form->ctx;
	if (f->edit_id)
		snprintf(buf, n, " Edit provider %lld (status, awards, capacity and rates: on its detail)",
			 (long long)f->edit_id);
	else
		snprintf(buf, n, " New provider (then awards, registrations, capacity and rates on its detail)");
}

static bool gather(struct ui *ui, struct form *f, struct provider_input *in)
{
	memset(in, 0, sizeof *in);
	if (!form_take(ui, f, F_NAME, in->name, sizeof in->name) ||
	    !form_take(ui, f, F_CQC, in->cqc, sizeof in->cqc) ||
	    !form_take(ui, f, F_PHONE, in->phone, sizeof in->phone) ||
	    !form_take(ui, f, F_EMAIL, in->email, sizeof in->email) ||
	    !form_take(ui, f, F_CONTACT, in->contact, sizeof in->contact) ||
	    !form_take(ui, f, F_POSTCODE, in->postcode, sizeof in->postcode) ||
	    !form_take(ui, f, F_LOCALITIES, in->localities, sizeof in->localities))
		return false;
	text_copy(in->rating, sizeof in->rating, form_code(f, F_RATING));
	return true;
}

static bool review(struct ui *ui, struct form *form)
{
	const struct provider_form *f = form->ctx;
	struct provider_input in;
	if (!gather(ui, form, &in))
		return false;
	snprintf(form->review, sizeof form->review, "%s: %.80s, %s, covers %s? y/n",
		 f->edit_id ? "Save provider" : "Add provider", in.name, in.rating,
		 in.localities[0] ? in.localities : "no locality");
	return true;
}

static void save(struct ui *ui, struct form *form)
{
	const struct provider_form *f = form->ctx;
	struct provider_input in;
	if (!gather(ui, form, &in))
		return;
	char *why = NULL;
	int64_t id = f->edit_id;
	enum br_status st = id ? provider_edit(ui->s, id, &in, &why) : provider_add(ui->s, &in, &id, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	bool added = !f->edit_id;
	ui_pop(ui);
	if (added)
		provider_show(ui, id);
	ui_say(ui, "Provider %lld %s: %s.", (long long)id, added ? "added" : "saved", in.name);
}

static const struct form_spec spec = {
	.fields = fields,
	.n_fields = F_COUNT,
	.label_width = 17,
	.row_step = 1,
	.retype = true,
	.heading = heading,
	.review = review,
	.save = save,
};

static const struct keybind keys[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{' ', ACT_NONE, "Left/Right", true, "choose"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_provider_form = FORM_VIEW("Provider form", keys, keys);

void provider_form_show(struct ui *ui, int64_t edit_id)
{
	if (!session_may(ui->s, CAP_ADMIN)) {
		ui_error(ui, "%s a provider is not for role %s.", edit_id ? "Editing" : "Adding", ui->s->user.role);
		return;
	}
	struct provider_form *f = calloc(1, sizeof *f);
	if (!f) {
		ui_error(ui, "out of memory");
		return;
	}
	struct form *form = &f->form;
	form_init(form, &spec, f, &ui->s->cfg);
	form_choose(form, F_RATING, "Not yet rated");
	if (edit_id) {
		struct provider_input in;
		char *why = NULL;
		enum br_status st = provider_input_get(ui->s, edit_id, &in, &why);
		if (st != BR_OK) {
			free(f);
			ui_status(ui, st, &why);
			return;
		}
		f->edit_id = edit_id;
		form_set(form, F_NAME, in.name);
		form_set(form, F_CQC, in.cqc);
		form_set(form, F_PHONE, in.phone);
		form_set(form, F_EMAIL, in.email);
		form_set(form, F_CONTACT, in.contact);
		form_set(form, F_POSTCODE, in.postcode);
		form_set(form, F_LOCALITIES, in.localities);
		form_choose(form, F_RATING, in.rating);
	}
	ui_push(ui, &view_provider_form, form);
}
