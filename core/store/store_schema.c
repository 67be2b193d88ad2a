/* store_schema.c — the schema: the migrations of schemas/, built in
 * (build/gen/schemas.c, whose embedder refuses a number at or below the
 * latest released one: schemas/RELEASED), run in order, each with its
 * user_version bump, in one transaction. See store.h. */
#include "store.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "store_internal.h"

int store_schema_latest(void)
{
	return store_schema_count > 0 ? store_schemas[store_schema_count - 1].version : 0;
}

enum br_status store_schema_version(struct store *s, int *version, char **why)
{
	char text[32];
	enum br_status st = store_pragma_text(s, "PRAGMA user_version", text, sizeof text, why);
	if (st == BR_OK)
		*version = atoi(text);
	return st;
}

enum br_status store_migrate(struct store *s, int *from, int *to, char **why)
{
	int version, latest = store_schema_latest();
	bool was = store_long_turn(s, true);
	enum br_status st = store_begin(s, why);
	store_long_turn(s, was);
	if (st != BR_OK)
		return st;
	if ((st = store_schema_version(s, &version, why)))
		goto fail;
	if (from)
		*from = version;
	int started = version;
	if (version > latest) {
		st = br_fail(why, BR_DATA,
			     "%s: database schema %d is newer than this program (%d); "
			     "use the newer brokerage", store_path(s), version, latest);
		goto fail;
	}
	/* the migrations are the program's own text, and a released one edits
	 * the schema directly (008): the defensive mode is off while they run */
	sqlite3_db_config(store_db(s), SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL);
	for (int i = 0; i < store_schema_count; i++) {
		const struct store_schema *m = &store_schemas[i];
		if (m->version <= version)
			continue;
		if ((st = store_exec(s, m->sql, why)) != BR_OK) {
			if (why && *why) {
				char *inner = *why; /* br_fail replaces *why: keep the words it quotes */
				*why = NULL;
				br_fail(why, st, "migration %s: %s", m->name, inner);
				free(inner);
			}
			goto fail;
		}
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", m->version);
		if ((st = store_exec(s, bump, why)) != BR_OK)
			goto fail;
		version = m->version;
	}
	bool migrated = version != started;
	sqlite3_db_config(store_db(s), SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	if ((st = store_commit(s, why)) != BR_OK)
		return st;
	/* A migration that builds an index leaves its pages in the WAL; copy
	 * them home now, so the first sessions after it (and check) do not
	 * look each page up in a WAL of tens of megabytes. Best effort: a
	 * reader holding the WAL only delays it to the next checkpoint. */
	if (migrated)
		sqlite3_exec(store_db(s), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (to)
		*to = version;
	return BR_OK;
fail:
	sqlite3_db_config(store_db(s), SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	store_rollback(s);
	return st;
}
