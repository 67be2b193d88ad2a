/* upkeep_lots.c — the lots of the register kept true: capacity reported, a
 * rate changed, an award added or ended, a registration. See upkeep.h. Each
 * write is one BEGIN IMMEDIATE ... COMMIT with its audit row. */
#include "upkeep.h"

#include "capacity.h"
#include "invariants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "domain.h"
#include "provider.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static const char *const admins[] = {"admin", NULL};

/* ---- capacity --------------------------------------------------------------- */

enum br_status capacity_set(struct session *s, int64_t provider_id, const char *service,
			    const char *locality, int64_t free_units, int64_t *was, char **why)
{
	static const char get[] =
		"SELECT free FROM capacity WHERE provider_id = ?1 AND service = ?2 AND locality = ?3";
	enum br_status st = session_require(s, admins, "capacity set", why);
	if (st != BR_OK)
		return st;
	if (!service || service_find(service) < 0)
		return br_fail(why, BR_DATA, "--service \"%s\" is not a service (HC, SL, RES, SHL, DAY, RSP, "
			       "REH, PBS, ISP, EMP)", service ? service : "");
	if (!locality || config_locality(&s->cfg, locality) < 0)
		return br_fail(why, BR_DATA, "--locality \"%s\" is not a locality of the config",
			       locality ? locality : "");
	if (free_units < 0 || free_units > 1000000)
		return br_fail(why, BR_DATA, "--free %lld is not a number of units free (0 to 1000000)",
			       (long long)free_units);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	char name[128], now[21], today[11];
	if ((st = provider_name(s->store, provider_id, name, sizeof name, why)) != BR_OK)
		return store_finish(s->store, st, why);
	sqlite3_stmt *q = store_cached(s->store, get, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, provider_id);
	sqlite3_bind_text(q, 2, service, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, locality, -1, SQLITE_TRANSIENT);
	int64_t old = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	store_done(q);
	clock_stamp(clock_now(), now);
	date_format(clock_today(), today);
	if ((st = capacity_write(s->store, provider_id, service, locality, free_units, now, today, why)) != BR_OK)
		return store_finish(s->store, st, why);
	char id[64], detail[200];
	snprintf(id, sizeof id, "%lld/%s/%s", (long long)provider_id, service, locality);
	if (old < 0)
		snprintf(detail, sizeof detail, "free %lld, reported %s", (long long)free_units, today);
	else
		snprintf(detail, sizeof detail, "free %lld (was %lld), reported %s", (long long)free_units,
			 (long long)old, today);
	st = audit_append(s->store, s->user.login, "capacity.set", "capacity", id, detail, why);
	if (st == BR_OK && was)
		*was = old;
	return store_finish(s->store, st, why);
}

/* ---- rates ------------------------------------------------------------------- */

enum br_status rate_set(struct session *s, int64_t provider_id, const char *service,
			int64_t pence, const char *from, int64_t *was, char **why)
{
	static const char get[] =
		"SELECT pence FROM rate WHERE provider_id = ?1 AND service = ?2 AND valid_from = ?3";
	static const char put[] =
		"INSERT INTO rate(provider_id, service, valid_from, pence) VALUES (?1,?2,?3,?4) "
		"ON CONFLICT (provider_id, service, valid_from) DO UPDATE SET pence = excluded.pence";
	enum br_status st = session_require(s, admins, "rate set", why);
	if (st != BR_OK)
		return st;
	if (!service || service_find(service) < 0)
		return br_fail(why, BR_DATA, "--service \"%s\" is not a service (HC, SL, RES, SHL, DAY, RSP, "
			       "REH, PBS, ISP, EMP)", service ? service : "");
	if (pence < 1 || pence > 100000000)
		return br_fail(why, BR_DATA, "--pence %lld is not a rate in whole pence (1 to 100000000)",
			       (long long)pence);
	int64_t day;
	if (!from || date_parse(from, &day, NULL) != BR_OK)
		return br_fail(why, BR_DATA, "--from \"%s\" is not a date (YYYY-MM-DD)", from ? from : "");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	char name[128];
	if ((st = provider_name(s->store, provider_id, name, sizeof name, why)) != BR_OK)
		return store_finish(s->store, st, why);
	sqlite3_stmt *q = store_cached(s->store, get, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, provider_id);
	sqlite3_bind_text(q, 2, service, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, from, -1, SQLITE_TRANSIENT);
	int64_t old = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	store_done(q);
	if (!(q = store_cached(s->store, put, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, provider_id);
	sqlite3_bind_text(q, 2, service, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, pence);
	if ((st = store_step_done(s->store, q, "setting a rate", why)) != BR_OK)
		return store_finish(s->store, st, why);
	char id[64], detail[200], money[32], old_money[32];
	snprintf(id, sizeof id, "%lld/%s/%s", (long long)provider_id, service, from);
	money_format(pence, money, sizeof money);
	money_format(old, old_money, sizeof old_money);
	if (old)
		snprintf(detail, sizeof detail, "%s a unit from %s (was %s)", money, from, old_money);
	else
		snprintf(detail, sizeof detail, "%s a unit from %s", money, from);
	st = audit_append(s->store, s->user.login, "rate.set", "rate", id, detail, why);
	if (st == BR_OK && was)
		*was = old;
	return store_finish(s->store, st, why);
}

/* ---- awards and registrations ------------------------------------------------- */

enum br_status award_add(struct session *s, int64_t provider_id, const char *service,
			 const char *tier, const char *locality, const char *from, int64_t *id,
			 char **why)
{
	static const char status_sql[] = "SELECT status, coalesce(left_on,'') FROM provider WHERE id = ?1";
	static const char holder[] =
		"SELECT p.name, a.valid_from FROM award a JOIN provider p ON p.id = a.provider_id WHERE a.id = ?1";
	static const char ins[] =
		"INSERT INTO award(service, locality, provider_id, tier, valid_from) VALUES (?1,?2,?3,?4,?5)";
	enum br_status st = session_require(s, admins, "award add", why);
	if (st != BR_OK)
		return st;
	if (!service || service_find(service) < 0)
		return br_fail(why, BR_DATA, "--service \"%s\" is not a service (HC, SL, RES, SHL, DAY, RSP, "
			       "REH, PBS, ISP, EMP)", service ? service : "");
	if (!tier || !tier_valid(tier))
		return br_fail(why, BR_DATA, "--tier \"%s\" is not a tier (primary, secondary, peripheral)",
			       tier ? tier : "");
	bool peripheral = strcmp(tier, "peripheral") == 0;
	if (peripheral && locality && *locality)
		return br_fail(why, BR_DATA, "a peripheral award covers the whole borough: no --locality");
	if (!peripheral && (!locality || config_locality(&s->cfg, locality) < 0))
		return br_fail(why, BR_DATA, "--locality \"%s\" is not a locality of the config (a %s award "
			       "names one)", locality ? locality : "", tier);
	int64_t day;
	if (!from || date_parse(from, &day, NULL) != BR_OK)
		return br_fail(why, BR_DATA, "--from \"%s\" is not a date (YYYY-MM-DD)", from ? from : "");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, status_sql, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, provider_id);
	char pstatus[12] = "", left_on[11] = "";
	bool found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		store_col_text(q, 0, pstatus, sizeof pstatus);
		store_col_text(q, 1, left_on, sizeof left_on);
	}
	store_done(q);
	if (!found)
		return store_finish(s->store, br_fail(why, BR_NOTFOUND, "provider %lld: no such provider", (long long)provider_id), why);
	if (strcmp(pstatus, "left") == 0)
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "provider %lld left the framework on %s: no new awards",
					 (long long)provider_id, left_on), why);
	/* the awards rule (records/invariants.c), the one check may ask */
	struct invariant_award cand = {.provider_id = provider_id, .service = service,
				       .locality = peripheral ? NULL : locality, .tier = tier, .from = from};
	int64_t other;
	int same;
	if ((st = invariants_award(s->store, &cand, &other, &same, NULL, 0, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (other && same)
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "provider %lld already holds that award (award %lld)",
					 (long long)provider_id, (long long)other), why);
	if (other) {
		if (!(q = store_cached(s->store, holder, why)))
			return store_finish(s->store, BR_INTERNAL, why);
		sqlite3_bind_int64(q, 1, other);
		char name[96] = "", since[11] = "";
		if (sqlite3_step(q) == SQLITE_ROW) {
			store_col_text(q, 0, name, sizeof name);
			store_col_text(q, 1, since, sizeof since);
		}
		store_done(q);
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s %s already has a %s provider: %s (award %lld, "
					 "from %s); end that award first (award end %lld --on DATE)",
					 service, locality, tier, name, (long long)other, since, (long long)other), why);
	}
	if (!(q = store_cached(s->store, ins, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, service, -1, SQLITE_TRANSIENT);
	if (peripheral)
		sqlite3_bind_null(q, 2);
	else
		sqlite3_bind_text(q, 2, locality, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, provider_id);
	sqlite3_bind_text(q, 4, tier, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, from, -1, SQLITE_TRANSIENT);
	if ((st = store_step_done(s->store, q, "adding an award", why)) != BR_OK)
		return store_finish(s->store, st, why);
	int64_t new_id = sqlite3_last_insert_rowid(store_db(s->store));
	char eid[24], detail[160];
	snprintf(eid, sizeof eid, "%lld", (long long)new_id);
	snprintf(detail, sizeof detail, "provider %lld %s %s %s from %s", (long long)provider_id, service,
		 peripheral ? "*" : locality, tier, from);
	st = audit_append(s->store, s->user.login, "award.add", "award", eid, detail, why);
	if (st == BR_OK && id)
		*id = new_id;
	return store_finish(s->store, st, why);
}

enum br_status award_end(struct session *s, int64_t award_id, const char *on, char **why)
{
	static const char get[] = "SELECT valid_from, coalesce(valid_to,'') FROM award WHERE id = ?1";
	static const char upd[] = "UPDATE award SET valid_to = ?2 WHERE id = ?1";
	enum br_status st = session_require(s, admins, "award end", why);
	if (st != BR_OK)
		return st;
	int64_t day;
	if (!on || date_parse(on, &day, NULL) != BR_OK)
		return br_fail(why, BR_DATA, "--on \"%s\" is not a date (YYYY-MM-DD)", on ? on : "");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, get, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, award_id);
	char from[11] = "", to[11] = "";
	bool found = sqlite3_step(q) == SQLITE_ROW;
	if (found) {
		store_col_text(q, 0, from, sizeof from);
		store_col_text(q, 1, to, sizeof to);
	}
	store_done(q);
	if (!found)
		return store_finish(s->store, br_fail(why, BR_NOTFOUND, "award %lld: no such award", (long long)award_id), why);
	if (strcmp(on, from) < 0)
		return store_finish(s->store, br_fail(why, BR_DATA, "award %lld starts on %s: it cannot end on %s",
					 (long long)award_id, from, on), why);
	if (!(q = store_cached(s->store, upd, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, award_id);
	sqlite3_bind_text(q, 2, on, -1, SQLITE_TRANSIENT);
	if ((st = store_step_done(s->store, q, "ending an award", why)) != BR_OK)
		return store_finish(s->store, st, why);
	char eid[24], detail[80];
	snprintf(eid, sizeof eid, "%lld", (long long)award_id);
	snprintf(detail, sizeof detail, "ends %s%s%s", on, to[0] ? " (was " : "", to[0] ? to : "");
	if (to[0])
		strcat(detail, ")");
	st = audit_append(s->store, s->user.login, "award.end", "award", eid, detail, why);
	return store_finish(s->store, st, why);
}

enum br_status registration_add(struct session *s, int64_t provider_id, const char *service,
				const char *need, bool *added, char **why)
{
	static const char ins[] = "INSERT OR IGNORE INTO registration VALUES (?1, ?2, ?3)";
	if (added)
		*added = false;
	enum br_status st = session_require(s, admins, "registration add", why);
	if (st != BR_OK)
		return st;
	if (!service || service_find(service) < 0)
		return br_fail(why, BR_DATA, "--service \"%s\" is not a service (HC, SL, RES, SHL, DAY, RSP, "
			       "REH, PBS, ISP, EMP)", service ? service : "");
	if (!need || need_find(need) < 0)
		return br_fail(why, BR_DATA, "--need \"%s\" is not a needs group (LD, AUT, MH, ABI, PD, DD)",
			       need ? need : "");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	char name[128];
	if ((st = provider_name(s->store, provider_id, name, sizeof name, why)) != BR_OK)
		return store_finish(s->store, st, why);
	sqlite3_stmt *q = store_cached(s->store, ins, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, provider_id);
	sqlite3_bind_text(q, 2, service, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, need, -1, SQLITE_TRANSIENT);
	if ((st = store_step_done(s->store, q, "registering a provider", why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (sqlite3_changes(store_db(s->store)) == 0) {
		store_rollback(s->store); /* nothing to write, nothing to record */
		return BR_OK;
	}
	char eid[64];
	snprintf(eid, sizeof eid, "%lld/%s/%s", (long long)provider_id, service, need);
	st = audit_append(s->store, s->user.login, "registration.add", "registration", eid, name, why);
	if (st == BR_OK && added)
		*added = true;
	return store_finish(s->store, st, why);
}

