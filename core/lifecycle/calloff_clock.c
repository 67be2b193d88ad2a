/* calloff_clock.c — the clock moving on (calloff.h, calloffs_activate_due): a call-off's
 * start and end dates, varied call-offs ending, pauses scheduled from a later date
 * beginning, retainers running out; each through calloff_transition(), as "system". */
#include "calloff.h"

#include <stdlib.h>

#include "calloff_rows.h"
#include "session.h"
#include "store.h"

/* The live-package events of the clock, inside the caller's transaction. */
static enum br_status live_due(struct session *s, int *m, char **why)
{
	int64_t *ids = NULL;
	int n = 0;
	enum br_status st = calloff_rows_due(s, CALLOFF_DUE_VARIED, &ids, &n, why);
	for (int i = 0; i < n && st == BR_OK; i++, (*m)++)
		st = calloff_transition(s, ids[i], CE_END, CS_ANY, NULL, why);
	free(ids);
	ids = NULL;
	if (st == BR_OK && (st = calloff_rows_due(s, CALLOFF_DUE_PAUSE, &ids, &n, why)) == BR_OK)
		for (int i = 0; i < n && st == BR_OK; i++, (*m)++) {
			struct calloff_info c;
			if ((st = calloff_get(s, ids[i], &c, why)) == BR_OK)
				st = calloff_transition(s, ids[i], CE_PAUSE_BEGIN, c.pause_retain ? CS_PAUSED
												   : CS_PAUSED_RELEASED, NULL, why);
		}
	free(ids);
	ids = NULL;
	if (st == BR_OK && (st = calloff_rows_due(s, CALLOFF_DUE_RETAINER, &ids, &n, why)) == BR_OK)
		for (int i = 0; i < n && st == BR_OK; i++, (*m)++)
			st = calloff_transition(s, ids[i], CE_RETAINER, CS_ANY, NULL, why);
	free(ids);
	return st;
}

enum br_status calloffs_activate_due(struct session *s, int *n, char **why)
{
	*n = 0;
	/* look before taking the write turn: usually there is nothing to do */
	int64_t *a = NULL, *e = NULL, *v = NULL, *r = NULL, *p = NULL;
	int na = 0, ne = 0, nv = 0, nr = 0, np = 0;
	enum br_status st = calloff_rows_due(s, CALLOFF_DUE_ACTIVATE, &a, &na, why);
	if (st == BR_OK)
		st = calloff_rows_due(s, CALLOFF_DUE_END, &e, &ne, why);
	if (st == BR_OK)
		st = calloff_rows_due(s, CALLOFF_DUE_VARIED, &v, &nv, why);
	if (st == BR_OK)
		st = calloff_rows_due(s, CALLOFF_DUE_RETAINER, &r, &nr, why);
	if (st == BR_OK)
		st = calloff_rows_due(s, CALLOFF_DUE_PAUSE, &p, &np, why);
	free(a);
	free(e);
	free(v);
	free(r);
	free(p);
	a = e = NULL;
	if (st != BR_OK || (na == 0 && ne == 0 && nv == 0 && nr == 0 && np == 0))
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	int m = 0;
	/* inside the turn, again: another session may have done it */
	if ((st = calloff_rows_due(s, CALLOFF_DUE_ACTIVATE, &a, &na, why)) == BR_OK)
		for (int i = 0; i < na && st == BR_OK; i++, m++)
			st = calloff_transition(s, a[i], CE_ACTIVATE, CS_ANY, NULL, why);
	if (st == BR_OK && (st = calloff_rows_due(s, CALLOFF_DUE_END, &e, &ne, why)) == BR_OK)
		for (int i = 0; i < ne && st == BR_OK; i++, m++)
			st = calloff_transition(s, e[i], CE_END, CS_ANY, NULL, why);
	if (st == BR_OK)
		st = live_due(s, &m, why);
	free(a);
	free(e);
	if (st != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	*n = m;
	return store_commit(s->store, why);
}
