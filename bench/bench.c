/* bench.c — `make bench`: every figure of DESIGN.md §7 and issue 14 at
 * 10×LCR, each beside its target, beside the bare work underneath it (the
 * same SQL text on a bare connection, bare ncurses, bare commits), the
 * ratio, and MET or MISSED. Medians and 99th percentiles; no thresholds
 * fail the run: the machine is shared and noisy, so the load average is
 * printed at the start and at the end.
 *
 * Each label says what is measured:
 *  - first frame: fork + exec of the real binary on a pty until Home's
 *    footer (the last row curses writes) has arrived;
 *  - key -> drawn: the real screens in this process, a key handled as the
 *    main loop handles it, then the whole frame drawn and written by curses
 *    (to /dev/null: the terminal's own drawing is not ours);
 *  - a booking: request + offer + acceptance, as an officer makes them,
 *    three transactions, synchronous=FULL;
 *  - memory: a process's own peak resident set (VmHWM, read as a spawned
 *    one exits: never ru_maxrss, which carries this one's peak), in MB
 *    (10^6 bytes);
 *  - --load N (make bench LOAD=N): everything again beside N CPU burners. */
#include "bench.h"
#include "demo.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PART(name) (!only[0] || strstr(only, name))

static void progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	if (isatty(2))
		fprintf(stderr, "\rbuilding the benchmark database: %-14s %3d%%%s", stage,
			(int)(done * 100), done >= 1.0 ? "\n" : "");
}

/* Every measured part, in order, on the database at cfg_path; the store
 * is open on it when called and closed when it returns. 0, or an exit code. */
static int run_parts(const char *only, double scale, const char *self, const char *binary, const char *dir,
		     const char *cfg_path, const struct br_config *cfgp)
{
	struct br_config cfg = *cfgp;
	char *why = NULL;
	FILE *f;
	bool p50_only = scale > 20; /* at 30xLCR the target is every screen under 16 ms p50 */
	if (PART("lists"))
		bench_lists();
	if (PART("screens"))
		bench_screens(cfg_path, p50_only);
	if (PART("audit"))
		bench_audit_screen(cfg_path, p50_only);
	if (PART("startup"))
		bench_startup(self, binary, cfg_path);
	if (PART("memory"))
		bench_memory(self, binary, cfg_path);
	if (PART("match"))
		bench_match(cfg_path);
	if (PART("respite"))
		bench_respite(cfg_path);
	if (PART("reports"))
		bench_reports(cfg_path);
	if (PART("import"))
		bench_import(dir, cfg_path);
	store_close(&bench_store);
	if (PART("booking")) {
		/* bookings write: on a copy, so the cached database stays as built */
		char work[4200], work_cfg[4300];
		/* a folder of its own: a backup is never written beside the database */
		snprintf(work, sizeof work, "%s/work", dir);
		mkdir(work, 0700);
		snprintf(work, sizeof work, "%s/work/work.db", dir);
		snprintf(work_cfg, sizeof work_cfg, "%s/work/work.cfg", dir);
		struct store *src = NULL;
		struct outfile of;
		unlink(work);
		if (store_open(&src, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK ||
		    outfile_open(&of, work, cfg.database, &why) != BR_OK ||
		    store_backup(src, &of, NULL, &why) != BR_OK) {
			fprintf(stderr, "bench: copying for the booking runs: %s\n", why ? why : "?");
			store_close(&src);
			return 74;
		}
		store_close(&src);
		f = fopen(work_cfg, "w");
		if (!f)
			return 74;
		fprintf(f, "database = \"work.db\";\n");
		fclose(f);
		if (store_open(&bench_store, work, 5000, STORE_EXISTING, &why) != BR_OK)
			return 66;
		booking_people();
		bench_one_process(work_cfg, work);
		bench_many(work_cfg, true, 900002, 1000000, 12);
		bench_many(work_cfg, false, 900003, 100, 12);
		store_close(&bench_store);
		static const char *const sides[] = {"", "-wal", "-shm", "-wq"};
		for (int i = 0; i < 4; i++) {
			char p[4400];
			snprintf(p, sizeof p, "%s%s", work, sides[i]);
			unlink(p);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *db = "bench/data/lcr10.db", *only = "", *binary = "./brokerage",
		   *demo_binary = "build/brokerage-demo";
	double scale = 10;
	int load = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bare-frame") == 0)
			return bare_frame_main();
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = atof(argv[++i]);
		else if (strcmp(argv[i], "--binary") == 0 && i + 1 < argc)
			binary = argv[++i];
		else if (strcmp(argv[i], "--demo-binary") == 0 && i + 1 < argc)
			demo_binary = argv[++i];
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--load") == 0 && i + 1 < argc)
			load = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: bench [--db FILE] [--scale N] [--binary PATH] [--demo-binary PATH] "
					"[--only PARTS] [--load N]\n"
					"PARTS, comma-separated: demo lists screens audit startup memory match respite "
					"reports import booking\n"
					"--load N: after the run, the same again beside N CPU burners\n");
			return 64;
		}
	}
	setlocale(LC_ALL, "");
	/* a line as soon as it is measured, into a pipe or a file too: a run
	 * takes minutes (the demo build alone half of one) */
	setvbuf(stdout, NULL, _IOLBF, 0);
	char self[4096];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
	if (sl <= 0)
		return 70;
	self[sl] = '\0';
	char dir[4096], cfg_path[4200];
	snprintf(dir, sizeof dir, "%s", db);
	char *slash = strrchr(dir, '/');
	const char *base = db;
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		mkdir(dir, 0755);
	} else {
		strcpy(dir, ".");
	}
	snprintf(cfg_path, sizeof cfg_path, "%s/bench.cfg", dir);
	FILE *f = fopen(cfg_path, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", cfg_path, strerror(errno));
		return 74;
	}
	fprintf(f, "database = \"%s\";\n", base);
	fclose(f);

	time_t started = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", localtime(&started));
	printf("brokerage bench, %s: %s at scale %g (DESIGN.md §7 targets are for scale 10)\n", when, db, scale);
	load_line("at the start");
	printf("Columns: p50, p99 | the bare work underneath: p50, p99, ratio of the p99s | target | verdict\n");

	if (PART("demo"))
		bench_demo_build(demo_binary, dir, scale);

	struct br_config cfg;
	char *why = NULL;
	if (config_load(&cfg, cfg_path, &why) != BR_OK) {
		fprintf(stderr, "bench: %s\n", why);
		return 78;
	}
	if (access(cfg.database, F_OK) != 0) {
		struct init_options o = {.demo_fill = demo_build, .demo = true, .scale_permille = (int)(scale * 1000),
					 .seed = 1, .login = "admin", .progress = progress};
		struct init_report rep;
		double t0 = now_ms();
		if (init_database(&cfg, &o, &rep, &why) != BR_OK) {
			fprintf(stderr, "bench: %s\n", why);
			return 70;
		}
		printf("built %s in %.1f s: %lld providers, %lld service users, %lld call-offs, "
		       "%lld audit rows\n", cfg.database, (now_ms() - t0) / 1000, rep.providers,
		       rep.service_users, rep.calloffs, rep.audit_rows);
	} else {
		/* an older cached database is migrated, not rebuilt */
		struct init_options o = {.login = "admin"};
		struct init_report rep;
		if (init_database(&cfg, &o, &rep, &why) != BR_OK) {
			fprintf(stderr, "bench: %s\n", why);
			return 70;
		}
	}
	if (store_open(&bench_store, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK) {
		fprintf(stderr, "bench: %s\n", why);
		return 66;
	}
	{
		sqlite3_stmt *q = bare("SELECT (SELECT count(*) FROM provider), (SELECT count(*) FROM service_user), "
				       "(SELECT count(*) FROM calloff), (SELECT max(id) FROM audit), "
				       "(SELECT count(DISTINCT family_fold) FROM service_user)");
		if (sqlite3_step(q) == SQLITE_ROW)
			printf("the database: %lld providers, %lld service users (%lld surnames), %lld call-offs, "
			       "%lld audit rows\n", (long long)sqlite3_column_int64(q, 0),
			       (long long)sqlite3_column_int64(q, 1), (long long)sqlite3_column_int64(q, 4),
			       (long long)sqlite3_column_int64(q, 2), (long long)sqlite3_column_int64(q, 3));
		sqlite3_finalize(q);
	}
	int rc = run_parts(only, scale, self, binary, dir, cfg_path, &cfg);
	if (rc)
		return rc;
	if (load > 0) {
		int q_met, q_missed;
		bench_tally(&q_met, &q_missed);
		printf("\n%d met, %d missed at the machine's load\n", q_met, q_missed);
		load_line("before the background load");
		if (!burners_start(load)) {
			fprintf(stderr, "bench: cannot start the background load\n");
			return 71;
		}
		sleep(5); /* let the load average feel them */
		printf("\n==== the same again with a background load: %d CPU burners (make bench LOAD=%d) ====\n",
		       load, load);
		load_line("with the burners (the 1-minute average lags them; they run from now)");
		if (store_open(&bench_store, cfg.database, 5000, STORE_EXISTING, &why) != BR_OK) {
			burners_stop();
			fprintf(stderr, "bench: %s\n", why);
			return 66;
		}
		rc = run_parts(only, scale, self, binary, dir, cfg_path, &cfg);
		load_line("with the burners, at the end");
		burners_stop();
		if (rc)
			return rc;
		int l_met, l_missed;
		bench_tally(&l_met, &l_missed);
		printf("\n%d met, %d missed at LOAD=%d\n", l_met - q_met, l_missed - q_missed, load);
	}
	int n_met, n_missed;
	bench_tally(&n_met, &n_missed);
	printf("\n%d met, %d missed; %.0f s in all\n", n_met, n_missed, difftime(time(NULL), started));
	load_line("at the end");
	return 0;
}
