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

/* Check the audit chain against heads a witness kept outside the database:
 * the lines "audit-head db=PATH seq=N hash=HEX" that every committed write
 * sent to syslog (store.h), read from a log file the caller names (opened
 * with the caller's own rights). Lines for other databases are skipped.
 * A head whose row is gone (the tail was cut) or whose hash differs (the
 * chain was rewritten) is a problem naming the first sequence that
 * differs; so is a log with no heads for this database. */
enum br_status check_witness(struct session *s, const char *log_path, check_fn report, void *ctx,
			     char **why);

#endif
