/* suspend.h — provider upkeep that changes what may be booked: suspension
 * (an embargo after a safeguarding concern), reinstatement and leaving the
 * framework (DESIGN.md §1, §2 "Providers"). Supervisors suspend and
 * reinstate; admins, who keep the provider records, may too. */
#ifndef BR_SUSPEND_H
#define BR_SUSPEND_H

#include <stdint.h>

#include "status.h"

struct session;

/* Suspend an active provider with a reason, in one transaction: its pending
 * offers are withdrawn (each request's cascade goes on without it) and its
 * call-offs that have not started (proposed, awaiting approval, approved)
 * are cancelled through the lifecycle (capacity back, request reopened,
 * approval withdrawn). Care already under way goes on. Audited. */
enum br_status provider_suspend(struct session *s, int64_t provider_id, const char *reason, char **why);

/* Lift a suspension, with a note saying why. Audited. */
enum br_status provider_reinstate(struct session *s, int64_t provider_id, const char *note, char **why);

/* The provider leaves the framework on a day (today or earlier): like a
 * suspension, its pending offers are withdrawn and its call-offs not yet
 * started cancelled, in the same transaction; care under way goes on.
 * Supervisors and admins. Audited. */
enum br_status provider_leave(struct session *s, int64_t provider_id, const char *on, const char *note,
			      int *offers_withdrawn, int *calloffs_cancelled, char **why);

#endif
