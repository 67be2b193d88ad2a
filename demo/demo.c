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
#include "names.h"
#include "domain.h"
#include "rules.h"
#include "store_internal.h"
#include "util.h"

/* ---- a small deterministic generator (splitmix64) --------------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int64_t rint_in(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static bool rchance(struct rng *r, int percent)
{
	return (int)(rnext(r) % 100) < percent;
}

/* Pick an index by weights. */
static int rweighted(struct rng *r, const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int x = (int)(rnext(r) % (uint64_t)total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- names -------------------------------------------------------------- */

/* Names come from the tables in names/ (built in by tools/embed-names.sh):
 * a long-tailed table of surnames and given names by decade of birth. */
struct picker {
	const struct name_weight *rows;
	int n;
	int64_t *cum; /* running totals of the weights */
};

static bool picker_init(struct picker *p, const struct name_table *t)
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
static const char *picker_pick(const struct picker *p, uint64_t x)
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

/* A few deliberate near-duplicates (same name, dates of birth weeks apart)
 * for the duplicate warnings and the "several match" paths; the e2e tests
 * rely on the first ("Lloyd, Siân": two active, unrestricted people). */
static const struct {
	const char *family, *given;
} twin_names[] = {
	{"Lloyd", "Siân"}, {"O'Brien", "Seán"}, {"Wójcik", "Łukasz"}, {"Ó Briain", "Siobhán"},
	{"Nuñez", "Zoë"}, {"Jones", "Margaret"}, {"Hughes", "Rhys"}, {"Kelly", "Niamh"},
};
#define N_TWINS (int)(sizeof twin_names / sizeof twin_names[0])

static const char *const place_words[] = {
	"Mersey", "Wirral", "Dee", "Oxton", "Hilbre", "Leasowe", "Bidston", "Caldy",
	"Thurstaston", "Eastham", "Seacombe", "Liscard", "Prenton", "Upton", "Irby", "Greasby",
	"Heswall", "Bromborough", "Claughton", "Hoylake", "Meols", "Moreton", "Rock Ferry",
	"Tranmere", "Spital", "Bebington", "New Brighton", "Poulton", "Egremont", "Arrowe",
};
static const char *const describe_words[] = {
	"Community", "Independent", "Bright", "Compass", "Harbour", "Beacon", "Riverside",
	"Meadow", "Lighthouse", "Peninsula",
};
static const char *const noun_words[] = {
	"Care", "Support", "Living", "Lifestyles", "Pathways", "Horizons", "Homes",
	"Care Services", "Options", "Partnerships", "Futures", "Networks",
};
static const char *const suffix_words[] = {"Ltd", "CIC", "Trust", "Group", "LLP"};

#define N_PLACE (sizeof place_words / sizeof place_words[0])
#define N_DESCRIBE (sizeof describe_words / sizeof describe_words[0])
#define N_NOUN (sizeof noun_words / sizeof noun_words[0])
#define N_SUFFIX (sizeof suffix_words / sizeof suffix_words[0])

static const char *const suspension_reasons[] = {
	"Safeguarding concern: section 42 enquiry open",
	"CQC warning notice: embargo on new packages",
	"Embargo pending quality assurance review",
	"Missed calls under investigation",
};

/* ---- what the generator keeps in memory -------------------------------- */

#define MAX_LOC BR_MAX_LOCALITIES

struct gprov {
	int64_t id;
	unsigned services;    /* bit per service */
	unsigned needs;       /* bit per need */
	unsigned coverage;    /* bit per locality index */
	int rating;
	bool active;
	int64_t base_rate[SERVICE_COUNT];
	int hc_tier[MAX_LOC]; /* 0 none, 1 primary, 2 secondary, 3 peripheral */
};

/* Kept small: at scale 30 there are 150,000 (the id is the index + 1). */
enum { PS_ACTIVE, PS_CLOSED, PS_DECEASED };
enum { PF_ASC, PF_CHC, PF_JOINT };
static const char *const person_status_text[] = {"active", "closed", "deceased"};
static const char *const funding_text[] = {"ASC", "CHC", "JOINT"};

struct gperson {
	int32_t current[SERVICE_COUNT]; /* the call-off delivering each service now */
	int32_t dob;
	uint8_t loc, need, needs, status, funding;
};

struct gen {
	struct store *s;
	const struct br_config *cfg;
	const struct init_options *opts;
	struct init_report *rep;
	struct rng r;
	int64_t today;
	int64_t now; /* no act is stamped after the moment the demo is made */
	int nloc;
	struct gprov *prov;
	int nprov;
	struct gperson *people;
	int npeople;
	/* candidate providers per service, locality and need */
	int *cand[SERVICE_COUNT][MAX_LOC][NEED_COUNT];
	int ncand[SERVICE_COUNT][MAX_LOC][NEED_COUNT];
	int hc_award[MAX_LOC][3]; /* provider index: primary, secondary; [2] unused */
	int peripheral[8];
	int nperipheral;
	/* statements */
	sqlite3_stmt *ins_provider, *ins_reg, *ins_cov, *ins_rate, *ins_cap, *ins_award,
		*ins_person, *ins_need, *ins_user, *ins_request, *ins_offer, *ins_calloff,
		*ins_approval, *ins_rule, *end_previous;
	/* audit events gathered in a temporary table, then written in time order */
	sqlite3_stmt *ins_event;
	int event_rc;
	size_t nevents;
	struct picker surnames, *given;
	int ngiven;
	long long progress_total, progress_done;
};

enum event_kind {
	EV_REQUEST, EV_OFFER, EV_ACCEPT, EV_DECLINE, EV_WITHDRAW, EV_CALLOFF, EV_APPROVAL_REQ,
	EV_APPROVE, EV_REJECT, EV_END, EV_HANDBACK, EV_OPEN, EV_EXPIRE,
};


static const struct {
	const char *login, *name, *role;
	int64_t limit;
} demo_logins[] = {
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
#define N_LOGINS (int)(sizeof demo_logins / sizeof demo_logins[0])
#define L_OFFICER 0
#define L_SUPERVISOR 1
#define L_ONCALL 3
#define L_ADMIN 4
static const int officer_logins[] = {0, 6, 7, 8};
static const int supervisor_logins[] = {1, 9};

/* ---- helpers ------------------------------------------------------------- */

static enum br_status prep(struct gen *g, sqlite3_stmt **st, const char *sql, char **why)
{
	int rc = sqlite3_prepare_v2(store_db(g->s), sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return store_error(g->s, rc, "preparing demo data", why);
	return BR_OK;
}

static enum br_status step(struct gen *g, sqlite3_stmt *st, char **why)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return store_error(g->s, rc, "writing demo data", why);
	return BR_OK;
}

static void bind_date(sqlite3_stmt *st, int i, int64_t day)
{
	char d[11];
	date_format(day, d);
	sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
}

/* The history is drawn by day and hour: a day's acts from 8 to 5 would run
 * ahead of a clock that reads 1 a.m. today (seen: a call-off created at
 * 19:03 when it was 01:30, with no audit event). Every stamp is of an act
 * done, so none is after now; a monotone cap keeps each record's order. */
static int64_t past(const struct gen *g, int64_t t) { return t < g->now ? t : g->now; }

static void bind_stamp(const struct gen *g, sqlite3_stmt *st, int i, int64_t t)
{
	t = past(g, t);
	char d[21];
	clock_stamp((time_t)t, d);
	sqlite3_bind_text(st, i, d, -1, SQLITE_TRANSIENT);
}

static void tick(struct gen *g, const char *stage, long long n)
{
	long long before = g->progress_done * 100 / g->progress_total;
	g->progress_done += n;
	long long after = g->progress_done * 100 / g->progress_total;
	if (g->opts->progress && after != before && after < 100)
		g->opts->progress(g->opts->progress_ctx, stage, (double)after / 100.0);
}

/* An audit event to write later: into temp.demo_event (on disk, not in
 * memory: 2.7 million at scale 10), read back sorted by SQLite. */
static bool event_add(struct gen *g, int64_t at, int kind, int64_t id, int64_t other, int login)
{
	sqlite3_stmt *q = g->ins_event;
	sqlite3_bind_int64(q, 1, past(g, at));
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

static enum br_status event_failed(struct gen *g, char **why)
{
	return store_error(g->s, g->event_rc, "writing demo data", why);
}

static int64_t person_id(const struct gen *g, const struct gperson *p)
{
	return (int64_t)(p - g->people) + 1;
}

/* base * scale, at least min */
static int scaled(const struct gen *g, long long base, long long min)
{
	long long n = base * g->opts->scale_permille / 1000;
	return (int)(n < min ? min : n);
}

static int count_providers(const struct gen *g) { return scaled(g, 500, 40); }
static int count_people(const struct gen *g) { return scaled(g, 5000, 50); }
static int count_open(const struct gen *g) { return scaled(g, 60, 8); }

/* 20,000 call-offs at the LCR's scale; above it the history deepens so
 * that scale 10 is DESIGN.md's 10x LCR: 500,000 call-offs. */
static int count_calloffs(const struct gen *g)
{
	long long pm = g->opts->scale_permille;
	long long deepen = pm > 1000 ? 1000 + (pm - 1000) / 6 : 1000;
	long long total = 20000LL * pm / 1000 * deepen / 1000;
	return (int)(total < 100 ? 100 : total);
}

static int64_t day_at(struct rng *r, int64_t day, int from_hour, int to_hour)
{
	return day * 86400 + rint_in(r, from_hour * 3600, to_hour * 3600 - 1);
}

static int64_t rate_on(const struct gprov *p, int svc, int64_t day)
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
static const struct picker *given_for(const struct gen *g, int64_t dob)
{
	int y, m, d;
	date_from_days(dob, &y, &m, &d);
	int i = 0;
	while (i + 1 < g->ngiven && names_given[i + 1].decade <= y)
		i++;
	return &g->given[i];
}

/* ---- providers ------------------------------------------------------------ */

static enum br_status insert_provider(struct gen *g, struct gprov *p, const char *name,
				      bool consortium, int64_t consortium_id, int status_kind,
				      char **why)
{
	sqlite3_stmt *st = g->ins_provider;
	char fold[96], cqc[24], phone[24];
	text_fold(name, fold, sizeof fold);
	snprintf(cqc, sizeof cqc, "1-%09lld", (long long)(100000000 + p->id * 7919 % 899999999));
	snprintf(phone, sizeof phone, "0151 %03d %04d", (int)rint_in(&g->r, 200, 699),
		 (int)rint_in(&g->r, 0, 9999));
	sqlite3_bind_int64(st, 1, p->id);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, fold);
	store_bind_text(st, 4, cqc);
	store_bind_text(st, 5, rating_text(p->rating));
	const char *status = status_kind == 1 ? "suspended" : status_kind == 2 ? "left" : "active";
	store_bind_text(st, 6, status);
	if (status_kind == 1) {
		store_bind_text(st, 7, suspension_reasons[rnext(&g->r) % 4]);
		bind_date(st, 8, g->today - rint_in(&g->r, 2, 60));
	}
	if (status_kind == 2)
		bind_date(st, 9, g->today - rint_in(&g->r, 30, 400));
	sqlite3_bind_int(st, 10, consortium);
	if (consortium_id)
		sqlite3_bind_int64(st, 11, consortium_id);
	store_bind_text(st, 12, phone);
	char email[96];
	snprintf(email, sizeof email, "referrals@%.40s.example", fold);
	store_bind_text(st, 13, email);
	store_bind_text(st, 14, picker_pick(given_for(g, date_days(1975, 7, 1)), rnext(&g->r)));
	p->active = status_kind == 0;
	return step(g, st, why);
}

static enum br_status provider_children(struct gen *g, struct gprov *p, char **why)
{
	enum br_status st;
	char now[21];
	clock_stamp((time_t)(g->today * 86400), now);
	for (int s = 0; s < SERVICE_COUNT; s++) {
		if (!(p->services & (1u << s)))
			continue;
		for (int n = 0; n < NEED_COUNT; n++) {
			if (!(p->needs & (1u << n)))
				continue;
			sqlite3_bind_int64(g->ins_reg, 1, p->id);
			store_bind_text(g->ins_reg, 2, service_code(s));
			store_bind_text(g->ins_reg, 3, need_code(n));
			if ((st = step(g, g->ins_reg, why)))
				return st;
		}
		/* yearly rate steps from April 2019 */
		int y0, m0, d0;
		date_from_days(g->today, &y0, &m0, &d0);
		for (int y = 2019; y <= y0; y++) {
			int64_t from = date_days(y, 4, 1);
			if (from > g->today)
				break;
			sqlite3_bind_int64(g->ins_rate, 1, p->id);
			store_bind_text(g->ins_rate, 2, service_code(s));
			bind_date(g->ins_rate, 3, from);
			sqlite3_bind_int64(g->ins_rate, 4, rate_on(p, s, from));
			if ((st = step(g, g->ins_rate, why)))
				return st;
		}
		for (int l = 0; l < g->nloc; l++) {
			if (!(p->coverage & (1u << l)))
				continue;
			int64_t free;
			switch (s) {
			case SERVICE_HC: free = p->hc_tier[l] ? rint_in(&g->r, 40, 200) : rint_in(&g->r, 0, 60); break;
			case SERVICE_SL: case SERVICE_PBS: free = rint_in(&g->r, 0, 120); break;
			case SERVICE_RSP: free = rint_in(&g->r, 1, 6); break;
			case SERVICE_RES: case SERVICE_SHL: case SERVICE_REH: free = rint_in(&g->r, 0, 8); break;
			default: free = rint_in(&g->r, 0, 40); break;
			}
			if (p->hc_tier[l] == 0 && rchance(&g->r, 12))
				free = 0;
			sqlite3_bind_int64(g->ins_cap, 1, p->id);
			store_bind_text(g->ins_cap, 2, service_code(s));
			store_bind_text(g->ins_cap, 3, g->cfg->localities[l].code);
			sqlite3_bind_int64(g->ins_cap, 4, free);
			store_bind_text(g->ins_cap, 5, now);
			if ((st = step(g, g->ins_cap, why)))
				return st;
		}
	}
	for (int l = 0; l < g->nloc; l++) {
		if (!(p->coverage & (1u << l)))
			continue;
		sqlite3_bind_int64(g->ins_cov, 1, p->id);
		store_bind_text(g->ins_cov, 2, g->cfg->localities[l].code);
		if ((st = step(g, g->ins_cov, why)))
			return st;
	}
	return BR_OK;
}

static int64_t base_rate_for(struct rng *r, int svc)
{
	switch (svc) {
	case SERVICE_HC: return rint_in(r, 1480, 1720);      /* per hour */
	case SERVICE_SL: return rint_in(r, 1500, 1900);
	case SERVICE_PBS: return rint_in(r, 2200, 3400);
	case SERVICE_RES: return rint_in(r, 60000, 125000);  /* per week */
	case SERVICE_SHL: return rint_in(r, 35000, 55000);
	case SERVICE_REH: return rint_in(r, 90000, 160000);
	case SERVICE_DAY: return rint_in(r, 3500, 6500);     /* per session */
	case SERVICE_RSP: return rint_in(r, 12000, 26000);   /* per night */
	case SERVICE_ISP: return rint_in(r, 2500, 4000);
	default: return rint_in(r, 1800, 2600);
	}
}

/* The real Care and Support at Home providers (from 1 April 2019). */
static const char *const real_peripheral[] = {
	"Care Connect", "Castlerock Recruitment Group (CRG)", "ICARE GB", "ICARE Solutions",
	"Kare Plus", "Potens", "Prime Care", "Routes",
};

static enum br_status award(struct gen *g, int prov, const char *loc, const char *tier,
			    char **why)
{
	sqlite3_bind_int64(g->ins_award, 1, g->prov[prov].id);
	store_bind_text(g->ins_award, 2, "HC");
	store_bind_text(g->ins_award, 3, loc);
	store_bind_text(g->ins_award, 4, tier);
	return step(g, g->ins_award, why);
}

static enum br_status make_providers(struct gen *g, char **why)
{
	int total = count_providers(g);
	g->prov = calloc((size_t)total, sizeof *g->prov);
	if (!g->prov)
		return br_fail(why, BR_NOMEM, "out of memory building demo providers");
	g->nprov = total;
	unsigned all_loc = (1u << g->nloc) - 1, all_needs = (1u << NEED_COUNT) - 1;
	enum br_status st;
	/* 0 Premier Care, 1 WHCA, 2-4 its members, 5 Haven Care, 6 Carewatch, 7-14 peripheral */
	const char *fixed[] = {"Premier Care", "Wirral Home Care Alliance", "Community Caring",
			       "Professional Carers", "Aspire", "Haven Care", "Carewatch"};
	int loc_wal = config_locality(g->cfg, "WAL"), loc_bir = config_locality(g->cfg, "BIR");
	int loc_ww = config_locality(g->cfg, "WW"), loc_sw = config_locality(g->cfg, "SW");
	bool wirral = loc_wal >= 0 && loc_bir >= 0 && loc_ww >= 0 && loc_sw >= 0;
	for (int i = 0; i < 15; i++) {
		struct gprov *p = &g->prov[i];
		p->id = i + 1;
		p->services = 1u << SERVICE_HC;
		p->needs = all_needs;
		p->coverage = all_loc;
		p->rating = i % 5 == 3 ? RATING_RI : RATING_GOOD;
		p->base_rate[SERVICE_HC] = i < 7 ? 1560 : rint_in(&g->r, 1540, 1660);
		const char *name = i < 7 ? fixed[i] : real_peripheral[i - 7];
		if (i == 1)
			p->services = 1u << SERVICE_HC;
		if ((st = insert_provider(g, p, name, i == 1, (i >= 2 && i <= 4) ? 2 : 0, 0, why)))
			return st;
	}
	if (wirral) {
		/* Care and Support at Home awards, shared/reference/home-care-awards.csv */
		g->hc_award[loc_wal][0] = 0; g->hc_award[loc_wal][1] = 1;
		g->hc_award[loc_bir][0] = 0; g->hc_award[loc_bir][1] = 1;
		g->hc_award[loc_ww][0] = 1;  g->hc_award[loc_ww][1] = 5;
		g->hc_award[loc_sw][0] = 5;  g->hc_award[loc_sw][1] = 6;
	} else {
		for (int l = 0; l < g->nloc; l++) {
			g->hc_award[l][0] = l % 2 == 0 ? 0 : 5;
			g->hc_award[l][1] = l % 2 == 0 ? 1 : 6;
		}
	}
	for (int l = 0; l < g->nloc; l++) {
		for (int t = 0; t < 2; t++) {
			int pi = g->hc_award[l][t];
			g->prov[pi].hc_tier[l] = t + 1;
			if ((st = award(g, pi, g->cfg->localities[l].code, t == 0 ? "primary" : "secondary",
					why)))
				return st;
		}
	}
	for (int i = 7; i < 15; i++) {
		g->peripheral[g->nperipheral++] = i;
		for (int l = 0; l < g->nloc; l++)
			g->prov[i].hc_tier[l] = 3;
		if ((st = award(g, i, NULL, "peripheral", why)))
			return st;
	}
	/* the alliance's members deliver; their own coverage follows the award */
	for (int i = 0; i < 15; i++)
		if ((st = provider_children(g, &g->prov[i], why)))
			return st;
	tick(g, "providers", 15);

	/* made-up providers on the complex care lots */
	static const int svc_weight[SERVICE_COUNT] = {8, 22, 14, 5, 12, 10, 4, 9, 3, 4};
	uint64_t space = N_PLACE * N_DESCRIBE * N_NOUN * N_SUFFIX, mult = 7919;
	for (int i = 15; i < total; i++) {
		struct gprov *p = &g->prov[i];
		p->id = i + 1;
		int nsvc = (int)rint_in(&g->r, 1, 3);
		for (int k = 0; k < nsvc; k++)
			p->services |= 1u << rweighted(&g->r, svc_weight, SERVICE_COUNT);
		if (i % 25 == 0)
			p->services |= 1u << SERVICE_RSP; /* enough respite beds everywhere */
		int nneed = (int)rint_in(&g->r, 1, 4);
		for (int k = 0; k < nneed; k++)
			p->needs |= 1u << rnext(&g->r) % NEED_COUNT;
		int ncov = (int)rint_in(&g->r, 1, g->nloc);
		for (int k = 0; k < ncov; k++)
			p->coverage |= 1u << rnext(&g->r) % (uint64_t)g->nloc;
		static const int rating_w[RATING_COUNT] = {6, 70, 17, 3, 4};
		p->rating = rweighted(&g->r, rating_w, RATING_COUNT);
		for (int s = 0; s < SERVICE_COUNT; s++)
			if (p->services & (1u << s))
				p->base_rate[s] = base_rate_for(&g->r, s);
		uint64_t k = ((uint64_t)i * mult + 13) % space;
		char name[96];
		snprintf(name, sizeof name, "%s %s %s %s", place_words[k % N_PLACE],
			 describe_words[(k / N_PLACE) % N_DESCRIBE],
			 noun_words[(k / (N_PLACE * N_DESCRIBE)) % N_NOUN],
			 suffix_words[(k / (N_PLACE * N_DESCRIBE * N_NOUN)) % N_SUFFIX]);
		int status_kind = rchance(&g->r, 3) ? 1 : rchance(&g->r, 2) ? 2 : 0;
		if ((st = insert_provider(g, p, name, false, 0, status_kind, why)) ||
		    (st = provider_children(g, p, why)))
			return st;
		tick(g, "providers", 1);
	}
	/* candidate lists for the history */
	for (int s = 0; s < SERVICE_COUNT; s++)
		for (int l = 0; l < g->nloc; l++)
			for (int n = 0; n < NEED_COUNT; n++) {
				int *list = malloc((size_t)total * sizeof *list), m = 0;
				if (!list)
					return br_fail(why, BR_NOMEM, "out of memory");
				for (int i = 0; i < total; i++) {
					const struct gprov *p = &g->prov[i];
					if ((p->services & (1u << s)) && (p->needs & (1u << n)) &&
					    (p->coverage & (1u << l)) && i != 1)
						list[m++] = i;
				}
				int *fit = realloc(list, (size_t)(m > 0 ? m : 1) * sizeof *list);
				g->cand[s][l][n] = fit ? fit : list;
				g->ncand[s][l][n] = m;
			}
	g->rep->providers = total;
	return BR_OK;
}

/* ---- people ------------------------------------------------------------ */

/* The NHS number for the first k' >= k that has a check digit; returns k'. */
static int64_t nhs_for(int64_t k, char out[11])
{
	/* 999 followed by a permutation of 0..999999, skipping check digit 10 */
	for (;; k++) {
		int64_t v = (k * 7919 + 104729) % 1000000;
		char ten[32];
		snprintf(ten, sizeof ten, "999%06lld", (long long)v);
		int c = nhs_check_digit(ten);
		if (c >= 0) {
			ten[9] = (char)('0' + c);
			ten[10] = '\0';
			memcpy(out, ten, 11);
			return k;
		}
	}
}

struct twin {
	int stage;   /* 0 waiting for the first, 1 for the second, 2 done */
	int from;    /* the first may be this person or a later one */
	int64_t dob; /* the first's */
};

static enum br_status make_people(struct gen *g, char **why)
{
	int total = count_people(g);
	g->people = calloc((size_t)total, sizeof *g->people);
	if (!g->people)
		return br_fail(why, BR_NOMEM, "out of memory building demo people");
	g->npeople = total;
	/* one near-duplicate pair for every thousand people, at least one */
	struct twin twins[N_TWINS];
	int ntwins = total / 1000 < 1 ? 1 : total / 1000 > N_TWINS ? N_TWINS : total / 1000;
	for (int k = 0; k < ntwins; k++)
		twins[k] = (struct twin){0, (int)((int64_t)k * total / ntwins) + 7, 0};
	static const int need_w[NEED_COUNT] = {30, 15, 22, 10, 18, 5};
	enum br_status st;
	int64_t nhs_k = 0;
	for (int i = 0; i < total; i++) {
		struct gperson *p = &g->people[i];
		int64_t id = i + 1;
		p->loc = (uint8_t)(rnext(&g->r) % (uint64_t)g->nloc);
		p->need = (uint8_t)rweighted(&g->r, need_w, NEED_COUNT);
		p->needs = (uint8_t)(1u << p->need);
		int others = (int)rint_in(&g->r, 0, 2);
		for (int k = 0; k < others; k++)
			p->needs |= (uint8_t)(1u << rnext(&g->r) % NEED_COUNT);
		int age = rchance(&g->r, 70) ? (int)rint_in(&g->r, 18, 64) : (int)rint_in(&g->r, 65, 96);
		int64_t dob = g->today - age * 365 - rint_in(&g->r, 0, 364);
		/* The history's ages come from the date drawn, even for a near-duplicate
		 * made weeks older below: otherwise an approval rule fired by age
		 * changes the random draws, and with them a seed's whole history. */
		p->dob = (int32_t)dob;
		p->status = rchance(&g->r, 90) ? PS_ACTIVE : rchance(&g->r, 80) ? PS_CLOSED : PS_DECEASED;
		int f = (int)rint_in(&g->r, 0, 99);
		p->funding = f < 75 ? PF_ASC : f < 90 ? PF_CHC : PF_JOINT;
		uint64_t family_draw = rnext(&g->r), given_draw = rnext(&g->r);
		char ref[17], nhs[11], ffold[96], gfold[96], postcode[10], pkey[10];
		snprintf(ref, sizeof ref, "SU%06d", i + 1);
		nhs_k = nhs_for(nhs_k, nhs) + 1;
		/* postcodes: the locality's districts (shared/reference/localities.csv) */
		static const char *const districts[4][4] = {
			{"CH44", "CH45", "CH46", "CH44"}, {"CH41", "CH42", "CH43", "CH41"},
			{"CH47", "CH48", "CH49", "CH61"}, {"CH60", "CH62", "CH63", "CH62"},
		};
		const char *district = districts[p->loc % 4][rnext(&g->r) % 4];
		snprintf(postcode, sizeof postcode, "%s %d%c%c", district, (int)rint_in(&g->r, 1, 9),
			 "ABDEFGHJLNPQRSTUWXYZ"[rnext(&g->r) % 20],
			 "ABDEFGHJLNPQRSTUWXYZ"[rnext(&g->r) % 20]);
		postcode_key(postcode, pkey, sizeof pkey);
		bool forensic = (p->need == NEED_MH || p->need == NEED_DD) && rchance(&g->r, 15);
		bool restricted = rchance(&g->r, 1);
		bool direct_payment = rchance(&g->r, 8);
		char phone[24];
		snprintf(phone, sizeof phone, "0151 %03d %04d", (int)rint_in(&g->r, 200, 699),
			 (int)rint_in(&g->r, 0, 9999));
		int64_t created_at = (g->today - rint_in(&g->r, 730, 3000)) * 86400;

		/* the name: drawn from the tables, or a near-duplicate's */
		const char *family = picker_pick(&g->surnames, family_draw);
		const char *given = picker_pick(given_for(g, dob), given_draw);
		if (p->status == PS_ACTIVE && !restricted) {
			for (int k = 0; k < ntwins; k++) {
				struct twin *t = &twins[k];
				if (t->stage == 2 || i < t->from)
					continue;
				family = twin_names[k].family;
				given = twin_names[k].given;
				if (t->stage == 0) {
					t->dob = dob;
					t->from = i + 5;
				} else {
					dob = t->dob - 7 * (1 + (k * 3 + 1) % 6); /* weeks older */
				}
				t->stage++;
				break;
			}
		}
		text_fold(family, ffold, sizeof ffold);
		text_fold(given, gfold, sizeof gfold);
		sqlite3_stmt *q = g->ins_person;
		sqlite3_bind_int64(q, 1, id);
		store_bind_text(q, 2, ref);
		store_bind_text(q, 3, nhs);
		store_bind_text(q, 4, family);
		store_bind_text(q, 5, given);
		store_bind_text(q, 6, ffold);
		store_bind_text(q, 7, gfold);
		bind_date(q, 8, dob);
		store_bind_text(q, 9, postcode);
		store_bind_text(q, 10, pkey);
		store_bind_text(q, 11, g->cfg->localities[p->loc].code);
		store_bind_text(q, 12, need_code(p->need));
		sqlite3_bind_int(q, 13, forensic);
		sqlite3_bind_int(q, 14, restricted);
		sqlite3_bind_int(q, 15, direct_payment);
		store_bind_text(q, 16, funding_text[p->funding]);
		store_bind_text(q, 17, person_status_text[p->status]);
		store_bind_text(q, 18, phone);
		bind_stamp(g, q, 19, created_at);
		if ((st = step(g, q, why)))
			return st;
		for (int n = 0; n < NEED_COUNT; n++) {
			if (n == p->need || !(p->needs & (1u << n)))
				continue;
			sqlite3_bind_int64(g->ins_need, 1, id);
			store_bind_text(g->ins_need, 2, need_code(n));
			if ((st = step(g, g->ins_need, why)))
				return st;
		}
		tick(g, "service users", 1);
	}
	g->rep->service_users = total;
	return BR_OK;
}

/* ---- history: requests, offers, call-offs, approvals -------------------- */

struct history {
	int64_t request_id, offer_id, calloff_id, approval_id;
};

static const char *const decline_reasons[] = {"no_capacity", "no_staff", "cannot_meet_need",
					      "price"};

static enum br_status add_offer(struct gen *g, struct history *h, int64_t req, int prov,
				const char *tier, int64_t at, const char *status,
				const char *reason, int login, int64_t *id, char **why)
{
	sqlite3_stmt *q = g->ins_offer;
	*id = ++h->offer_id;
	sqlite3_bind_int64(q, 1, *id);
	sqlite3_bind_int64(q, 2, req);
	sqlite3_bind_int64(q, 3, g->prov[prov].id);
	store_bind_text(q, 4, tier);
	store_bind_text(q, 5, status);
	bind_stamp(g, q, 6, at);
	store_bind_text(q, 7, demo_logins[login].login);
	bind_stamp(g, q, 8, at + 72 * 3600);
	int64_t answered = at + rint_in(&g->r, 600, 20 * 3600);
	if (strcmp(status, "pending") != 0)
		bind_stamp(g, q, 9, strcmp(status, "expired") == 0 ? at + 72 * 3600 : answered);
	if (reason)
		store_bind_text(q, 10, reason);
	enum br_status st = step(g, q, why);
	if (st)
		return st;
	if (!event_add(g, at, EV_OFFER, *id, g->prov[prov].id, login))
		return event_failed(g, why);
	int kind = strcmp(status, "accepted") == 0 ? EV_ACCEPT
		   : strcmp(status, "declined") == 0 ? EV_DECLINE
		   : strcmp(status, "withdrawn") == 0 ? EV_WITHDRAW
		   : strcmp(status, "expired") == 0 ? EV_EXPIRE : -1;
	if (kind >= 0 && !event_add(g, kind == EV_EXPIRE ? at + 72 * 3600 : answered, kind, *id,
				    g->prov[prov].id, login))
		return event_failed(g, why);
	return BR_OK;
}

static int pick_provider(struct gen *g, int svc, int loc, int need, bool active_only)
{
	int n = g->ncand[svc][loc][need];
	if (n == 0)
		return -1;
	for (int tries = 0; tries < 8; tries++) {
		int pi = g->cand[svc][loc][need][rnext(&g->r) % (uint64_t)n];
		if (!active_only || g->prov[pi].active)
			return pi;
	}
	return g->cand[svc][loc][need][rnext(&g->r) % (uint64_t)n];
}

static int64_t units_for(struct rng *r, int svc)
{
	switch (svc) {
	case SERVICE_HC: return rint_in(r, 5, 30);
	case SERVICE_SL: return rint_in(r, 20, 60);
	case SERVICE_PBS: return rint_in(r, 3, 15);
	case SERVICE_DAY: return rint_in(r, 1, 5);
	case SERVICE_RSP: return rint_in(r, 1, 14);
	case SERVICE_ISP: return rint_in(r, 4, 20);
	case SERVICE_EMP: return rint_in(r, 2, 10);
	default: return 1;
	}
}

/* One placed (or refused) package, start to finish. */
static enum br_status make_package(struct gen *g, struct history *h, int64_t start_day,
				   bool open_now, char **why)
{
	struct rng *r = &g->r;
	struct gperson *p = &g->people[rnext(r) % (uint64_t)g->npeople];
	/* a closed or deceased person's care ended before the record was
	 * closed: what is open now, or began in the last 400 days, is an
	 * active person's (the people rule of records/invariants.c) */
	if (open_now || start_day > g->today - 401) {
		for (int tries = 0; tries < 20 && p->status != PS_ACTIVE; tries++)
			p = &g->people[rnext(r) % (uint64_t)g->npeople];
		for (int i = 0; i < g->npeople && p->status != PS_ACTIVE; i++)
			p = &g->people[i];
	}
	static const int svc_w[SERVICE_COUNT] = {45, 18, 7, 3, 12, 6, 2, 4, 1, 2};
	int svc = rweighted(r, svc_w, SERVICE_COUNT);
	int loc = p->loc;
	bool out_of_area = !open_now && rchance(r, 4);
	if (out_of_area)
		loc = (loc + 1 + (int)(rnext(r) % (uint64_t)(g->nloc > 1 ? g->nloc - 1 : 1))) % g->nloc;
	static const int urg_w[3] = {70, 22, 8};
	int urgency = rweighted(r, urg_w, 3);
	static const char *const urgencies[] = {"routine", "urgent", "emergency"};
	int wait_days = urgency == 2 ? (int)rint_in(r, 0, 1) : urgency == 1 ? (int)rint_in(r, 0, 7)
									  : (int)rint_in(r, 1, 28);
	/* what is still waiting today: emergencies since yesterday at most */
	int64_t open_age = urgency == 2 ? rint_in(r, 0, 1) : urgency == 1 ? rint_in(r, 0, 10)
								       : rint_in(r, 0, 40);
	int64_t created_day = open_now ? g->today - open_age : start_day - wait_days;
	if (open_now)
		start_day = created_day + rint_in(r, 0, 14);
	int64_t created = day_at(r, created_day, 8, 17);
	int officer = officer_logins[rnext(r) % 4];
	int64_t units = units_for(r, svc);
	int asc = p->funding == PF_ASC ? 100 : p->funding == PF_CHC ? 0 : (int)rint_in(r, 4, 7) * 10;
	int64_t req = ++h->request_id;
	sqlite3_stmt *q = g->ins_request;
	sqlite3_bind_int64(q, 1, req);
	sqlite3_bind_int64(q, 2, person_id(g, p));
	store_bind_text(q, 3, service_code(svc));
	store_bind_text(q, 4, g->cfg->localities[p->loc].code);
	sqlite3_bind_int64(q, 5, units);
	bind_date(q, 6, start_day);
	store_bind_text(q, 7, urgencies[urgency]);
	store_bind_text(q, 8, funding_text[p->funding]);
	sqlite3_bind_int(q, 9, asc);
	bool handback = open_now && rchance(r, 6);
	sqlite3_bind_int(q, 11, handback);
	bind_stamp(g, q, 12, created);
	store_bind_text(q, 13, demo_logins[officer].login);
	bind_stamp(g, q, 14, handback ? day_at(r, g->today - rint_in(r, 0, 3), 8, 12) : created);

	/* choose the provider and the offers that led to it */
	const char *tier = "registered";
	int prov = -1;
	int declined[4], ndeclined = 0;
	const char *declined_tier[4];
	bool legacy = false;
	if (svc == SERVICE_HC) {
		static const int tier_w[6] = {55, 22, 15, 4, 2, 2};
		int t = rweighted(r, tier_w, 6);
		if (open_now)
			t = 0;
		if (t == 0) {
			prov = g->hc_award[loc][0];
			tier = "primary";
		} else if (t == 1) {
			prov = g->hc_award[loc][1];
			tier = "secondary";
			declined[ndeclined] = g->hc_award[loc][0];
			declined_tier[ndeclined++] = "primary";
		} else if (t == 2) {
			prov = g->peripheral[rnext(r) % (uint64_t)g->nperipheral];
			tier = "peripheral";
			declined[ndeclined] = g->hc_award[loc][0];
			declined_tier[ndeclined++] = "primary";
			declined[ndeclined] = g->hc_award[loc][1];
			declined_tier[ndeclined++] = "secondary";
		} else if (t == 5) {
			prov = g->hc_award[loc][0];
			tier = "legacy";
			legacy = true;
		} else {
			prov = pick_provider(g, svc, loc, p->need, true);
			tier = t == 4 ? "spot" : "registered";
			if (prov < 0) {
				prov = g->hc_award[loc][0];
				tier = "primary";
			}
		}
	} else {
		prov = pick_provider(g, svc, loc, p->need, true);
		if (prov < 0)
			prov = pick_provider(g, SERVICE_HC, loc, p->need, true);
		if (prov < 0)
			prov = 0;
		if (rchance(r, 30) && !open_now) {
			int other = pick_provider(g, svc, loc, p->need, true);
			if (other >= 0 && other != prov) {
				declined[ndeclined] = other;
				declined_tier[ndeclined++] = "registered";
			}
		}
		if (rchance(r, 3))
			tier = "spot";
	}
	if (legacy) {
		start_day = date_days(2018, (int)rint_in(r, 1, 12), (int)rint_in(r, 1, 28));
		created = day_at(r, start_day - 10, 8, 17);
		bind_date(q, 6, start_day);
		bind_stamp(g, q, 12, created);
		bind_stamp(g, q, 14, created);
	}
	bool emergency_respite = svc == SERVICE_RSP && urgency == 2 && !open_now;
	if (emergency_respite)
		tier = "emergency";

	/* status of the call-off */
	int64_t end_day = 0;
	const char *co_status = "active";
	if (!open_now) {
		if (svc == SERVICE_RSP)
			end_day = start_day + units - 1;
		else if (!legacy && rchance(r, 45))
			end_day = start_day + rint_in(r, 14, 400);
		if (p->status != PS_ACTIVE && (!end_day || end_day >= g->today))
			end_day = start_day + rint_in(r, 30, 400);
		if (end_day && end_day < g->today)
			co_status = "ended";
		else if (end_day)
			co_status = "active";
		if (start_day > g->today)
			co_status = "approved";
	}
	int64_t rate = rate_on(&g->prov[prov], svc, start_day);
	if (rate <= 0)
		rate = base_rate_for(r, svc);
	int age = date_age(p->dob, start_day);
	const char *override_kind = NULL, *override_reason = NULL;
	if (out_of_area) {
		override_kind = "out_of_locality";
		override_reason = "Nearest provider able to meet need is outside the person's locality";
	} else if (strcmp(tier, "spot") == 0) {
		override_kind = "spot";
		override_reason = "No framework provider could meet the need in time";
	}

	struct rule_facts facts = {
		.service = svc, .weekly_cost = rate * units, .unit_rate = rate,
		.start_day = start_day, .age = age,
		.spot = strcmp(tier, "spot") == 0, .override = false, .out_of_locality = out_of_area,
		.emergency = emergency_respite,
	};
	unsigned fired = rules_approval(g->cfg, &facts);
	bool rejected = false, pending_approval = false;
	if (fired && !open_now) {
		if (start_day >= g->today - 2 && rchance(r, 60))
			pending_approval = true;
		else if (rchance(r, 7))
			rejected = true;
	}
	if (rejected)
		co_status = "rejected";
	if (pending_approval)
		co_status = "awaiting_approval";
	bool cancelled = !open_now && !rejected && !pending_approval && rchance(r, 2);
	if (cancelled)
		co_status = "cancelled";

	/* the request's own outcome */
	int64_t placed_at = created + rint_in(r, 3600, (int64_t)(wait_days > 0 ? wait_days : 1) * 86400);
	if (open_now) {
		store_bind_text(q, 10, "open");
	} else if (rejected || cancelled) {
		store_bind_text(q, 10, "cancelled");
		bind_stamp(g, q, 15, placed_at + 86400);
		store_bind_text(q, 16, rejected ? "Call-off rejected at approval; need met another way"
						: "Person's needs changed before the start date");
	} else {
		store_bind_text(q, 10, "placed");
		bind_stamp(g, q, 15, placed_at);
	}
	enum br_status st = step(g, q, why);
	if (st)
		return st;
	if (!event_add(g, created, EV_REQUEST, req, person_id(g, p), officer))
		return event_failed(g, why);

	int64_t at = created + rint_in(r, 600, 7200);
	int64_t offer_id;
	for (int i = 0; i < ndeclined; i++) {
		bool expired = rchance(r, 15);
		if ((st = add_offer(g, h, req, declined[i], declined_tier[i], at,
				    expired ? "expired" : "declined",
				    expired ? NULL : decline_reasons[rnext(r) % 4], officer, &offer_id,
				    why)))
			return st;
		at += rint_in(r, 3600, 30 * 3600);
	}
	if (open_now) {
		/* some waiting requests already have an offer out */
		if (rchance(r, 45)) {
			int64_t when = (g->today * 86400) - rint_in(r, 600, 40 * 3600);
			if ((st = add_offer(g, h, req, prov, tier, when, "pending", NULL, officer, &offer_id,
					    why)))
				return st;
		}
		return BR_OK;
	}
	if (emergency_respite) {
		offer_id = 0;
		officer = L_ONCALL;
	} else {
		/* peripheral offers can go to several at once: first to accept wins */
		if (strcmp(tier, "peripheral") == 0 && rchance(r, 40)) {
			int other = g->peripheral[rnext(r) % (uint64_t)g->nperipheral];
			if (other != prov && (st = add_offer(g, h, req, other, tier, at, "withdrawn", NULL,
							     officer, &offer_id, why)))
				return st;
		}
		if ((st = add_offer(g, h, req, prov, legacy ? "continuity" : tier, at, "accepted", NULL,
				    officer, &offer_id, why)))
			return st;
	}

	int64_t co = ++h->calloff_id;
	sqlite3_stmt *c = g->ins_calloff;
	sqlite3_bind_int64(c, 1, co);
	sqlite3_bind_int64(c, 2, req);
	sqlite3_bind_int64(c, 3, g->prov[prov].id);
	if (offer_id)
		sqlite3_bind_int64(c, 4, offer_id);
	store_bind_text(c, 5, tier);
	store_bind_text(c, 6, override_kind);
	store_bind_text(c, 7, override_reason);
	store_bind_text(c, 8, service_code(svc));
	store_bind_text(c, 9, g->cfg->localities[loc].code);
	sqlite3_bind_int64(c, 10, rate);
	sqlite3_bind_int64(c, 11, units);
	sqlite3_bind_int64(c, 12, rate * units);
	sqlite3_bind_int(c, 13, asc);
	bind_date(c, 14, start_day);
	if (end_day && !rejected && !cancelled && !pending_approval)
		bind_date(c, 15, end_day);
	store_bind_text(c, 16, co_status);
	store_bind_text(c, 17, demo_logins[officer].login);
	int64_t co_at = placed_at;
	bind_stamp(g, c, 18, co_at);
	bool handed_back = strcmp(co_status, "ended") == 0 && svc != SERVICE_RSP && rchance(r, 6);
	if (strcmp(co_status, "ended") == 0)
		store_bind_text(c, 19, handed_back ? "handed back" : "package ended");
	if (handed_back) {
		static const char *const hb[] = {"no_staff", "cannot_meet_need", "provider_exit"};
		store_bind_text(c, 20, hb[rnext(r) % 3]);
		bind_date(c, 21, end_day); /* the notice date is when care ends */
	}
	if ((st = step(g, c, why)))
		return st;
	/* one package of a service at a time: a new one replaces the last */
	if (calloff_status_in(co_status, CG_HOLDS) && svc != SERVICE_RSP) {
		if (p->current[svc]) {
			sqlite3_bind_int64(g->end_previous, 1, p->current[svc]);
			bind_date(g->end_previous, 2, start_day - 1);
			if ((st = step(g, g->end_previous, why)))
				return st;
		}
		p->current[svc] = (int32_t)co;
	}
	if (!event_add(g, co_at, EV_CALLOFF, co, g->prov[prov].id, officer))
		return event_failed(g, why);
	if (strcmp(co_status, "ended") == 0 &&
	    !event_add(g, (handed_back ? end_day - 14 : end_day) * 86400 + 9 * 3600,
		       handed_back ? EV_HANDBACK : EV_END, co,
		       g->prov[prov].id, officer))
		return event_failed(g, why);

	if (fired) {
		int64_t ap = ++h->approval_id;
		sqlite3_stmt *a = g->ins_approval;
		int sup = supervisor_logins[rnext(r) % 2];
		sqlite3_bind_int64(a, 1, ap);
		sqlite3_bind_int64(a, 2, co);
		store_bind_text(a, 3, pending_approval ? "pending" : rejected ? "rejected" : "approved");
		sqlite3_bind_int64(a, 4, rate * units * 52);
		bind_stamp(g, a, 5, co_at);
		store_bind_text(a, 6, demo_logins[officer].login);
		if (emergency_respite)
			bind_date(a, 7, rules_next_working_day(g->cfg, (co_at / 86400)));
		int64_t decided = co_at + rint_in(r, 1800, 2 * 86400);
		if (!pending_approval) {
			bind_stamp(g, a, 8, decided);
			store_bind_text(a, 9, demo_logins[sup].login);
			store_bind_text(a, 10, rejected ? "Please look for a community alternative first"
							: "Approved");
		}
		if ((st = step(g, a, why)))
			return st;
		for (int rule = 0; rule < RULE_COUNT; rule++) {
			if (!(fired & (1u << rule)))
				continue;
			char detail[160];
			rules_describe(g->cfg, &facts, rule, detail, sizeof detail);
			sqlite3_bind_int64(g->ins_rule, 1, ap);
			store_bind_text(g->ins_rule, 2, rule_code(rule));
			store_bind_text(g->ins_rule, 3, detail);
			if ((st = step(g, g->ins_rule, why)))
				return st;
		}
		if (!event_add(g, co_at + 1, EV_APPROVAL_REQ, ap, co, officer) ||
		    (!pending_approval &&
		     !event_add(g, decided, rejected ? EV_REJECT : EV_APPROVE, ap, co, sup)))
			return event_failed(g, why);
	}
	return BR_OK;
}

static enum br_status make_history(struct gen *g, char **why)
{
	struct history h = {0, 0, 0, 0};
	int total = count_calloffs(g);
	enum br_status st;
	for (int i = 0; i < total; i++) {
		int64_t start = g->today - 730 + (int64_t)i * 730 / total + rint_in(&g->r, 0, 2);
		if (start > g->today + 10)
			start = g->today + 10;
		if ((st = make_package(g, &h, start, false, why)))
			return st;
		tick(g, "call-offs", 1);
	}
	int open = count_open(g);
	for (int i = 0; i < open; i++)
		if ((st = make_package(g, &h, g->today, true, why)))
			return st;
	g->rep->calloffs = h.calloff_id;
	return BR_OK;
}

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
		bind_stamp(g, q, 5, (g->today - 800) * 86400);
		if ((st = step(g, q, why)))
			return st;
	}
	return BR_OK;
}

static enum br_status write_audit(struct gen *g, char **why)
{
	/* Top up with record openings so the trail has the volume of a real
	 * one: about 100 rows a person over two years at every scale. */
	size_t want = (size_t)scaled(g, 200000, 0);
	while (g->nevents < want) {
		struct gperson *p = &g->people[rnext(&g->r) % (uint64_t)g->npeople];
		int64_t day = g->today - rint_in(&g->r, 1, 730);
		if (!event_add(g, day_at(&g->r, day, 8, 18), EV_OPEN, person_id(g, p), person_id(g, p),
			       officer_logins[rnext(&g->r) % 4]))
			return event_failed(g, why);
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
	if ((st = prep(g, &q, "SELECT at, kind, id, other, login FROM temp.demo_event "
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
		tick(g, "audit trail", 1);
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
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
		return store_error(s, sqlite3_errcode(store_db(s)), "demo: respite beds", why);
	char tonight[11];
	date_format(respite_tonight(), tonight);
	store_bind_text(q, 1, tonight);
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? BR_OK : store_error(s, rc, "demo: respite beds", why);
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
	long long audit = (long long)count_calloffs(g) * 11 / 2;
	if (audit < scaled(g, 200000, 0))
		audit = scaled(g, 200000, 0);
	g->progress_total = count_providers(g) + count_people(g) + count_calloffs(g) + audit;
	enum br_status st = BR_OK;
	struct saved_indexes saved = {NULL, 0};
	g->ngiven = names_given_count;
	g->given = calloc((size_t)g->ngiven, sizeof *g->given);
	if (!g->given || !picker_init(&g->surnames, &names_surnames)) {
		st = br_fail(why, BR_NOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < g->ngiven; i++)
		if (!picker_init(&g->given[i], &names_given[i])) {
			st = br_fail(why, BR_NOMEM, "out of memory");
			goto done;
		}
	/* The audit events wait on disk (a temporary file), not in memory. */
	if ((st = store_exec(s, "PRAGMA temp_store=FILE; PRAGMA temp.cache_size=-4096; "
			     "CREATE TEMP TABLE demo_event(at INTEGER, kind INTEGER, id INTEGER, "
			     "other INTEGER, login INTEGER)", why)) ||
	    (st = prep(g, &g->ins_event, "INSERT INTO temp.demo_event VALUES (?1,?2,?3,?4,?5)", why)))
		goto done;
	if ((st = prep(g, &g->ins_provider,
		"INSERT INTO provider(id, name, name_fold, cqc_location_id, cqc_rating, status, "
		"suspended_reason, suspended_on, left_on, is_consortium, consortium_id, phone, email, "
		"contact) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)", why)) ||
	    (st = prep(g, &g->ins_reg, "INSERT INTO registration VALUES (?1,?2,?3)", why)) ||
	    (st = prep(g, &g->ins_cov, "INSERT INTO coverage VALUES (?1,?2)", why)) ||
	    (st = prep(g, &g->ins_rate, "INSERT INTO rate VALUES (?1,?2,?3,?4)", why)) ||
	    (st = prep(g, &g->ins_cap, "INSERT INTO capacity VALUES (?1,?2,?3,?4,?5)", why)) ||
	    (st = prep(g, &g->ins_award,
		       "INSERT INTO award(provider_id, service, locality, tier, valid_from) "
		       "VALUES (?1,?2,?3,?4,'2019-04-01')", why)) ||
	    (st = prep(g, &g->ins_person,
		"INSERT INTO service_user(id, ref, nhs_number, family_name, given_name, family_fold, "
		"given_fold, date_of_birth, postcode, postcode_key, locality, primary_need, forensic, "
		"restricted, direct_payment, funding, status, phone, created_at) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)", why)) ||
	    (st = prep(g, &g->ins_need, "INSERT INTO service_user_need VALUES (?1,?2)", why)) ||
	    (st = prep(g, &g->ins_user,
		       "INSERT OR IGNORE INTO users(login, name, role, approval_limit, created_at) "
		       "VALUES (?1,?2,?3,?4,?5)", why)) ||
	    (st = prep(g, &g->ins_request,
		"INSERT INTO package_request(id, user_id, service, locality, units, start_date, "
		"urgency, funding, asc_pct, status, handback, created_at, created_by, opened_at, "
		"closed_at, cancel_reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
		why)) ||
	    (st = prep(g, &g->ins_offer,
		"INSERT INTO offer(id, request_id, provider_id, tier, status, offered_at, offered_by, "
		"expires_at, responded_at, decline_reason) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
		why)) ||
	    (st = prep(g, &g->ins_calloff,
		"INSERT INTO calloff(id, request_id, provider_id, offer_id, tier, override_kind, "
		"override_reason, service, locality, unit_rate_pence, units, weekly_cost_pence, "
		"asc_pct, start_date, end_date, status, proposed_by, created_at, ended_reason, "
		"handback_reason, handback_notice) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
		why)) ||
	    (st = prep(g, &g->ins_approval,
		"INSERT INTO approval(id, calloff_id, status, annual_cost_pence, requested_at, "
		"requested_by, due_date, decided_at, decided_by, note) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,coalesce(?10,''))", why)) ||
	    (st = prep(g, &g->ins_rule, "INSERT INTO approval_rule VALUES (?1,?2,?3)", why)) ||
	    (st = prep(g, &g->end_previous,
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
	    (st = make_users(g, why)) || (st = make_providers(g, why)) ||
	    (st = make_people(g, why)) || (st = make_history(g, why)) ||
	    (st = write_audit(g, why)) || (st = indexes_restore(g, &saved, why)) ||
	    (st = beds_cover_bookings(s, why)) || (st = capacity_rebase_all(s, why))) {
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
