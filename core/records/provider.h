/* provider.h — the provider register: a provider's details, added and
 * edited by admins (DESIGN.md §1, §2 "Providers"). What changes whether it
 * may be booked (suspension, leaving) is flows/suspend.h. */
#ifndef BR_PROVIDER_H
#define BR_PROVIDER_H

#include <stdint.h>

#include "status.h"

struct session;

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

#endif
