/* import_values.c — the checks of a value, the in-file map, the database
 * look-ups and the write helpers that every imported table uses. */
#include "import_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calloff_states.h"
#include "capacity.h"
#include "domain.h"
#include "invariants.h"
#include "provider.h"
#include "session.h"
#include "upkeep.h"
#include "util.h"

/* ---- what the file has said so far ------------------------------------------ */

/* temp.import_seen, made by the engine inside the import's transaction
 * (import.c): a temporary table, so it lives on disk beside SQLite's other
 * temporary files and not in memory, and goes with the rollback. */
static sqlite3_stmt *seen_stmt(struct import_ctx *c, sqlite3_stmt **q, const char *sql)
{
	if (!*q && sqlite3_prepare_v2(store_db(c->s->store), sql, -1, q, NULL) != SQLITE_OK) {
		char *why = NULL;
		store_error(c->s->store, sqlite3_errcode(store_db(c->s->store)), "keeping the file's keys", &why);
		import_db_error(c, BR_INTERNAL, &why);
		return NULL;
	}
	sqlite3_reset(*q);
	return *q;
}

static bool seen_step(struct import_ctx *c, sqlite3_stmt *q, int want)
{
	int rc = sqlite3_step(q);
	if (rc == want || (want == SQLITE_ROW && rc == SQLITE_DONE))
		return rc == SQLITE_ROW || want == SQLITE_DONE;
	char *why = NULL;
	import_db_error(c, store_error(c->s->store, rc, "keeping the file's keys", &why), &why);
	return false;
}

bool import_seen_add(struct import_ctx *c, enum seen_map m, const char *key, long val, int flag, long *first,
		     int *first_flag)
{
	sqlite3_stmt *q = seen_stmt(c, &c->seen_add, "INSERT INTO temp.import_seen(map, key, val, flag) "
						       "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
	if (!q)
		return true;
	sqlite3_bind_int(q, 1, (int)m);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, val);
	sqlite3_bind_int(q, 4, flag);
	bool ok = seen_step(c, q, SQLITE_DONE);
	sqlite3_reset(q);
	if (!ok || sqlite3_changes(store_db(c->s->store)) == 1)
		return true;
	if (!(q = seen_stmt(c, &c->seen_get, "SELECT val, flag FROM temp.import_seen WHERE map = ?1 AND key = ?2")))
		return true;
	sqlite3_bind_int(q, 1, (int)m);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	if (seen_step(c, q, SQLITE_ROW)) {
		if (first)
			*first = (long)sqlite3_column_int64(q, 0);
		if (first_flag)
			*first_flag = sqlite3_column_int(q, 1);
	}
	sqlite3_reset(q);
	return false;
}

bool import_seen_get(struct import_ctx *c, enum seen_map m, const char *key, long *val)
{
	sqlite3_stmt *q = seen_stmt(c, &c->seen_get, "SELECT val, flag FROM temp.import_seen WHERE map = ?1 AND key = ?2");
	if (!q)
		return false;
	sqlite3_bind_int(q, 1, (int)m);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	bool found = seen_step(c, q, SQLITE_ROW);
	if (found && val)
		*val = (long)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return found;
}

void import_seen_set(struct import_ctx *c, enum seen_map m, const char *key, long val)
{
	sqlite3_stmt *q = seen_stmt(c, &c->seen_set, "INSERT INTO temp.import_seen(map, key, val, flag) "
						       "VALUES (?1, ?2, ?3, 0) ON CONFLICT DO UPDATE SET val = excluded.val");
	if (!q)
		return;
	sqlite3_bind_int(q, 1, (int)m);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, val);
	seen_step(c, q, SQLITE_DONE);
	sqlite3_reset(q);
}

/* A key seen before in the file: report it with the line it was first on.
 * Records the key otherwise. */
bool import_dup_in_file(struct import_ctx *c, enum seen_map m, const char *key, const struct row *r, int col)
{
	long first = 0;
	if (import_seen_add(c, m, key, r->line, 0, &first, NULL))
		return false;
	import_bad(c, r, col, "is already on line %ld", first);
	return true;
}

/* ---- value checks ----------------------------------------------------------- */

bool import_parse_int(const char *v, long long lo, long long hi, long long *out)
{
	if (!*v || strlen(v) > 18)
		return false;
	const char *p = v;
	if (*p == '-')
		p++;
	if (!*p)
		return false;
	for (const char *q = p; *q; q++)
		if (!isdigit((unsigned char)*q))
			return false;
	long long x = strtoll(v, NULL, 10);
	if (x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

bool import_check_required(struct import_ctx *c, struct row *r, int col)
{
	if (*V(r, col))
		return true;
	import_bad(c, r, col, "is empty: %s is required", c->t->cols[col].name);
	return false;
}

bool import_check_len(struct import_ctx *c, struct row *r, int col, size_t max)
{
	if (strlen(V(r, col)) <= max)
		return true;
	import_bad(c, r, col, "is longer than %zu bytes", max);
	return false;
}

bool import_check_date(struct import_ctx *c, struct row *r, int col, bool empty_ok)
{
	int64_t d;
	if (empty_ok && !*V(r, col))
		return true;
	if (date_parse(V(r, col), &d, NULL) == BR_OK)
		return true;
	import_bad(c, r, col, "is not a date (YYYY-MM-DD)");
	return false;
}

bool import_check_service(struct import_ctx *c, struct row *r, int col)
{
	if (service_find(V(r, col)) >= 0)
		return true;
	import_bad(c, r, col, "is not a service (HC, SL, RES, SHL, DAY, RSP, REH, PBS, ISP, EMP)");
	return false;
}

bool import_check_need(struct import_ctx *c, struct row *r, int col)
{
	if (need_find(V(r, col)) >= 0)
		return true;
	import_bad(c, r, col, "is not a needs group (LD, AUT, MH, ABI, PD, DD)");
	return false;
}

void import_locality_list(const struct import_ctx *c, char *out, size_t outsz)
{
	out[0] = '\0';
	for (int i = 0; i < c->s->cfg.n_localities; i++) {
		size_t n = strlen(out);
		snprintf(out + n, outsz - n, "%s%s", i ? ", " : "", c->s->cfg.localities[i].code);
	}
}

bool import_is_locality(const struct import_ctx *c, const char *v)
{
	return *v && config_locality(&c->s->cfg, v) >= 0;
}

bool import_check_locality(struct import_ctx *c, struct row *r, int col)
{
	if (import_is_locality(c, V(r, col)))
		return true;
	char list[200];
	import_locality_list(c, list, sizeof list);
	import_bad(c, r, col, "is not a locality of the config (%s)", list);
	return false;
}

bool import_check_flag(struct import_ctx *c, struct row *r, int col)
{
	const char *v = V(r, col);
	if (!*v || ((v[0] == '0' || v[0] == '1') && !v[1]))
		return true;
	import_bad(c, r, col, "is not 0 or 1");
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A ';'-separated list: each item checked by ok(); sorted and written back
 * so it compares with the database's. False (reported) on a bad item or a
 * repeat. */
bool import_check_list(struct import_ctx *c, struct row *r, int col,
		       bool (*ok)(const struct import_ctx *, const char *), const char *what)
{
	const char *v = V(r, col);
	if (!*v)
		return true;
	char *copy = strdup(v);
	if (!copy) {
		c->failed = true;
		return false;
	}
	char *items[64];
	int n = 0;
	bool good = true;
	for (char *save = NULL, *it = strtok_r(copy, ";", &save); it; it = strtok_r(NULL, ";", &save)) {
		if (n == 64) {
			import_bad(c, r, col, "has more than 64 items");
			good = false;
			break;
		}
		if (!ok(c, it)) {
			char sh[72];
			import_shown(it, sh);
			import_bad(c, r, col, "is not a list of %s: \"%s\" is not one", what, sh);
			good = false;
			break;
		}
		items[n++] = it;
	}
	/* empty items (";;", a trailing ';') are refused too */
	if (good && (v[0] == ';' || v[strlen(v) - 1] == ';' || strstr(v, ";;"))) {
		import_bad(c, r, col, "has an empty item");
		good = false;
	}
	if (good) {
		qsort(items, (size_t)n, sizeof *items, cmp_str);
		for (int i = 1; i < n; i++)
			if (strcmp(items[i], items[i - 1]) == 0) {
				char sh[72];
				import_shown(items[i], sh);
				import_bad(c, r, col, "names \"%s\" twice", sh);
				good = false;
				break;
			}
	}
	if (good) {
		char out[1024] = "";
		for (int i = 0; i < n; i++) {
			size_t len = strlen(out);
			snprintf(out + len, sizeof out - len, "%s%s", i ? ";" : "", items[i]);
		}
		import_set_field(r, col, out);
	}
	free(copy);
	return good;
}

bool import_item_need(const struct import_ctx *c, const char *v)
{
	(void)c;
	return need_find(v) >= 0;
}

bool import_item_locality(const struct import_ctx *c, const char *v)
{
	return import_is_locality(c, v);
}

bool import_item_registration(const struct import_ctx *c, const char *v)
{
	(void)c;
	const char *slash = strchr(v, '/');
	if (!slash || slash - v > 8)
		return false;
	char svc[9];
	memcpy(svc, v, (size_t)(slash - v));
	svc[slash - v] = '\0';
	return service_find(svc) >= 0 && need_find(slash + 1) >= 0;
}

/* ---- database look-ups ---------------------------------------------------------- */

/* The provider's name (provider_name), or false when there is no such
 * provider; a database error is the import's. */
bool import_provider_name(struct import_ctx *c, int64_t id, char *name, size_t namesz)
{
	char *why = NULL;
	enum br_status st = provider_name(c->s->store, id, name, namesz, &why);
	if (st == BR_OK)
		return true;
	if (st == BR_NOTFOUND)
		free(why);
	else
		import_db_error(c, st, &why);
	return false;
}

/* provider_id (required, must exist) and provider (the name, optional: when
 * given it must be that provider's, which catches a shifted id). */
bool import_check_provider_ref(struct import_ctx *c, struct row *r, int id_col, int name_col)
{
	long long id;
	if (!import_check_required(c, r, id_col))
		return false;
	if (!import_parse_int(V(r, id_col), 1, 2000000000LL, &id)) {
		import_bad(c, r, id_col, "is not a provider id (a whole number)");
		return false;
	}
	char name[256];
	if (!import_provider_name(c, id, name, sizeof name)) {
		import_bad(c, r, id_col, "is not a provider in the database (import providers first)");
		return false;
	}
	if (has(c, name_col) && *V(r, name_col) && strcmp(V(r, name_col), name) != 0) {
		char sh[72];
		import_shown(name, sh);
		import_bad(c, r, name_col, "is not the name of provider %lld (\"%s\")", id, sh);
		return false;
	}
	r->other = id;
	return true;
}

/* Text, or NULL for an empty value. */
void import_bind_opt(sqlite3_stmt *q, int i, const char *v)
{
	if (!v || !*v)
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_text(q, i, v, -1, SQLITE_TRANSIENT);
}

enum br_status import_audit_row(struct import_ctx *c, const struct row *r, const char *entity_id,
				char **why)
{
	char detail[400];
	if (r->act == ACT_ADD)
		snprintf(detail, sizeof detail, "added from %.200s line %ld", c->file, r->line);
	else
		snprintf(detail, sizeof detail, "updated from %.150s line %ld: %s", c->file, r->line,
			 r->changed);
	char action[40];
	snprintf(action, sizeof action, "%s.import", c->t->entity);
	return audit_chain_append(c->s->store, &c->chain, clock_now(), c->s->user.login, action,
				  c->t->entity, entity_id, detail, why);
}

/* Compare a present column with the current value; note it when it differs. */
void import_compare(struct import_ctx *c, struct row *r, int col, const char *current)
{
	if (!has(c, col)) {
		import_set_field(r, col, current);
		return;
	}
	if (strcmp(V(r, col), current) != 0)
		import_note_change(r, c->t->cols[col].name);
}

