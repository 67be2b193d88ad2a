/* bench_bookings.c — whole bookings (request + offer + acceptance) in one
 * process and in 50 at once, with think time and flat out for the last
 * capacity: busy, overbooked and lost counted, each to be zero. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- bookings ------------------------------------------------------------------- */

/* A provider on SL for every need in every locality with `capacity` free
 * in each; people to book for. */
static bool booking_world(struct session *s, int64_t provider, int64_t capacity)
{
	char sql[1200];
	snprintf(sql, sizeof sql,
		 "BEGIN IMMEDIATE;"
		 "INSERT OR IGNORE INTO provider(id, name, name_fold, cqc_rating) VALUES (%lld, 'Bench Care %lld', 'benchcare%lld', 'Good');"
		 "INSERT OR IGNORE INTO registration SELECT %lld, 'SL', code FROM need;"
		 "INSERT OR IGNORE INTO coverage SELECT %lld, code FROM locality;"
		 "INSERT OR REPLACE INTO capacity SELECT %lld, 'SL', code, %lld, 'x' FROM locality;"
		 "INSERT OR IGNORE INTO rate VALUES (%lld, 'SL', '2019-04-01', 1700);"
		 "COMMIT;",
		 (long long)provider, (long long)provider, (long long)provider, (long long)provider,
		 (long long)provider, (long long)provider, (long long)capacity, (long long)provider);
	return store_exec(s->store, sql, NULL) == BR_OK;
}

static char (*booking_refs)[17];
static int n_booking_refs;

void booking_people(void)
{
	static char refs[4000][17];
	booking_refs = refs;
	sqlite3_stmt *q = bare("SELECT ref FROM service_user WHERE status = 'active' AND restricted = 0 "
			       "ORDER BY id LIMIT 4000");
	while (sqlite3_step(q) == SQLITE_ROW && n_booking_refs < 4000)
		text_copy(refs[n_booking_refs++], 17, (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
}

/* One whole booking, as an officer makes it: the request, the offer to
 * the provider, its acceptance. The call-off's id in *calloff. */
static enum br_status whole_booking(struct session *s, const char *ref, int64_t provider, int64_t *calloff,
				    double step_ms[3])
{
	struct request_input in = {.units = 1, .asc_pct = -1};
	text_copy(in.user_ref, sizeof in.user_ref, ref);
	text_copy(in.service, sizeof in.service, "SL");
	date_format(clock_today() + 7, in.start);
	text_copy(in.urgency, sizeof in.urgency, "routine");
	text_copy(in.funding, sizeof in.funding, "ASC");
	int64_t req, off;
	char *why = NULL;
	double t0 = now_ms(), t1, t2;
	enum br_status r = request_create(s, &in, &req, &why);
	t1 = now_ms();
	if (r == BR_OK)
		r = offer_create(s, req, provider, NULL, &off, &why);
	t2 = now_ms();
	if (r == BR_OK)
		r = offer_accept(s, off, calloff, &why);
	if (step_ms) {
		step_ms[0] = t1 - t0;
		step_ms[1] = t2 - t1;
		step_ms[2] = now_ms() - t2;
	}
	br_free_str(&why);
	return r;
}

/* the bare floor under a whole booking: three transactions, each writing
 * rows of a booking's size (a record of about 350 bytes and its audit row
 * of about 350, as a request, an offer and an acceptance each write),
 * synchronous=FULL, on the same database */
static double bare_booking_ms(const char *db_path)
{
	sqlite3 *db;
	if (sqlite3_open(db_path, &db) != SQLITE_OK)
		return -1;
	sqlite3_exec(db, "PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS bench_bare(id INTEGER PRIMARY KEY, x);"
			 "CREATE TABLE IF NOT EXISTS bench_bare_audit(id INTEGER PRIMARY KEY, at, x)", NULL, NULL, NULL);
	sqlite3_stmt *rec = NULL, *aud = NULL;
	sqlite3_prepare_v2(db, "INSERT INTO bench_bare(x) VALUES (hex(randomblob(175)))", -1, &rec, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO bench_bare_audit(at, x) VALUES (datetime('now'), hex(randomblob(160)))", -1,
			   &aud, NULL);
	double t0 = now_ms();
	for (int i = 0; i < 300 && rec && aud; i++) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_step(rec);
		sqlite3_reset(rec);
		sqlite3_step(aud);
		sqlite3_reset(aud);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	}
	double ms = (now_ms() - t0) / 100; /* three commits a booking */
	sqlite3_finalize(rec);
	sqlite3_finalize(aud);
	sqlite3_exec(db, "DROP TABLE bench_bare; DROP TABLE bench_bare_audit", NULL, NULL, NULL);
	sqlite3_close(db);
	return ms;
}

void bench_one_process(const char *cfg_path, const char *db_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK || !booking_world(s, 900001, 1000000)) {
		session_close(&s);
		return;
	}
	enum { N = 500 };
	static double step[3][N];
	int ok = 0, failed = 0;
	double t0 = now_ms();
	for (int i = 0; i < N; i++) {
		int64_t co;
		double ms[3];
		if (whole_booking(s, booking_refs[i % n_booking_refs], 900001, &co, ms) == BR_OK) {
			for (int k = 0; k < 3; k++)
				step[k][ok] = ms[k];
			ok++;
		} else {
			failed++;
		}
	}
	double ms = now_ms() - t0;
	session_close(&s);
	double bare_ms = bare_booking_ms(db_path);
	section("Bookings (request + offer + acceptance: three transactions, synchronous=FULL; bare: three "
		"commits of a booking's rows)");
	char what[80];
	snprintf(what, sizeof what, "one process, whole bookings (%d made, %d refused)", ok, failed);
	fig_rate(what, ok / (ms / 1000), bare_ms > 0 ? 1000 / bare_ms : 0, 1000);
	static const char *const steps[3] = {"  of which the request (request_create)", "  of which the offer (offer_create)",
					     "  of which the acceptance (offer_accept)"};
	for (int k = 0; k < 3; k++) {
		struct stats a = summarise(step[k], ok);
		printf("  %-46s %8.3f %8.3f ms\n", steps[k], a.p50, a.p99);
	}
}

struct child_result {
	int booked, refused, busy, other;
	double worst;
	int n;
	double lat[64];
	int64_t calloffs[64];
};

/* 50 officers at once, each making whole bookings; with think time (on the
 * phone: 0.3 to 1 s between bookings) or flat out for the last capacity */
void bench_many(const char *cfg_path, bool think, int64_t provider, int64_t capacity, int per_child)
{
	enum { KIDS = 50 };
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK || !booking_world(s, provider, capacity)) {
		session_close(&s);
		return;
	}
	session_close(&s);
	int fds[KIDS][2];
	pid_t pids[KIDS];
	char go[4200];
	snprintf(go, sizeof go, "%s.go", cfg_path);
	unlink(go);
	for (int k = 0; k < KIDS; k++) {
		if (pipe(fds[k]) != 0)
			return;
		pids[k] = fork();
		if (pids[k] == 0) {
			close(fds[k][0]);
			static struct child_result r;
			memset(&r, 0, sizeof r);
			if (session_open(&s, cfg_path, k % 2 ? "officer" : "supervisor", NULL) != BR_OK)
				_exit(3);
			while (access(go, F_OK) != 0)
				usleep(500);
			uint64_t seed = (uint64_t)getpid() * 2654435761u;
			for (int i = 0; i < per_child; i++) {
				if (think) {
					seed = seed * 6364136223846793005ULL + 1;
					usleep((useconds_t)(300000 + (seed >> 33) % 700000));
				}
				int64_t co = 0;
				double t0 = now_ms();
				/* a person of its own for each booking */
				enum br_status res = whole_booking(s, booking_refs[(k * per_child + i) % n_booking_refs],
								   provider, &co, NULL);
				double ms = now_ms() - t0;
				if (r.n < 64)
					r.lat[r.n] = ms;
				if (ms > r.worst)
					r.worst = ms;
				if (res == BR_OK) {
					if (r.booked < 64)
						r.calloffs[r.booked] = co;
					r.booked++;
				} else if (res == BR_CONFLICT || res == BR_DENIED) {
					r.refused++;
				} else if (res == BR_BUSY) {
					r.busy++;
				} else {
					r.other++;
				}
				if (r.n < 64)
					r.n++;
			}
			session_close(&s);
			ssize_t w = write(fds[k][1], &r, sizeof r);
			(void)w;
			_exit(0);
		}
		close(fds[k][1]);
	}
	usleep(300 * 1000);
	FILE *f = fopen(go, "w");
	if (f)
		fclose(f);
	double t0 = now_ms();
	static double lat[KIDS * 64];
	static int64_t acked[KIDS * 64];
	int nl = 0, na = 0, booked = 0, refused = 0, busy = 0, other = 0;
	double worst = 0;
	for (int k = 0; k < KIDS; k++) {
		static struct child_result r;
		memset(&r, 0, sizeof r);
		size_t got = 0;
		while (got < sizeof r) {
			ssize_t n = read(fds[k][0], (char *)&r + got, sizeof r - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fds[k][0]);
		waitpid(pids[k], NULL, 0);
		if (got != sizeof r) {
			other++;
			continue;
		}
		for (int i = 0; i < r.n; i++)
			lat[nl++] = r.lat[i];
		for (int i = 0; i < r.booked && i < 64; i++)
			acked[na++] = r.calloffs[i];
		booked += r.booked;
		refused += r.refused;
		busy += r.busy;
		other += r.other;
		if (r.worst > worst)
			worst = r.worst;
	}
	double ms = now_ms() - t0;
	unlink(go);
	struct stats sum = summarise(lat, nl);
	/* nothing lost: every acknowledged call-off is there; nothing made
	 * that was not acknowledged; capacity never below what was taken */
	sqlite3_stmt *q = bare("SELECT count(*) FROM calloff WHERE id = ?1 AND provider_id = ?2");
	long long lost = 0;
	for (int i = 0; i < na; i++) {
		sqlite3_bind_int64(q, 1, acked[i]);
		sqlite3_bind_int64(q, 2, provider);
		if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 1)
			lost++;
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM calloff WHERE provider_id = %lld), "
				  "(SELECT sum(free) FROM capacity WHERE provider_id = %lld)",
		 (long long)provider, (long long)provider);
	q = bare(sql);
	long long calloffs = 0, free_left = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		calloffs = sqlite3_column_int64(q, 0);
		free_left = sqlite3_column_int64(q, 1);
	}
	sqlite3_finalize(q);
	long long taken = capacity * 4 - free_left; /* four localities, one unit a booking */
	char what[96], of[48];
	if (think) {
		snprintf(what, sizeof what, "50 processes, think 0.3-1 s: a whole booking");
		fig_ms(what, sum, NULL, 20, 0);
		printf("    (%d booked, %d refused, worst %.1f ms, in %.1f s)\n", booked, refused, worst, ms / 1000);
	} else {
		printf("  %-46s worst %.1f ms, p99 %.2f ms: %d booked of %lld free, %d refused, in %.1f s   %-14s %s\n",
		       "50 processes flat out for the last capacity", worst, sum.p99, booked, (long long)capacity * 4, refused,
		       ms / 1000, "worst < 1000 ms", verdict(worst < 1000));
	}
	snprintf(of, sizeof of, "(%d made)", booked);
	fig_zero(think ? "  busy shown" : "  busy shown (flat out)", busy, of);
	fig_zero(think ? "  overbooked" : "  overbooked (flat out)", calloffs - taken > 0 ? calloffs - taken : 0, of);
	snprintf(of, sizeof of, "(%d acknowledged, %lld on file)", na, calloffs);
	fig_zero(think ? "  acknowledged but not on file" : "  acknowledged but not on file (flat out)",
		 lost + (calloffs != booked ? llabs(calloffs - booked) : 0), of);
	if (other)
		printf("    (%d other failures)\n", other);
}
