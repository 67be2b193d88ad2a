/* view_respite.c — Emergency respite, from anywhere with !: type a name,
 * reference or NHS number; Enter takes the person when exactly one matches,
 * else moves into the matches (date of birth, postcode and locality shown,
 * restricted records flagged) where Up/Down and Enter choose; the beds free tonight
 * for the person's need appear nearest first; Enter books the selected one
 * for a night (a digit first sets 1-9 nights). Then the phone number and a
 * line to read out. Every key is handled here so digits set nights. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchlist.h"

enum stage { FIND, BEDS, BOOKED };

struct respite_view {
	enum stage stage;
	struct searchlist find; /* a finder: its rows marked (find.rows) when several matched */
	struct su_filter filter;
	struct su_row person;
	struct respite_row beds[64];
	int n_beds, sel;
	int nights;
	struct respite_booking booking;
};

/* active people by the text typed; nobody until something is */
static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows, int limit,
			    int *n, char **why)
{
	struct respite_view *r = ctx;
	*n = 0;
	if (!text_present(r->filter.text))
		return BR_OK;
	return su_list(r->find.ui->s->store, &r->filter, at, dir, rows, limit, n, why);
}

static const struct searchlist_spec finder = {
	SEARCHLIST_STATE(struct respite_view, find, filter),
	.row_size = sizeof(struct su_row),
	.key_offset = offsetof(struct su_row, key),
	.fetch = fetch,
	.page = 6,
	.finder = true,
	.take_one = true,
};

static void take_person(struct ui *ui, struct respite_view *r);

/* A restricted record: break-glass (audited by core) before anything more
 * is shown, as on the Person screen. */
static void breakglass_given(struct ui *ui, void *ctx, const char *reason)
{
	struct respite_view *r = ctx;
	struct person_detail *d = NULL;
	char *why = NULL;
	enum br_status st = person_open(ui->s, r->person.id, reason, &d, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	r->person = d->su;
	person_detail_free(&d);
	take_person(ui, r);
}

static void choose(struct ui *ui, struct respite_view *r)
{
	r->person = *(const struct su_row *)list_selected(&r->find.list);
	if (r->person.restricted) {
		prompt_open(ui, "Restricted record", "This record is restricted. Why do you need it? (audited)",
			    breakglass_given, r);
		return;
	}
	take_person(ui, r);
}

static void take_person(struct ui *ui, struct respite_view *r)
{
	char *why = NULL;
	enum br_status st = respite_list(ui->s, r->person.id, r->beds, 64, &r->n_beds, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		return;
	}
	r->stage = BEDS;
	r->sel = 0;
	r->nights = 1;
	if (r->n_beds == 0)
		ui_error(ui, "No respite bed is free tonight for %s's need (%s) in any locality.", r->person.ref,
			 r->person.primary_need);
}

static void book(struct ui *ui, struct respite_view *r)
{
	if (r->sel >= r->n_beds)
		return;
	const struct respite_row *b = &r->beds[r->sel];
	char *why = NULL;
	enum br_status st = respite_book(ui->s, r->person.id, b->provider_id, b->locality, r->nights, &r->booking, &why);
	if (st != BR_OK) {
		ui_status(ui, st, &why);
		/* someone may have taken it: show what is free now */
		respite_list(ui->s, r->person.id, r->beds, 64, &r->n_beds, NULL);
		if (r->sel >= r->n_beds)
			r->sel = r->n_beds ? r->n_beds - 1 : 0;
		return;
	}
	r->stage = BOOKED;
	ui_say(ui, "Booked. Call %s on %s.", r->booking.provider, r->booking.phone);
}

/* The beds, in the list widget's columns: a wider terminal widens the
 * provider's name, its CQC rating and the needs it takes. */
static void c_name(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct respite_row *)r)->name); }
static void c_loc(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct respite_row *)r)->locality); }
static void c_free(const void *r, char *b, size_t n) { snprintf(b, n, "%4d", ((const struct respite_row *)r)->free_tonight); }
static void c_night(const void *r, char *b, size_t n)
{
	char money[32];
	money_format(((const struct respite_row *)r)->rate, money, sizeof money);
	snprintf(b, n, "%9s", money);
}
static void c_rating(const void *r, char *b, size_t n)
{
	const struct respite_row *x = r;
	snprintf(b, n, "%s", x->rating[0] ? x->rating : "not rated");
}
static void c_phone(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct respite_row *)r)->phone); }
static void c_needs(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct respite_row *)r)->needs); }

static const struct column cols[] = {
	{"Provider", 22, 0, true, c_name, NULL, 2},
	{"Loc", 4, 0, false, c_loc, NULL, 0},
	{"Free", 4, 0, false, c_free, NULL, 0},
	{"    Night", 9, 0, false, c_night, NULL, 0},
	{"CQC rating", 10, 1, false, c_rating, NULL, 1},
	{"Phone", 13, 0, false, c_phone, NULL, 0},
	{"Needs", 8, 2, false, c_needs, NULL, 1},
};
#define N_COLS ((int)(sizeof cols / sizeof cols[0]))

static void draw(struct ui *ui, struct view *v, int top, int height, int width)
{
	struct respite_view *r = v->state;
	char line[800], night[40];
	date_words(respite_tonight(), DATE_WEEKDAY, night, sizeof night);
	snprintf(line, sizeof line, " Emergency respite for the night of %s (up to %d nights, more: a supervisor)",
		 night, ui->s->cfg.respite_max_nights);
	int used = draw_wrapped(top, 0, width, 2, 1, line, theme(COLOUR_warning) | A_BOLD);
	top += used - 1;
	height -= used - 1;
	if (r->stage == FIND) {
		const struct list *l = &r->find.list;
		searchlist_draw_field(&r->find, top + 1, " Person:", 9, 30);
		draw_text(top + 1, 40, width - 40, "name, reference or NHS number", theme(COLOUR_muted));
		if (l->n) {
			snprintf(line, sizeof line, "  %-9s %-10s %-8s %-4s %-5s %s", "Ref", "Born", "Postcode", "Loc", "Need",
				 "Name");
			draw_text(top + 2, 0, width, line, theme(COLOUR_heading));
		}
		for (int i = 0; i < l->n && i + 4 < height; i++) {
			const struct su_row *m = list_row(l, i);
			char name[160];
			snprintf(name, sizeof name, "%s%s, %s", m->restricted ? "[restricted] " : "", m->family, m->given);
			bool marked = (r->find.rows || l->n == 1) && i == l->sel;
			snprintf(line, sizeof line, "%c %-9s %-10s %-8s %-4s %-3s%-2s %s", marked ? '>' : ' ', m->ref, m->dob[0] ? m->dob : "-",
				 m->postcode[0] ? m->postcode : "-", m->locality, m->primary_need,
				 m->other_needs[0] ? "+" : "", name);
			attr_t a = marked ? theme(COLOUR_selection)
				 : m->restricted ? theme(COLOUR_warning) : A_NORMAL;
			draw_text(top + 3 + i, 0, width, line, a);
		}
		if (l->n)
			draw_text(top + 4 + l->n, 1, width - 2,
				  l->n == 1 ? "One match: Enter takes this person."
				  : r->find.rows ? "Up/Down to choose, Enter takes the marked person."
					       : "Several match: type more, or Enter to choose among them.",
				  theme(COLOUR_muted));
		return;
	}
	draw_text(top + 1, 0, 9, " Person:", A_BOLD);
	snprintf(line, sizeof line, "%s, %s (%s), %s, needs %s%s%s", r->person.family, r->person.given, r->person.ref,
		 r->person.locality, r->person.primary_need, r->person.other_needs[0] ? " " : "", r->person.other_needs);
	draw_text(top + 1, 9, width - 9, line, A_BOLD);
	if (r->stage == BOOKED) {
		const struct respite_booking *b = &r->booking;
		int y = top + 3;
		draw_text(y++, 1, width - 2, "BOOKED", theme(COLOUR_tier_primary) | A_BOLD);
		snprintf(line, sizeof line, "Phone %s now: %s", b->provider, b->phone[0] ? b->phone : "(no number held)");
		draw_text(y++, 1, width - 2, line, A_BOLD);
		y++;
		/* the line to read out, wrapped */
		const char *p = b->summary;
		while (*p && y < top + height) {
			int take = (int)strlen(p);
			if (take > width - 4) {
				take = width - 4;
				while (take > 0 && p[take] != ' ')
					take--;
				if (take == 0)
					take = width - 4;
			}
			snprintf(line, sizeof line, "%.*s", take, p);
			draw_text(y++, 2, width - 4, line, A_NORMAL);
			p += take;
			while (*p == ' ')
				p++;
		}
		draw_text(++y, 1, width - 2, "Esc goes back; the day team sees it on Home and a supervisor approves it.",
			  theme(COLOUR_muted));
		return;
	}
	snprintf(line, sizeof line, " Nights: %d    %d bed%s free tonight for this need, nearest first", r->nights,
		 r->n_beds, r->n_beds == 1 ? "" : "s");
	draw_text(top + 2, 0, width, line, A_NORMAL);
	int widths[N_COLS];
	columns_fit(cols, N_COLS, width, widths);
	columns_heading(cols, N_COLS, widths, top + 3, width);
	for (int i = 0; i < r->n_beds && 4 + i < height; i++)
		columns_row(cols, N_COLS, widths, &r->beds[i], top + 4 + i, width, i == r->sel,
			    i == r->sel ? theme(COLOUR_selection) : A_NORMAL);
	/* the selected bed in full under the list: nothing that decides a
	 * booking is cut at 80 columns */
	if (r->sel < r->n_beds && height > 8) {
		const struct respite_row *b = &r->beds[r->sel];
		char money[32];
		money_format(b->rate, money, sizeof money);
		snprintf(line, sizeof line, " %s (%s), CQC %s, %d free tonight at %s a night; phone %s; takes %s", b->name,
			 b->locality, b->rating[0] ? b->rating : "not rated", b->free_tonight, money,
			 b->phone[0] ? b->phone : "(no number held)", b->needs);
		draw_wrapped(top + height - 2, 0, width, 2, 1, line, theme(COLOUR_heading));
	}
}

static enum reaction text(struct ui *ui, struct view *v, wint_t ch, bool is_key)
{
	struct respite_view *r = v->state;
	bool enter = (!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER);
	bool esc = !is_key && ch == 27;
	if (esc || (r->stage != FIND && !is_key && ch == 'q')) {
		ui_pop(ui);
		return R_REDRAW;
	}
	switch (r->stage) {
	case FIND:
		/* never guess among several: take one only when it is the only
		 * match or the officer has marked it */
		switch (searchlist_key(&r->find, ch, is_key)) {
		case SEARCHLIST_TAKE:
			choose(ui, r);
			break;
		case SEARCHLIST_SEVERAL:
			ui_say(ui, "%d people match: check the date of birth and postcode, Up/Down, Enter.",
			       r->find.list.n);
			break;
		case SEARCHLIST_NONE:
			ui_error(ui, "Nobody active matches: type more of the name, the reference or the NHS number.");
			break;
		default:
			break;
		}
		return R_REDRAW;
	case BEDS:
		if (enter)
			book(ui, r);
		else if (!is_key && ch >= '1' && ch <= '9')
			r->nights = (int)(ch - '0');
		else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
			if (r->sel + 1 < r->n_beds)
				r->sel++;
		} else if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
			if (r->sel > 0)
				r->sel--;
		} else if (!is_key && ch == '/') {
			r->stage = FIND;
		}
		return R_REDRAW;
	case BOOKED:
		return R_REDRAW;
	}
	return R_REDRAW;
}

static void close_view(struct view *v)
{
	struct respite_view *r = v->state;
	searchlist_free(&r->find);
	free(r);
}

static const struct keybind edit_keys[] = {
	{'\r', ACT_NONE, "Enter", true, "take the one person / book"},
	{'1', ACT_NONE, "1-9", true, "nights"},
	{KEY_DOWN, ACT_NONE, "Up/Down", true, "choose"},
	{27, ACT_NONE, "Esc", true, "back"},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_respite = {
	.title = "Emergency respite",
	.keys = edit_keys,
	.edit_keys = edit_keys,
	.draw = draw,
	.text = text,
	.editing = view_every_key, /* every key is this screen's: digits set nights */
	.close = close_view,
};

void respite_show(struct ui *ui)
{
	if (!session_may(ui->s, CAP_RESPITE)) {
		ui_error(ui, "Emergency respite is for officers, supervisors and on-call.");
		return;
	}
	struct respite_view *r = calloc(1, sizeof *r);
	if (!r)
		return;
	r->nights = 1;
	text_copy(r->filter.status, sizeof r->filter.status, "active");
	searchlist_init(&r->find, &finder, ui, r);
	ui_push(ui, &view_respite, r);
}
