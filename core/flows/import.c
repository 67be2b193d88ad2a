/* import.c — CSV files in: parse (libcsv), check every row, then write
 * the whole file in one transaction or nothing. See import.h. */
#include "import.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff_states.h"
#include "capacity.h"
#include "invariants.h"
#include "domain.h"
#include "privilege.h"
#include "session.h"
#include "store_internal.h"
#include "provider.h"
#include "upkeep.h"
#include "util.h"

#define MAX_COLS 16
#define MAX_FILE_BYTES (512L * 1024 * 1024)

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

struct col {
	const char *name;
	bool required;
};

struct table {
	const char *name;
	const char *entity;        /* audit entity */
	const struct col *cols;
	void (*check)(struct import_ctx *c);   /* validate every row, classify */
	enum br_status (*write)(struct import_ctx *c, char **why);
};

/* A small string -> long map (open addressing), for duplicates and names
 * within the file. Owns its keys. */
struct strmap {
	char **keys;
	long *vals;
	size_t cap, n;
};

struct import_ctx {
	struct session *s;
	const struct table *t;
	const char *file;
	int ncols;
	int present[MAX_COLS];     /* 1 when the header names the column */
	int hdr[MAX_COLS * 4];     /* file field -> column index */
	int nhdr;
	struct row *rows;
	size_t nrows, caprows;
	struct import_report *rep;
	const struct import_options *o;
	long *problem_lines;       /* the line of each problem, to sort them */
	bool failed;               /* a problem was found */
	enum br_status err;        /* a database error while checking */
	char *err_why;
	struct audit_chain chain;
	/* parser state */
	char **cur;
	size_t *curlen;
	int ncur, capcur;
	bool cur_too_many;
	bool header_done;
	bool header_bad;           /* the rows cannot be read against it */
	long line, row_start;
	size_t bytes_done, bytes_total;
};

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

static void problem(struct import_ctx *c, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct import_ctx *c, long line, const char *fmt, ...)
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
static void shown(const char *v, char out[72])
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
static void bad(struct import_ctx *c, const struct row *r, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void bad(struct import_ctx *c, const struct row *r, int col, const char *fmt, ...)
{
	char what[400], v[72];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	shown(r->f[col], v);
	problem(c, r->line, "column %s: \"%s\" %s", c->t->cols[col].name, v, what);
}

static void db_error(struct import_ctx *c, enum br_status st, char **why)
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

static void set_field(struct row *r, int col, const char *v)
{
	char *copy = strdup(v);
	if (!copy)
		return; /* keeps the old value; the write then fails its CHECK */
	free(r->own[col]);
	r->own[col] = copy;
	r->f[col] = copy;
}

static const char *V(const struct row *r, int col) { return r->f[col]; }

static bool has(const struct import_ctx *c, int col) { return c->present[col] != 0; }

static void rows_free(struct import_ctx *c)
{
	for (size_t i = 0; i < c->nrows; i++) {
		free(c->rows[i].block);
		for (int k = 0; k < MAX_COLS; k++)
			free(c->rows[i].own[k]);
	}
	free(c->rows);
	c->rows = NULL;
	c->nrows = c->caprows = 0;
}

static void note_change(struct row *r, const char *name)
{
	size_t n = strlen(r->changed);
	if (n + strlen(name) + 2 >= sizeof r->changed)
		return;
	if (n)
		strcat(r->changed, ",");
	strcat(r->changed, name);
}

/* ---- the string map ---------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static bool sm_get(const struct strmap *m, const char *key, long *val)
{
	if (!m->cap)
		return false;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return false;
		if (strcmp(m->keys[i], key) == 0) {
			if (val)
				*val = m->vals[i];
			return true;
		}
	}
}

/* Insert or replace. False when out of memory. */
static bool sm_put(struct strmap *m, const char *key, long val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		char **keys = calloc(cap, sizeof *keys);
		long *vals = calloc(cap, sizeof *vals);
		if (!keys || !vals) {
			free(keys);
			free(vals);
			return false;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			size_t j = hash_str(m->keys[i]) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		if (!(m->keys[i] = strdup(key)))
			return false;
		m->n++;
	}
	m->vals[i] = val;
	return true;
}

static void sm_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* A key seen before in the file: report it with the line it was first on.
 * Records the key otherwise. */
static bool dup_in_file(struct import_ctx *c, struct strmap *m, const char *key,
			const struct row *r, int col)
{
	long first;
	if (sm_get(m, key, &first)) {
		bad(c, r, col, "is already on line %ld", first);
		return true;
	}
	if (!sm_put(m, key, r->line))
		c->failed = true;
	return false;
}

/* ---- value checks ----------------------------------------------------------- */

static bool parse_int(const char *v, long long lo, long long hi, long long *out)
{
	if (!*v || strlen(v) > 18)
		return false;
	const char *p = v;
	if (*p == '-')
		p++;
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return false;
	long long x = strtoll(v, NULL, 10);
	if (x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

static bool check_required(struct import_ctx *c, struct row *r, int col)
{
	if (*V(r, col))
		return true;
	bad(c, r, col, "is empty: %s is required", c->t->cols[col].name);
	return false;
}

static bool check_len(struct import_ctx *c, struct row *r, int col, size_t max)
{
	if (strlen(V(r, col)) <= max)
		return true;
	bad(c, r, col, "is longer than %zu bytes", max);
	return false;
}

static bool check_date(struct import_ctx *c, struct row *r, int col, bool empty_ok)
{
	int64_t d;
	if (empty_ok && !*V(r, col))
		return true;
	if (date_parse(V(r, col), &d, NULL) == BR_OK)
		return true;
	bad(c, r, col, "is not a date (YYYY-MM-DD)");
	return false;
}

static bool check_service(struct import_ctx *c, struct row *r, int col)
{
	if (service_find(V(r, col)) >= 0)
		return true;
	bad(c, r, col, "is not a service (HC, SL, RES, SHL, DAY, RSP, REH, PBS, ISP, EMP)");
	return false;
}

static bool check_need(struct import_ctx *c, struct row *r, int col)
{
	if (need_find(V(r, col)) >= 0)
		return true;
	bad(c, r, col, "is not a needs group (LD, AUT, MH, ABI, PD, DD)");
	return false;
}

static void locality_list(const struct import_ctx *c, char *out, size_t outsz)
{
	out[0] = '\0';
	for (int i = 0; i < c->s->cfg.n_localities; i++) {
		size_t n = strlen(out);
		snprintf(out + n, outsz - n, "%s%s", i ? ", " : "", c->s->cfg.localities[i].code);
	}
}

static bool is_locality(const struct import_ctx *c, const char *v)
{
	return *v && config_locality(&c->s->cfg, v) >= 0;
}

static bool check_locality(struct import_ctx *c, struct row *r, int col)
{
	if (is_locality(c, V(r, col)))
		return true;
	char list[200];
	locality_list(c, list, sizeof list);
	bad(c, r, col, "is not a locality of the config (%s)", list);
	return false;
}

static bool check_flag(struct import_ctx *c, struct row *r, int col)
{
	const char *v = V(r, col);
	if (!*v || ((v[0] == '0' || v[0] == '1') && !v[1]))
		return true;
	bad(c, r, col, "is not 0 or 1");
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A ';'-separated list: each item checked by ok(); sorted and written back
 * so it compares with the database's. False (reported) on a bad item or a
 * repeat. */
static bool check_list(struct import_ctx *c, struct row *r, int col,
		       bool (*ok)(const struct import_ctx *, const char *), const char *what)
{
	const char *v = V(r, col);
	if (!*v)
		return true;
	char *copy = strdup(v);
	if (!copy) {
		c->failed = true;
		return false;
	}
	char *items[64];
	int n = 0;
	bool good = true;
	for (char *save = NULL, *it = strtok_r(copy, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
		if (n == 64) {
			bad(c, r, col, "has more than 64 items");
			good = false;
			break;
		}
		if (!ok(c, it)) {
			char sh[72];
			shown(it, sh);
			bad(c, r, col, "is not a list of %s: \"%s\" is not one", what, sh);
			good = false;
			break;
		}
		items[n++] = it;
	}
	/* empty items (";;", a trailing ';') are refused too */
	if (good && (v[0] == ';' || v[strlen(v) - 1] == ';' || strstr(v, ";;"))) {
		bad(c, r, col, "has an empty item");
		good = false;
	}
	if (good) {
		qsort(items, (size_t)n, sizeof *items, cmp_str);
		for (int i = 1; i < n; i++)
			if (strcmp(items[i], items[i - 1]) == 0) {
				char sh[72];
				shown(items[i], sh);
				bad(c, r, col, "names \"%s\" twice", sh);
				good = false;
				break;
			}
	}
	if (good) {
		char out[1024] = "";
		for (int i = 0; i < n; i++) {
			size_t len = strlen(out);
			snprintf(out + len, sizeof out - len, "%s%s", i ? ";" : "", items[i]);
		}
		set_field(r, col, out);
	}
	free(copy);
	return good;
}

static bool item_need(const struct import_ctx *c, const char *v)
{
	(void)c;
	return need_find(v) >= 0;
}

static bool item_locality(const struct import_ctx *c, const char *v)
{
	return is_locality(c, v);
}

static bool item_registration(const struct import_ctx *c, const char *v)
{
	(void)c;
	const char *slash = strchr(v, '/');
	if (!slash || slash - v > 8)
		return false;
	char svc[9];
	memcpy(svc, v, (size_t)(slash - v));
	svc[slash - v] = '\0';
	return service_find(svc) >= 0 && need_find(slash + 1) >= 0;
}

/* ---- database look-ups ---------------------------------------------------------- */

/* The provider's name, or false when there is no such provider. */
static bool provider_name(struct import_ctx *c, int64_t id, char *name, size_t namesz)
{
	static const char sql[] = "SELECT name FROM provider WHERE id = ?1";
	char *why = NULL;
	sqlite3_stmt *q = store_cached(c->s->store, sql, &why);
	if (!q) {
		db_error(c, BR_INTERNAL, &why);
		return false;
	}
	sqlite3_bind_int64(q, 1, id);
	bool found = sqlite3_step(q) == SQLITE_ROW;
	if (found)
		store_col_text(q, 0, name, namesz);
	store_done(q);
	return found;
}

/* provider_id (required, must exist) and provider (the name, optional: when
 * given it must be that provider's, which catches a shifted id). */
static bool check_provider_ref(struct import_ctx *c, struct row *r, int id_col, int name_col)
{
	long long id;
	if (!check_required(c, r, id_col))
		return false;
	if (!parse_int(V(r, id_col), 1, 2000000000LL, &id)) {
		bad(c, r, id_col, "is not a provider id (a whole number)");
		return false;
	}
	char name[256];
	if (!provider_name(c, id, name, sizeof name)) {
		bad(c, r, id_col, "is not a provider in the database (import providers first)");
		return false;
	}
	if (has(c, name_col) && *V(r, name_col) && strcmp(V(r, name_col), name) != 0) {
		char sh[72];
		shown(name, sh);
		bad(c, r, name_col, "is not the name of provider %lld (\"%s\")", id, sh);
		return false;
	}
	r->other = id;
	return true;
}

/* Text, or NULL for an empty value. */
static void bind_opt(sqlite3_stmt *q, int i, const char *v)
{
	if (!v || !*v)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

static enum br_status step_done(struct import_ctx *c, sqlite3_stmt *q, const char *doing, char **why)
{
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(c->s->store, rc, doing, why);
	return BR_OK;
}

static enum br_status audit_row(struct import_ctx *c, const struct row *r, const char *entity_id,
				char **why)
{
	char detail[400];
	if (r->act == ACT_ADD)
		snprintf(detail, sizeof detail, "added from %.200s line %ld", c->file, r->line);
	else
		snprintf(detail, sizeof detail, "updated from %.150s line %ld: %s", c->file, r->line,
			 r->changed);
	char action[40];
	snprintf(action, sizeof action, "%s.import", c->t->entity);
	return audit_chain_append(c->s->store, &c->chain, clock_now(), c->s->user.login, action,
				  c->t->entity, entity_id, detail, why);
}

static void progress(struct import_ctx *c, const char *stage, size_t i)
{
	if (c->o && c->o->progress && c->nrows >= 2000 && (i % 1000 == 0 || i == c->nrows))
		c->o->progress(c->o->progress_ctx, stage, c->nrows ? (double)i / (double)c->nrows : 1.0);
}

/* Compare a present column with the current value; note it when it differs. */
static void compare(struct import_ctx *c, struct row *r, int col, const char *current)
{
	if (!has(c, col)) {
		set_field(r, col, current);
		return;
	}
	if (strcmp(V(r, col), current) != 0)
		note_change(r, c->t->cols[col].name);
}

/* ===== service users ===================================================== */

enum {
	SU_REF, SU_NHS, SU_FAMILY, SU_GIVEN, SU_DOB, SU_POSTCODE, SU_LOCALITY, SU_PRIMARY,
	SU_OTHER, SU_STATUS, SU_FORENSIC, SU_RESTRICTED, SU_DP, SU_FUNDING, SU_NCOLS
};

static const struct col su_cols[] = {
	{"ref", true}, {"nhs_number", false}, {"family_name", true}, {"given_name", true},
	{"date_of_birth", true}, {"postcode", false}, {"locality", true}, {"primary_need", true},
	{"other_needs", false}, {"status", false}, {"forensic", false}, {"restricted", false},
	{"direct_payment", false}, {"funding", false}, {NULL, false},
};

static void su_defaults(struct import_ctx *c, struct row *r)
{
	static const struct { int col; const char *v; } d[] = {
		{SU_STATUS, "active"}, {SU_FORENSIC, "0"}, {SU_RESTRICTED, "0"}, {SU_DP, "0"},
		{SU_FUNDING, "ASC"},
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (!*V(r, d[i].col))
			set_field(r, d[i].col, d[i].v);
	(void)c;
}

/* The person_input columns: the register's rules (records/upkeep.c's
 * person_field_check) are asked of them, so an imported person meets
 * exactly what person add and the Person form ask. */
static const int su_field_col[PERSON_FIELDS] = {
	[PERSON_NHS] = SU_NHS, [PERSON_FAMILY] = SU_FAMILY, [PERSON_GIVEN] = SU_GIVEN,
	[PERSON_DOB] = SU_DOB, [PERSON_POSTCODE] = SU_POSTCODE, [PERSON_LOCALITY] = SU_LOCALITY,
	[PERSON_NEED] = SU_PRIMARY, [PERSON_OTHER_NEEDS] = SU_OTHER, [PERSON_FORENSIC] = SU_FORENSIC,
	[PERSON_FUNDING] = SU_FUNDING,
};

/* One row's own values. False when any is bad. */
static bool su_check_values(struct import_ctx *c, struct row *r)
{
	bool ok = true;
	if (check_required(c, r, SU_REF) && !check_len(c, r, SU_REF, 16))
		ok = false;
	else if (!*V(r, SU_REF))
		ok = false;
	/* the CSV's own shape: present, short enough for the input, 0 or 1 */
	struct person_input in = {0};
	const size_t room[PERSON_FIELDS] = {
		[PERSON_NHS] = sizeof in.nhs, [PERSON_FAMILY] = sizeof in.family,
		[PERSON_GIVEN] = sizeof in.given, [PERSON_DOB] = sizeof in.dob,
		[PERSON_POSTCODE] = sizeof in.postcode, [PERSON_LOCALITY] = sizeof in.locality,
		[PERSON_NEED] = sizeof in.need, [PERSON_OTHER_NEEDS] = sizeof in.other_needs,
		[PERSON_FORENSIC] = 2, [PERSON_FUNDING] = sizeof in.funding,
	};
	bool shaped[PERSON_FIELDS];
	for (int f = 0; f < PERSON_FIELDS; f++) {
		int col = su_field_col[f];
		shaped[f] = (!c->t->cols[col].required || check_required(c, r, col)) &&
			    check_len(c, r, col, room[f] - 1);
	}
	shaped[PERSON_FORENSIC] = shaped[PERSON_FORENSIC] && check_flag(c, r, SU_FORENSIC);
	shaped[PERSON_OTHER_NEEDS] = shaped[PERSON_OTHER_NEEDS] &&
				     check_list(c, r, SU_OTHER, item_need, "needs groups (LD, AUT, MH, ABI, PD, DD)");
	text_copy(in.nhs, sizeof in.nhs, V(r, SU_NHS));
	text_copy(in.family, sizeof in.family, V(r, SU_FAMILY));
	text_copy(in.given, sizeof in.given, V(r, SU_GIVEN));
	text_copy(in.dob, sizeof in.dob, V(r, SU_DOB));
	text_copy(in.postcode, sizeof in.postcode, V(r, SU_POSTCODE));
	text_copy(in.locality, sizeof in.locality, V(r, SU_LOCALITY));
	text_copy(in.need, sizeof in.need, V(r, SU_PRIMARY));
	text_copy(in.other_needs, sizeof in.other_needs, V(r, SU_OTHER));
	text_copy(in.funding, sizeof in.funding, V(r, SU_FUNDING));
	in.forensic = strcmp(V(r, SU_FORENSIC), "1") == 0;
	/* the register's rules; one across fields waits for the field it needs */
	for (int f = 0; f < PERSON_FIELDS; f++) {
		if (!shaped[f]) {
			ok = false;
			continue;
		}
		if ((f == PERSON_FORENSIC || f == PERSON_OTHER_NEEDS) && !shaped[PERSON_NEED])
			continue;
		char buf[200];
		const char *wrong = person_field_check(&c->s->cfg, &in, (enum person_field)f, true, buf, sizeof buf);
		if (wrong) {
			bad(c, r, su_field_col[f], "%s", wrong);
			ok = false;
			if (f == PERSON_NEED)
				shaped[PERSON_NEED] = false;
		}
	}
	char ten[11];
	if (shaped[PERSON_NHS] && *V(r, SU_NHS) && nhs_normalise(V(r, SU_NHS), ten, NULL) == BR_OK)
		set_field(r, SU_NHS, ten);
	if (*V(r, SU_STATUS) && !su_status_valid(V(r, SU_STATUS))) {
		bad(c, r, SU_STATUS, "is not a status (active, closed, deceased)");
		ok = false;
	}
	for (int col = SU_RESTRICTED; col <= SU_DP; col++)
		if (!check_flag(c, r, col))
			ok = false;
	return ok;
}

static void su_check(struct import_ctx *c)
{
	static const char by_ref[] =
		"SELECT su.id, coalesce(su.nhs_number,''), su.family_name, su.given_name, "
		"su.date_of_birth, su.postcode, su.locality, su.primary_need, "
		"coalesce((SELECT group_concat(need, ';') FROM (SELECT need FROM service_user_need "
		"  WHERE user_id = su.id ORDER BY need)), ''), su.status, su.forensic, su.restricted, "
		"su.direct_payment, su.funding, "
		"EXISTS (SELECT 1 FROM package_request pr WHERE pr.user_id = su.id AND pr.status = 'open') "
		"OR EXISTS (SELECT 1 FROM calloff co JOIN package_request pr ON pr.id = co.request_id "
		"  WHERE pr.user_id = su.id AND " CALLOFF_SQL_LIVE("co.status") ") "
		"FROM service_user su WHERE su.ref = ?1";
	static const char by_nhs[] = "SELECT ref FROM service_user WHERE nhs_number = ?1";
	static const char by_name[] =
		"SELECT ref, coalesce(nhs_number,'') FROM service_user "
		"WHERE family_fold = ?1 AND given_fold = ?2 AND date_of_birth = ?3 AND ref <> ?4";
	struct strmap refs = {0}, nhs = {0}, names = {0};
	char *why = NULL;
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		progress(c, "checking", i);
		if (!su_check_values(c, r))
			continue;
		if (dup_in_file(c, &refs, V(r, SU_REF), r, SU_REF))
			continue;
		if (*V(r, SU_NHS) && dup_in_file(c, &nhs, V(r, SU_NHS), r, SU_NHS))
			continue;
		char ff[128], gf[128], key[300];
		text_fold(V(r, SU_FAMILY), ff, sizeof ff);
		text_fold(V(r, SU_GIVEN), gf, sizeof gf);
		snprintf(key, sizeof key, "%s|%s|%s", ff, gf, V(r, SU_DOB));
		long first;
		if (sm_get(&names, key, &first)) {
			/* the same name and birthday: the same person, unless both
			 * carry (different) NHS numbers */
			const struct row *o = NULL;
			for (size_t k = 0; k < i; k++)
				if (c->rows[k].line == first)
					o = &c->rows[k];
			if (!o || !*V(r, SU_NHS) || !*V(o, SU_NHS)) {
				bad(c, r, SU_FAMILY, "is not a new person: the same name and date of birth "
				    "as line %ld", first);
				continue;
			}
		} else if (!sm_put(&names, key, r->line)) {
			c->failed = true;
		}
		/* against the database */
		sqlite3_stmt *q;
		if (*V(r, SU_NHS)) {
			if (!(q = store_cached(c->s->store, by_nhs, &why)))
				break;
			sqlite3_bind_text(q, 1, V(r, SU_NHS), -1, SQLITE_TRANSIENT);
			if (sqlite3_step(q) == SQLITE_ROW) {
				const char *other = (const char *)sqlite3_column_text(q, 0);
				if (other && strcmp(other, V(r, SU_REF)) != 0)
					bad(c, r, SU_NHS, "is not free: it is %s's NHS number", other);
			}
			store_done(q);
		}
		if (!(q = store_cached(c->s->store, by_name, &why)))
			break;
		sqlite3_bind_text(q, 1, ff, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, gf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 3, V(r, SU_DOB), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 4, V(r, SU_REF), -1, SQLITE_TRANSIENT);
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *other = (const char *)sqlite3_column_text(q, 0);
			const char *other_nhs = (const char *)sqlite3_column_text(q, 1);
			if (!*V(r, SU_NHS) || !other_nhs || !*other_nhs) {
				bad(c, r, SU_FAMILY, "is not a new person: %s has the same name and date of birth",
				    other ? other : "?");
				break;
			}
		}
		store_done(q);
		if (!(q = store_cached(c->s->store, by_ref, &why)))
			break;
		sqlite3_bind_text(q, 1, V(r, SU_REF), -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			store_done(q);
			r->act = ACT_ADD;
			su_defaults(c, r);
			continue;
		}
		r->id = sqlite3_column_int64(q, 0);
		bool busy = sqlite3_column_int(q, 14) != 0;
		char cur[256];
		for (int col = SU_NHS; col < SU_NCOLS; col++) {
			int k = col; /* the query's columns follow the table's, id first */
			if (col >= SU_FORENSIC && col <= SU_DP)
				snprintf(cur, sizeof cur, "%d", sqlite3_column_int(q, k));
			else
				store_col_text(q, k, cur, sizeof cur);
			if (col == SU_STATUS && has(c, col) && *V(r, col) && strcmp(V(r, col), cur) != 0 && busy) {
				bad(c, r, col, "is not allowed here: %s has open requests or live call-offs; "
				    "settle them first", V(r, SU_REF));
			}
			if (has(c, col) && !*V(r, col) && (col >= SU_STATUS && col != SU_OTHER))
				set_field(r, col, cur); /* empty flag or enum keeps the current value */
			compare(c, r, col, cur);
		}
		store_done(q);
		r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
	}
	if (why)
		db_error(c, BR_INTERNAL, &why);
	progress(c, "checking", c->nrows);
	sm_free(&refs);
	sm_free(&nhs);
	sm_free(&names);
}

static enum br_status su_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO service_user(ref, nhs_number, family_name, given_name, family_fold, "
		"given_fold, date_of_birth, postcode, postcode_key, locality, primary_need, forensic, "
		"restricted, direct_payment, funding, status, created_at) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)";
	static const char upd[] =
		"UPDATE service_user SET ref = ?1, nhs_number = ?2, family_name = ?3, given_name = ?4, "
		"family_fold = ?5, given_fold = ?6, date_of_birth = ?7, postcode = ?8, postcode_key = ?9, "
		"locality = ?10, primary_need = ?11, forensic = ?12, restricted = ?13, "
		"direct_payment = ?14, funding = ?15, status = ?16 WHERE id = ?18";
	static const char del_needs[] = "DELETE FROM service_user_need WHERE user_id = ?1";
	static const char ins_need[] = "INSERT INTO service_user_need VALUES (?1, ?2)";
	char now[21];
	clock_stamp(clock_now(), now);
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		progress(c, "writing", i);
		if (r->act == ACT_SAME)
			continue;
		char ff[128], gf[128], pk[16];
		text_fold(V(r, SU_FAMILY), ff, sizeof ff);
		text_fold(V(r, SU_GIVEN), gf, sizeof gf);
		postcode_key(V(r, SU_POSTCODE), pk, sizeof pk);
		sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_text(q, 1, V(r, SU_REF), -1, SQLITE_STATIC);
		bind_opt(q, 2, V(r, SU_NHS));
		sqlite3_bind_text(q, 3, V(r, SU_FAMILY), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, V(r, SU_GIVEN), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, ff, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 6, gf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 7, V(r, SU_DOB), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, V(r, SU_POSTCODE), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 9, pk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 10, V(r, SU_LOCALITY), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 11, V(r, SU_PRIMARY), -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 12, atoi(V(r, SU_FORENSIC)));
		sqlite3_bind_int(q, 13, atoi(V(r, SU_RESTRICTED)));
		sqlite3_bind_int(q, 14, atoi(V(r, SU_DP)));
		sqlite3_bind_text(q, 15, V(r, SU_FUNDING), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 16, V(r, SU_STATUS), -1, SQLITE_STATIC);
		if (r->act == ACT_ADD)
			sqlite3_bind_text(q, 17, now, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(q, 18, r->id);
		enum br_status st = step_done(c, q, "importing a person", why);
		if (st != BR_OK)
			return st;
		if (r->act == ACT_ADD)
			r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
		if (r->act == ACT_UPDATE || *V(r, SU_OTHER)) {
			if (r->act == ACT_UPDATE) {
				if (!(q = store_cached(c->s->store, del_needs, why)))
					return BR_INTERNAL;
				sqlite3_bind_int64(q, 1, r->id);
				if ((st = step_done(c, q, "importing a person's needs", why)) != BR_OK)
					return st;
			}
			char list[1100];
			snprintf(list, sizeof list, "%s", V(r, SU_OTHER));
			for (char *save = NULL, *it = strtok_r(list, ";", &save); it;
			     it = strtok_r(NULL, ";", &save)) {
				if (!(q = store_cached(c->s->store, ins_need, why)))
					return BR_INTERNAL;
				sqlite3_bind_int64(q, 1, r->id);
				sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
				if ((st = step_done(c, q, "importing a person's needs", why)) != BR_OK)
					return st;
			}
		}
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		if ((st = audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	progress(c, "writing", c->nrows);
	return BR_OK;
}

/* ===== providers =========================================================== */

enum {
	PR_ID, PR_NAME, PR_CQC, PR_RATING, PR_STATUS, PR_CONSORTIUM, PR_SUSP_REASON, PR_SUSP_ON,
	PR_PHONE, PR_REGS, PR_LOCALITIES, PR_AWARDS, PR_MEMBERS, PR_LEFT_ON, PR_NCOLS
};

static const struct col provider_cols[] = {
	{"id", false}, {"name", true}, {"cqc_location_id", false}, {"cqc_rating", false},
	{"status", false}, {"consortium", false}, {"suspended_reason", false},
	{"suspended_on", false}, {"phone", false}, {"registrations", false}, {"localities", false},
	{"awards", false}, {"members", false}, {"left_on", false}, {NULL, false},
};

static bool pr_check_values(struct import_ctx *c, struct row *r)
{
	bool ok = true;
	long long id;
	if (*V(r, PR_ID)) {
		if (!parse_int(V(r, PR_ID), 1, 2000000000LL, &id)) {
			bad(c, r, PR_ID, "is not an id (a whole number from 1)");
			ok = false;
		} else {
			r->id = id;
		}
	}
	/* the provider_input columns: the register's rules (records/provider.c's
	 * provider_field_check), as provider add and the Provider form ask */
	static const struct { enum provider_field f; int col; size_t room; } fields[] = {
		{PROVIDER_NAME, PR_NAME, sizeof ((struct provider_input *)0)->name},
		{PROVIDER_CQC, PR_CQC, sizeof ((struct provider_input *)0)->cqc},
		{PROVIDER_RATING, PR_RATING, sizeof ((struct provider_input *)0)->rating},
		{PROVIDER_PHONE, PR_PHONE, sizeof ((struct provider_input *)0)->phone},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		int col = fields[i].col;
		if ((c->t->cols[col].required && !check_required(c, r, col)) ||
		    !check_len(c, r, col, fields[i].room - 1)) {
			ok = false;
			continue;
		}
		struct provider_input one = {0};
		char *to = fields[i].f == PROVIDER_NAME ? one.name : fields[i].f == PROVIDER_CQC ? one.cqc
							      : fields[i].f == PROVIDER_RATING ? one.rating : one.phone;
		text_copy(to, fields[i].room, V(r, col));
		char buf[200];
		const char *wrong = provider_field_check(&c->s->cfg, &one, fields[i].f, buf, sizeof buf);
		if (wrong) {
			bad(c, r, col, "%s", wrong);
			ok = false;
		}
	}
	if (*V(r, PR_RATING) && rating_find(V(r, PR_RATING)) >= 0)
		set_field(r, PR_RATING, rating_text(rating_find(V(r, PR_RATING))));
	const char *status = V(r, PR_STATUS);
	if (*status && !provider_status_valid(status)) {
		bad(c, r, PR_STATUS, "is not a status (active, suspended, left)");
		ok = false;
	}
	bool suspended = strcmp(status, "suspended") == 0, left = strcmp(status, "left") == 0;
	if (suspended) {
		if (!*V(r, PR_SUSP_REASON)) {
			bad(c, r, PR_SUSP_REASON, "is empty: a suspended provider needs the reason");
			ok = false;
		}
		if (!*V(r, PR_SUSP_ON)) {
			bad(c, r, PR_SUSP_ON, "is not a date: a suspended provider needs the date");
			ok = false;
		}
	} else {
		if (*V(r, PR_SUSP_REASON)) {
			bad(c, r, PR_SUSP_REASON, "is not allowed: the provider is not suspended");
			ok = false;
		}
		if (*V(r, PR_SUSP_ON)) {
			bad(c, r, PR_SUSP_ON, "is not allowed: the provider is not suspended");
			ok = false;
		}
	}
	if (!check_len(c, r, PR_SUSP_REASON, 500) || !check_date(c, r, PR_SUSP_ON, true))
		ok = false;
	if (left && !*V(r, PR_LEFT_ON)) {
		bad(c, r, PR_LEFT_ON, "is not a date: a provider that left the framework needs the date");
		ok = false;
	} else if (!left && *V(r, PR_LEFT_ON)) {
		bad(c, r, PR_LEFT_ON, "is not allowed: the provider has not left the framework");
		ok = false;
	} else if (!check_date(c, r, PR_LEFT_ON, true)) {
		ok = false;
	}
	if (!check_len(c, r, PR_CONSORTIUM, 120))
		ok = false;
	if (!check_list(c, r, PR_REGS, item_registration, "registrations (SERVICE/NEED, as HC/LD)"))
		ok = false;
	if (!check_list(c, r, PR_LOCALITIES, item_locality, "localities of the config"))
		ok = false;
	return ok;
}

/* The one provider with this exact name: its id, 0 for none, -1 for many. */
static int64_t provider_by_name(struct import_ctx *c, const char *name)
{
	static const char sql[] = "SELECT id FROM provider WHERE name = ?1 LIMIT 2";
	char *why = NULL;
	sqlite3_stmt *q = store_cached(c->s->store, sql, &why);
	if (!q) {
		db_error(c, BR_INTERNAL, &why);
		return 0;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	int64_t id = 0;
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		n++;
	}
	store_done(q);
	return n > 1 ? -1 : id;
}

static int64_t provider_by_cqc(struct import_ctx *c, const char *cqc)
{
	static const char sql[] = "SELECT id FROM provider WHERE cqc_location_id = ?1";
	char *why = NULL;
	sqlite3_stmt *q = store_cached(c->s->store, sql, &why);
	if (!q) {
		db_error(c, BR_INTERNAL, &why);
		return 0;
	}
	sqlite3_bind_text(q, 1, cqc, -1, SQLITE_TRANSIENT);
	int64_t id = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	return id;
}

static void pr_check(struct import_ctx *c)
{
	static const char cur_sql[] =
		"SELECT p.name, coalesce(p.cqc_location_id,''), p.cqc_rating, p.status, "
		"coalesce((SELECT x.name FROM provider x WHERE x.id = p.consortium_id), ''), "
		"coalesce(p.suspended_reason,''), coalesce(p.suspended_on,''), coalesce(p.phone,''), "
		"coalesce((SELECT group_concat(x, ';') FROM (SELECT r.service || '/' || r.need AS x "
		"  FROM registration r WHERE r.provider_id = p.id ORDER BY x)), ''), "
		"coalesce((SELECT group_concat(x, ';') FROM (SELECT c.locality AS x FROM coverage c "
		"  WHERE c.provider_id = p.id ORDER BY x)), ''), coalesce(p.left_on,'') "
		"FROM provider p WHERE p.id = ?1";
	static const int cur_col[PR_NCOLS] = {
		[PR_NAME] = 0, [PR_CQC] = 1, [PR_RATING] = 2, [PR_STATUS] = 3, [PR_CONSORTIUM] = 4,
		[PR_SUSP_REASON] = 5, [PR_SUSP_ON] = 6, [PR_PHONE] = 7, [PR_REGS] = 8,
		[PR_LOCALITIES] = 9, [PR_LEFT_ON] = 10,
	};
	struct strmap ids = {0}, cqcs = {0}, names = {0};
	char *why = NULL;
	/* names first: a consortium may be named before its own row */
	for (size_t i = 0; i < c->nrows; i++) {
		const char *n = V(&c->rows[i], PR_NAME);
		if (!*n)
			continue;
		long seen;
		sm_put(&names, n, sm_get(&names, n, &seen) ? -1 : (long)i);
	}
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		r->consortium_row = -1;
		progress(c, "checking", i);
		if (!pr_check_values(c, r))
			continue;
		char key[32];
		if (*V(r, PR_ID)) {
			snprintf(key, sizeof key, "%lld", (long long)r->id);
			if (dup_in_file(c, &ids, key, r, PR_ID))
				continue;
		}
		if (*V(r, PR_CQC) && dup_in_file(c, &cqcs, V(r, PR_CQC), r, PR_CQC))
			continue;
		/* which provider is this? CQC location id, then id, then a name
		 * nobody else has */
		int64_t existing = 0;
		if (*V(r, PR_CQC) && (existing = provider_by_cqc(c, V(r, PR_CQC))) != 0) {
			if (r->id && r->id != existing) {
				bad(c, r, PR_ID, "is not the id of CQC location %s: that is provider %lld",
				    V(r, PR_CQC), (long long)existing);
				continue;
			}
		} else if (r->id) {
			char name[8];
			if (provider_name(c, r->id, name, sizeof name))
				existing = r->id;
		} else if (!*V(r, PR_CQC)) {
			int64_t by_name = provider_by_name(c, V(r, PR_NAME));
			if (by_name > 0)
				existing = by_name;
		}
		/* the consortium parent: in this file, or in the database */
		const char *parent = V(r, PR_CONSORTIUM);
		if (*parent) {
			long k;
			if (sm_get(&names, parent, &k)) {
				if (k < 0) {
					bad(c, r, PR_CONSORTIUM, "is not one provider: the file has two of that name");
					continue;
				}
				if ((size_t)k == i) {
					bad(c, r, PR_CONSORTIUM, "is not another provider: a provider cannot be its own consortium");
					continue;
				}
				r->consortium_row = (int)k;
			} else {
				int64_t p = provider_by_name(c, parent);
				if (p <= 0) {
					bad(c, r, PR_CONSORTIUM, "is not %s",
					    p < 0 ? "one provider: the database has two of that name"
						  : "a provider in this file or the database");
					continue;
				}
				if (p == existing) {
					bad(c, r, PR_CONSORTIUM, "is not another provider: a provider cannot be its own consortium");
					continue;
				}
				r->other = p;
			}
		}
		if (!existing) {
			r->act = ACT_ADD;
			if (!*V(r, PR_RATING))
				set_field(r, PR_RATING, "Not yet rated");
			if (!*V(r, PR_STATUS))
				set_field(r, PR_STATUS, "active");
			continue;
		}
		r->id = existing;
		sqlite3_stmt *q = store_cached(c->s->store, cur_sql, &why);
		if (!q)
			break;
		sqlite3_bind_int64(q, 1, existing);
		if (sqlite3_step(q) != SQLITE_ROW) {
			store_done(q);
			continue;
		}
		char cur[1024];
		for (int col = PR_NAME; col < PR_NCOLS; col++) {
			if (col == PR_AWARDS || col == PR_MEMBERS)
				continue;
			store_col_text(q, cur_col[col], cur, sizeof cur);
			if (col == PR_STATUS) {
				if (has(c, col) && !*V(r, col))
					set_field(r, col, cur);
				if (has(c, col) && strcmp(V(r, col), cur) != 0) {
					bad(c, r, col, "is not allowed: provider %lld is %s; use brokerage provider "
					    "suspend, reinstate or leave to change its status", (long long)existing, cur);
					break;
				}
			}
			if (col == PR_RATING && has(c, col) && !*V(r, col))
				set_field(r, col, cur);
			compare(c, r, col, cur);
		}
		store_done(q);
		r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
	}
	if (why)
		db_error(c, BR_INTERNAL, &why);
	/* a consortium parent found in the file: it must itself be valid, and
	 * may not be the member's own record under another row */
	progress(c, "checking", c->nrows);
	sm_free(&ids);
	sm_free(&cqcs);
	sm_free(&names);
}

static enum br_status pr_set_list(struct import_ctx *c, int64_t id, const char *list, bool regs,
				  char **why)
{
	static const char del_reg[] = "DELETE FROM registration WHERE provider_id = ?1";
	static const char del_cov[] = "DELETE FROM coverage WHERE provider_id = ?1";
	static const char ins_reg[] = "INSERT INTO registration VALUES (?1, ?2, ?3)";
	static const char ins_cov[] = "INSERT INTO coverage VALUES (?1, ?2)";
	sqlite3_stmt *q = store_cached(c->s->store, regs ? del_reg : del_cov, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	enum br_status st = step_done(c, q, "importing a provider", why);
	if (st != BR_OK)
		return st;
	char copy[1100];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *it = strtok_r(copy, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
		if (!(q = store_cached(c->s->store, regs ? ins_reg : ins_cov, why)))
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, id);
		if (regs) {
			char *slash = strchr(it, '/');
			*slash = '\0';
			sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(q, 3, slash + 1, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
		}
		if ((st = step_done(c, q, "importing a provider", why)) != BR_OK)
			return st;
	}
	return BR_OK;
}

static enum br_status pr_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO provider(id, name, name_fold, cqc_location_id, cqc_rating, status, "
		"suspended_reason, suspended_on, left_on, phone) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
	static const char upd[] =
		"UPDATE provider SET name = ?2, name_fold = ?3, cqc_location_id = ?4, cqc_rating = ?5, "
		"status = ?6, suspended_reason = ?7, suspended_on = ?8, left_on = ?9, phone = ?10 "
		"WHERE id = ?1";
	static const char set_parent[] = "UPDATE provider SET consortium_id = ?2 WHERE id = ?1";
	static const char mark_parent[] = "UPDATE provider SET is_consortium = 1 WHERE id = ?1";
	enum br_status st;
	/* rows with their own id first, so a new id never takes one the file gives */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->nrows; i++) {
			struct row *r = &c->rows[i];
			if ((pass == 0) != (r->id != 0) || r->act == ACT_SAME)
				continue;
			progress(c, "writing", i);
			char fold[256];
			text_fold(V(r, PR_NAME), fold, sizeof fold);
			sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
			if (!q)
				return BR_INTERNAL;
			if (r->id)
				sqlite3_bind_int64(q, 1, r->id);
			sqlite3_bind_text(q, 2, V(r, PR_NAME), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, fold, -1, SQLITE_TRANSIENT);
			bind_opt(q, 4, V(r, PR_CQC));
			sqlite3_bind_text(q, 5, V(r, PR_RATING), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 6, V(r, PR_STATUS), -1, SQLITE_STATIC);
			bind_opt(q, 7, V(r, PR_SUSP_REASON));
			bind_opt(q, 8, V(r, PR_SUSP_ON));
			bind_opt(q, 9, V(r, PR_LEFT_ON));
			bind_opt(q, 10, V(r, PR_PHONE));
			if ((st = step_done(c, q, "importing a provider", why)) != BR_OK)
				return st;
			if (!r->id)
				r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
			if ((r->act == ACT_ADD || has(c, PR_REGS)) &&
			    (st = pr_set_list(c, r->id, V(r, PR_REGS), true, why)) != BR_OK)
				return st;
			if ((r->act == ACT_ADD || has(c, PR_LOCALITIES)) &&
			    (st = pr_set_list(c, r->id, V(r, PR_LOCALITIES), false, why)) != BR_OK)
				return st;
		}
	}
	/* then the consortium links, now that every id is known */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME || (!has(c, PR_CONSORTIUM) && r->act != ACT_ADD))
			continue;
		int64_t parent = r->consortium_row >= 0 ? c->rows[r->consortium_row].id : r->other;
		if (!*V(r, PR_CONSORTIUM))
			parent = 0;
		if (parent == r->id)
			return br_fail(why, BR_DATA, "%s:%ld: column consortium: a provider cannot be its own consortium",
				       c->file, r->line);
		sqlite3_stmt *q = store_cached(c->s->store, set_parent, why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, r->id);
		if (parent)
			sqlite3_bind_int64(q, 2, parent);
		else
			sqlite3_bind_null(q, 2);
		if ((st = step_done(c, q, "importing a provider", why)) != BR_OK)
			return st;
		if (parent) {
			if (!(q = store_cached(c->s->store, mark_parent, why)))
				return BR_INTERNAL;
			sqlite3_bind_int64(q, 1, parent);
			if ((st = step_done(c, q, "importing a provider", why)) != BR_OK)
				return st;
		}
	}
	/* the register's rule, asked of each row as written (the file's rows
	 * beside each other and the database's): names unique once folded */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		char fold[256], line[400];
		int64_t other;
		text_fold(V(r, PR_NAME), fold, sizeof fold);
		if ((st = invariants_provider(c->s->store, r->id, r->act == ACT_ADD ? "the new provider" : NULL, fold, V(r, PR_CQC), &other, line, sizeof line,
					      why)) != BR_OK)
			return st;
		if (other)
			bad(c, r, PR_NAME, "is refused: %s", line);
	}
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		if ((st = audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	progress(c, "writing", c->nrows);
	return BR_OK;
}

/* ===== awards ================================================================ */

enum { AW_ID, AW_SERVICE, AW_LOCALITY, AW_PROVIDER_ID, AW_PROVIDER, AW_TIER, AW_FROM, AW_TO, AW_NCOLS };

static const struct col award_cols[] = {
	{"id", false}, {"service", true}, {"locality", false}, {"provider_id", true},
	{"provider", false}, {"tier", true}, {"valid_from", true}, {"valid_to", false}, {NULL, false},
};

static void aw_check(struct import_ctx *c)
{
	static const char by_id[] =
		"SELECT service, coalesce(locality,''), provider_id, tier, valid_from, "
		"coalesce(valid_to,'') FROM award WHERE id = ?1";
	static const char by_key[] =
		"SELECT id, coalesce(valid_to,'') FROM award WHERE service = ?1 AND locality IS ?2 "
		"AND provider_id = ?3 AND tier = ?4 AND valid_from = ?5";
	struct strmap ids = {0}, keys = {0};
	char *why = NULL;
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		progress(c, "checking", i);
		bool ok = true;
		long long id = 0;
		if (*V(r, AW_ID) && !parse_int(V(r, AW_ID), 1, 2000000000LL, &id)) {
			bad(c, r, AW_ID, "is not an id (a whole number from 1)");
			ok = false;
		}
		if (!check_required(c, r, AW_SERVICE) || !check_service(c, r, AW_SERVICE))
			ok = false;
		bool tier_ok = true;
		if (!check_required(c, r, AW_TIER) || !tier_valid(V(r, AW_TIER))) {
			if (*V(r, AW_TIER))
				bad(c, r, AW_TIER, "is not a tier (primary, secondary, peripheral)");
			ok = tier_ok = false;
		}
		bool peripheral = strcmp(V(r, AW_TIER), "peripheral") == 0;
		if (tier_ok && peripheral && *V(r, AW_LOCALITY)) {
			bad(c, r, AW_LOCALITY, "is not allowed: a peripheral award covers the whole borough "
			    "(leave locality empty)");
			ok = false;
		} else if (tier_ok && !peripheral && !check_locality(c, r, AW_LOCALITY)) {
			ok = false;
		}
		if (!check_provider_ref(c, r, AW_PROVIDER_ID, AW_PROVIDER))
			ok = false;
		if (!check_required(c, r, AW_FROM) || !check_date(c, r, AW_FROM, false) ||
		    !check_date(c, r, AW_TO, true)) {
			ok = false;
		} else if (*V(r, AW_TO) && strcmp(V(r, AW_TO), V(r, AW_FROM)) < 0) {
			bad(c, r, AW_TO, "is not on or after valid_from %s", V(r, AW_FROM));
			ok = false;
		}
		if (!ok)
			continue;
		char key[200];
		if (id) {
			snprintf(key, sizeof key, "%lld", id);
			if (dup_in_file(c, &ids, key, r, AW_ID))
				continue;
		}
		snprintf(key, sizeof key, "%s|%s|%lld|%s|%s", V(r, AW_SERVICE), V(r, AW_LOCALITY),
			 (long long)r->other, V(r, AW_TIER), V(r, AW_FROM));
		long first;
		if (sm_get(&keys, key, &first)) {
			bad(c, r, AW_FROM, "is not a new award: line %ld has the same service, locality, "
			    "provider, tier and valid_from", first);
			continue;
		}
		sm_put(&keys, key, r->line);
		sqlite3_stmt *q = store_cached(c->s->store, by_key, &why);
		if (!q)
			break;
		sqlite3_bind_text(q, 1, V(r, AW_SERVICE), -1, SQLITE_STATIC);
		bind_opt(q, 2, V(r, AW_LOCALITY));
		sqlite3_bind_int64(q, 3, r->other);
		sqlite3_bind_text(q, 4, V(r, AW_TIER), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, V(r, AW_FROM), -1, SQLITE_STATIC);
		int64_t key_id = 0;
		char cur_to[16] = "";
		if (sqlite3_step(q) == SQLITE_ROW) {
			key_id = sqlite3_column_int64(q, 0);
			store_col_text(q, 1, cur_to, sizeof cur_to);
		}
		store_done(q);
		if (id && key_id && id != key_id) {
			bad(c, r, AW_ID, "is not the id of this award: it is award %lld", (long long)key_id);
			continue;
		}
		if (key_id) {
			r->id = key_id;
			compare(c, r, AW_TO, cur_to);
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
			continue;
		}
		r->id = id;
		r->act = ACT_ADD;
		if (!id)
			continue;
		/* an id the file gives that the database holds for another award:
		 * the award is changed to what the file says */
		if (!(q = store_cached(c->s->store, by_id, &why)))
			break;
		sqlite3_bind_int64(q, 1, id);
		if (sqlite3_step(q) == SQLITE_ROW) {
			static const int cols[] = {AW_SERVICE, AW_LOCALITY, AW_PROVIDER_ID, AW_TIER, AW_FROM, AW_TO};
			char cur[64];
			for (int k = 0; k < 6; k++) {
				store_col_text(q, k, cur, sizeof cur);
				compare(c, r, cols[k], cur);
			}
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
		}
		store_done(q);
	}
	if (why)
		db_error(c, BR_INTERNAL, &why);
	progress(c, "checking", c->nrows);
	sm_free(&ids);
	sm_free(&keys);
}

static enum br_status aw_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO award(id, service, locality, provider_id, tier, valid_from, valid_to) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7)";
	static const char upd[] =
		"UPDATE award SET service = ?2, locality = ?3, provider_id = ?4, tier = ?5, "
		"valid_from = ?6, valid_to = ?7 WHERE id = ?1";
	enum br_status st;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->nrows; i++) {
			struct row *r = &c->rows[i];
			if ((pass == 0) != (r->id != 0) || r->act == ACT_SAME)
				continue;
			progress(c, "writing", i);
			sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
			if (!q)
				return BR_INTERNAL;
			if (r->id)
				sqlite3_bind_int64(q, 1, r->id);
			sqlite3_bind_text(q, 2, V(r, AW_SERVICE), -1, SQLITE_STATIC);
			bind_opt(q, 3, V(r, AW_LOCALITY));
			sqlite3_bind_int64(q, 4, r->other);
			sqlite3_bind_text(q, 5, V(r, AW_TIER), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 6, V(r, AW_FROM), -1, SQLITE_STATIC);
			bind_opt(q, 7, V(r, AW_TO));
			if ((st = step_done(c, q, "importing an award", why)) != BR_OK)
				return st;
			if (!r->id)
				r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)r->id);
			if ((st = audit_row(c, r, id, why)) != BR_OK)
				return st;
		}
	}
	/* the register's rule, asked of each row as written: one holder per
	 * tier per lot on any day (award add asks the same) */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		struct invariant_award a = {.id = r->id, .provider_id = r->other, .service = V(r, AW_SERVICE),
					    .locality = V(r, AW_LOCALITY), .tier = V(r, AW_TIER),
					    .from = V(r, AW_FROM), .to = V(r, AW_TO),
					    .label = r->act == ACT_ADD ? "the new award" : NULL};
		char line[400];
		int64_t other;
		int same;
		if ((st = invariants_award(c->s->store, &a, &other, &same, line, sizeof line, why)) != BR_OK)
			return st;
		if (other)
			bad(c, r, AW_TIER, "is refused: %s", line);
	}
	progress(c, "writing", c->nrows);
	return BR_OK;
}

/* ===== capacity, rates, registrations: keyed by provider and lot ============ */

enum { CA_PROVIDER_ID, CA_PROVIDER, CA_SERVICE, CA_LOCALITY, CA_FREE, CA_REPORTED, CA_UPDATED, CA_NCOLS };
static const struct col capacity_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"locality", true},
	{"free", true}, {"reported_on", false}, {"updated_at", false}, {NULL, false},
};

enum { RA_PROVIDER_ID, RA_PROVIDER, RA_SERVICE, RA_FROM, RA_PENCE, RA_NCOLS };
static const struct col rate_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"valid_from", true},
	{"pence", true}, {NULL, false},
};

enum { RG_PROVIDER_ID, RG_PROVIDER, RG_SERVICE, RG_NEED, RG_NCOLS };
static const struct col registration_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"need", true}, {NULL, false},
};

static void lot_check(struct import_ctx *c)
{
	static const char cap_sql[] =
		"SELECT c.free, c.updated_at, coalesce(r.reported_on, '') FROM capacity c "
		"LEFT JOIN capacity_report r ON r.provider_id = c.provider_id AND r.service = c.service "
		"AND r.locality = c.locality WHERE c.provider_id = ?1 AND c.service = ?2 AND c.locality = ?3";
	static const char rate_sql[] =
		"SELECT pence FROM rate WHERE provider_id = ?1 AND service = ?2 AND valid_from = ?3";
	static const char reg_sql[] =
		"SELECT 1 FROM registration WHERE provider_id = ?1 AND service = ?2 AND need = ?3";
	enum import_what w = c->t->cols == capacity_cols ? IMPORT_CAPACITY
			     : c->t->cols == rate_cols ? IMPORT_RATES : IMPORT_REGISTRATIONS;
	struct strmap keys = {0};
	char *why = NULL, now[21];
	clock_stamp(clock_now(), now);
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		progress(c, "checking", i);
		bool ok = check_provider_ref(c, r, 0, 1);
		if (!check_required(c, r, 2) || !check_service(c, r, 2))
			ok = false;
		int key_col = 3;
		long long n;
		if (w == IMPORT_CAPACITY) {
			if (!check_locality(c, r, CA_LOCALITY))
				ok = false;
			if (!check_required(c, r, CA_FREE) || !parse_int(V(r, CA_FREE), 0, 1000000, &n)) {
				if (*V(r, CA_FREE))
					bad(c, r, CA_FREE, "is not a number of units free (0 to 1000000)");
				ok = false;
			}
			if (!*V(r, CA_REPORTED)) {
				char today[11];
				date_format(clock_today(), today);
				set_field(r, CA_REPORTED, today); /* reported today */
			} else if (!check_date(c, r, CA_REPORTED, false)) {
				ok = false;
			}
			if (*V(r, CA_UPDATED)) {
				time_t t;
				char canon[21];
				if (clock_parse(V(r, CA_UPDATED), &t, NULL) != BR_OK) {
					bad(c, r, CA_UPDATED, "is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC)");
					ok = false;
				} else {
					clock_stamp(t, canon);
					set_field(r, CA_UPDATED, canon);
				}
			} else {
				set_field(r, CA_UPDATED, now); /* reported now */
			}
		} else if (w == IMPORT_RATES) {
			if (!check_required(c, r, RA_FROM) || !check_date(c, r, RA_FROM, false))
				ok = false;
			if (!check_required(c, r, RA_PENCE) || !parse_int(V(r, RA_PENCE), 1, 100000000, &n)) {
				if (*V(r, RA_PENCE))
					bad(c, r, RA_PENCE, "is not money in whole pence (1 to 100000000)");
				ok = false;
			}
		} else if (!check_required(c, r, RG_NEED) || !check_need(c, r, RG_NEED)) {
			ok = false;
		}
		if (!ok)
			continue;
		char key[200];
		snprintf(key, sizeof key, "%lld|%s|%s", (long long)r->other, V(r, 2), V(r, key_col));
		long first;
		if (sm_get(&keys, key, &first)) {
			bad(c, r, key_col, "is not new: line %ld has the same provider, service and %s", first,
			    c->t->cols[key_col].name);
			continue;
		}
		sm_put(&keys, key, r->line);
		sqlite3_stmt *q = store_cached(c->s->store, w == IMPORT_CAPACITY ? cap_sql
							    : w == IMPORT_RATES ? rate_sql : reg_sql, &why);
		if (!q)
			break;
		sqlite3_bind_int64(q, 1, r->other);
		sqlite3_bind_text(q, 2, V(r, 2), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, V(r, key_col), -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_ROW) {
			r->act = ACT_ADD;
		} else {
			char cur[32];
			if (w == IMPORT_CAPACITY) {
				store_col_text(q, 0, cur, sizeof cur);
				compare(c, r, CA_FREE, cur);
				store_col_text(q, 1, cur, sizeof cur);
				if (strcmp(V(r, CA_UPDATED), cur) != 0) /* the file's time, or now */
					note_change(r, "updated_at");
				store_col_text(q, 2, cur, sizeof cur);
				if (strcmp(V(r, CA_REPORTED), cur) != 0) /* the file's day, or today */
					note_change(r, "reported_on");
			} else if (w == IMPORT_RATES) {
				store_col_text(q, 0, cur, sizeof cur);
				compare(c, r, RA_PENCE, cur);
			}
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
		}
		store_done(q);
	}
	if (why)
		db_error(c, BR_INTERNAL, &why);
	progress(c, "checking", c->nrows);
	sm_free(&keys);
}

static enum br_status lot_write(struct import_ctx *c, char **why)
{
	static const char rate_sql[] =
		"INSERT INTO rate(provider_id, service, valid_from, pence) VALUES (?1,?2,?3,?4) "
		"ON CONFLICT (provider_id, service, valid_from) DO UPDATE SET pence = excluded.pence";
	static const char reg_sql[] = "INSERT OR IGNORE INTO registration VALUES (?1,?2,?3)";
	bool cap = c->t->cols == capacity_cols;
	const char *sql = c->t->cols == rate_cols ? rate_sql : reg_sql;
	enum br_status st;
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		progress(c, "writing", i);
		if (r->act == ACT_SAME)
			continue;
		if (cap) {
			/* the one write of a reported figure, with its basis */
			if ((st = capacity_write(c->s->store, r->other, V(r, 2), V(r, 3), atoll(V(r, CA_FREE)),
						 V(r, CA_UPDATED), V(r, CA_REPORTED), why)) != BR_OK)
				return st;
		} else {
			sqlite3_stmt *q = store_cached(c->s->store, sql, why);
			if (!q)
				return BR_INTERNAL;
			sqlite3_bind_int64(q, 1, r->other);
			sqlite3_bind_text(q, 2, V(r, 2), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, V(r, 3), -1, SQLITE_STATIC);
			if (sql == rate_sql)
				sqlite3_bind_int64(q, 4, atoll(V(r, RA_PENCE)));
			if ((st = step_done(c, q, "importing", why)) != BR_OK)
				return st;
		}
		char id[64];
		snprintf(id, sizeof id, "%lld/%s/%s", (long long)r->other, V(r, 2), V(r, 3));
		if ((st = audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	progress(c, "writing", c->nrows);
	return BR_OK;
}

/* ===== the tables ============================================================ */

static const struct table tables[IMPORT_COUNT] = {
	[IMPORT_PROVIDERS] = {"providers", "provider", provider_cols, pr_check, pr_write},
	[IMPORT_SERVICE_USERS] = {"service-users", "person", su_cols, su_check, su_write},
	[IMPORT_AWARDS] = {"awards", "award", award_cols, aw_check, aw_write},
	[IMPORT_CAPACITY] = {"capacity", "capacity", capacity_cols, lot_check, lot_write},
	[IMPORT_RATES] = {"rates", "rate", rate_cols, lot_check, lot_write},
	[IMPORT_REGISTRATIONS] = {"registrations", "registration", registration_cols, lot_check, lot_write},
};

const char *import_name(enum import_what what)
{
	return (unsigned)what < IMPORT_COUNT ? tables[what].name : "?";
}

int import_find(const char *name)
{
	for (int i = 0; i < IMPORT_COUNT; i++)
		if (name && strcmp(tables[i].name, name) == 0)
			return i;
	return -1;
}

/* ===== parsing ================================================================ */

static void header_row(struct import_ctx *c)
{
	bool ok = true;
	if (c->ncur > (int)(sizeof c->hdr / sizeof c->hdr[0])) {
		problem(c, c->row_start, "the header has %d columns; %s has %d", c->ncur, c->t->name, c->ncols);
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
		shown(c->cur[i], v);
		if (k < 0) {
			problem(c, c->row_start, "column \"%s\" is not a column of %s", v, c->t->name);
			ok = false;
		} else if (c->present[k]) {
			problem(c, c->row_start, "column \"%s\" is named twice", v);
			ok = false;
		} else {
			c->present[k] = 1;
		}
	}
	for (int j = 0; j < c->ncols; j++)
		if (c->t->cols[j].required && !c->present[j]) {
			problem(c, c->row_start, "column %s is missing: %s needs it", c->t->cols[j].name, c->t->name);
			ok = false;
		}
	c->nhdr = c->ncur;
	c->header_done = true;
	c->header_bad = !ok;
}

static void data_row(struct import_ctx *c)
{
	if (c->ncur != c->nhdr) {
		problem(c, c->row_start, "%d fields where the header names %d", c->ncur, c->nhdr);
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
			bad(c, r, k, "is not text: it has a control character or is not UTF-8");
		p += n + 1;
	}
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
		problem(c, c->row_start, "too many fields (more than 256)");
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

/* Read the CSV into c->rows, a line at a time so each record knows the
 * line it began on. False when the file cannot be read as CSV at all. */
static bool parse(struct import_ctx *c, const char *data, size_t len)
{
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		c->err = BR_NOMEM;
		return false;
	}
	csv_set_space_func(&p, no_space); /* spaces are data, as RFC 4180 says */
	bool ok = true;
	size_t at = 0;
	c->line = 0;
	while (at < len && ok) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
		c->line++;
		/* libcsv's state 0 is "no record begun": one that begins now
		 * begins on this line */
		if (p.pstate == 0)
			c->row_start = c->line;
		if (csv_parse(&p, data + at, n, on_field, on_row, c) != n) {
			if (csv_error(&p) == CSV_EPARSE)
				problem(c, c->line, "not CSV: a quote in the wrong place (a quoted field "
					"is closed before the next comma; \"\" inside it is one quote)");
			else
				problem(c, c->line, "not CSV: %s", csv_strerror(csv_error(&p)));
			ok = false;
		}
		at += n;
		c->bytes_done = at;
		if (c->err != BR_OK)
			ok = false;
	}
	if (ok && csv_fini(&p, on_field, on_row, c) != 0) {
		problem(c, c->row_start, "not CSV: a quoted field is never closed");
		ok = false;
	}
	csv_free(&p);
	cur_clear(c);
	if (ok && !c->header_done) {
		problem(c, 1, "no header row: the file is empty");
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

enum br_status import_buffer(struct session *s, enum import_what what, const char *file,
			     const char *data, size_t len, const struct import_options *o,
			     struct import_report *rep, char **why)
{
	memset(rep, 0, sizeof *rep);
	if ((unsigned)what >= IMPORT_COUNT)
		return br_fail(why, BR_USAGE, "no such import");
	char action[48];
	snprintf(action, sizeof action, "import %s", tables[what].name);
	enum br_status st = session_require_cap(s, CAP_ADMIN, action, why);
	if (st != BR_OK)
		return st;
	static const struct import_options none = {0};
	struct import_ctx c = {.s = s, .t = &tables[what], .file = file ? file : "-", .rep = rep,
			       .o = o ? o : &none, .err = BR_OK, .bytes_total = len};
	while (c.t->cols[c.ncols].name)
		c.ncols++;
	bool parsed = parse(&c, data, len);
	free(c.cur);
	free(c.curlen);
	c.cur = NULL;
	rep->rows = (long long)c.nrows;
	if (c.err != BR_OK) {
		st = br_fail(why, c.err, "%s: %s", c.file, br_status_text(c.err));
		goto done;
	}
	if (!parsed || c.header_bad) {
		st = br_fail(why, BR_DATA, "%s: %d problem%s%s; nothing written", c.file, rep->n_problems,
			     rep->n_problems == 1 ? "" : "s", rep->more_problems ? " (and more)" : "");
		goto done;
	}
	/* checked and written under one write turn, so what was checked is
	 * what is written */
	if ((st = store_begin(s->store, why)) != BR_OK)
		goto done;
	c.t->check(&c);
	if (c.err != BR_OK) {
		store_rollback(s->store);
		st = c.err;
		br_free_str(why);
		if (why)
			*why = c.err_why;
		else
			free(c.err_why);
		c.err_why = NULL;
		goto done;
	}
	if (c.failed) {
		store_rollback(s->store);
		st = br_fail(why, BR_DATA, "%s: %d problem%s%s; nothing written", c.file, rep->n_problems,
			     rep->n_problems == 1 ? "" : "s", rep->more_problems ? " (and more)" : "");
		goto done;
	}
	for (size_t i = 0; i < c.nrows; i++) {
		switch (c.rows[i].act) {
		case ACT_ADD: rep->added++; break;
		case ACT_UPDATE: rep->updated++; break;
		case ACT_SAME: rep->unchanged++; break;
		}
	}
	if ((st = audit_chain_load(s->store, &c.chain, why)) != BR_OK ||
	    (st = c.t->write(&c, why)) != BR_OK) {
		store_rollback(s->store);
		goto done;
	}
	if (c.failed) { /* a register rule refused a row as written */
		store_rollback(s->store);
		rep->added = rep->updated = rep->unchanged = 0;
		st = br_fail(why, BR_DATA, "%s: %d problem%s%s; nothing written", c.file, rep->n_problems,
			     rep->n_problems == 1 ? "" : "s", rep->more_problems ? " (and more)" : "");
		goto done;
	}
	char detail[300];
	snprintf(detail, sizeof detail, "%.200s: %lld added, %lld updated, %lld unchanged", c.file,
		 rep->added, rep->updated, rep->unchanged);
	if ((st = audit_chain_append(s->store, &c.chain, clock_now(), s->user.login, "import",
				     tables[what].name, "", detail, why)) != BR_OK) {
		store_rollback(s->store);
		goto done;
	}
	if (o && o->dry_run) {
		store_rollback(s->store);
		st = BR_OK;
	} else {
		st = store_commit(s->store, why);
	}
done:
	sort_problems(&c);
	free(c.problem_lines);
	free(c.err_why);
	rows_free(&c);
	return st;
}

enum br_status import_file(struct session *s, enum import_what what, const char *path,
			   const struct import_options *o, struct import_report *rep, char **why)
{
	memset(rep, 0, sizeof *rep);
	char action[48];
	snprintf(action, sizeof action, "import %s", import_name(what));
	enum br_status st = session_require_cap(s, CAP_ADMIN, action, why);
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
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			if (cap >= (size_t)MAX_FILE_BYTES) {
				fclose(f);
				free(buf);
				return br_fail(why, BR_DATA, "%s: larger than %ld MB", path, MAX_FILE_BYTES >> 20);
			}
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				return br_fail(why, BR_NOMEM, "%s: out of memory reading it", path);
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	bool err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		return br_fail(why, BR_IO, "%s: reading failed", path);
	}
	st = import_buffer(s, what, path, buf ? buf : "", len, o, rep, why);
	free(buf);
	return st;
}
