/* demo.h — the demo generator: a development tool, linked into
 * build/brokerage-demo, the unit tests and the bench, never into the
 * installed brokerage. */
#ifndef BR_DEMO_H
#define BR_DEMO_H

#include "init.h"

/* Fill a freshly migrated, empty database with deterministic demo data at
 * opts->scale_permille from opts->seed (an init_demo_fn: init_database
 * calls it inside the side file it builds the demo in). */
enum br_status demo_build(struct store *s, const struct br_config *cfg,
			  const struct init_options *opts, struct init_report *rep, char **why);

#endif
