/* deceased.h — a death recorded: the care it ends and cancels. */
#ifndef BR_DECEASED_H
#define BR_DECEASED_H

#include "status.h"

struct session;

/* A person has died (on `date`, today or before): in one transaction their
 * call-offs under way end on that date, those not started are cancelled,
 * their open requests are cancelled, and the record is marked deceased.
 * The counts may be NULL. */
struct deceased_report {
	int ended, cancelled, requests;
};
enum br_status person_deceased(struct session *s, const char *ref, const char *date, struct deceased_report *rep,
			       char **why);

#endif
