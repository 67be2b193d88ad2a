/* users.c — the people who use the program and their roles (admins). */
#include "users.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static enum br_status check_login(const char *login, char **why)
{
	size_t n = login ? strlen(login) : 0;
	if (n < 1 || n > 32)
		return br_fail(why, BR_DATA, "a login is 1 to 32 characters");
	for (const char *p = login; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return br_fail(why, BR_DATA, "login \"%s\": lower-case letters, digits, . _ - only", login);
	return BR_OK;
}

static enum br_status user_write(struct session *s, const char *sql, const char *login, const char *name,
				 const char *role, int64_t limit, const char *action, const char *detail,
				 char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, sql, why);
	if (!q) {
		store_rollback(s->store);
		return BR_INTERNAL;
	}
	char now[21];
	clock_stamp(clock_now(), now);
	store_bind_text(q, 1, login);
	store_bind_text(q, 2, name);
	store_bind_text(q, 3, role);
	if (limit >= 0)
		sqlite3_bind_int64(q, 4, limit);
	else
		sqlite3_bind_null(q, 4);
	store_bind_text(q, 5, now);
	int rc = sqlite3_step(q);
	store_done(q);
	if (rc != SQLITE_DONE) {
		st = (rc & 0xff) == SQLITE_CONSTRAINT ? br_fail(why, BR_CONFLICT, "login '%s' already exists", login)
						     : store_error(s->store, rc, "writing users", why);
		store_rollback(s->store);
		return st;
	}
	if (sqlite3_changes(store_db(s->store)) == 0) {
		store_rollback(s->store);
		return br_fail(why, BR_NOTFOUND, "no user '%s'", login);
	}
	if ((st = audit_append(s->store, s->user.login, action, "user", login, detail, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

enum br_status user_add(struct session *s, const char *login, const char *name, const char *role,
			int64_t limit, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "adding users", why);
	if (st != BR_OK || (st = check_login(login, why)) != BR_OK)
		return st;
	if (!role_valid(role))
		return br_fail(why, BR_DATA, "role \"%s\" is not officer, supervisor, oncall, admin or viewer", role);
	if (limit >= 0 && strcmp(role, "supervisor") != 0)
		return br_fail(why, BR_DATA, "an approval limit is for supervisors");
	/* a name is a name as people's and providers' are (text_name); left
	 * out, it is the login */
	enum text_name named = name ? text_name(name, sizeof s->user.name - 1) : TEXT_NAME_OK;
	char shown[72];
	text_sanitise(name, shown, sizeof shown);
	if (named == TEXT_NAME_BLANK)
		return br_fail(why, BR_DATA, "name \"%s\" is empty: leave it out and the login is the name", shown);
	if (named == TEXT_NAME_UNCLEAN)
		return br_fail(why, BR_DATA, "name \"%s\" is not a name (printable, %zu characters at most)", shown,
			       sizeof s->user.name - 1);
	char detail[120];
	snprintf(detail, sizeof detail, "role=%s limit=%lld", role, (long long)limit);
	return user_write(s, "INSERT INTO users(login, name, role, approval_limit, created_at) VALUES (?1,?2,?3,?4,?5)",
			  login, name ? name : login, role, limit, "user.add", detail, why);
}

enum br_status user_set_role(struct session *s, const char *login, const char *role, int64_t limit, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "changing roles", why);
	if (st != BR_OK)
		return st;
	if (!role_valid(role))
		return br_fail(why, BR_DATA, "role \"%s\" is not officer, supervisor, oncall, admin or viewer", role);
	if (limit >= 0 && strcmp(role, "supervisor") != 0)
		return br_fail(why, BR_DATA, "an approval limit is for supervisors");
	if (strcmp(login, s->user.login) == 0 && strcmp(role, "admin") != 0)
		return br_fail(why, BR_DENIED, "an admin cannot take away their own admin role");
	char detail[120];
	snprintf(detail, sizeof detail, "role=%s limit=%lld", role, (long long)limit);
	return user_write(s, "UPDATE users SET role = ?3, approval_limit = ?4 WHERE login = ?1", login, NULL, role, limit, "user.set-role", detail, why);
}

enum br_status user_disable(struct session *s, const char *login, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "disabling users", why);
	if (st != BR_OK)
		return st;
	if (strcmp(login, s->user.login) == 0)
		return br_fail(why, BR_DENIED, "an admin cannot disable themselves");
	return user_write(s, "UPDATE users SET disabled = 1 WHERE login = ?1", login, NULL, NULL, -1, "user.disable", "", why);
}

enum br_status user_list(struct session *s, void (*each)(void *ctx, const struct br_user *u), void *ctx,
			 char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "listing users", why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, "SELECT login FROM users ORDER BY login", why);
	if (!q)
		return BR_INTERNAL;
	char logins[512][33];
	int n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && n < 512)
		store_col_text(q, 0, logins[n++], 33);
	store_done(q);
	for (int i = 0; i < n; i++) {
		struct br_user u;
		if ((st = session_user_get(s->store, logins[i], &u, why)) != BR_OK)
			return st;
		each(ctx, &u);
	}
	return BR_OK;
}
