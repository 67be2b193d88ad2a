/* The team deployment (issue 9): what the setgid program takes from its
 * caller, the files it writes, and the witness of the audit chain. The
 * real logins and the installed binary are tests/deploy.sh; these are the
 * same rules at the core, one test each. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "demo.h"

static struct fixture fx;
static void teardown(void)
{
	priv_pretend(-1);
	store_set_witness(NULL, NULL);
	fx_close(&fx);
}

TestSuite(deploy, .fini = teardown);

static struct init_options admin_opts(bool demo)
{
	struct init_options o = {.demo_fill = demo_build, .demo = demo, .scale_permille = 20, .seed = 7, .login = "alice"};
	return o;
}

static enum br_status init_as(struct init_options *o, char **why)
{
	struct br_config cfg;
	cr_assert_eq(config_load(&cfg, fx.cfg, NULL), BR_OK);
	struct init_report rep;
	return init_database(&cfg, o, &rep, why);
}

static bool exists(const char *suffix)
{
	char p[400];
	snprintf(p, sizeof p, "%s%s", fx.db, suffix);
	return access(p, F_OK) == 0;
}

static int mode_of(const char *suffix)
{
	char p[400];
	struct stat sb;
	snprintf(p, sizeof p, "%s%s", fx.db, suffix);
	cr_assert_eq(stat(p, &sb), 0, "%s", p);
	return (int)(sb.st_mode & 07777);
}

/* Finding 3: init made the database 0644 and the -wq file 0640. */
Test(deploy, every_file_of_a_new_database_is_group_shared_0660)
{
	fx_config(&fx, NULL);
	umask(022);
	struct init_options o = admin_opts(false);
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	cr_expect_eq(mode_of(""), 0660);
	cr_expect_eq(mode_of("-wal"), 0660);
	cr_expect_eq(mode_of("-shm"), 0660);
	cr_expect_eq(mode_of("-wq"), 0660);
	/* a session opens and closes: -wal and -shm stay, as init made them */
	struct session *s = NULL;
	cr_assert_eq(session_open(&s, fx.cfg, NULL, NULL), BR_DENIED); /* the test's login is no user */
	cr_expect(exists("-wal") && exists("-shm"));
}

Test(deploy, a_demo_database_is_group_shared_too_and_marked_demo)
{
	fx_config(&fx, NULL);
	struct init_options o = admin_opts(true);
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	cr_expect_eq(mode_of(""), 0660);
	cr_expect_eq(mode_of("-wq"), 0660);
	cr_expect_str_eq(fx_query(&fx, "SELECT value FROM meta WHERE key = 'demo'"), "true");
	cr_expect_not(exists(".building"));
	cr_expect_not(exists(".building-wal"));
}

/* Finding 4: a login that is no user built a whole demo in the data
 * directory before it was refused, and left a -wq file of its own. */
Test(deploy, an_elevated_caller_builds_no_demo_and_creates_nothing)
{
	fx_config(&fx, NULL);
	priv_pretend(1);
	char *why = NULL;
	struct init_options o = admin_opts(true);
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "never built by the installed program"), "%s", why);
	cr_expect_not(exists(""));
	cr_expect_not(exists("-wq"));
	cr_expect_not(exists(".building"));
	o = admin_opts(false);
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "the first init is root's"), "%s", why);
	cr_expect_not(exists(""));
	br_free_str(&why);
}

Test(deploy, a_session_of_a_login_that_is_no_user_leaves_no_file)
{
	fx_open(&fx, 0, "admin");
	session_close(&fx.s);
	char wq[400];
	snprintf(wq, sizeof wq, "%s-wq", fx.db);
	cr_assert_eq(unlink(wq), 0);
	struct session *s = NULL;
	char *why = NULL;
	cr_expect_eq(session_open(&s, fx.cfg, "mallory", &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "'mallory' is not a brokerage user"), "%s", why);
	cr_expect_not(exists("-wq"));
	br_free_str(&why);
}

/* Finding 1: the clock and --as came from the caller, on a live database. */
Test(deploy, a_live_database_refuses_as_and_a_fixed_clock)
{
	fx_config(&fx, NULL);
	struct init_options o = admin_opts(false);
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	fx_sql(&fx, "INSERT INTO users(login, name, role, created_at) VALUES ('bob','B','officer','x')");
	struct session *s = NULL;
	char *why = NULL;
	cr_expect_eq(session_open(&s, fx.cfg, "alice", &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "--as is refused"), "%s", why);
	o.as_given = true;
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "--as is refused"), "%s", why);
	/* and an init by an officer is refused before it migrates anything */
	o = admin_opts(false);
	o.login = "bob";
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	setenv("BROKERAGE_NOW", "2020-01-01", 1);
	o.login = "alice";
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "BROKERAGE_NOW"), "%s", why);
	cr_expect_eq(session_clock(false, &why), BR_DENIED);
	cr_expect_eq(session_clock(true, NULL), BR_OK);
	cr_expect_eq(clock_now(), 1577836800);
	unsetenv("BROKERAGE_NOW");
	br_free_str(&why);
}

/* Finding 2: export --out FILE opened FILE.part, following a link. */
Test(deploy, a_part_file_that_is_a_link_is_never_followed)
{
	fx_open(&fx, 0, "admin");
	char dir[400], out[420], part[430];
	snprintf(dir, sizeof dir, "%s/files", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(out, sizeof out, "%s/x.csv", dir);
	snprintf(part, sizeof part, "%s.part", out);
	cr_assert_eq(symlink(fx.db, part), 0);
	struct stat before, after;
	cr_assert_eq(stat(fx.db, &before), 0);
	struct outfile of;
	char *why = NULL;
	cr_expect_eq(outfile_open(&of, out, fx.db, &why), BR_IO);
	cr_expect_not_null(strstr(why, "is in the way"), "%s", why);
	cr_assert_eq(stat(fx.db, &after), 0);
	cr_expect_eq(after.st_size, before.st_size);
	cr_expect_eq(after.st_mtime, before.st_mtime);
	br_free_str(&why);
}

Test(deploy, never_into_the_databases_folder_nor_over_its_files)
{
	fx_open(&fx, 0, "admin");
	struct outfile of;
	char *why = NULL, p[420];
	snprintf(p, sizeof p, "%s/x.csv", fx.dir);
	cr_expect_eq(outfile_open(&of, p, fx.db, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "database's folder"), "%s", why);
	char dir[400];
	snprintf(dir, sizeof dir, "%s/files", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	static const char *const sides[] = {"", "-wal", "-shm", "-wq"};
	for (int i = 0; i < 4; i++) {
		char target[420];
		snprintf(target, sizeof target, "%s%s", fx.db, sides[i]);
		snprintf(p, sizeof p, "%s/hard%d", dir, i);
		cr_assert_eq(link(target, p), 0, "%s", target);
		cr_expect_eq(outfile_open(&of, p, fx.db, &why), BR_DENIED, "%s", sides[i]);
		cr_expect_eq(export_backup(fx.s, p, NULL, &why), BR_DENIED, "%s", sides[i]);
	}
	br_free_str(&why);
}

Test(deploy, a_written_file_is_private_and_whole)
{
	fx_open(&fx, 20, "admin");
	char dir[400], p[420];
	snprintf(dir, sizeof dir, "%s/files", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(p, sizeof p, "%s/b.db", dir);
	umask(022);
	long long pages = 0;
	char *why = NULL;
	cr_assert_eq(export_backup(fx.s, p, &pages, &why), BR_OK, "%s", why ? why : "");
	struct stat sb;
	cr_assert_eq(stat(p, &sb), 0);
	cr_expect_eq(sb.st_mode & 0777, 0600);
	cr_expect_gt(pages, 10);
	char part[430];
	snprintf(part, sizeof part, "%s.part", p);
	cr_expect_neq(access(part, F_OK), 0);
}

/* Every export is audited before a byte of it is written: an export
 * whose output fails still leaves its audit row. */
Test(deploy, an_export_that_fails_is_still_on_the_record)
{
	fx_open(&fx, 20, "admin");
	long long before = atoll(fx_query(&fx, "SELECT count(*) FROM audit"));
	FILE *full = fopen("/dev/full", "w");
	cr_assert_not_null(full);
	char *why = NULL;
	cr_expect_eq(export_run(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, full, NULL, &why), BR_IO);
	fclose(full);
	cr_expect_eq(atoll(fx_query(&fx, "SELECT count(*) FROM audit")), before + 1);
	cr_expect_str_eq(fx_query(&fx, "SELECT action || ' ' || entity FROM audit ORDER BY id DESC LIMIT 1"),
			 "export service-users");
	/* a refused export writes nothing at all */
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "officer", NULL), BR_OK);
	char dir[400], p[420], part[430];
	snprintf(dir, sizeof dir, "%s/files", fx.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(p, sizeof p, "%s/x.csv", dir);
	snprintf(part, sizeof part, "%s.part", p);
	cr_expect_eq(export_to_file(fx.s, EXPORT_SERVICE_USERS, EXPORT_CSV, NULL, p, NULL, &why), BR_DENIED);
	cr_expect_neq(access(part, F_OK), 0, "nothing opened before the role check");
	cr_expect_eq(atoll(fx_query(&fx, "SELECT count(*) FROM audit")), before + 1);
	/* an attack refused at the file leaves no audit row either */
	session_close(&fx.s);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	cr_assert_eq(symlink(fx.db, part), 0);
	cr_expect_eq(export_to_file(fx.s, EXPORT_AUDIT, EXPORT_CSV, NULL, p, NULL, &why), BR_IO);
	cr_expect_eq(atoll(fx_query(&fx, "SELECT count(*) FROM audit")), before + 1);
	unlink(part);
	/* and one that goes through is on the record with where it went */
	cr_expect_eq(export_to_file(fx.s, EXPORT_AUDIT, EXPORT_CSV, NULL, p, NULL, &why), BR_OK);
	char want[500];
	snprintf(want, sizeof want, "csv to %s", p);
	cr_expect_str_eq(fx_query(&fx, "SELECT detail FROM audit WHERE action = 'export' ORDER BY id DESC LIMIT 1"), want);
	br_free_str(&why);
}

/* ---- the witness ------------------------------------------------------- */

static FILE *witness_log;
static void to_log(void *ctx, const char *line)
{
	(void)ctx;
	/* as rsyslog writes it */
	fprintf(witness_log, "Nov 22 10:00:00 host brokerage[42]: %s\n", line);
	fflush(witness_log);
}

static int check_quiet_problems;
static char check_last[512];
static void note(void *ctx, int ok, const char *line)
{
	(void)ctx;
	if (!ok)
		check_quiet_problems++;
	snprintf(check_last, sizeof check_last, "%s", line);
}

static enum br_status witness(const char *log)
{
	check_quiet_problems = 0;
	return check_witness(fx.s, log, note, NULL, NULL);
}

Test(deploy, the_witness_proves_a_cut_tail_and_a_rewritten_chain)
{
	char log[400];
	fx_config(&fx, NULL);
	snprintf(log, sizeof log, "%s/auth.log", fx.dir);
	witness_log = fopen(log, "w");
	cr_assert_not_null(witness_log);
	/* a line for another database is skipped */
	fprintf(witness_log, "x brokerage[1]: audit-head db=/elsewhere.db seq=999 hash=%064d\n", 0);
	store_set_witness(to_log, NULL);
	struct init_options o = admin_opts(false);
	o.login = "admin";
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	fx_sql(&fx, "INSERT OR REPLACE INTO meta VALUES ('demo', 'true')");
	long long at_init = atoll(fx_query(&fx, "SELECT max(id) FROM audit")); /* its head went at its close */
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	for (int i = 0; i < 5; i++) {
		char login[16];
		snprintf(login, sizeof login, "u%d", i);
		cr_assert_eq(user_add(fx.s, login, "U", "viewer", -1, NULL), BR_OK);
	}
	store_witness_flush(fx.s->store); /* as the store closing would */
	long long rows = atoll(fx_query(&fx, "SELECT max(id) FROM audit"));
	cr_expect_eq(witness(log), BR_OK, "%s", check_last);
	cr_expect_not_null(strstr(check_last, "heads agree"), "%s", check_last);

	/* a line any login could send with logger(1), claiming a later head:
	 * not signed with the database's key, so not evidence, and named */
	FILE *fl = fopen(log, "a");
	char real[400];
	cr_assert_not_null(realpath(fx.db, real));
	fprintf(fl, "x brokerage[9]: audit-head db=%s seq=%lld hash=%064d mac=%064d\n", real, rows + 50, 0, 0);
	fprintf(fl, "x brokerage[9]: audit-head db=%s seq=%lld hash=%064d\n", real, rows + 60, 0);
	fclose(fl);
	cr_expect_eq(witness(log), BR_DATA);
	cr_expect_eq(check_quiet_problems, 1, "only the forged lines are a problem");
	cr_expect_not_null(strstr(check_last, "signed heads agree"), "%s", check_last);

	/* the chain rewritten from two rows past init's (hashes recomputed
	 * would differ too): heads went at init's close and at the session's
	 * first write; the witnessed head past the rewrite differs, the one
	 * before it agrees */
	char want[120], sql0[200];
	snprintf(sql0, sizeof sql0,
		 "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET hash = zeroblob(32) WHERE id >= %lld",
		 at_init + 2);
	fx_sql(&fx, sql0);
	cr_expect_eq(witness(log), BR_DATA);
	snprintf(want, sizeof want, "audit row %lld has another hash", rows);
	cr_expect_not_null(strstr(check_last, want), "%s", check_last);
	snprintf(want, sizeof want, "after row %lld (the last head that agrees)", at_init + 1);
	cr_expect_not_null(strstr(check_last, want), "%s", check_last);

	/* the last two rows cut, the trigger dropped first as an attacker would;
	 * heads are sent a line a second (rows 1, 2 and the last here): the
	 * first row cut is named from where the chain now ends */
	char sql[200];
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > %lld",
		 rows - 2);
	fx_sql(&fx, sql);
	audit_verify(fx.s->store, NULL, NULL, NULL);
	cr_expect_eq(witness(log), BR_DATA);
	snprintf(want, sizeof want, "audit rows %lld to %lld are missing", rows - 1, rows);
	cr_expect_not_null(strstr(check_last, want), "%s", check_last);
	fclose(witness_log);
}

/* Issue 27, finding 2: the key that signs the witness is not in the
 * database it protects. Someone with the group's rights cuts the audit
 * tail, puts a key of their own in the database and logs one head signed
 * with it: the cut is still named (the program never reads a key from the
 * database). Root swapping the key file itself is named too: the heads in
 * the log carry their key's id, and the database knows the id it was made
 * with. */
static char check_all[4000];
static void note_all(void *ctx, int ok, const char *line)
{
	note(ctx, ok, line);
	size_t n = strlen(check_all);
	snprintf(check_all + n, sizeof check_all - n, "%s\n", line);
}

static enum br_status witness_all(const char *log)
{
	check_quiet_problems = 0;
	check_all[0] = '\0';
	return check_witness(fx.s, log, note_all, NULL, NULL);
}

static enum br_status check_all_run(void)
{
	check_quiet_problems = 0;
	check_all[0] = '\0';
	return check_run(fx.s, note_all, NULL, NULL);
}

Test(deploy, the_witness_key_is_not_in_the_database_and_a_swapped_key_is_named)
{
	char log[400], keyfile[400], real[400];
	fx_config(&fx, NULL);
	snprintf(log, sizeof log, "%s/auth.log", fx.dir);
	snprintf(keyfile, sizeof keyfile, "%s/witness.key", fx.dir);
	witness_log = fopen(log, "w");
	cr_assert_not_null(witness_log);
	store_set_witness(to_log, NULL);
	struct init_options o = admin_opts(false);
	o.login = "admin";
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	fx_sql(&fx, "INSERT OR REPLACE INTO meta VALUES ('demo', 'true')");
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM meta WHERE key = 'witness_key'"), "0",
			 "the key is not in the database");
	struct stat sb;
	cr_assert_eq(stat(keyfile, &sb), 0, "init made the key file beside the config");
	cr_expect_eq(sb.st_mode & 0777, 0640);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	for (int i = 0; i < 5; i++) {
		char login[16];
		snprintf(login, sizeof login, "k%d", i);
		cr_assert_eq(user_add(fx.s, login, "K", "viewer", -1, NULL), BR_OK);
	}
	session_close(&fx.s); /* the latest head is sent at close */
	long long rows = atoll(fx_query(&fx, "SELECT max(id) FROM audit"));
	cr_assert_not_null(realpath(fx.db, real));

	/* the attack: the tail cut, a key of the attacker's in the database,
	 * and one head signed with it for the chain's new end */
	char sql[300];
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > %lld", rows - 2);
	fx_sql(&fx, sql);
	unsigned char k2[crypto_auth_KEYBYTES], m[crypto_auth_BYTES];
	char k2hex[2 * crypto_auth_KEYBYTES + 1], mhex[2 * crypto_auth_BYTES + 1];
	crypto_auth_keygen(k2);
	sodium_bin2hex(k2hex, sizeof k2hex, k2, sizeof k2);
	snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES ('witness_key', '%s')", k2hex);
	fx_sql(&fx, sql);
	char head[600];
	snprintf(head, sizeof head, "audit-head db=%s seq=%lld hash=%s", real, rows - 2,
		 fx_query(&fx, "SELECT lower(hex(hash)) FROM audit ORDER BY id DESC LIMIT 1"));
	crypto_auth(m, (const unsigned char *)head, strlen(head), k2);
	sodium_bin2hex(mhex, sizeof mhex, m, sizeof m);
	fprintf(witness_log, "Nov 22 10:00:09 host brokerage[77]: %s mac=%s\n", head, mhex);
	fflush(witness_log);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	cr_expect_eq(witness_all(log), BR_DATA);
	char want[120];
	snprintf(want, sizeof want, "audit rows %lld to %lld are missing", rows - 1, rows);
	cr_expect_not_null(strstr(check_all, want), "the cut is named: %s", check_all);
	cr_expect_not_null(strstr(check_all, "not signed with its key"), "the attacker's head is not evidence: %s",
			   check_all);
	cr_expect_eq(check_all_run(), BR_DATA);
	cr_expect_not_null(strstr(check_all, "witness key in the database"), "check names the planted key: %s",
			   check_all);
	session_close(&fx.s);

	/* root swaps the key file itself: the heads in the log were signed with
	 * another key, and the database knows the one it was made with */
	FILE *kf = fopen(keyfile, "w");
	cr_assert_not_null(kf);
	fprintf(kf, "%s\n", k2hex);
	fclose(kf);
	cr_assert_eq(session_open(&fx.s, fx.cfg, "admin", NULL), BR_OK);
	cr_expect_eq(witness_all(log), BR_DATA);
	cr_expect_not_null(strstr(check_all, "signed with another witness key"), "the swap is named: %s", check_all);
	cr_expect_eq(check_all_run(), BR_DATA);
	cr_expect_not_null(strstr(check_all, "not the one this database was made with"), "%s", check_all);
	fclose(witness_log);
	store_set_witness(NULL, NULL);
}

/* issue 21: the witness is off the commit path: writes within a second
 * send one line between them, the latest head; the rest waits for a
 * second to pass (a quiet session's tick) or for the store to close, and
 * the latest head is never lost */
static int witness_lines;
static char witness_last[600];
static void count_line(void *ctx, const char *line)
{
	(void)ctx;
	witness_lines++;
	snprintf(witness_last, sizeof witness_last, "%s", line);
}

static long long seq_of(const char *line)
{
	const char *p = strstr(line, " seq=");
	return p ? atoll(p + 5) : -1;
}

Test(deploy, the_witness_sends_a_line_a_second_and_the_latest_head_at_close)
{
	fx_open(&fx, 0, "admin");
	store_set_witness(count_line, NULL);
	witness_lines = 0;
	for (int i = 0; i < 20; i++) {
		char login[16];
		snprintf(login, sizeof login, "w%d", i);
		cr_assert_eq(user_add(fx.s, login, "W", "viewer", -1, NULL), BR_OK);
	}
	long long last = atoll(fx_query(&fx, "SELECT max(id) FROM audit"));
	cr_expect_leq(witness_lines, 2, "20 writes in well under a second: %d lines", witness_lines);
	cr_expect_geq(witness_lines, 1);
	int before = witness_lines;
	session_idle(fx.s); /* not a second yet: nothing more */
	cr_expect_eq(witness_lines, before);
	usleep(1100 * 1000);
	session_idle(fx.s); /* a second on: the latest head goes */
	cr_expect_eq(witness_lines, before + 1);
	cr_expect_eq(seq_of(witness_last), last, "%s", witness_last);
	/* one more write, then the session closes: its head is sent at once */
	cr_assert_eq(user_add(fx.s, "w99", "W", "viewer", -1, NULL), BR_OK);
	session_close(&fx.s);
	cr_expect_eq(seq_of(witness_last), last + 1, "%s", witness_last);
	int closed = witness_lines;
	store_set_witness(NULL, NULL);
	cr_expect_eq(closed, before + 2);
}

Test(deploy, a_witness_log_without_this_database_is_a_problem)
{
	fx_open(&fx, 0, "admin");
	const char *log = fx_write(&fx, "empty.log", "Nov 22 nothing here\n");
	cr_expect_eq(witness(log), BR_DATA);
	cr_expect_not_null(strstr(check_last, "no signed audit heads"), "%s", check_last);
	char *why = NULL;
	cr_expect_eq(check_witness(fx.s, "/nonexistent.log", note, NULL, &why), BR_NOINPUT);
	br_free_str(&why);
}

/* Review: a database with no users (root's first init cut short) is not
 * finished by an officer, who would make itself admin; and a refused init
 * leaves no queue file of the caller's. */
Test(deploy, a_database_without_users_is_finished_by_root_only)
{
	fx_config(&fx, NULL);
	fx_sql(&fx, "PRAGMA user_version = 0"); /* an empty file, as a cut-short init leaves */
	struct init_options o = admin_opts(false);
	cr_assert_eq(init_as(&o, NULL), BR_OK);
	fx_sql(&fx, "DELETE FROM users");
	char wq[400];
	snprintf(wq, sizeof wq, "%s-wq", fx.db);
	cr_assert_eq(unlink(wq), 0);
	priv_pretend(1);
	char *why = NULL;
	o.login = "mallory";
	o.first_admin = "mallory";
	cr_expect_eq(init_as(&o, &why), BR_DENIED);
	cr_expect_not_null(strstr(why, "no users yet"), "%s", why);
	cr_expect_str_eq(fx_query(&fx, "SELECT count(*) FROM users"), "0");
	cr_expect_not(exists("-wq"), "a refused init makes no file");
	priv_pretend(-1);
	br_free_str(&why);
}
