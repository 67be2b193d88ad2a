/* match.h — the match: every provider for a request in cascade order, with
 * the reasons each excluded one is excluded (DESIGN.md §2 "Match"). */
#ifndef BR_MATCH_H
#define BR_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

#include "request.h"

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
	X(EXPIRED, "expired", "let the response window pass", "expired")                       \
	X(HAD_IT, "had_it", "had this request before (handed back, rejected or cancelled)",   \
	  "had it")

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
	char reported_on[11];   /* the day that figure was reported; "" unknown */
	bool stale;             /* reported more than capacity_stale_days ago (or never) */
	/* why, for a suspended provider; "" otherwise. Held apart (owned by the
	 * result, freed by match_free) so a row stays small: a match at
	 * 10xLCR has several hundred (issue 14: a session under 8 MB) */
	const char *suspended_reason;
	char suspended_on[11];
	int64_t unit_rate;      /* pence, in force on the start date; 0 = none */
	bool continuity;        /* already delivers this service to the person */
	unsigned reasons;       /* bits (1 << MATCH_*); 0 = offerable */
	int64_t offer_id;       /* the latest offer to it on this request, 0 = none */
	char offer_status[12];  /* of that offer; "" = none */
	char phone[24];
	const char *consortium; /* parent's name for a member; "" otherwise (as above) */
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
/* The match cut down to what an offer to one provider is decided on: that
 * provider's row and the rows of every provider awarded on the service
 * (the higher tiers of the cascade, and the one-at-a-time rule). Not for a
 * spot or out-of-locality offer, whose last-resort rule looks at everyone. */
enum br_status match_for_offer(struct session *s, int64_t request_id, int64_t provider_id,
			       struct match_result **out, char **why);
void match_free(struct match_result **m);

/* The rate in force on a day, the one rule, as an SQL expression: the
 * provider's rate for the service with the latest valid_from on or before
 * the day, 0 when none. PROVIDER, SERVICE and DAY are SQL expressions
 * (literals in the program's text). */
#define RATE_IN_FORCE(PROVIDER, SERVICE, DAY)                                                    \
	"coalesce((SELECT t.pence FROM rate t INDEXED BY rate_by_service WHERE t.service = " SERVICE \
	" AND t.provider_id = " PROVIDER " AND t.valid_from <= " DAY                                 \
	" ORDER BY t.valid_from DESC LIMIT 1), 0)"

/* The provider's rate for a service in force on a day; 0 when none. */
enum br_status match_rate_in_force(struct session *s, int64_t provider_id, const char *service,
			     const char *day, int64_t *pence, char **why);

#endif
