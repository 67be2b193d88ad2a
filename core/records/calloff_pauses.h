/* calloff_pauses.h — the rows of calloff_pause (schema 008): a call-off's
 * pauses, written by the lifecycle's pause, pause_begin, pause_cancel,
 * retainer and resume transitions (lifecycle/calloff.c, which alone calls
 * the writers), and read back for a resume, the package history and Home.
 * Every query of a pause under way reads begun = 1 AND cancelled_on IS NULL. */
#ifndef BR_CALLOFF_PAUSES_H
#define BR_CALLOFF_PAUSES_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* ---- the writers: the lifecycle's alone, inside its transaction ---------------- */

/* A new pause. begun 0: scheduled from a later date. */
struct calloff_pause_new {
	const char *reason, *from;
	bool retain, begun;
	const char *retain_until; /* NULL unless retained */
	int retain_pct;           /* 0 unless retained */
	const char *released_on;  /* NULL unless released at once */
};
enum br_status calloff_pauses_add(struct session *s, int64_t calloff_id, const struct calloff_pause_new *p, char **why);
/* The pause scheduled for later begins (released on its date unless retained). */
enum br_status calloff_pauses_begin(struct session *s, int64_t calloff_id, char **why);
/* The pause scheduled for later called off by the session's login (a resume before it begins). */
enum br_status calloff_pauses_unpause(struct session *s, int64_t calloff_id, const char *today, char **why);
/* The pause scheduled for later called off because the care is over. */
enum br_status calloff_pauses_call_off(struct session *s, int64_t calloff_id, const char *today, char **why);
/* The retainer ran out: released today. */
enum br_status calloff_pauses_release(struct session *s, int64_t calloff_id, const char *today, char **why);
/* The pause under way ends: resumed on `on` by the session's login. */
enum br_status calloff_pauses_resume(struct session *s, int64_t calloff_id, const char *on, char **why);

/* ---- the readers ----------------------------------------------------------------- */

/* The date the pause under way began; out "" if none. */
enum br_status calloff_pauses_begun_from(struct session *s, int64_t calloff_id, char out[11], char released[11],
					 char **why);
/* Call-offs whose retainer ran out and are still paused (released). */
enum br_status calloff_pauses_lapsed(struct session *s, int *n, char **why);

/* One pause of a call-off, as it stands; "" for a date not reached. */
struct calloff_pause_row {
	char from[11];
	char reason[24];
	bool retain;
	char retain_until[11];
	int retain_pct;
	char released_on[11];
	bool retainer_lapsed;
	char resumed_on[11];
	char paused_by[33], resumed_by[33];
	bool begun;
	bool called_off;
};
/* fn on each pause of a call-off, oldest first, until it returns other than BR_OK. */
typedef enum br_status (*calloff_pause_fn)(void *ctx, const struct calloff_pause_row *p, char **why);
enum br_status calloff_pauses_each(struct session *s, int64_t calloff_id, calloff_pause_fn fn, void *ctx, char **why);

#endif
