/* users.h — who may use the program, with what role (admins). */
#ifndef BR_USERS_H
#define BR_USERS_H

#include <stdint.h>

#include "session.h"
#include "status.h"

enum br_status user_add(struct session *s, const char *login, const char *name, const char *role,
			int64_t limit, char **why);
enum br_status user_set_role(struct session *s, const char *login, const char *role, int64_t limit,
			     char **why);
enum br_status user_disable(struct session *s, const char *login, char **why);
/* Every user, by login; the callback gets each. */
enum br_status user_list(struct session *s, void (*each)(void *ctx, const struct br_user *u), void *ctx,
			 char **why);

#endif
