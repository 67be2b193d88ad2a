/* upkeep.h — keeping the register true day to day: a person referred,
 * capacity reported, a rate that changes. Each is one transaction with its
 * audit row; the screens and the command line call the same functions. */
#ifndef BR_UPKEEP_H
#define BR_UPKEEP_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* A provider's free capacity for a (service, locality), reported today:
 * free and reported_on replaced, updated_at now. Admins. *was gets the
 * figure it replaced, -1 when there was none. */
enum br_status capacity_set(struct session *s, int64_t provider_id, const char *service,
			    const char *locality, int64_t free_units, int64_t *was, char **why);

/* A provider's rate per unit of a service from a day (a yearly uplift).
 * A call-off already made keeps the rate in force on its start date.
 * Admins. *was gets the rate it replaced for that same day, 0 when new. */
enum br_status rate_set(struct session *s, int64_t provider_id, const char *service,
			int64_t pence, const char *from, int64_t *was, char **why);

/* A provider awarded a tier on a lot from a day (a new peripheral provider
 * after a procurement window; a new primary once the old award has ended).
 * Primary and secondary name one locality, peripheral the whole borough
 * (locality NULL or ""). A second primary or secondary for the same lot and
 * locality while one is in force is refused, naming it. Admins. *id gets
 * the new award's id. */
enum br_status award_add(struct session *s, int64_t provider_id, const char *service,
			 const char *tier, const char *locality, const char *from, int64_t *id,
			 char **why);
/* End an award on a day (its last day). Admins. */
enum br_status award_end(struct session *s, int64_t award_id, const char *on, char **why);

/* Register a provider on a lot for a needs group. *added is false (and
 * nothing is written) when it already was. Admins. */
enum br_status registration_add(struct session *s, int64_t provider_id, const char *service,
				const char *need, bool *added, char **why);

struct br_config;

struct person_input {
	char nhs[16];           /* with or without spaces; checked, unique */
	char family[101], given[101];
	char dob[11];           /* YYYY-MM-DD, not in the future */
	char postcode[11];
	char locality[9];       /* a locality of the config */
	char need[4];           /* primary need */
	char other_needs[64];   /* comma-separated, "" = none */
	bool forensic;          /* primary MH or DD only */
	char funding[6];        /* ASC CHC JOINT; "" = ASC */
	bool s117;              /* Section 117 aftercare: free at the point of use, council and NHS */
	bool fnc;               /* assessed for funded nursing care (an NHS contribution to nursing) */
};

/* The register's rules for a person, one field at a time: the one check
 * person add and person edit (the command line and the Person form) and
 * import service-users ask. A rule across fields belongs to the later one
 * (forensic needs the primary need; other needs may not repeat it). */
enum person_field {
	PERSON_NHS, PERSON_FAMILY, PERSON_GIVEN, PERSON_DOB, PERSON_POSTCODE, PERSON_LOCALITY,
	PERSON_NEED, PERSON_OTHER_NEEDS, PERSON_FORENSIC, PERSON_FUNDING, PERSON_FIELDS
};
/* The field in words ("date of birth"), as the errors name it. */
extern const char *const person_field_words[PERSON_FIELDS];
/* The field's value as text ("yes"/"no" for the flag). */
const char *person_field_value(const struct person_input *in, enum person_field f);
/* NULL when the field keeps its rule; else what is wrong, as words to
 * follow the quoted value ("is not a date (YYYY-MM-DD)"), in buf or static.
 * migrated: a record brought from the old system, which may lack the NHS
 * number and the postcode (a referral may not). */
const char *person_field_check(const struct br_config *cfg, const struct person_input *in,
			       enum person_field f, bool migrated, char *buf, size_t bufsz);

/* Add a person referred to the team: officers, supervisors and admins.
 * ref gets the new reference (SU and six digits). A person with the same
 * name and date of birth is not refused (twins, namesakes) but named in
 * warning (warning[0] == '\0' when none). */
enum br_status person_add(struct session *s, const struct person_input *in, char ref[17],
			  char warning[160], char **why);

/* Edit a person's record (the same checks as person_add; the NHS number must
 * be nobody else's). Officers, supervisors and admins; a deceased person's
 * record is kept as it was. Audited with the fields that changed. */
enum br_status person_edit(struct session *s, int64_t id, const struct person_input *in, char warning[160],
			   char **why);

/* A person's record as the input person_edit takes (to change a field or
 * two and keep the rest); ref gets the reference (may be NULL). */
enum br_status person_input_get(struct session *s, int64_t id, struct person_input *in, char ref[17],
				char **why);

/* The id of the person with a reference; BR_NOTFOUND when none. */
enum br_status person_id_of(struct session *s, const char *ref, int64_t *id, char **why);

/* Close an active person's record: reason "moved_away" or "closed", with an
 * optional note. Refused while a call-off is live (proposed to active): end
 * or cancel it first. Open requests must be settled first, or, with
 * cancel_requests, are cancelled in the same transaction (request_cancel's
 * path, with the reason; *cancelled counts them). Officers, supervisors and
 * admins (cancelling requests: officers and supervisors). Audited. */
enum br_status person_close(struct session *s, int64_t id, const char *reason, const char *note,
			    bool cancel_requests, int *cancelled, char **why);
/* "moved away", "closed"; NULL for another code. */
const char *person_close_reason_text(const char *code);

/* Restrict a record (name and reference only until break-glass) or lift
 * it, with a reason. Admins. Audited. */
enum br_status person_restrict(struct session *s, int64_t id, bool on, const char *reason, char **why);

#endif
