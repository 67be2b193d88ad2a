/* broker.h — the brokerage itself: package requests, the match, the
 * award-tier cascade, offers and responses, call-offs and hand-backs
 * (DESIGN.md §2). Every rule is here; the CLI and the screens only call it. */
#ifndef BR_BROKER_H
#define BR_BROKER_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* ---- package requests ---------------------------------------------------- */

struct request_input {
	char user_ref[17];
	char service[4];
	int64_t units;
	char start[11];       /* YYYY-MM-DD, not in the past for a new request */
	char urgency[10];     /* routine urgent emergency */
	char funding[6];      /* ASC CHC JOINT */
	int asc_pct;          /* council share for JOINT (1..99); -1: from the funding */
	char locality[9];     /* "" = the person's own */
	char notes[256];
};

struct request_info {
	int64_t id, user_id;
	char ref[17], person[130];
	char service[4];
	int64_t units;
	char locality[9], person_locality[9];
	char need[4];
	char start[11], urgency[10], funding[6];
	int asc_pct;
	char status[10];
	bool handback;
	char dob[11];
	char created_at[21], created_by[33];
	char notes[256];
};

enum br_status request_create(struct session *s, const struct request_input *in, int64_t *id,
			      char **why);
enum br_status request_get(struct session *s, int64_t id, struct request_info *r, char **why);
/* Change units, start, urgency, funding or notes while the request is open. */
enum br_status request_edit(struct session *s, int64_t id, const struct request_input *in,
			    char **why);
enum br_status request_cancel(struct session *s, int64_t id, const char *reason, char **why);

/* ---- the match ------------------------------------------------------------ */

#define MATCH_REASON_LIST(X)                                                                   \
	X(NOT_REGISTERED, "not_registered", "not registered for the need", "not registered")   \
	X(NO_COVERAGE, "no_coverage", "does not cover the locality", "not in locality")       \
	X(SUSPENDED, "suspended", "suspended", "SUSPENDED")                                    \
	X(NO_CAPACITY, "no_capacity", "no free capacity", "no capacity")                       \
	X(INADEQUATE, "inadequate", "rated Inadequate", "Inadequate")                          \
	X(HIGHER_TIER_PENDING, "higher_tier_pending", "a higher tier can still answer",        \
	  "higher tier first")                                                                 \
	X(LEFT, "left_framework", "left the framework", "left")                                \
	X(CONSORTIUM_MEMBER, "consortium_member", "offered through its consortium", "via consortium") \
	X(DECLINED, "declined", "declined this request", "declined")                           \
	X(EXPIRED, "expired", "let the response window pass", "expired")

enum match_reason {
#define X(id, code, text, brief) MATCH_##id,
	MATCH_REASON_LIST(X)
#undef X
	MATCH_REASON_COUNT
};

const char *match_reason_code(int reason);
const char *match_reason_text(int reason);
const char *match_reason_brief(int reason); /* a few words, for narrow screens */

struct match_row {
	int64_t provider_id;
	char name[96];
	char tier[12];          /* primary secondary peripheral registered spot */
	int tier_rank;          /* 1..5 */
	char rating[24];
	int64_t free;           /* capacity free in the request's locality; -1 untracked */
	int64_t unit_rate;      /* pence, in force on the start date; 0 = none */
	bool continuity;        /* already delivers this service to the person */
	unsigned reasons;       /* bits (1 << MATCH_*); 0 = offerable */
	int64_t offer_id;       /* the latest offer to it on this request, 0 = none */
	char offer_status[12];  /* of that offer; "" = none */
	char phone[24];
	char consortium[96];    /* parent's name for a member */
};

struct match_result {
	struct request_info req;
	struct match_row *rows;  /* offerable first, in cascade order; then excluded */
	int n, n_offerable;
	/* when lower tiers wait: who must answer first, in words */
	char blocking[256];
};

enum br_status match_run(struct session *s, int64_t request_id, struct match_result **out,
			 char **why);
void match_free(struct match_result **m);

/* ---- offers ----------------------------------------------------------------- */

enum override_kind { OVERRIDE_NONE, OVERRIDE_PERSON_CHOICE, OVERRIDE_CLINICAL, OVERRIDE_SPOT,
		     OVERRIDE_OUT_OF_LOCALITY };
const char *override_code(enum override_kind k);
int override_find(const char *code);

struct offer_options {
	enum override_kind override;
	char reason[256];       /* required with an override */
};

/* Offer the request to a provider, as the cascade allows: BR_DENIED with
 * the higher-tier provider that must answer first, or the rule refused. */
enum br_status offer_create(struct session *s, int64_t request_id, int64_t provider_id,
			    const struct offer_options *o, int64_t *offer_id, char **why);

enum decline_reason { DECLINE_NO_CAPACITY, DECLINE_NO_STAFF, DECLINE_CANNOT_MEET_NEED,
		      DECLINE_PRICE, DECLINE_OTHER, DECLINE_COUNT };
const char *decline_code(int d);
const char *decline_text(int d);
int decline_find(const char *code);

/* Record a provider's answer. Accepting creates the call-off and takes
 * the capacity in the same transaction; *calloff_id gets it. Two officers
 * racing for the last capacity: one wins, the other gets BR_CONFLICT
 * naming who took it. */
enum br_status offer_accept(struct session *s, int64_t offer_id, int64_t *calloff_id, char **why);
enum br_status offer_decline(struct session *s, int64_t offer_id, int reason, const char *note,
			     char **why);
/* Mark offers past their response window as expired (an expiry counts as
 * a decline). *n gets how many. */
enum br_status offers_expire(struct session *s, int64_t request_id, int *n, char **why);

/* ---- call-offs -------------------------------------------------------------- */

struct calloff_info {
	int64_t id, request_id, provider_id;
	char provider[96];
	char tier[12];
	char override_kind[20], override_reason[256];
	bool continuity;
	char service[4], locality[9];
	int64_t unit_rate, units, weekly_cost;
	int asc_pct;
	char start[11], end[11];
	char status[20];
	char proposed_by[33];
	char rules[200];        /* approval rules that fired, "" = none */
};

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why);

#define HANDBACK_REASON_LIST(X)                        \
	X(no_staff, "no staff in the area")            \
	X(cannot_meet_need, "cannot meet the need")    \
	X(safeguarding, "safeguarding")                \
	X(provider_exit, "provider leaving")           \
	X(price, "price")                              \
	X(other, "other")

int handback_find(const char *code);

/* A provider hands back an active call-off: it ends on the notice date,
 * the capacity returns and the request reopens at the top of the queue. */
enum br_status calloff_handback(struct session *s, int64_t id, const char *reason,
				const char *notice_date, char **why);
/* Cancel before it starts (proposed, awaiting approval, approved):
 * capacity returns and the request reopens. */
enum br_status calloff_cancel(struct session *s, int64_t id, const char *reason, char **why);

/* Approved call-offs whose start date has come become active (audited as
 * "system"); *n gets how many. Run when a session opens. */
enum br_status calloffs_activate_due(struct session *s, int *n, char **why);

/* The provider's rate for a service in force on a day; 0 when none. */
enum br_status rate_in_force(struct session *s, int64_t provider_id, const char *service,
			     const char *day, int64_t *pence, char **why);

#endif
