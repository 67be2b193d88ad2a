#include "audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "session.h"
#include "store_internal.h"
#include "util.h"

static void absorb(crypto_generichash_state *h, const char *field)
{
	unsigned char len[4];
	size_t n = field ? strlen(field) : 0;
	len[0] = (unsigned char)(n & 0xff);
	len[1] = (unsigned char)((n >> 8) & 0xff);
	len[2] = (unsigned char)((n >> 16) & 0xff);
	len[3] = (unsigned char)((n >> 24) & 0xff);
	crypto_generichash_update(h, len, sizeof len);
	if (n)
		crypto_generichash_update(h, (const unsigned char *)field, n);
}

static void row_hash(long long id, const char *at, const char *login, const char *action,
		     const char *entity, const char *entity_id, const char *detail,
		     const unsigned char prev[AUDIT_HASH_BYTES], unsigned char out[AUDIT_HASH_BYTES])
{
	crypto_generichash_state h;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", id);
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_BYTES);
	crypto_generichash_update(&h, prev, AUDIT_HASH_BYTES);
	absorb(&h, idtext);
	absorb(&h, at);
	absorb(&h, login);
	absorb(&h, action);
	absorb(&h, entity);
	absorb(&h, entity_id);
	absorb(&h, detail);
	crypto_generichash_final(&h, out, AUDIT_HASH_BYTES);
}

static enum br_status insert(struct store *s, time_t at, const char *login, const char *action,
			     const char *entity, const char *entity_id, const char *detail,
			     unsigned char prev[AUDIT_HASH_BYTES], long long id, char **why)
{
	char stamp[21];
	unsigned char hash[AUDIT_HASH_BYTES];
	clock_stamp(at, stamp);
	row_hash(id, stamp, login, action, entity, entity_id ? entity_id : "", detail ? detail : "",
		 prev, hash);
	sqlite3_stmt *st = store_stmt(s, STMT_AUDIT_INSERT,
		"INSERT INTO audit(id, at, login, action, entity, entity_id, detail, prev_hash, hash) "
		"VALUES (?,?,?,?,?,?,?,?,?)", why);
	if (!st)
		return BR_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, stamp);
	store_bind_text(st, 3, login);
	store_bind_text(st, 4, action);
	store_bind_text(st, 5, entity);
	store_bind_text(st, 6, entity_id ? entity_id : "");
	store_bind_text(st, 7, detail ? detail : "");
	sqlite3_bind_blob(st, 8, prev, AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 9, hash, AUDIT_HASH_BYTES, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	store_done(st);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "writing the audit trail", why);
	store_note_audit_head(s, id, hash);
	memcpy(prev, hash, AUDIT_HASH_BYTES);
	return BR_OK;
}

static enum br_status last_row(struct store *s, long long *id, unsigned char prev[AUDIT_HASH_BYTES],
			       char **why)
{
	sqlite3_stmt *st = store_stmt(s, STMT_AUDIT_LAST,
				      "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", why);
	if (!st)
		return BR_INTERNAL;
	memset(prev, 0, AUDIT_HASH_BYTES);
	*id = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_BYTES)
			memcpy(prev, sqlite3_column_blob(st, 1), AUDIT_HASH_BYTES);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "reading the audit trail", why);
	return BR_OK;
}

enum br_status audit_append_at(struct store *s, time_t at, const char *login,
			       const char *action, const char *entity, const char *entity_id,
			       const char *detail, char **why)
{
	unsigned char prev[AUDIT_HASH_BYTES];
	long long id;
	enum br_status st = last_row(s, &id, prev, why);
	if (st != BR_OK)
		return st;
	return insert(s, at, login, action, entity, entity_id, detail, prev, id + 1, why);
}

enum br_status audit_chain_load(struct store *s, struct audit_chain *c, char **why)
{
	return last_row(s, &c->last_id, c->head, why);
}

enum br_status audit_chain_append(struct store *s, struct audit_chain *c, time_t at,
				  const char *login, const char *action, const char *entity,
				  const char *entity_id, const char *detail, char **why)
{
	enum br_status st = insert(s, at, login, action, entity, entity_id, detail, c->head,
				   c->last_id + 1, why);
	if (st == BR_OK)
		c->last_id++;
	return st;
}

enum br_status audit_append(struct store *s, const char *login, const char *action,
			    const char *entity, const char *entity_id, const char *detail,
			    char **why)
{
	return audit_append_at(s, clock_now(), login, action, entity, entity_id, detail, why);
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

enum br_status audit_verify(struct store *s, long long *rows, char head[65], char **why)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(store_db(s),
		"SELECT id, at, login, action, entity, entity_id, detail, prev_hash, hash "
		"FROM audit ORDER BY id", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "reading the audit trail", why);
	unsigned char prev[AUDIT_HASH_BYTES] = {0}, want[AUDIT_HASH_BYTES];
	long long n = 0, expect_id = 1;
	enum br_status result = BR_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *f[6];
		for (int i = 0; i < 6; i++) {
			const unsigned char *t = sqlite3_column_text(st, i + 1);
			f[i] = t ? (const char *)t : "";
		}
		if (id != expect_id) {
			result = br_fail(why, BR_DATA, "audit row %lld is missing (next row is %lld)",
					 expect_id, id);
			break;
		}
		if (sqlite3_column_bytes(st, 7) != AUDIT_HASH_BYTES ||
		    memcmp(sqlite3_column_blob(st, 7), prev, AUDIT_HASH_BYTES) != 0) {
			result = br_fail(why, BR_DATA,
					 "audit row %lld does not follow row %lld: a row was removed "
					 "or changed", id, id - 1);
			break;
		}
		row_hash(id, f[0], f[1], f[2], f[3], f[4], f[5], prev, want);
		if (sqlite3_column_bytes(st, 8) != AUDIT_HASH_BYTES ||
		    memcmp(sqlite3_column_blob(st, 8), want, AUDIT_HASH_BYTES) != 0) {
			result = br_fail(why, BR_DATA,
					 "audit row %lld was changed after it was written (hash mismatch)",
					 id);
			break;
		}
		memcpy(prev, want, AUDIT_HASH_BYTES);
		n++;
		expect_id++;
	}
	if (result == BR_OK && rc != SQLITE_DONE)
		result = store_error(s, rc, "reading the audit trail", why);
	sqlite3_finalize(st);
	if (rows)
		*rows = n;
	if (head)
		hex(prev, AUDIT_HASH_BYTES, head);
	return result;
}

/* A UK day (the day as the screen shows it) as the UTC stamps that bound
 * it: local midnight to the next local midnight, 23 or 25 hours when the
 * clocks change. */
static enum br_status local_day_bounds(const char *day, char lo[21], char hi[21], char **why)
{
	int64_t d;
	enum br_status st = date_parse(day, &d, why);
	if (st != BR_OK)
		return st;
	for (int i = 0; i < 2; i++) {
		int y, m, dd;
		date_from_days(d + i, &y, &m, &dd);
		struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_isdst = -1};
		time_t t = mktime(&tm);
		clock_stamp(t, i ? hi : lo);
	}
	return BR_OK;
}

/* One person: the audit rows of each of their records, found through the
 * indexes on (entity, entity_id) and the person's requests. */
#define PERSON_IDS                                                                                        \
	"SELECT id FROM audit WHERE entity = 'person' AND entity_id = CAST(?8 AS TEXT) "                   \
	"UNION ALL SELECT a.id FROM package_request r JOIN audit a ON a.entity = 'request' "                \
	"AND a.entity_id = CAST(r.id AS TEXT) WHERE r.user_id = ?8 "                                        \
	"UNION ALL SELECT a.id FROM package_request r JOIN offer o ON o.request_id = r.id JOIN audit a "    \
	"ON a.entity = 'offer' AND a.entity_id = CAST(o.id AS TEXT) WHERE r.user_id = ?8 "                  \
	"UNION ALL SELECT a.id FROM package_request r JOIN calloff c ON c.request_id = r.id JOIN audit a "  \
	"ON a.entity = 'calloff' AND a.entity_id = CAST(c.id AS TEXT) WHERE r.user_id = ?8 "                \
	"UNION ALL SELECT a.id FROM package_request r JOIN calloff c ON c.request_id = r.id JOIN approval p " \
	"ON p.calloff_id = c.id JOIN audit a ON a.entity = 'approval' AND a.entity_id = CAST(p.id AS TEXT) " \
	"WHERE r.user_id = ?8"

/* The statement for one shape of filter: only the conditions present, so
 * each shape is planned on the index that matches it (schemas 001 and
 * 009), never `?n IS NULL OR col = ?n`, which SQLite can only scan.
 * Parameters: ?1 login, ?2 entity, ?3 entity id, ?4..?5 the day's UTC
 * bounds, ?6 the cursor's id, ?7 the limit, ?8 the person. */
enum br_status audit_filter_sql(const struct audit_filter *f, bool cursor, bool backward, char *out, size_t n)
{
	bool person = f->person_id > 0, login = f->login[0], entity = !person && f->entity[0],
	     entity_id = entity && f->entity_id[0], day = f->day[0];
	if (day && !person && !login && !entity) {
		/* a day alone: the page's ids from audit_by_at, which holds them
		 * (a busy day at 30xLCR is tens of thousands of rows: sort ids, not
		 * rows), then only that page's rows */
		int w = snprintf(out, n, "SELECT id, at, login, action, entity, entity_id, detail FROM audit "
					 "WHERE id IN (SELECT id FROM audit INDEXED BY audit_by_at WHERE at >= ?4 AND at < ?5%s "
					 "ORDER BY id%s LIMIT ?7) ORDER BY id DESC",
				 cursor ? (backward ? " AND id > ?6" : " AND id < ?6") : "", backward ? "" : " DESC");
		return w > 0 && (size_t)w < n ? BR_OK : BR_INTERNAL;
	}
	int w = snprintf(out, n, "%sSELECT id, at, login, action, entity, entity_id, detail FROM audit WHERE 1%s%s%s%s%s%s"
			 " ORDER BY id%s LIMIT ?7%s",
			 backward ? "SELECT * FROM (" : "", person ? " AND id IN (" PERSON_IDS ")" : "",
			 /* with a day, the day's range is the index (a login or an entity
			  * has hundreds of thousands of rows; a day, hundreds): + keeps
			  * the planner off the others */
			 !login ? "" : day && !person ? " AND +login = ?1" : " AND login = ?1",
			 !entity ? "" : day && !entity_id ? " AND +entity = ?2" : " AND entity = ?2",
			 entity_id ? " AND entity_id = ?3" : "", day ? " AND at >= ?4 AND at < ?5" : "",
			 cursor ? (backward ? " AND id > ?6" : " AND id < ?6") : "", backward ? "" : " DESC",
			 backward ? ") ORDER BY id DESC" : "");
	return w > 0 && (size_t)w < n ? BR_OK : BR_INTERNAL;
}
#undef PERSON_IDS

enum br_status audit_list(struct session *s, const struct audit_filter *f, const struct list_cursor *at,
			  enum list_dir dir, struct audit_row *rows, int limit, int *n, char **why)
{
	*n = 0;
	enum br_status st = session_require_cap(s, CAP_AUDIT, "the audit trail", why);
	if (st != BR_OK)
		return st;
	bool cursor = at && at->set, backward = dir == LIST_BACKWARD;
	bool person = f->person_id > 0, login = f->login[0], entity = !person && f->entity[0],
	     entity_id = entity && f->entity_id[0], day = f->day[0];
	char lo[21] = "", hi[21] = "";
	if (day && (st = local_day_bounds(f->day, lo, hi, why)) != BR_OK)
		return st;
	int shape = person;
	shape = shape * 2 + login;
	shape = shape * 2 + entity;
	shape = shape * 2 + entity_id;
	shape = shape * 2 + day;
	shape = shape * 2 + cursor;
	shape = shape * 2 + backward;
	char sql[4096];
	if (audit_filter_sql(f, cursor, backward, sql, sizeof sql) != BR_OK)
		return br_fail(why, BR_INTERNAL, "audit query too long");
	sqlite3_stmt *q = store_stmt(s->store, STMT_AUDIT_LIST_BASE + shape, sql, why);
	if (!q)
		return BR_INTERNAL;
	if (login)
		store_bind_text(q, 1, f->login);
	if (entity)
		store_bind_text(q, 2, f->entity);
	if (entity_id)
		store_bind_text(q, 3, f->entity_id);
	if (day) {
		store_bind_text(q, 4, lo);
		store_bind_text(q, 5, hi);
	}
	if (cursor)
		sqlite3_bind_int64(q, 6, at->id);
	sqlite3_bind_int(q, 7, limit);
	if (person)
		sqlite3_bind_int64(q, 8, f->person_id);
	int rc, count = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && count < limit) {
		struct audit_row *r = &rows[count++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, r->at, sizeof r->at);
		store_col_text(q, 2, r->login, sizeof r->login);
		store_col_text(q, 3, r->action, sizeof r->action);
		store_col_text(q, 4, r->entity, sizeof r->entity);
		store_col_text(q, 5, r->entity_id, sizeof r->entity_id);
		store_col_text(q, 6, r->detail, sizeof r->detail);
		r->key.set = true;
		r->key.id = r->id;
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s->store, rc, "reading the audit trail", why);
	*n = count;
	return BR_OK;
}
