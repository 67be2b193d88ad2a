/* capacity.h — one write of a capacity figure, for every writer that
 * reports one (capacity set, an import), and what it is measured against.
 *
 * A provider reports what it has free. From then on each call-off that
 * takes capacity lowers capacity.free by its units and each that gives it
 * back raises it (lifecycle/calloff.c, the units column of its table), so
 *     capacity.free + units held by call-offs = basis
 * at every moment, where basis is the figure reported plus what call-offs
 * held that day (schemas/017). records/invariants.c proves it. Respite
 * (RSP) counts beds a night at a time instead. */
#ifndef BR_CAPACITY_H
#define BR_CAPACITY_H

#include <stdint.h>

#include "calloff_states.h"
#include "status.h"

struct store;

/* The units call-offs hold at a provider for a (service, locality): SQL
 * over three column expressions. A call-off holds its units, or held_units
 * while a decrease waits for its date (schemas/018). */
#define CAPACITY_HELD(PROVIDER, SERVICE, LOCALITY)                                          \
	"(SELECT coalesce(sum(coalesce(h.held_units, h.units)), 0) FROM calloff h WHERE h.provider_id = " PROVIDER \
	" AND h.service = " SERVICE " AND h.locality = " LOCALITY " AND "                  \
	CALLOFF_SQL_HOLDS("h.status") ")"

/* A reported figure: capacity.free and updated_at (stamp), the day it was
 * reported (reported_on, YYYY-MM-DD) and its basis. Inside the caller's
 * transaction; the caller checks the values and writes the audit. */
enum br_status capacity_write(struct store *st, int64_t provider_id, const char *service,
			      const char *locality, int64_t free_units, const char *stamp,
			      const char *reported_on, char **why);

/* The lot a placement draws on (issue 26, finding 2): the provider's
 * figure for (service, locality) when it keeps one; otherwise, for a
 * placement out of the provider's localities, the figure of the locality
 * where it delivers that has the most free (lot gets that locality). No
 * figure anywhere: *free_units = -1 and lot is the locality asked for
 * (none free, except for a spot purchase, which keeps no capacity). */
enum br_status capacity_lot(struct store *st, int64_t provider_id, const char *service, const char *locality,
			    char lot[9], int64_t *free_units, char **why);

/* Make every reported figure's basis what today's figures and call-offs
 * say (a database made in one go, as the demo is). */
enum br_status capacity_rebase_all(struct store *st, char **why);

#endif
