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
 *   awaits  an approval may be pending on it (an emergency booking's
 *           approval, filed afterwards, may also be pending while it is
 *           placed: records/invariants.c)
 *   paused  on a pause that has begun: its capacity kept or released
 */
#ifndef BR_CALLOFF_STATES_H
#define BR_CALLOFF_STATES_H

#include <stdbool.h>

/*      id               code                 holds live unstarted running placed night awaits paused */
#define CALLOFF_STATE_LIST(X, A)                                                        \
	X(PROPOSED,        "proposed",          0,    1,   1,        0,      0,     0,    0,      0, A) \
	X(AWAITING,        "awaiting_approval", 1,    1,   1,        0,      1,     1,    1,      0, A) \
	X(APPROVED,        "approved",          1,    1,   1,        0,      1,     1,    0,      0, A) \
	X(ACTIVE,          "active",            1,    1,   0,        1,      1,     1,    0,      0, A) \
	X(ENDED,           "ended",             0,    0,   0,        0,      1,     1,    0,      0, A) \
	X(REJECTED,        "rejected",          0,    0,   0,        0,      0,     0,    0,      0, A) \
	X(CANCELLED,       "cancelled",         0,    0,   0,        0,      0,     0,    0,      0, A) \
	X(PAUSED,          "paused",            1,    1,   0,        1,      1,     0,    0,      1, A) \
	X(PAUSED_RELEASED, "paused_released",   0,    1,   0,        1,      1,     0,    0,      1, A) \
	X(VARIED,          "varied",            0,    1,   0,        1,      1,     0,    0,      0, A)

enum calloff_state {
#define X(id, ...) CS_##id,
	CALLOFF_STATE_LIST(X, _)
#undef X
	CS_COUNT,
	CS_ANY = -1 /* as a target: the table's only row for (from, event) */
};

enum calloff_group { CG_HOLDS, CG_LIVE, CG_UNSTARTED, CG_RUNNING, CG_PLACED, CG_NIGHT, CG_AWAITS, CG_PAUSED, CG_COUNT };

/* Is a call-off in this state (a CS_ value; -1 or out of range: no) in the group? */
bool calloff_state_in(int state, enum calloff_group g);
/* The same by the state's code ("paused"); an unknown code is in no group. */
bool calloff_status_in(const char *code, enum calloff_group g);
const char *calloff_state_code(int state);
int calloff_state_find(const char *code);

/* The SQL: the group as a string literal over COL (a column expression,
 * a literal), e.g. CALLOFF_SQL_LIVE("c.status") gives
 * "(c.status = '' OR c.status = 'proposed' OR …)": OR chains, not an IN
 * list (SQLite builds a table for an IN list of more than two on every
 * evaluation: HACKING.md, "The schema"); '' (no call-off's status) gives
 * every group a first term. A partial index on a group is written with the
 * same text (schemas/016, tested). */
#define CS_SQL_OR_1(col, code) " OR " col " = '" code "'"
#define CS_SQL_OR_0(col, code)
#define CS_SQL_HOLDS(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##holds(col, code)
#define CS_SQL_LIVE(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##live(col, code)
#define CS_SQL_UNSTARTED(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##unstarted(col, code)
#define CS_SQL_RUNNING(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##running(col, code)
#define CS_SQL_PLACED(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##placed(col, code)
#define CS_SQL_NIGHT(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##night(col, code)
#define CS_SQL_AWAITS(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##awaits(col, code)
#define CS_SQL_PAUSED(id, code, holds, live, unstarted, running, placed, night, awaits, paused, col) CS_SQL_OR_##paused(col, code)
#define CALLOFF_SQL_HOLDS(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_HOLDS, col) ")"
#define CALLOFF_SQL_LIVE(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_LIVE, col) ")"
#define CALLOFF_SQL_UNSTARTED(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_UNSTARTED, col) ")"
#define CALLOFF_SQL_RUNNING(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_RUNNING, col) ")"
#define CALLOFF_SQL_PLACED(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_PLACED, col) ")"
#define CALLOFF_SQL_NIGHT(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_NIGHT, col) ")"
#define CALLOFF_SQL_AWAITS(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_AWAITS, col) ")"
#define CALLOFF_SQL_PAUSED(col) "(" col " = ''" CALLOFF_STATE_LIST(CS_SQL_PAUSED, col) ")"
/* over: not live */
#define CALLOFF_SQL_OVER(col) "NOT " CALLOFF_SQL_LIVE(col)

#endif
