/* view_people.c — Service users: opens on the list (keys are commands, as
 * in mutt); / enters the search field, which searches as you type by name,
 * reference, NHS number or postcode; Enter there opens the person only when
 * exactly one matches, else moves into the list; Esc leaves it. Filter by
 * locality, need and status. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchlist.h"

struct people {
	struct searchlist sl;
	struct su_filter filter;
};

static enum br_status fetch(void *ctx, const struct list_cursor *at, enum list_dir dir, void *rows,
			    int limit, int *n, char **why)
{
	struct people *p = ctx;
	return su_list(p->sl.ui->s->store, &p->filter, at, dir, rows, limit, n, why);
}

static void c_ref(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->ref); }
static void c_name(const void *r, char *b, size_t n)
{
	const struct su_row *s = r;
	snprintf(b, n, "%s%s, %s", s->restricted ? "[restricted] " : "", s->family, s->given);
}
static void c_nhs(const void *r, char *b, size_t n)
{
	char f[13];
	nhs_format(((const struct su_row *)r)->nhs, f);
	snprintf(b, n, "%s", f);
}
static void c_dob(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->dob); }
static void c_postcode(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->postcode); }
static void c_loc(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->locality); }
static void c_needs(const void *r, char *b, size_t n)
{
	const struct su_row *s = r;
	snprintf(b, n, "%s%s%s%s", s->primary_need, s->other_needs[0] ? "+" : "", s->other_needs,
		 s->forensic ? " F" : "");
}
static void c_status(const void *r, char *b, size_t n) { snprintf(b, n, "%s", ((const struct su_row *)r)->status); }
static attr_t a_status(const void *r)
{
	return strcmp(((const struct su_row *)r)->status, "active") == 0 ? A_NORMAL : theme(COLOUR_muted);
}

static const struct column cols[] = {
	{"Ref", 8, 0, false, c_ref, NULL, 0},
	{"Name", 22, 0, true, c_name, NULL, 0},
	{"NHS number", 12, 1, false, c_nhs, NULL, 0},
	{"Born", 10, 0, false, c_dob, NULL, 0},
	{"Postcode", 8, 0, false, c_postcode, NULL, 0},
	{"Loc", 3, 0, false, c_loc, NULL, 0},
	{"Needs", 12, 2, false, c_needs, NULL, 1},
	{"Status", 8, 1, false, c_status, a_status, 0},
};

static const char *or_any(const char *s) { return s[0] ? s : "any"; }

static int header(struct ui *ui, struct searchlist *sl, int top, int width)
{
	const struct people *p = sl->owner;
	searchlist_draw_field(sl, top, " Search:", 9, 26);
	char line[200];
	snprintf(line, sizeof line, " (%s) Locality: %s Need: %s Status: %s",
		 su_text_kind_name(su_text_kind(ui->s->store, p->filter.text)),
		 or_any(p->filter.locality), or_any(p->filter.need), or_any(p->filter.status));
	draw_text(top, 36, width - 36, line, A_NORMAL);
	return 1;
}

static const char *const statuses[] = {"active", "closed", "deceased"};

static enum reaction act(struct ui *ui, struct searchlist *sl, enum action a)
{
	struct people *p = sl->owner;
	struct picker_option opts[BR_MAX_LOCALITIES > NEED_COUNT ? BR_MAX_LOCALITIES : NEED_COUNT];
	switch (a) {
	case ACT_FILTER_LOCALITY:
		searchlist_pick(ui, sl, "Locality", opts, options_localities(&ui->s->cfg, opts, BR_MAX_LOCALITIES),
				p->filter.locality, sizeof p->filter.locality);
		return R_REDRAW;
	case ACT_FILTER_NEED:
		searchlist_pick(ui, sl, "Need", opts, options_needs(opts, NEED_COUNT), p->filter.need,
				sizeof p->filter.need);
		return R_REDRAW;
	case ACT_FILTER_STATUS:
		for (int i = 0; i < 3; i++) {
			text_copy(opts[i].code, sizeof opts[i].code, statuses[i]);
			opts[i].label[0] = '\0';
		}
		searchlist_pick(ui, sl, "Status", opts, 3, p->filter.status, sizeof p->filter.status);
		return R_REDRAW;
	case ACT_NEW_PERSON:
		person_form_show(ui, 0);
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

static void open_row(struct ui *ui, const void *row)
{
	person_show(ui, ((const struct su_row *)row)->id);
}

static const struct searchlist_spec spec = {
	SEARCHLIST_STATE(struct people, sl, filter),
	.row_size = sizeof(struct su_row),
	.key_offset = offsetof(struct su_row, key),
	.fetch = fetch,
	.cols = cols,
	.n_cols = 8,
	.empty = "Nobody matches. Try fewer letters, or c to clear the filters.",
	/* Enter in the field opens the person only when exactly one matches:
	 * opening a record is an audited access, so never guess among several */
	.take_one = true,
	.several = "people",
	.none = "Nobody matches. / to search again, c clears the filters.",
	.header = header,
	.act = act,
	.open = open_row,
};

void *people_new(struct ui *ui)
{
	return searchlist_new(ui, &spec);
}

static const struct keybind keys[] = {
	{'\r', ACT_OPEN, "Enter", true, NULL},
	{'/', ACT_SEARCH, "/", true, NULL},
	{'l', ACT_FILTER_LOCALITY, "l", true, NULL},
	{'n', ACT_FILTER_NEED, "n", true, NULL},
	{'a', ACT_FILTER_STATUS, "a", true, NULL},
	{'c', ACT_CLEAR, "c", true, NULL},
	{'N', ACT_NEW_PERSON, "N", true, NULL},
	{0, ACT_NONE, NULL, false, NULL},
};

const struct view_ops view_people = SEARCHLIST_VIEW("Service users", keys, searchlist_take_keys);
