/* The store: migrations, refusals, transactions and a busy database. */
#include <criterion/criterion.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "store_internal.h"

static struct fixture fx;
static void teardown(void) { fx_close(&fx); }

TestSuite(store, .fini = teardown);

static struct init_report init(const char *login, enum br_status want)
{
	struct br_config cfg;
	char *why = NULL;
	cr_assert_eq(config_load(&cfg, fx.cfg, &why), BR_OK);
	struct init_options o = {.login = login};
	struct init_report rep;
	enum br_status st = init_database(&cfg, &o, &rep, &why);
	cr_assert_eq(st, want, "init: %s", why ? why : "ok");
	br_free_str(&why);
	return rep;
}

Test(store, init_creates_the_schema_and_a_first_admin)
{
	fx_config(&fx, NULL);
	struct init_report rep = init("alice", BR_OK);
	cr_expect(rep.created);
	cr_expect_eq(rep.from_version, 0);
	cr_expect_eq(rep.to_version, store_schema_latest());
	cr_expect(rep.first_admin);
	cr_expect_str_eq(fx_query(&fx, "SELECT role FROM users WHERE login = 'alice'"), "admin");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM locality"), "4");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM service"), "10");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM need"), "6");
	cr_expect_str_eq(fx_query(&fx, "PRAGMA journal_mode"), "wal");
}

Test(store, init_twice_changes_nothing)
{
	fx_config(&fx, NULL);
	init("alice", BR_OK);
	char before[64];
	snprintf(before, sizeof before, "%s", fx_query(&fx,
		"SELECT (SELECT count(*) FROM audit) || '/' || (SELECT count(*) FROM users) || '/' || "
		"(SELECT group_concat(code) FROM locality)"));
	struct init_report rep = init("alice", BR_OK);
	cr_expect_not(rep.created);
	cr_expect_eq(rep.from_version, rep.to_version);
	cr_expect_eq(rep.reference_changes, 0);
	cr_expect_not(rep.first_admin);
	cr_expect_str_eq(fx_query(&fx,
		"SELECT (SELECT count(*) FROM audit) || '/' || (SELECT count(*) FROM users) || '/' || "
		"(SELECT group_concat(code) FROM locality)"), before);
}

Test(store, init_on_an_existing_database_is_for_admins)
{
	fx_config(&fx, NULL);
	init("alice", BR_OK);
	fx_sql(&fx, "INSERT INTO users(login, name, role, created_at) VALUES ('bob','B','officer','x')");
	init("bob", BR_DENIED);
	init("mallory", BR_DENIED);
}

Test(store, a_renamed_locality_in_the_config_is_brought_in_and_audited)
{
	fx_config(&fx, NULL);
	init("alice", BR_OK);
	fx_write(&fx, "brokerage.cfg",
		 "database = \"t.db\";\nlocalities = ( { code = \"WAL\"; name = \"Wallasey & Moreton\"; },"
		 "{ code = \"BIR\"; name = \"Birkenhead\"; }, { code = \"WW\"; name = \"West Wirral\"; },"
		 "{ code = \"SW\"; name = \"South Wirral\"; } );\n");
	struct init_report rep = init("alice", BR_OK);
	cr_expect_eq(rep.reference_changes, 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT name FROM locality WHERE code = 'WAL'"), "Wallasey & Moreton");
	cr_expect_str_eq(fx_query(&fx, "SELECT action FROM audit ORDER BY id DESC LIMIT 1"), "reference.sync");
}

Test(store, an_old_database_is_migrated)
{
	fx_config(&fx, NULL);
	/* a database from before any schema: user_version 0, a stray table */
	fx_sql(&fx, "CREATE TABLE notes(x); PRAGMA user_version = 0;");
	struct init_report rep = init("alice", BR_OK);
	cr_expect_not(rep.created);
	cr_expect_eq(rep.from_version, 0);
	cr_expect_eq(rep.to_version, store_schema_latest());
	char latest[8];
	snprintf(latest, sizeof latest, "%d", store_schema_latest());
	cr_expect_str_eq(fx_query(&fx, "PRAGMA user_version"), latest);
}

Test(store, an_old_database_is_refused_until_migrated)
{
	fx_config(&fx, NULL);
	fx_sql(&fx, "CREATE TABLE notes(x);");
	struct store *s = NULL;
	char *why = NULL;
	cr_expect_eq(store_open(&s, fx.db, 1000, STORE_EXISTING, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "brokerage init"), "%s", why);
	cr_expect_null(s);
	br_free_str(&why);
}

Test(store, a_database_newer_than_the_program_is_refused)
{
	fx_config(&fx, NULL);
	init("alice", BR_OK);
	fx_sql(&fx, "PRAGMA user_version = 99");
	struct store *s = NULL;
	char *why = NULL;
	cr_expect_eq(store_open(&s, fx.db, 1000, STORE_EXISTING, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "newer than this program"), "%s", why);
	struct br_config cfg;
	config_load(&cfg, fx.cfg, NULL);
	struct init_options o = {.login = "alice"};
	struct init_report rep;
	cr_expect_eq(init_database(&cfg, &o, &rep, &why), BR_DATA, "init will not touch it either");
	cr_expect_str_eq(fx_query(&fx, "PRAGMA user_version"), "99");
	br_free_str(&why);
}

Test(store, a_missing_database_says_run_init)
{
	fx_config(&fx, NULL);
	struct store *s = NULL;
	char *why = NULL;
	cr_expect_eq(store_open(&s, fx.db, 1000, STORE_EXISTING, &why), BR_NOINPUT);
	cr_expect_not_null(strstr(why, "brokerage init"), "%s", why);
	br_free_str(&why);
	cr_expect_neq(access(fx.db, F_OK), 0, "no file was created");
}

Test(store, a_file_that_is_not_a_database_is_refused)
{
	fx_config(&fx, NULL);
	fx_write(&fx, "t.db", "this is not a database, just text that is long enough to look like one....");
	struct store *s = NULL;
	char *why = NULL;
	enum br_status st = store_open(&s, fx.db, 1000, STORE_EXISTING, &why);
	cr_expect_neq(st, BR_OK);
	cr_expect_not_null(why);
	br_free_str(&why);
}

Test(store, an_unknown_login_is_refused)
{
	fx_open(&fx, 0, "officer");
	struct session *s = NULL;
	char *why = NULL;
	cr_expect_eq(session_open(&s, fx.cfg, "nobody", &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "'nobody' is not a brokerage user"), "%s", why);
	cr_expect_null(s);
	fx_sql(&fx, "UPDATE users SET disabled = 1 WHERE login = 'viewer'");
	cr_expect_eq(session_open(&s, fx.cfg, "viewer", &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "disabled"), "%s", why);
	br_free_str(&why);
}

Test(store, a_held_write_lock_gives_busy_not_a_hang)
{
	fx_open(&fx, 0, "officer");
	sqlite3 *other;
	cr_assert_eq(sqlite3_open(fx.db, &other), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 300, STORE_EXISTING, &why), BR_OK);
	cr_expect_eq(store_begin(s, &why), BR_BUSY);
	cr_expect_not_null(strstr(why, "busy, try again"), "%s", why);
	cr_expect_gt(store_busy_waits(s), 0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	cr_expect_eq(store_begin(s, &why), BR_OK, "free again once the other writer is done");
	store_rollback(s);
	store_close(&s);
	sqlite3_close(other);
	br_free_str(&why);
}

Test(store, a_waiting_writer_gets_in_when_the_lock_is_released)
{
	fx_open(&fx, 0, "officer");
	pid_t child = fork();
	if (child == 0) {
		sqlite3 *other;
		sqlite3_open(fx.db, &other);
		sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		usleep(200 * 1000);
		sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(other);
		_exit(0);
	}
	usleep(50 * 1000);
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 3000, STORE_EXISTING, &why), BR_OK);
	cr_expect_eq(store_begin(s, &why), BR_OK, "%s", why ? why : "");
	store_rollback(s);
	store_close(&s);
	int status;
	waitpid(child, &status, 0);
	br_free_str(&why);
}

Test(store, a_writer_killed_while_holding_its_turn_does_not_block_the_queue)
{
	fx_open(&fx, 0, "officer");
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t child = fork();
	if (child == 0) {
		struct store *s = NULL;
		if (store_open(&s, fx.db, 2000, STORE_EXISTING, NULL) != BR_OK || store_begin(s, NULL) != BR_OK)
			_exit(1);
		ssize_t w = write(ready[1], "x", 1);
		(void)w;
		pause(); /* holds the write and its ticket until killed */
		_exit(0);
	}
	char c;
	cr_assert_eq(read(ready[0], &c, 1), 1);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 2000, STORE_EXISTING, &why), BR_OK);
	cr_expect_eq(store_begin(s, &why), BR_OK, "the dead writer's turn is skipped: %s", why ? why : "");
	cr_expect_eq(store_busy_waits(s), 0, "the kernel freed its turn: no wait at all");
	store_rollback(s);
	cr_expect_eq(store_begin(s, &why), BR_OK, "and the queue keeps moving");
	store_rollback(s);
	store_close(&s);
	free(why);
}

/* Issue 14: writers killed (SIGKILL) and interrupted (SIGINT, the CLI's
 * Ctrl-C) at random while others write, many of them inside their turn.
 * Nobody who lives is ever told "busy", and afterwards a write on the idle
 * database does not wait at all: no dead turn outlives its process. */
static void writer(const char *db, const char *log, unsigned seed)
{
	struct store *s = NULL;
	if (store_open(&s, db, 5000, STORE_EXISTING, NULL) != BR_OK)
		_exit(2);
	FILE *f = fopen(log, "w");
	if (!f)
		_exit(2);
	setvbuf(f, NULL, _IOLBF, 0);
	for (int i = 0; i < 400; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		enum br_status st = store_begin(s, NULL);
		clock_gettime(CLOCK_MONOTONIC, &b);
		long wait_us = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
		if (st == BR_OK) {
			audit_append(s, "officer", "test.write", "test", "", "", NULL);
			usleep(500 + rand_r(&seed) % 1500); /* a booking's worth of work, turn held */
			st = store_commit(s, NULL);
		}
		fprintf(f, "%d %ld\n", st == BR_OK ? 0 : st == BR_BUSY ? 1 : 2, wait_us);
	}
	fclose(f);
	store_close(&s);
	_exit(0);
}

Test(store, killed_and_interrupted_writers_never_jam_the_queue, .timeout = 120)
{
	fx_open(&fx, 0, "officer");
	enum { WRITERS = 6, KILLS = 60 };
	pid_t pid[WRITERS];
	unsigned seed = 7;
	int spawned = 0;
	char log[400];
	for (int w = 0; w < WRITERS; w++) {
		snprintf(log, sizeof log, "%s/w%d.log", fx.dir, spawned);
		if ((pid[w] = fork()) == 0)
			writer(fx.db, log, (unsigned)spawned);
		spawned++;
	}
	int sigkills = 0, sigints = 0;
	for (int k = 0; k < KILLS; k++) {
		usleep(20000 + rand_r(&seed) % 30000);
		int w = rand_r(&seed) % WRITERS;
		int sig = rand_r(&seed) % 2 ? SIGKILL : SIGINT;
		kill(pid[w], sig);
		waitpid(pid[w], NULL, 0);
		sig == SIGKILL ? sigkills++ : sigints++;
		snprintf(log, sizeof log, "%s/w%d.log", fx.dir, spawned);
		if ((pid[w] = fork()) == 0)
			writer(fx.db, log, (unsigned)spawned);
		spawned++;
	}
	int finished = 0;
	for (int w = 0; w < WRITERS; w++) {
		int status;
		waitpid(pid[w], &status, 0);
		finished += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	long writes = 0, busy = 0, worst = 0;
	for (int i = 0; i < spawned; i++) {
		snprintf(log, sizeof log, "%s/w%d.log", fx.dir, i);
		FILE *f = fopen(log, "r");
		if (!f)
			continue;
		int st;
		long us;
		while (fscanf(f, "%d %ld", &st, &us) == 2) {
			writes++;
			busy += st == 1;
			cr_expect_neq(st, 2, "a write failed other than busy");
			if (us > worst)
				worst = us;
		}
		fclose(f);
	}
	cr_log_info("write queue under fire: %d SIGKILL, %d SIGINT, %ld writes, worst wait %.1f ms",
		    sigkills, sigints, writes, worst / 1000.0);
	cr_expect_eq(finished, WRITERS, "the last writers ran to the end");
	cr_expect_eq(busy, 0, "nobody alive was told busy (%ld writes)", writes);
	cr_expect_gt(writes, 400);
	/* the idle database after all that: straight in, no wait */
	struct store *s = NULL;
	cr_assert_eq(store_open(&s, fx.db, 2000, STORE_EXISTING, NULL), BR_OK);
	for (int i = 0; i < 5; i++) {
		cr_expect_eq(store_begin(s, NULL), BR_OK);
		store_rollback(s);
	}
	cr_expect_eq(store_busy_waits(s), 0, "an idle database never makes a writer wait");
	store_close(&s);
	char *why = NULL;
	long long rows;
	struct store *v = NULL;
	cr_assert_eq(store_open(&v, fx.db, 2000, STORE_EXISTING, NULL), BR_OK);
	cr_expect_eq(audit_verify(v, &rows, NULL, &why), BR_OK, "%s", why ? why : "");
	store_close(&v);
	free(why);
}

Test(store, writers_are_served_in_turn)
{
	fx_open(&fx, 0, "officer");
	struct store *a = NULL, *b = NULL;
	cr_assert_eq(store_open(&a, fx.db, 300, STORE_EXISTING, NULL), BR_OK);
	cr_assert_eq(store_open(&b, fx.db, 300, STORE_EXISTING, NULL), BR_OK);
	cr_assert_eq(store_begin(a, NULL), BR_OK);
	char *why = NULL;
	cr_expect_eq(store_begin(b, &why), BR_BUSY, "b waits its turn, then gives up at its deadline");
	cr_expect_not_null(strstr(why, "busy, try again"), "%s", why);
	store_rollback(a);
	cr_expect_eq(store_begin(b, &why), BR_OK, "%s", why ? why : "");
	store_rollback(b);
	store_close(&a);
	store_close(&b);
	free(why);
}

/* Issue 21: the deadline is for a stuck holder, not for a long queue. Six
 * writers ahead, each holding its turn 150 ms (900 ms in all), and a writer
 * whose deadline is 300 ms: the queue moves every 150 ms, so it waits its
 * turn and gets in; a holder that does not move still gives busy at the
 * deadline (writers_are_served_in_turn). */
Test(store, a_long_queue_that_moves_never_gives_busy, .timeout = 60)
{
	fx_open(&fx, 0, "officer");
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t kids[6];
	for (int i = 0; i < 6; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			struct store *w = NULL;
			if (store_open(&w, fx.db, 10000, STORE_EXISTING, NULL) != BR_OK)
				_exit(1);
			if (i > 0)
				usleep(20 * 1000); /* behind the first */
			if (store_begin(w, NULL) != BR_OK)
				_exit(2);
			if (i == 0) {
				ssize_t wr = write(ready[1], "x", 1);
				(void)wr;
			}
			usleep(150 * 1000);
			store_rollback(w);
			store_close(&w);
			_exit(0);
		}
		if (i == 0) {
			char c;
			cr_assert_eq(read(ready[0], &c, 1), 1);
		}
	}
	usleep(100 * 1000); /* the other five have taken their tickets */
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 300, STORE_EXISTING, &why), BR_OK);
	cr_expect_eq(store_begin(s, &why), BR_OK, "a moving queue of 900 ms, a deadline of 300: %s", why ? why : "");
	store_rollback(s);
	store_close(&s);
	for (int i = 0; i < 6; i++) {
		int status;
		waitpid(kids[i], &status, 0);
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d: %d", i, status);
	}
	free(why);
}

/* Issue 27, finding 1: an officer who stops his own writer (SIGSTOP from
 * another shell, Ctrl-Z, a statement that never ends) must not stop every
 * other officer's writes. A stopped writer is ended by its guard, a Ctrl-Z
 * waits until the turn is given back, and a statement that runs past the
 * turn's limit is undone; each time the next writer gets in before its own
 * deadline (10 s here, far past the bound). */
static pid_t holder(const int ready[2], void (*then)(struct store *))
{
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0); /* its own job, as a shell would make it */
		struct store *s = NULL;
		if (store_open(&s, fx.db, 10000, STORE_EXISTING, NULL) != BR_OK || store_begin(s, NULL) != BR_OK)
			_exit(1);
		if (audit_append(s, "officer", "test.held", "test", "", "", NULL) != BR_OK)
			_exit(1);
		ssize_t w = write(ready[1], "x", 1);
		(void)w;
		then(s);
		_exit(0);
	}
	char c;
	cr_assert_eq(read(ready[0], &c, 1), 1);
	return child;
}

static void stop_self(struct store *s)
{
	(void)s;
	raise(SIGSTOP);
}

static void ctrl_z_then_commit(struct store *s)
{
	raise(SIGTSTP);
	usleep(100 * 1000);
	_exit(store_commit(s, NULL) == BR_OK ? 0 : 3);
}

static void spin(struct store *s)
{
	int rc = sqlite3_exec(store_db(s),
			      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
			      "SELECT count(*) FROM c WHERE x < 0",
			      NULL, NULL, NULL);
	store_rollback(s);
	_exit(rc == SQLITE_INTERRUPT ? 0 : 4);
}

static long long held_rows(void)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long n = -1;
	cr_assert_eq(sqlite3_open(fx.db, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE action = 'test.held'", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static int next_writer(void)
{
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 10000, STORE_EXISTING, &why), BR_OK);
	enum br_status st = store_begin(s, &why);
	cr_expect_eq(st, BR_OK, "the next writer gets in: %s", why ? why : "");
	store_rollback(s);
	store_close(&s);
	free(why);
	return st;
}

Test(store, a_writer_stopped_in_its_turn_is_ended_and_others_write, .timeout = 60)
{
	fx_open(&fx, 0, "officer");
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t child = holder(ready, stop_self);
	next_writer();
	int status;
	waitpid(child, &status, WUNTRACED);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "its guard ended it (status %d)", status);
	if (WIFSTOPPED(status)) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	cr_expect_eq(held_rows(), 0, "what it had not saved is not kept");
}

Test(store, ctrl_z_in_a_writers_turn_stops_it_once_the_turn_is_given_back, .timeout = 60)
{
	fx_open(&fx, 0, "officer");
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t child = holder(ready, ctrl_z_then_commit);
	next_writer();
	int status;
	waitpid(child, &status, WUNTRACED);
	cr_expect(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP, "it stops after its commit (status %d)", status);
	kill(child, SIGCONT);
	waitpid(child, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "and its commit was whole (status %d)", status);
	cr_expect_eq(held_rows(), 1, "its write was saved");
}

Test(store, a_statement_past_the_turns_limit_is_undone_and_others_write, .timeout = 60)
{
	fx_open(&fx, 0, "officer");
	int ready[2];
	cr_assert_eq(pipe(ready), 0);
	pid_t child = holder(ready, spin);
	next_writer();
	int status;
	kill(child, SIGKILL); /* before the fix it spins for ever */
	waitpid(child, &status, 0);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the statement was interrupted (status %d)", status);
	cr_expect_eq(held_rows(), 0, "and undone");
}

Test(store, the_schema_holds_its_rules)
{
	fx_open(&fx, 0, "officer");
	sqlite3 *db;
	sqlite3_open(fx.db, &db);
	sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	const char *refused[] = {
		"INSERT INTO provider(name, name_fold, cqc_rating) VALUES ('A','a','Goood')",
		"INSERT INTO provider(name, name_fold, status) VALUES ('A','a','suspended')",
		"INSERT INTO provider(name, name_fold, status, suspended_reason, suspended_on) "
		"VALUES ('A','a','active','x','2026-01-01')",
		"INSERT INTO capacity VALUES (999, 'HC', 'WAL', 5, 'x')",
		"INSERT INTO award(service, locality, provider_id, tier, valid_from) "
		"VALUES ('HC', NULL, 1, 'primary', '2019-04-01')",
		"INSERT INTO users VALUES ('x','X','guest',NULL,0,'x')",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		cr_expect_neq(sqlite3_exec(db, refused[i], NULL, NULL, NULL), SQLITE_OK, "%s", refused[i]);
	cr_assert_eq(sqlite3_exec(db, "INSERT INTO provider(id, name, name_fold) VALUES (1,'A','a');"
				      "INSERT INTO capacity VALUES (1, 'HC', 'WAL', 5, 'x')", NULL, NULL,
				  NULL), SQLITE_OK);
	cr_expect_neq(sqlite3_exec(db, "UPDATE capacity SET free = free - 6", NULL, NULL, NULL),
		      SQLITE_OK, "capacity never goes below zero");
	cr_expect_str_eq(fx_query(&fx, "SELECT free FROM capacity"), "5");
	sqlite3_close(db);
}

/* Issue 15: the search keys stored beside the names are remade, once, when
 * the folding changes (a database folded by an older program). */
Test(store, init_remakes_search_keys_folded_by_an_older_program)
{
	fx_open(&fx, 20, "admin");
	session_close(&fx.s);
	fx_sql(&fx, "UPDATE service_user SET family_name = 'Łukasiewicz', family_fold = 'ukasiewicz' WHERE id = 1;"
		    "UPDATE provider SET name_fold = 'stale' WHERE id = 1;"
		    "DELETE FROM meta WHERE key = 'fold_version'");
	init("admin", BR_OK);
	cr_expect_str_eq(fx_query(&fx, "SELECT family_fold FROM service_user WHERE id = 1"), "lukasiewicz");
	cr_expect_str_neq(fx_query(&fx, "SELECT name_fold FROM provider WHERE id = 1"), "stale");
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit ORDER BY id DESC LIMIT 1"),
			 "2 names' search keys remade (utf8proc-1)");
	long long rows = atoll(fx_query(&fx, "SELECT count(*) FROM audit"));
	init("admin", BR_OK);
	cr_expect_eq(atoll(fx_query(&fx, "SELECT count(*) FROM audit")), rows, "once only");
}

/* Issue 21: the checkpoint runs after the writer has given its turn back,
 * not inside COMMIT (SQLite's automatic one is off). This test proves only
 * that it still runs: 300 commits of about five pages each leave the WAL
 * under the 1,000 frames at which a writer copies it back (1,822 with the
 * hook and no checkpoint). That it runs after store_queue_release is read
 * from store_commit, not timed here. */
Test(store, the_checkpoint_moved_out_of_commit_still_keeps_the_wal_short)
{
	fx_open(&fx, 0, "officer");
	struct store *s = NULL;
	char *why = NULL;
	cr_assert_eq(store_open(&s, fx.db, 5000, STORE_EXISTING, &why), BR_OK, "%s", why ? why : "");
	cr_assert_eq(store_exec(s, "CREATE TABLE bulk(x BLOB)", &why), BR_OK, "%s", why ? why : "");
	for (int i = 0; i < 300; i++) {
		cr_assert_eq(store_begin(s, &why), BR_OK, "%s", why ? why : "");
		cr_assert_eq(store_exec(s, "INSERT INTO bulk SELECT randomblob(3000) FROM (SELECT 1 UNION ALL SELECT 2 "
					   "UNION ALL SELECT 3 UNION ALL SELECT 4)", &why), BR_OK);
		cr_assert_eq(store_commit(s, &why), BR_OK, "%s", why ? why : "");
	}
	/* frames in the WAL now (a passive checkpoint of nothing left to copy) */
	sqlite3 *other;
	cr_assert_eq(sqlite3_open(fx.db, &other), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(other, "SELECT count(*) FROM bulk", NULL, NULL, NULL), SQLITE_OK);
	int log = -1, done = -1;
	cr_assert_eq(sqlite3_wal_checkpoint_v2(other, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done), SQLITE_OK);
	cr_expect_lt(log, 1100, "the WAL is %d frames long after 300 commits", log);
	cr_expect_gt(log, 0, "the WAL has %d frames (%d copied back)", log, done);
	sqlite3_close(other);
	store_close(&s);
	br_free_str(&why);
}
