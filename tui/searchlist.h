/* searchlist.h — the search list: a search field over a keyset list of
 * rows (Service users, Providers, the person finder of Emergency respite).
 * Typing searches as you type; Enter in the field takes the one row that
 * matches, or goes to the rows when several do. A list screen (people,
 * providers) opens on its rows, where keys are commands (/ back to the
 * field, c clears the filters, Enter opens); a finder (respite) keeps the
 * keys in its field and Up/Down mark a row for Enter. The screen keeps its
 * filter, its columns and its own actions. */
#ifndef BR_SEARCHLIST_H
#define BR_SEARCHLIST_H

#include <stddef.h>

#include "tui.h"

struct searchlist;

struct searchlist_spec {
	/* the screen's state: its size; where the search list, the filter
	 * (c clears it) and the filter's text (as typed) are in it */
	size_t state_size, sl_at, filter_at, filter_size, text_at, text_size;
	size_t row_size, key_offset; /* the rows, and their keyset cursor */
	list_fetch_fn fetch;         /* its ctx: the screen's state */
	const struct column *cols;
	int n_cols;
	const char *empty;           /* said when nothing matches */
	int page;                    /* rows a search asks for (0: a list's page) */
	bool finder;                 /* the field keeps the keys; Up/Down mark a row */
	bool take_one;               /* Enter in the field takes the one row that matches */
	/* a list screen's: */
	/* the lines above the rows (the field among them): how many */
	int (*header)(struct ui *ui, struct searchlist *sl, int top, int width);
	/* the screen's own actions (filters, new …); R_UNHANDLED for the rest */
	enum reaction (*act)(struct ui *ui, struct searchlist *sl, enum action a);
	void (*open)(struct ui *ui, const void *row);
	const char *several; /* take_one, several match: "N <several> match: …" */
	const char *none;    /* take_one, nothing matches */
};

struct searchlist {
	const struct searchlist_spec *spec;
	struct ui *ui;
	void *owner;        /* the screen's state, which holds this; freed on close */
	void *filter;       /* the screen's filter (c clears it) and its text, as typed */
	size_t filter_size;
	char *text;
	size_t text_size;
	struct list list;
	struct field field;
	/* the rows have the focus: on a list screen its keys are commands; in a
	 * finder a row is marked for Enter (typing goes on in the field) */
	bool rows;
	int height;         /* the rows' lines, as last drawn */
	/* a filter being picked (searchlist_pick) */
	char *pick_to;
	size_t pick_size;
	char pick_codes[64][16];
};

/* A spec's state_size … text_size: the screen's state type, its struct
 * searchlist member and its filter member (a struct with a .text) */
#define SEARCHLIST_STATE(type, sl, filter)                                                          \
	.state_size = sizeof(type), .sl_at = offsetof(type, sl), .filter_at = offsetof(type, filter),  \
	.filter_size = sizeof(((type *)0)->filter), .text_at = offsetof(type, filter.text),            \
	.text_size = sizeof(((type *)0)->filter.text)

/* Set up inside the screen's state owner; a list screen starts on its
 * rows, a finder in its field. */
void searchlist_init(struct searchlist *sl, const struct searchlist_spec *spec, struct ui *ui, void *owner);
/* A list screen's state, zeroed, its search list set up and its first rows
 * read: the view's state (NULL when out of memory). */
void *searchlist_new(struct ui *ui, const struct searchlist_spec *spec);
void searchlist_free(struct searchlist *sl);
void searchlist_reload(struct searchlist *sl);

/* One key typed in the field. */
enum searchlist_result {
	SEARCHLIST_KEPT,     /* nothing changed, or a row marked (a finder) */
	SEARCHLIST_SEARCHED, /* the text changed: searched again */
	SEARCHLIST_LEFT,     /* to the rows */
	SEARCHLIST_TAKE,     /* Enter: take the selected row (list_selected) */
	SEARCHLIST_SEVERAL,  /* Enter: several match, to the rows */
	SEARCHLIST_NONE,     /* Enter: nothing matches */
};
enum searchlist_result searchlist_key(struct searchlist *sl, wint_t ch, bool is_key);

/* The field at (y, 0): its label in label_width columns, then field_width. */
void searchlist_draw_field(const struct searchlist *sl, int y, const char *label, int label_width, int field_width);

/* Pick a filter: the chosen option's code (or "" for any) into to, then search again. */
void searchlist_pick(struct ui *ui, struct searchlist *sl, const char *title, const struct picker_option *opts,
		     int n, char *to, size_t to_size);

/* A list screen's hooks: its state is the struct searchlist. */
void searchlist_draw(struct ui *ui, struct view *v, int top, int height, int width);
enum reaction searchlist_act(struct ui *ui, struct view *v, enum action a);
enum reaction searchlist_text(struct ui *ui, struct view *v, wint_t ch, bool is_key);
bool searchlist_editing(const struct view *v);
void searchlist_close(struct view *v);

/* The footer in the field: where Enter takes one, or goes to the rows. */
extern const struct keybind searchlist_take_keys[], searchlist_field_keys[];

#define SEARCHLIST_VIEW(title_, keys_, edit_keys_)                                                       \
	{                                                                                                \
		.title = (title_), .keys = (keys_), .edit_keys = (edit_keys_), .draw = searchlist_draw,  \
		.act = searchlist_act, .text = searchlist_text, .editing = searchlist_editing,            \
		.close = searchlist_close,                                                               \
	}

#endif
