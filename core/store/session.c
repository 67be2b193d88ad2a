#include "session.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_internal.h"
#include "util.h"

enum br_status session_os_login(char *out, size_t outsz, char **why)
{
	struct passwd *pw = getpwuid(getuid());
	if (!pw || !pw->pw_name || !*pw->pw_name)
		return br_fail(why, BR_DENIED, "cannot tell who you are: uid %u has no login name",
			       (unsigned)getuid());
	text_copy(out, outsz, pw->pw_name);
	return BR_OK;
}

enum br_status session_user_get(struct store *s, const char *login, struct br_user *u, char **why)
{
	sqlite3_stmt *st = store_stmt(s, STMT_USER_GET,
		"SELECT login, name, role, coalesce(approval_limit, -1), disabled "
		"FROM users WHERE login = ?", why);
	if (!st)
		return BR_INTERNAL;
	store_bind_text(st, 1, login);
	int rc = sqlite3_step(st);
	enum br_status result = BR_OK;
	if (rc == SQLITE_ROW) {
		memset(u, 0, sizeof *u);
		store_col_text(st, 0, u->login, sizeof u->login);
		store_col_text(st, 1, u->name, sizeof u->name);
		store_col_text(st, 2, u->role, sizeof u->role);
		u->approval_limit = sqlite3_column_int64(st, 3);
		u->disabled = sqlite3_column_int(st, 4) != 0;
	} else if (rc == SQLITE_DONE) {
		result = br_fail(why, BR_NOTFOUND, "no user '%s'", login);
	} else {
		result = store_error(s, rc, "reading users", why);
	}
	store_done(st);
	return result;
}

static void apply_zone(const struct br_config *cfg)
{
	if (cfg->timezone[0]) {
		setenv("TZ", cfg->timezone, 1);
		tzset();
	}
}

enum br_status session_clock(bool demo, char **why)
{
	/* A fixed clock is for demos and tests only: on a live database the
	 * audit rows and the dates are the system clock's. */
	const char *now = getenv("BROKERAGE_NOW");
	if (!now || !*now)
		return BR_OK;
	if (!demo)
		return br_fail(why, BR_DENIED, "BROKERAGE_NOW (a fixed clock) is refused: it works only "
					       "on a demo database, and this one is live");
	time_t t;
	if (clock_parse(now, &t, NULL) != BR_OK)
		return br_fail(why, BR_USAGE, "BROKERAGE_NOW: \"%s\" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", now);
	clock_fix(t);
	return BR_OK;
}

enum br_status session_open_config(struct session **out, const char *config_path, char **why)
{
	*out = NULL;
	struct session *s = calloc(1, sizeof *s);
	if (!s)
		return br_fail(why, BR_NOMEM, "out of memory");
	char path[PATH_MAX];
	enum br_status st = config_locate(config_path, path, sizeof path, why);
	if (st == BR_OK)
		st = config_load(&s->cfg, path, why);
	if (st != BR_OK) {
		free(s);
		return st;
	}
	apply_zone(&s->cfg);
	*out = s;
	return BR_OK;
}

enum br_status session_connect(struct session **out, const char *config_path,
			       const char *as_login, char **why)
{
	struct session *s;
	enum br_status st = session_open_config(&s, config_path, why);
	if (st != BR_OK)
		return st;
	char login[64];
	if ((st = store_open(&s->store, s->cfg.database, s->cfg.busy_timeout_ms, STORE_EXISTING,
			     why)) != BR_OK)
		goto fail;
	store_witness_key_use(s->store, s->cfg.witness_key);
	if ((st = store_is_demo(s->store, &s->demo, why)) != BR_OK)
		goto fail;
	if (as_login) {
		if (!s->demo) {
			st = br_fail(why, BR_DENIED, "--as is refused: it works only on a demo database "
						     "(made by brokerage-demo init --demo), and %s is live", s->cfg.database);
			goto fail;
		}
		text_copy(login, sizeof login, as_login);
		s->demo_identity = true;
	} else if ((st = session_os_login(login, sizeof login, why)) != BR_OK) {
		goto fail;
	}
	if ((st = session_clock(s->demo, why)) != BR_OK)
		goto fail;
	st = session_user_get(s->store, login, &s->user, NULL);
	if (st == BR_NOTFOUND) {
		st = br_fail(why, BR_DENIED, "login '%s' is not a brokerage user; ask an admin to add you",
			     login);
		goto fail;
	}
	if (st != BR_OK) {
		st = session_user_get(s->store, login, &s->user, why);
		goto fail;
	}
	if (s->user.disabled) {
		st = br_fail(why, BR_DENIED, "login '%s' is disabled; ask an admin", login);
		goto fail;
	}
	*out = s;
	return BR_OK;
fail:
	session_close(&s);
	return st;
}

void session_idle(struct session *s)
{
	if (s)
		store_witness_due(s->store);
}

void session_close(struct session **sp)
{
	if (!sp || !*sp)
		return;
	store_close(&(*sp)->store);
	free(*sp);
	*sp = NULL;
}

bool session_role_in(const struct session *s, const char *const *roles)
{
	for (; *roles; roles++)
		if (strcmp(s->user.role, *roles) == 0)
			return true;
	return false;
}

enum br_status session_require(const struct session *s, const char *const *roles,
			       const char *what, char **why)
{
	if (session_role_in(s, roles))
		return BR_OK;
	return br_fail(why, BR_DENIED, "%s is not allowed for role %s (login %s)", what,
		       s->user.role, s->user.login);
}

static const char *const *cap_roles(enum br_cap cap)
{
	static const char *const broker[] = {"officer", "supervisor", NULL};
	static const char *const approve[] = {"supervisor", NULL};
	static const char *const audit[] = {"admin", "supervisor", NULL};
	static const char *const admin[] = {"admin", NULL};
	static const char *const export_[] = {"admin", "supervisor", "viewer", NULL};
	static const char *const respite[] = {"officer", "supervisor", "oncall", NULL};
	static const char *const reports[] = {"supervisor", "admin", "viewer", NULL};
	static const char *const reports_queue[] = {"officer", "supervisor", "admin", "viewer", NULL};
	static const char *const refer[] = {"officer", "supervisor", "admin", NULL};
	static const char *const suspend[] = {"supervisor", "admin", NULL};
	switch (cap) {
	case CAP_BROKER: return broker;
	case CAP_APPROVE: return approve;
	case CAP_AUDIT: return audit;
	case CAP_ADMIN: return admin;
	case CAP_EXPORT: return export_;
	case CAP_CHECK: return audit;
	case CAP_RESPITE: return respite;
	case CAP_REPORTS: return reports;
	case CAP_REPORTS_QUEUE: return reports_queue;
	case CAP_REFER: return refer;
	case CAP_SUSPEND: return suspend;
	default: return admin;
	}
}

bool session_may(const struct session *s, enum br_cap cap)
{
	return session_role_in(s, cap_roles(cap));
}

enum br_status session_require_cap(const struct session *s, enum br_cap cap, const char *what, char **why)
{
	return session_require(s, cap_roles(cap), what, why);
}
