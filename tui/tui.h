/* tui.h — what the screens share: actions, key maps, the view stack, the
 * widgets and drawing helpers. Screens decide nothing: they call core/ and
 * draw what it returns. Only the main loop draws (ui.c). */
#ifndef BR_TUI_H
#define BR_TUI_H

#define NCURSES_WIDECHAR 1
#include <ncurses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "core.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 24

/* ---- actions: declared once; keys map to them; footer and help come from
 * the same tables ---------------------------------------------------------- */
#define ACTION_LIST(X)                                              \
	X(NONE, "")                                                 \
	X(QUIT, "quit")                                             \
	X(BACK, "back")                                             \
	X(HELP, "help")                                             \
	X(UP, "up")                                                 \
	X(DOWN, "down")                                             \
	X(PAGE_UP, "page up")                                       \
	X(PAGE_DOWN, "page down")                                   \
	X(FIRST, "first")                                           \
	X(LAST, "last")                                             \
	X(OPEN, "open")                                             \
	X(SEARCH, "search")                                         \
	X(GO_HOME, "Home")                                          \
	X(GO_PEOPLE, "Service users")                               \
	X(GO_PROVIDERS, "Providers")                                \
	X(GO_APPROVALS, "Approvals")                                \
	X(GO_REPORTS, "Reports")                                    \
	X(GO_AUDIT, "Audit")                                        \
	X(RESPITE, "emergency respite")                             \
	X(NEXT_PANE, "next list")                                   \
	X(FILTER_LOCALITY, "locality")                              \
	X(FILTER_NEED, "need")                                      \
	X(FILTER_STATUS, "status")                                  \
	X(FILTER_SERVICE, "service")                                \
	X(FILTER_TIER, "tier")                                      \
	X(CLEAR, "clear filters")                                   \
	X(NEW_REQUEST, "new request")                               \
	X(MATCH, "match")                                           \
	X(OFFER, "offer")                                           \
	X(ACCEPT, "accepted")                                       \
	X(DECLINE, "declined")                                      \
	X(HANDBACK, "hand-back")                                    \
	X(CANCEL_CALLOFF, "cancel")                                 \
	X(EDIT_REQUEST, "edit request")                             \
	X(OVERRIDE, "offer with a reason")                          \
	X(WITHDRAW, "withdraw offer")                               \
	X(CORRECT, "correct answer")                                \
	X(WORKORDER, "work order")                                  \
	X(CANCEL_REQUEST, "cancel request")                         \
	X(VARY, "vary")                                             \
	X(PAUSE, "pause")                                           \
	X(RESUME, "resume")                                         \
	X(END_CALLOFF, "end")                                       \
	X(TAKE, "take")                                             \
	X(ASSIGN, "assign")                                         \
	X(CALLOFFS, "call-offs")                                    \
	X(APPROVE, "approve")                                       \
	X(REJECT, "reject")                                         \
	X(FILTER_LOGIN, "login")                                    \
	X(FILTER_PERSON, "person")                                  \
	X(FILTER_ENTITY, "entity")                                  \
	X(FILTER_DAY, "day")                                        \
	X(REFRESH, "redraw")                                        \
	X(RANGE_WEEK, "week")                                       \
	X(RANGE_12W, "12 weeks")                                    \
	X(RANGE_YEAR, "year")                                       \
	X(RANGE_CUSTOM, "dates")                                    \
	X(EXPORT_CSV, "CSV file in your home")                        \
	X(SCROLL_DOWN, "scroll down")                               \
	X(SCROLL_UP, "scroll up")                                   \
	X(NEW_PERSON, "new person")                                 \
	X(EDIT_PERSON, "edit")                                      \
	X(CLOSE_PERSON, "close record")                             \
	X(RESTRICT, "restrict on/off")                              \
	X(SUSPEND, "suspend")                                       \
	X(REINSTATE, "reinstate")                                   \
	X(SET_CAPACITY, "capacity")                                 \
	X(SET_RATE, "rate")                                         \
	X(ADD_AWARD, "award")                                       \
	X(END_AWARD, "end award")                                   \
	X(ADD_REGISTRATION, "registration")                         \
	X(UPKEEP, "upkeep")                                         \
	X(LEAVE, "left the framework")                              \
	X(NEW_PROVIDER, "new provider")                             \
	X(EDIT_PROVIDER, "edit")                                    \
	X(MESSAGES, "messages, in full")

enum action {
#define X(id, label) ACT_##id,
	ACTION_LIST(X)
#undef X
	ACT_COUNT
};

const char *action_label(enum action a);
struct keybind;
struct ui;
/* Whether this login's role may take an action (asks core's capabilities). */
bool ui_may(const struct ui *ui, enum action a);
/* The keys that work on every screen (ui.c). */
const struct keybind *ui_global_keys(void);

struct keybind {
	int key;          /* curses key or character */
	enum action act;
	const char *keyname; /* shown in footer and help ("Enter", "/", "l") */
	bool footer;      /* shown in the footer line */
	const char *label; /* overrides the action's label in footer and help */
};

/* What a handler asks of the main loop. */
enum reaction { R_NONE = 0, R_REDRAW = 1, R_UNHANDLED = 2 };

struct ui;
struct view;

struct view_ops {
	const char *title;
	const struct keybind *keys;        /* this screen's own keys, ended by {0} */
	const struct keybind *edit_keys;   /* the footer while a field has the focus */
	void (*draw)(struct ui *ui, struct view *v, int top, int height, int width);
	enum reaction (*act)(struct ui *ui, struct view *v, enum action a);
	/* text typed while a field of this view has the focus; NULL if none */
	enum reaction (*text)(struct ui *ui, struct view *v, wint_t ch, bool is_key);
	bool (*editing)(const struct view *v); /* a text field has the focus */
	void (*close)(struct view *v);
	/* the view is on top again after the one above it closed */
	void (*resume)(struct ui *ui, struct view *v);
	bool modal;                          /* drawn over the view below it */
};

struct view {
	const struct view_ops *ops;
	void *state;
};

/* Hooks many views share: every key is the view's own (a form, a prompt, a
 * picker: F1 and ! still reach ui.c); the state is one heap block. */
bool view_every_key(const struct view *v);
void view_free_state(struct view *v);

/* ---- the shell --------------------------------------------------------- */

struct ui {
	struct session *s;
	struct view stack[16];
	int depth;
	char message[256];
	bool message_is_error;
	/* the messages said this session, oldest first (M shows them in full,
	 * as NeoMutt's message history): a long one is never lost */
	char history[32][260];
	int n_history;
	bool quit;
	bool confirm_quit; /* q on Home asked "Quit brokerage? y/n" */
	bool mono;
	int cols, lines;
};

/* The shell's parts, for ui_main and for `make bench`, which times the real
 * screens key by key: set up Home over an open session (curses started);
 * one key as the main loop takes it; one whole frame drawn and written. */
void ui_start(struct ui *ui, struct session *s);
void ui_key(struct ui *ui, wint_t ch, bool is_key);
void ui_frame(struct ui *ui);
void ui_push(struct ui *ui, const struct view_ops *ops, void *state);
void ui_pop(struct ui *ui);
void ui_say(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ui_error(struct ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "working…" on the message line, drawn at once: call it before a query
 * that may be slow (the Audit's filters, the reports). */
void ui_working(struct ui *ui);
/* Report a core status: message line text, error colour. */
void ui_status(struct ui *ui, enum br_status st, char **why);
/* Go to a top-level screen (1..6), clearing the stack above Home. */
void ui_goto(struct ui *ui, enum action where);

/* the screens */
extern const struct view_ops view_home, view_people, view_person, view_providers,
	view_provider, view_help, view_picker, view_prompt, view_request, view_match, view_calloff;
void calloff_show(struct ui *ui, int64_t id);
extern const struct view_ops view_approvals, view_approval, view_audit;
void *approvals_new(struct ui *ui);
void approval_show(struct ui *ui, int64_t calloff_id);
void *audit_view_new(struct ui *ui);
extern const struct view_ops view_respite, view_reports;
void *reports_new(struct ui *ui);
void respite_show(struct ui *ui);
/* the New request form for a person; the Match for a request */
void request_form_show(struct ui *ui, const struct su_row *su);
/* Edit an open request (units, start, urgency, funding, notes); cancel one
 * with a reason (asked first). Core says whether it may. */
void request_edit_show(struct ui *ui, int64_t request_id);
void request_cancel_ask(struct ui *ui, int64_t request_id);
void match_show(struct ui *ui, int64_t request_id);
void *home_new(struct ui *ui);
void *people_new(struct ui *ui);
void *providers_new(struct ui *ui);
/* open a person's record (asks for a break-glass reason when restricted) */
void person_show(struct ui *ui, int64_t id);
void provider_show(struct ui *ui, int64_t id);
void help_show(struct ui *ui, const struct view *about);
/* New person (edit_id 0) or edit person: the form */
extern const struct view_ops view_person_form, view_person_edit;
void person_form_show(struct ui *ui, int64_t edit_id);
/* New provider (edit_id 0) or edit provider: the form (admins) */
extern const struct view_ops view_provider_form;
void provider_form_show(struct ui *ui, int64_t edit_id);

/* ---- theme -------------------------------------------------------------- */

void theme_init(struct ui *ui, const struct br_config *cfg);
attr_t theme(enum br_colour c);
attr_t theme_tier(const char *tier);

/* ---- drawing helpers ---------------------------------------------------- */

/* Draw UTF-8 text at (y, x) in exactly `width` columns: sanitised (no
 * control characters reach the terminal), cut at a character, padded. */
void draw_text(int y, int x, int width, const char *utf8, attr_t attr);
/* Display width of UTF-8 text. */
int text_width(const char *utf8);
void draw_fill(int y, int x, int width, attr_t attr);
/* Bytes of UTF-8 text that fit in `width` columns, broken at a space when
 * there is one (for wrapping). */
int text_break(const char *utf8, int width);
void draw_box(int y, int x, int h, int w, attr_t attr);
/* Draw text wrapped at spaces over up to max_lines lines (the last takes
 * the rest, cut), the lines after the first indented; returns the lines
 * used. Nothing that decides an action is cut at 80 columns. */
int draw_wrapped(int y, int x, int width, int max_lines, int indent, const char *utf8, attr_t attr);

/* ---- widgets ------------------------------------------------------------ */

/* A scrolling list over a keyset-paged source. Owns its row buffer. */
typedef enum br_status (*list_fetch_fn)(void *ctx, const struct list_cursor *at,
					enum list_dir dir, void *rows, int limit, int *n,
					char **why);

struct column {
	const char *title;
	int width;        /* columns wanted; the flexible one takes what is left */
	int priority;     /* lower shows first when the terminal is narrow */
	bool flex;
	void (*cell)(const void *row, char *buf, size_t n);
	attr_t (*attr)(const void *row); /* may be NULL */
	int grow;         /* share of a wide terminal's spare columns (0: none; the flexible one gets 1) */
};

struct list {
	char *rows;
	size_t size;          /* bytes per row */
	size_t key_offset;    /* offsetof(row, key) */
	int cap, n, sel, top;
	int page;             /* rows a fetch asks for (list_init: 60; list_set_page) */
	bool more_after, more_before;
	list_fetch_fn fetch;
	void *ctx;
	const struct column *cols;
	int n_cols;
	const char *empty;    /* shown when there are no rows */
	/* the selected row in full, wrapped over two lines under the list, so
	 * nothing that decides an action is cut at 80 columns; may be NULL */
	void (*detail)(const void *row, char *buf, size_t n);
};

void list_init(struct list *l, size_t row_size, size_t key_offset, list_fetch_fn fetch, void *ctx,
	       const struct column *cols, int n_cols, const char *empty);
/* Fetch page rows at a time, holding four pages (a small finder's list; empties it). */
void list_set_page(struct list *l, int page);
void list_free(struct list *l);
/* Load from the start. */
enum br_status list_reload(struct list *l, char **why);
/* Handle a movement action; R_UNHANDLED for anything else. */
enum reaction list_act(struct list *l, enum action a, int height, struct ui *ui);
void list_draw(struct list *l, int top, int height, int width);
/* The list's columns for any table on a screen: widths[c] for each column
 * that fits `width` by priority (0 when hidden), a wide terminal's spare
 * columns shared by the columns' grow; then the heading and a row drawn
 * in those widths (">" marks the selected row). */
void columns_fit(const struct column *cols, int n_cols, int width, int widths[]);
void columns_heading(const struct column *cols, int n_cols, const int widths[], int y, int width);
void columns_row(const struct column *cols, int n_cols, const int widths[], const void *row, int y, int width,
		 bool sel, attr_t base);
const void *list_selected(const struct list *l);
const void *list_row(const struct list *l, int i); /* NULL outside the rows loaded */

/* A scrolling pane of text lines (record details). Owns its lines. */
struct textpane {
	struct {
		char text[200];
		attr_t attr;
		int item; /* > 0: a line Up/Down select (a call-off, a request) */
	} *lines;
	int n, cap, top, height;
	int sel; /* the selected line (an item's), -1 none */
};
/* Make the last line added a selectable item (> 0). With items, Up/Down
 * move between them (scrolling past the lines between); the selected one
 * is marked ">" and highlighted. */
void textpane_item(struct textpane *t, int item);
/* The selected item, 0 when none; select an item's line (0: none). */
int textpane_selected(const struct textpane *t);
void textpane_select(struct textpane *t, int item);
bool textpane_init(struct textpane *t, int cap);
void textpane_free(struct textpane *t);
void textpane_add(struct textpane *t, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void textpane_draw(struct textpane *t, int top, int height, int width);
/* Up/Down/PgUp/PgDn/Home/End; R_UNHANDLED for anything else. */
enum reaction textpane_act(struct textpane *t, enum action a);

/* A one-line text field holding UTF-8. */
struct field {
	wchar_t text[256];
	int len;
	bool fresh; /* holds a pre-filled value: the first character typed replaces it */
};
void field_set(struct field *f, const char *utf8);
/* Set a pre-filled value that the first typed character replaces (as in a
 * dialog's selected default); moving or deleting in it keeps it. */
void field_prefill(struct field *f, const char *utf8);
void field_get(const struct field *f, char *utf8, size_t n);
/* Edit with a typed character or key; true when it changed. */
bool field_edit(struct field *f, wint_t ch, bool is_key);
void field_draw(const struct field *f, int y, int x, int width, bool focused);

/* A pop-up choice. choose(ctx, index) gets -1 for "any". */
struct picker_option {
	char code[16];
	char label[64];
};
void picker_open(struct ui *ui, const char *title, const struct picker_option *opts, int n,
		 bool with_any, void (*choose)(struct ui *ui, void *ctx, int index), void *ctx);
/* Ask for a line of text (break-glass reason, …). */
void prompt_open(struct ui *ui, const char *title, const char *question,
		 void (*done)(struct ui *ui, void *ctx, const char *text), void *ctx);

/* Options from the config and the domain, for pickers. */
int options_localities(const struct br_config *cfg, struct picker_option *out, int max);
int options_needs(struct picker_option *out, int max);
int options_services(struct picker_option *out, int max);

#endif
