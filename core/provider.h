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

/* The register of providers (admins). localities: comma-separated codes
 * it covers ("" none); the coverage is replaced. */
struct provider_input {
	char name[121];
	char cqc[24];           /* CQC location id, "1-" and digits; "" none */
	char rating[24];        /* a CQC rating, any case; "" = Not yet rated */
	char phone[33], email[97], contact[65], postcode[11];
	char localities[64];
};

/* A new provider (active; awards, registrations, capacity and rates come
 * through core/upkeep.c). Refused when another has the name or the CQC id.
 * *id gets its id. Audited. */
enum br_status provider_add(struct session *s, const struct provider_input *in, int64_t *id, char **why);
/* Change a provider's details (not its status: suspend, reinstate, leave).
 * Audited with the fields that changed. */
enum br_status provider_edit(struct session *s, int64_t id, const struct provider_input *in, char **why);
/* A provider's details as provider_edit takes them. */
enum br_status provider_input_get(struct session *s, int64_t id, struct provider_input *in, char **why);

/* The provider leaves the framework on a day (today or earlier): like a
 * suspension, its pending offers are withdrawn and its call-offs not yet
 * started cancelled, in the same transaction; care under way goes on.
 * Supervisors and admins. Audited. */
enum br_status provider_leave(struct session *s, int64_t provider_id, const char *on, const char *note,
			      int *offers_withdrawn, int *calloffs_cancelled, char **why);

#endif
