/* opening.h — a session as an officer starts one. */
#ifndef BR_OPENING_H
#define BR_OPENING_H

#include "session.h"

/* session_connect (the config, the database, the user), then the call-offs
 * whose start day has come are activated: a busy database can wait for the
 * next session, so a failure there is not the person's problem. What every
 * face (the screens, the command line) calls to begin. */
enum br_status session_open(struct session **out, const char *config_path,
			    const char *as_login, char **why);

#endif
