/* invariants.h — the business rules a database keeps, as read-only
 * queries: `brokerage check` runs every one, the model test runs them as
 * its invariants, and the writers that could break one (an award, a
 * provider, an import) ask the same query about the row they are writing.
 * One query per rule, so there is no second copy to disagree with.
 *
 * The rules (DESIGN.md §2, issue 20):
 *   awards      one holder per tier per (service, locality) on any day;
 *               no provider awarded the same lot twice at once
 *   providers   names unique after folding; CQC location ids unique
 *   capacity    free + units held by call-offs = basis (capacity.h)
 *   beds        no night from tonight has more respite bookings than beds
 *   people      no live call-off, no open request, for a closed or
 *               deceased person (a deceased person's care may run to the
 *               day of death)
 *   requests    an open request waits in the queue (no live call-off
 *               unless it was handed back); a placed one has its call-off
 *   approvals   none pending on a call-off that is past it
 *   variations  a varied package's parts meet: the old part ends the day
 *               before the new one starts
 * Rates cannot overlap: their key is (provider, service, valid_from) and
 * the rate in force is the latest from on or before the day. */
#ifndef BR_INVARIANTS_H
#define BR_INVARIANTS_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct store;

enum invariant {
	INV_AWARDS, INV_PROVIDERS, INV_CAPACITY, INV_BEDS, INV_PEOPLE, INV_REQUESTS, INV_APPROVALS,
	INV_VARIATIONS, INV_LOTS, INV_PERSON_BEDS, INV_STARTS, INV_DECIDERS, INV_RATES, INV_PAUSES, INV_COUNT
};

/* "awards: one holder per tier per lot on any day", for check's ok line. */
const char *invariants_text(enum invariant rule);

/* Each violation: the rule and one line naming the rows. */
typedef void (*invariant_fn)(void *ctx, enum invariant rule, const char *line);

/* Run every rule over the whole database (tonight: respite_tonight(), a
 * day number). *found counts the violations; at most max_lines per rule
 * reach fn, then one "… and N more" line. */
enum br_status invariants_run(struct store *st, int64_t tonight, int max_lines, invariant_fn fn, void *ctx,
			      int *found, char **why);

/* An award as it is or would be written (id 0 for a new one; locality
 * NULL or "" for peripheral, to NULL or "" for open-ended). */
struct invariant_award {
	int64_t id, provider_id;
	const char *service, *locality, *tier, *from, *to;
	const char *label;  /* what to call it in the line ("this row"); NULL: "award N" */
};

/* The awards rule asked about one award: *other gets the first award that
 * would be in force beside it against the rule (0 when none), line the
 * rule's words, *same whether it is the same provider's. */
enum br_status invariants_award(struct store *st, const struct invariant_award *a, int64_t *other,
				int *same, char *line, size_t linesz, char **why);

/* The providers rule asked about one provider as it is or would be (id 0
 * for a new one; name folded by text_fold; cqc NULL or "" for none; label
 * as for an award): *other gets the provider it clashes with (0 when none). */
enum br_status invariants_provider(struct store *st, int64_t id, const char *label, const char *name_fold,
				   const char *cqc, int64_t *other, char *line, size_t linesz, char **why);

#endif
