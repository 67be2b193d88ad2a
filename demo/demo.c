/* demo.c — deterministic demo data at any scale (scale 1 = the LCR:
 * 500 providers, 5,000 service users, 20,000 call-offs).
 *
 * The real Care and Support at Home awards (shared/reference) with real
 * provider names; everything else is made up: providers, people, NHS
 * numbers from the 999 test range, two years of requests, offers,
 * call-offs, approvals and the audit trail that records them. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff_states.h"
#include "capacity.h"
#include "respite_beds.h"
#include "rules.h"
#include "store_internal.h"
#include "util.h"
#include "demo_internal.h"

/* ---- users and audit ---------------------------------------------------- */

static enum br_status make_users(struct gen *g, char **why)
{
	enum br_status st;
	for (int i = 0; i < N_LOGINS; i++) {
		sqlite3_stmt *q = g->ins_user;
		store_bind_text(q, 1, demo_logins[i].login);
		store_bind_text(q, 2, demo_logins[i].name);
		store_bind_text(q, 3, demo_logins[i].role);
		if (demo_logins[i].limit >= 0)
			sqlite3_bind_int64(q, 4, demo_logins[i].limit);
		demo_bind_stamp(g, q, 5, (g->today - 800) * 86400);
		if ((st = demo_step(g, q, why)))
			return st;
	}
	return BR_OK;
}

static enum br_status write_audit(struct gen *g, char **why)
{
	/* Top up with record openings so the trail has the volume of a real
	 * one: about 100 rows a person over two years at every scale. */
	size_t want = (size_t)demo_scaled(g, 200000, 0);
	while (g->nevents < want) {
		struct gperson *p = &g->people[rnext(&g->r) % (uint64_t)g->npeople];
		int64_t day = g->today - rint_in(&g->r, 1, 730);
		if (!demo_event_add(g, demo_day_at(&g->r, day, 8, 18), EV_OPEN, demo_person_id(g, p), demo_person_id(g, p),
			       demo_officer_logins[rnext(&g->r) % 4]))
			return demo_event_failed(g, why);
	}
	static const char *const action[] = {
		[EV_REQUEST] = "request.create", [EV_OFFER] = "offer.create",
		[EV_ACCEPT] = "offer.accept", [EV_DECLINE] = "offer.decline",
		[EV_WITHDRAW] = "offer.withdraw", [EV_CALLOFF] = "calloff.create",
		[EV_APPROVAL_REQ] = "approval.request", [EV_APPROVE] = "approval.approve",
		[EV_REJECT] = "approval.reject", [EV_END] = "calloff.end",
		[EV_HANDBACK] = "calloff.handback", [EV_OPEN] = "person.open",
		[EV_EXPIRE] = "offer.expire",
	};
	static const char *const entity[] = {
		[EV_REQUEST] = "request", [EV_OFFER] = "offer", [EV_ACCEPT] = "offer",
		[EV_DECLINE] = "offer", [EV_WITHDRAW] = "offer", [EV_CALLOFF] = "calloff",
		[EV_APPROVAL_REQ] = "approval", [EV_APPROVE] = "approval", [EV_REJECT] = "approval",
		[EV_END] = "calloff", [EV_HANDBACK] = "calloff", [EV_OPEN] = "person",
		[EV_EXPIRE] = "offer",
	};
	int64_t now = (int64_t)clock_now();
	struct audit_chain chain;
	enum br_status st = audit_chain_load(g->s, &chain, why);
	if (st != BR_OK)
		return st;
	/* in time order: SQLite's sorter, in pages of the (capped) cache and
	 * temporary files, not an array of every event */
	sqlite3_stmt *q;
	if ((st = demo_prep(g, &q, "SELECT at, kind, id, other, login FROM temp.demo_event "
			      "WHERE at <= ?1 ORDER BY at, kind, id, other, login", why)))
		return st;
	sqlite3_bind_int64(q, 1, now); /* history does not run ahead of the clock */
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t at = sqlite3_column_int64(q, 0), eid = sqlite3_column_int64(q, 2),
			other = sqlite3_column_int64(q, 3);
		int kind = sqlite3_column_int(q, 1), login = sqlite3_column_int(q, 4);
		if (kind < 0 || kind > EV_EXPIRE || login < 0 || login >= N_LOGINS)
			continue;
		char id[24], detail[64];
		snprintf(id, sizeof id, "%lld", (long long)eid);
		const char *who = kind == EV_EXPIRE ? "system" : demo_logins[login].login;
		switch (kind) {
		case EV_REQUEST: snprintf(detail, sizeof detail, "person=%lld", (long long)other); break;
		case EV_OFFER: case EV_ACCEPT: case EV_DECLINE: case EV_WITHDRAW: case EV_EXPIRE:
		case EV_CALLOFF: case EV_END: case EV_HANDBACK:
			snprintf(detail, sizeof detail, "provider=%lld", (long long)other);
			break;
		case EV_APPROVAL_REQ: case EV_APPROVE: case EV_REJECT:
			snprintf(detail, sizeof detail, "calloff=%lld", (long long)other);
			break;
		default: detail[0] = '\0'; break;
		}
		if ((st = audit_chain_append(g->s, &chain, (time_t)at, who, action[kind], entity[kind],
					     id, detail, why)))
			break;
		g->rep->audit_rows++;
		demo_tick(g, "audit trail", 1);
	}
	if (st == BR_OK && rc != SQLITE_DONE)
		st = store_error(g->s, rc, "reading demo events", why);
	sqlite3_finalize(q);
	return st; /* the temporary table goes with the connection (demo_build drops it) */
}

/* Bulk loading is faster into tables without their indexes: drop the
 * indexes of the big tables and rebuild them from their own SQL after. */
struct saved_indexes {
	char **sql;
	int n;
};

static enum br_status indexes_drop(struct gen *g, struct saved_indexes *saved, char **why)
{
	sqlite3_stmt *q;
	saved->sql = NULL;
	saved->n = 0;
	int rc = sqlite3_prepare_v2(store_db(g->s),
		"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
		"AND tbl_name IN ('audit','offer','calloff','package_request','approval',"
		"'service_user','service_user_need')", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(g->s, rc, "preparing demo data", why);
	char names[64][64];
	int n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 64) {
		char **grown = realloc(saved->sql, (size_t)(n + 1) * sizeof *grown);
		if (!grown)
			break;
		saved->sql = grown;
		saved->sql[n] = strdup((const char *)sqlite3_column_text(q, 1));
		text_copy(names[n], sizeof names[n], (const char *)sqlite3_column_text(q, 0));
		if (!saved->sql[n])
			break;
		saved->n = ++n;
	}
	sqlite3_finalize(q);
	for (int i = 0; i < saved->n; i++) {
		char *drop = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
		if (!drop)
			return br_fail(why, BR_NOMEM, "out of memory");
		enum br_status st = store_exec(g->s, drop, why);
		sqlite3_free(drop);
		if (st)
			return st;
	}
	return BR_OK;
}

static enum br_status indexes_restore(struct gen *g, struct saved_indexes *saved, char **why)
{
	for (int i = 0; i < saved->n; i++) {
		enum br_status st = store_exec(g->s, saved->sql[i], why);
		if (st)
			return st;
		if (g->opts->progress)
			g->opts->progress(g->opts->progress_ctx, "indexes", 0.99);
	}
	return BR_OK;
}

static void indexes_free(struct saved_indexes *saved)
{
	for (int i = 0; i < saved->n; i++)
		free(saved->sql[i]);
	free(saved->sql);
	saved->sql = NULL;
	saved->n = 0;
}

static void gen_free(struct gen *g)
{
	sqlite3_stmt **all[] = {&g->ins_provider, &g->ins_reg, &g->ins_cov, &g->ins_rate,
				&g->ins_cap, &g->ins_award, &g->ins_person, &g->ins_need,
				&g->ins_user, &g->ins_request, &g->ins_offer, &g->ins_calloff,
				&g->ins_approval, &g->ins_rule, &g->end_previous, &g->ins_event};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		sqlite3_finalize(*all[i]);
		*all[i] = NULL;
	}
	for (int s = 0; s < SERVICE_COUNT; s++)
		for (int l = 0; l < MAX_LOC; l++)
			for (int n = 0; n < NEED_COUNT; n++)
				free(g->cand[s][l][n]);
	free(g->prov);
	free(g->people);
	free(g->surnames.cum);
	for (int i = 0; i < g->ngiven; i++)
		free(g->given[i].cum);
	free(g->given);
}

/* One statement with one text parameter, run once. */
static enum br_status run_with(struct store *s, const char *sql, const char *text, const char *what, char **why)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		return store_error(s, sqlite3_errcode(store_db(s)), what, why);
	store_bind_text(q, 1, text);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? BR_OK : store_error(s, rc, what, why);
}

/* A provider's respite beds are at least the bookings of its busiest night
 * from tonight (the beds rule of records/invariants.c): the generator
 * books by chance, a provider reports its beds. */
static enum br_status beds_cover_bookings(struct store *s, char **why)
{
#define NIGHTS(B) B ".service = 'RSP' AND " CALLOFF_SQL_NIGHT(B ".status")
	static const char sql[] =
		"UPDATE capacity SET free = max(free, coalesce((SELECT max((SELECT count(*) FROM calloff b "
		"WHERE b.provider_id = n.provider_id AND b.locality = n.locality AND " NIGHTS("b")
		" AND b.start_date <= max(n.start_date, ?1) AND b.end_date >= max(n.start_date, ?1))) "
		"FROM calloff n WHERE n.provider_id = capacity.provider_id AND n.locality = capacity.locality "
		"AND " NIGHTS("n") " AND n.end_date >= ?1), 0)) WHERE service = 'RSP'";
#undef NIGHTS
	char tonight[11];
	date_format(respite_tonight(), tonight);
	return run_with(s, sql, tonight, "demo: respite beds", why);
}

/* Every lot a call-off draws on has a figure (the lots rule of
 * records/invariants.c): an out-of-locality placement drew on where its
 * provider delivers, which reports none free beyond what it holds. */
static enum br_status lots_cover_calloffs(struct store *s, char **why)
{
	static const char sql[] =
		"INSERT INTO capacity(provider_id, service, locality, free, updated_at) "
		"SELECT DISTINCT c.provider_id, c.service, c.locality, 0, ?1 FROM calloff c "
		"WHERE c.service <> 'RSP' AND c.tier <> 'spot' AND " CALLOFF_SQL_HOLDS("c.status")
		" AND NOT EXISTS (SELECT 1 FROM capacity k WHERE k.provider_id = c.provider_id "
		"AND k.service = c.service AND k.locality = c.locality)";
	char now[21];
	clock_stamp(clock_now(), now);
	return run_with(s, sql, now, "demo: capacity", why);
}

enum br_status demo_build(struct store *s, const struct br_config *cfg,
			  const struct init_options *opts, struct init_report *rep, char **why)
{
	struct gen *g = calloc(1, sizeof *g);
	if (!g)
		return br_fail(why, BR_NOMEM, "out of memory");
	struct init_options o = *opts;
	if (o.scale_permille < 1)
		o.scale_permille = 1000;
	g->s = s;
	g->cfg = cfg;
	g->opts = &o;
	g->rep = rep;
	g->r.s = opts->seed ? opts->seed : 20190401;
	g->today = clock_today();
	g->now = (int64_t)clock_now();
	g->nloc = cfg->n_localities;
	/* audit rows: about 5.5 a call-off, or the scale's target if more */
	long long audit = (long long)demo_count_calloffs(g) * 11 / 2;
	if (audit < demo_scaled(g, 200000, 0))
		audit = demo_scaled(g, 200000, 0);
	g->progress_total = demo_count_providers(g) + demo_count_people(g) + demo_count_calloffs(g) + audit;
	enum br_status st = BR_OK;
	struct saved_indexes saved = {NULL, 0};
	g->ngiven = names_given_count;
	g->given = calloc((size_t)g->ngiven, sizeof *g->given);
	if (!g->given || !demo_picker_init(&g->surnames, &names_surnames)) {
		st = br_fail(why, BR_NOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < g->ngiven; i++)
		if (!demo_picker_init(&g->given[i], &names_given[i])) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
	/* The audit events wait on disk (a temporary file), not in memory. */
	if ((st = store_exec(s, "PRAGMA temp_store=FILE; PRAGMA temp.cache_size=-4096; "
			     "CREATE TEMP TABLE demo_event(at INTEGER, kind INTEGER, id INTEGER, "
			     "other INTEGER, login INTEGER)", why)) ||
	    (st = demo_prep(g, &g->ins_event, "INSERT INTO temp.demo_event VALUES (?1,?2,?3,?4,?5)", why)))
		goto done;
	if ((st = demo_prep(g, &g->ins_provider,
		"INSERT INTO provider(id, name, name_fold, cqc_location_id, cqc_rating, status, "
		"suspended_reason, suspended_on, left_on, is_consortium, consortium_id, phone, email, "
		"contact) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)", why)) ||
	    (st = demo_prep(g, &g->ins_reg, "INSERT INTO registration VALUES (?1,?2,?3)", why)) ||
	    (st = demo_prep(g, &g->ins_cov, "INSERT INTO coverage VALUES (?1,?2)", why)) ||
	    (st = demo_prep(g, &g->ins_rate, "INSERT INTO rate VALUES (?1,?2,?3,?4)", why)) ||
	    (st = demo_prep(g, &g->ins_cap, "INSERT INTO capacity VALUES (?1,?2,?3,?4,?5)", why)) ||
	    (st = demo_prep(g, &g->ins_award,
		       "INSERT INTO award(provider_id, service, locality, tier, valid_from) "
		       "VALUES (?1,?2,?3,?4,'2019-04-01')", why)) ||
	    (st = demo_prep(g, &g->ins_person,
		"INSERT INTO service_user(id, ref, nhs_number, family_name, given_name, family_fold, "
		"given_fold, date_of_birth, postcode, postcode_key, locality, primary_need, forensic, "
		"restricted, direct_payment, funding, status, phone, created_at) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)", why)) ||
	    (st = demo_prep(g, &g->ins_need, "INSERT INTO service_user_need VALUES (?1,?2)", why)) ||
	    (st = demo_prep(g, &g->ins_user,
		       "INSERT OR IGNORE INTO users(login, name, role, approval_limit, created_at) "
		       "VALUES (?1,?2,?3,?4,?5)", why)) ||
	    (st = demo_prep(g, &g->ins_request,
		"INSERT INTO package_request(id, user_id, service, locality, units, start_date, "
		"urgency, funding, asc_pct, status, handback, created_at, created_by, opened_at, "
		"closed_at, cancel_reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
		why)) ||
	    (st = demo_prep(g, &g->ins_offer,
		"INSERT INTO offer(id, request_id, provider_id, tier, status, offered_at, offered_by, "
		"expires_at, responded_at, decline_reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
		why)) ||
	    (st = demo_prep(g, &g->ins_calloff,
		"INSERT INTO calloff(id, request_id, provider_id, offer_id, tier, override_kind, "
		"override_reason, service, locality, unit_rate_pence, units, weekly_cost_pence, "
		"asc_pct, start_date, end_date, status, proposed_by, created_at, ended_reason, "
		"handback_reason, handback_notice) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
		why)) ||
	    (st = demo_prep(g, &g->ins_approval,
		"INSERT INTO approval(id, calloff_id, status, annual_cost_pence, requested_at, "
		"requested_by, due_date, decided_at, decided_by, note) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,coalesce(?10,''))", why)) ||
	    (st = demo_prep(g, &g->ins_rule, "INSERT INTO approval_rule VALUES (?1,?2,?3)", why)) ||
	    (st = demo_prep(g, &g->end_previous,
		       "UPDATE calloff SET status = 'ended', ended_reason = 'package changed', "
		       "end_date = max(start_date, ?2) WHERE id = ?1 AND " CALLOFF_SQL_HOLDS("status")
		       " AND NOT " CALLOFF_SQL_AWAITS("status"), why)))
		goto done;
	if ((st = store_begin(s, why)))
		goto done;
	if ((st = indexes_drop(g, &saved, why))) {
		store_rollback(s);
		goto done;
	}
	char seed[32];
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)g->r.s);
	if ((st = store_exec(s, "INSERT OR REPLACE INTO meta VALUES ('demo', 'true')", why)) ||
	    (st = make_users(g, why)) || (st = demo_make_providers(g, why)) ||
	    (st = demo_make_people(g, why)) || (st = demo_make_history(g, why)) ||
	    (st = write_audit(g, why)) || (st = indexes_restore(g, &saved, why)) ||
	    (st = beds_cover_bookings(s, why)) || (st = lots_cover_calloffs(s, why)) ||
	    (st = capacity_rebase_all(s, why))) {
		store_rollback(s);
		goto done;
	}
	sqlite3_stmt *m;
	if (sqlite3_prepare_v2(store_db(s), "INSERT OR REPLACE INTO meta VALUES ('demo_seed', ?1)",
			       -1, &m, NULL) == SQLITE_OK) {
		store_bind_text(m, 1, seed);
		sqlite3_step(m);
		sqlite3_finalize(m);
	}
	if (opts->progress)
		opts->progress(opts->progress_ctx, "saving", 1.0);
	st = store_commit(s, why);
	/* Built with foreign keys off for speed: prove them now, once. */
	if (st == BR_OK) {
		sqlite3_stmt *fk;
		int rc = sqlite3_prepare_v2(store_db(s), "PRAGMA foreign_key_check", -1, &fk, NULL);
		if (rc != SQLITE_OK) {
			st = store_error(s, rc, "checking demo data", why);
		} else {
			if (sqlite3_step(fk) == SQLITE_ROW)
				st = br_fail(why, BR_INTERNAL, "demo data: %s row %lld breaks a foreign key",
					     (const char *)sqlite3_column_text(fk, 0),
					     (long long)sqlite3_column_int64(fk, 1));
			sqlite3_finalize(fk);
		}
	}
	if (st == BR_OK)
		st = store_exec(s, "PRAGMA analysis_limit=1000; ANALYZE", why);
done:
	indexes_free(&saved);
	gen_free(g);
	store_exec(s, "DROP TABLE IF EXISTS temp.demo_event", NULL);
	free(g);
	return st;
}
