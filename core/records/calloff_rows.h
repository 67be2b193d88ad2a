/* calloff_rows.h — a call-off's row and what the lifecycle writes beside
 * it: the row read whole, a new row, its status and dates, the capacity
 * its units take or give back, the request it places or reopens, the ids
 * the clock finds due. The SQL of the lifecycle (lifecycle/calloff.c),
 * which alone calls the writers (make check-layering): every change of
 * status still goes through calloff_transition(). */
#ifndef BR_CALLOFF_ROWS_H
#define BR_CALLOFF_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct session;

/* A call-off as the faces and the lifecycle read it. */
struct calloff_info {
	int64_t id, request_id, provider_id;
	char provider[96];
	char tier[12];
	char override_kind[20], override_reason[256];
	bool continuity;
	char service[4], locality[9];
	int64_t unit_rate, units, weekly_cost;
	int64_t held;           /* the units it holds at the provider: its units, or more while a
				 * decrease waits for its date (schemas/018) */
	int asc_pct;
	char start[11], end[11];
	char status[20];
	char proposed_by[33];
	char handback_notice[11]; /* "" unless handed back: the care ends on it */
	char handback_reason[20];
	char ended_reason[128];
	char rules[200];        /* approval rules that fired (codes, for scripts), "" = none */
	char rules_words[400];  /* the same in words with the figures, for people */
	int64_t varied_from;    /* the call-off this one varied, 0 = none */
	int64_t varied_to;      /* the call-off that varied this one, 0 = none */
	char change_reason[128];
	char pause_from[11];    /* a pause scheduled from this later date, "" = none */
	bool pause_retain;      /* that pause keeps the capacity on a retainer */
	bool s117;              /* Section 117 aftercare: free at the point of use */
	bool fnc;               /* a nursing placement with funded nursing care from the NHS */
};

/* What a new call-off is made of (calloff_create, lifecycle/calloff.h). */
struct calloff_spec {
	int64_t request_id, provider_id, offer_id;
	const char *tier, *override_kind, *override_reason;
	const char *service, *locality;
	int64_t unit_rate, units;
	int64_t held;              /* 0: it holds its units; more: a decrease until it starts */
	int asc_pct;
	const char *start, *end;   /* end NULL: open-ended */
	bool continuity;
};

/* ---- reading ----------------------------------------------------------------- */

/* The call-off, with its provider's name, the rules that fired, the one
 * that varied it and a pause scheduled; BR_NOTFOUND if there is none. */
enum br_status calloff_rows_get(struct session *s, int64_t id, struct calloff_info *c, char **why);
/* The provider's free capacity for the call-off's service and locality
 * now; -1 when it keeps none there. */
enum br_status calloff_rows_capacity_free(struct session *s, const struct calloff_info *c, int64_t *free_now,
					  char **why);

/* The ids of call-offs the clock finds due today (*ids malloc'd, the caller frees). */
enum calloff_rows_due {
	CALLOFF_DUE_ACTIVATE, /* approved, its start date come */
	CALLOFF_DUE_END,      /* under way, its end date come (respite: the morning after its last night) */
	CALLOFF_DUE_VARIED,   /* varied, past its last day, its successor not awaiting approval */
	CALLOFF_DUE_RETAINER, /* paused on a retainer run out */
	CALLOFF_DUE_PAUSE,    /* active, a pause scheduled from today or before */
};
enum br_status calloff_rows_due(struct session *s, enum calloff_rows_due which, int64_t **ids, int *n, char **why);
/* A person's (user id) call-offs not over, oldest first, into a heap
 * array the caller frees. */
enum br_status calloff_rows_live_of_person(struct session *s, int64_t user_id, int64_t **ids, int *n, char **why);

/* ---- writing: the lifecycle's alone, inside its transaction ------------------ */

/* A new call-off, status proposed; Section 117 and funded nursing care
 * from the person (FNC only on RES). */
enum br_status calloff_rows_insert(struct session *s, const struct calloff_spec *spec, int64_t *id, char **why);
/* The new call-off of a variation linked to the one it varies. */
enum br_status calloff_rows_link_variation(struct session *s, int64_t id, int64_t varied_from, const char *reason,
					   char **why);
/* The call-off's units taken from its provider's capacity (BR_CONFLICT,
 * with who took the last of it, when too few are free; none kept there
 * for a spot or out-of-locality provider is no refusal), or given back. */
/* A call-off that held more than its units (a decrease waiting for its
 * date) gives the rest back as it starts. */
enum br_status calloff_rows_release_held(struct session *s, const struct calloff_info *c, char **why);
enum br_status calloff_rows_move_units(struct session *s, const struct calloff_info *c, bool take, char **why);
/* The call-off moves from status `from` to `to`; NULL keeps a reason or
 * a notice as it is, end NULL is open-ended. BR_CONFLICT when it is no
 * longer `from`. */
struct calloff_rows_change {
	const char *from, *to;
	const char *end;
	int64_t units;                  /* the weekly cost follows them */
	const char *ended_reason, *handback_reason, *handback_notice;
};
enum br_status calloff_rows_set_state(struct session *s, int64_t id, const struct calloff_rows_change *ch, char **why);
/* Its request placed (BR_CONFLICT: no longer open). */
enum br_status calloff_rows_place_request(struct session *s, const struct calloff_info *c, char **why);
/* Its request reopened (a hand-back: at the top of the queue, to start on
 * the call-off's end date), audited with why_text; only a placed request
 * no other live call-off holds, else nothing is done. */
enum br_status calloff_rows_reopen_request(struct session *s, const struct calloff_info *c, bool handback,
					   const char *why_text, char **why);

#endif
