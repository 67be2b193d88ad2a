#include "check.h"

#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit.h"
#include "invariants.h"
#include "respite_beds.h"
#include "privilege.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static void say(check_fn report, void *ctx, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct rule_ctx {
	check_fn report;
	void *ctx;
	int seen[INV_COUNT];
};

static void rule_broken(void *ctx, enum invariant rule, const char *line)
{
	struct rule_ctx *r = ctx;
	r->seen[rule]++;
	char text[600];
	snprintf(text, sizeof text, "business rule: %s", line);
	r->report(r->ctx, 0, text);
}

#include <stdarg.h>
static void say(check_fn report, void *ctx, int ok, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	report(ctx, ok, line);
}

/* The witness key (store_witness.c): a file of root's, never a row of
 * the database, and the one the database was made with. */
static int check_witness_key(struct session *s, check_fn report, void *ctx)
{
	sqlite3 *db = store_db(s->store);
	sqlite3_stmt *q;
	int problems = 0;
	char made[40] = "";
	bool in_db = false;
	if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta WHERE key IN ('witness_key', 'witness_key_id')", -1, &q,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			if (strcmp((const char *)sqlite3_column_text(q, 0), "witness_key") == 0)
				in_db = true;
			else
				store_col_text(q, 1, made, sizeof made);
		}
		sqlite3_finalize(q);
	}
	if (in_db) {
		say(report, ctx, 0, "witness key in the database (meta.witness_key): the program never signs with a key "
				    "kept there; someone who could change the database put it there, or init has not moved "
				    "it out (as root: brokerage init)");
		problems++;
	}
	const char *id = store_witness_key_id(s->store);
	struct stat sb;
	if (!id && lstat(s->cfg.witness_key, &sb) != 0) {
		/* a copy checked with a config of its own (a restore test) has
		 * none: its heads go unsigned, and nothing is wrong with it */
		say(report, ctx, 1, "witness key: none at %s: heads go to syslog unsigned, and check --witness needs it",
		    s->cfg.witness_key);
	} else if (!id) {
		say(report, ctx, 0, "witness key: %s", store_witness_problem(s->store));
		problems++;
	} else if (!made[0]) {
		say(report, ctx, 0, "witness key %s (key %s): the database does not say which key it was made with "
				    "(as root: brokerage init)", s->cfg.witness_key, id);
		problems++;
	} else if (strcmp(made, id) != 0) {
		say(report, ctx, 0, "witness key %s (key %s) is not the one this database was made with (key %s): the "
				    "heads it signed cannot be checked with it", s->cfg.witness_key, id, made);
		problems++;
	} else {
		say(report, ctx, 1, "witness key %s (key %s): root's, the one the database was made with",
		    s->cfg.witness_key, id);
	}
	return problems;
}

enum br_status check_run(struct session *s, check_fn report, void *ctx, char **why)
{
	enum br_status st = session_require_cap(s, CAP_CHECK, "check", why);
	if (st != BR_OK)
		return st;
	sqlite3 *db = store_db(s->store);
	int problems = 0, rc;
	sqlite3_stmt *q;

	say(report, ctx, 1, "config %s: read, %d localities, database %s", s->cfg.path,
	    s->cfg.n_localities, s->cfg.database);
	int version;
	if ((st = store_schema_version(s->store, &version, why)) != BR_OK)
		return st;
	say(report, ctx, 1, "schema version %d (this program: %d)", version, store_schema_latest());

	/* every locality in the config is in the database and the other way */
	rc = sqlite3_prepare_v2(db, "SELECT code FROM locality ORDER BY sort", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "checking localities", why);
	int in_db = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(q, 0);
		in_db++;
		if (config_locality(&s->cfg, code) < 0) {
			say(report, ctx, 0, "locality %s is in the database but not in %s", code,
			    s->cfg.path);
			problems++;
		}
	}
	sqlite3_finalize(q);
	for (int i = 0; i < s->cfg.n_localities; i++) {
		rc = sqlite3_prepare_v2(db, "SELECT 1 FROM locality WHERE code = ?1", -1, &q, NULL);
		if (rc != SQLITE_OK)
			return store_error(s->store, rc, "checking localities", why);
		store_bind_text(q, 1, s->cfg.localities[i].code);
		if (sqlite3_step(q) != SQLITE_ROW) {
			say(report, ctx, 0, "locality %s is in %s but not in the database: "
					    "run 'brokerage init'", s->cfg.localities[i].code, s->cfg.path);
			problems++;
		}
		sqlite3_finalize(q);
	}
	if (!problems)
		say(report, ctx, 1, "localities: %d, the same in config and database", in_db);

	/* SQLite's own integrity check, which reads every page: with a
	 * session's small page cache it re-reads each index's inner pages
	 * many times over (58 s at 10xLCR with 1.2 MiB, 20 s with 16 MiB);
	 * check is an admin's occasional command, not a session */
	sqlite3_exec(db, "PRAGMA cache_size=-16384", NULL, NULL, NULL);
	rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "integrity check", why);
	int bad = 0;
	char first_bad[200] = "";
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(q, 0);
		if (line && strcmp(line, "ok") != 0) {
			say(report, ctx, 0, "integrity: %s", line);
			if (!first_bad[0] && strncmp(line, "***", 3) != 0)
				text_copy(first_bad, sizeof first_bad, line);
			bad++;
		}
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "integrity check", why);
	if (!bad)
		say(report, ctx, 1, "integrity_check: ok");
	problems += bad;
	/* damage found is marked, so every session refuses to write on it
	 * (issue 27, finding 3); a whole database, checked by an admin, is
	 * cleared of an old mark (restored from a backup, say) */
	char mark[300];
	bool marked = store_damage_found(s->cfg.database, mark, sizeof mark);
	if (bad) {
		char what[300];
		snprintf(what, sizeof what, "check found it damaged: %s", first_bad);
		store_damage_mark(s->cfg.database, what);
		say(report, ctx, 0, "damage: writes are refused until it is restored from a backup (%s-damaged marks it)",
		    s->cfg.database);
	} else if (marked && session_require_cap(s, CAP_ADMIN, "clearing the damage mark", NULL) == BR_OK) {
		if ((st = store_damage_clear(s->cfg.database, why)) != BR_OK)
			return st;
		say(report, ctx, 1, "damage: the mark (%s) is cleared: integrity_check finds the database whole",
		    mark[0] ? mark : "no words");
	} else if (marked) {
		say(report, ctx, 0, "damage: marked damaged (%s): writes are refused; an admin's check clears the mark "
				    "once integrity_check finds it whole", mark[0] ? mark : "no words");
		problems++;
	}

	rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "foreign key check", why);
	bad = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (bad < 20)
			say(report, ctx, 0, "foreign key: %s row %lld points at a missing %s",
			    (const char *)sqlite3_column_text(q, 0),
			    (long long)sqlite3_column_int64(q, 1), (const char *)sqlite3_column_text(q, 2));
		bad++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "foreign key check", why);
	if (bad > 20)
		say(report, ctx, 0, "foreign key: %d more", bad - 20);
	if (!bad)
		say(report, ctx, 1, "foreign_key_check: ok");
	problems += bad;

	/* the files of the database are the group's, 0660, no officer's */
	char files[1024];
	store_files_problems(s->cfg.database, files, sizeof files);
	if (files[0]) {
		say(report, ctx, 0, "files: %s (as root: brokerage init puts them right)", files);
		problems++;
	} else {
		say(report, ctx, 1, "files: the database and the files beside it: one owner, one group, %s", "closed to other logins");
	}

	problems += check_witness_key(s, report, ctx);

	long long rows;
	char head[65], *chain_why = NULL;
	st = audit_verify(s->store, &rows, head, &chain_why);
	if (st == BR_OK) {
		say(report, ctx, 1, "audit chain: %lld rows intact; head %.16s", rows, head);
	} else if (st == BR_DATA) {
		say(report, ctx, 0, "audit chain: %s", chain_why ? chain_why : "broken");
		problems++;
	} else {
		br_fail(why, st, "%s", chain_why ? chain_why : "audit check failed");
		br_free_str(&chain_why);
		return st;
	}
	br_free_str(&chain_why);

	/* the business rules (records/invariants.c): each broken one names
	 * its rows, one line each */
	struct rule_ctx rc_ = {.report = report, .ctx = ctx};
	int broken = 0;
	if ((st = invariants_run(s->store, respite_tonight(), 20, rule_broken, &rc_, &broken, why)) != BR_OK)
		return st;
	for (int i = 0; i < INV_COUNT; i++)
		if (!rc_.seen[i])
			say(report, ctx, 1, "%s: ok", invariants_text((enum invariant)i));
	problems += broken;
	if (problems)
		return br_fail(why, BR_DATA, "check found %d problem%s", problems,
			       problems == 1 ? "" : "s");
	return BR_OK;
}

/* "... audit-head db=PATH seq=N hash=HEX [key=ID] [mac=HEX]": false when
 * the line is not one. *signed_len gets the length of what the mac covers,
 * key the signing key's id ("" for a line from before heads named it),
 * *mac the mac's hex ("" when there is none). */
static int parse_head(const char *line, char *db, size_t dbsz, long long *seq,
		      unsigned char hash[AUDIT_HASH_BYTES], size_t *signed_len, char key[17],
		      char mac[2 * crypto_auth_BYTES + 1])
{
	mac[0] = '\0';
	const char *p = strstr(line, "audit-head db=");
	if (!p)
		return 0;
	p += strlen("audit-head db=");
	const char *end = strstr(p, " seq=");
	if (!end || (size_t)(end - p) >= dbsz)
		return 0;
	memcpy(db, p, (size_t)(end - p));
	db[end - p] = '\0';
	char *after;
	*seq = strtoll(end + 5, &after, 10);
	if (after == end + 5 || *seq <= 0 || strncmp(after, " hash=", 6) != 0)
		return 0;
	const char *h = after + 6;
	for (int i = 0; i < AUDIT_HASH_BYTES; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = h[2 * i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (d < 0)
				return 0;
			v = v * 16 + d;
		}
		hash[i] = (unsigned char)v;
	}
	const char *m = h + 2 * AUDIT_HASH_BYTES;
	key[0] = '\0';
	if (strncmp(m, " key=", 5) == 0 && strspn(m + 5, "0123456789abcdef") == 16) {
		memcpy(key, m + 5, 16);
		key[16] = '\0';
		m += 5 + 16;
	}
	*signed_len = (size_t)(m - line);
	if (strncmp(m, " mac=", 5) == 0 && strspn(m + 5, "0123456789abcdef") >= 2 * crypto_auth_BYTES) {
		memcpy(mac, m + 5, 2 * crypto_auth_BYTES);
		mac[2 * crypto_auth_BYTES] = '\0';
	}
	return 1;
}

enum br_status check_witness(struct session *s, const char *log_path, check_fn report, void *ctx,
			     char **why)
{
	enum br_status st = session_require_cap(s, CAP_CHECK, "check", why);
	if (st != BR_OK)
		return st;
	char real_db[PATH_MAX];
	if (!realpath(s->cfg.database, real_db))
		text_copy(real_db, sizeof real_db, s->cfg.database);
	if ((st = priv_as_caller(why)) != BR_OK)
		return st;
	FILE *f = fopen(log_path, "r");
	priv_restore();
	if (!f)
		return br_fail(why, BR_NOINPUT, "%s: cannot read the witness log", log_path);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(s->store), "SELECT hash FROM audit WHERE id = ?1", -1, &q,
				    NULL);
	if (rc != SQLITE_OK) {
		fclose(f);
		return store_error(s->store, rc, "checking the witness", why);
	}
	const char *key_id = store_witness_key_id(s->store);
	if (!key_id) {
		sqlite3_finalize(q);
		fclose(f);
		say(report, ctx, 0, "witness %s: cannot be checked without the witness key: %s", log_path,
		    store_witness_problem(s->store));
		return br_fail(why, BR_DATA, "check found 1 problem");
	}
	long long last = 0, heads = 0, bad_seq = 0, forged = 0, forged_seq = 0, good = 0, other = 0, other_seq = 0;
	char other_key[17] = "";
	const char *bad_what = NULL;
	char line[PATH_MAX + 512], db[PATH_MAX];
	while (fgets(line, sizeof line, f)) {
		/* a log line holds one message; a raw capture may hold several */
		for (const char *at = strstr(line, "audit-head db="); at; at = strstr(at + 1, "audit-head db=")) {
			long long seq;
			unsigned char hash[AUDIT_HASH_BYTES];
			size_t signed_len;
			char mac[2 * crypto_auth_BYTES + 1], want[2 * crypto_auth_BYTES + 1], key[17];
			if (!parse_head(at, db, sizeof db, &seq, hash, &signed_len, key, mac) || strcmp(db, real_db) != 0)
				continue;
			/* a head that names another key was signed with one this
			 * program no longer has: the key was changed (or the line
			 * is forged); it cannot be checked, and is named */
			if (key[0] && strcmp(key, key_id) != 0) {
				if (!other)
					memcpy(other_key, key, sizeof other_key);
				other++;
				if (seq > other_seq)
					other_seq = seq;
				continue;
			}
			/* only the program, with the database's key, signs a head:
			 * a line anyone else wrote to syslog is not evidence */
			char covered[PATH_MAX + 200];
			snprintf(covered, sizeof covered, "%.*s", (int)signed_len, at);
			if (!store_witness_mac(s->store, covered, want) ||
			    sodium_memcmp(mac, want, 2 * crypto_auth_BYTES) != 0 || !mac[0]) {
				if (!forged)
					forged_seq = seq;
				forged++;
				continue;
			}
			heads++;
			if (seq > last)
				last = seq;
			sqlite3_bind_int64(q, 1, seq);
			rc = sqlite3_step(q);
			const char *what = NULL;
			if (rc == SQLITE_DONE)
				what = "is missing: the chain's tail was cut";
			else if (rc == SQLITE_ROW && (sqlite3_column_bytes(q, 0) != AUDIT_HASH_BYTES ||
						      memcmp(sqlite3_column_blob(q, 0), hash, AUDIT_HASH_BYTES) != 0))
				what = "has another hash than the witness saw: the chain was rewritten";
			sqlite3_reset(q);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				sqlite3_finalize(q);
				fclose(f);
				return store_error(s->store, rc, "checking the witness", why);
			}
			if (what && (!bad_seq || seq < bad_seq)) {
				bad_seq = seq;
				bad_what = what;
			} else if (!what && seq > good) {
				good = seq; /* the latest head that agrees */
			}
		}
	}
	sqlite3_finalize(q);
	int read_error = ferror(f);
	fclose(f);
	if (read_error)
		return br_fail(why, BR_IO, "%s: reading the witness log failed", log_path);
	int problems = 0;
	if (other) {
		say(report, ctx, 0, "witness %s: %lld head%s signed with another witness key (key %s; this database's "
				    "is key %s): the key was changed after they were sent, or they are forged; the latest "
				    "claims audit row %lld",
		    log_path, other, other == 1 ? "" : "s", other_key, key_id, other_seq);
		problems++;
	}
	if (forged) {
		say(report, ctx, 0, "witness %s: %lld line%s for this database not signed with its key (forged, "
				    "or written before it had one; the first claims seq %lld): not counted",
		    log_path, forged, forged == 1 ? "" : "s", forged_seq);
		problems++;
	}
	if (!heads) {
		say(report, ctx, 0, "witness %s: no signed audit heads for %s", log_path, real_db);
		return br_fail(why, BR_DATA, "check found %d problem%s", problems + 1, problems ? "s" : "");
	}
	if (bad_seq && strstr(bad_what, "missing")) {
		/* heads are sent at most one a second (store.c), so the witnessed
		 * row may be past the first one cut: name where the chain ends */
		long long tail = 0;
		if (sqlite3_prepare_v2(store_db(s->store), "SELECT coalesce(max(id), 0) FROM audit", -1, &q, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(q) == SQLITE_ROW)
				tail = sqlite3_column_int64(q, 0);
			sqlite3_finalize(q);
		}
		if (tail + 1 < bad_seq)
			say(report, ctx, 0, "witness %s: audit rows %lld to %lld are missing (the witness saw row %lld): "
					    "the chain's tail was cut", log_path, tail + 1, bad_seq, bad_seq);
		else
			say(report, ctx, 0, "witness %s: audit row %lld %s", log_path, bad_seq, bad_what);
		problems++;
	} else if (bad_seq) {
		if (good && good < bad_seq)
			say(report, ctx, 0, "witness %s: audit row %lld %s, after row %lld (the last head that agrees)",
			    log_path, bad_seq, bad_what, good);
		else
			say(report, ctx, 0, "witness %s: audit row %lld %s", log_path, bad_seq, bad_what);
		problems++;
	} else {
		say(report, ctx, 1, "witness %s: %lld signed heads agree with the chain (last seq %lld)", log_path,
		    heads, last);
	}
	if (problems)
		return br_fail(why, BR_DATA, "check found %d problem%s", problems, problems == 1 ? "" : "s");
	return BR_OK;
}
