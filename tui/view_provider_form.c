/* view_provider_form.c — New provider (from Providers) and edit provider
 * (from its detail), admins. The same habits as the person form: Tab, Down
 * or Enter to the next field, a field's first keystroke replaces it, Left/
 * Right change the rating, Enter on the last field reviews and y saves, Esc
 * on a changed form asks. Core checks every value (provider_add/_edit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui.h"

enum field_id { F_NAME, F_CQC, F_RATING, F_PHONE, F_EMAIL, F_CONTACT, F_POSTCODE, F_LOCALITIES, F_COUNT };
enum ask { ASK_NONE, ASK_SAVE, ASK_LEAVE };

struct provider_form {
	int64_t edit_id;
	struct field text[F_COUNT];
	int rating;
	int focus;
	bool typed, changed;
	enum ask ask;
	char review[300];
};

static void focus_to(struct provider_form *f, int id)
{
	f->focus = (id + F_COUNT) % F_COUNT;
	f->typed = false;
}

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	struct provider_form *f = v->state;
	char line[200];
	if (f->edit_id)
		snprintf(line, sizeof line, " Edit provider %lld (status, awards, capacity and rates: on its detail)",
			 (long long)f->edit_id);
	else
		snprintf(line, sizeof line, " New provider (then awards, registrations, capacity and rates on its detail)");
	draw_text(top, 0, width, line, A_BOLD);
	static const char *const labels[F_COUNT] = {"Name", "CQC location id", "CQC rating", "Phone", "Email",
						     "Contact", "Postcode", "Covers"};
	static const char *const hints[F_COUNT] = {"", "1- and digits", "", "", "", "", "",
						    "locality codes, comma-separated: WAL,BIR"};
	for (int i = 0; i < F_COUNT; i++) {
		int y = top + 2 + i;
		bool focused = f->focus == i && f->ask == ASK_NONE;
		draw_text(y, 2, 17, labels[i], focused ? A_BOLD : A_NORMAL);
		if (i == F_RATING) {
			snprintf(line, sizeof line, "< %s >", rating_text(f->rating));
			draw_text(y, 20, width - 22, line, focused ? theme(COLOUR_selection) : A_NORMAL);
			continue;
		}
		field_draw(&f->text[i], y, 20, i == F_NAME ? 40 : 28, focused);
		if (hints[i][0])
			draw_text(y, 50, width - 52, hints[i], theme(COLOUR_muted));
	}
	int y = top + height - 2;
	if (f->ask == ASK_SAVE)
		draw_text(y, 1, width - 2, f->review, theme(COLOUR_selection));
	else if (f->ask == ASK_LEAVE)
		draw_text(y, 1, width - 2, "Leave without saving? What you typed is lost. y/n", theme(COLOUR_warning));
	else
		draw_text(y, 1, width - 2, "Enter on the last field reviews, then y saves.", theme(COLOUR_muted));
}

static bool take(struct ui *ui, struct provider_form *f, int id, const char *what, char *out, size_t n)
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

static bool gather(struct ui *ui, struct provider_form *f, struct provider_input *in)
{
	memset(in, 0, sizeof *in);
	if (!take(ui, f, F_NAME, "Name", in->name, sizeof in->name) ||
	    !take(ui, f, F_CQC, "CQC location id", in->cqc, sizeof in->cqc) ||
	    !take(ui, f, F_PHONE, "Phone", in->phone, sizeof in->phone) ||
	    !take(ui, f, F_EMAIL, "Email", in->email, sizeof in->email) ||
	    !take(ui, f, F_CONTACT, "Contact", in->contact, sizeof in->contact) ||
	    !take(ui, f, F_POSTCODE, "Postcode", in->postcode, sizeof in->postcode) ||
	    !take(ui, f, F_LOCALITIES, "Covers", in->localities, sizeof in->localities))
		return false;
	text_copy(in->rating, sizeof in->rating, rating_text(f->rating));
	return true;
}

static void save(struct ui *ui, struct provider_form *f)
{
	struct provider_input in;
	f->ask = ASK_NONE;
	if (!gather(ui, f, &in))
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

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct provider_form *f = v->state;
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
		struct provider_input in;
		if (gather(ui, f, &in)) {
			snprintf(f->review, sizeof f->review, "%s: %.80s, %s, covers %s? y/n",
				 f->edit_id ? "Save provider" : "Add provider", in.name, in.rating,
				 in.localities[0] ? in.localities : "no locality");
			f->ask = ASK_SAVE;
		}
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
	if (f->focus == F_RATING) {
		int d = (is_key && ch == KEY_LEFT) ? -1 : ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' ')) ? 1 : 0;
		if (d) {
			f->rating = (f->rating + d + RATING_COUNT) % RATING_COUNT;
			f->changed = true;
		}
		return R_REDRAW;
	}
	struct field *tf = &f->text[f->focus];
	if (!f->typed && !is_key && iswprint(ch))
		field_set(tf, "");
	if (field_edit(tf, ch, is_key)) {
		f->changed = true;
		f->typed = true;
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
	return R_UNHANDLED;
}

static void close_view(struct view *v)
{
	free(v->state);
}

static const struct keybind keys[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{' ', ACT_NONE, "Left/Right", true, "choose"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_provider_form = {
	.title = "Provider form",
	.keys = keys,
	.edit_keys = keys,
	.draw = draw,
	.act = act,
	.text = text,
	.editing = editing,
	.close = close_view,
};

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
	f->rating = rating_find("Not yet rated");
	if (f->rating < 0)
		f->rating = 0;
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
		field_set(&f->text[F_NAME], in.name);
		field_set(&f->text[F_CQC], in.cqc);
		field_set(&f->text[F_PHONE], in.phone);
		field_set(&f->text[F_EMAIL], in.email);
		field_set(&f->text[F_CONTACT], in.contact);
		field_set(&f->text[F_POSTCODE], in.postcode);
		field_set(&f->text[F_LOCALITIES], in.localities);
		int k = rating_find(in.rating);
		f->rating = k >= 0 ? k : f->rating;
	}
	ui_push(ui, &view_provider_form, f);
}
