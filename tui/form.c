/* form.c — the form engine (form.h): the focus, the keys, the choices,
 * the question before saving or leaving, and the drawing, for every form. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#define VALUE_X 20

/* the funding streams a person or a request is paid from (core checks the code) */
static const char *const fundings[] = {"ASC", "CHC", "JOINT"};
static const char *const funding_words[] = {"council adult social care", "NHS continuing healthcare",
					    "joint (Section 75 pool)"};

static const struct form_field *field_of(const struct form *f, int id)
{
	return &f->spec->fields[id];
}

/* ---- the lists a choice runs over ------------------------------------------- */

static int list_count(const struct form *f, const struct form_field *fd)
{
	switch (fd->list) {
	case FORM_LOCALITIES: return f->cfg->n_localities;
	case FORM_NEEDS: return NEED_COUNT;
	case FORM_SERVICES: return SERVICE_COUNT;
	case FORM_RATINGS: return RATING_COUNT;
	case FORM_FUNDINGS: return 3;
	case FORM_OWN: break;
	}
	return fd->n;
}

static const char *list_code(const struct form *f, const struct form_field *fd, int i)
{
	switch (fd->list) {
	case FORM_LOCALITIES: return f->cfg->localities[i].code;
	case FORM_NEEDS: return need_code(i);
	case FORM_SERVICES: return service_code(i);
	case FORM_RATINGS: return rating_text(i);
	case FORM_FUNDINGS: return fundings[i];
	case FORM_OWN: break;
	}
	return fd->codes[i];
}

static const char *list_words(const struct form *f, const struct form_field *fd, int i)
{
	switch (fd->list) {
	case FORM_LOCALITIES: return f->cfg->localities[i].name;
	case FORM_NEEDS: return need_name(i);
	case FORM_SERVICES: return service_name(i);
	case FORM_RATINGS: return "";
	case FORM_FUNDINGS: return funding_words[i];
	case FORM_OWN: break;
	}
	return fd->words ? fd->words[i] : "";
}

/* ---- values in and out ------------------------------------------------------- */

void form_init(struct form *f, const struct form_spec *spec, void *ctx, const struct br_config *cfg)
{
	memset(f, 0, sizeof *f);
	f->spec = spec;
	f->ctx = ctx;
	f->cfg = cfg;
	f->n_lines = 1;
	for (int id = 0; id < spec->n_fields; id++)
		if (spec->fields[id].initial)
			form_choose(f, id, spec->fields[id].initial);
}

struct form *form_open(struct ui *ui, const struct form_spec *spec, int64_t edit_id)
{
	struct form *f = malloc(sizeof *f);
	void *in = calloc(1, spec->in_size ? spec->in_size : 1);
	if (!f || !in) {
		free(f);
		free(in);
		ui_error(ui, "out of memory");
		return NULL;
	}
	form_init(f, spec, f, &ui->s->cfg);
	if (edit_id) {
		char *why = NULL;
		enum br_status st = spec->load(ui, f, edit_id, in, &why);
		if (st != BR_OK) {
			free(f);
			f = NULL;
			ui_status(ui, st, &why);
		} else {
			f->edit_id = edit_id;
			form_fill(f, in);
		}
	}
	free(in);
	return f;
}

void form_set(struct form *f, int id, const char *utf8)
{
	field_set(&f->text[id], utf8);
}

void form_prefill(struct form *f, int id, const char *utf8)
{
	field_prefill(&f->text[id], utf8);
}

bool form_choose(struct form *f, int id, const char *code)
{
	const struct form_field *fd = field_of(f, id);
	int i = -1;
	switch (fd->list) {
	case FORM_LOCALITIES: i = config_locality(f->cfg, code); break;
	case FORM_NEEDS: i = need_find(code); break;
	case FORM_SERVICES: i = service_find(code); break;
	case FORM_RATINGS: i = rating_find(code); break;
	case FORM_FUNDINGS:
	case FORM_OWN:
		for (int k = list_count(f, fd) - 1; k >= 0; k--)
			if (strcmp(code, list_code(f, fd, k)) == 0)
				i = k;
		break;
	}
	if (i < 0)
		return false;
	f->choice[id] = i;
	return true;
}

void form_lines_set(struct form *f, const char *text)
{
	const char *p = text;
	f->n_lines = 0;
	do {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		char part[256];
		snprintf(part, sizeof part, "%.*s", len, p);
		field_prefill(&f->lines[f->n_lines++], part);
		p = nl ? nl + 1 : p + len;
	} while (*p && f->n_lines < FORM_MAX_LINES);
}

void form_get(const struct form *f, int id, char *out, size_t n)
{
	field_get(&f->text[id], out, n);
}

static void focus_on(struct form *f, int id, int line)
{
	f->focus = (id + f->spec->n_fields) % f->spec->n_fields;
	f->typed = false;
	if (field_of(f, f->focus)->kind == FORM_LINES && line >= 0)
		f->line = line < f->n_lines ? line : f->n_lines - 1;
}

void form_fault(struct form *f, int id)
{
	focus_on(f, id, -1);
	f->ask = FORM_ASK_NONE;
}

bool form_take(struct ui *ui, struct form *f, int id, char *out, size_t n)
{
	char buf[256];
	form_get(f, id, buf, sizeof buf);
	if (strlen(buf) >= n) {
		ui_error(ui, "%s: %zu characters is too long (%zu at most)", field_of(f, id)->label, strlen(buf),
			 n - 1);
		form_fault(f, id);
		return false;
	}
	text_copy(out, n, buf);
	return true;
}

const char *form_code(const struct form *f, int id)
{
	return list_code(f, field_of(f, id), f->choice[id]);
}

void form_lines_get(const struct form *f, char *out, size_t n)
{
	/* empty lines at the end dropped; the first is always there */
	int last = f->n_lines - 1;
	char part[256];
	while (last > 0) {
		field_get(&f->lines[last], part, sizeof part);
		if (text_present(part))
			break;
		last--;
	}
	out[0] = '\0';
	for (int k = 0; k <= last; k++) {
		field_get(&f->lines[k], part, sizeof part);
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", k ? "\n" : "", part);
	}
}

bool form_gather(struct ui *ui, struct form *f, void *in, size_t in_size)
{
	memset(in, 0, in_size);
	for (int id = 0; id < f->spec->n_fields; id++) {
		const struct form_field *fd = field_of(f, id);
		char *to = (char *)in + fd->at;
		if (!fd->size)
			continue;
		if (fd->kind == FORM_TEXT && !form_take(ui, f, id, to, fd->size))
			return false;
		if (fd->kind == FORM_CHOICE)
			text_copy(to, fd->size, form_code(f, id));
		if (fd->kind == FORM_FLAG)
			*(bool *)to = f->choice[id] != 0;
	}
	return true;
}

void form_fill(struct form *f, const void *in)
{
	for (int id = 0; id < f->spec->n_fields; id++) {
		const struct form_field *fd = field_of(f, id);
		const char *from = (const char *)in + fd->at;
		if (!fd->size)
			continue;
		if (fd->kind == FORM_TEXT)
			form_set(f, id, from);
		if (fd->kind == FORM_CHOICE)
			form_choose(f, id, from);
		if (fd->kind == FORM_FLAG)
			f->choice[id] = *(const bool *)from;
	}
}

/* ---- drawing ------------------------------------------------------------------ */

void form_lines_draw(const struct form *f, int y, int x, int width, bool focused)
{
	for (int k = 0; k < f->n_lines; k++)
		field_draw(&f->lines[k], y + k, x, width, focused && k == f->line);
}

static void draw_value(const struct form *f, int id, int y, int width, bool focused)
{
	const struct form_field *fd = field_of(f, id);
	int w = fd->width ? fd->width : width - VALUE_X - 2;
	attr_t a = focused ? theme(COLOUR_selection) : A_NORMAL;
	char line[240];
	switch (fd->kind) {
	case FORM_TEXT:
		field_draw(&f->text[id], y, VALUE_X, w, focused);
		break;
	case FORM_LINES:
		form_lines_draw(f, y, VALUE_X, w, focused);
		return;
	case FORM_FLAG:
		snprintf(line, sizeof line, "< %s >", f->choice[id] ? "yes" : "no");
		draw_text(y, VALUE_X, w, line, a);
		break;
	case FORM_CHOICE: {
		const char *code = form_code(f, id), *words = list_words(f, fd, f->choice[id]);
		if (f->fixed[id])
			snprintf(line, sizeof line, "%s%s%s %s", code, words[0] ? "  " : "", words,
				 fd->fixed_note ? fd->fixed_note : "");
		else if (words[0])
			snprintf(line, sizeof line, "< %s  %s >", code, words);
		else
			snprintf(line, sizeof line, "< %s >", code);
		draw_text(y, VALUE_X, w, line, a);
		break;
	}
	}
	char hint[160] = "";
	if (f->spec->hint)
		f->spec->hint(f, id, hint, sizeof hint);
	if (!hint[0] && fd->hint)
		text_copy(hint, sizeof hint, fd->hint);
	if (!hint[0])
		return;
	int x = VALUE_X + w + 2;
	draw_text(y, x, fd->hint_width ? fd->hint_width : width - x - 2, hint, theme(COLOUR_muted));
}

/* the review line, the question to leave, or a hint, two lines above the bottom */
static void draw_foot(const struct form *f, int after, int bottom, int width)
{
	(void)after;
	int y = bottom - 2;
	if (f->ask == FORM_ASK_SAVE)
		draw_text(y, 1, width - 2, f->review, theme(COLOUR_selection));
	else if (f->ask == FORM_ASK_LEAVE)
		draw_text(y, 1, width - 2, "Leave without saving? What you typed is lost. y/n", theme(COLOUR_warning));
	else
		draw_text(y, 1, width - 2, "Enter on the last field reviews, then y saves.", theme(COLOUR_muted));
}

void form_draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	(void)ui;
	const struct form *f = v->state;
	const struct form_spec *spec = f->spec;
	char line[200];
	if (spec->heading)
		spec->heading(f, line, sizeof line);
	else if (f->edit_id)
		snprintf(line, sizeof line, spec->heading_edit, f->record);
	else
		snprintf(line, sizeof line, "%s", spec->heading_new);
	draw_text(top, 0, width, line, A_BOLD);
	int after = top + 2;
	for (int i = 0; i < spec->n_fields; i++) {
		int y = top + 2 + i * (spec->row_step ? spec->row_step : 1);
		if (y >= top + height - 3)
			break;
		bool focused = f->focus == i && (f->ask == FORM_ASK_NONE || spec->focus_while_asking);
		draw_text(y, 2, spec->label_width, field_of(f, i)->label, focused ? A_BOLD : A_NORMAL);
		if (!spec->value || !spec->value(f, i, y, VALUE_X, width, focused))
			draw_value(f, i, y, width, focused);
		after = y + (field_of(f, i)->kind == FORM_LINES ? f->n_lines : 1) + 1;
	}
	(spec->foot ? spec->foot : draw_foot)(f, after, top + height, width);
}

/* ---- keys --------------------------------------------------------------------- */

static bool active(const struct form *f, int id)
{
	return !f->spec->active || f->spec->active(f, id);
}

static void leave(struct ui *ui, struct form *f, bool discarded)
{
	const char *said = f->spec->left ? f->spec->left(f, discarded) : "Nothing was saved.";
	ui_pop(ui); /* frees f */
	ui_say(ui, "%s", said);
}

/* the values gathered into core's input struct, then the review line
 * (save false) or the save */
static void gathered(struct ui *ui, struct form *f, bool save)
{
	const struct form_spec *spec = f->spec;
	void *in = calloc(1, spec->in_size ? spec->in_size : 1);
	if (!in) {
		ui_error(ui, "out of memory");
		return;
	}
	if (spec->gather ? spec->gather(ui, f, in) : form_gather(ui, f, in, spec->in_size)) {
		if (save) {
			spec->save(ui, f, in); /* may pop: f is gone */
		} else {
			spec->review(ui, f, in);
			f->ask = FORM_ASK_SAVE;
		}
	}
	free(in);
}

static void review(struct ui *ui, struct form *f)
{
	gathered(ui, f, false);
}

/* Left/Right or Space on a field that takes no text: a change of choice
 * (a fixed choice, or a field that asks nothing now, stays as it is) */
static void step(struct form *f, int delta)
{
	const struct form_field *fd = field_of(f, f->focus);
	int *c = &f->choice[f->focus];
	f->changed = true;
	if (fd->kind == FORM_FLAG) {
		*c = !*c;
	} else if (fd->kind == FORM_CHOICE && !f->fixed[f->focus]) {
		int n = list_count(f, fd);
		*c = (*c + delta + n) % n;
	}
}

static void jump(struct form *f, wint_t ch)
{
	const struct form_field *fd = field_of(f, f->focus);
	int *c = &f->choice[f->focus];
	wint_t up = towupper(ch);
	if (fd->kind == FORM_FLAG) {
		if (up == 'Y' || up == 'N') {
			*c = up == 'Y';
			f->changed = true;
		}
		return;
	}
	if (fd->kind != FORM_CHOICE || fd->jump == FORM_JUMP_NONE || f->fixed[f->focus])
		return;
	int n = list_count(f, fd);
	for (int k = 1; k <= n; k++) {
		int i = fd->jump == FORM_JUMP_NEXT ? (*c + k) % n : k - 1;
		if ((wint_t)(unsigned char)list_code(f, fd, i)[0] == up) {
			*c = i;
			f->changed = true;
			return;
		}
	}
}

/* the question: y saves or leaves; n or Esc goes back (lenient: Enter saves
 * too, anything else goes back) */
static void answer(struct ui *ui, struct form *f, wint_t ch, bool is_key, bool enter)
{
	bool yes = !is_key && (ch == 'y' || ch == 'Y');
	if (yes || (f->spec->lenient && enter && f->ask == FORM_ASK_SAVE)) {
		if (f->ask == FORM_ASK_SAVE) {
			f->ask = FORM_ASK_NONE;
			gathered(ui, f, true);
		} else {
			leave(ui, f, true);
		}
		return;
	}
	if (f->spec->lenient || (!is_key && (ch == 'n' || ch == 'N' || ch == 27)))
		f->ask = FORM_ASK_NONE;
}

/* Keys on a FORM_LINES field; false: not the lines' own */
static bool lines_key(struct ui *ui, struct form *f, wint_t ch, bool is_key, bool enter)
{
	char here[256];
	field_get(&f->lines[f->line], here, sizeof here);
	if (enter && text_present(here)) {
		if (f->line + 1 < f->n_lines) {
			f->line++;
		} else if (f->n_lines < FORM_MAX_LINES) {
			field_set(&f->lines[f->n_lines], "");
			f->line = f->n_lines++;
		} else {
			ui_error(ui, "%s hold %d lines: Tab to review and save.", field_of(f, f->focus)->label,
				 FORM_MAX_LINES);
		}
		return true;
	}
	if (enter || (!is_key && ch == '\t') || (is_key && ch == KEY_DOWN && f->line + 1 >= f->n_lines)) {
		review(ui, f);
		return true;
	}
	if (is_key && ch == KEY_DOWN) {
		f->line++;
		return true;
	}
	if (is_key && ch == KEY_UP && f->line > 0) {
		f->line--;
		return true;
	}
	return false;
}

enum reaction form_text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct form *f = v->state;
	const struct form_spec *spec = f->spec;
	bool enter = (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);
	if (f->ask != FORM_ASK_NONE) {
		answer(ui, f, ch, is_key, enter);
		return R_REDRAW;
	}
	const struct form_field *fd = field_of(f, f->focus);
	if (fd->kind == FORM_LINES && lines_key(ui, f, ch, is_key, enter))
		return R_REDRAW;
	if (enter) {
		int next = f->focus + 1;
		while (next < spec->n_fields && !active(f, next))
			next++;
		if (next < spec->n_fields)
			focus_on(f, next, -1);
		else
			review(ui, f);
		return R_REDRAW;
	}
	if ((!is_key && ch == '\t') || (is_key && ch == KEY_DOWN)) {
		focus_on(f, f->focus + 1, 0);
		return R_REDRAW;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_BTAB)) {
		focus_on(f, f->focus - 1, FORM_MAX_LINES);
		return R_REDRAW;
	}
	if (!is_key && ch == 27) {
		if (f->changed)
			f->ask = FORM_ASK_LEAVE;
		else
			leave(ui, f, false);
		return R_REDRAW;
	}
	if ((fd->kind == FORM_TEXT || fd->kind == FORM_LINES) && active(f, f->focus)) {
		struct field *tf = fd->kind == FORM_LINES ? &f->lines[f->line] : &f->text[f->focus];
		if (!spec->prefill_only && !f->typed && !is_key && iswprint(ch))
			field_set(tf, "");
		if (field_edit(tf, ch, is_key)) {
			f->changed = true;
			f->typed = true;
		}
		return R_REDRAW;
	}
	if ((is_key && ch == KEY_RIGHT) || (!is_key && ch == ' '))
		step(f, 1);
	else if (is_key && ch == KEY_LEFT)
		step(f, -1);
	else if (!is_key && ch < 128 && iswalpha(ch))
		jump(f, ch);
	return R_REDRAW;
}

const struct keybind form_keys[] = {
	{'\t', ACT_NONE, "Tab/Enter", true, "next field"},
	{' ', ACT_NONE, "Left/Right", true, "choose"},
	{27, ACT_NONE, "Esc", true, "cancel"},
	{KEY_F(1), ACT_NONE, "F1", true, "help"},
	{0, ACT_NONE, NULL, false, NULL},
};

void form_close(struct view *v)
{
	struct form *f = v->state;
	free(f->ctx);
	v->state = NULL;
}
