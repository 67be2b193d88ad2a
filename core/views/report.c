#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff.h"
#include "offer.h"
#include "config.h"
#include "domain.h"
#include "export.h"
#include "outfile.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- the list ------------------------------------------------------------ */

static const struct {
	const char *code, *title;
	int officers;
} reports[] = {
#define X(id, name, title, officers) {name, title, officers},
	BR_REPORT_LIST(X)
#undef X
};

const char *report_code(int which)
{
	return which >= 0 && which < REPORT_COUNT ? reports[which].code : "?";
}

const char *report_title(int which)
{
	return which >= 0 && which < REPORT_COUNT ? reports[which].title : "?";
}

int report_find(const char *code)
{
	for (int i = 0; code && i < REPORT_COUNT; i++)
		if (strcmp(reports[i].code, code) == 0)
			return i;
	return -1;
}

bool report_may(const struct session *s, int which)
{
	if (which < 0 || which >= REPORT_COUNT)
		return false;
	return session_may(s, reports[which].officers ? CAP_REPORTS_QUEUE : CAP_REPORTS);
}

void report_params_default(struct report_params *p)
{
	memset(p, 0, sizeof *p);
	p->to = clock_today();
	p->from = p->to - 83; /* twelve whole weeks, today included */
}

enum br_status report_params_check(const struct session *s, const struct report_params *p, char **why)
{
	if (p->from > p->to)
		return br_fail(why, BR_USAGE, "the range runs backwards: --from is after --to");
	if (p->locality[0] && config_locality(&s->cfg, p->locality) < 0)
		return br_fail(why, BR_USAGE, "no such locality \"%s\"", p->locality);
	if (p->service[0] && service_find(p->service) < 0)
		return br_fail(why, BR_USAGE, "no such service \"%s\"", p->service);
	return BR_OK;
}

/* ---- tables and cells ------------------------------------------------------ */

static int ncols_of(const struct report_col *cols)
{
	int n = 0;
	while (cols[n].name)
		n++;
	return n;
}

static struct report_table *table_add(struct report *r, const char *name, const char *title,
				      const struct report_col *cols, int chart_col, int label_cols)
{
	if (r->ntables >= REPORT_MAX_TABLES)
		return NULL;
	struct report_table *t = &r->t[r->ntables++];
	memset(t, 0, sizeof *t);
	t->name = name;
	t->title = title;
	t->cols = cols;
	t->ncols = ncols_of(cols);
	t->chart_col = chart_col;
	t->label_cols = label_cols;
	return t;
}

static int row_add(struct report_table *t)
{
	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct report_cell *c = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *c);
		if (!c)
			return -1;
		t->cells = c;
		t->cap = cap;
	}
	memset(&t->cells[(size_t)t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof *t->cells);
	return t->nrows++;
}

static struct report_cell *cell(const struct report_table *t, int row, int col)
{
	return &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

static void set_i(struct report_table *t, int row, int col, int64_t v)
{
	cell(t, row, col)->v = v;
}

static bool set_s(struct report_table *t, int row, int col, const char *s)
{
	struct report_cell *c = cell(t, row, col);
	free(c->s);
	c->s = strdup(s ? s : "");
	return c->s != NULL;
}

void report_free(struct report **rp)
{
	if (!rp || !*rp)
		return;
	struct report *r = *rp;
	for (int i = 0; i < r->ntables; i++) {
		struct report_table *t = &r->t[i];
		for (int k = 0; k < t->nrows * t->ncols; k++)
			free(t->cells[k].s);
		free(t->cells);
	}
	free(r);
	*rp = NULL;
}

int64_t report_cell_value(const struct report_table *t, int row, int col)
{
	return cell(t, row, col)->v;
}

void report_cell_text(const struct report_table *t, int row, int col, bool human, char *out, size_t outsz)
{
	const struct report_cell *c = cell(t, row, col);
	switch (t->cols[col].kind) {
	case RK_TEXT:
		text_copy(out, outsz, c->s ? c->s : "");
		/* a reason is a code for machines (CSV, JSON), words for people */
		if (human && c->s && strcmp(t->cols[col].name, "reason") == 0) {
			int h = handback_find(c->s), d = decline_find(c->s);
			if (h >= 0)
				text_copy(out, outsz, handback_text(h));
			else if (d >= 0)
				text_copy(out, outsz, decline_text(d));
		}
		return;
	case RK_PENCE:
		if (human)
			money_format(c->v, out, outsz);
		else
			snprintf(out, outsz, "%lld", (long long)c->v);
		return;
	case RK_DATE: {
		char iso[11];
		date_format(c->v, iso);
		if (!human) {
			text_copy(out, outsz, iso);
			return;
		}
		date_words(c->v, DATE_WITH_YEAR, out, outsz);
		return;
	}
	case RK_PCT:
		snprintf(out, outsz, human ? "%lld.%lld%%" : "%lld.%lld", (long long)(c->v / 10),
			 (long long)(c->v % 10));
		return;
	case RK_INT:
	case RK_DAYS:
	default:
		snprintf(out, outsz, "%lld", (long long)c->v);
		return;
	}
}

void report_row_label(const struct report_table *t, int row, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int c = 0; c < t->label_cols && c < t->ncols; c++) {
		char part[96];
		report_cell_text(t, row, c, true, part, sizeof part);
		if (!part[0])
			continue;
		len = strlen(out);
		snprintf(out + len, outsz - len, "%s%s", len ? " " : "", part);
	}
}

int report_chart_table(const struct report *r)
{
	for (int i = 0; i < r->ntables; i++)
		if (r->t[i].chart_col >= 0)
			return i;
	return -1;
}

void report_shares(const int64_t *counts, int n, int64_t *tenths)
{
	int64_t total = 0;
	for (int i = 0; i < n; i++)
		total += counts[i];
	if (total <= 0) {
		for (int i = 0; i < n; i++)
			tenths[i] = 0;
		return;
	}
	int64_t given = 0;
	for (int i = 0; i < n; i++) {
		tenths[i] = counts[i] * 1000 / total;
		given += tenths[i];
	}
	/* the tenths left over go to the largest remainders, first come first */
	while (given < 1000) {
		int best = -1;
		int64_t best_rem = -1;
		for (int i = 0; i < n; i++) {
			int64_t rem = counts[i] * 1000 - tenths[i] * total;
			/* a share already topped up has a remainder below zero */
			if (rem > best_rem) {
				best_rem = rem;
				best = i;
			}
		}
		if (best < 0 || best_rem <= 0)
			break;
		tenths[best]++;
		given++;
	}
}

int64_t report_percentile(const int64_t *sorted, int n, int pct)
{
	if (n <= 0)
		return 0;
	int rank = (int)(((int64_t)pct * n + 99) / 100); /* nearest rank: ceil(p*n) */
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* ---- running SQL ------------------------------------------------------------ */

struct ctx {
	struct session *s;
	struct report *r;
	char from[11], tonext[11], today[11];
};

static void bind_params(const struct ctx *x, sqlite3_stmt *q)
{
	int i;
	if ((i = sqlite3_bind_parameter_index(q, ":from")))
		sqlite3_bind_text(q, i, x->from, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":tonext")))
		sqlite3_bind_text(q, i, x->tonext, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":today")))
		sqlite3_bind_text(q, i, x->today, -1, SQLITE_TRANSIENT);
	if ((i = sqlite3_bind_parameter_index(q, ":loc"))) {
		if (x->r->p.locality[0])
			sqlite3_bind_text(q, i, x->r->p.locality, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, i);
	}
	if ((i = sqlite3_bind_parameter_index(q, ":svc"))) {
		if (x->r->p.service[0])
			sqlite3_bind_text(q, i, x->r->p.service, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(q, i);
	}
}

static enum br_status step_fail(struct ctx *x, int rc, char **why)
{
	if (rc == SQLITE_INTERRUPT)
		return br_fail(why, BR_DATA, "report %s abandoned", report_code(x->r->which));
	return store_error(x->s->store, rc, "reading a report", why);
}

static int64_t iso_days(sqlite3_stmt *q, int col)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	char d[11];
	int64_t days = 0;
	if (!v)
		return 0;
	text_copy(d, sizeof d, v);
	if (date_parse(d, &days, NULL) != BR_OK)
		return 0;
	return days;
}

/* Every row of sql into t, a column of the result per column of t. */
static enum br_status fill(struct ctx *x, struct report_table *t, const char *sql, char **why)
{
	sqlite3_stmt *q = store_cached(x->s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int row = row_add(t);
		if (row < 0) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		for (int c = 0; c < t->ncols && c < sqlite3_column_count(q); c++) {
			switch (t->cols[c].kind) {
			case RK_TEXT:
				if (!set_s(t, row, c, (const char *)sqlite3_column_text(q, c)))
					st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			case RK_DATE:
				set_i(t, row, c, iso_days(q, c));
				break;
			default:
				set_i(t, row, c, sqlite3_column_int64(q, c));
				break;
			}
		}
		if (st != BR_OK)
			break;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	return st;
}

/* Fill a share column (tenths of a percent) from a count column. */
static bool shares_into(struct report_table *t, int from_col, int to_col)
{
	if (t->nrows == 0)
		return true;
	int64_t *counts = calloc((size_t)t->nrows * 2, sizeof *counts);
	if (!counts)
		return false;
	for (int i = 0; i < t->nrows; i++)
		counts[i] = cell(t, i, from_col)->v;
	report_shares(counts, t->nrows, counts + t->nrows);
	for (int i = 0; i < t->nrows; i++)
		set_i(t, i, to_col, counts[t->nrows + i]);
	free(counts);
	return true;
}

/* Rows for a fixed list of keys in order (zeros where none), the counts
 * looked up from a two-column (key, count) query; keys the list lacks are
 * added after it. */
static enum br_status fixed_rows(struct ctx *x, struct report_table *t, const char *const *keys,
				 const char *sql, int count_col, char **why)
{
	for (int k = 0; keys[k]; k++) {
		int row = row_add(t);
		if (row < 0 || !set_s(t, row, 0, keys[k]))
			return br_fail(why, BR_NOMEM, "out of memory");
	}
	sqlite3_stmt *q = store_cached(x->s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(q, 0);
		int row = -1;
		for (int i = 0; i < t->nrows; i++)
			if (strcmp(cell(t, i, 0)->s, key ? key : "") == 0)
				row = i;
		if (row < 0 && ((row = row_add(t)) < 0 || !set_s(t, row, 0, key))) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		set_i(t, row, count_col, sqlite3_column_int64(q, 1));
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	return st;
}

static enum br_status figure(struct report_table *t, const char *name, int64_t v, char **why)
{
	int row = row_add(t);
	if (row < 0 || !set_s(t, row, 0, name))
		return br_fail(why, BR_NOMEM, "out of memory");
	set_i(t, row, 1, v);
	return BR_OK;
}

/* A placement is a call-off an offer's acceptance (or a respite booking)
 * made and nobody undid: awaiting approval, approved, active or ended
 * (HACKING's transition table); dated by when it was made. */
/* written as what it is not, so that SQLite reads the date range by its
 * index rather than every ended call-off by status */
#define PLACED "(" CALLOFF_SQL_PLACED("c.status") ")"
#define MADE_IN_RANGE "c.created_at >= :from AND c.created_at < :tonext"
#define CFILTER "(:loc IS NULL OR c.locality = :loc) AND (:svc IS NULL OR c.service = :svc)"
#define RFILTER "(:loc IS NULL OR r.locality = :loc) AND (:svc IS NULL OR r.service = :svc)"

static const struct report_col figure_cols[] = {
	{"figure", "Figure", RK_TEXT}, {"value", "Value", RK_INT}, {NULL, NULL, 0}};

/* ---- groups of values (percentiles) ------------------------------------------ */

struct group {
	char key[48];
	int64_t sort;
	int64_t *v;
	int n, cap;
};

struct groups {
	struct group *g;
	int n, cap;
};

static struct group *group_of(struct groups *gs, const char *key, int64_t sort)
{
	for (int i = 0; i < gs->n; i++)
		if (strcmp(gs->g[i].key, key) == 0)
			return &gs->g[i];
	if (gs->n == gs->cap) {
		int cap = gs->cap ? gs->cap * 2 : 16;
		struct group *g = realloc(gs->g, (size_t)cap * sizeof *g);
		if (!g)
			return NULL;
		gs->g = g;
		gs->cap = cap;
	}
	struct group *g = &gs->g[gs->n++];
	memset(g, 0, sizeof *g);
	text_copy(g->key, sizeof g->key, key);
	g->sort = sort;
	return g;
}

static bool group_add(struct group *g, int64_t v)
{
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 32;
		int64_t *nv = realloc(g->v, (size_t)cap * sizeof *nv);
		if (!nv)
			return false;
		g->v = nv;
		g->cap = cap;
	}
	g->v[g->n++] = v;
	return true;
}

static void groups_free(struct groups *gs)
{
	for (int i = 0; i < gs->n; i++)
		free(gs->g[i].v);
	free(gs->g);
	memset(gs, 0, sizeof *gs);
}

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	if (x->sort != y->sort)
		return x->sort < y->sort ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* key, count, p50, p90, max into t (key as text, or as a date when the
 * table's first column is a date: then sort holds the day). */
static enum br_status groups_into(struct groups *gs, struct report_table *t, char **why)
{
	qsort(gs->g, (size_t)gs->n, sizeof *gs->g, group_cmp);
	for (int i = 0; i < gs->n; i++) {
		struct group *g = &gs->g[i];
		qsort(g->v, (size_t)g->n, sizeof *g->v, cmp_i64);
		int row = row_add(t);
		if (row < 0)
			return br_fail(why, BR_NOMEM, "out of memory");
		if (t->cols[0].kind == RK_DATE)
			set_i(t, row, 0, g->sort);
		else if (!set_s(t, row, 0, g->key))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(t, row, 1, g->n);
		set_i(t, row, 2, report_percentile(g->v, g->n, 50));
		set_i(t, row, 3, report_percentile(g->v, g->n, 90));
		set_i(t, row, 4, g->n ? g->v[g->n - 1] : 0);
	}
	return BR_OK;
}

static int64_t urgency_rank(const char *u)
{
	return strcmp(u, "emergency") == 0 ? 0 : strcmp(u, "urgent") == 0 ? 1 : 2;
}

static int64_t locality_rank(const struct session *s, const char *code)
{
	int i = config_locality(&s->cfg, code);
	return i < 0 ? 99 : i;
}

/* ---- waiting --------------------------------------------------------------- */

static enum br_status run_waiting(struct ctx *x, char **why)
{
	static const struct report_col lot_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"service", "Service", RK_TEXT},
		{"open", "Open", RK_INT}, {"emergency", "Emerg", RK_INT}, {"urgent", "Urgent", RK_INT},
		{"routine", "Routine", RK_INT}, {"handbacks", "Hand-back", RK_INT},
		{"units", "Units/wk", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col long_cols[] = {
		{"request", "Request", RK_INT}, {"service", "Service", RK_TEXT},
		{"locality", "Locality", RK_TEXT}, {"urgency", "Urgency", RK_TEXT},
		{"handback", "Hand-back", RK_TEXT}, {"waiting_since", "Since", RK_DATE},
		{"days", "Days", RK_DAYS}, {NULL, NULL, 0}};
	x->r->range_used = false;
	snprintf(x->r->note, sizeof x->r->note, "open now: the date range does not apply; units a week (respite: nights)");
	struct report_table *t = table_add(x->r, "by_lot", "Open requests by locality and service", lot_cols, 2, 2);
	struct report_table *l = table_add(x->r, "longest", "The longest waits, hand-backs first", long_cols, -1, 0);
	enum br_status st = fill(x, t,
		"SELECT r.locality, r.service, count(*), sum(r.urgency = 'emergency'), "
		"sum(r.urgency = 'urgent'), sum(r.urgency = 'routine'), sum(r.handback), sum(r.units) "
		"FROM package_request r WHERE r.status = 'open' AND " RFILTER " "
		"GROUP BY r.locality, r.service ORDER BY count(*) DESC, r.locality, r.service", why);
	if (st == BR_OK)
		st = fill(x, l,
			"SELECT r.id, r.service, r.locality, r.urgency, "
			"CASE r.handback WHEN 1 THEN 'hand-back' ELSE '' END, date(r.opened_at), "
			"CAST(julianday(:today) - julianday(date(r.opened_at)) AS INTEGER) "
			"FROM package_request r WHERE r.status = 'open' AND " RFILTER " "
			"ORDER BY r.handback DESC, r.opened_at, r.id LIMIT 15", why);
	return st;
}

/* ---- pickup ---------------------------------------------------------------- */

static const struct report_col pick_cols_text[] = {
	{"group", "Group", RK_TEXT}, {"placements", "Placed", RK_INT}, {"p50_days", "p50 days", RK_DAYS},
	{"p90_days", "p90 days", RK_DAYS}, {"max_days", "Max days", RK_DAYS}, {NULL, NULL, 0}};
static const struct report_col pick_cols_week[] = {
	{"week", "Week of", RK_DATE}, {"placements", "Placed", RK_INT}, {"p50_days", "p50 days", RK_DAYS},
	{"p90_days", "p90 days", RK_DAYS}, {"max_days", "Max days", RK_DAYS}, {NULL, NULL, 0}};

static enum br_status run_pickup(struct ctx *x, char **why)
{
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "days from entering the queue to placement, placed in the range");
	struct report_table *tw = table_add(x->r, "by_week", "Trend by week (p50 drawn)", pick_cols_week, 2, 1);
	struct report_table *tu = table_add(x->r, "by_urgency", "By urgency", pick_cols_text, -1, 0);
	struct report_table *ts = table_add(x->r, "by_service", "By service", pick_cols_text, -1, 0);
	struct report_table *tl = table_add(x->r, "by_locality", "By locality", pick_cols_text, -1, 0);
	struct groups gw = {0}, gu = {0}, gsv = {0}, gl = {0};
	enum br_status st = BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT r.urgency, c.service, c.locality, date(c.created_at), "
		"CAST(julianday(date(c.created_at)) - julianday(date(CASE WHEN r.opened_at <= c.created_at "
		"  THEN r.opened_at ELSE r.created_at END)) AS INTEGER) "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " AND c.tier <> 'legacy'", why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char u[16], sv[8], loc[9];
		store_col_text(q, 0, u, sizeof u);
		store_col_text(q, 1, sv, sizeof sv);
		store_col_text(q, 2, loc, sizeof loc);
		int64_t day = iso_days(q, 3);
		int64_t days = sqlite3_column_int64(q, 4);
		if (days < 0)
			days = 0;
		int64_t monday = day - date_weekday(day); /* 0 = Monday */
		char wk[11];
		date_format(monday, wk);
		struct group *a = group_of(&gw, wk, monday), *b = group_of(&gu, u, urgency_rank(u)),
			     *c = group_of(&gsv, sv, service_find(sv)),
			     *d = group_of(&gl, loc, locality_rank(x->s, loc));
		if (!a || !b || !c || !d || !group_add(a, days) || !group_add(b, days) ||
		    !group_add(c, days) || !group_add(d, days)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	if (st == BR_OK)
		st = groups_into(&gw, tw, why);
	if (st == BR_OK)
		st = groups_into(&gu, tu, why);
	if (st == BR_OK)
		st = groups_into(&gsv, ts, why);
	if (st == BR_OK)
		st = groups_into(&gl, tl, why);
	groups_free(&gw);
	groups_free(&gu);
	groups_free(&gsv);
	groups_free(&gl);
	return st;
}

/* ---- tiers ----------------------------------------------------------------- */

static enum br_status run_tiers(struct ctx *x, char **why)
{
	static const struct report_col tier_cols[] = {
		{"tier", "Tier", RK_TEXT}, {"placements", "Placements", RK_INT},
		{"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col ovr_cols[] = {
		{"override", "Override", RK_TEXT}, {"placements", "Placements", RK_INT}, {NULL, NULL, 0}};
	static const char *const tiers[] = {"primary", "secondary", "peripheral", "registered",
					    "spot", "continuity", "emergency", NULL};
	static const char *const kinds[] = {"person_choice", "clinical", "spot", "out_of_locality", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "placements made in the range");
	struct report_table *t = table_add(x->r, "by_tier", "Placements by tier", tier_cols, 1, 1);
	struct report_table *o = table_add(x->r, "overrides", "Overrides by reason", ovr_cols, -1, 0);
	struct report_table *f = table_add(x->r, "summary", "In all", figure_cols, -1, 0);
	enum br_status st = fixed_rows(x, t, tiers,
		"SELECT c.tier, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED
		" GROUP BY c.tier", 1, why);
	if (st != BR_OK)
		return st;
	if (!shares_into(t, 1, 2))
		return br_fail(why, BR_NOMEM, "out of memory");
	if ((st = fixed_rows(x, o, kinds,
		"SELECT c.override_kind, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND "
		PLACED " AND c.override_kind IS NOT NULL GROUP BY c.override_kind", 1, why)) != BR_OK)
		return st;
	int64_t total = 0, overrides = 0, ool = 0;
	for (int i = 0; i < t->nrows; i++)
		total += cell(t, i, 1)->v;
	for (int i = 0; i < o->nrows; i++) {
		overrides += cell(o, i, 1)->v;
		if (strcmp(cell(o, i, 0)->s, "out_of_locality") == 0)
			ool = cell(o, i, 1)->v;
	}
	if ((st = figure(f, "placements", total, why)) == BR_OK &&
	    (st = figure(f, "overrides", overrides, why)) == BR_OK)
		st = figure(f, "out of locality", ool, why);
	return st;
}

/* ---- spend ------------------------------------------------------------------ */

struct sums {
	char key[48];
	int64_t n, weekly, asc, chc;
};

static struct sums *sums_of(struct sums *a, int *n, int cap, const char *key)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(a[i].key, key) == 0)
			return &a[i];
	if (*n >= cap)
		return NULL;
	struct sums *s = &a[(*n)++];
	memset(s, 0, sizeof *s);
	text_copy(s->key, sizeof s->key, key);
	return s;
}

static enum br_status run_spend(struct ctx *x, char **why)
{
	static const struct report_col fund_cols[] = {
		{"funding", "Funding", RK_TEXT}, {"calloffs", "Call-offs", RK_INT},
		{"weekly_pence", "Weekly", RK_PENCE}, {"annual_pence", "Annual", RK_PENCE},
		{"council_weekly_pence", "Council/wk", RK_PENCE}, {"nhs_weekly_pence", "NHS/wk", RK_PENCE},
		{NULL, NULL, 0}};
	static const struct report_col key_cols[] = {
		{"group", "Group", RK_TEXT}, {"calloffs", "Call-offs", RK_INT},
		{"weekly_pence", "Weekly", RK_PENCE}, {"annual_pence", "Annual", RK_PENCE}, {NULL, NULL, 0}};
	static const struct report_col spot_cols[] = {
		{"calloffs", "Spot call-offs", RK_INT}, {"weekly_pence", "Weekly", RK_PENCE},
		{"framework_weekly_pence", "At framework", RK_PENCE}, {"premium_weekly_pence", "Premium/wk", RK_PENCE},
		{"premium_annual_pence", "Premium/yr", RK_PENCE}, {NULL, NULL, 0}};
	x->r->range_used = false;
	snprintf(x->r->note, sizeof x->r->note, "active call-offs now: the date range does not apply; a year is 52 weeks");
	struct report_table *ts = table_add(x->r, "by_service", "By service (weekly drawn)", key_cols, 2, 1);
	struct report_table *tf = table_add(x->r, "by_funding", "By funding (joint split by its share)", fund_cols, -1, 0);
	struct report_table *tl = table_add(x->r, "by_locality", "By locality", key_cols, -1, 0);
	struct report_table *tp = table_add(x->r, "spot_premium", "Spot premium over the framework rate", spot_cols, -1, 0);
	struct report_table *tk = table_add(x->r, "by_stream", "Section 117 aftercare and funded nursing care (of the above)",
					    fund_cols, -1, 0);
	struct sums stream[2] = {{"S117", 0, 0, 0, 0}, {"FNC", 0, 0, 0, 0}};
	int64_t today = clock_today();
	struct sums fund[4], svc[SERVICE_COUNT], loc[BR_MAX_LOCALITIES + 1];
	int nf = 0, ns = 0, nl = 0;
	sums_of(fund, &nf, 4, "ASC");
	sums_of(fund, &nf, 4, "CHC");
	sums_of(fund, &nf, 4, "JOINT");
	for (int i = 0; i < x->s->cfg.n_localities; i++)
		sums_of(loc, &nl, BR_MAX_LOCALITIES + 1, x->s->cfg.localities[i].code);
	int64_t spot_n = 0, spot_w = 0, spot_fw = 0;
	sqlite3_stmt *q = store_cached(x->s->store,
		/* the call-off's own split (a variation may change it): 100 is the
		 * council's alone, 0 the NHS's, anything between joint */
		"SELECT c.service, c.locality, CASE c.asc_pct WHEN 100 THEN 'ASC' WHEN 0 THEN 'CHC' ELSE 'JOINT' END, "
		"c.asc_pct, c.weekly_cost_pence, c.tier, c.units, c.start_date, c.s117, c.fnc "
		"FROM calloff c INDEXED BY calloff_active_cost WHERE c.status = 'active' AND " CFILTER, why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		char sv[8], lc[9], fu[8], tier[16];
		store_col_text(q, 0, sv, sizeof sv);
		store_col_text(q, 1, lc, sizeof lc);
		store_col_text(q, 2, fu, sizeof fu);
		store_col_text(q, 5, tier, sizeof tier);
		int64_t pct = sqlite3_column_int64(q, 3), w = sqlite3_column_int64(q, 4);
		/* funded nursing care is the NHS's before the split */
		struct funding_split fs;
		funding_split_of(&x->s->cfg, w, (int)pct, sqlite3_column_int(q, 9) != 0, today, &fs);
		int64_t asc = fs.council;
		if (sqlite3_column_int(q, 8)) {
			stream[0].n++;
			stream[0].weekly += w;
			stream[0].asc += fs.council;
			stream[0].chc += fs.nhs;
		}
		if (fs.fnc > 0) {
			stream[1].n++;
			stream[1].weekly += fs.fnc;
			stream[1].chc += fs.fnc;
		}
		struct sums *a[3] = {sums_of(fund, &nf, 4, fu), sums_of(svc, &ns, SERVICE_COUNT, sv),
				     sums_of(loc, &nl, BR_MAX_LOCALITIES + 1, lc)};
		for (int k = 0; k < 3; k++)
			if (a[k]) {
				a[k]->n++;
				a[k]->weekly += w;
				a[k]->asc += asc;
				a[k]->chc += w - asc;
			}
		if (strcmp(tier, "spot") == 0) {
			int service = service_find(sv);
			int64_t start = iso_days(q, 7);
			int64_t fr = service >= 0 ? config_framework_rate(&x->s->cfg, service, start) : -1;
			spot_n++;
			spot_w += w;
			spot_fw += fr > 0 ? fr * sqlite3_column_int64(q, 6) : w;
		}
	}
	if (rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		return st;
	/* services in the framework's order */
	for (int sv = 0; sv < SERVICE_COUNT; sv++)
		for (int i = 0; i < ns; i++)
			if (strcmp(svc[i].key, service_code(sv)) == 0) {
				int row = row_add(ts);
				if (row < 0 || !set_s(ts, row, 0, svc[i].key))
					return br_fail(why, BR_NOMEM, "out of memory");
				set_i(ts, row, 1, svc[i].n);
				set_i(ts, row, 2, svc[i].weekly);
				set_i(ts, row, 3, svc[i].weekly * 52);
			}
	struct sums total = {"total", 0, 0, 0, 0};
	for (int i = 0; i < nf; i++) {
		int row = row_add(tf);
		if (row < 0 || !set_s(tf, row, 0, fund[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(tf, row, 1, fund[i].n);
		set_i(tf, row, 2, fund[i].weekly);
		set_i(tf, row, 3, fund[i].weekly * 52);
		set_i(tf, row, 4, fund[i].asc);
		set_i(tf, row, 5, fund[i].chc);
		total.n += fund[i].n;
		total.weekly += fund[i].weekly;
		total.asc += fund[i].asc;
		total.chc += fund[i].chc;
	}
	int row = row_add(tf);
	if (row < 0 || !set_s(tf, row, 0, "total"))
		return br_fail(why, BR_NOMEM, "out of memory");
	set_i(tf, row, 1, total.n);
	set_i(tf, row, 2, total.weekly);
	set_i(tf, row, 3, total.weekly * 52);
	set_i(tf, row, 4, total.asc);
	set_i(tf, row, 5, total.chc);
	for (int i = 0; i < nl; i++) {
		if (x->r->p.locality[0] && strcmp(loc[i].key, x->r->p.locality) != 0)
			continue;
		if ((row = row_add(tl)) < 0 || !set_s(tl, row, 0, loc[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(tl, row, 1, loc[i].n);
		set_i(tl, row, 2, loc[i].weekly);
		set_i(tl, row, 3, loc[i].weekly * 52);
	}
	if ((row = row_add(tp)) < 0)
		return br_fail(why, BR_NOMEM, "out of memory");
	set_i(tp, row, 0, spot_n);
	set_i(tp, row, 1, spot_w);
	set_i(tp, row, 2, spot_fw);
	set_i(tp, row, 3, spot_w - spot_fw);
	set_i(tp, row, 4, (spot_w - spot_fw) * 52);
	/* S117: the call-offs' whole cost, as the council and the NHS share it;
	 * FNC: the NHS's nursing contribution alone */
	for (int i = 0; tk && i < 2; i++) {
		if ((row = row_add(tk)) < 0 || !set_s(tk, row, 0, stream[i].key))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(tk, row, 1, stream[i].n);
		set_i(tk, row, 2, stream[i].weekly);
		set_i(tk, row, 3, stream[i].weekly * 52);
		set_i(tk, row, 4, stream[i].asc);
		set_i(tk, row, 5, stream[i].chc);
	}
	return BR_OK;
}

/* ---- market ----------------------------------------------------------------- */

struct prow {
	int64_t id, placements, weekly;
	char name[96];
};

static int prow_by_id(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int prow_by_size(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	if (x->placements != y->placements)
		return x->placements > y->placements ? -1 : 1;
	if (x->weekly != y->weekly)
		return x->weekly > y->weekly ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Placements by consortium: a consortium's own and its members'; the
 * rest as "not in a consortium". From the per-provider counts. */
static enum br_status consortia(struct ctx *x, const struct prow *pr, int n, struct report_table *tc, char **why)
{
	struct cons {
		int64_t id, placements;
		char name[96];
	} c[64];
	int nc = 0;
	int64_t alone = 0;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT CASE WHEN p.is_consortium = 1 THEN p.id ELSE p.consortium_id END, "
		"(SELECT name FROM provider WHERE id = CASE WHEN p.is_consortium = 1 THEN p.id ELSE p.consortium_id END) "
		"FROM provider p WHERE p.id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	for (int i = 0; i < n; i++) {
		if (!pr[i].placements)
			continue;
		sqlite3_bind_int64(q, 1, pr[i].id);
		int64_t cid = 0;
		char name[96] = "";
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
			cid = sqlite3_column_int64(q, 0);
			store_col_text(q, 1, name, sizeof name);
		}
		sqlite3_reset(q);
		if (!cid) {
			alone += pr[i].placements;
			continue;
		}
		int k = 0;
		while (k < nc && c[k].id != cid)
			k++;
		if (k == nc) {
			if (nc == 64) {
				alone += pr[i].placements;
				continue;
			}
			c[nc].id = cid;
			c[nc].placements = 0;
			text_copy(c[nc].name, sizeof c[nc].name, name);
			nc++;
		}
		c[k].placements += pr[i].placements;
	}
	store_done(q);
	/* most first, then by name */
	for (int i = 1; i < nc; i++)
		for (int j = i; j > 0 && (c[j].placements > c[j - 1].placements ||
					  (c[j].placements == c[j - 1].placements && strcmp(c[j].name, c[j - 1].name) < 0)); j--) {
			struct cons t = c[j];
			c[j] = c[j - 1];
			c[j - 1] = t;
		}
	for (int i = 0; i <= nc; i++) {
		if (i == nc && alone == 0)
			break;
		int row = row_add(tc);
		if (row < 0 || !set_s(tc, row, 0, i < nc ? c[i].name : "(not in a consortium)"))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(tc, row, 1, i < nc ? c[i].placements : alone);
	}
	return BR_OK;
}

static enum br_status run_market(struct ctx *x, char **why)
{
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"placements", "Placed", RK_INT},
		{"placement_share_pct", "Share", RK_PCT}, {"weekly_pence", "Weekly", RK_PENCE},
		{"spend_share_pct", "Spend sh", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col cons_cols[] = {
		{"consortium", "Consortium", RK_TEXT}, {"placements", "Placed", RK_INT},
		{"placement_share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col top_cols[] = {
		{"figure", "Figure", RK_TEXT}, {"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "placements made in the range; spend: active call-offs now");
	struct report_table *tp = table_add(x->r, "by_provider", "Top ten providers and the rest (share drawn)", prov_cols, 2, 1);
	struct report_table *tt = table_add(x->r, "top10", "The top ten together", top_cols, -1, 0);
	struct report_table *tc = table_add(x->r, "by_consortium", "By consortium", cons_cols, -1, 0);
	struct prow *pr = NULL;
	int n = 0, cap = 0;
	enum br_status st = BR_OK;
	int rc;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.provider_id, count(*) FROM calloff c WHERE " MADE_IN_RANGE " AND " CFILTER " AND " PLACED
		" GROUP BY c.provider_id", why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct prow *np = realloc(pr, (size_t)cap * sizeof *np);
			if (!np) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			pr = np;
		}
		pr[n] = (struct prow){sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1), 0, ""};
		n++;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		goto done;
	int nplaced = n;
	qsort(pr, (size_t)n, sizeof *pr, prow_by_id);
	if (!(q = store_cached(x->s->store,
		"SELECT c.provider_id, sum(c.weekly_cost_pence) FROM calloff c INDEXED BY calloff_active_cost "
		"WHERE c.status = 'active' AND "
		CFILTER " GROUP BY c.provider_id", why))) {
		st = BR_INTERNAL;
		goto done;
	}
	bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct prow key = {.id = sqlite3_column_int64(q, 0)};
		struct prow *hit = bsearch(&key, pr, (size_t)nplaced, sizeof *pr, prow_by_id);
		if (hit) {
			hit->weekly = sqlite3_column_int64(q, 1);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			struct prow *np = realloc(pr, (size_t)cap * sizeof *np);
			if (!np) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			pr = np;
		}
		pr[n++] = (struct prow){key.id, 0, sqlite3_column_int64(q, 1), ""};
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	if (st != BR_OK)
		goto done;
	qsort(pr, (size_t)n, sizeof *pr, prow_by_size);
	/* names for the top ten (ties broken by name need the names: take them
	 * for the first few dozen, then re-sort) */
	int named = n < 40 ? n : 40;
	if (!(q = store_cached(x->s->store, "SELECT name FROM provider WHERE id = ?1", why))) {
		st = BR_INTERNAL;
		goto done;
	}
	for (int i = 0; i < named; i++) {
		sqlite3_bind_int64(q, 1, pr[i].id);
		if (sqlite3_step(q) == SQLITE_ROW)
			store_col_text(q, 0, pr[i].name, sizeof pr[i].name);
		sqlite3_reset(q);
	}
	store_done(q);
	qsort(pr, (size_t)named, sizeof *pr, prow_by_size);
	int top = n < 10 ? n : 10;
	int64_t rest_p = 0, rest_w = 0;
	for (int i = top; i < n; i++) {
		rest_p += pr[i].placements;
		rest_w += pr[i].weekly;
	}
	for (int i = 0; i < top; i++) {
		int row = row_add(tp);
		if (row < 0 || !set_s(tp, row, 0, pr[i].name)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
		set_i(tp, row, 1, pr[i].placements);
		set_i(tp, row, 3, pr[i].weekly);
	}
	if (n > top) {
		char label[48];
		snprintf(label, sizeof label, "the other %d", n - top);
		int row = row_add(tp);
		if (row < 0 || !set_s(tp, row, 0, label)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
		set_i(tp, row, 1, rest_p);
		set_i(tp, row, 3, rest_w);
	}
	if (!shares_into(tp, 1, 2) || !shares_into(tp, 3, 4)) {
		st = br_fail(why, BR_NOMEM, "out of memory");
		goto done;
	}
	int64_t top_p = 0, top_w = 0;
	for (int i = 0; i < top; i++) {
		top_p += cell(tp, i, 2)->v;
		top_w += cell(tp, i, 4)->v;
	}
	int row = row_add(tt);
	if (row < 0 || !set_s(tt, row, 0, "top ten: placements"))
		goto nomem;
	set_i(tt, row, 1, top_p);
	if ((row = row_add(tt)) < 0 || !set_s(tt, row, 0, "top ten: spend"))
		goto nomem;
	set_i(tt, row, 1, top_w);
	if ((st = consortia(x, pr, n, tc, why)) != BR_OK)
		goto done;
	if (!shares_into(tc, 1, 2))
		goto nomem;
	goto done;
nomem:
	st = br_fail(why, BR_NOMEM, "out of memory");
done:
	free(pr);
	return st;
}

/* ---- hand-backs --------------------------------------------------------------- */

/* A hand-back is dated by its audited transition (calloff.handback). Its
 * notice date is on or after that day, so only hand-backs with a notice
 * date from the range's start on are looked up in the audit. */
#define HANDBACKS                                                                                \
	"FROM calloff c JOIN audit a ON a.entity = 'calloff' AND a.entity_id = CAST(c.id AS TEXT) " \
	"AND a.action = 'calloff.handback' JOIN provider p ON p.id = c.provider_id "              \
	"WHERE c.handback_reason IS NOT NULL AND c.handback_notice >= :from "                    \
	"AND a.at >= :from AND a.at < :tonext AND " CFILTER " "
#define NOTICE "(julianday(c.handback_notice) - julianday(date(a.at)))"

static enum br_status run_handbacks(struct ctx *x, char **why)
{
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"handbacks", "Hand-backs", RK_INT},
		{"avg_notice_days", "Avg notice", RK_DAYS}, {"min_notice_days", "Least", RK_DAYS}, {NULL, NULL, 0}};
	static const struct report_col reason_cols[] = {
		{"reason", "Reason", RK_TEXT}, {"handbacks", "Hand-backs", RK_INT},
		{"avg_notice_days", "Avg notice", RK_DAYS}, {"min_notice_days", "Least", RK_DAYS}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "given in the range; notice: days from the hand-back to the care ending");
	struct report_table *tp = table_add(x->r, "by_provider", "By provider (most first)", prov_cols, 1, 1);
	struct report_table *tr = table_add(x->r, "by_reason", "By reason", reason_cols, -1, 0);
	/* one pass over the hand-backs, by provider and reason; both tables
	 * are summed from it */
	struct hb {
		char key[96];
		int64_t n, sum, min;
	};
	struct hb *prov = NULL, reason[8];
	int np = 0, cap = 0, nr = 0;
	int64_t last_id = -1;
	enum br_status st = BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.provider_id, p.name, c.handback_reason, count(*), CAST(sum(" NOTICE ") AS INTEGER), "
		"CAST(min(" NOTICE ") AS INTEGER) " HANDBACKS "GROUP BY c.provider_id, c.handback_reason", why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0), n = sqlite3_column_int64(q, 3),
			sum = sqlite3_column_int64(q, 4), min = sqlite3_column_int64(q, 5);
		if (id != last_id) {
			if (np == cap) {
				cap = cap ? cap * 2 : 64;
				struct hb *g = realloc(prov, (size_t)cap * sizeof *g);
				if (!g) {
					st = br_fail(why, BR_NOMEM, "out of memory");
					break;
				}
				prov = g;
			}
			memset(&prov[np], 0, sizeof prov[np]);
			store_col_text(q, 1, prov[np].key, sizeof prov[np].key);
			prov[np].min = min;
			np++;
			last_id = id;
		}
		struct hb *g = &prov[np - 1];
		g->n += n;
		g->sum += sum;
		if (min < g->min)
			g->min = min;
		char rs[32];
		store_col_text(q, 2, rs, sizeof rs);
		int k = 0;
		while (k < nr && strcmp(reason[k].key, rs) != 0)
			k++;
		if (k == nr && nr < 8) {
			memset(&reason[nr], 0, sizeof reason[nr]);
			text_copy(reason[nr].key, sizeof reason[nr].key, rs);
			reason[nr].min = min;
			nr++;
		}
		if (k < nr) {
			reason[k].n += n;
			reason[k].sum += sum;
			if (min < reason[k].min)
				reason[k].min = min;
		}
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	/* most first, then by name (insertion sort: a few hundred at most) */
	for (int pass = 0; st == BR_OK && pass < 2; pass++) {
		struct hb *a = pass ? reason : prov;
		int n = pass ? nr : np, limit = pass ? n : 25;
		struct report_table *t = pass ? tr : tp;
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && (a[j].n > a[j - 1].n ||
						  (a[j].n == a[j - 1].n && strcmp(a[j].key, a[j - 1].key) < 0)); j--) {
				struct hb tmp = a[j];
				a[j] = a[j - 1];
				a[j - 1] = tmp;
			}
		for (int i = 0; i < n && i < limit; i++) {
			int row = row_add(t);
			if (row < 0 || !set_s(t, row, 0, a[i].key)) {
				st = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			set_i(t, row, 1, a[i].n);
			/* the average rounded half away from zero, in whole days */
			int64_t avg = a[i].n ? (a[i].sum * 2 + (a[i].sum >= 0 ? a[i].n : -a[i].n)) / (2 * a[i].n) : 0;
			set_i(t, row, 2, avg);
			set_i(t, row, 3, a[i].min);
		}
	}
	free(prov);
	return st;
}

/* ---- declines --------------------------------------------------------------------- */

#define ANSWERED                                                                                   \
	"FROM offer o JOIN package_request r ON r.id = o.request_id "                               \
	"WHERE (o.status = 'declined' OR o.status = 'expired') AND o.responded_at >= :from "          \
	"AND o.responded_at < :tonext AND " RFILTER " "
/* the same when no locality or service narrows it: no join to the request */
#define ANSWERED_ALL                                                                               \
	"FROM offer o WHERE (o.status = 'declined' OR o.status = 'expired') AND o.responded_at >= :from " \
	"AND o.responded_at < :tonext "

static enum br_status run_declines(struct ctx *x, char **why)
{
	static const struct report_col reason_cols[] = {
		{"reason", "Reason", RK_TEXT}, {"declines", "Declines", RK_INT},
		{"share_pct", "Share", RK_PCT}, {NULL, NULL, 0}};
	static const struct report_col prov_cols[] = {
		{"provider", "Provider", RK_TEXT}, {"declines", "Declines", RK_INT},
		{"windows_missed", "Missed", RK_INT}, {NULL, NULL, 0}};
	static const char *const reasons[] = {"no_capacity", "no_staff", "cannot_meet_need", "price", "other", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "offers answered in the range; missed: the response window passed");
	struct report_table *tr = table_add(x->r, "by_reason", "Declines by reason", reason_cols, 1, 1);
	struct report_table *tp = table_add(x->r, "by_provider", "By provider (the 25 with most)", prov_cols, -1, 0);
	struct report_table *tf = table_add(x->r, "summary", "In all", figure_cols, -1, 0);
	/* one pass for the reasons and the missed windows ("~" sorts last) */
	bool narrowed = x->r->p.locality[0] || x->r->p.service[0];
	enum br_status st = fixed_rows(x, tr, reasons, narrowed
		? "SELECT CASE o.status WHEN 'expired' THEN '~missed' ELSE o.decline_reason END, count(*) " ANSWERED
		  "GROUP BY 1"
		: "SELECT CASE o.status WHEN 'expired' THEN '~missed' ELSE o.decline_reason END, count(*) " ANSWERED_ALL
		  "GROUP BY 1", 1, why);
	if (st != BR_OK)
		return st;
	int64_t missed = 0;
	if (tr->nrows > 5 && strcmp(cell(tr, tr->nrows - 1, 0)->s, "~missed") == 0) {
		missed = cell(tr, tr->nrows - 1, 1)->v;
		free(cell(tr, tr->nrows - 1, 0)->s);
		tr->nrows--;
	}
	if (!shares_into(tr, 1, 2))
		return br_fail(why, BR_NOMEM, "out of memory");
	if ((st = fill(x, tp, narrowed
		? "SELECT p.name, x.declined, x.missed FROM (SELECT o.provider_id AS pid, "
		  "sum(o.status = 'declined') AS declined, sum(o.status = 'expired') AS missed " ANSWERED
		  "GROUP BY o.provider_id ORDER BY count(*) DESC, o.provider_id LIMIT 25) x "
		  "JOIN provider p ON p.id = x.pid ORDER BY x.declined + x.missed DESC, p.name"
		: "SELECT p.name, x.declined, x.missed FROM (SELECT o.provider_id AS pid, "
		  "sum(o.status = 'declined') AS declined, sum(o.status = 'expired') AS missed " ANSWERED_ALL
		  "GROUP BY o.provider_id ORDER BY count(*) DESC, o.provider_id LIMIT 25) x "
		  "JOIN provider p ON p.id = x.pid ORDER BY x.declined + x.missed DESC, p.name", why)) != BR_OK)
		return st;
	int64_t declines = 0;
	for (int i = 0; i < tr->nrows; i++)
		declines += cell(tr, i, 1)->v;
	if ((st = figure(tf, "declines", declines, why)) == BR_OK)
		st = figure(tf, "response windows missed", missed, why);
	return st;
}

/* ---- approvals ------------------------------------------------------------------- */

#define FILED_R "FROM approval a JOIN calloff c ON c.id = a.calloff_id JOIN approval_rule ar ON ar.approval_id = a.id " \
	"WHERE a.requested_at >= :from AND a.requested_at < :tonext AND " CFILTER " "
#define FILED "FROM approval a JOIN calloff c ON c.id = a.calloff_id WHERE a.requested_at >= :from AND a.requested_at < :tonext AND " CFILTER " "

static enum br_status run_approvals(struct ctx *x, char **why)
{
	static const struct report_col rule_cols[] = {
		{"rule", "Rule that fired", RK_TEXT}, {"approvals", "Filed", RK_INT},
		{"approved", "Approved", RK_INT}, {"rejected", "Rejected", RK_INT},
		{"pending", "Pending", RK_INT}, {NULL, NULL, 0}};
	static const char *const rules[] = {"weekly_cost", "unit_rate", "spot", "tier_override",
					    "out_of_locality", "residential_under_65", "emergency", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "filed in the range (a call-off may fire several rules)");
	struct report_table *tr = table_add(x->r, "by_rule", "By rule that fired", rule_cols, 1, 1);
	struct report_table *tf = table_add(x->r, "summary", "Decisions", figure_cols, -1, 0);
	enum br_status st = fixed_rows(x, tr, rules,
		"SELECT ar.rule, count(*) " FILED_R "GROUP BY ar.rule", 1, why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT ar.rule, sum(a.status = 'approved'), sum(a.status = 'rejected' AND a.decided_by IS NOT NULL), "
		"sum(a.status = 'pending') " FILED_R "GROUP BY ar.rule", why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *rule = (const char *)sqlite3_column_text(q, 0);
		for (int i = 0; i < tr->nrows; i++)
			if (rule && strcmp(cell(tr, i, 0)->s, rule) == 0) {
				set_i(tr, i, 2, sqlite3_column_int64(q, 1));
				set_i(tr, i, 3, sqlite3_column_int64(q, 2));
				set_i(tr, i, 4, sqlite3_column_int64(q, 3));
			}
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		return step_fail(x, rc, why);
	/* time to decision, in hours, of the decided ones */
	int64_t *h = NULL;
	int n = 0, cap = 0;
	int64_t filed = 0, approved = 0, rejected = 0, withdrawn = 0, pending = 0;
	if (!(q = store_cached(x->s->store,
		"SELECT a.status, a.decided_by IS NOT NULL, "
		"CAST((julianday(a.decided_at) - julianday(a.requested_at)) * 24 AS INTEGER) " FILED, why)))
		return BR_INTERNAL;
	bind_params(x, q);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *status = (const char *)sqlite3_column_text(q, 0);
		bool decided = sqlite3_column_int(q, 1) != 0;
		filed++;
		if (!status || strcmp(status, "pending") == 0) {
			pending++;
			continue;
		}
		if (!decided) {
			withdrawn++;
			continue;
		}
		if (strcmp(status, "approved") == 0)
			approved++;
		else
			rejected++;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *nh = realloc(h, (size_t)cap * sizeof *nh);
			if (!nh) {
				free(h);
				store_done(q);
				return br_fail(why, BR_NOMEM, "out of memory");
			}
			h = nh;
		}
		int64_t hours = sqlite3_column_int64(q, 2);
		h[n++] = hours < 0 ? 0 : hours;
	}
	store_done(q);
	if (rc != SQLITE_DONE) {
		free(h);
		return step_fail(x, rc, why);
	}
	if (n)
		qsort(h, (size_t)n, sizeof *h, cmp_i64);
	int64_t p50 = report_percentile(h, n, 50), p90 = report_percentile(h, n, 90);
	free(h);
	if ((st = figure(tf, "filed", filed, why)) == BR_OK && (st = figure(tf, "approved", approved, why)) == BR_OK &&
	    (st = figure(tf, "rejected", rejected, why)) == BR_OK &&
	    (st = figure(tf, "withdrawn", withdrawn, why)) == BR_OK &&
	    (st = figure(tf, "pending", pending, why)) == BR_OK &&
	    (st = figure(tf, "hours to decision p50", p50, why)) == BR_OK)
		st = figure(tf, "hours to decision p90", p90, why);
	return st;
}

/* ---- respite ----------------------------------------------------------------------- */

#define BOOKED                                                                                       \
	"FROM calloff c JOIN package_request r ON r.id = c.request_id JOIN service_user su ON su.id = r.user_id " \
	"WHERE c.tier = 'emergency' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " "
#define NIGHTS "CAST(julianday(coalesce(c.end_date, c.start_date)) - julianday(c.start_date) + 1 AS INTEGER)"

static enum br_status run_respite(struct ctx *x, char **why)
{
	static const struct report_col loc_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"bookings", "Bookings", RK_INT},
		{"nights", "Nights", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col need_cols[] = {
		{"need", "Primary need", RK_TEXT}, {"bookings", "Bookings", RK_INT},
		{"nights", "Nights", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col appr_cols[] = {
		{"approval", "Approval", RK_TEXT}, {"bookings", "Bookings", RK_INT}, {NULL, NULL, 0}};
	static const char *const outcomes[] = {"next working day", "later", "rejected", "withdrawn",
					       "pending", "overdue", NULL};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note, "emergency bookings made in the range (nights drawn)");
	struct report_table *tl = table_add(x->r, "by_locality", "By locality", loc_cols, 2, 1);
	struct report_table *tn = table_add(x->r, "by_need", "By primary need", need_cols, -1, 0);
	struct report_table *ta = table_add(x->r, "approval", "Approved by the next working day?", appr_cols, -1, 0);
	enum br_status st = fill(x, tl,
		"SELECT c.locality, count(*), sum(" NIGHTS ") " BOOKED "GROUP BY c.locality ORDER BY count(*) DESC, c.locality",
		why);
	if (st == BR_OK)
		st = fill(x, tn, "SELECT su.primary_need, count(*), sum(" NIGHTS ") " BOOKED
			  "GROUP BY su.primary_need ORDER BY count(*) DESC, su.primary_need", why);
	if (st == BR_OK)
		st = fixed_rows(x, ta, outcomes,
			"SELECT CASE WHEN a.id IS NULL THEN 'pending' "
			"WHEN a.status = 'approved' AND date(a.decided_at) <= a.due_date THEN 'next working day' "
			"WHEN a.status = 'approved' THEN 'later' "
			"WHEN a.status = 'rejected' AND a.decided_by IS NULL THEN 'withdrawn' "
			"WHEN a.status = 'rejected' THEN 'rejected' "
			"WHEN a.due_date < :today THEN 'overdue' ELSE 'pending' END AS k, count(*) "
			"FROM calloff c LEFT JOIN approval a ON a.id = (SELECT max(id) FROM approval WHERE calloff_id = c.id) "
			"WHERE c.tier = 'emergency' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " GROUP BY k",
			1, why);
	return st;
}

/* ---- residential ---------------------------------------------------------------------- */

static enum br_status run_residential(struct ctx *x, char **why)
{
	static const struct report_col loc_cols[] = {
		{"locality", "Locality", RK_TEXT}, {"placements", "Placements", RK_INT}, {NULL, NULL, 0}};
	static const struct report_col list_cols[] = {
		/* the age is text: a restricted person's is withheld (it tells the
		 * date of birth), as every screen shows them by name and reference only */
		{"calloff", "Call-off", RK_INT}, {"person", "Person", RK_TEXT}, {"age", "Age", RK_TEXT},
		{"locality", "Locality", RK_TEXT}, {"start_date", "Start", RK_DATE},
		{"weekly_pence", "Weekly", RK_PENCE}, {"provider", "Provider", RK_TEXT},
		{"justification", "Justification", RK_TEXT}, {NULL, NULL, 0}};
	x->r->range_used = true;
	snprintf(x->r->note, sizeof x->r->note,
		 "placed in the range, people under %d: community alternatives first",
		 x->s->cfg.residential_min_age);
	struct report_table *tl = table_add(x->r, "by_locality", "By locality", loc_cols, 1, 1);
	struct report_table *tp = table_add(x->r, "placements", "Each placement, with the justification recorded", list_cols, -1, 0);
	if (x->r->p.service[0] && strcmp(x->r->p.service, "RES") != 0)
		return BR_OK;
	sqlite3_stmt *q = store_cached(x->s->store,
		"SELECT c.id, su.ref, su.date_of_birth, c.locality, c.start_date, c.weekly_cost_pence, p.name, "
		"coalesce(nullif(c.override_reason, ''), "
		"  (SELECT nullif(a.note, '') FROM approval a WHERE a.calloff_id = c.id AND a.decided_by IS NOT NULL "
		"   ORDER BY a.id DESC LIMIT 1), nullif(r.notes, ''), '(none recorded)'), su.restricted "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"JOIN service_user su ON su.id = r.user_id JOIN provider p ON p.id = c.provider_id "
		"WHERE c.service = 'RES' AND " MADE_IN_RANGE " AND " CFILTER " AND " PLACED " "
		"ORDER BY c.created_at, c.id", why);
	if (!q)
		return BR_INTERNAL;
	bind_params(x, q);
	int rc;
	enum br_status st = BR_OK;
	int64_t per_loc[BR_MAX_LOCALITIES] = {0};
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t dob = iso_days(q, 2), start = iso_days(q, 4);
		int age = date_age(dob, start);
		if (age >= x->s->cfg.residential_min_age)
			continue;
		int row = row_add(tp);
		if (row < 0) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		char loc[9];
		store_col_text(q, 3, loc, sizeof loc);
		char age_text[16];
		if (sqlite3_column_int(q, 8))
			text_copy(age_text, sizeof age_text, "restricted");
		else
			snprintf(age_text, sizeof age_text, "%d", age);
		set_i(tp, row, 0, sqlite3_column_int64(q, 0));
		if (!set_s(tp, row, 2, age_text)) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		set_i(tp, row, 4, start);
		set_i(tp, row, 5, sqlite3_column_int64(q, 5));
		if (!set_s(tp, row, 1, (const char *)sqlite3_column_text(q, 1)) || !set_s(tp, row, 3, loc) ||
		    !set_s(tp, row, 6, (const char *)sqlite3_column_text(q, 6)) ||
		    !set_s(tp, row, 7, (const char *)sqlite3_column_text(q, 7))) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			break;
		}
		int li = config_locality(&x->s->cfg, loc);
		if (li >= 0)
			per_loc[li]++;
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = step_fail(x, rc, why);
	store_done(q);
	for (int i = 0; st == BR_OK && i < x->s->cfg.n_localities; i++) {
		if (x->r->p.locality[0] && strcmp(x->r->p.locality, x->s->cfg.localities[i].code) != 0)
			continue;
		int row = row_add(tl);
		if (row < 0 || !set_s(tl, row, 0, x->s->cfg.localities[i].code))
			return br_fail(why, BR_NOMEM, "out of memory");
		set_i(tl, row, 1, per_loc[i]);
	}
	return st;
}

/* ---- running one --------------------------------------------------------------------- */

static int progress_cb(void *arg)
{
	const struct report_params *p = arg;
	return p->progress && p->progress(p->ctx) ? 1 : 0;
}

enum br_status report_run(struct session *s, int which, const struct report_params *p,
			  struct report **out, char **why)
{
	*out = NULL;
	if (which < 0 || which >= REPORT_COUNT)
		return br_fail(why, BR_USAGE, "no such report");
	if (!report_may(s, which)) {
		char what[48];
		snprintf(what, sizeof what, "report %s", report_code(which));
		return session_require_cap(s, reports[which].officers ? CAP_REPORTS_QUEUE : CAP_REPORTS, what, why);
	}
	enum br_status st = report_params_check(s, p, why);
	if (st != BR_OK)
		return st;
	struct report *r = calloc(1, sizeof *r);
	if (!r)
		return br_fail(why, BR_NOMEM, "out of memory");
	r->which = which;
	r->p = *p;
	struct ctx x = {.s = s, .r = r};
	date_format(p->from, x.from);
	date_format(p->to + 1, x.tonext);
	date_format(clock_today(), x.today);
	sqlite3 *db = store_db(s->store);
	if (p->progress)
		sqlite3_progress_handler(db, 1000, progress_cb, &r->p);
	static enum br_status (*const run[])(struct ctx *, char **) = {
		run_waiting, run_pickup, run_tiers, run_spend, run_market,
		run_handbacks, run_declines, run_approvals, run_respite, run_residential,
	};
	/* one snapshot for every table of the report */
	st = store_exec(s->store, "BEGIN", why);
	if (st == BR_OK) {
		st = run[which](&x, why);
		store_exec(s->store, "COMMIT", NULL);
	}
	if (p->progress)
		sqlite3_progress_handler(db, 0, NULL, NULL);
	if (st != BR_OK) {
		report_free(&r);
		return st;
	}
	*out = r;
	return BR_OK;
}

/* ---- writing --------------------------------------------------------------------------- */

void report_scope_text(const struct session *s, const struct report *r, char *out, size_t outsz)
{
	char a[16], b[16], loc[64];
	struct report_table d = {.cols = (const struct report_col[]){{"d", "d", RK_DATE}, {NULL, NULL, 0}}, .ncols = 1};
	struct report_cell c = {r->p.from, NULL};
	d.cells = &c;
	d.nrows = 1;
	report_cell_text(&d, 0, 0, true, a, sizeof a);
	c.v = r->p.to;
	report_cell_text(&d, 0, 0, true, b, sizeof b);
	int li = r->p.locality[0] ? config_locality(&s->cfg, r->p.locality) : -1;
	text_copy(loc, sizeof loc, li >= 0 ? s->cfg.localities[li].name : "all localities");
	int sv = r->p.service[0] ? service_find(r->p.service) : -1;
	if (r->range_used)
		snprintf(out, outsz, "%s to %s, %s, %s", a, b, loc, sv >= 0 ? service_name(sv) : "all services");
	else
		snprintf(out, outsz, "now, %s, %s", loc, sv >= 0 ? service_name(sv) : "all services");
}

/* Columns on the terminal: UTF-8 continuation bytes take none (the text
 * here is names and figures, none of it wide). */
static int text_cols(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* Formatted text to the caller's stream (core never prints: the stream
 * is the caller's). */
__attribute__((format(printf, 2, 3))) static void emit(FILE *out, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_write_safe(out, buf);
}

static bool right_aligned(enum report_kind k)
{
	return k != RK_TEXT && k != RK_DATE;
}

static void write_table(const struct session *s, const struct report *r, FILE *out)
{
	char scope[200];
	report_scope_text(s, r, scope, sizeof scope);
	emit(out, "%s — %s\n", report_title(r->which), scope);
	if (r->note[0])
		emit(out, "(%s)\n", r->note);
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		int w[REPORT_MAX_COLS];
		char buf[256];
		for (int c = 0; c < t->ncols; c++) {
			w[c] = text_cols(t->cols[c].title);
			for (int row = 0; row < t->nrows; row++) {
				report_cell_text(t, row, c, true, buf, sizeof buf);
				int bw = text_cols(buf);
				if (bw > w[c])
					w[c] = bw > 60 ? 60 : bw;
			}
		}
		emit(out, "\n%s\n", t->title);
		for (int c = 0; c < t->ncols; c++) {
			int pad = w[c] - text_cols(t->cols[c].title);
			emit(out, "%s%*s%s%*s", c ? "  " : "", right_aligned(t->cols[c].kind) ? pad : 0, "",
				t->cols[c].title, right_aligned(t->cols[c].kind) ? 0 : (c + 1 < t->ncols ? pad : 0), "");
		}
		fputc('\n', out);
		if (t->nrows == 0)
			fputs("(none)\n", out);
		for (int row = 0; row < t->nrows; row++) {
			for (int c = 0; c < t->ncols; c++) {
				char clean[256];
				report_cell_text(t, row, c, true, buf, sizeof buf);
				text_sanitise(buf, clean, sizeof clean);
				int pad = w[c] - text_cols(clean);
				if (pad < 0)
					pad = 0;
				emit(out, "%s%*s%s%*s", c ? "  " : "", right_aligned(t->cols[c].kind) ? pad : 0, "",
					clean, right_aligned(t->cols[c].kind) ? 0 : (c + 1 < t->ncols ? pad : 0), "");
			}
			fputc('\n', out);
		}
	}
}

static void write_csv(const struct report *r, FILE *out)
{
	/* one block a table: a header row naming the table's columns, each
	 * row starting with the report and the table's name; a blank line
	 * between blocks */
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		char from[11], to[11];
		date_format(r->p.from, from);
		date_format(r->p.to, to);
		if (i)
			fputs("\r\n", out);
		fputs("report,table,from,to,locality,service", out);
		for (int c = 0; c < t->ncols; c++) {
			fputc(',', out);
			fputs(t->cols[c].name, out);
		}
		fputs("\r\n", out);
		for (int row = 0; row < t->nrows; row++) {
			emit(out, "%s,%s,%s,%s,", report_code(r->which), t->name, from, to);
			csv_put(out, r->p.locality, 1);
			fputc(',', out);
			csv_put(out, r->p.service, 1);
			for (int c = 0; c < t->ncols; c++) {
				char buf[256];
				report_cell_text(t, row, c, false, buf, sizeof buf);
				fputc(',', out);
				csv_put(out, buf, t->cols[c].kind == RK_TEXT);
			}
			fputs("\r\n", out);
		}
	}
}

static void write_json(const struct report *r, FILE *out)
{
	char from[11], to[11];
	date_format(r->p.from, from);
	date_format(r->p.to, to);
	fputs("{\"report\": ", out);
	json_put_string(out, report_code(r->which));
	fputs(", \"title\": ", out);
	json_put_string(out, report_title(r->which));
	emit(out, ", \"from\": \"%s\", \"to\": \"%s\", \"range_used\": %s, \"locality\": ", from, to,
		r->range_used ? "true" : "false");
	if (r->p.locality[0])
		json_put_string(out, r->p.locality);
	else
		fputs("null", out);
	fputs(", \"service\": ", out);
	if (r->p.service[0])
		json_put_string(out, r->p.service);
	else
		fputs("null", out);
	fputs(", \"note\": ", out);
	json_put_string(out, r->note);
	fputs(",\n \"tables\": {", out);
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		fputs(i ? ",\n  " : "\n  ", out);
		json_put_string(out, t->name);
		fputs(": [", out);
		for (int row = 0; row < t->nrows; row++) {
			fputs(row ? ",\n    {" : "\n    {", out);
			for (int c = 0; c < t->ncols; c++) {
				char buf[256];
				report_cell_text(t, row, c, false, buf, sizeof buf);
				if (c)
					fputs(", ", out);
				json_put_string(out, t->cols[c].name);
				fputs(": ", out);
				if (t->cols[c].kind == RK_TEXT || t->cols[c].kind == RK_DATE)
					json_put_string(out, buf);
				else
					fputs(buf, out);
			}
			fputc('}', out);
		}
		fputs(t->nrows ? "\n  ]" : "]", out);
	}
	fputs("\n }\n}\n", out);
}

enum br_status report_write(const struct session *s, const struct report *r, enum report_format fmt,
			    FILE *out, char **why)
{
	switch (fmt) {
	case REPORT_TABLE: write_table(s, r, out); break;
	case REPORT_CSV: write_csv(r, out); break;
	case REPORT_JSON: write_json(r, out); break;
	}
	if (fflush(out) != 0 || ferror(out))
		return br_fail(why, BR_IO, "report %s: writing the output failed", report_code(r->which));
	return BR_OK;
}

enum br_status report_to_file(struct session *s, const struct report *r, const char *path, char **why)
{
	/* the role, then the file (as the caller), then the record, then the rows */
	if (!report_may(s, r->which))
		return br_fail(why, BR_DENIED, "report %s is not allowed for role %s", report_code(r->which),
			       s->user.role);
	struct outfile of;
	enum br_status st = outfile_open(&of, path, s->cfg.database, why);
	if (st != BR_OK)
		return st;
	char detail[400], from[11], to[11];
	date_format(r->p.from, from);
	date_format(r->p.to, to);
	snprintf(detail, sizeof detail, "csv to %.250s, %s to %s%s%s%s%s", path, from, to,
		 r->p.locality[0] ? ", locality " : "", r->p.locality, r->p.service[0] ? ", service " : "",
		 r->p.service);
	if ((st = store_begin(s->store, why)) != BR_OK)
		goto fail;
	if ((st = audit_append(s->store, s->user.login, "export", "report", report_code(r->which), detail, why)) != BR_OK) {
		store_rollback(s->store);
		goto fail;
	}
	if ((st = store_commit(s->store, why)) != BR_OK)
		goto fail;
	write_csv(r, of.f);
	return outfile_commit(&of, why);
fail:
	outfile_abort(&of);
	return st;
}
