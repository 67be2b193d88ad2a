/* import_lots.c — awards, capacity, rates and registrations: rows keyed
 * by provider and lot. */
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

/* ===== awards ================================================================ */

enum { AW_ID, AW_SERVICE, AW_LOCALITY, AW_PROVIDER_ID, AW_PROVIDER, AW_TIER, AW_FROM, AW_TO, AW_NCOLS };

static const struct col award_cols[] = {
	{"id", false}, {"service", true}, {"locality", false}, {"provider_id", true},
	{"provider", false}, {"tier", true}, {"valid_from", true}, {"valid_to", false}, {NULL, false},
};

static void aw_check(struct import_ctx *c)
{
	static const char by_id[] =
		"SELECT service, coalesce(locality,''), provider_id, tier, valid_from, "
		"coalesce(valid_to,'') FROM award WHERE id = ?1";
	static const char by_key[] =
		"SELECT id, coalesce(valid_to,'') FROM award WHERE service = ?1 AND locality IS ?2 "
		"AND provider_id = ?3 AND tier = ?4 AND valid_from = ?5";
	char *why = NULL;
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		bool ok = true;
		long long id = 0;
		if (*V(r, AW_ID) && !import_parse_int(V(r, AW_ID), 1, 2000000000LL, &id)) {
			import_bad(c, r, AW_ID, "is not an id (a whole number from 1)");
			ok = false;
		}
		if (!import_check_required(c, r, AW_SERVICE) || !import_check_service(c, r, AW_SERVICE))
			ok = false;
		bool tier_ok = true;
		if (!import_check_required(c, r, AW_TIER) || !tier_valid(V(r, AW_TIER))) {
			if (*V(r, AW_TIER))
				import_bad(c, r, AW_TIER, "is not a tier (primary, secondary, peripheral)");
			ok = tier_ok = false;
		}
		bool peripheral = strcmp(V(r, AW_TIER), "peripheral") == 0;
		if (tier_ok && peripheral && *V(r, AW_LOCALITY)) {
			import_bad(c, r, AW_LOCALITY, "is not allowed: a peripheral award covers the whole borough "
			    "(leave locality empty)");
			ok = false;
		} else if (tier_ok && !peripheral && !import_check_locality(c, r, AW_LOCALITY)) {
			ok = false;
		}
		if (!import_check_provider_ref(c, r, AW_PROVIDER_ID, AW_PROVIDER))
			ok = false;
		if (!import_check_required(c, r, AW_FROM) || !import_check_date(c, r, AW_FROM, false) ||
		    !import_check_date(c, r, AW_TO, true)) {
			ok = false;
		} else if (*V(r, AW_TO) && strcmp(V(r, AW_TO), V(r, AW_FROM)) < 0) {
			import_bad(c, r, AW_TO, "is not on or after valid_from %s", V(r, AW_FROM));
			ok = false;
		}
		if (!ok)
			continue;
		char key[200];
		if (id) {
			snprintf(key, sizeof key, "%lld", id);
			if (import_dup_in_file(c, SEEN_ID, key, r, AW_ID))
				continue;
		}
		snprintf(key, sizeof key, "%s|%s|%lld|%s|%s", V(r, AW_SERVICE), V(r, AW_LOCALITY),
			 (long long)r->other, V(r, AW_TIER), V(r, AW_FROM));
		long first;
		if (!import_seen_add(c, SEEN_KEY, key, r->line, 0, &first, NULL)) {
			import_bad(c, r, AW_FROM, "is not a new award: line %ld has the same service, locality, "
			    "provider, tier and valid_from", first);
			continue;
		}
		sqlite3_stmt *q = store_cached(c->s->store, by_key, &why);
		if (!q)
			break;
		sqlite3_bind_text(q, 1, V(r, AW_SERVICE), -1, SQLITE_STATIC);
		import_bind_opt(q, 2, V(r, AW_LOCALITY));
		sqlite3_bind_int64(q, 3, r->other);
		sqlite3_bind_text(q, 4, V(r, AW_TIER), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, V(r, AW_FROM), -1, SQLITE_STATIC);
		int64_t key_id = 0;
		char cur_to[16] = "";
		if (sqlite3_step(q) == SQLITE_ROW) {
			key_id = sqlite3_column_int64(q, 0);
			store_col_text(q, 1, cur_to, sizeof cur_to);
		}
		store_done(q);
		if (id && key_id && id != key_id) {
			import_bad(c, r, AW_ID, "is not the id of this award: it is award %lld", (long long)key_id);
			continue;
		}
		if (key_id) {
			r->id = key_id;
			import_compare(c, r, AW_TO, cur_to);
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
			continue;
		}
		r->id = id;
		r->act = ACT_ADD;
		if (!id)
			continue;
		/* an id the file gives that the database holds for another award:
		 * the award is changed to what the file says */
		if (!(q = store_cached(c->s->store, by_id, &why)))
			break;
		sqlite3_bind_int64(q, 1, id);
		if (sqlite3_step(q) == SQLITE_ROW) {
			static const int cols[] = {AW_SERVICE, AW_LOCALITY, AW_PROVIDER_ID, AW_TIER, AW_FROM, AW_TO};
			char cur[64];
			for (int k = 0; k < 6; k++) {
				store_col_text(q, k, cur, sizeof cur);
				import_compare(c, r, cols[k], cur);
			}
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
		}
		store_done(q);
	}
	if (why)
		import_db_error(c, BR_INTERNAL, &why);
}

static enum br_status aw_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO award(id, service, locality, provider_id, tier, valid_from, valid_to) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7)";
	static const char upd[] =
		"UPDATE award SET service = ?2, locality = ?3, provider_id = ?4, tier = ?5, "
		"valid_from = ?6, valid_to = ?7 WHERE id = ?1";
	enum br_status st;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->nrows; i++) {
			struct row *r = &c->rows[i];
			if ((pass == 0) != (r->id != 0) || r->act == ACT_SAME)
				continue;
			sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
			if (!q)
				return BR_INTERNAL;
			if (r->id)
				sqlite3_bind_int64(q, 1, r->id);
			sqlite3_bind_text(q, 2, V(r, AW_SERVICE), -1, SQLITE_STATIC);
			import_bind_opt(q, 3, V(r, AW_LOCALITY));
			sqlite3_bind_int64(q, 4, r->other);
			sqlite3_bind_text(q, 5, V(r, AW_TIER), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 6, V(r, AW_FROM), -1, SQLITE_STATIC);
			import_bind_opt(q, 7, V(r, AW_TO));
			if ((st = store_step_done(c->s->store, q, "importing an award", why)) != BR_OK)
				return st;
			if (!r->id)
				r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)r->id);
			if ((st = import_audit_row(c, r, id, why)) != BR_OK)
				return st;
		}
	}
	/* the register's rule, asked of each row as written: one holder per
	 * tier per lot on any day (award add asks the same) */
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		struct invariant_award a = {.id = r->id, .provider_id = r->other, .service = V(r, AW_SERVICE),
					    .locality = V(r, AW_LOCALITY), .tier = V(r, AW_TIER),
					    .from = V(r, AW_FROM), .to = V(r, AW_TO),
					    .label = r->act == ACT_ADD ? "the new award" : NULL};
		char line[400];
		int64_t other;
		int same;
		if ((st = invariants_award(c->s->store, &a, &other, &same, line, sizeof line, why)) != BR_OK)
			return st;
		if (other)
			import_bad(c, r, AW_TIER, "is refused: %s", line);
	}
	return BR_OK;
}

/* ===== capacity, rates, registrations: keyed by provider and lot ============ */

enum { CA_PROVIDER_ID, CA_PROVIDER, CA_SERVICE, CA_LOCALITY, CA_FREE, CA_REPORTED, CA_UPDATED, CA_NCOLS };
static const struct col capacity_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"locality", true},
	{"free", true}, {"reported_on", false}, {"updated_at", false}, {NULL, false},
};

enum { RA_PROVIDER_ID, RA_PROVIDER, RA_SERVICE, RA_FROM, RA_PENCE, RA_NCOLS };
static const struct col rate_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"valid_from", true},
	{"pence", true}, {NULL, false},
};

enum { RG_PROVIDER_ID, RG_PROVIDER, RG_SERVICE, RG_NEED, RG_NCOLS };
static const struct col registration_cols[] = {
	{"provider_id", true}, {"provider", false}, {"service", true}, {"need", true}, {NULL, false},
};

static void lot_check(struct import_ctx *c)
{
	static const char cap_sql[] =
		"SELECT c.free, c.updated_at, coalesce(r.reported_on, '') FROM capacity c "
		"LEFT JOIN capacity_report r ON r.provider_id = c.provider_id AND r.service = c.service "
		"AND r.locality = c.locality WHERE c.provider_id = ?1 AND c.service = ?2 AND c.locality = ?3";
	static const char rate_sql[] =
		"SELECT pence FROM rate WHERE provider_id = ?1 AND service = ?2 AND valid_from = ?3";
	static const char reg_sql[] =
		"SELECT 1 FROM registration WHERE provider_id = ?1 AND service = ?2 AND need = ?3";
	enum import_what w = c->t->cols == capacity_cols ? IMPORT_CAPACITY
			     : c->t->cols == rate_cols ? IMPORT_RATES : IMPORT_REGISTRATIONS;
	char *why = NULL, now[21];
	clock_stamp(clock_now(), now);
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		bool ok = import_check_provider_ref(c, r, 0, 1);
		if (!import_check_required(c, r, 2) || !import_check_service(c, r, 2))
			ok = false;
		int key_col = 3;
		long long n;
		if (w == IMPORT_CAPACITY) {
			if (!import_check_locality(c, r, CA_LOCALITY))
				ok = false;
			if (!import_check_required(c, r, CA_FREE) || !import_parse_int(V(r, CA_FREE), 0, 1000000, &n)) {
				if (*V(r, CA_FREE))
					import_bad(c, r, CA_FREE, "is not a number of units free (0 to 1000000)");
				ok = false;
			}
			if (!*V(r, CA_REPORTED)) {
				char today[11];
				date_format(clock_today(), today);
				import_set_field(r, CA_REPORTED, today); /* reported today */
			} else if (!import_check_date(c, r, CA_REPORTED, false)) {
				ok = false;
			}
			if (*V(r, CA_UPDATED)) {
				time_t t;
				char canon[21];
				if (clock_parse(V(r, CA_UPDATED), &t, NULL) != BR_OK) {
					import_bad(c, r, CA_UPDATED, "is not a time (YYYY-MM-DDTHH:MM:SSZ, UTC)");
					ok = false;
				} else {
					clock_stamp(t, canon);
					import_set_field(r, CA_UPDATED, canon);
				}
			} else {
				import_set_field(r, CA_UPDATED, now); /* reported now */
			}
		} else if (w == IMPORT_RATES) {
			if (!import_check_required(c, r, RA_FROM) || !import_check_date(c, r, RA_FROM, false))
				ok = false;
			if (!import_check_required(c, r, RA_PENCE) || !import_parse_int(V(r, RA_PENCE), 1, 100000000, &n)) {
				if (*V(r, RA_PENCE))
					import_bad(c, r, RA_PENCE, "is not money in whole pence (1 to 100000000)");
				ok = false;
			}
		} else if (!import_check_required(c, r, RG_NEED) || !import_check_need(c, r, RG_NEED)) {
			ok = false;
		}
		if (!ok)
			continue;
		char key[200];
		snprintf(key, sizeof key, "%lld|%s|%s", (long long)r->other, V(r, 2), V(r, key_col));
		long first;
		if (!import_seen_add(c, SEEN_KEY, key, r->line, 0, &first, NULL)) {
			import_bad(c, r, key_col, "is not new: line %ld has the same provider, service and %s", first,
			    c->t->cols[key_col].name);
			continue;
		}
		sqlite3_stmt *q = store_cached(c->s->store, w == IMPORT_CAPACITY ? cap_sql
							    : w == IMPORT_RATES ? rate_sql : reg_sql, &why);
		if (!q)
			break;
		sqlite3_bind_int64(q, 1, r->other);
		sqlite3_bind_text(q, 2, V(r, 2), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, V(r, key_col), -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_ROW) {
			r->act = ACT_ADD;
		} else {
			char cur[32];
			if (w == IMPORT_CAPACITY) {
				store_col_text(q, 0, cur, sizeof cur);
				import_compare(c, r, CA_FREE, cur);
				store_col_text(q, 1, cur, sizeof cur);
				if (strcmp(V(r, CA_UPDATED), cur) != 0) /* the file's time, or now */
					import_note_change(r, "updated_at");
				store_col_text(q, 2, cur, sizeof cur);
				if (strcmp(V(r, CA_REPORTED), cur) != 0) /* the file's day, or today */
					import_note_change(r, "reported_on");
			} else if (w == IMPORT_RATES) {
				store_col_text(q, 0, cur, sizeof cur);
				import_compare(c, r, RA_PENCE, cur);
			}
			r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
		}
		store_done(q);
	}
	if (why)
		import_db_error(c, BR_INTERNAL, &why);
}

static enum br_status lot_write(struct import_ctx *c, char **why)
{
	static const char rate_sql[] =
		"INSERT INTO rate(provider_id, service, valid_from, pence) VALUES (?1,?2,?3,?4) "
		"ON CONFLICT (provider_id, service, valid_from) DO UPDATE SET pence = excluded.pence";
	static const char reg_sql[] = "INSERT OR IGNORE INTO registration VALUES (?1,?2,?3)";
	bool cap = c->t->cols == capacity_cols;
	const char *sql = c->t->cols == rate_cols ? rate_sql : reg_sql;
	enum br_status st;
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		if (cap) {
			/* the one write of a reported figure, with its basis */
			if ((st = capacity_write(c->s->store, r->other, V(r, 2), V(r, 3), atoll(V(r, CA_FREE)),
						 V(r, CA_UPDATED), V(r, CA_REPORTED), why)) != BR_OK)
				return st;
		} else {
			sqlite3_stmt *q = store_cached(c->s->store, sql, why);
			if (!q)
				return BR_INTERNAL;
			sqlite3_bind_int64(q, 1, r->other);
			sqlite3_bind_text(q, 2, V(r, 2), -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, V(r, 3), -1, SQLITE_STATIC);
			if (sql == rate_sql)
				sqlite3_bind_int64(q, 4, atoll(V(r, RA_PENCE)));
			if ((st = store_step_done(c->s->store, q, "importing", why)) != BR_OK)
				return st;
		}
		char id[64];
		snprintf(id, sizeof id, "%lld/%s/%s", (long long)r->other, V(r, 2), V(r, 3));
		if ((st = import_audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	return BR_OK;
}

/* read whole: an id given further down must not be taken by an award
 * numbered before it, and the register rule is asked of the file as written */
const struct table import_table_awards = {"awards", "award", award_cols, aw_check, aw_write, .whole = true};
const struct table import_table_capacity = {"capacity", "capacity", capacity_cols, lot_check, lot_write, false};
const struct table import_table_rates = {"rates", "rate", rate_cols, lot_check, lot_write, false};
const struct table import_table_registrations = {"registrations", "registration", registration_cols, lot_check, lot_write, false};
