/* session.h — who is working, against which database, under which config.
 * Both faces (the CLI and the terminal UI) open one of these first. */
#ifndef BR_SESSION_H
#define BR_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "status.h"

struct store;

struct br_user {
	char login[33];
	char name[64];
	char role[12];            /* officer supervisor oncall admin viewer */
	int64_t approval_limit;   /* annual pence; -1 = none */
	bool disabled;
};

struct session {
	struct br_config cfg;
	struct store *store;
	struct br_user user;
	bool demo;                /* the database is a demo (meta demo = true) */
	bool demo_identity;       /* --as was used (demo only) */
};

/* The operating-system login of the real user id (getpwuid(getuid())),
 * never $USER or $LOGNAME. */
enum br_status session_os_login(char *out, size_t outsz, char **why);

/* Load the config (path may be NULL: see config_locate) and its time
 * zone, open the database and resolve the user: as_login when given
 * (refused unless the database is a demo), else the OS login. A login that
 * is not an enabled user is refused (BR_DENIED). $BROKERAGE_NOW fixes the
 * clock on a demo database and is refused on a live one. Nothing is
 * changed: flows/opening.c's session_open is what a face calls. */
enum br_status session_connect(struct session **out, const char *config_path,
			       const char *as_login, char **why);
/* The same without a user (init runs before there are any). */
enum br_status session_open_config(struct session **out, const char *config_path, char **why);
void session_close(struct session **s);
/* A quiet moment (the screen's tick): what waits to be sent goes (the
 * audit head to its witness, store_witness_due). */
void session_idle(struct session *s);

/* Apply $BROKERAGE_NOW: BR_OK when unset; refused unless demo. */
enum br_status session_clock(bool demo, char **why);

enum br_status session_user_get(struct store *s, const char *login, struct br_user *u, char **why);
/* What a role may do. Core checks these on every write; the screens ask the
 * same question to hide what the role cannot do. */
enum br_cap {
	CAP_BROKER,   /* requests, offers, responses, hand-backs: officer, supervisor */
	CAP_APPROVE,  /* approve or reject call-offs: supervisor */
	CAP_AUDIT,    /* read the audit trail: admin, supervisor */
	CAP_ADMIN,    /* users, init, backup: admin */
	CAP_EXPORT,   /* bulk exports of records: admin, supervisor, viewer */
	CAP_CHECK,    /* brokerage check: admin, supervisor */
	CAP_RESPITE,  /* emergency respite: officer, supervisor, oncall */
	CAP_REPORTS,  /* every report (report.h): supervisor, admin, viewer */
	CAP_REPORTS_QUEUE, /* the waiting and pickup reports: officer too */
	CAP_REFER,    /* add and edit people, close a record: officer, supervisor, admin */
	CAP_SUSPEND,  /* suspend and reinstate providers: supervisor, admin */
	CAP_COUNT
};
bool session_may(const struct session *s, enum br_cap cap);
enum br_status session_require_cap(const struct session *s, enum br_cap cap, const char *what, char **why);

/* True when the session's role is one of the roles in the NULL-ended list. */
bool session_role_in(const struct session *s, const char *const *roles);
/* BR_DENIED with a clear line unless the role is allowed. */
enum br_status session_require(const struct session *s, const char *const *roles,
			       const char *what, char **why);

#endif
