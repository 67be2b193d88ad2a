/* provider.h — the provider register: a provider's details, added and
 * edited by admins (DESIGN.md §1, §2 "Providers"). What changes whether it
 * may be booked (suspension, leaving) is flows/suspend.h. */
#ifndef BR_PROVIDER_H
#define BR_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct session;

/* The register of providers (admins). localities: comma-separated codes
 * it covers ("" none); the coverage is replaced. */
struct br_config;

struct provider_input {
	char name[121];
	char cqc[24];           /* CQC location id, "1-" and digits; "" none */
	char rating[24];        /* a CQC rating, any case; "" = Not yet rated */
	char phone[33], email[97], contact[65], postcode[11];
	char localities[64];
};

/* The register's rules for a provider, one field at a time: the one check
 * provider add and provider edit (the command line and the Provider form)
 * and import providers ask. */
enum provider_field {
	PROVIDER_NAME, PROVIDER_CQC, PROVIDER_RATING, PROVIDER_PHONE, PROVIDER_EMAIL, PROVIDER_CONTACT,
	PROVIDER_POSTCODE, PROVIDER_LOCALITIES, PROVIDER_FIELDS
};
/* The field in words ("CQC location id"), as the errors name it. */
extern const char *const provider_field_words[PROVIDER_FIELDS];
const char *provider_field_value(const struct provider_input *in, enum provider_field f);
/* NULL when the field keeps its rule; else what is wrong, as words to
 * follow the quoted value, in buf or static. */
const char *provider_field_check(const struct br_config *cfg, const struct provider_input *in,
				 enum provider_field f, char *buf, size_t bufsz);

struct store;
/* The provider's name (cut to namesz); BR_NOTFOUND, naming the id, when
 * there is none. The one look-up the register, the importer and the
 * reports ask. */
enum br_status provider_name(struct store *store, int64_t id, char *name, size_t namesz, char **why);

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
