/* import.c — CSV files in: read and parse (libcsv) a piece at a time,
 * check and write the rows a batch at a time, all in one transaction, and
 * commit only a file with no problem at all. See import.h; the tables are
 * import_people.c, import_providers.c and import_lots.c. */
#include "import.h"
#include "import_internal.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "privilege.h"
#include "session.h"
#include "util.h"

/* ---- problems -------------------------------------------------------------- */

static void problem_line(struct import_ctx *c, long line, char *text)
{
	c->failed = true;
	struct import_report *r = c->rep;
	if (r->n_problems >= IMPORT_MAX_PROBLEMS) {
		r->more_problems = true;
		free(text);
		return;
	}
	char **p = realloc(r->problems, (size_t)(r->n_problems + 1) * sizeof *p);
	if (!p) {
		free(text);
		r->more_problems = true;
		return;
	}
	r->problems = p;
	long *lines = realloc(c->problem_lines, (size_t)(r->n_problems + 1) * sizeof *lines);
	if (lines) {
		c->problem_lines = lines;
		lines[r->n_problems] = line;
	}
	r->problems[r->n_problems++] = text;
}

void import_problem(struct import_ctx *c, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t n = strlen(c->file) + strlen(msg) + 32;
	char *text = malloc(n);
	if (text)
		snprintf(text, n, "%s:%ld: %s", c->file, line, msg);
	if (text)
		problem_line(c, line, text);
	else
		c->failed = true;
}

/* The value as shown in a problem line: no control characters, cut short. */
void import_shown(const char *v, char out[72])
{
	char clean[200];
	text_sanitise(v, clean, sizeof clean);
	if (strlen(clean) > 60) {
		text_copy(out, 61, clean);
		strcat(out, "...");
	} else {
		strcpy(out, clean);
	}
}

/* FILE:LINE: column NAME: "value" is not ... */
void import_bad(struct import_ctx *c, const struct row *r, int col, const char *fmt, ...)
{
	char what[400], v[72];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	import_shown(r->f[col], v);
	import_problem(c, r->line, "column %s: \"%s\" %s", c->t->cols[col].name, v, what);
}

void import_db_error(struct import_ctx *c, enum br_status st, char **why)
{
	if (c->err == BR_OK) {
		c->err = st;
		c->err_why = why ? *why : NULL;
		if (why)
			*why = NULL;
	} else if (why) {
		br_free_str(why);
	}
	c->failed = true;
}

/* ---- rows ------------------------------------------------------------------ */

void import_set_field(struct row *r, int col, const char *v)
{
	char *copy = strdup(v);
	if (!copy)
		return; /* keeps the old value; the write then fails its CHECK */
	free(r->own[col]);
	r->own[col] = copy;
	r->f[col] = copy;
}

/* Let the rows held go; the array is kept for the next batch. */
static void rows_release(struct import_ctx *c)
{
	for (size_t i = 0; i < c->nrows; i++) {
		free(c->rows[i].block);
		for (int k = 0; k < MAX_COLS; k++)
			free(c->rows[i].own[k]);
	}
	c->nrows = 0;
}

static void rows_free(struct import_ctx *c)
{
	rows_release(c);
	free(c->rows);
	c->rows = NULL;
	c->caprows = 0;
}

/* ---- batches ------------------------------------------------------------- */

/* Check and write the rows held, then let them go: a streamed table does
 * this every IMPORT_BATCH rows, a whole one once, at the end. Once a
 * problem is found nothing more is written (the end rolls the transaction
 * back), but every row is still checked, so the report names them all. */
static void batch_run(struct import_ctx *c)
{
	if (c->nrows && !c->header_bad && c->err == BR_OK) {
		c->t->check(c);
		if (c->err == BR_OK && !c->failed) {
			char *why = NULL;
			enum br_status st = c->t->write(c, &why);
			if (st != BR_OK)
				import_db_error(c, st, &why);
			for (size_t i = 0; i < c->nrows && !c->failed; i++) {
				switch (c->rows[i].act) {
				case ACT_ADD: c->rep->added++; break;
				case ACT_UPDATE: c->rep->updated++; break;
				case ACT_SAME: c->rep->unchanged++; break;
				}
			}
		}
	}
	rows_release(c);
}

/* how far through the file: a step each 1,000 rows of a long one */
static void progress(struct import_ctx *c, bool end)
{
	if (!c->o->progress || c->rows_read < 2000 || (!end && c->rows_read % 1000 != 0))
		return;
	double done = end ? 1.0 : c->bytes_total ? (double)c->bytes_done / (double)c->bytes_total : 0.0;
	c->o->progress(c->o->progress_ctx, "importing", done < 1.0 || end ? done : 0.99);
}

void import_note_change(struct row *r, const char *name)
{
	size_t n = strlen(r->changed);
	if (n + strlen(name) + 2 >= sizeof r->changed)
		return;
	if (n)
		strcat(r->changed, ",");
	strcat(r->changed, name);
}

/* ===== the tables ============================================================ */

static const struct table *const tables[IMPORT_COUNT] = {
	[IMPORT_PROVIDERS] = &import_table_providers,
	[IMPORT_SERVICE_USERS] = &import_table_service_users,
	[IMPORT_AWARDS] = &import_table_awards,
	[IMPORT_CAPACITY] = &import_table_capacity,
	[IMPORT_RATES] = &import_table_rates,
	[IMPORT_REGISTRATIONS] = &import_table_registrations,
};

const char *import_name(enum import_what what)
{
	return (unsigned)what < IMPORT_COUNT ? tables[what]->name : "?";
}

int import_find(const char *name)
{
	for (int i = 0; i < IMPORT_COUNT; i++)
		if (name && strcmp(tables[i]->name, name) == 0)
			return i;
	return -1;
}

/* ===== parsing ================================================================ */

static void header_row(struct import_ctx *c)
{
	bool ok = true;
	if (c->ncur > (int)(sizeof c->hdr / sizeof c->hdr[0])) {
		import_problem(c, c->row_start, "the header has %d columns; %s has %d", c->ncur, c->t->name, c->ncols);
		c->header_done = c->header_bad = true;
		return;
	}
	for (int i = 0; i < c->ncur; i++) {
		int k = -1;
		for (int j = 0; j < c->ncols; j++)
			if (strcmp(c->cur[i], c->t->cols[j].name) == 0)
				k = j;
		c->hdr[i] = k;
		char v[72];
		import_shown(c->cur[i], v);
		if (k < 0) {
			import_problem(c, c->row_start, "column \"%s\" is not a column of %s", v, c->t->name);
			ok = false;
		} else if (c->present[k]) {
			import_problem(c, c->row_start, "column \"%s\" is named twice", v);
			ok = false;
		} else {
			c->present[k] = 1;
		}
	}
	for (int j = 0; j < c->ncols; j++)
		if (c->t->cols[j].required && !c->present[j]) {
			import_problem(c, c->row_start, "column %s is missing: %s needs it", c->t->cols[j].name, c->t->name);
			ok = false;
		}
	c->nhdr = c->ncur;
	c->header_done = true;
	c->header_bad = !ok;
}

static void data_row(struct import_ctx *c)
{
	if (c->ncur != c->nhdr) {
		import_problem(c, c->row_start, "%d fields where the header names %d", c->ncur, c->nhdr);
		return;
	}
	if (c->t->whole && c->nrows >= IMPORT_WHOLE_ROWS) {
		if (!c->too_many)
			import_problem(c, c->row_start, "more than %d rows: a %s file is read whole; split it", IMPORT_WHOLE_ROWS,
				       c->t->name);
		c->too_many = true;
		return;
	}
	size_t total = 0;
	for (int i = 0; i < c->ncur; i++)
		total += c->curlen[i] + 1;
	if (c->nrows == c->caprows) {
		size_t cap = c->caprows ? c->caprows * 2 : 256;
		struct row *rows = realloc(c->rows, cap * sizeof *rows);
		if (!rows) {
			c->err = BR_NOMEM;
			c->failed = true;
			return;
		}
		c->rows = rows;
		c->caprows = cap;
	}
	struct row *r = &c->rows[c->nrows];
	memset(r, 0, sizeof *r);
	r->line = c->row_start;
	r->consortium_row = -1;
	for (int k = 0; k < MAX_COLS; k++)
		r->f[k] = "";
	if (!(r->block = malloc(total ? total : 1))) {
		c->err = BR_NOMEM;
		c->failed = true;
		return;
	}
	c->nrows++;
	char *p = r->block;
	for (int i = 0; i < c->ncur; i++) {
		const char *v = c->cur[i];
		size_t n = c->curlen[i];
		/* export's formula guard: one ' is taken off a value that is quotes
		 * and then = + - @ (or tab, CR) */
		size_t q = 0;
		while (q < n && v[q] == '\'')
			q++;
		if (q >= 1 && q < n && v[q] && strchr("=+-@\t\r", v[q])) {
			v++;
			n--;
		}
		memcpy(p, v, n);
		p[n] = '\0';
		int k = c->hdr[i];
		if (k >= 0)
			r->f[k] = p;
		if (k >= 0 && !text_clean_n(p, n))
			import_bad(c, r, k, "is not text: it has a control character or is not UTF-8");
		p += n + 1;
	}
	c->rows_read++;
	if (!c->t->whole && c->nrows >= IMPORT_BATCH)
		batch_run(c);
	progress(c, false);
}

static void on_field(void *s, size_t len, void *data)
{
	struct import_ctx *c = data;
	if (c->ncur == c->capcur) {
		int cap = c->capcur ? c->capcur * 2 : 16;
		if (cap > 256) {
			c->cur_too_many = true;
			return;
		}
		char **cur = realloc(c->cur, (size_t)cap * sizeof *cur);
		size_t *lens = realloc(c->curlen, (size_t)cap * sizeof *lens);
		if (cur)
			c->cur = cur;
		if (lens)
			c->curlen = lens;
		if (!cur || !lens) {
			c->cur_too_many = true;
			return;
		}
		for (int i = c->capcur; i < cap; i++)
			c->cur[i] = NULL;
		c->capcur = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		c->cur_too_many = true;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	c->cur[c->ncur] = copy;
	c->curlen[c->ncur++] = len;
}

static void cur_clear(struct import_ctx *c)
{
	for (int i = 0; i < c->ncur; i++)
		free(c->cur[i]);
	c->ncur = 0;
}

static void on_row(int term, void *data)
{
	(void)term;
	struct import_ctx *c = data;
	if (c->cur_too_many)
		import_problem(c, c->row_start, "too many fields (more than 256)");
	else if (!c->header_done)
		header_row(c);
	else if (!c->header_bad && c->rep->n_problems < IMPORT_MAX_PROBLEMS)
		data_row(c);
	c->cur_too_many = false;
	cur_clear(c);
}

static int no_space(unsigned char ch)
{
	(void)ch;
	return 0;
}

/* Parse a piece of the file, a line at a time so each record knows the
 * line it began on (a line may go on in the next piece). False when the
 * file cannot be read as CSV at all. */
static bool feed(struct import_ctx *c, const char *data, size_t len)
{
	if (!c->bom_done) {
		c->bom_done = true;
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			len -= 3;
			c->bytes_done += 3;
		}
	}
	size_t at = 0;
	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
		if (n > 65536) { /* a long line in pieces, so its length is seen as it grows */
			n = 65536;
			nl = NULL;
		}
		if (c->line_begins) {
			c->line++;
			/* libcsv's state 0 is "no record begun": one that begins
			 * now begins on this line */
			if (c->csv->pstate == 0) {
				c->row_start = c->line;
				c->row_start_byte = c->bytes_done;
			}
			c->line_begins = false;
		}
		if (c->bytes_done + n - c->row_start_byte > IMPORT_MAX_RECORD && c->csv->pstate != 0) {
			import_problem(c, c->row_start, "a record longer than %d bytes: not a register's row (a quote "
				       "never closed?)", IMPORT_MAX_RECORD);
			return false;
		}
		if (csv_parse(c->csv, data + at, n, on_field, on_row, c) != n) {
			if (csv_error(c->csv) == CSV_EPARSE)
				import_problem(c, c->line, "not CSV: a quote in the wrong place (a quoted field "
					"is closed before the next comma; \"\" inside it is one quote)");
			else
				import_problem(c, c->line, "not CSV: %s", csv_strerror(csv_error(c->csv)));
			return false;
		}
		c->line_begins = nl != NULL;
		at += n;
		c->bytes_done += n;
		if (c->err != BR_OK)
			return false;
	}
	return true;
}

/* The end of the file: the last record, and a file with no header. */
static bool feed_end(struct import_ctx *c, bool ok)
{
	if (ok && csv_fini(c->csv, on_field, on_row, c) != 0) {
		import_problem(c, c->row_start, "not CSV: a quoted field is never closed");
		ok = false;
	}
	cur_clear(c);
	if (ok && !c->header_done) {
		import_problem(c, 1, "no header row: the file is empty");
		ok = false;
	}
	return ok;
}

/* ===== the import ================================================================ */

/* Problems in file order (stable: a row's problems keep their column order). */
static void sort_problems(struct import_ctx *c)
{
	struct import_report *r = c->rep;
	if (!c->problem_lines)
		return;
	for (int i = 1; i < r->n_problems; i++) {
		long line = c->problem_lines[i];
		char *text = r->problems[i];
		int j = i;
		for (; j > 0 && c->problem_lines[j - 1] > line; j--) {
			c->problem_lines[j] = c->problem_lines[j - 1];
			r->problems[j] = r->problems[j - 1];
		}
		c->problem_lines[j] = line;
		r->problems[j] = text;
	}
}

void import_report_free(struct import_report *rep)
{
	if (!rep)
		return;
	for (int i = 0; i < rep->n_problems; i++)
		free(rep->problems[i]);
	free(rep->problems);
	memset(rep, 0, sizeof *rep);
}

static enum br_status nothing_written(struct import_ctx *c, char **why)
{
	struct import_report *rep = c->rep;
	rep->added = rep->updated = rep->unchanged = 0;
	return br_fail(why, BR_DATA, "%s: %d problem%s%s; nothing written", c->file, rep->n_problems,
		       rep->n_problems == 1 ? "" : "s", rep->more_problems ? " (and more)" : "");
}

/* The import, from a buffer (data, len) or a stream (f, whose size is len
 * when known): one transaction, the rows checked and written as they are
 * read, committed only when no row has a problem. */
static enum br_status import_run(struct session *s, enum import_what what, const char *file, FILE *f,
				 const char *data, size_t len, const struct import_options *o,
				 struct import_report *rep, char **why)
{
	static const struct import_options none = {0};
	struct import_ctx c = {.s = s, .t = tables[what], .file = file ? file : "-", .rep = rep,
			       .o = o ? o : &none, .err = BR_OK, .bytes_total = len, .line_begins = true};
	while (c.t->cols[c.ncols].name)
		c.ncols++;
	struct csv_parser parser;
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return br_fail(why, BR_NOMEM, "%s: %s", c.file, br_status_text(BR_NOMEM));
	csv_set_space_func(&parser, no_space); /* spaces are data, as RFC 4180 says */
	c.csv = &parser;
	/* checked and written under one write turn, so what was checked is
	 * what is written; the keys the rows must know of the rows before
	 * them go into a temporary table that goes with the transaction */
	bool was = store_long_turn(s->store, true); /* an admin's bulk load */
	enum br_status st = store_begin(s->store, why);
	store_long_turn(s->store, was);
	if (st != BR_OK)
		goto done;
	c.began = true;
	if ((st = store_exec(s->store, "CREATE TEMP TABLE import_seen(map INTEGER NOT NULL, key TEXT NOT NULL, "
				      "val INTEGER NOT NULL, flag INTEGER NOT NULL, PRIMARY KEY (map, key)) WITHOUT ROWID",
			     why)) != BR_OK ||
	    (st = audit_chain_load(s->store, &c.chain, why)) != BR_OK)
		goto done;
	bool parsed;
	if (f) {
		static char piece[1 << 16];
		parsed = true;
		size_t n;
		while (parsed && (n = fread(piece, 1, sizeof piece, f)) > 0)
			parsed = feed(&c, piece, n);
		if (ferror(f)) {
			st = br_fail(why, BR_IO, "%s: reading failed at byte %zu", c.file, c.bytes_done);
			goto done;
		}
	} else {
		parsed = feed(&c, data, len);
	}
	parsed = feed_end(&c, parsed);
	if (parsed)
		batch_run(&c); /* the last batch, or a whole table */
	progress(&c, true);
	rep->rows = c.rows_read;
	if (c.err != BR_OK) {
		st = c.err;
		br_free_str(why);
		if (why)
			*why = c.err_why;
		else
			free(c.err_why);
		c.err_why = NULL;
		goto done;
	}
	if (!parsed || c.header_bad || c.failed) {
		st = nothing_written(&c, why);
		goto done;
	}
	char detail[300];
	snprintf(detail, sizeof detail, "%.200s: %lld added, %lld updated, %lld unchanged", c.file,
		 rep->added, rep->updated, rep->unchanged);
	if ((st = audit_chain_append(s->store, &c.chain, clock_now(), s->user.login, "import",
				     tables[what]->name, "", detail, why)) != BR_OK)
		goto done;
	if (o && o->dry_run)
		goto done; /* rolled back below: exactly what the import would do */
	sqlite3_finalize(c.seen_add);
	sqlite3_finalize(c.seen_get);
	sqlite3_finalize(c.seen_set);
	c.seen_add = c.seen_get = c.seen_set = NULL;
	if ((st = store_exec(s->store, "DROP TABLE temp.import_seen", why)) == BR_OK &&
	    (st = store_commit(s->store, why)) == BR_OK)
		c.began = false;
done:
	sqlite3_finalize(c.seen_add);
	sqlite3_finalize(c.seen_get);
	sqlite3_finalize(c.seen_set);
	if (c.began)
		store_rollback(s->store);
	if (st != BR_OK)
		rep->added = rep->updated = rep->unchanged = 0;
	csv_free(&parser);
	cur_clear(&c);
	free(c.cur);
	free(c.curlen);
	sort_problems(&c);
	free(c.problem_lines);
	free(c.err_why);
	rows_free(&c);
	return st;
}

static enum br_status import_allowed(struct session *s, enum import_what what, char **why)
{
	if ((unsigned)what >= IMPORT_COUNT)
		return br_fail(why, BR_USAGE, "no such import");
	char action[48];
	snprintf(action, sizeof action, "import %s", tables[what]->name);
	return session_require_cap(s, CAP_ADMIN, action, why);
}

enum br_status import_buffer(struct session *s, enum import_what what, const char *file,
			     const char *data, size_t len, const struct import_options *o,
			     struct import_report *rep, char **why)
{
	memset(rep, 0, sizeof *rep);
	enum br_status st = import_allowed(s, what, why);
	return st != BR_OK ? st : import_run(s, what, file, NULL, data, len, o, rep, why);
}

enum br_status import_file(struct session *s, enum import_what what, const char *path,
			   const struct import_options *o, struct import_report *rep, char **why)
{
	memset(rep, 0, sizeof *rep);
	enum br_status st = import_allowed(s, what, why);
	if (st != BR_OK)
		return st;
	/* the caller's file, read with the caller's own rights (privilege.h) */
	if ((st = priv_as_caller(why)) != BR_OK)
		return st;
	FILE *f = fopen(path, "rb");
	int open_err = errno;
	priv_restore();
	if (!f)
		return br_fail(why, BR_NOINPUT, "%s: cannot read: %s", path, strerror(open_err));
	struct stat sb;
	size_t size = fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) ? (size_t)sb.st_size : 0;
	st = import_run(s, what, path, f, NULL, size, o, rep, why);
	fclose(f);
	return st;
}
