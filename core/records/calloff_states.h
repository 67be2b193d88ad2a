/* calloff_states.h — the states a call-off can be in, and every group of
 * them the program reasons about, in one table. Each group is a column:
 * the C predicate (calloff_state_in) and the SQL fragment (CALLOFF_SQL_*)
 * are made from it, so no list of states is written anywhere else. The
 * transitions between the states are the lifecycle's (lifecycle/calloff.h).
 *
 *   holds   holds its capacity (or its bed): what capacity.free counts
 *   live    not over: a closed or deceased person has none
 *   unstarted  not begun yet: cancelled, not ended, when care cannot go ahead
 *   running under way: a pause, a variation or an end applies to it
 *   placed  accepted and not withdrawn: the reports' "placed"
 *   night   a respite booking in this state occupies its bed on each of
 *           its nights (an ended stay did, on the nights it ran)
 */
#ifndef BR_CALLOFF_STATES_H
#define BR_CALLOFF_STATES_H

#include <stdbool.h>

/*      id               code                 holds live unstarted running placed night */
#define CALLOFF_STATE_LIST(X)                                                   \
	X(PROPOSED,        "proposed",          0,    1,   1,        0,      0,     0) \
	X(AWAITING,        "awaiting_approval", 1,    1,   1,        0,      1,     1) \
	X(APPROVED,        "approved",          1,    1,   1,        0,      1,     1) \
	X(ACTIVE,          "active",            1,    1,   0,        1,      1,     1) \
	X(ENDED,           "ended",             0,    0,   0,        0,      1,     1) \
	X(REJECTED,        "rejected",          0,    0,   0,        0,      0,     0) \
	X(CANCELLED,       "cancelled",         0,    0,   0,        0,      0,     0) \
	X(PAUSED,          "paused",            1,    1,   0,        1,      1,     0) \
	X(PAUSED_RELEASED, "paused_released",   0,    1,   0,        1,      1,     0) \
	X(VARIED,          "varied",            0,    1,   0,        1,      1,     0)

enum calloff_state {
#define X(id, code, ...) CS_##id,
	CALLOFF_STATE_LIST(X)
#undef X
	CS_COUNT,
	CS_ANY = -1 /* as a target: the table's only row for (from, event) */
};

enum calloff_group { CG_HOLDS, CG_LIVE, CG_UNSTARTED, CG_RUNNING, CG_PLACED, CG_NIGHT, CG_COUNT };

/* Is a call-off in this state (a CS_ value; -1 or out of range: no) in the group? */
bool calloff_state_in(int state, enum calloff_group g);
/* The same by the state's code ("paused"); an unknown code is in no group. */
bool calloff_status_in(const char *code, enum calloff_group g);
const char *calloff_state_code(int state);
int calloff_state_find(const char *code);

/* The SQL: COL (a column expression, a literal) IN the group's codes, as a
 * string literal, e.g. CALLOFF_SQL_LIVE("c.status") gives
 * "c.status IN ('proposed', 'awaiting_approval', …)". The list opens with
 * '' (no call-off's status) so that every group has a first item to
 * follow; a partial index on a group is written with the same text
 * (schemas/016, tested). */
#define CS_SQL_IN_1(code) ", '" code "'"
#define CS_SQL_IN_0(code)
#define CS_SQL_HOLDS(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##holds(code)
#define CS_SQL_LIVE(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##live(code)
#define CS_SQL_UNSTARTED(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##unstarted(code)
#define CS_SQL_RUNNING(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##running(code)
#define CS_SQL_PLACED(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##placed(code)
#define CS_SQL_NIGHT(id, code, holds, live, unstarted, running, placed, night) CS_SQL_IN_##night(code)
#define CALLOFF_SQL_HOLDS(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_HOLDS) ")"
#define CALLOFF_SQL_LIVE(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_LIVE) ")"
#define CALLOFF_SQL_UNSTARTED(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_UNSTARTED) ")"
#define CALLOFF_SQL_RUNNING(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_RUNNING) ")"
#define CALLOFF_SQL_PLACED(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_PLACED) ")"
#define CALLOFF_SQL_NIGHT(col) col " IN (''" CALLOFF_STATE_LIST(CS_SQL_NIGHT) ")"
/* over: not live */
#define CALLOFF_SQL_OVER(col) col " NOT IN (''" CALLOFF_STATE_LIST(CS_SQL_LIVE) ")"

#endif
