/* privilege.h — the installed program is setgid `brokerage`: what it may
 * take from its caller, and how it writes files the caller names.
 *
 * The process is *elevated* when it holds a group its caller does not
 * have: the effective group differs from the real one, the caller is not
 * in that group, and the caller is not root. Only then is there something
 * to protect; a caller who could already write the database with sqlite3
 * (root, a member of the group, a plain build) gains nothing from it. */
#ifndef BR_PRIVILEGE_H
#define BR_PRIVILEGE_H

#include <stdbool.h>

#include "status.h"

/* Record the ids and scrub the environment. Call first thing in main. */
void priv_init(void);
/* True when the process holds a group its caller lacks (see above). */
bool priv_elevated(void);
/* The config path compiled in by `make install` (SYSCONFDIR/brokerage/
 * brokerage.cfg), or NULL for a build from the tree. */
const char *priv_installed_config(void);
/* The data directory compiled in by `make install`, or NULL. */
const char *priv_installed_datadir(void);

/* Act with the caller's own rights (drop the group) until priv_restore().
 * Every open, rename and unlink of a path from the command line happens
 * between the two. Nesting is not allowed. */
enum br_status priv_as_caller(char **why);
void priv_restore(void);

/* For the tests: pretend to be (or not be) elevated. */
void priv_pretend(int elevated);

#endif
