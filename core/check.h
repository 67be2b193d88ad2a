/* check.h — `brokerage check`: config, integrity, foreign keys, audit chain. */
#ifndef BR_CHECK_H
#define BR_CHECK_H

#include "status.h"

struct session;

/* Each finding goes to the callback: ok = 1 for a passed check, 0 for a
 * problem. Returns BR_OK when every check passed, BR_DATA when any found a
 * problem (the callback has had each), or another status if a check could
 * not run. */
typedef void (*check_fn)(void *ctx, int ok, const char *line);

enum br_status check_run(struct session *s, check_fn report, void *ctx, char **why);

#endif
