/* request.h — package requests (DESIGN.md §2 "Package request"). */
#ifndef BR_REQUEST_H
#define BR_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* ---- package requests ---------------------------------------------------- */

struct request_input {
	char user_ref[17];
	char service[4];
	int64_t units;
	char start[11];       /* YYYY-MM-DD, not in the past for a new request */
	char urgency[10];     /* routine urgent emergency */
	char funding[6];      /* ASC CHC JOINT */
	int asc_pct;          /* council share for JOINT (1..99); -1: from the funding */
	char locality[9];     /* "" = the person's own */
	char notes[256];
};

struct request_info {
	int64_t id, user_id;
	char ref[17], person[130];
	char service[4];
	int64_t units;
	char locality[9], person_locality[9];
	char need[4];
	char start[11], urgency[10], funding[6];
	int asc_pct;
	char status[10];
	bool handback;
	bool restricted;      /* the person's record is restricted: show name and reference only */
	char dob[11];
	char created_at[21], created_by[33];
	char notes[256];
	bool direct_payment;  /* the person holds their own budget (a direct payment) */
	bool s117;            /* Section 117 aftercare: free at the point of use */
	bool fnc;             /* funded nursing care goes with this request: the person is assessed for it and it is a nursing placement (RES) */
	char assigned_to[33];    /* the officer who has it, "" = nobody */
	char assigned_at[21];
};

/* Raise a request. Refused (BR_CONFLICT) while the person has an open
 * request for the same service: the message names it. */
enum br_status request_create(struct session *s, const struct request_input *in, int64_t *id,
			      char **why);
enum br_status request_get(struct session *s, int64_t id, struct request_info *r, char **why);
/* What every face shows of a restricted person's request (the one mask:
 * the match's screen, its command line and its JSON alike): the name and
 * the reference; the date of birth, the need, the notes, a direct payment,
 * Section 117 and funded nursing care are blanked. Nothing changes for a
 * record that is not restricted. */
void request_mask(struct request_info *r);
/* Change units, start, urgency, funding or notes while the request is open. */
enum br_status request_edit(struct session *s, int64_t id, const struct request_input *in,
			    char **why);
enum br_status request_cancel(struct session *s, int64_t id, const char *reason, char **why);
/* The same inside the caller's transaction (a person's death). */
enum br_status request_cancel_in(struct session *s, int64_t id, const char *reason, char **why);

/* ---- one officer per request ------------------------------------------------ */

/* Take an open request: it becomes yours (Home shows your login beside it).
 * One another officer has may be taken over only with a reason (audited as
 * request.takeover) or once it has been idle (nothing done on it by its
 * officer) for the config's requests.takeover_idle_minutes. */
enum br_status request_take(struct session *s, int64_t id, const char *reason, char **why);
/* Supervisors give a request to an officer (or supervisor). */
enum br_status request_assign(struct session *s, int64_t id, const char *login, char **why);
/* Who a supervisor may give requests to (the assign picker): enabled
 * officers and supervisors, by login, with how many open requests each has
 * now. Supervisors only, as request_assign. *n gets how many (at most max). */
struct assignee {
	char login[33], name[64], role[12];
	int open;
};
enum br_status request_assignees(struct session *s, struct assignee *out, int max, int *n, char **why);
/* Minutes since the request's officer last did something on it. */
enum br_status request_idle_minutes(struct session *s, int64_t id, long *minutes, char **why);

/* Can the person's needs use the service: some provider is registered on
 * the lot for their primary need (?3) or one of their others (person ?1,
 * service ?2). Two lookups on registration_by_lot, read inside the write
 * turn of a new request: never a scan of the register (issue 21). */
#define REQUEST_SERVICE_USABLE                                                               \
	"SELECT EXISTS (SELECT 1 FROM registration r WHERE r.service = ?2 AND r.need = ?3) "   \
	"OR EXISTS (SELECT 1 FROM service_user_need n JOIN registration r ON r.service = ?2 "  \
	"AND r.need = n.need WHERE n.user_id = ?1)"

#endif
