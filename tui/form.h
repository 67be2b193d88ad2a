/* form.h — the form engine: a screen that asks for a record (New person,
 * New provider, New request and their edits) is a table of fields and a few
 * hooks; the engine moves the focus, edits, steps the choices, asks before
 * saving or leaving and draws it all. Tab or Down goes to the next field,
 * Up or Shift-Tab back (both wrap); Enter goes to the next field that asks
 * something and, on the last, to the review line; Left/Right or Space
 * change a choice; Esc on a changed form asks. The screen keeps its fields,
 * its words, and what it hands to core. */
#ifndef BR_FORM_H
#define BR_FORM_H

#include <stddef.h>

#include "tui.h"

#define FORM_MAX_FIELDS 16
#define FORM_MAX_LINES 4

enum form_kind {
	FORM_TEXT,   /* a line of text */
	FORM_CHOICE, /* one of a list: Left/Right or Space step it */
	FORM_FLAG,   /* yes or no: Left/Right or Space toggle it, y or n sets it */
	FORM_LINES,  /* up to FORM_MAX_LINES lines (Notes): Enter on a line with
		      * text starts the next; Enter on an empty line, Tab, or Down
		      * from the last line goes to the review line. The last field. */
};

/* What a choice runs over: the config's and the domain's lists, or the
 * field's own codes and words. */
enum form_list { FORM_OWN, FORM_LOCALITIES, FORM_NEEDS, FORM_SERVICES, FORM_RATINGS, FORM_FUNDINGS };

/* A letter typed on a choice: nothing; the next code after this one that
 * starts with it (round again); the first code that does. */
enum form_jump { FORM_JUMP_NONE, FORM_JUMP_NEXT, FORM_JUMP_FIRST };

struct form_field {
	enum form_kind kind;
	const char *label;
	int width;       /* columns of the value (text, flag); 0: to the edge */
	const char *hint; /* muted, two columns after the value; NULL: none */
	int hint_width;  /* 0: to the edge */
	/* a choice */
	enum form_list list;
	const char *const *codes; /* FORM_OWN */
	const char *const *words; /* FORM_OWN; NULL: the code alone */
	int n;                    /* FORM_OWN */
	enum form_jump jump;
	const char *fixed_note;   /* after a fixed choice's value */
	const char *initial;      /* the code a choice starts on (NULL: the first) */
	/* where the value goes in core's input struct (form_gather, form_fill):
	 * a text as typed, a choice's code, a flag as a bool; size 0: nowhere */
	size_t at, size;
};

/* .at and .size for a member of core's input struct */
#define FORM_AT(type, member) .at = offsetof(type, member), .size = sizeof(((type *)0)->member)

enum form_ask { FORM_ASK_NONE, FORM_ASK_SAVE, FORM_ASK_LEAVE };

struct form;

struct form_spec {
	const struct form_field *fields;
	int n_fields;
	int label_width;
	int row_step;            /* lines from one field to the next (0 or 1: none between) */
	bool prefill_only;       /* only a pre-filled value (field_prefill) is replaced by
				  * the first key typed; else the first key typed in a
				  * field after it takes the focus replaces what is there */
	bool lenient;            /* at the question, Enter saves too and any other key goes
				  * back to the form (else y, or n and Esc, and nothing else) */
	bool focus_while_asking; /* the focused field stays marked under the question */
	/* the first line: what is being asked for, new or (with %s: f->record)
	 * edited; or a hook that writes it */
	const char *heading_new, *heading_edit;
	void (*heading)(const struct form *f, char *buf, size_t n);
	/* core's input struct: its size, and the values put in it, zeroed
	 * (NULL: form_gather); false (the screen said why, form_fault) stays
	 * on the form */
	size_t in_size;
	bool (*gather)(struct ui *ui, struct form *f, void *in);
	/* Enter on the last field, the values gathered: fill f->review (the
	 * question, ending y/n) */
	void (*review)(struct ui *ui, struct form *f, const void *in);
	/* y at the review line, the question closed and the values gathered
	 * again: hand them to core; on success it pops the view, which frees
	 * the form */
	void (*save)(struct ui *ui, struct form *f, const void *in);
	/* optional: */
	/* an edit's record from core into in (form_open), f->record set for the heading */
	enum br_status (*load)(struct ui *ui, struct form *f, int64_t id, void *in, char **why);
	/* a field that asks nothing now (Enter passes it; it takes no text) */
	bool (*active)(const struct form *f, int id);
	/* a hint that changes with the form ("" or not called: the field's) */
	void (*hint)(const struct form *f, int id, char *buf, size_t n);
	/* draw a field's value itself (true), or leave it to the engine */
	bool (*value)(const struct form *f, int id, int y, int x, int width, bool focused);
	/* the line under the fields: y is the line after the last one drawn
	 * plus one; bottom is the first line below the view. NULL: the review
	 * line, the question to leave or a hint at bottom - 2. */
	void (*foot)(const struct form *f, int y, int bottom, int width);
	/* what the message line says on leaving unsaved (NULL: "Nothing was
	 * saved."); discarded: the officer said y to losing changes */
	const char *(*left)(const struct form *f, bool discarded);
};

struct form {
	const struct form_spec *spec;
	const struct br_config *cfg;
	void *ctx;                          /* the screen's state; holds this form; freed on close */
	int64_t edit_id;                    /* 0: a new record; else the one edited */
	char record[24];                    /* the one edited, as the heading names it */
	struct field text[FORM_MAX_FIELDS]; /* the text fields' */
	int choice[FORM_MAX_FIELDS];        /* the choices' (an index) and the flags' (0 or 1) */
	bool fixed[FORM_MAX_FIELDS];        /* a choice shown but not changed */
	struct field lines[FORM_MAX_LINES]; /* the FORM_LINES field's */
	int n_lines, line;
	int focus;
	bool typed;   /* the focused field has had a keystroke since it took the focus */
	bool changed;
	enum form_ask ask;
	char review[400];
};

/* Set up a form inside the screen's state ctx (zeroed: the first field
 * focused, no lines typed), before ui_push(ui, ops, f); a form alone is
 * its own ctx. */
void form_init(struct form *f, const struct form_spec *spec, void *ctx, const struct br_config *cfg);

/* A form alone (its own ctx) for a new record (edit_id 0) or filled from
 * the record spec->load reads; NULL (the message said why) when it cannot. */
struct form *form_open(struct ui *ui, const struct form_spec *spec, int64_t edit_id);

/* Values in: a text field set or pre-filled; a choice by its code (false,
 * and unchanged, when no code matches); the lines from text with newlines. */
void form_set(struct form *f, int id, const char *utf8);
void form_prefill(struct form *f, int id, const char *utf8);
bool form_choose(struct form *f, int id, const char *code);
void form_lines_set(struct form *f, const char *text);

/* Values out: a text field; into a buffer of n bytes, or false (a message
 * naming the field, the focus moved to it) when it is too long; the
 * choice's code; the lines joined by newlines, empty lines at the end dropped. */
void form_get(const struct form *f, int id, char *out, size_t n);
bool form_take(struct ui *ui, struct form *f, int id, char *out, size_t n);
const char *form_code(const struct form *f, int id);
void form_lines_get(const struct form *f, char *out, size_t n);

/* Every field that names a place in core's input struct in: memset to
 * zero, then each value; false at the first text too long (form_take).
 * And out, for an edit: each text set, each choice chosen by its code. */
bool form_gather(struct ui *ui, struct form *f, void *in, size_t in_size);
void form_fill(struct form *f, const void *in);

/* The focus to a field that is wrong, the question closed. */
void form_fault(struct form *f, int id);
/* The lines of the FORM_LINES field drawn from (y, x), the focused one with the cursor. */
void form_lines_draw(const struct form *f, int y, int x, int width, bool focused);

/* .fields and .n_fields of a form_spec from an array */
#define FORM_FIELDS(array) .fields = (array), .n_fields = (int)(sizeof(array) / sizeof((array)[0]))

/* The footer of a form: Tab/Enter, Left/Right, Esc, F1. */
extern const struct keybind form_keys[];

/* The view's hooks: its state is the struct form. */
void form_draw(struct ui *ui, struct view *v, int top, int height, int width);
enum reaction form_text(struct ui *ui, struct view *v, wint_t ch, bool is_key);
void form_close(struct view *v);

/* A form screen's view_ops: every key is the form's (F1 and ! still reach ui.c). */
#define FORM_VIEW(title_, keys_, edit_keys_)                                                        \
	{                                                                                           \
		.title = (title_), .keys = (keys_), .edit_keys = (edit_keys_), .draw = form_draw,   \
		.text = form_text, .editing = view_every_key, .close = form_close,                 \
	}

#endif
