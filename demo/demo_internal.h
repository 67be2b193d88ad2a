/* demo_internal.h — what the demo generator's parts share: the
 * generator's state, its random numbers and its helpers. demo.c builds
 * (users, the audit trail, the indexes); demo_providers.c, demo_people.c
 * and demo_history.c write the rows; demo_common.c holds the helpers. */
#ifndef BR_DEMO_INTERNAL_H
#define BR_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

#include "demo.h"
#include "domain.h"
#include "names.h"
#include "status.h"

/* ---- a small deterministic generator (splitmix64) --------------------- */

struct rng {
	uint64_t s;
};

static inline uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static inline int64_t rint_in(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static inline bool rchance(struct rng *r, int percent)
{
	return (int)(rnext(r) % 100) < percent;
}

/* Pick an index by weights. */
static inline int rweighted(struct rng *r, const int *w, int n)
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

struct gperson {
	int32_t current[SERVICE_COUNT]; /* the call-off delivering each service now */
	int32_t dob;
	int32_t respite_last;            /* the last night of the person's latest respite stay */
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

struct demo_login {
	const char *login, *name, *role;
	int64_t limit;
};
extern const struct demo_login demo_logins[];
extern const int demo_n_logins;
#define N_LOGINS demo_n_logins
#define L_OFFICER 0
#define L_SUPERVISOR 1
#define L_ONCALL 3
#define L_ADMIN 4
extern const int demo_officer_logins[4];
extern const int demo_supervisor_logins[2];
extern const char *const demo_funding_text[3];

bool demo_picker_init(struct picker *p, const struct name_table *t);
const char *demo_picker_pick(const struct picker *p, uint64_t x);
enum br_status demo_prep(struct gen *g, sqlite3_stmt **st, const char *sql, char **why);
enum br_status demo_step(struct gen *g, sqlite3_stmt *st, char **why);
void demo_bind_date(sqlite3_stmt *st, int i, int64_t day);
int64_t demo_past(const struct gen *g, int64_t t);
void demo_bind_stamp(const struct gen *g, sqlite3_stmt *st, int i, int64_t t);
void demo_tick(struct gen *g, const char *stage, long long n);
bool demo_event_add(struct gen *g, int64_t at, int kind, int64_t id, int64_t other, int login);
enum br_status demo_event_failed(struct gen *g, char **why);
int64_t demo_person_id(const struct gen *g, const struct gperson *p);
int demo_scaled(const struct gen *g, long long base, long long min);
int demo_count_providers(const struct gen *g);
int demo_count_people(const struct gen *g);
int demo_count_open(const struct gen *g);
int demo_count_calloffs(const struct gen *g);
int64_t demo_day_at(struct rng *r, int64_t day, int from_hour, int to_hour);
/* A provider's yearly rate steps for a service, from April 2019. */
enum br_status demo_add_rates(struct gen *g, const struct gprov *p, int s, char **why);
int64_t demo_rate_on(const struct gprov *p, int svc, int64_t day);
const struct picker *demo_given_for(const struct gen *g, int64_t dob);
int64_t demo_base_rate(struct rng *r, int svc);

enum br_status demo_make_providers(struct gen *g, char **why);
enum br_status demo_make_people(struct gen *g, char **why);
enum br_status demo_make_history(struct gen *g, char **why);

#endif
