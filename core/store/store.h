/* store.h — the SQLite database: one connection per process.
 *
 * The struct is opaque; only the core .c files see SQLite (store_internal.h). Every
 * connection runs WAL, synchronous=FULL, foreign_keys=ON and a fair busy
 * handler; every write is one BEGIN IMMEDIATE ... COMMIT. */
#ifndef BR_STORE_H
#define BR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct store;

enum store_mode {
	STORE_EXISTING,     /* the file must exist and be at the current schema */
	STORE_EXISTING_ANY, /* the file must exist, at any schema (to migrate it) */
	STORE_CREATE,       /* create the file (and -wq) if missing, 0660; caller migrates */
};

enum br_status store_open(struct store **out, const char *path, int busy_timeout_ms,
			  enum store_mode mode, char **why);
/* Make the writers' queue file beside the database if it is missing (init,
 * once it has decided the caller may): group-shared, 0660. */
enum br_status store_make_queue(struct store *s, char **why);
/* Close and set *s to NULL; accepts NULL and *s == NULL. */
void store_close(struct store **s);

/* The newest schema version built into this binary. */
int store_schema_latest(void);
/* The database's PRAGMA user_version. */
enum br_status store_schema_version(struct store *s, int *version, char **why);
/* Apply every built-in migration newer than the database, each with its
 * user_version bump inside one transaction. Refuses a database newer than
 * the binary. *from and *to (may be NULL) report what was done. */
enum br_status store_migrate(struct store *s, int *from, int *to, char **why);

/* BEGIN IMMEDIATE, waiting fairly up to the busy timeout; BR_BUSY after. */
enum br_status store_begin(struct store *s, char **why);
enum br_status store_commit(struct store *s, char **why);
/* Roll back if a transaction is open; safe to call when none is. */
void store_rollback(struct store *s);
/* End a write by how it went: st BR_OK commits (and returns the commit's
 * status), anything else rolls back and is returned. */
enum br_status store_finish(struct store *s, enum br_status st, char **why);

/* For building a brand-new private file only (the demo generator): no
 * journal and no fsync while on; back to WAL and synchronous=FULL after. */
enum br_status store_bulk_mode(struct store *s, bool on, char **why);

/* An admin's bulk load (init, a migration, an import, the demo) may hold
 * its write turn as long as it needs; every other turn has a limit, past
 * which its statement is undone and its guard may end it (store_guard.c).
 * Returns what it was, to put back. */
bool store_long_turn(struct store *s, bool on);

/* Copy the live database with SQLite's online backup API while others keep
 * working, into a file opened by outfile_open (the caller's own, written
 * with the caller's rights), then renamed into place: commits or aborts o. */
struct outfile;
enum br_status store_backup(struct store *s, struct outfile *o, long long *pages, char **why);

/* The files of a database (db, -wal, -shm, -wq) are the group's, 0660,
 * whoever made them: make them so where this process may (root may also
 * give them to root), so no officer's login owns any of them. */
enum br_status store_secure_files(const char *db_path, char **why);
/* Before a connection to an existing database: its -wal or -shm missing
 * (a connection that did not keep them deleted them at its close) is
 * refused, BR_NOINPUT, when SQLite would make them as this process's login
 * rather than the database owner's (anyone but root and the owner). */
enum br_status store_files_before_open(const char *db_path, char **why);
/* A database found damaged (issue 27, finding 3) is marked by a file
 * "<db>-damaged" beside it, made by the session whose statement SQLite
 * found corrupt or by a check that found it so; every write is refused
 * while it is there (reads go on: the team can still look people up), until
 * an admin's check of the restored database finds it whole and clears it.
 * A full check reads every page (seconds, minutes at scale), too slow for
 * every write; the mark makes what one check found hold for every session.
 * store_damage_mark makes it once (what: a line of words); _found fills
 * what with its line and says whether it is there; _clear removes it. */
void store_damage_mark(const char *db_path, const char *what);
bool store_damage_found(const char *db_path, char *what, size_t whatsz);
enum br_status store_damage_clear(const char *db_path, char **why);
/* Describe what is wrong with those files ("" when nothing) for check,
 * a missing -wq of a database shared with the group among them. */
void store_files_problems(const char *db_path, char *out, size_t outsz);

/* The audit chain's head goes to a witness outside the database after
 * committed writes that appended audit rows: by default syslog
 * (LOG_AUTHPRIV), as "brokerage: audit-head db=PATH seq=N hash=HEX".
 * Off the commit path: at most a line a second while writing (the latest
 * head), and the latest always before the store closes. Tests may catch
 * the lines instead (NULL restores syslog). */
typedef void (*store_witness_fn)(void *ctx, const char *line);
void store_set_witness(store_witness_fn fn, void *ctx);
/* Send a waiting head if a second has passed since the last (a quiet
 * session's tick); store_witness_flush sends it now. */
void store_witness_due(struct store *s);
void store_witness_flush(struct store *s);

/* Path of the database file. */
const char *store_path(const struct store *s);
/* How many times the busy handler had to wait (for the benchmark). */
long store_busy_waits(const struct store *s);

/* Every list is paged by keyset. */
/* A keyset position: the sort key of a row. Zeroed = the start. */
struct list_cursor {
	bool set;
	char k1[72];
	char k2[72];
	int64_t id;
};

enum list_dir { LIST_FORWARD, LIST_BACKWARD };

/* Is this database a demo (made by init --demo)? Demo is a property of
 * the database, never of a config. */
enum br_status store_is_demo(struct store *s, bool *demo, char **why);

#endif
