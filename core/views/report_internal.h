/* report_internal.h — what the report files share: the run's context, the
 * table and cell helpers, SQL into a table, groups of values for percentiles,
 * and each report's run. Only core/views/report*.c include it.
 *
 *   report.c        the list, the model (tables, cells), SQL into tables,
 *                   groups, report_run
 *   report_flow.c   waiting, pickup, tiers, hand-backs, declines, approvals,
 *                   respite, residential
 *   report_money.c  spend and the market
 *   report_write.c  the human table, CSV and JSON writers, to a file */
#ifndef BR_REPORT_INTERNAL_H
#define BR_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "calloff_states.h"
#include "report.h"

struct session;

/* A placement is a call-off an offer's acceptance (or a respite booking)
 * made and nobody undid: awaiting approval, approved, active or ended
 * (HACKING's transition table); dated by when it was made. */
/* written as what it is not, so that SQLite reads the date range by its
 * index rather than every ended call-off by status */
#define PLACED "(" CALLOFF_SQL_PLACED("c.status") ")"
#define MADE_IN_RANGE "c.created_at >= :from AND c.created_at < :tonext"
#define CFILTER "(:loc IS NULL OR c.locality = :loc) AND (:svc IS NULL OR c.service = :svc)"
#define RFILTER "(:loc IS NULL OR r.locality = :loc) AND (:svc IS NULL OR r.service = :svc)"

/* a table of named figures: report_figure, value */
extern const struct report_col report_figure_cols[];

struct report_ctx {
	struct session *s;
	struct report *r;
	char from[11], tonext[11], today[11];
};

struct report_group {
	char key[48];
	int64_t sort;
	int64_t *v;
	int n, cap;
};

struct report_groups {
	struct report_group *g;
	int n, cap;
};

struct report_table *report_table_add(struct report *r, const char *name, const char *title,
				      const struct report_col *cols, int chart_col, int label_cols);
int report_row_add(struct report_table *t);
struct report_cell *report_cell_at(const struct report_table *t, int row, int col);
void report_set_i(struct report_table *t, int row, int col, int64_t v);
bool report_set_s(struct report_table *t, int row, int col, const char *s);
int report_cmp_i64(const void *a, const void *b);
void report_bind_params(const struct report_ctx *x, sqlite3_stmt *q);
enum br_status report_step_fail(struct report_ctx *x, int rc, char **why);
int64_t report_iso_days(sqlite3_stmt *q, int col);
enum br_status report_fill(struct report_ctx *x, struct report_table *t, const char *sql, char **why);
bool report_shares_into(struct report_table *t, int from_col, int to_col);
enum br_status report_fixed_rows(struct report_ctx *x, struct report_table *t, const char *const *keys,
				 const char *sql, int count_col, char **why);
enum br_status report_figure(struct report_table *t, const char *name, int64_t v, char **why);
struct report_group *report_group_of(struct report_groups *gs, const char *key, int64_t sort);
bool report_group_add(struct report_group *g, int64_t v);
void report_groups_free(struct report_groups *gs);
enum br_status report_groups_into(struct report_groups *gs, struct report_table *t, char **why);
int64_t report_urgency_rank(const char *u);
int64_t report_locality_rank(const struct session *s, const char *code);
enum br_status report_run_waiting(struct report_ctx *x, char **why);
enum br_status report_run_pickup(struct report_ctx *x, char **why);
enum br_status report_run_tiers(struct report_ctx *x, char **why);
enum br_status report_run_handbacks(struct report_ctx *x, char **why);
enum br_status report_run_declines(struct report_ctx *x, char **why);
enum br_status report_run_approvals(struct report_ctx *x, char **why);
enum br_status report_run_respite(struct report_ctx *x, char **why);
enum br_status report_run_residential(struct report_ctx *x, char **why);
enum br_status report_run_spend(struct report_ctx *x, char **why);
enum br_status report_run_market(struct report_ctx *x, char **why);

#endif
