/* demo_common.c — the demo generator's helpers: names by weight, statements,
 * dates and stamps, progress, the audit events gathered, the counts by scale. */
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

const struct demo_login demo_logins[] = {
	{"officer", "Amy Roberts", "officer", -1},
	{"supervisor", "Dev Patel", "supervisor", 500000000},
	{"supervisor2", "Grace Okafor", "supervisor", 1000000},
	{"oncall", "Sam Kelly", "oncall", -1},
	{"admin", "Chris Morgan", "admin", -1},
	{"viewer", "Jan Lewis", "viewer", -1},
	{"jhughes", "Jo Hughes", "officer", -1},
	{"kmorris", "Kim Morris", "officer", -1},
	{"ldavies", "Lee Davies", "officer", -1},
	{"msmith", "Mo Smith", "supervisor", 200000000},
};
const int demo_n_logins = (int)(sizeof demo_logins / sizeof demo_logins[0]);
const int demo_officer_logins[4] = {0, 6, 7, 8};
const int demo_supervisor_logins[2] = {1, 9};
const char *const demo_funding_text[3] = {"ASC", "CHC", "JOINT"};

bool demo_picker_init(struct picker *p, const struct name_table *t)
{
	p->rows = t->rows;
	p->n = t->n;
	p->cum = malloc((size_t)(t->n > 0 ? t->n : 1) * sizeof *p->cum);
	if (!p->cum)
		return false;
	int64_t sum = 0;
	for (int i = 0; i < t->n; i++)
		p->cum[i] = sum += t->rows[i].weight;
	return t->n > 0;
}

/* The name a draw x picks, in proportion to the weights. */
const char *demo_picker_pick(const struct picker *p, uint64_t x)
{
	int64_t v = (int64_t)(x % (uint64_t)p->cum[p->n - 1]);
	int lo = 0, hi = p->n - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (p->cum[mid] > v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return p->rows[lo].name;
}

/* ---- helpers ------------------------------------------------------------- */

enum br_status demo_prep(struct gen *g, sqlite3_stmt **st, const char *sql, char **why)
{
	int rc = sqlite3_prepare_v2(store_db(g->s), sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_error(g->s, rc, "preparing demo data", why);
	return BR_OK;
}

enum br_status demo_step(struct gen *g, sqlite3_stmt *st, char **why)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_error(g->s, rc, "writing demo data", why);
	return BR_OK;
}

void demo_bind_date(sqlite3_stmt *st, int i, int64_t day)
{
	char d[11];
	date_format(day, d);
	sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
}

/* The history is drawn by day and hour: a day's acts from 8 to 5 would run
 * ahead of a clock that reads 1 a.m. today (seen: a call-off created at
 * 19:03 when it was 01:30, with no audit event). Every stamp is of an act
 * done, so none is after now; a monotone cap keeps each record's order. */
int64_t demo_past(const struct gen *g, int64_t t) { return t < g->now ? t : g->now; }

void demo_bind_stamp(const struct gen *g, sqlite3_stmt *st, int i, int64_t t)
{
	t = demo_past(g, t);
	char d[21];
	clock_stamp((time_t)t, d);
	sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
}

void demo_tick(struct gen *g, const char *stage, long long n)
{
	long long before = g->progress_done * 100 / g->progress_total;
	g->progress_done += n;
	long long after = g->progress_done * 100 / g->progress_total;
	if (g->opts->progress && after != before && after < 100)
		g->opts->progress(g->opts->progress_ctx, stage, (double)after / 100.0);
}

/* An audit event to write later: into temp.demo_event (on disk, not in
 * memory: 2.7 million at scale 10), read back sorted by SQLite. */
bool demo_event_add(struct gen *g, int64_t at, int kind, int64_t id, int64_t other, int login)
{
	sqlite3_stmt *q = g->ins_event;
	sqlite3_bind_int64(q, 1, demo_past(g, at));
	sqlite3_bind_int(q, 2, kind);
	sqlite3_bind_int64(q, 3, id);
	sqlite3_bind_int64(q, 4, other);
	sqlite3_bind_int(q, 5, login);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE) {
		g->event_rc = rc;
		return false;
	}
	g->nevents++;
	return true;
}

enum br_status demo_event_failed(struct gen *g, char **why)
{
	return store_error(g->s, g->event_rc, "writing demo data", why);
}

int64_t demo_person_id(const struct gen *g, const struct gperson *p)
{
	return (int64_t)(p - g->people) + 1;
}

/* base * scale, at least min */
int demo_scaled(const struct gen *g, long long base, long long min)
{
	long long n = base * g->opts->scale_permille / 1000;
	return (int)(n < min ? min : n);
}

int demo_count_providers(const struct gen *g) { return demo_scaled(g, 500, 40); }
int demo_count_people(const struct gen *g) { return demo_scaled(g, 5000, 50); }
int demo_count_open(const struct gen *g) { return demo_scaled(g, 60, 8); }

/* 20,000 call-offs at the LCR's scale; above it the history deepens so
 * that scale 10 is DESIGN.md's 10x LCR: 500,000 call-offs. */
int demo_count_calloffs(const struct gen *g)
{
	long long pm = g->opts->scale_permille;
	long long deepen = pm > 1000 ? 1000 + (pm - 1000) / 6 : 1000;
	long long total = 20000LL * pm / 1000 * deepen / 1000;
	return (int)(total < 100 ? 100 : total);
}

int64_t demo_day_at(struct rng *r, int64_t day, int from_hour, int to_hour)
{
	return day * 86400 + rint_in(r, from_hour * 3600, to_hour * 3600 - 1);
}

int64_t demo_rate_on(const struct gprov *p, int svc, int64_t day)
{
	/* base from 2019-04-01, 4% more each April after */
	int y, m, d;
	date_from_days(day, &y, &m, &d);
	int steps = y - 2019 - (m < 4);
	if (steps < 0)
		steps = 0;
	int64_t rate = p->base_rate[svc];
	for (int i = 0; i < steps; i++)
		rate += rate * 4 / 100;
	return rate;
}

/* The given-name table for a date of birth: the decade's, or the nearest. */
const struct picker *demo_given_for(const struct gen *g, int64_t dob)
{
	int y, m, d;
	date_from_days(dob, &y, &m, &d);
	int i = 0;
	while (i + 1 < g->ngiven && names_given[i + 1].decade <= y)
		i++;
	return &g->given[i];
}
