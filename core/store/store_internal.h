/* store_internal.h — SQLite for core/ only. tui/ never includes this. */
#ifndef BR_STORE_INTERNAL_H
#define BR_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/* Statement slots: fixed statements, then ranges for the list shapes. */
enum stmt_slot {
	STMT_AUDIT_LAST,
	STMT_AUDIT_INSERT,
	STMT_USER_GET,
	STMT_SU_GET,
	STMT_SU_NEEDS,
	STMT_SU_REF_PROBE,
	STMT_PROVIDER_GET,
	STMT_PROVIDER_REGS,
	STMT_PROVIDER_COVERAGE,
	STMT_PROVIDER_AWARDS,
	STMT_PROVIDER_CAPACITY,
	STMT_PROVIDER_RATES,
	STMT_PROVIDER_MEMBERS,
	STMT_PROVIDER_SERVED,
	STMT_PERSON_CALLOFFS,
	STMT_MATCH,
	STMT_MATCH_ONE,
	STMT_MATCH_AWARDS,
	STMT_MATCH_OFFERS,
	STMT_MATCH_CURRENT,
	STMT_RATE_IN_FORCE,
	STMT_PERSON_REQUESTS,
	STMT_QUEUE_BASE,
	STMT_QUEUE_END = STMT_QUEUE_BASE + 16,
	STMT_FIXED_COUNT,
	STMT_SU_LIST_BASE = 64,
	STMT_SU_LIST_END = STMT_SU_LIST_BASE + 512,
	STMT_PROVIDER_LIST_BASE = STMT_SU_LIST_END,
	STMT_PROVIDER_LIST_END = STMT_PROVIDER_LIST_BASE + 512,
	STMT_AUDIT_LIST_BASE = STMT_PROVIDER_LIST_END,
	STMT_AUDIT_LIST_END = STMT_AUDIT_LIST_BASE + 128,
	STMT_SLOTS = STMT_AUDIT_LIST_END,
};

sqlite3 *store_db(struct store *s);

/* The statement for a slot, prepared once (persistent) from sql. Use it,
 * then call store_done(). NULL with *why set on error. */
sqlite3_stmt *store_stmt(struct store *s, int slot, const char *sql, char **why);
/* The same, keyed by the SQL text's address (a string literal), for
 * statements without a slot of their own. Use, then store_done(). */
sqlite3_stmt *store_cached(struct store *s, const char *sql, char **why);
/* Reset and clear bindings. */
void store_done(sqlite3_stmt *st);
/* Step a bound write (or a query whose row is not wanted) once, then
 * store_done; BR_OK on SQLITE_DONE or SQLITE_ROW, else the error "doing". */
enum br_status store_step_done(struct store *s, sqlite3_stmt *q, const char *doing, char **why);
/* Every id (column 0) a bound query returns, into a heap array the caller
 * frees (*ids NULL and *n 0 when none or on error). */
enum br_status store_ids(struct store *s, sqlite3_stmt *q, int64_t **ids, int *n, const char *doing, char **why);
/* A pragma or one-row statement's first column as text (out may be NULL). */
enum br_status store_pragma_text(struct store *s, const char *sql, char *out, size_t outsz, char **why);

/* Map a SQLite result code to a status with the connection's message. */
enum br_status store_error(struct store *s, int rc, const char *doing, char **why);

/* Bind helpers: NULL or "" text binds NULL when null_if_empty. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Copy column text (or "") into out. */
void store_col_text(sqlite3_stmt *st, int col, char *out, size_t outsz);

/* The audit row seq with this hash was appended in the open transaction:
 * its head goes to the witness when the transaction commits. */
void store_note_audit_head(struct store *s, long long seq, const unsigned char hash[32]);

/* The key that signs the witness lines: a file of root's named by the
 * config, never the database (store_witness.c); only the group can read
 * it, so a login without it cannot write a line that passes for the
 * program's. Use the file (no key, with the problem in words, when it
 * is missing or anyone but root could have written it); make it when
 * there is none (init: moving an older database's meta.witness_key out,
 * keeping the key's id in meta.witness_key_id; audited unless the
 * database is fresh); the id of the key in use
 * (NULL without one); sign a line (HMAC, libsodium crypto_auth; hex). */
#include <sodium.h>
void store_witness_key_use(struct store *s, const char *path);
enum br_status store_witness_key_make(struct store *s, const char *path, bool fresh, const char *login, char **why);
const char *store_witness_key_id(const struct store *s);
const char *store_witness_problem(const struct store *s);
bool store_witness_mac(const struct store *s, const char *line, char mac[2 * crypto_auth_BYTES + 1]);

/* Run one statement with no rows (for migrations and pragmas). */
enum br_status store_exec(struct store *s, const char *sql, char **why);

/* Set by the build from schemas/NNN_*.sql (build/schemas.c). */
struct store_schema {
	int version;
	const char *name;
	const char *sql;
};
extern const struct store_schema store_schemas[];
extern const int store_schema_count;

#endif
