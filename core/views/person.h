/* person.h — one service user's record, as the Person screen shows it.
 * Every opening is audited; a restricted record opens only with a typed
 * break-glass reason, which is audited too. */
#ifndef BR_PERSON_H
#define BR_PERSON_H

#include <stdbool.h>
#include <stdint.h>

#include "query.h"
#include "status.h"

struct session;

struct person_calloff {
	int64_t id;
	char provider[96];
	char service[4];
	char tier[12];
	int64_t units;
	int64_t unit_rate;
	int64_t weekly_cost;
	char status[20];
	char start[11], end[11];
	int asc_pct;
	bool s117, fnc;
};

struct person_request {
	int64_t id;
	char service[4];
	int64_t units;
	char urgency[10];
	char status[10];
	char start[11];
	char created[21];
	char funding[6];
	int asc_pct;
	bool handback;
};

struct person_detail {
	struct su_row su;
	int age;
	char locality_name[48];
	char phone[24];
	struct person_calloff *calloffs;   /* current first, then history */
	int n_calloffs;
	struct person_request *requests;   /* open first, then history */
	int n_requests;
	/* what the care costs a week now, by funding stream: active call-offs
	 * at their weekly cost, paused ones on a retainer at its share, the
	 * rest nothing; a joint package split by its council share */
	int64_t weekly_council, weekly_nhs;
	int64_t weekly_fnc;   /* of weekly_nhs: funded nursing care at this year's rate */
	int64_t weekly_s117;  /* of the two: Section 117 aftercare (nothing for the person to pay) */
	int n_paused;
};

/* BR_DENIED with "restricted" in *why when the record is restricted and no
 * reason was given; the caller asks for one and calls again. */
enum br_status person_open(struct session *s, int64_t id, const char *breakglass_reason,
			   struct person_detail **out, char **why);
/* Reload a record already opened in this session (after a change made
 * from it): no second audit row. */
enum br_status person_refresh(struct session *s, int64_t id, struct person_detail **out, char **why);
void person_detail_free(struct person_detail **d);

#endif
