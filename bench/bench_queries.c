/* bench_queries.c — the core's calls beside the bare SQL under them:
 * the list filters, the match, the respite beds, the reports, the import. */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const prefixes[] = {"jo", "smi", "o'n", "wil", "pa", "da", "mor", "ev", "kh", "ng",
				       "sian", "zoe", "ta", "ro", "hu", "le"};
#define N_PREFIX (int)(sizeof prefixes / sizeof prefixes[0])

/* the upper bound of a prefix: the same bytes with the last one raised
 * (keys compare as bytes) */
static void prefix_bounds_bench(const char *lo, char *hi, size_t n)
{
	snprintf(hi, n, "%s", lo);
	size_t len = strlen(hi);
	if (len)
		hi[len - 1]++;
}

void bench_lists(void)
{
	static double core[RUNS], raw[RUNS];
	static struct su_row rows[PAGE];
	static struct provider_row prow[PAGE];
	int n;
	char lo[32], hi[32];

	printf("\nList filters: the core call alone, first page of %d rows, %d runs each (drawn: see Screens)\n",
	       PAGE, RUNS);

	/* service users by name: one letter, two letters, longer (the names
	 * of a real register: see the surname count above); the bare SQL is
	 * the core's own shape: the keys of each half, merged, then the page */
	sqlite3_stmt *q = bare(
		"SELECT su.id, su.ref, su.family_name, su.given_name, t.k1, t.k2 FROM (SELECT * FROM ("
		"SELECT * FROM (SELECT id, family_fold AS k1, given_fold AS k2 FROM service_user "
		"WHERE family_fold >= ?1 AND family_fold < ?2 ORDER BY 2, 3, 1 LIMIT 40) UNION "
		"SELECT * FROM (SELECT id, family_fold AS k1, given_fold AS k2 FROM service_user INDEXED BY su_by_given "
		"WHERE given_fold >= ?1 AND given_fold < ?2 ORDER BY 2, 3, 1 LIMIT 40) ORDER BY 2, 3, 1 LIMIT 40)) t "
		"JOIN service_user su ON su.id = t.id ORDER BY t.k1, t.k2, t.id");
	static const char *const one[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
					  "n", "o", "p", "r", "s", "t", "w", "y", "z", "ó", "ł", "ś", "ż"};
	static const char *const two[] = {"jo", "sm", "wi", "da", "ro", "ev", "th", "ha", "mc", "ma", "ba",
					  "br", "ho", "gr", "ke", "wa", "ni", "sa", "le", "pa", "ch", "mo"};
	struct {
		const char *what;
		const char *const *words;
		int n;
	} sets[] = {
		{"service users by name: one letter", one, (int)(sizeof one / sizeof one[0])},
		{"service users by name: two letters", two, (int)(sizeof two / sizeof two[0])},
		{"service users by name: three or more", prefixes, N_PREFIX},
	};
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < RUNS; i++) {
			struct su_filter f = {0};
			snprintf(f.text, sizeof f.text, "%s", sets[k].words[i % sets[k].n]);
			double t0 = now_ms();
			su_list(bench_store, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
			core[i] = now_ms() - t0;
			text_fold(f.text, lo, sizeof lo);
			prefix_bounds_bench(lo, hi, sizeof hi);
			raw[i] = run_bare(q, lo, hi, NULL);
		}
		row(sets[k].what, summarise(core, RUNS), summarise(raw, RUNS), 16);
	}

	/* by NHS number */
	sqlite3_stmt *nq = bare("SELECT nhs_number FROM service_user ORDER BY random() LIMIT 400");
	static char nhs[RUNS][11];
	for (int i = 0; i < RUNS && sqlite3_step(nq) == SQLITE_ROW; i++)
		snprintf(nhs[i], sizeof nhs[i], "%s", (const char *)sqlite3_column_text(nq, 0));
	sqlite3_finalize(nq);
	q = bare("SELECT id, ref, family_name FROM service_user WHERE nhs_number >= ?1 AND nhs_number < ?2 "
		 "ORDER BY nhs_number, id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct su_filter f = {0};
		text_copy(f.text, sizeof f.text, nhs[i]);
		double t0 = now_ms();
		su_list(bench_store, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		text_copy(hi, sizeof hi, nhs[i]);
		hi[9]++;
		raw[i] = run_bare(q, nhs[i], hi, NULL);
	}
	row("service users by NHS number", summarise(core, RUNS), summarise(raw, RUNS), 16);

	/* by locality + need */
	static const char *const locs[] = {"WAL", "BIR", "WW", "SW"};
	static const char *const needs[] = {"LD", "AUT", "MH", "ABI", "PD", "DD"};
	q = bare("SELECT id, ref, family_name FROM service_user su WHERE locality = ?1 AND "
		 "(primary_need = ?2 OR EXISTS (SELECT 1 FROM service_user_need n WHERE n.user_id = su.id "
		 "AND n.need = ?2)) ORDER BY family_fold, given_fold, id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct su_filter f = {0};
		snprintf(f.locality, sizeof f.locality, "%s", locs[i % 4]);
		snprintf(f.need, sizeof f.need, "%s", needs[i % 6]);
		double t0 = now_ms();
		su_list(bench_store, &f, NULL, LIST_FORWARD, rows, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		raw[i] = run_bare(q, f.locality, f.need, NULL);
	}
	row("service users by locality + need", summarise(core, RUNS), summarise(raw, RUNS), 16);

	/* providers by service + need + locality */
	static const char *const svcs[] = {"HC", "SL", "RES", "DAY", "RSP", "PBS"};
	q = bare("SELECT p.id, p.name FROM provider p WHERE EXISTS (SELECT 1 FROM registration r "
		 "WHERE r.provider_id = p.id AND r.service = ?1 AND r.need = ?2) AND EXISTS (SELECT 1 "
		 "FROM coverage c WHERE c.provider_id = p.id AND c.locality = ?3) "
		 "ORDER BY p.name_fold, p.id LIMIT 40");
	for (int i = 0; i < RUNS; i++) {
		struct provider_filter f = {0};
		snprintf(f.service, sizeof f.service, "%s", svcs[i % 6]);
		snprintf(f.need, sizeof f.need, "%s", needs[(i / 6) % 6]);
		snprintf(f.locality, sizeof f.locality, "%s", locs[i % 4]);
		double t0 = now_ms();
		provider_list(bench_store, &f, NULL, LIST_FORWARD, prow, PAGE, &n, NULL);
		core[i] = now_ms() - t0;
		raw[i] = run_bare(q, f.service, f.need, f.locality);
	}
	row("providers by service + need + locality", summarise(core, RUNS), summarise(raw, RUNS),
	    16);
}

/* ---- the match ------------------------------------------------------------------ */

/* the text of a statement the core has prepared in slot `slot`, prepared
 * again on the bare connection */
static sqlite3_stmt *bare_like(struct session *s, int slot)
{
	sqlite3_stmt *core = store_stmt(s->store, slot, "", NULL);
	return core && sqlite3_sql(core) ? bare(sqlite3_sql(core)) : NULL;
}

void bench_match(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "officer", NULL) != BR_OK)
		return;
	sqlite3_stmt *q = bare("SELECT r.id, r.service, r.locality, su.primary_need, r.start_date, r.user_id "
			       "FROM package_request r JOIN service_user su ON su.id = r.user_id "
			       "WHERE r.status = 'open' ORDER BY r.id LIMIT 400");
	static struct {
		int64_t id, user;
		char service[4], locality[9], need[8], start[11];
	} req[400];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 400) {
		req[n].id = sqlite3_column_int64(q, 0);
		text_copy(req[n].service, sizeof req[n].service, (const char *)sqlite3_column_text(q, 1));
		text_copy(req[n].locality, sizeof req[n].locality, (const char *)sqlite3_column_text(q, 2));
		text_copy(req[n].need, sizeof req[n].need, (const char *)sqlite3_column_text(q, 3));
		text_copy(req[n].start, sizeof req[n].start, (const char *)sqlite3_column_text(q, 4));
		req[n].user = sqlite3_column_int64(q, 5);
		n++;
	}
	sqlite3_finalize(q);
	if (n == 0) {
		session_close(&s);
		return;
	}
	/* one run first, so the core has prepared the statements whose text
	 * the bare connection runs */
	struct match_result *m = NULL;
	match_run(s, req[0].id, &m, NULL);
	match_free(&m);
	sqlite3_stmt *b_main = bare_like(s, STMT_MATCH), *b_awards = bare_like(s, STMT_MATCH_AWARDS),
		     *b_offers = bare_like(s, STMT_MATCH_OFFERS), *b_current = bare_like(s, STMT_MATCH_CURRENT);
	if (!b_main || !b_awards || !b_offers || !b_current) {
		printf("  (the match's statements were not found)\n");
		session_close(&s);
		return;
	}
	static double core[2000], raw[2000];
	static double by_svc_core[16][2000];
	static int by_svc_n[16];
	static char svc_names[16][4];
	int n_svc = 0;
	int runs = 0;
	char today[11], now[21];
	date_format(clock_today(), today);
	clock_stamp(clock_now(), now);
	for (int round = 0; round < 5; round++)
		for (int i = 0; i < n && runs < 2000; i++, runs++) {
			double t0 = now_ms();
			match_run(s, req[i].id, &m, NULL);
			core[runs] = now_ms() - t0;
			match_free(&m);
			int k = 0;
			while (k < n_svc && strcmp(svc_names[k], req[i].service) != 0)
				k++;
			if (k == n_svc && n_svc < 16)
				text_copy(svc_names[n_svc++], 4, req[i].service);
			if (k < 16)
				by_svc_core[k][by_svc_n[k]++] = core[runs];
			/* the same four statements, bare: one snapshot, every row stepped */
			t0 = now_ms();
			sqlite3_exec(store_db(bench_store), "BEGIN", NULL, NULL, NULL);
			sqlite3_bind_text(b_awards, 1, req[i].service, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_awards, 2, today, -1, SQLITE_STATIC);
			while (sqlite3_step(b_awards) == SQLITE_ROW)
				;
			sqlite3_reset(b_awards);
			sqlite3_bind_int64(b_offers, 1, req[i].id);
			sqlite3_bind_text(b_offers, 2, now, -1, SQLITE_STATIC);
			while (sqlite3_step(b_offers) == SQLITE_ROW)
				;
			sqlite3_reset(b_offers);
			sqlite3_bind_int64(b_current, 1, req[i].user);
			sqlite3_bind_text(b_current, 2, req[i].service, -1, SQLITE_STATIC);
			while (sqlite3_step(b_current) == SQLITE_ROW)
				;
			sqlite3_reset(b_current);
			sqlite3_bind_int64(b_main, 1, req[i].id);
			sqlite3_bind_text(b_main, 2, req[i].service, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 3, req[i].locality, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 4, req[i].need, -1, SQLITE_STATIC);
			sqlite3_bind_text(b_main, 5, req[i].start, -1, SQLITE_STATIC);
			sqlite3_bind_int64(b_main, 6, req[i].user);
			while (sqlite3_step(b_main) == SQLITE_ROW)
				;
			sqlite3_reset(b_main);
			sqlite3_exec(store_db(bench_store), "COMMIT", NULL, NULL, NULL);
			raw[runs] = now_ms() - t0;
		}
	sqlite3_finalize(b_main);
	sqlite3_finalize(b_awards);
	sqlite3_finalize(b_offers);
	sqlite3_finalize(b_current);
	session_close(&s);
	char title[120];
	snprintf(title, sizeof title, "Matching (match_run: %d runs over %d open requests; bare: the same four "
				      "statements' text, every row stepped)", runs, n);
	section(title);
	struct stats c = summarise(core, runs), r = summarise(raw, runs);
	char label[64];
	snprintf(label, sizeof label, "match_run, %d open requests", n);
	fig_ms(label, c, &r, 1.2, 2);
	for (int k = 0; k < n_svc; k++) {
		char what[96];
		struct stats ks = summarise(by_svc_core[k], by_svc_n[k]);
		snprintf(what, sizeof what, "  of which %s (%d runs)", svc_names[k], by_svc_n[k]);
		printf("  %-46s %8.3f %8.3f ms\n", what, ks.p50, ks.p99);
	}
}

void bench_respite(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "oncall", NULL) != BR_OK)
		return;
	sqlite3_stmt *q = bare("SELECT id FROM service_user WHERE status = 'active' ORDER BY random() LIMIT 500");
	static int64_t ids[500];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 500)
		ids[n++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	static double t[500];
	static struct respite_row rows[256];
	int found = 0;
	for (int i = 0; i < n; i++) {
		int m = 0;
		double t0 = now_ms();
		respite_list(s, ids[i], rows, 256, &m, NULL);
		t[i] = now_ms() - t0;
		found += m > 0;
	}
	session_close(&s);
	if (!n)
		return;
	struct stats sum = summarise(t, n);
	section("Emergency respite: the core call (the screen: see Screens)");
	fig_ms("beds free tonight, nearest first", sum, NULL, 16, 0);
	printf("    (%d people, %d with a bed tonight)\n", n, found);
}

void bench_reports(const char *cfg_path)
{
	struct session *s = NULL;
	if (session_open(&s, cfg_path, "supervisor", NULL) != BR_OK)
		return;
	/* the main query under each report, in the order of BR_REPORT_LIST */
	static const char *const bare_sql[REPORT_COUNT] = {
		"SELECT locality, service, count(*), sum(units) FROM package_request WHERE status = 'open' "
		"GROUP BY locality, service",
		"SELECT r.urgency, c.service, c.locality, julianday(c.created_at) - julianday(r.opened_at) "
		"FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"WHERE c.created_at >= ?1 AND c.created_at < ?2 AND c.status <> 'rejected' AND c.status <> 'cancelled'",
		"SELECT tier, count(*) FROM calloff WHERE created_at >= ?1 AND created_at < ?2 "
		"AND status <> 'rejected' AND status <> 'cancelled' GROUP BY tier",
		"SELECT service, asc_pct, sum(weekly_cost_pence) FROM calloff INDEXED BY calloff_active_cost "
		"WHERE status = 'active' GROUP BY 1, 2",
		"SELECT provider_id, count(*) FROM calloff WHERE created_at >= ?1 AND created_at < ?2 "
		"AND status <> 'rejected' AND status <> 'cancelled' GROUP BY provider_id",
		"SELECT c.provider_id, count(*) FROM calloff c JOIN audit a ON a.entity = 'calloff' "
		"AND a.entity_id = CAST(c.id AS TEXT) AND a.action = 'calloff.handback' "
		"WHERE c.handback_reason IS NOT NULL AND c.handback_notice >= ?1 AND a.at >= ?1 AND a.at < ?2 "
		"GROUP BY c.provider_id",
		"SELECT decline_reason, count(*) FROM offer WHERE (status = 'declined' OR status = 'expired') "
		"AND responded_at >= ?1 AND responded_at < ?2 GROUP BY decline_reason",
		"SELECT ar.rule, count(*) FROM approval a JOIN approval_rule ar ON ar.approval_id = a.id "
		"WHERE a.requested_at >= ?1 AND a.requested_at < ?2 GROUP BY ar.rule",
		"SELECT locality, count(*) FROM calloff WHERE tier = 'emergency' AND created_at >= ?1 "
		"AND created_at < ?2 GROUP BY locality",
		"SELECT c.id, su.date_of_birth FROM calloff c JOIN package_request r ON r.id = c.request_id "
		"JOIN service_user su ON su.id = r.user_id WHERE c.service = 'RES' AND c.created_at >= ?1 "
		"AND c.created_at < ?2",
	};
	struct report_params p;
	report_params_default(&p);
	char from[11], tonext[11];
	date_format(p.from, from);
	date_format(p.to + 1, tonext);
	printf("\nReports: the core call, the default 12 weeks, every locality and service; 9 runs each\n");
	for (int w = 0; w < REPORT_COUNT; w++) {
		double core[9], raw[9];
		sqlite3_stmt *b = bare(bare_sql[w]);
		for (int i = 0; i < 9; i++) {
			struct report *r = NULL;
			char *why = NULL;
			double t0 = now_ms();
			if (report_run(s, w, &p, &r, &why) != BR_OK) {
				printf("  report %s: %s\n", report_code(w), why ? why : "failed");
				free(why);
			}
			core[i] = now_ms() - t0;
			report_free(&r);
			t0 = now_ms();
			if (sqlite3_bind_parameter_count(b) >= 2) {
				sqlite3_bind_text(b, 1, from, -1, SQLITE_STATIC);
				sqlite3_bind_text(b, 2, tonext, -1, SQLITE_STATIC);
			}
			while (sqlite3_step(b) == SQLITE_ROW)
				;
			sqlite3_reset(b);
			raw[i] = now_ms() - t0;
		}
		sqlite3_finalize(b);
		char what[48];
		snprintf(what, sizeof what, "report %s", report_code(w));
		row(what, summarise(core, 9), summarise(raw, 9), 500);
	}
	session_close(&s);
}

void bench_import(const char *dir, const char *cfg_path)
{
	printf("\nImport (core/import.c: libcsv, every row checked, one transaction)\n");
	struct session *s = NULL;
	char *why = NULL;
	if (session_open(&s, cfg_path, "admin", &why) != BR_OK) {
		fprintf(stderr, "bench: import: %s\n", why ? why : "?");
		free(why);
		return;
	}
	char csv[4300], new_cfg[4300], new_db[4300];
	snprintf(csv, sizeof csv, "%s/people.csv", dir);
	snprintf(new_cfg, sizeof new_cfg, "%s/import.cfg", dir);
	snprintf(new_db, sizeof new_db, "%s/import.db", dir);
	FILE *f = fopen(csv, "w");
	long long rows = 0;
	if (!f || export_run(s, EXPORT_SERVICE_USERS, EXPORT_CSV, f, &rows, &why) != BR_OK) {
		fprintf(stderr, "bench: import: exporting: %s\n", why ? why : "?");
		if (f)
			fclose(f);
		session_close(&s);
		free(why);
		return;
	}
	fclose(f);
	unlink(new_db);
	char side[4400];
	snprintf(side, sizeof side, "%s-wal", new_db);
	unlink(side);
	snprintf(side, sizeof side, "%s-wq", new_db);
	unlink(side);
	f = fopen(new_cfg, "w");
	if (!f) {
		session_close(&s);
		return;
	}
	fprintf(f, "database = \"import.db\";\n");
	fclose(f);
	/* a new live database, as a council would start: whoever runs the
	 * bench is its first admin */
	struct br_config cfg;
	char login[64];
	struct init_options o = {.login = login};
	struct init_report rep;
	struct session *n = NULL;
	if (session_os_login(login, sizeof login, &why) != BR_OK ||
	    config_load(&cfg, new_cfg, &why) != BR_OK || init_database(&cfg, &o, &rep, &why) != BR_OK ||
	    session_open(&n, new_cfg, NULL, &why) != BR_OK) {
		fprintf(stderr, "bench: import: %s\n", why ? why : "?");
		free(why);
		session_close(&s);
		return;
	}
	static const char *const what[] = {
		"people into a new database (added)", "the same again (unchanged)",
		"dry run against the 10xLCR database",
	};
	for (int i = 0; i < 3; i++) {
		struct import_options io = {.dry_run = i == 2};
		struct import_report r;
		double t0 = now_ms();
		enum br_status stt = import_file(i == 2 ? s : n, IMPORT_SERVICE_USERS, csv, &io, &r, &why);
		double ms = now_ms() - t0;
		if (stt != BR_OK) {
			fprintf(stderr, "bench: import: %s %s\n", why ? why : "?", r.n_problems ? r.problems[0] : "");
			br_free_str(&why);
			import_report_free(&r);
			continue;
		}
		printf("  %-38s %6lld rows %7.2f s (%lld added, %lld unchanged)   target: 50,000 people under 10 s\n",
		       what[i], r.rows, ms / 1000, r.added, r.unchanged);
		import_report_free(&r);
	}
	session_close(&n);
	session_close(&s);
	unlink(new_db);
	static const char *const sides[] = {"-wal", "-shm", "-wq"};
	for (int i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", new_db, sides[i]);
		unlink(side);
	}
	unlink(new_cfg);
	unlink(csv);
}
