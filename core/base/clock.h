/* clock.h — the clock: now (fixed for tests and demos), today, UTC stamps, UK local time. */
#ifndef BR_CLOCK_H
#define BR_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "status.h"

/* ---- the clock -------------------------------------------------------- */

/* Now, as seconds since the epoch. Tests and demo sessions may fix it with
 * clock_fix(); 0 returns to the wall clock. */
time_t clock_now(void);
void clock_fix(time_t t);
/* Today's date (UTC) as days since the epoch. */
int64_t clock_today(void);
/* UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void clock_stamp(time_t t, char out[21]);
/* Parse a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (or a bare date, midnight). */
enum br_status clock_parse(const char *in, time_t *t, char **why);
/* A UTC timestamp shown in UK local time: "22 Nov 2026 14:05" into out. */
void clock_local(time_t t, char *out, size_t outsz);

#endif
