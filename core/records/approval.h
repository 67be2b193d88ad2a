/* approval.h — supervisors' decisions and the people who may make them
 * (DESIGN.md §1, §2 "Approval"). Four eyes: nobody approves their own
 * proposal; each supervisor's limit is an annual cost. */
#ifndef BR_APPROVAL_H
#define BR_APPROVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "query.h"
#include "session.h"
#include "status.h"

struct session;

struct approval_item {
	int64_t id, calloff_id, request_id, person_id;
	char person[130], ref[17];
	char provider[96];
	char tier[12], service[4], locality[9];
	int64_t weekly_cost, annual_cost, units, unit_rate;
	char requested_at[21], requested_by[33], due_date[11];
	char status[12];
	char rules[400];          /* each rule that fired, in words, "; "-separated */
	char can_approve[200];    /* supervisors whose limit covers it, not the proposer */
	bool restricted;
	char proposers[200];      /* everyone who shaped it (four eyes): raised, offered, accepted, filed */
	bool mine;                /* the session's login is one of them: it cannot decide it */
	struct list_cursor key;
};

/* Pending approvals, oldest first, paged by keyset. */
enum br_status approval_list(struct session *s, const struct list_cursor *at, enum list_dir dir,
			     struct approval_item *rows, int limit, int *n, char **why);
/* One approval by call-off. */
enum br_status approval_get(struct session *s, int64_t calloff_id, struct approval_item *a, char **why);

/* The offers made for a request, in order: the cascade as it was. */
struct offer_history {
	int64_t id;
	char provider[96], tier[12], status[12], reason[24], note[128], offered_at[21], offered_by[33];
};
enum br_status approval_offers(struct session *s, int64_t request_id, struct offer_history *rows,
				  int max, int *n, char **why);

/* File an approval for a call-off, with each rule that fired stored in
 * words, inside the caller's transaction; audited. due_date may be NULL
 * (emergency bookings fall due on the next working day). */
struct rule_facts;
enum br_status approval_file(struct session *s, int64_t calloff_id, int64_t annual_cost, const char *due_date,
			     const struct rule_facts *facts, unsigned fired, int64_t *approval_id, char **why);

/* Settle the approval waiting on a call-off, inside the caller's
 * transaction; audited (approval.approve, .reject, .withdraw). A withdrawal
 * is nobody's decision: no decided_by, the note "withdrawn: ...". No
 * approval waiting: BR_CONFLICT, except for a withdrawal (nothing to do).
 * The lifecycle's (lifecycle/calloff.c) alone. */
enum approval_settlement { APPROVAL_SETTLE_APPROVE, APPROVAL_SETTLE_REJECT, APPROVAL_SETTLE_WITHDRAW };
enum br_status approval_settle(struct session *s, int64_t calloff_id, enum approval_settlement how, const char *note,
			       char **why);
/* The approval waiting on a lengthened respite stay covers the stay as it
 * is now; BR_CONFLICT when none is waiting (one decided covered a shorter
 * stay). The lifecycle's alone. */
enum br_status approval_recost_pending(struct session *s, int64_t calloff_id, char **why);

/* Whoever shaped the call-off (raised the request, made the offer or wrote
 * its override reason, recorded the acceptance, filed the approval, changed
 * the request or lengthened the stay): none of them may approve it. */
bool approval_shaped_by(struct session *s, int64_t calloff_id, const char *login);
/* Four eyes, the one rule and its words: BR_DENIED when the session's
 * login shaped the call-off, for approving or (approve false) rejecting. */
enum br_status approval_four_eyes(struct session *s, int64_t calloff_id, bool approve, char **why);

#endif
