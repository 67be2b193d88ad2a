/* provider.h — provider upkeep that changes what may be booked: suspension
 * (an embargo after a safeguarding concern) and reinstatement (DESIGN.md §1,
 * §2 "Providers"). Supervisors suspend and reinstate; admins, who keep the
 * provider records, may too. */
#ifndef BR_PROVIDER_H
#define BR_PROVIDER_H

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

#endif
