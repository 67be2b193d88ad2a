/* import_internal.h — what the importer's files share: a row as read, a
 * table's columns and its check and write, the problems and the value
 * checks every table uses. Only core/flows/import*.c include it.
 *
 *   import.c            the engine: read and parse (libcsv) a piece at a time,
 *                       header, rows in batches, problems, one transaction,
 *                       the report
 *   import_values.c     value checks, the in-file map, look-ups, write helpers
 *   import_people.c     service users → person_field_check (records/upkeep.c)
 *   import_providers.c  providers → provider_field_check (records/provider.c)
 *   import_lots.c       awards, capacity, rates and registrations */
#ifndef BR_IMPORT_INTERNAL_H
#define BR_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "import.h"
#include "store_internal.h"

#define MAX_COLS 16
/* A table that streams is checked and written IMPORT_BATCH rows at a time,
 * inside the one transaction, so memory does not grow with the file (issue
 * 27, finding 12); what the rows must know of the rows before them is kept
 * in a temporary table (import_seen_*). A table read whole (its rows name
 * rows later in the file: a consortium parent; an award's id given further
 * down) holds at most IMPORT_WHOLE_ROWS rows, a hundred times a borough's
 * framework. */
#define IMPORT_BATCH 1024
#define IMPORT_WHOLE_ROWS 20000
/* A record (a row, quoted new lines and all) longer than this is refused:
 * libcsv holds a field whole, and a file with no end to a field would
 * otherwise hold all of it. */
#define IMPORT_MAX_RECORD (1024 * 1024)

enum action { ACT_ADD, ACT_UPDATE, ACT_SAME };

struct row {
	long line;
	char *block;               /* the fields as read, one allocation */
	const char *f[MAX_COLS];   /* by column index; "" when the file has no such column */
	char *own[MAX_COLS];       /* values replaced while checking (normalised) */
	enum action act;
	int64_t id;                /* the record's id (existing or given) */
	int64_t other;             /* a second id: the consortium parent */
	int consortium_row;        /* file row of the consortium parent, -1 = none */
	char changed[200];         /* columns that changed, for the audit */
};

struct import_ctx;
struct csv_parser;

struct col {
	const char *name;
	bool required;
};

struct table {
	const char *name;
	const char *entity;        /* audit entity */
	const struct col *cols;
	void (*check)(struct import_ctx *c);   /* validate the rows held, classify */
	enum br_status (*write)(struct import_ctx *c, char **why);
	bool whole;                /* read whole, not streamed (see IMPORT_WHOLE_ROWS) */
};

/* What a row must know of the rows before it in the file, by map: a key
 * and the line (or row) it was first on, with a flag. */
enum seen_map { SEEN_ID, SEEN_CQC, SEEN_NAME, SEEN_REF, SEEN_NHS, SEEN_KEY };

struct import_ctx {
	struct session *s;
	const struct table *t;
	const char *file;
	int ncols;
	int present[MAX_COLS];     /* 1 when the header names the column */
	int hdr[MAX_COLS * 4];     /* file field -> column index */
	int nhdr;
	struct row *rows;          /* the rows held: a batch, or the whole file */
	size_t nrows, caprows;
	long long rows_read;       /* data rows read in all */
	bool too_many;             /* a whole table past IMPORT_WHOLE_ROWS */
	bool began;                /* the transaction is open */
	sqlite3_stmt *seen_add, *seen_get, *seen_set;
	struct import_report *rep;
	const struct import_options *o;
	long *problem_lines;       /* the line of each problem, to sort them */
	bool failed;               /* a problem was found */
	enum br_status err;        /* a database error while checking */
	char *err_why;
	struct audit_chain chain;
	/* parser state */
	struct csv_parser *csv;
	bool line_begins;          /* the next byte begins a line */
	bool bom_done;
	char **cur;
	size_t *curlen;
	int ncur, capcur;
	bool cur_too_many;
	bool header_done;
	bool header_bad;           /* the rows cannot be read against it */
	long line, row_start;
	size_t bytes_done, bytes_total;
	size_t row_start_byte;     /* where the record being read began */
};

/* The tables, one per file that owns it. */
extern const struct table import_table_providers;
extern const struct table import_table_service_users;
extern const struct table import_table_awards;
extern const struct table import_table_capacity;
extern const struct table import_table_rates;
extern const struct table import_table_registrations;

static inline const char *V(const struct row *r, int col) { return r->f[col]; }
static inline bool has(const struct import_ctx *c, int col) { return c->present[col] != 0; }

void import_problem(struct import_ctx *c, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void import_shown(const char *v, char out[72]);
void import_bad(struct import_ctx *c, const struct row *r, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void import_db_error(struct import_ctx *c, enum br_status st, char **why);
void import_set_field(struct row *r, int col, const char *v);
void import_note_change(struct row *r, const char *name);
/* Record key in map m with val and flag; false when it was there already
 * (then *first and *first_flag, either may be NULL, get what it holds). */
bool import_seen_add(struct import_ctx *c, enum seen_map m, const char *key, long val, int flag, long *first,
		     int *first_flag);
bool import_seen_get(struct import_ctx *c, enum seen_map m, const char *key, long *val);
void import_seen_set(struct import_ctx *c, enum seen_map m, const char *key, long val);
bool import_dup_in_file(struct import_ctx *c, enum seen_map m, const char *key, const struct row *r, int col);
bool import_parse_int(const char *v, long long lo, long long hi, long long *out);
bool import_check_required(struct import_ctx *c, struct row *r, int col);
bool import_check_len(struct import_ctx *c, struct row *r, int col, size_t max);
bool import_check_date(struct import_ctx *c, struct row *r, int col, bool empty_ok);
bool import_check_service(struct import_ctx *c, struct row *r, int col);
bool import_check_need(struct import_ctx *c, struct row *r, int col);
void import_locality_list(const struct import_ctx *c, char *out, size_t outsz);
bool import_is_locality(const struct import_ctx *c, const char *v);
bool import_check_locality(struct import_ctx *c, struct row *r, int col);
bool import_check_flag(struct import_ctx *c, struct row *r, int col);
bool import_check_list(struct import_ctx *c, struct row *r, int col,
		       bool (*ok)(const struct import_ctx *, const char *), const char *what);
bool import_item_need(const struct import_ctx *c, const char *v);
bool import_item_locality(const struct import_ctx *c, const char *v);
bool import_item_registration(const struct import_ctx *c, const char *v);
bool import_provider_name(struct import_ctx *c, int64_t id, char *name, size_t namesz);
bool import_check_provider_ref(struct import_ctx *c, struct row *r, int id_col, int name_col);
void import_bind_opt(sqlite3_stmt *q, int i, const char *v);
enum br_status import_audit_row(struct import_ctx *c, const struct row *r, const char *entity_id,
				char **why);
void import_compare(struct import_ctx *c, struct row *r, int col, const char *current);

#endif
