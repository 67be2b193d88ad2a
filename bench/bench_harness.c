/* bench_harness.c — the bench's harness (bench.h): the clock, medians and
 * 99th percentiles, one line per figure with its verdict, the load average,
 * the bare SQL beside the core's, and programs started with posix_spawn. */
#include "bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct store *bench_store;

double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct stats summarise(double *v, int n)
{
	if (n <= 0)
		return (struct stats){0, 0, 0, 0};
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	struct stats s = {v[n / 2], v[(int)((n - 1) * 0.99)], v[n - 1], n};
	return s;
}

/* ---- one line per figure ---------------------------------------------------- */

static int n_met, n_missed;

void bench_tally(int *met, int *missed)
{
	*met = n_met;
	*missed = n_missed;
}

const char *verdict(bool met)
{
	if (met)
		n_met++;
	else
		n_missed++;
	return met ? "MET" : "MISSED";
}

void section(const char *title)
{
	printf("\n%s\n", title);
}

/* A latency: p50 and p99 beside the bare cost (when there is one), the
 * ratio of the p99s, and the target on the p99 (and on the ratio). */
void fig_ms(const char *what, struct stats core, const struct stats *bare, double target_p99,
		   double target_ratio)
{
	double ratio = bare && bare->p99 > 0 ? core.p99 / bare->p99 : 0;
	bool met = core.p99 < target_p99 && (!target_ratio || (bare && ratio <= target_ratio));
	char tgt[48], b[64];
	if (target_ratio)
		snprintf(tgt, sizeof tgt, "p99 < %g ms, <= %gx bare", target_p99, target_ratio);
	else
		snprintf(tgt, sizeof tgt, "p99 < %g ms", target_p99);
	if (bare)
		snprintf(b, sizeof b, "bare %7.3f %8.3f  %4.1fx", bare->p50, bare->p99, ratio);
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	printf("  %-46s %8.3f %8.3f ms  %s  %-26s %s\n", what, core.p50, core.p99, b, tgt, verdict(met));
}

/* The same, judged on the median (the 30xLCR screens) */
void fig_ms_p50(const char *what, struct stats core, const struct stats *bare, double target_p50)
{
	char b[64], tgt[48];
	if (bare)
		snprintf(b, sizeof b, "bare %7.3f %8.3f  %4.1fx", bare->p50, bare->p99,
			 bare->p99 > 0 ? core.p99 / bare->p99 : 0);
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	snprintf(tgt, sizeof tgt, "p50 < %g ms", target_p50);
	printf("  %-46s %8.3f %8.3f ms  %s  %-26s %s\n", what, core.p50, core.p99, b, tgt,
	       verdict(core.p50 < target_p50));
}

/* A rate: per second, beside the bare rate (higher is better) */
void fig_rate(const char *what, double per_s, double bare_per_s, double target)
{
	char tgt[48];
	snprintf(tgt, sizeof tgt, ">= %g /s", target);
	printf("  %-46s %8.0f /s %8s  bare %7.0f /s %10s %4.2fx  %-26s %s\n", what, per_s, "", bare_per_s, "",
	       bare_per_s > 0 ? per_s / bare_per_s : 0, tgt, verdict(per_s >= target));
}

void fig_mb(const char *what, double mb, double bare_mb, double target)
{
	char tgt[48], b[64];
	snprintf(tgt, sizeof tgt, "< %g MB", target);
	if (bare_mb > 0)
		snprintf(b, sizeof b, "bare %7.1f MB %13s", bare_mb, "");
	else
		snprintf(b, sizeof b, "%-28s", "bare -");
	printf("  %-46s %8.1f MB %8s  %s  %-26s %s\n", what, mb, "", b, tgt, verdict(mb > 0 && mb < target));
}

/* A count that must be zero (busy, overbooked, lost) */
void fig_zero(const char *what, long long n, const char *of)
{
	printf("  %-46s %8lld %-28s %-26s %s\n", what, n, of, "0", verdict(n == 0));
}

void load_line(const char *when)
{
	double l[3] = {0, 0, 0};
	if (getloadavg(l, 3) < 0)
		l[0] = l[1] = l[2] = -1;
	printf("load average %s: %.2f %.2f %.2f (%ld cores)\n", when, l[0], l[1], l[2], sysconf(_SC_NPROCESSORS_ONLN));
}

/* ---- the bare SQL (same text, a bare connection, no core code) ------------- */

sqlite3_stmt *bare(const char *sql)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v3(store_db(bench_store), sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench: %s\n", sqlite3_errmsg(store_db(bench_store)));
		exit(70);
	}
	return q;
}

double run_bare(sqlite3_stmt *q, const char *a, const char *b, const char *c)
{
	double t0 = now_ms();
	if (a)
		sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(q, 3, c, -1, SQLITE_STATIC);
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < PAGE)
		n++;
	sqlite3_reset(q);
	return now_ms() - t0;
}

/* Start the real binary (or this one) with posix_spawn: nothing of this
 * process's memory is inherited, so ru_maxrss is the child's own. */
pid_t spawn(const char *const argv[], int out_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
		posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	}
	pid_t pid;
	char *args[16];
	int n = 0;
	for (; argv[n] && n < 15; n++)
		args[n] = strdup(argv[n]);
	args[n] = NULL;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, args, environ);
	for (int i = 0; i < n; i++)
		free(args[i]);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? pid : -1;
}

/* The peak resident set of a process's own memory, from /proc (VmHWM),
 * in MB; -1 when it cannot be read. */
double vm_hwm_mb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	long hwm = -1;
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &hwm) == 1)
			break;
	if (f)
		fclose(f);
	return hwm < 0 ? -1 : hwm * 1024.0 / 1e6;
}

/* Run to the end; the child's own peak RSS in MB, wall time in ms, exit
 * status. Not ru_maxrss: exec records the peak of the memory it replaces,
 * so a child of a large parent reports the parent's peak (this bench
 * holding 200 MB and starting /bin/true read 205 MB; the child's own is
 * 1 MB). The child is traced (PTRACE_O_TRACEEXIT) only to stop it as it
 * exits, with its memory still there, and read its VmHWM. */
double spawn_wait(const char *const argv[], double *ms, int *exit_code)
{
	char *args[16];
	int n = 0;
	for (; argv[n] && n < 15; n++)
		args[n] = strdup(argv[n]);
	args[n] = NULL;
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid > 0 || pid < 0)
		for (int i = 0; i < n; i++)
			free(args[i]);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0) {
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execve(args[0], args, environ);
		_exit(127);
	}
	int status;
	double mb = -1;
	bool options = false;
	for (;;) {
		if (waitpid(pid, &status, 0) < 0)
			break;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			break;
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		if (!options) { /* the stop after exec */
			ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
			options = true;
			sig = 0;
		} else if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			mb = vm_hwm_mb(pid);
			sig = 0;
		} else if (sig == SIGTRAP) {
			sig = 0;
		}
		ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig);
	}
	if (ms)
		*ms = now_ms() - t0;
	if (exit_code)
		*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return mb;
}

void row(const char *what, struct stats core, struct stats bare_s, double target)
{
	fig_ms(what, core, &bare_s, target, 0);
}

/* ---- a background load (make bench LOAD=N) -------------------------------- */

static pid_t burner[64];
static int n_burners;

/* N processes that only spin, as other work on a shared server would;
 * each dies with the bench (PR_SET_PDEATHSIG) if it is killed */
bool burners_start(int n)
{
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			burners_stop();
			return false;
		}
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			volatile unsigned long x = 0;
			for (;;)
				x++;
		}
		burner[n_burners++] = pid;
	}
	return true;
}

void burners_stop(void)
{
	for (int i = 0; i < n_burners; i++)
		kill(burner[i], SIGKILL);
	for (int i = 0; i < n_burners; i++)
		waitpid(burner[i], NULL, 0);
	n_burners = 0;
}
