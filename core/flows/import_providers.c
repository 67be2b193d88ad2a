/* import_providers.c — the providers table: columns to a provider_input,
 * checked by provider_field_check (records/provider.c). */
#include "import_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calloff_states.h"
#include "capacity.h"
#include "domain.h"
#include "invariants.h"
#include "provider.h"
#include "session.h"
#include "upkeep.h"
#include "util.h"

/* ===== providers =========================================================== */

enum {
	PR_ID, PR_NAME, PR_CQC, PR_RATING, PR_STATUS, PR_CONSORTIUM, PR_SUSP_REASON, PR_SUSP_ON,
	PR_PHONE, PR_REGS, PR_LOCALITIES, PR_AWARDS, PR_MEMBERS, PR_LEFT_ON, PR_NCOLS
};

static const struct col provider_cols[] = {
	{"id", false}, {"name", true}, {"cqc_location_id", false}, {"cqc_rating", false},
	{"status", false}, {"consortium", false}, {"suspended_reason", false},
	{"suspended_on", false}, {"phone", false}, {"registrations", false}, {"localities", false},
	{"awards", false}, {"members", false}, {"left_on", false}, {NULL, false},
};

static bool pr_check_values(struct import_ctx *c, struct row *r)
{
	bool ok = true;
	long long id;
	if (*V(r, PR_ID)) {
		if (!import_parse_int(V(r, PR_ID), 1, 2000000000LL, &id)) {
			import_bad(c, r, PR_ID, "is not an id (a whole number from 1)");
			ok = false;
		} else {
			r->id = id;
		}
	}
	/* the provider_input columns: the register's rules (records/provider.c's
	 * provider_field_check), as provider add and the Provider form ask */
	static const struct { enum provider_field f; int col; size_t room; } fields[] = {
		{PROVIDER_NAME, PR_NAME, sizeof ((struct provider_input *)0)->name},
		{PROVIDER_CQC, PR_CQC, sizeof ((struct provider_input *)0)->cqc},
		{PROVIDER_RATING, PR_RATING, sizeof ((struct provider_input *)0)->rating},
		{PROVIDER_PHONE, PR_PHONE, sizeof ((struct provider_input *)0)->phone},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		int col = fields[i].col;
		if ((c->t->cols[col].required && !import_check_required(c, r, col)) ||
		    !import_check_len(c, r, col, fields[i].room - 1)) {
			ok = false;
			continue;
		}
		struct provider_input one = {0};
		char *to = fields[i].f == PROVIDER_NAME ? one.name : fields[i].f == PROVIDER_CQC ? one.cqc
							      : fields[i].f == PROVIDER_RATING ? one.rating : one.phone;
		text_copy(to, fields[i].room, V(r, col));
		char buf[200];
		const char *wrong = provider_field_check(&c->s->cfg, &one, fields[i].f, buf, sizeof buf);
		if (wrong) {
			import_bad(c, r, col, "%s", wrong);
			ok = false;
		}
	}
	if (*V(r, PR_RATING) && rating_find(V(r, PR_RATING)) >= 0)
		import_set_field(r, PR_RATING, rating_text(rating_find(V(r, PR_RATING))));
	const char *status = V(r, PR_STATUS);
	if (*status && !provider_status_valid(status)) {
		import_bad(c, r, PR_STATUS, "is not a status (active, suspended, left)");
		ok = false;
	}
	bool suspended = strcmp(status, "suspended") == 0, left = strcmp(status, "left") == 0;
	if (suspended) {
		if (!*V(r, PR_SUSP_REASON)) {
			import_bad(c, r, PR_SUSP_REASON, "is empty: a suspended provider needs the reason");
			ok = false;
		}
		if (!*V(r, PR_SUSP_ON)) {
			import_bad(c, r, PR_SUSP_ON, "is not a date: a suspended provider needs the date");
			ok = false;
		}
	} else {
		if (*V(r, PR_SUSP_REASON)) {
			import_bad(c, r, PR_SUSP_REASON, "is not allowed: the provider is not suspended");
			ok = false;
		}
		if (*V(r, PR_SUSP_ON)) {
			import_bad(c, r, PR_SUSP_ON, "is not allowed: the provider is not suspended");
			ok = false;
		}
	}
	if (!import_check_len(c, r, PR_SUSP_REASON, 500) || !import_check_date(c, r, PR_SUSP_ON, true))
		ok = false;
	if (left && !*V(r, PR_LEFT_ON)) {
		import_bad(c, r, PR_LEFT_ON, "is not a date: a provider that left the framework needs the date");
		ok = false;
	} else if (!left && *V(r, PR_LEFT_ON)) {
		import_bad(c, r, PR_LEFT_ON, "is not allowed: the provider has not left the framework");
		ok = false;
	} else if (!import_check_date(c, r, PR_LEFT_ON, true)) {
		ok = false;
	}
	if (!import_check_len(c, r, PR_CONSORTIUM, 120))
		ok = false;
	if (!import_check_list(c, r, PR_REGS, import_item_registration, "registrations (SERVICE/NEED, as HC/LD)"))
		ok = false;
	if (!import_check_list(c, r, PR_LOCALITIES, import_item_locality, "localities of the config"))
		ok = false;
	return ok;
}

/* The one provider with this exact name: its id, 0 for none, -1 for many. */
static int64_t provider_by_name(struct import_ctx *c, const char *name)
{
	static const char sql[] = "SELECT id FROM provider WHERE name = ?1 LIMIT 2";
	char *why = NULL;
	sqlite3_stmt *q = store_cached(c->s->store, sql, &why);
	if (!q) {
		import_db_error(c, BR_INTERNAL, &why);
		return 0;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	int64_t id = 0;
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		id = sqlite3_column_int64(q, 0);
		n++;
	}
	store_done(q);
	return n > 1 ? -1 : id;
}

static int64_t provider_by_cqc(struct import_ctx *c, const char *cqc)
{
	static const char sql[] = "SELECT id FROM provider WHERE cqc_location_id = ?1";
	char *why = NULL;
	sqlite3_stmt *q = store_cached(c->s->store, sql, &why);
	if (!q) {
		import_db_error(c, BR_INTERNAL, &why);
		return 0;
	}
	sqlite3_bind_text(q, 1, cqc, -1, SQLITE_TRANSIENT);
	int64_t id = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	return id;
}

static void pr_check(struct import_ctx *c)
{
	static const char cur_sql[] =
		"SELECT p.name, coalesce(p.cqc_location_id,''), p.cqc_rating, p.status, "
		"coalesce((SELECT x.name FROM provider x WHERE x.id = p.consortium_id), ''), "
		"coalesce(p.suspended_reason,''), coalesce(p.suspended_on,''), coalesce(p.phone,''), "
		"coalesce((SELECT group_concat(x, ';') FROM (SELECT r.service || '/' || r.need AS x "
		"  FROM registration r WHERE r.provider_id = p.id ORDER BY x)), ''), "
		"coalesce((SELECT group_concat(x, ';') FROM (SELECT c.locality AS x FROM coverage c "
		"  WHERE c.provider_id = p.id ORDER BY x)), ''), coalesce(p.left_on,'') "
		"FROM provider p WHERE p.id = ?1";
	static const int cur_col[PR_NCOLS] = {
		[PR_NAME] = 0, [PR_CQC] = 1, [PR_RATING] = 2, [PR_STATUS] = 3, [PR_CONSORTIUM] = 4,
		[PR_SUSP_REASON] = 5, [PR_SUSP_ON] = 6, [PR_PHONE] = 7, [PR_REGS] = 8,
		[PR_LOCALITIES] = 9, [PR_LEFT_ON] = 10,
	};
	char *why = NULL;
	/* names first: a consortium may be named before its own row */
	for (size_t i = 0; i < c->nrows; i++) {
		const char *n = V(&c->rows[i], PR_NAME);
		if (!*n)
			continue;
		import_seen_set(c, SEEN_NAME, n, import_seen_get(c, SEEN_NAME, n, NULL) ? -1 : (long)i);
	}
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		r->consortium_row = -1;
		if (!pr_check_values(c, r))
			continue;
		char key[32];
		if (*V(r, PR_ID)) {
			snprintf(key, sizeof key, "%lld", (long long)r->id);
			if (import_dup_in_file(c, SEEN_ID, key, r, PR_ID))
				continue;
		}
		if (*V(r, PR_CQC) && import_dup_in_file(c, SEEN_CQC, V(r, PR_CQC), r, PR_CQC))
			continue;
		/* which provider is this? CQC location id, then id, then a name
		 * nobody else has */
		int64_t existing = 0;
		if (*V(r, PR_CQC) && (existing = provider_by_cqc(c, V(r, PR_CQC))) != 0) {
			if (r->id && r->id != existing) {
				import_bad(c, r, PR_ID, "is not the id of CQC location %s: that is provider %lld",
				    V(r, PR_CQC), (long long)existing);
				continue;
			}
		} else if (r->id) {
			char name[8];
			if (import_provider_name(c, r->id, name, sizeof name))
				existing = r->id;
		} else if (!*V(r, PR_CQC)) {
			int64_t by_name = provider_by_name(c, V(r, PR_NAME));
			if (by_name > 0)
				existing = by_name;
		}
		/* the consortium parent: in this file, or in the database */
		const char *parent = V(r, PR_CONSORTIUM);
		if (*parent) {
			long k;
			if (import_seen_get(c, SEEN_NAME, parent, &k)) {
				if (k < 0) {
					import_bad(c, r, PR_CONSORTIUM, "is not one provider: the file has two of that name");
					continue;
				}
				if ((size_t)k == i) {
					import_bad(c, r, PR_CONSORTIUM, "is not another provider: a provider cannot be its own consortium");
					continue;
				}
				r->consortium_row = (int)k;
			} else {
				int64_t p = provider_by_name(c, parent);
				if (p <= 0) {
					import_bad(c, r, PR_CONSORTIUM, "is not %s",
					    p < 0 ? "one provider: the database has two of that name"
						  : "a provider in this file or the database");
					continue;
				}
				if (p == existing) {
					import_bad(c, r, PR_CONSORTIUM, "is not another provider: a provider cannot be its own consortium");
					continue;
				}
				r->other = p;
			}
		}
		if (!existing) {
			r->act = ACT_ADD;
			if (!*V(r, PR_RATING))
				import_set_field(r, PR_RATING, "Not yet rated");
			if (!*V(r, PR_STATUS))
				import_set_field(r, PR_STATUS, "active");
			continue;
		}
		r->id = existing;
		sqlite3_stmt *q = store_cached(c->s->store, cur_sql, &why);
		if (!q)
			break;
		sqlite3_bind_int64(q, 1, existing);
		if (sqlite3_step(q) != SQLITE_ROW) {
			store_done(q);
			continue;
		}
		char cur[1024];
		for (int col = PR_NAME; col < PR_NCOLS; col++) {
			if (col == PR_AWARDS || col == PR_MEMBERS)
				continue;
			store_col_text(q, cur_col[col], cur, sizeof cur);
			if (col == PR_STATUS) {
				if (has(c, col) && !*V(r, col))
					import_set_field(r, col, cur);
				if (has(c, col) && strcmp(V(r, col), cur) != 0) {
					import_bad(c, r, col, "is not allowed: provider %lld is %s; use brokerage provider "
					    "suspend, reinstate or leave to change its status", (long long)existing, cur);
					break;
				}
			}
			if (col == PR_RATING && has(c, col) && !*V(r, col))
				import_set_field(r, col, cur);
			import_compare(c, r, col, cur);
		}
		store_done(q);
		r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
	}
	if (why)
		import_db_error(c, BR_INTERNAL, &why);
	/* a consortium parent found in the file: it must itself be valid, and
	 * may not be the member's own record under another row */
}

static enum br_status pr_set_list(struct import_ctx *c, int64_t id, const char *list, bool regs,
				  char **why)
{
	static const char del_reg[] = "DELETE FROM registration WHERE provider_id = ?1";
	static const char del_cov[] = "DELETE FROM coverage WHERE provider_id = ?1";
	static const char ins_reg[] = "INSERT INTO registration VALUES (?1, ?2, ?3)";
	static const char ins_cov[] = "INSERT INTO coverage VALUES (?1, ?2)";
	sqlite3_stmt *q = store_cached(c->s->store, regs ? del_reg : del_cov, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	enum br_status st = store_step_done(c->s->store, q, "importing a provider", why);
	if (st != BR_OK)
		return st;
	char copy[1100];
	snprintf(copy, sizeof copy, "%s", list);
	for (char *save = NULL, *it = strtok_r(copy, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
		if (!(q = store_cached(c->s->store, regs ? ins_reg : ins_cov, why)))
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, id);
		if (regs) {
			char *slash = strchr(it, '/');
			*slash = '\0';
			sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(q, 3, slash + 1, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
		}
		if ((st = store_step_done(c->s->store, q, "importing a provider", why)) != BR_OK)
			return st;
	}
	return BR_OK;
}

static enum br_status pr_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO provider(id, name, name_fold, cqc_location_id, cqc_rating, status, "
		"suspended_reason, suspended_on, left_on, phone) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
	static const char upd[] =
		"UPDATE provider SET name = ?2, name_fold = ?3, cqc_location_id = ?4, cqc_rating = ?5, "
		"status = ?6, suspended_reason = ?7, suspended_on = ?8, left_on = ?9, phone = ?10 "
		"WHERE id = ?1";
	static const char set_parent[] = "UPDATE provider SET consortium_id = ?2 WHERE id = ?1";
	static const char mark_parent[] = "UPDATE provider SET is_consortium = 1 WHERE id = ?1";
	enum br_status st;
	/* rows with their own id first, so a new id never takes one the file gives */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->nrows; i++) {
			struct row *r = &c->rows[i];
			if ((pass == 0) != (r->id != 0) || r->act == ACT_SAME)
				continue;
			char fold[256];
			text_fold(V(r, PR_NAME), fold, sizeof fold);
			sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
			if (!q)
				return BR_INTERNAL;
			if (r->id)
				sqlite3_bind_int64(q, 1, r->id);
			sqlite3_bind_text(q, 2, V(r, PR_NAME), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, fold, -1, SQLITE_TRANSIENT);
			import_bind_opt(q, 4, V(r, PR_CQC));
			sqlite3_bind_text(q, 5, V(r, PR_RATING), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 6, V(r, PR_STATUS), -1, SQLITE_STATIC);
			import_bind_opt(q, 7, V(r, PR_SUSP_REASON));
			import_bind_opt(q, 8, V(r, PR_SUSP_ON));
			import_bind_opt(q, 9, V(r, PR_LEFT_ON));
			import_bind_opt(q, 10, V(r, PR_PHONE));
			if ((st = store_step_done(c->s->store, q, "importing a provider", why)) != BR_OK)
				return st;
			if (!r->id)
				r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
			if ((r->act == ACT_ADD || has(c, PR_REGS)) &&
			    (st = pr_set_list(c, r->id, V(r, PR_REGS), true, why)) != BR_OK)
				return st;
			if ((r->act == ACT_ADD || has(c, PR_LOCALITIES)) &&
			    (st = pr_set_list(c, r->id, V(r, PR_LOCALITIES), false, why)) != BR_OK)
				return st;
		}
	}
	/* then the consortium links, now that every id is known */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME || (!has(c, PR_CONSORTIUM) && r->act != ACT_ADD))
			continue;
		int64_t parent = r->consortium_row >= 0 ? c->rows[r->consortium_row].id : r->other;
		if (!*V(r, PR_CONSORTIUM))
			parent = 0;
		if (parent == r->id)
			return br_fail(why, BR_DATA, "%s:%ld: column consortium: a provider cannot be its own consortium",
				       c->file, r->line);
		sqlite3_stmt *q = store_cached(c->s->store, set_parent, why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, r->id);
		if (parent)
			sqlite3_bind_int64(q, 2, parent);
		else
			sqlite3_bind_null(q, 2);
		if ((st = store_step_done(c->s->store, q, "importing a provider", why)) != BR_OK)
			return st;
		if (parent) {
			if (!(q = store_cached(c->s->store, mark_parent, why)))
				return BR_INTERNAL;
			sqlite3_bind_int64(q, 1, parent);
			if ((st = store_step_done(c->s->store, q, "importing a provider", why)) != BR_OK)
				return st;
		}
	}
	/* the register's rule, asked of each row as written (the file's rows
	 * beside each other and the database's): names unique once folded */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		char fold[256], line[400];
		int64_t other;
		text_fold(V(r, PR_NAME), fold, sizeof fold);
		if ((st = invariants_provider(c->s->store, r->id, r->act == ACT_ADD ? "the new provider" : NULL, fold, V(r, PR_CQC), &other, line, sizeof line,
					      why)) != BR_OK)
			return st;
		if (other)
			import_bad(c, r, PR_NAME, "is refused: %s", line);
	}
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		if ((st = import_audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	return BR_OK;
}

/* read whole: a consortium parent may be named before its own row */
const struct table import_table_providers = {"providers", "provider", provider_cols, pr_check, pr_write, .whole = true};
