#include "init.h"

#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "session.h"
#include "domain.h"
#include "privilege.h"
#include "store_internal.h"
#include "util.h"

static enum br_status upsert(struct store *s, const char *sql, const char *a, const char *b,
			     const char *c, int sort, int *changes, char **why)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "writing reference data", why);
	store_bind_text(st, 1, a);
	store_bind_text(st, 2, b);
	if (c)
		store_bind_text(st, 3, c);
	else
		sqlite3_bind_int(st, 3, sort);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "writing reference data", why);
	*changes += sqlite3_changes(store_db(s));
	return BR_OK;
}

enum br_status init_reference_sync(struct store *s, const struct br_config *cfg, int *changes,
			      char **why)
{
	enum br_status st;
	*changes = 0;
	for (int i = 0; i < NEED_COUNT; i++)
		if ((st = upsert(s, "INSERT INTO need(code, name) VALUES (?1, ?2) "
				    "ON CONFLICT(code) DO UPDATE SET name = excluded.name "
				    "WHERE name <> excluded.name",
				 need_code(i), need_name(i), NULL, 0, changes, why)))
			return st;
	for (int i = 0; i < SERVICE_COUNT; i++)
		if ((st = upsert(s, "INSERT INTO service(code, name, unit) VALUES (?1, ?2, ?3) "
				    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
				    "unit = excluded.unit WHERE name <> excluded.name OR unit <> excluded.unit",
				 service_code(i), service_name(i), service_unit(i), 0, changes, why)))
			return st;
	for (int i = 0; i < cfg->n_localities; i++)
		if ((st = upsert(s, "INSERT INTO locality(code, name, sort) VALUES (?1, ?2, ?3) "
				    "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
				    "sort = excluded.sort WHERE name <> excluded.name OR sort <> excluded.sort",
				 cfg->localities[i].code, cfg->localities[i].name, NULL, i, changes, why)))
			return st;
	return BR_OK;
}

static enum br_status count_rows(struct store *s, const char *table, long long *n, char **why)
{
	char sql[96];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	int rc = sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "counting rows", why);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? BR_OK : store_error(s, rc, "counting rows", why);
}

static enum br_status add_first_admin(struct store *s, const char *login, bool *added, char **why)
{
	long long n;
	enum br_status st = count_rows(s, "users", &n, why);
	*added = false;
	if (st != BR_OK || n > 0 || !login || !*login)
		return st;
	char name[64] = "";
	struct passwd *pw = getpwnam(login);
	if (pw && pw->pw_gecos && *pw->pw_gecos) {
		text_copy(name, sizeof name, pw->pw_gecos);
		char *comma = strchr(name, ',');
		if (comma)
			*comma = '\0';
	}
	/* the GECOS name is a name as any other (text_name), or the login */
	if (text_name(name, sizeof name - 1) != TEXT_NAME_OK)
		text_copy(name, sizeof name, login);
	char now[21];
	clock_stamp(clock_now(), now);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(s),
		"INSERT INTO users(login, name, role, created_at) VALUES (?1, ?2, 'admin', ?3)", -1, &q,
		NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "adding the first admin", why);
	store_bind_text(q, 1, login);
	store_bind_text(q, 2, name);
	store_bind_text(q, 3, now);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "adding the first admin", why);
	*added = true;
	return audit_append(s, login, "user.add", "user", login, "role=admin (first admin, by init)",
			    why);
}

/* The search keys of names (text_fold) are stored beside the names; when
 * the folding changes, they are made again here, once, inside init's
 * transaction. FOLD_VERSION names the folding of this program. */
#define FOLD_VERSION "utf8proc-1"

static enum br_status refold_table(struct store *s, const char *select, const char *update,
				   int n_names, long long *changed, char **why)
{
	sqlite3_stmt *q, *u;
	int rc = sqlite3_prepare_v2(store_db(s), select, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "remaking the search keys", why);
	rc = sqlite3_prepare_v2(store_db(s), update, -1, &u, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(q);
		return store_error(s, rc, "remaking the search keys", why);
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(q, 0));
		bool differs = false;
		for (int i = 0; i < n_names; i++) {
			char fold[256];
			const char *name = (const char *)sqlite3_column_text(q, 1 + i);
			const char *old = (const char *)sqlite3_column_text(q, 1 + n_names + i);
			text_fold(name ? name : "", fold, sizeof fold);
			differs |= !old || strcmp(old, fold) != 0;
			sqlite3_bind_text(u, 2 + i, fold, -1, SQLITE_TRANSIENT);
		}
		if (differs) {
			if ((rc = sqlite3_step(u)) != SQLITE_DONE)
				break;
			(*changed)++;
		}
		sqlite3_reset(u);
		rc = SQLITE_ROW;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "remaking the search keys", why);
	return BR_OK;
}

static enum br_status refold(struct store *s, const char *login, char **why)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(s), "SELECT value FROM meta WHERE key = 'fold_version'", -1, &q,
				    NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "reading the folding", why);
	bool current = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
		       strcmp((const char *)sqlite3_column_text(q, 0), FOLD_VERSION) == 0;
	sqlite3_finalize(q);
	if (current)
		return BR_OK;
	long long changed = 0;
	enum br_status st = refold_table(s, "SELECT id, family_name, given_name, family_fold, given_fold FROM service_user",
					 "UPDATE service_user SET family_fold = ?2, given_fold = ?3 WHERE id = ?1", 2,
					 &changed, why);
	if (st == BR_OK)
		st = refold_table(s, "SELECT id, name, name_fold FROM provider",
				  "UPDATE provider SET name_fold = ?2 WHERE id = ?1", 1, &changed, why);
	if (st == BR_OK)
		st = store_exec(s, "INSERT OR REPLACE INTO meta VALUES ('fold_version', '" FOLD_VERSION "')", why);
	if (st == BR_OK && changed > 0) {
		char detail[96];
		snprintf(detail, sizeof detail, "%lld names' search keys remade (%s)", changed, FOLD_VERSION);
		st = audit_append(s, login && *login ? login : "system", "search.refold", "config", "", detail, why);
	}
	return st;
}

/* Migrate, sync reference data and make sure there is an admin: one
 * transaction each, nothing written when nothing needs to change. */
static enum br_status setup(struct store *s, const struct br_config *cfg,
			    const struct init_options *opts, struct init_report *rep, char **why)
{
	enum br_status st = store_migrate(s, &rep->from_version, &rep->to_version, why);
	if (st != BR_OK)
		return st;
	/* refolding every name after a change of rule is an admin's bulk load */
	bool was = store_long_turn(s, true);
	st = store_begin(s, why);
	store_long_turn(s, was);
	if (st != BR_OK)
		return st;
	if ((st = init_reference_sync(s, cfg, &rep->reference_changes, why)) != BR_OK)
		goto fail;
	if (rep->reference_changes > 0 && rep->from_version > 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "%d reference rows", rep->reference_changes);
		if ((st = audit_append(s, opts->login ? opts->login : "?", "reference.sync", "config",
				       cfg->path, detail, why)) != BR_OK)
			goto fail;
	}
	if ((st = refold(s, opts->login, why)) != BR_OK)
		goto fail;
	if ((st = store_witness_key_make(s, cfg->witness_key, rep->from_version == 0, opts->login, why)) != BR_OK)
		goto fail;
	if ((st = add_first_admin(s, opts->first_admin ? opts->first_admin : opts->login,
				   &rep->first_admin, why)) != BR_OK)
		goto fail;
	return store_commit(s, why);
fail:
	store_rollback(s);
	return st;
}

/* The side file a demo is built in, and the files beside it (WAL files
 * persist: store.c). */
static void remove_building(const char *tmp)
{
	static const char *const sides[] = {"", "-wal", "-shm", "-wq", "-journal"};
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		char side[PATH_MAX + 32];
		snprintf(side, sizeof side, "%s%s", tmp, sides[i]);
		unlink(side);
	}
}

static enum br_status build_demo(const struct br_config *cfg, const struct init_options *opts,
				 struct init_report *rep, char **why)
{
	char tmp[PATH_MAX + 16];
	snprintf(tmp, sizeof tmp, "%s.building", cfg->database);
	remove_building(tmp);
	struct store *s = NULL;
	enum br_status st = store_open(&s, tmp, cfg->busy_timeout_ms, STORE_CREATE, why);
	if (st != BR_OK)
		return st;
	if ((st = store_bulk_mode(s, true, why)) != BR_OK)
		goto fail;
	if ((st = setup(s, cfg, opts, rep, why)) != BR_OK)
		goto fail;
	if ((st = opts->demo_fill(s, cfg, opts, rep, why)) != BR_OK)
		goto fail;
	if ((st = store_bulk_mode(s, false, why)) != BR_OK)
		goto fail;
	store_close(&s);
	/* The demo appears whole or not at all. */
	if (link(tmp, cfg->database) != 0) {
		st = errno == EEXIST
			? br_fail(why, BR_CONFLICT, "%s appeared while the demo was being built; "
						    "left it alone", cfg->database)
			: br_fail(why, BR_IO, "%s: cannot create: %s", cfg->database, strerror(errno));
		remove_building(tmp);
		return st;
	}
	remove_building(tmp);
	rep->demo_built = true;
	return BR_OK;
fail:
	store_close(&s);
	remove_building(tmp);
	return st;
}

/* The data directory of the installed program, or the folder holding it:
 * a demo is never built there. */
static bool in_live_datadir(const char *db)
{
	const char *live = priv_installed_datadir();
	if (!live)
		return false;
	char dir[PATH_MAX], real_db_dir[PATH_MAX], real_live[PATH_MAX];
	path_folder(db, dir, sizeof dir);
	if (!realpath(dir, real_db_dir) || !realpath(live, real_live))
		return false;
	return strcmp(real_db_dir, real_live) == 0;
}

/* Who may run init, decided before anything is created or written. */
static enum br_status init_allowed(const struct br_config *cfg, const struct init_options *opts,
				   bool exists, char **why)
{
	if (opts->demo && !opts->demo_fill)
		return br_fail(why, BR_DENIED, "a demo database is never built by the installed program: "
					       "it has no demo generator; build one with brokerage-demo "
					       "from a source tree (make demo)");
	if (opts->demo && priv_elevated())
		return br_fail(why, BR_DENIED, "a demo database is never built by the installed program: "
					       "build one with your own rights from a source tree (make run)");
	if (opts->demo && !exists && in_live_datadir(cfg->database))
		return br_fail(why, BR_DENIED, "%s is in the live data directory: a demo is built only "
					       "somewhere of your own", cfg->database);
	if (!exists) {
		if (opts->as_given && !opts->demo)
			return br_fail(why, BR_DENIED, "--as is refused: it works only on a demo database "
						       "(made by brokerage-demo init --demo)");
		if (priv_elevated())
			return br_fail(why, BR_DENIED, "%s does not exist; the first init is root's "
						       "(sudo brokerage init --admin LOGIN)", cfg->database);
	}
	return BR_OK;
}

/* On an existing database: --as and a fixed clock only on a demo; once it
 * has users, only an admin (or root, who can write the file anyway) may
 * migrate it or sync its reference data. */
static enum br_status existing_allowed(struct store *s, const struct init_options *opts, char **why)
{
	bool demo = false;
	int version = 0;
	long long users = 0;
	enum br_status st = store_schema_version(s, &version, why);
	if (st == BR_OK && version >= 1)
		st = store_is_demo(s, &demo, why);
	if (st != BR_OK)
		return st;
	if (opts->as_given && !demo)
		return br_fail(why, BR_DENIED, "--as is refused: it works only on a demo database "
					       "(made by brokerage-demo init --demo), and %s is live", store_path(s));
	if ((st = session_clock(demo, why)) != BR_OK)
		return st;
	if (version >= 1)
		st = count_rows(s, "users", &users, why);
	if (st != BR_OK)
		return st;
	/* a database with no users yet is finished by whoever may make one:
	 * never by a caller who has only the installed program's group */
	if (users == 0)
		return priv_elevated() ? br_fail(why, BR_DENIED, "%s has no users yet; its first init is "
								  "root's (sudo brokerage init --admin LOGIN)",
						  store_path(s))
				       : BR_OK;
	if (opts->by_root && getuid() == 0)
		return BR_OK;
	struct br_user u;
	if (session_user_get(s, opts->login ? opts->login : "", &u, NULL) != BR_OK || u.disabled ||
	    strcmp(u.role, "admin") != 0)
		return br_fail(why, BR_DENIED, "init on an existing database is for admins; "
					       "'%s' is not one", opts->login ? opts->login : "?");
	return BR_OK;
}

enum br_status init_database(const struct br_config *cfg, const struct init_options *opts,
			     struct init_report *rep, char **why)
{
	memset(rep, 0, sizeof *rep);
	struct stat sb;
	bool exists = stat(cfg->database, &sb) == 0;
	rep->created = !exists;
	enum br_status st = init_allowed(cfg, opts, exists, why);
	if (st != BR_OK)
		return st;
	if (!exists && (st = session_clock(opts->demo, why)) != BR_OK)
		return st;
	if (opts->demo && !exists) {
		if ((st = build_demo(cfg, opts, rep, why)) != BR_OK)
			return st;
		/* one opening makes -wal, -shm and -wq, by init, with the mode */
		struct store *s = NULL;
		if ((st = store_open(&s, cfg->database, cfg->busy_timeout_ms, STORE_EXISTING_ANY, why)) != BR_OK)
			return st;
		st = store_make_queue(s, why);
		store_close(&s);
		return st == BR_OK ? store_secure_files(cfg->database, why) : st;
	}
	struct store *s = NULL;
	st = store_open(&s, cfg->database, cfg->busy_timeout_ms, exists ? STORE_EXISTING_ANY : STORE_CREATE,
			why);
	if (st != BR_OK)
		return st;
	if (exists)
		st = existing_allowed(s, opts, why);
	/* only once allowed: the writers' queue beside it, made by init */
	if (st == BR_OK)
		st = store_make_queue(s, why);
	if (st != BR_OK) {
		store_close(&s);
		return st;
	}
	st = setup(s, cfg, opts, rep, why);
	rep->demo_skipped = opts->demo;
	if (st == BR_OK)
		st = count_rows(s, "provider", &rep->providers, why);
	if (st == BR_OK)
		st = count_rows(s, "service_user", &rep->service_users, why);
	if (st == BR_OK)
		st = count_rows(s, "calloff", &rep->calloffs, why);
	if (st == BR_OK)
		st = count_rows(s, "audit", &rep->audit_rows, why);
	store_close(&s);
	if (st == BR_OK)
		st = store_secure_files(cfg->database, why);
	return st;
}
