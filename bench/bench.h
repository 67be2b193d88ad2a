/* bench.h — what the bench's files share (bench.c: what each figure
 * means). bench_harness.c: the clock, the figures and their verdicts, the
 * bare SQL, spawning; bench_queries.c, bench_ui.c, bench_bookings.c: the
 * measurements; bench.c: the options, the database at its scale, the order
 * of the parts. */
#ifndef BR_BENCH_H
#define BR_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core.h"
#include "store_internal.h"

#define RUNS 400
#define PAGE 40

/* the benchmark database, opened by main: the bare connection */
extern struct store *bench_store;

/* ---- the harness (bench_harness.c) ------------------------------------------------ */

double now_ms(void);
struct stats {
	double p50, p99, max;
	int n;
};
/* sorts v */
struct stats summarise(double *v, int n);

/* one line per figure: MET or MISSED, counted */
const char *verdict(bool met);
void bench_tally(int *met, int *missed);
void section(const char *title);
void fig_ms(const char *what, struct stats core, const struct stats *bare, double target_p99, double target_ratio);
void fig_ms_p50(const char *what, struct stats core, const struct stats *bare, double target_p50);
void fig_rate(const char *what, double per_s, double bare_per_s, double target);
void fig_mb(const char *what, double mb, double bare_mb, double target);
void fig_zero(const char *what, long long n, const char *of);
void row(const char *what, struct stats core, struct stats bare_s, double target);
void load_line(const char *when);

/* the same SQL text on the bare connection (exits 70 if it does not prepare) */
sqlite3_stmt *bare(const char *sql);
/* one page of it, up to three text parameters; its time in ms */
double run_bare(sqlite3_stmt *q, const char *a, const char *b, const char *c);
pid_t spawn(const char *const argv[], int out_fd);
double spawn_wait(const char *const argv[], double *ms, int *exit_code);
/* a live process's own peak RSS (VmHWM) in MB; -1 when unreadable */
double vm_hwm_mb(pid_t pid);
/* N CPU burners beside the measurements (make bench LOAD=N), and stopping them */
bool burners_start(int n);
void burners_stop(void);

/* ---- the measurements ------------------------------------------------------------- */

/* bench_queries.c */
void bench_lists(void);
void bench_match(const char *cfg_path);
void bench_respite(const char *cfg_path);
void bench_reports(const char *cfg_path);
void bench_import(const char *dir, const char *cfg_path);
/* bench_ui.c */
void bench_screens(const char *cfg_path, bool judge_p50);
void bench_audit_screen(const char *cfg_path, bool judge_p50);
int bare_frame_main(void);
void bench_startup(const char *self, const char *binary, const char *cfg_path);
void bench_memory(const char *self, const char *binary, const char *cfg_path);
/* demo_binary: build/brokerage-demo (brokerage itself has no generator) */
void bench_demo_build(const char *demo_binary, const char *dir, double scale);
/* bench_bookings.c: the people to book for (from bench_store), then the runs */
void booking_people(void);
void bench_one_process(const char *cfg_path, const char *db_path);
void bench_many(const char *cfg_path, bool think, int64_t provider, int64_t capacity, int per_child);

#endif
