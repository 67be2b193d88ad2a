/* offer.h — offers down the award tiers and the providers' answers
 * (DESIGN.md §2 "Award tiers", "Offer and response"). */
#ifndef BR_OFFER_H
#define BR_OFFER_H

#include <stdbool.h>
#include <stdint.h>

#include "offers.h"
#include "status.h"

struct session;

/* ---- offers ----------------------------------------------------------------- */

struct offer_options {
	enum override_kind override;
	char reason[256];       /* required with an override */
};

/* Offer the request to a provider, as the cascade allows: BR_DENIED with
 * the higher-tier provider that must answer first, or the rule refused. */
enum br_status offer_create(struct session *s, int64_t request_id, int64_t provider_id,
			    const struct offer_options *o, int64_t *offer_id, char **why);

/* Record a provider's answer. Accepting creates the call-off and takes
 * the capacity in the same transaction; *calloff_id gets it. Two officers
 * racing for the last capacity: one wins, the other gets BR_CONFLICT
 * naming who took it. */
enum br_status offer_accept(struct session *s, int64_t offer_id, int64_t *calloff_id, char **why);
enum br_status offer_decline(struct session *s, int64_t offer_id, int reason, const char *note,
			     char **why);
/* Withdraw one offer still waiting for an answer (made in error, or the
 * person no longer wants it), with a reason; audited (offer.withdraw). */
enum br_status offer_withdraw(struct session *s, int64_t offer_id, const char *reason, char **why);
/* Correct a decline recorded by mistake (on the wrong provider, say): the
 * offer waits for an answer again, in its own window. Only while the
 * request is open and no later offer on it is waiting or accepted; with a
 * reason; audited (offer.correct, declined->pending). An acceptance is
 * undone by cancelling its call-off. */
enum br_status offer_correct(struct session *s, int64_t offer_id, const char *reason, char **why);
/* Mark offers past their response window as expired (an expiry counts as
 * a decline). *n gets how many. */
enum br_status offers_expire(struct session *s, int64_t request_id, int *n, char **why);

/* Withdraw every pending offer to a provider (a suspension), inside the
 * caller's transaction, audited with the reason; *n gets how many. */
enum br_status offers_withdraw_provider(struct session *s, int64_t provider_id, const char *reason, int *n,
					char **why);

#endif
