/* store.c — the connection: opening, statements, transactions, bulk mode,
 * the online backup. The writers' queue is store_queue.c, the witness
 * store_witness.c; the struct they share is store_impl.h. */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "privilege.h"
#include "store_impl.h"
#include "util.h"

/* A session's page cache: 1.2 MiB, so a session stays under the 8 MB it may
 * hold with the libraries and curses. Measured at 10xLCR (issue 14): one
 * match of the largest lot reads through lot-ordered indexes and takes
 * about 4% longer than with 1.5 MiB (a home-care match 20%); 1 MiB made the
 * supported-living match 50% slower. */
#define SESSION_CACHE "PRAGMA cache_size=-1200"

/* struct store: store_impl.h */

sqlite3 *store_db(struct store *s) { return s->db; }
const char *store_path(const struct store *s) { return s->path; }
long store_busy_waits(const struct store *s) { return s->busy_waits; }

enum br_status store_error(struct store *s, int rc, const char *doing, char **why)
{
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
	const char *path = s && s->path ? s->path : "database";
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return br_fail(why, BR_BUSY, "%s: busy, try again (%s)", path, doing);
	case SQLITE_INTERRUPT:
		/* the turn's limit (store_guard.c): others were waiting */
		return br_fail(why, BR_BUSY, "%s: %s computed longer than a write may hold the others up (%d s of CPU); nothing was saved",
			       path, doing, STORE_TURN_MS / 1000);
	case SQLITE_FULL:
		return br_fail(why, BR_IO, "%s: disk full while %s; nothing was saved", path, doing);
	case SQLITE_IOERR:
		return br_fail(why, BR_IO, "%s: i/o error while %s: %s", path, doing, msg);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH: {
		/* a file system mounted read-only is an I/O failure, not a role
		 * (issue 27, finding 4: exit 77 where 74 was meant) */
		struct statvfs fs;
		if ((rc & 0xff) == SQLITE_READONLY && s && s->path && statvfs(s->path, &fs) == 0 && (fs.f_flag & ST_RDONLY))
			return br_fail(why, BR_IO, "%s: the file system is read-only while %s; nothing was saved", path,
				       doing);
		return br_fail(why, BR_DENIED, "%s: not allowed to write (%s): %s", path, doing, msg);
	}
	case SQLITE_CANTOPEN:
		return br_fail(why, BR_NOINPUT, "%s: cannot open: %s", path, msg);
	case SQLITE_CONSTRAINT:
		return br_fail(why, BR_DATA, "%s: %s refused: %s", path, doing, msg);
	case SQLITE_NOMEM:
		return br_fail(why, BR_NOMEM, "out of memory while %s", doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		if (!s || !s->ours)
			return br_fail(why, BR_DATA, "%s: not a usable database (%s): %s", path, doing, msg);
		/* damage in a database of ours: marked, so no session writes on
		 * it until it is restored (issue 27, finding 3) */
		{
			char what[300];
			snprintf(what, sizeof what, "SQLite found it damaged while %s: %s", doing, msg);
			store_damage_mark(s->path, what);
		}
		return br_fail(why, BR_IO, "%s: damaged (%s while %s); nothing was saved, and writes are refused "
					   "until it is restored from a backup (run 'brokerage check')", path, msg, doing);
	default:
		return br_fail(why, BR_INTERNAL, "%s: %s failed: %s", path, doing, msg);
	}
}

/* SQLite's page caches without their first block (issue 21). Every b-tree
 * a statement opens for itself (an IN (… UNION …) list, a DISTINCT) has a
 * page cache, and by default its first 20 pages come in one allocation
 * (87 kB at 4 KiB pages) that the heap gives back to the kernel when the
 * statement ends and faults in again at the next: measured at 10xLCR it
 * was 60% of an offer (1.2 ms -> 0.43 ms without). SQLITE_CONFIG_PAGECACHE
 * with no buffer turns that block off; pages then come one at a time from
 * the heap, which keeps them. It must come before SQLite is initialised,
 * so it runs as the program loads (every program with core/ in it), before
 * main and before anything opens a database; a later call would only get
 * SQLITE_MISUSE. */
__attribute__((constructor)) static void store_library_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
}

/* Frames in the WAL before a commit's writer copies them back into the
 * database (SQLite's own default for its automatic checkpoint). */
#define CHECKPOINT_FRAMES 1000

static int wal_counted(void *arg, sqlite3 *db, const char *name, int frames)
{
	(void)db;
	(void)name;
	((struct store *)arg)->wal_frames = frames;
	return SQLITE_OK;
}

/* The busy handler: short jittered sleeps (0.2-1.2 ms) up to the deadline,
 * instead of SQLite's growing steps of up to 100 ms. Writers are queued in
 * order first (store_queue.c), so this only covers what the queue
 * cannot: a holder that died or another program on the file. */
static int busy_handler(void *arg, int count)
{
	struct store *s = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		s->wait_start = now;
	long elapsed_us = (now.tv_sec - s->wait_start.tv_sec) * 1000000L +
			  (now.tv_nsec - s->wait_start.tv_nsec) / 1000;
	if (elapsed_us >= (long)s->busy_timeout_ms * 1000L)
		return 0;
	s->busy_waits++;
	s->jitter = s->jitter * 6364136223846793005ULL + 1442695040888963407ULL;
	long us = 200 + (long)((s->jitter >> 33) % 1000);
	struct timespec ts = {0, us * 1000};
	nanosleep(&ts, NULL);
	return 1;
}



enum br_status store_exec(struct store *s, const char *sql, char **why)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		enum br_status st = store_error(s, rc, "running SQL", why);
		if (err && why && st != BR_BUSY)
			br_fail(why, st, "%s: %s", s->path, err);
		sqlite3_free(err);
		return st;
	}
	return BR_OK;
}

enum br_status store_pragma_text(struct store *s, const char *sql, char *out, size_t outsz,
				  char **why)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "setting up the connection", why);
	rc = sqlite3_step(st);
	if (out && outsz)
		out[0] = '\0';
	if (rc == SQLITE_ROW && out)
		store_col_text(st, 0, out, outsz);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "setting up the connection", why);
	return BR_OK;
}

enum br_status store_open(struct store **out, const char *path, int busy_timeout_ms,
			  enum store_mode mode, char **why)
{
	*out = NULL;
	/* stat, not access(): access() asks about the real user, and the
	 * installed program reaches the data with its group's rights */
	struct stat sb;
	bool existed = stat(path, &sb) == 0;
	if (mode != STORE_CREATE && !existed)
		return br_fail(why, BR_NOINPUT, "%s: no database here; run 'brokerage init' first",
			       path);
	/* -wal and -shm are made once, by init; an officer's session would
	 * make them again as that officer's files (issue 27, finding 11) */
	enum br_status pre;
	if (existed && (pre = store_files_before_open(path, why)) != BR_OK)
		return pre;
	struct store *s = calloc(1, sizeof *s);
	if (s) {
		s->queue_fd = -1;
		s->guard_fd = -1;
	}
	char resolved[PATH_MAX];
	if (!s || !(s->path = strdup(path)) ||
	    !(s->real_path = strdup(realpath(path, resolved) ? resolved : path))) {
		if (s)
			free(s->path);
		free(s);
		return br_fail(why, BR_NOMEM, "out of memory opening %s", path);
	}
	/* the guard first, while nothing of the database is open here */
	store_guard_open(s);
	s->busy_timeout_ms = busy_timeout_ms > 0 ? busy_timeout_ms : 5000;
	s->jitter = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	enum br_status st = BR_OK;
	if (rc != SQLITE_OK) {
		st = store_error(s, rc, "opening", why);
		goto fail;
	}
	/* A new file is the group's to share: 0660 whatever the umask, before
	 * -wal and -shm are made (SQLite gives them the database's mode). */
	if (!existed && chmod(path, 0660) != 0) {
		st = br_fail(why, BR_IO, "%s: cannot make it group-shared: %s", path, strerror(errno));
		goto fail;
	}
	char *rp;
	if (!existed && (rp = realpath(path, NULL)) != NULL) {
		free(s->real_path);
		s->real_path = rp;
	}
	/* Keep -wal and -shm when the last connection closes: they are made
	 * once, by init, with the group's mode; recreated by whichever officer
	 * came next they would be that login's. Truncated, not deleted. */
	int persist = 1;
	sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	sqlite3_extended_result_codes(s->db, 1);
	/* A database changed behind the program's back is read with suspicion
	 * (issue 27, finding 3): no writable schema or shadow-table writes,
	 * no functions run from the schema, every cell's size checked as it is
	 * read, deleted personal data overwritten. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	/* The checkpoint runs after the writer's turn, not inside its COMMIT
	 * (issue 21): SQLite's automatic one copies the WAL back while the
	 * committing writer still holds the queue, and every writer behind it
	 * waits; this hook only counts, and store_commit checkpoints once the
	 * turn is given back. */
	sqlite3_wal_hook(s->db, wal_counted, s);
	sqlite3_busy_handler(s->db, busy_handler, s);
	sqlite3_progress_handler(s->db, STORE_PROGRESS_OPS, store_turn_progress, s);
	char mode_text[16];
	if ((st = store_pragma_text(s, "PRAGMA journal_mode=WAL", mode_text, sizeof mode_text, why)))
		goto fail;
	if (strcmp(mode_text, "wal") != 0) {
		st = br_fail(why, BR_IO, "%s: cannot use WAL mode (got %s); is it on a network filesystem?",
			     path, mode_text);
		goto fail;
	}
	if ((st = store_pragma_text(s, "PRAGMA synchronous=FULL", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA foreign_keys=ON", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA journal_size_limit=67108864", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA cell_size_check=ON", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA secure_delete=ON", NULL, 0, why)) ||
	    (st = store_pragma_text(s, SESSION_CACHE, NULL, 0, why)))
		goto fail;
	/* Make sure it is a database at all before anyone relies on it. */
	int version;
	if ((st = store_schema_version(s, &version, why)))
		goto fail;
	if (mode == STORE_EXISTING) {
		int latest = store_schema_latest();
		if (version > latest) {
			st = br_fail(why, BR_DATA,
				     "%s: database schema %d is newer than this program (%d); "
				     "use the newer brokerage", path, version, latest);
			goto fail;
		}
		if (version < latest) {
			st = br_fail(why, BR_DATA,
				     "%s: database schema %d is older than this program (%d); "
				     "run 'brokerage init' to migrate it", path, version, latest);
			goto fail;
		}
	}
	store_queue_open(s, mode == STORE_CREATE);
	s->ours = true;
	*out = s;
	return BR_OK;
fail:
	store_close(&s);
	return st;
}

void store_close(struct store **sp)
{
	if (!sp || !*sp)
		return;
	struct store *s = *sp;
	store_witness_head(s, true);
	for (int i = 0; i < STMT_SLOTS; i++)
		sqlite3_finalize(s->stmts[i]);
	for (int i = 0; i < 256; i++)
		sqlite3_finalize(s->by_sql[i].st);
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	store_queue_release(s);
	store_guard_close(s);
	if (s->queue_fd >= 0)
		close(s->queue_fd);
	free(s->path);
	free(s->real_path);
	free(s);
	*sp = NULL;
}

sqlite3_stmt *store_stmt(struct store *s, int slot, const char *sql, char **why)
{
	if (slot < 0 || slot >= STMT_SLOTS) {
		br_fail(why, BR_INTERNAL, "statement slot %d out of range", slot);
		return NULL;
	}
	if (!s->stmts[slot]) {
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
					    &s->stmts[slot], NULL);
		if (rc != SQLITE_OK) {
			store_error(s, rc, "preparing a query", why);
			sqlite3_finalize(s->stmts[slot]);
			s->stmts[slot] = NULL;
			return NULL;
		}
	}
	return s->stmts[slot];
}

sqlite3_stmt *store_cached(struct store *s, const char *sql, char **why)
{
	size_t h = ((uintptr_t)sql >> 3) % 256;
	for (size_t i = 0; i < 256; i++, h = (h + 1) % 256) {
		if (s->by_sql[h].sql == sql)
			return s->by_sql[h].st;
		if (!s->by_sql[h].sql) {
			int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->by_sql[h].st, NULL);
			if (rc != SQLITE_OK) {
				store_error(s, rc, "preparing a query", why);
				sqlite3_finalize(s->by_sql[h].st);
				s->by_sql[h].st = NULL;
				return NULL;
			}
			s->by_sql[h].sql = sql;
			return s->by_sql[h].st;
		}
	}
	/* the table is full (never in practice): a one-off statement would
	 * leak here, so refuse instead */
	br_fail(why, BR_INTERNAL, "too many distinct statements");
	return NULL;
}

enum br_status store_begin(struct store *s, char **why)
{
	char damage[300];
	if (s->ours && store_damage_found(s->path, damage, sizeof damage))
		return br_fail(why, BR_IO, "%s: marked damaged (%s): writes are refused until it is restored "
					   "from a backup and an admin's 'brokerage check' finds it whole",
			       s->path, damage[0] ? damage : "see its -damaged file");
	store_guard_arm(s);
	if (s->queue_fd >= 0 && !s->holding) {
		if (!store_queue_wait(s)) {
			store_queue_release(s);
			return br_fail(why, BR_BUSY, "%s: busy, try again (waiting to write)", s->path);
		}
	}
	int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		store_queue_release(s);
		return store_error(s, rc, "starting a write", why);
	}
	store_guard_hold(s);
	return BR_OK;
}

enum br_status store_commit(struct store *s, char **why)
{
	int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		enum br_status st = store_error(s, rc, "saving", why);
		store_rollback(s);
		return st;
	}
	store_queue_release(s);
	/* PASSIVE: copies what no reader still needs, takes no writer's lock,
	 * and never waits; a failure costs nothing but a longer WAL, which
	 * the next commit tries again */
	if (s->wal_frames >= CHECKPOINT_FRAMES) {
		s->wal_frames = 0;
		sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	}
	if (s->head_seq > 0) {
		s->witness_seq = s->head_seq;
		memcpy(s->witness_hash, s->head_hash, sizeof s->witness_hash);
		s->head_seq = 0;
	}
	store_witness_head(s, false);
	return BR_OK;
}

enum br_status store_finish(struct store *s, enum br_status st, char **why)
{
	if (st != BR_OK) {
		store_rollback(s);
		return st;
	}
	return store_commit(s, why);
}

void store_rollback(struct store *s)
{
	if (s && s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (s) {
		s->head_seq = 0;
		store_queue_release(s);
	}
}

enum br_status store_bulk_mode(struct store *s, bool on, char **why)
{
	char mode[16];
	enum br_status st;
	/* building a database in one go (init, the demo) is the one writer
	 * that may turn the journal off, which the defensive mode forbids */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, on ? 0 : 1, (int *)NULL);
	store_long_turn(s, on);
	if (on) {
		if ((st = store_pragma_text(s, "PRAGMA journal_mode=OFF", mode, sizeof mode, why)) ||
		    (st = store_pragma_text(s, "PRAGMA synchronous=OFF", NULL, 0, why)) ||
		    (st = store_pragma_text(s, "PRAGMA foreign_keys=OFF", NULL, 0, why)) ||
		    (st = store_pragma_text(s, "PRAGMA locking_mode=EXCLUSIVE", NULL, 0, why)) ||
		    /* 16 MiB: a bigger cache bought little and cost its size in RSS;
		     * index builds sort within it too (issue 14) */
		    (st = store_pragma_text(s, "PRAGMA cache_size=-16384", NULL, 0, why)))
			return st;
		return BR_OK;
	}
	if ((st = store_pragma_text(s, "PRAGMA locking_mode=NORMAL", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA journal_mode=WAL", mode, sizeof mode, why)) ||
	    (st = store_pragma_text(s, "PRAGMA synchronous=FULL", NULL, 0, why)) ||
	    (st = store_pragma_text(s, "PRAGMA foreign_keys=ON", NULL, 0, why)) ||
	    (st = store_pragma_text(s, SESSION_CACHE, NULL, 0, why)))
		return st;
	if (strcmp(mode, "wal") != 0)
		return br_fail(why, BR_IO, "%s: cannot return to WAL mode", s->path);
	return BR_OK;
}

enum br_status store_backup(struct store *s, struct outfile *op, long long *pages, char **why)
{
	struct outfile o = *op;
	const char *dest = op->path;
	enum br_status st;
	fclose(o.f); /* an empty file of the caller's, 0600: SQLite writes into it */
	o.f = NULL;
	op->f = NULL;
	/* The copy and its journal are the caller's: every file the copy makes
	 * is made with the group dropped. The live database's files are open
	 * already, so reading them needs nothing more. */
	if ((st = priv_as_caller(why)) != BR_OK) {
		outfile_abort(&o);
		return st;
	}
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(o.tmp, &out, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		st = br_fail(why, BR_IO, "%s: cannot write: %s", dest,
			     out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		goto done;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", s->db, "main");
	if (!b) {
		st = br_fail(why, BR_IO, "%s: %s", dest, sqlite3_errmsg(out));
		goto done;
	}
	/* A step at a time, so writers are held up for moments, not the whole copy. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	if (pages)
		*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		st = store_error(s, rc, "backing up", why);
done:
	if (out && sqlite3_close(out) != SQLITE_OK && st == BR_OK)
		st = br_fail(why, BR_IO, "%s: closing the copy failed", dest);
	if (st == BR_OK) {
		/* a -wal left beside an older file of that name would be read
		 * into the new copy: it belongs to the file being replaced */
		char side[PATH_MAX + 16];
		snprintf(side, sizeof side, "%s-wal", dest);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", dest);
		unlink(side);
	}
	priv_restore();
	if (st == BR_OK)
		return outfile_commit(&o, why);
	outfile_abort(&o);
	return st;
}
