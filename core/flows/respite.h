/* respite.h — emergency respite for the on-call officer (DESIGN.md §2):
 * booking a bed and lengthening a stay. The beds themselves are counted in
 * records/respite_beds.h. */
#ifndef BR_RESPITE_H
#define BR_RESPITE_H

#include <stdbool.h>
#include <stdint.h>

#include "respite_beds.h"
#include "status.h"

struct session;

struct respite_booking {
	int64_t calloff_id, request_id, approval_id;
	char provider[96], phone[24], locality_name[48];
	char first_night[11], last_night[11], due[11];
	int nights;
	int64_t cost;
	char summary[700];     /* one line to read out on the phone */
};

/* Book a bed for 1..N nights from tonight (N from the config; more needs a
 * supervisor): a call-off of tier emergency, active at once, with the bed
 * held in the same transaction and an approval filed for the next working
 * day. locality "" takes the nearest with a bed free. Two officers booking
 * the last bed: one gets it, the other BR_CONFLICT. */
enum br_status respite_book(struct session *s, int64_t person_id, int64_t provider_id, const char *locality,
			    int nights, struct respite_booking *out, char **why);

/* Extend an emergency booking to `nights` nights in all (from its first):
 * the bed must be free on each added night; past the configured nights only
 * a supervisor may. */
enum br_status respite_extend(struct session *s, int64_t calloff_id, int nights, char **why);

#endif
