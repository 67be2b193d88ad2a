/* audit.h — the append-only, hash-chained audit trail.
 *
 * Each row's hash is BLAKE2b-256 (libsodium crypto_generichash) over the
 * previous row's hash and the row's own fields, each length-prefixed, so
 * `brokerage check` can prove no row was edited, removed or reordered. */
#ifndef BR_AUDIT_H
#define BR_AUDIT_H

#include <stdint.h>
#include <time.h>

#include "status.h"

struct store;

#define AUDIT_HASH_BYTES 32

/* Append one row inside the caller's open transaction. */
enum br_status audit_append(struct store *s, const char *login, const char *action,
			    const char *entity, const char *entity_id, const char *detail,
			    char **why);

/* The same at an explicit time (the demo generator writes history). */
enum br_status audit_append_at(struct store *s, time_t at, const char *login,
			       const char *action, const char *entity, const char *entity_id,
			       const char *detail, char **why);

/* The chain's head, for writers that append many rows in one transaction
 * (the demo generator): load once, then append without re-reading. */
struct audit_chain {
	long long last_id;
	unsigned char head[AUDIT_HASH_BYTES];
};
enum br_status audit_chain_load(struct store *s, struct audit_chain *c, char **why);
enum br_status audit_chain_append(struct store *s, struct audit_chain *c, time_t at,
				  const char *login, const char *action, const char *entity,
				  const char *entity_id, const char *detail, char **why);

/* Walk the whole chain. BR_OK with *rows set when intact; BR_DATA naming
 * the first broken row otherwise. head (may be NULL) gets the last hash as
 * 64 hex characters. */
enum br_status audit_verify(struct store *s, long long *rows, char head[65], char **why);

/* ---- reading the trail (the Audit screen) ------------------------------ */

#include "store.h"

struct audit_filter {
	char login[33];       /* "" = anyone */
	char entity[16];      /* person request offer calloff approval user ...; "" = any */
	char entity_id[24];   /* with entity */
	char day[11];         /* YYYY-MM-DD, a UK day (local midnight to midnight); "" = any */
	/* everything about one person (their record's openings, requests,
	 * offers, call-offs and approvals); 0 = anyone. Replaces entity. */
	int64_t person_id;
};

struct audit_row {
	long long id;
	char at[21], login[33], action[40], entity[16], entity_id[24], detail[256];
	struct list_cursor key;
};

/* Newest first, paged by keyset (FORWARD goes back in time). Admins and
 * supervisors only. */
struct session;
enum br_status audit_list(struct session *s, const struct audit_filter *f, const struct list_cursor *at,
			  enum list_dir dir, struct audit_row *rows, int limit, int *n, char **why);
/* The SQL audit_list runs for this shape of filter (for tests: each
 * shape's plan is checked to use an index). BR_INTERNAL if out is short. */
enum br_status audit_filter_sql(const struct audit_filter *f, bool cursor, bool backward, char *out, size_t n);

#endif
