/* decide.h — a supervisor's decision on a call-off awaiting approval. */
#ifndef BR_DECIDE_H
#define BR_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "approval.h"

/* Whether this login may approve (or reject) it now, without writing:
 * the role, the approval still pending, four eyes, the limit; the same
 * checks and words as approval_decide, so a screen can say at once. */
enum br_status approval_may_decide(struct session *s, int64_t calloff_id, bool approve, char **why);

/* Approve or reject a call-off awaiting approval. Refused (BR_DENIED) for
 * anyone but a supervisor, for the proposer, and above the supervisor's
 * limit. Rejection returns the capacity and reopens the request. */
enum br_status approval_decide(struct session *s, int64_t calloff_id, bool approve, const char *note,
			       char **why);

#endif
