/* F_OFD_SETLK (the write queue) is Linux's, behind _GNU_SOURCE */
#define _GNU_SOURCE
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/time.h>
#include <sodium.h>
#include <syslog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "outfile.h"
#include "privilege.h"
#include "store_internal.h"
#include "util.h"

/* A session's page cache: 1.2 MiB, so a session stays under the 8 MB it may
 * hold with the libraries and curses. Measured at 10xLCR (issue 14): one
 * match of the largest lot reads through lot-ordered indexes and takes
 * about 4% longer than with 1.5 MiB (a home-care match 20%); 1 MiB made the
 * supported-living match 50% slower. */
#define SESSION_CACHE "PRAGMA cache_size=-1200"

struct store {
	sqlite3 *db;
	char *path;
	char *real_path;            /* resolved, for the witness */
	int busy_timeout_ms;
	long busy_waits;
	uint64_t jitter;
	struct timespec wait_start;
	int queue_fd;               /* "<db>-wq": the writers' turns (OFD locks) */
	off_t queue_slot;           /* the byte of our turn, while holding */
	uint64_t queue_ticket;      /* our ticket, while holding */
	struct {
		const char *sql;    /* a string literal: its address is the key */
		sqlite3_stmt *st;
	} by_sql[256];
	bool holding;
	long long head_seq;         /* audit head appended in this transaction */
	unsigned char head_hash[32];
	long long witness_seq;      /* a committed head not yet sent to the witness */
	unsigned char witness_hash[32];
	struct timespec witness_at; /* when a head was last sent (monotonic) */
	bool have_witness_key;      /* meta.witness_key: signs the heads sent to syslog */
	unsigned char witness_key[crypto_auth_KEYBYTES];
	sqlite3_stmt *stmts[STMT_SLOTS];
};

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
	case SQLITE_FULL:
		return br_fail(why, BR_IO, "%s: disk full while %s; nothing was saved", path, doing);
	case SQLITE_IOERR:
		return br_fail(why, BR_IO, "%s: i/o error while %s: %s", path, doing, msg);
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return br_fail(why, BR_DENIED, "%s: not allowed to write (%s): %s", path, doing, msg);
	case SQLITE_CANTOPEN:
		return br_fail(why, BR_NOINPUT, "%s: cannot open: %s", path, msg);
	case SQLITE_CONSTRAINT:
		return br_fail(why, BR_DATA, "%s: %s refused: %s", path, doing, msg);
	case SQLITE_NOMEM:
		return br_fail(why, BR_NOMEM, "out of memory while %s", doing);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return br_fail(why, BR_DATA, "%s: not a usable database (%s): %s", path, doing, msg);
	default:
		return br_fail(why, BR_INTERNAL, "%s: %s failed: %s", path, doing, msg);
	}
}

/* The busy handler: short jittered sleeps (0.2-1.2 ms) up to the deadline,
 * instead of SQLite's growing steps of up to 100 ms. Writers are queued in
 * order first (the write queue below), so this only covers what the queue
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

static void witness_head(struct store *s, bool now);

/* ---- the write queue ----------------------------------------------------
 * Writers take turns in the order they asked, and a writer that dies (killed,
 * Ctrl-C, a dropped SSH link) never holds anyone up: every turn is an
 * open-file-description lock (F_OFD_SETLK) on "<db>-wq", which the kernel
 * drops the moment its process dies. Nothing waits by polling.
 *
 * The file: bytes 0-7 hold the ticket counter (any value is valid: a dead
 * writer cannot leave it wrong); byte 8 is the dispenser; byte
 * SLOTS + (t mod N_SLOTS) is ticket t's. To write: take the dispenser, read
 * and bump the counter (ticket t), lock slot t, give the dispenser back; then
 * wait on slot t-1 (our predecessor's: free when it is done or dead), and
 * keep slot t until COMMIT or ROLLBACK. SQLite's own lock still does the
 * excluding; the queue only orders. No mmap: a full disk gives an error on
 * pwrite, never SIGBUS.
 *
 * Bytes 12-15 hold the low bits of the ticket last served (written by each
 * writer as it gives its turn back). The deadline is for a stuck holder,
 * not for a long queue (issue 21): while a writer waits, every turn served
 * ahead of it starts its deadline again, so a queue that moves is waited
 * out and only a holder that keeps its turn past the deadline gives busy. */

#define WQ_COUNTER_BYTES 8
#define WQ_DISPENSER 8
#define WQ_SERVED 12 /* 4 bytes: the last ticket served */
#define WQ_SLOTS 16
#define WQ_N_SLOTS 65536

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int ofd(int fd, short type, off_t at, bool wait)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1};
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}

static void on_alarm(int sig) { (void)sig; }

/* Lock byte `at` of the queue file, sleeping in the kernel until it is
 * free or the deadline passes (an interval timer interrupts the wait, so a
 * deadline is kept even if the first alarm comes before the wait begins). */
static bool lock_until(int fd, off_t at, double deadline)
{
	if (ofd(fd, F_WRLCK, at, false) == 0)
		return true;
	if (errno != EAGAIN && errno != EACCES)
		return false;
	struct sigaction sa = {.sa_handler = on_alarm}, old_sa;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the alarm ends the wait */
	sigaction(SIGALRM, &sa, &old_sa);
	bool got = false;
	for (;;) {
		double left = deadline - mono_ms();
		if (left <= 0)
			break;
		long first_us = left > 100 ? 100000L : (long)(left * 1000) + 1;
		struct itimerval it = {{0, 100000}, {first_us / 1000000, first_us % 1000000}};
		setitimer(ITIMER_REAL, &it, NULL);
		int rc = ofd(fd, F_WRLCK, at, true);
		int err = errno;
		struct itimerval off = {{0, 0}, {0, 0}};
		setitimer(ITIMER_REAL, &off, NULL);
		if (rc == 0) {
			got = true;
			break;
		}
		if (err != EINTR)
			break;
	}
	sigaction(SIGALRM, &old_sa, NULL);
	return got;
}

static void queue_open(struct store *s, bool create)
{
	char path[4200];
	snprintf(path, sizeof path, "%s-wq", s->path);
	s->queue_fd = -1;
	/* Only init makes the file (group-shared, 0660); a session that finds
	 * none works with the busy handler alone rather than leave a file of
	 * its login's beside the database. */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0660);
		static const unsigned char zero[WQ_COUNTER_BYTES];
		if (fd >= 0 && (fchmod(fd, 0660) != 0 || pwrite(fd, zero, sizeof zero, 0) != (ssize_t)sizeof zero)) {
			close(fd);
			unlink(path);
			fd = -1;
		}
	}
	s->queue_fd = fd; /* < 0: no queue, the busy handler alone */
}

enum br_status store_make_queue(struct store *s, char **why)
{
	if (s->queue_fd >= 0)
		return BR_OK;
	queue_open(s, true);
	if (s->queue_fd < 0)
		return br_fail(why, BR_IO, "%s-wq: cannot make the writers' queue: %s", s->path, strerror(errno));
	return BR_OK;
}

/* Take a ticket and wait for our turn; false when the deadline passed. */
/* the low 32 bits of the ticket last served (any value: only a change
 * is read) */
static uint32_t served(int fd)
{
	unsigned char b[4] = {0};
	if (pread(fd, b, sizeof b, WQ_SERVED) != (ssize_t)sizeof b)
		return 0;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static bool queue_wait(struct store *s)
{
	double deadline = mono_ms() + s->busy_timeout_ms;
	int fd = s->queue_fd;
	if (!lock_until(fd, WQ_DISPENSER, deadline))
		return false;
	unsigned char b[WQ_COUNTER_BYTES] = {0};
	uint64_t t = 0;
	if (pread(fd, b, sizeof b, 0) == (ssize_t)sizeof b)
		for (int i = WQ_COUNTER_BYTES - 1; i >= 0; i--)
			t = t << 8 | b[i];
	uint64_t next = t + 1;
	for (int i = 0; i < WQ_COUNTER_BYTES; i++)
		b[i] = (unsigned char)(next >> (8 * i));
	/* a failed write (full disk) only means the next writer may draw the
	 * same number: it then waits for us on our own slot, still in order */
	ssize_t wrote = pwrite(fd, b, sizeof b, 0);
	(void)wrote;
	off_t mine = WQ_SLOTS + (off_t)(t % WQ_N_SLOTS);
	off_t before = WQ_SLOTS + (off_t)((t + WQ_N_SLOTS - 1) % WQ_N_SLOTS);
	bool ok = lock_until(fd, mine, deadline);
	ofd(fd, F_UNLCK, WQ_DISPENSER, false);
	if (!ok)
		return false;
	s->queue_slot = mine;
	s->queue_ticket = t;
	s->holding = true;
	if (ofd(fd, F_WRLCK, before, false) != 0) {
		/* someone is ahead of us: sleep until they are done (or dead),
		 * looking up every 100 ms: a turn served ahead is the queue
		 * moving, and starts the deadline again */
		s->busy_waits++;
		uint32_t seen = served(fd);
		for (;;) {
			double slice = mono_ms() + 100;
			if (lock_until(fd, before, slice < deadline ? slice : deadline))
				break;
			uint32_t now = served(fd);
			if (now != seen) {
				seen = now;
				deadline = mono_ms() + s->busy_timeout_ms;
			} else if (mono_ms() >= deadline) {
				return false;
			}
		}
	}
	ofd(fd, F_UNLCK, before, false);
	return true;
}

static void queue_release(struct store *s)
{
	if (s->queue_fd < 0 || !s->holding)
		return;
	s->holding = false;
	/* served before the turn is given back, so the next in line's waiters
	 * see the queue move; a failed write (full disk) only costs them the
	 * news, never their turn */
	uint32_t t = (uint32_t)s->queue_ticket;
	unsigned char b[4] = {(unsigned char)t, (unsigned char)(t >> 8), (unsigned char)(t >> 16),
			      (unsigned char)(t >> 24)};
	ssize_t wrote = pwrite(s->queue_fd, b, sizeof b, WQ_SERVED);
	(void)wrote;
	ofd(s->queue_fd, F_UNLCK, s->queue_slot, false);
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
	struct store *s = calloc(1, sizeof *s);
	if (s)
		s->queue_fd = -1;
	char resolved[PATH_MAX];
	if (!s || !(s->path = strdup(path)) ||
	    !(s->real_path = strdup(realpath(path, resolved) ? resolved : path))) {
		if (s)
			free(s->path);
		free(s);
		return br_fail(why, BR_NOMEM, "out of memory opening %s", path);
	}
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
	sqlite3_busy_handler(s->db, busy_handler, s);
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
	store_load_witness_key(s);
	queue_open(s, mode == STORE_CREATE);
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
	witness_head(s, true);
	for (int i = 0; i < STMT_SLOTS; i++)
		sqlite3_finalize(s->stmts[i]);
	for (int i = 0; i < 256; i++)
		sqlite3_finalize(s->by_sql[i].st);
	if (s->db) {
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(s->db);
	}
	queue_release(s);
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
	if (s->queue_fd >= 0 && !s->holding) {
		if (!queue_wait(s)) {
			queue_release(s);
			return br_fail(why, BR_BUSY, "%s: busy, try again (waiting to write)", s->path);
		}
	}
	int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		queue_release(s);
		return store_error(s, rc, "starting a write", why);
	}
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
	queue_release(s);
	if (s->head_seq > 0) {
		s->witness_seq = s->head_seq;
		memcpy(s->witness_hash, s->head_hash, sizeof s->witness_hash);
		s->head_seq = 0;
	}
	witness_head(s, false);
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
		queue_release(s);
	}
}

enum br_status store_bulk_mode(struct store *s, bool on, char **why)
{
	char mode[16];
	enum br_status st;
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

/* ---- the witness of the audit chain's head ------------------------------ */

static store_witness_fn witness_fn;
static void *witness_ctx;

void store_load_witness_key(struct store *s)
{
	s->have_witness_key = false;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'witness_key'", -1, &q, NULL) != SQLITE_OK)
		return; /* no meta table yet: a database before schema 1 */
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 2 * crypto_auth_KEYBYTES &&
	    sodium_hex2bin(s->witness_key, sizeof s->witness_key, (const char *)sqlite3_column_text(q, 0),
			   2 * crypto_auth_KEYBYTES, NULL, NULL, NULL) == 0)
		s->have_witness_key = true;
	sqlite3_finalize(q);
}

bool store_witness_mac(const struct store *s, const char *line, char mac[2 * crypto_auth_BYTES + 1])
{
	if (!s->have_witness_key)
		return false;
	unsigned char m[crypto_auth_BYTES];
	crypto_auth(m, (const unsigned char *)line, strlen(line), s->witness_key);
	sodium_bin2hex(mac, 2 * crypto_auth_BYTES + 1, m, sizeof m);
	return true;
}

void store_set_witness(store_witness_fn fn, void *ctx)
{
	witness_fn = fn;
	witness_ctx = ctx;
}

void store_note_audit_head(struct store *s, long long seq, const unsigned char hash[32])
{
	s->head_seq = seq;
	memcpy(s->head_hash, hash, sizeof s->head_hash);
}

/* The witness is sent off the commit path: at most one line a second
 * while a process writes (WITNESS_EVERY_NS), the latest head each time,
 * and always the latest before the store closes (store_close) or when a
 * quiet session's tick finds one waiting (store_witness_due). A writer
 * killed outright may leave its last second unwitnessed; the chain in the
 * database is whole either way, and check --witness compares every head
 * that was sent. */
#define WITNESS_EVERY_NS 1000000000LL

static void witness_head(struct store *s, bool now)
{
	if (s->witness_seq <= 0)
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long since = (long long)(t.tv_sec - s->witness_at.tv_sec) * 1000000000LL + (t.tv_nsec - s->witness_at.tv_nsec);
	if (!now && (s->witness_at.tv_sec || s->witness_at.tv_nsec) && since < WITNESS_EVERY_NS)
		return;
	s->witness_at = t;
	char hex[65];
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[s->witness_hash[i] >> 4];
		hex[2 * i + 1] = digits[s->witness_hash[i] & 15];
	}
	hex[64] = '\0';
	char line[PATH_MAX + 320];
	int n = snprintf(line, sizeof line, "audit-head db=%s seq=%lld hash=%s", s->real_path, s->witness_seq, hex);
	s->witness_seq = 0;
	if (s->have_witness_key && n > 0 && (size_t)n < sizeof line) {
		char mac[2 * crypto_auth_BYTES + 1];
		store_witness_mac(s, line, mac);
		snprintf(line + n, sizeof line - (size_t)n, " mac=%s", mac);
	}
	if (witness_fn) {
		witness_fn(witness_ctx, line);
		return;
	}
	openlog("brokerage", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	/* the newline is dropped by syslog daemons; it keeps a raw capture
	 * of /dev/log one message a line */
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s\n", line);
}

void store_witness_due(struct store *s)
{
	if (s)
		witness_head(s, false);
}

void store_witness_flush(struct store *s)
{
	if (s)
		witness_head(s, true);
}
