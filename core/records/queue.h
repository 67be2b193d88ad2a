/* queue.h — the Home screen's work: open requests, offers awaiting an
 * answer, approvals waiting. Paged by keyset like every list. */
#ifndef BR_QUEUE_H
#define BR_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "query.h"
#include "status.h"

struct session;

struct queue_counts {
	int open, emergency, urgent, routine, handbacks;
	int oldest_days;          /* the longest wait among open requests */
	int my_offers;            /* pending offers this login made */
	int offers_pending;       /* pending offers, whole team */
	int approvals_waiting;    /* pending approvals */
	int overnight;            /* emergency bookings since 18:00 yesterday */
	int mine;                 /* open requests this login has taken or been given */
	int retainers_lapsed;     /* paused call-offs whose retainer ran out */
};

/* QUEUE_MINE: the open requests this login has (taken or assigned). */
enum queue_kind { QUEUE_REQUESTS, QUEUE_MY_OFFERS, QUEUE_APPROVALS, QUEUE_MINE, QUEUE_KINDS };

struct queue_row {
	int64_t id;               /* request, offer or approval id */
	int64_t request_id;
	int64_t person_id;
	char ref[17];
	char person[130];         /* "Family, Given" */
	char service[4];
	int64_t units;
	char locality[9];
	char urgency[10];
	int days_waiting;
	bool handback;
	bool restricted;
	char provider[96];        /* offers and approvals */
	char detail[128];         /* offer: tier; approval: rules */
	char sent_at[21], due_at[21]; /* my offers: sent, and the answer due by (UTC stamps) */
	int64_t weekly_cost;      /* approvals */
	int64_t calloff_id;       /* approvals */
	char assigned_to[33];     /* requests: the officer who has it, "" = nobody */
	struct list_cursor key;
};

enum br_status queue_counts(struct session *s, struct queue_counts *c, char **why);
enum br_status queue_list(struct session *s, enum queue_kind kind, const struct list_cursor *at,
			  enum list_dir dir, struct queue_row *rows, int limit, int *n, char **why);

#endif
