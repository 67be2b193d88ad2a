/* calloff.h — call-offs and every change of their state (DESIGN.md §2
 * "Call-off", "Call-off lifecycle", "Hand-back"). */
#ifndef BR_CALLOFF_H
#define BR_CALLOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* ---- call-offs -------------------------------------------------------------- */

struct calloff_info {
	int64_t id, request_id, provider_id;
	char provider[96];
	char tier[12];
	char override_kind[20], override_reason[256];
	bool continuity;
	char service[4], locality[9];
	int64_t unit_rate, units, weekly_cost;
	int asc_pct;
	char start[11], end[11];
	char status[20];
	char proposed_by[33];
	char handback_notice[11]; /* "" unless handed back: the care ends on it */
	char handback_reason[20];
	char ended_reason[128];
	char rules[200];        /* approval rules that fired, "" = none */
};

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why);

#define HANDBACK_REASON_LIST(X)                        \
	X(no_staff, "no staff in the area")            \
	X(cannot_meet_need, "cannot meet the need")    \
	X(safeguarding, "safeguarding")                \
	X(provider_exit, "provider leaving")           \
	X(price, "price")                              \
	X(other, "other")

int handback_find(const char *code);

/* A provider hands back an active call-off: it ends on the notice date,
 * the capacity returns and the request reopens at the top of the queue. */
enum br_status calloff_handback(struct session *s, int64_t id, const char *reason,
				const char *notice_date, char **why);
/* Cancel before it starts (proposed, awaiting approval, approved):
 * capacity returns and the request reopens. */
enum br_status calloff_cancel(struct session *s, int64_t id, const char *reason, char **why);

/* Approved call-offs whose start date has come become active (audited as
 * "system"); *n gets how many. Run when a session opens. */
enum br_status calloffs_activate_due(struct session *s, int *n, char **why);

#endif
