/* world.h — the brokerage tests' hand-built world (world.c). */
#ifndef BR_TEST_WORLD_H
#define BR_TEST_WORLD_H

#include <stdint.h>

#include "helpers.h"

/* the world's fixture: one per test process (Criterion runs each test in
 * its own), shared by the four files of brokerage tests */
extern struct fixture fx;

/* Providers: 1 Premier (primary WAL), 2 Alliance (consortium: secondary WAL,
 * primary WW), 3 Community Caring (member of 2), 5 Haven (primary SW,
 * secondary WW), 8 and 9 peripheral, 20 registered on HC and SL in WAL,
 * 21 on SL only, 22 suspended, 23 covers BIR only, 24 rated Inadequate;
 * people SU1 (WAL, LD), SU2 (WW, AUT), SU3 (WAL, LD). */
void world_open(void);
/* the world and respite beds: 40 has 2 in WAL, 41 one in BIR, 42 one in SW
 * (AUT only), 43 one in WW but suspended, 44 one in WW; sup2 a supervisor */
void world_respite(void);
void world_close(void);

/* a routine ASC request made by the session, or the test fails */
int64_t world_request(const char *ref, const char *service, int64_t units, const char *start);
enum br_status world_offer(int64_t req, int64_t provider, int64_t *id, char **why);
int64_t world_offer_ok(int64_t req, int64_t provider);
void world_decline(int64_t offer_id);
/* the session becomes LOGIN's */
void world_as(const char *login);
/* 40 hours at 21 pounds = 840 a week, above the home care threshold,
 * accepted from Premier: the call-off waits for approval */
int64_t world_expensive(void);

#endif
