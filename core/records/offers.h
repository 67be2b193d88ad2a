/* offers.h — the words of an offer row: why it went outside the cascade
 * (override kinds) and why a provider declined; and withdrawing a
 * request's pending offers. */
#ifndef BR_OFFERS_H
#define BR_OFFERS_H

#include <stdint.h>

#include "status.h"

struct session;

enum override_kind { OVERRIDE_NONE, OVERRIDE_PERSON_CHOICE, OVERRIDE_CLINICAL, OVERRIDE_SPOT,
		     OVERRIDE_OUT_OF_LOCALITY };
const char *override_code(enum override_kind k);
int override_find(const char *code);

enum decline_reason { DECLINE_NO_CAPACITY, DECLINE_NO_STAFF, DECLINE_CANNOT_MEET_NEED,
		      DECLINE_PRICE, DECLINE_OTHER, DECLINE_COUNT };
const char *decline_code(int d);
const char *decline_text(int d);
int decline_find(const char *code);

/* Withdraw every pending offer of a request but `except` (inside the
 * caller's transaction), audited. */
enum br_status offers_withdraw_pending(struct session *s, int64_t request_id, int64_t except, char **why);

#endif
