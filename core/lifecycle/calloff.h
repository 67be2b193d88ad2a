/* calloff.h — call-offs and every change of their state (DESIGN.md §2
 * "Call-off", "Call-off lifecycle", "Hand-back"). One header for the
 * lifecycle's files: calloff.c (the table, calloff_transition, create,
 * hand-back, cancel), calloff_live.c (vary, pause, resume, end, a person's
 * call-offs ended), calloff_clock.c (calloffs_activate_due),
 * calloff_words.c (reasons and status in words, the weekly cost now, who
 * pays, lapsed retainers), calloff_history.c (a package's history). Their
 * SQL is in records/calloff_rows.c and calloff_pauses.c. */
#ifndef BR_CALLOFF_H
#define BR_CALLOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calloff_rows.h"
#include "calloff_states.h"
#include "status.h"

struct session;

/* ---- call-offs -------------------------------------------------------------- */

/* struct calloff_info: records/calloff_rows.h. */

enum br_status calloff_get(struct session *s, int64_t id, struct calloff_info *c, char **why);
/* The status in words for the faces: "active, handed back, ends 21 Dec". */
void calloff_status_words(const struct calloff_info *c, char *out, size_t n);

#define HANDBACK_REASON_LIST(X)                        \
	X(no_staff, "no staff in the area")            \
	X(cannot_meet_need, "cannot meet the need")    \
	X(safeguarding, "safeguarding")                \
	X(provider_exit, "provider leaving")           \
	X(price, "price")                              \
	X(other, "other")

int handback_find(const char *code);
/* A hand-back reason in words ("no staff in the area"); "" if unknown. */
const char *handback_text(int i);

/* ---- the lifecycle: one table, one function ------------------------------------ *
 *
 * Every change of a call-off's status goes through calloff_transition(),
 * which looks the (from, event, to) up in the table below (calloff.c; the
 * same table is written out in HACKING.md), checks who may, and applies the
 * effects in the caller's transaction: capacity (units, for every service
 * but respite) or beds (nights, respite: never returned as units), the
 * request (placed, reopened, reopened as a hand-back), the approval (filed,
 * decided, withdrawn) and the audit row. Nothing else writes
 * calloff.status or capacity.free, or reopens a request. */

/* The states and their groups: records/calloff_states.h. */

#define CALLOFF_EVENT_LIST(X)                                                   \
	X(ACCEPT, "accept", "accepted", "calloff.create")                       \
	X(BOOK, "book", "booked", "respite.book")                               \
	X(APPROVE, "approve", "approved", "calloff.approve")                    \
	X(REJECT, "reject", "rejected", "calloff.reject")                       \
	X(CANCEL, "cancel", "cancelled", "calloff.cancel")                      \
	X(ACTIVATE, "activate", "activated", "calloff.activate")                \
	X(HANDBACK, "hand back", "handed back", "calloff.handback")             \
	X(END, "end", "ended", "calloff.end")                                   \
	X(SUSPEND, "provider suspended", "withdrawn for a suspension", "calloff.suspend") \
	X(EXTEND, "extend", "extended", "respite.extend")                       \
	X(VARY, "vary", "varied", "calloff.vary")                               \
	X(UNVARY, "restore after a variation fell through", "restored", "calloff.unvary") \
	X(PAUSE, "pause", "paused", "calloff.pause")                            \
	X(RESUME, "resume", "resumed", "calloff.resume")                        \
	X(RETAINER, "retainer ran out", "released at the end of its retainer", "calloff.retainer_expire") \
	X(STOP, "end", "ended", "calloff.stop")                                 \
	X(PAUSE_BEGIN, "scheduled pause begins", "paused as scheduled", "calloff.pause_begin") \
	X(UNPAUSE, "call off the scheduled pause", "cleared of its scheduled pause", "calloff.pause_cancel")

enum calloff_event {
#define X(id, text, done, action) CE_##id,
	CALLOFF_EVENT_LIST(X)
#undef X
	CE_COUNT
};

/* What a transition does; one row of the table. */
enum calloff_who { WHO_BROKER, WHO_RESPITE, WHO_APPROVER, WHO_SYSTEM, WHO_SUSPENDER };
enum calloff_units { UNITS_KEEP, UNITS_TAKE, UNITS_RETURN };   /* capacity, not respite */
enum calloff_beds { BEDS_KEEP, BEDS_CHECK, BEDS_CHECK_ADDED, BEDS_AFTER_TONIGHT }; /* respite */
enum calloff_request { REQ_KEEP, REQ_PLACE, REQ_REOPEN, REQ_REOPEN_HANDBACK };
enum calloff_approval { APR_KEEP, APR_FILE, APR_APPROVE, APR_REJECT, APR_WITHDRAW };

struct calloff_transition_row {
	enum calloff_state from;
	enum calloff_event event;
	enum calloff_state to;
	enum calloff_who who;
	enum calloff_units units;
	enum calloff_beds beds;
	enum calloff_request request;
	enum calloff_approval approval;
};

/* The table, for tests and documentation: *n gets its length. */
const struct calloff_transition_row *calloff_table(int *n);
const char *calloff_event_text(int event);

struct rule_facts;

/* What an event needs besides the call-off. */
struct calloff_args {
	const char *note;      /* reject/approve note, cancel reason, hand-back reason code, suspension reason */
	const char *date;      /* hand-back notice date; vary: the old one's last day; unvary: the end
				* date restored; pause: from; resume: on; stop: the end date */
	int nights;            /* extend: nights in all */
	const char *detail;    /* more words for the audit row */
	/* accept and book: the approval to file when rules fired */
	const struct rule_facts *facts;
	unsigned fired;
	int64_t annual_cost;
	const char *due;
	int64_t *approval_id;  /* out, may be NULL */
	bool retain;           /* pause from a later date: the provider will keep the capacity */
};

/* Move call-off `id` by `event` to `to` (CS_ANY: the only row), inside
 * the caller's transaction. BR_CONFLICT when the table has no such row
 * ("call-off 7 is cancelled: it cannot be rejected"), BR_DENIED for a role
 * or a proposer the row does not allow. */
enum br_status calloff_transition(struct session *s, int64_t id, enum calloff_event event, enum calloff_state to,
				  const struct calloff_args *a, char **why);

/* A new call-off, status proposed (inside the caller's transaction); an
 * ACCEPT or BOOK transition follows in the same transaction. */
/* struct calloff_spec: records/calloff_rows.h. */
enum br_status calloff_create(struct session *s, const struct calloff_spec *spec, int64_t *id, char **why);

/* A provider hands back an active call-off: it stays active, marked handed
 * back, and holds its capacity until the notice date, when it ends; the
 * request reopens at once at the top of the queue, to start on that date. */
enum br_status calloff_handback(struct session *s, int64_t id, const char *reason,
				const char *notice_date, char **why);
/* Cancel before it starts (proposed, awaiting approval, approved):
 * capacity returns, the request reopens, a pending approval is withdrawn. */
enum br_status calloff_cancel(struct session *s, int64_t id, const char *reason, char **why);

/* ---- live packages (issue 16) ------------------------------------------------- */

#define PAUSE_REASON_LIST(X)                            \
	X(hospital, "in hospital")                      \
	X(respite_elsewhere, "in respite elsewhere")    \
	X(away, "away")                                 \
	X(other, "other")

#define END_REASON_LIST(X)                                  \
	X(no_longer_needed, "no longer needed")             \
	X(deceased, "deceased")                             \
	X(moved_away, "moved out of the area")              \
	X(changed_service, "moved to another service")      \
	X(person_choice, "the person's choice")

/* The reasons in list order, code and words, for the faces' pickers */
#define X(code, text) +1
enum { PAUSE_REASON_COUNT = 0 PAUSE_REASON_LIST(X), END_REASON_COUNT = 0 END_REASON_LIST(X) };
#undef X
extern const char *const calloff_pause_codes[PAUSE_REASON_COUNT], *const calloff_pause_texts[PAUSE_REASON_COUNT];
extern const char *const calloff_end_codes[END_REASON_COUNT], *const calloff_end_texts[END_REASON_COUNT];
int pause_reason_find(const char *code);
int end_reason_find(const char *code);
const char *end_reason_text(const char *code);
const char *pause_reason_text(const char *code);

/* Change the units of an active call-off from a date: it ends the day
 * before (status varied: its capacity passes to the new one), and a new
 * call-off linked to it starts on the date. Capacity moves by the
 * difference only: an increase needs that much free. An increase runs the
 * approval rules on the new call-off (over the threshold: it waits for a
 * supervisor, and the old one runs on until it is decided); a decrease
 * needs no approval. A rejected or cancelled variation restores the old one.
 * *new_id gets the new call-off. */
enum br_status calloff_vary(struct session *s, int64_t id, int64_t units, const char *from, const char *reason,
			    int64_t *new_id, char **why);
/* The same for the units, the unit rate or the funding split (the
 * council's share, as request --asc-pct): 0 units or rate, or asc_pct -1,
 * keeps that term. An increase (a dearer week, or a bigger council share of
 * it) runs the approval rules on the new call-off; the capacity still moves
 * by the units' difference only. */
struct vary_terms {
	int64_t units, rate;
	int asc_pct;
};
enum br_status calloff_vary_terms(struct session *s, int64_t id, const struct vary_terms *t, const char *from,
				  const char *reason, int64_t *new_id, char **why);
/* Pause an active call-off from a date for a reason: retain = the
 * provider keeps the capacity on a retainer (config retainer.share_pct of
 * the weekly cost, for up to retainer.days days; past that the capacity
 * goes back and Home says so), else it is released. From today or before it
 * is paused now; from a later date the pause is scheduled: the call-off
 * stays active (and keeps its capacity) until the clock reaches the date,
 * and a resume before then calls the pause off. One scheduled pause at a
 * time; a call-off with one is not varied until it is called off. */
enum br_status calloff_pause(struct session *s, int64_t id, const char *from, const char *reason, bool retain,
			     char **why);
/* Resume a paused call-off on a date (today or before, not before the
 * pause): a released one needs its capacity back. On an active call-off
 * with a pause scheduled, the pause is called off (nothing else changes). */
enum br_status calloff_resume(struct session *s, int64_t id, const char *on, char **why);
/* End a call-off from a date with a reason (END_REASON_LIST): today or
 * before, it ends now and the capacity returns; a later date keeps the care
 * and the capacity until that date, when the clock ends it. */
enum br_status calloff_end(struct session *s, int64_t id, const char *from, const char *reason, char **why);
/* End or cancel every call-off of a person (user id), inside the caller's
 * transaction: those under way end on `date` (deceased), those not started
 * are cancelled. *ended and *cancelled get how many. */
enum br_status calloffs_end_person(struct session *s, int64_t user_id, const char *date, const char *reason,
				   int *ended, int *cancelled, char **why);

/* One step of a package's history, oldest first: the call-offs of the
 * chain (the original and its variations) and the pauses. */
struct calloff_event_row {
	char date[11];
	char what[32];        /* placed, varied, paused, resumed, retainer lapsed, ended, ... */
	int64_t calloff_id, units, weekly_cost;
	char who[33];
	char why[128];
};
/* The package history of the chain call-off `id` belongs to; *rows is
 * malloc'd (the caller frees), *n its length. */
enum br_status calloff_history(struct session *s, int64_t id, struct calloff_event_row **rows, int *n, char **why);

/* The weekly cost this call-off is costing now: its weekly cost while
 * active, the retainer while paused on one, nothing once released. */
int64_t calloff_weekly_now(const struct session *s, const struct calloff_info *c);
/* The same rule from a status and a weekly cost (the Person screen's sums). */
int64_t calloff_weekly_for(const struct session *s, const char *status, int64_t weekly_cost);

/* Who pays a weekly figure: funded nursing care (the NHS's contribution
 * at the rate in force on `day`, config fnc_rates; never more than the
 * figure, none on a package the NHS pays in full) comes off first, and the
 * rest is split by the council's share. council + nhs == weekly; fnc is the
 * part of nhs that is funded nursing care. */
struct funding_split {
	int64_t council, nhs, fnc;
};
struct br_config;
void funding_split_of(const struct br_config *cfg, int64_t weekly, int asc_pct, bool fnc, int64_t day,
		      struct funding_split *out);

/* Call-offs whose retainer ran out and are still paused: Home tells the team. */
enum br_status calloffs_retainers_lapsed(struct session *s, int *n, char **why);

/* The clock moving on (audited as "system"): approved call-offs whose start
 * date has come become active, and every call-off whose end date has come
 * ends (capacity returns). *n gets how many changed. Run when a session
 * opens. */
enum br_status calloffs_activate_due(struct session *s, int *n, char **why);

#endif
