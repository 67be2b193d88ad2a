/* report.h — the figures a commissioner asks for (issue 13, DESIGN.md §3).
 *
 * Each report is ONE function here (report_run picks it by name): the
 * command line, the Reports screen, the bench and the tests all call it, so
 * a figure is computed in one place. A report is a few tables of typed
 * cells (text, counts, pence, ISO dates, shares in tenths of a percent,
 * days); the first table with a chart column is the one drawn as a bar
 * chart. Reading a report writes nothing; writing one to a file is an
 * export (audited, the caller's file). */
#ifndef BR_REPORT_H
#define BR_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

struct session;

/* name, title, who may (0: supervisors, admins, viewers; 1: officers too) */
#define BR_REPORT_LIST(X)                                                            \
	X(WAITING, "waiting", "Open requests waiting now", 1)                          \
	X(PICKUP, "pickup", "Days from request to placement", 1)                       \
	X(TIERS, "tiers", "Placements by award tier", 0)                               \
	X(SPEND, "spend", "Committed cost of active call-offs", 0)                     \
	X(MARKET, "market", "Market share by provider", 0)                             \
	X(HANDBACKS, "handbacks", "Hand-backs by provider and reason", 0)              \
	X(DECLINES, "declines", "Declines and missed response windows", 0)             \
	X(APPROVALS, "approvals", "Approvals: rules, decisions, rejections", 0)        \
	X(RESPITE, "respite", "Emergency respite nights", 0)                           \
	X(RESIDENTIAL, "residential", "Residential and nursing under 65", 0)

enum report_name {
#define X(id, name, title, officers) REPORT_##id,
	BR_REPORT_LIST(X)
#undef X
	REPORT_COUNT
};

const char *report_code(int which);      /* "tiers" */
const char *report_title(int which);
int report_find(const char *code);       /* -1 when unknown */
/* May this session read this report? (CAP_REPORTS for all of them,
 * CAP_REPORTS_QUEUE for waiting and pickup.) */
bool report_may(const struct session *s, int which);

enum report_kind {
	RK_TEXT,
	RK_INT,
	RK_PENCE,   /* integer pence: £1,234.56 for a person, 123456 for a machine */
	RK_DATE,    /* days since the epoch: 31 Aug 2026 / 2026-08-31 */
	RK_PCT,     /* tenths of a percent: 59.3 */
	RK_DAYS,    /* whole days (or hours where the column says so) */
};

struct report_col {
	const char *name;   /* machine name (CSV header, JSON key) */
	const char *title;  /* for a person */
	enum report_kind kind;
};

struct report_cell {
	int64_t v;
	char *s;            /* RK_TEXT only (owned) */
};

#define REPORT_MAX_COLS 9
#define REPORT_MAX_TABLES 5

struct report_table {
	const char *name;   /* "by_tier" */
	const char *title;  /* "Placements by tier" */
	const struct report_col *cols;
	int ncols;
	int nrows, cap;
	struct report_cell *cells; /* nrows * ncols */
	int chart_col;      /* the column drawn as bars; -1 none */
	int label_cols;     /* the bars' label: the first label_cols columns */
};

struct report_params {
	int64_t from, to;       /* days since the epoch, inclusive */
	char locality[9];       /* "" = every locality */
	char service[8];        /* "" = every service */
	/* Called now and then while SQLite works (may be NULL): return true
	 * to abandon the report (the screen's Esc). */
	bool (*progress)(void *ctx);
	void *ctx;
};

struct report {
	int which;
	struct report_params p;
	bool range_used;        /* false: the report is "now" (waiting, spend) */
	int ntables;
	struct report_table t[REPORT_MAX_TABLES];
	char note[160];         /* one line under the title ("" none) */
};

/* The default range: the last 12 weeks to today. */
void report_params_default(struct report_params *p);
/* Check a range and filters: from <= to, a known locality and service. */
enum br_status report_params_check(const struct session *s, const struct report_params *p, char **why);

/* Run one report: the role first, then the figures. *out is the caller's
 * (report_free). An abandoned report is BR_DATA with "abandoned". */
enum br_status report_run(struct session *s, int which, const struct report_params *p,
			  struct report **out, char **why);
void report_free(struct report **r);

/* The table a chart is drawn from (-1 when none). */
int report_chart_table(const struct report *r);
/* One cell as text: for a person (human: £, UK dates, "59.3%") or for a
 * machine (ISO dates, pence, 59.3). */
void report_cell_text(const struct report_table *t, int row, int col, bool human, char *out, size_t outsz);
int64_t report_cell_value(const struct report_table *t, int row, int col);
/* A bar's label (the first label_cols cells joined by a space). */
void report_row_label(const struct report_table *t, int row, char *out, size_t outsz);
/* "31 Aug 2026 to 22 Nov 2026, Wallasey, all services" */
void report_scope_text(const struct session *s, const struct report *r, char *out, size_t outsz);

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON };
/* Write a report to the caller's stream. BR_IO when the stream fails. */
enum br_status report_write(const struct session *s, const struct report *r, enum report_format fmt,
			    FILE *out, char **why);
/* Write it as CSV to a file the caller names (outfile.h: the caller's
 * rights, never beside the database), audited as an export first. */
enum br_status report_to_file(struct session *s, const struct report *r, const char *path, char **why);

/* Shares of a whole in tenths of a percent that sum to exactly 1000 when
 * the whole is not zero (largest remainder). */
void report_shares(const int64_t *counts, int n, int64_t *tenths);
/* Nearest-rank percentile (pct 1..100) of n sorted values; 0 when n = 0. */
int64_t report_percentile(const int64_t *sorted, int n, int pct);

#endif
