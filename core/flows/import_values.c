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

/* ---- the string map ---------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

bool import_sm_get(const struct strmap *m, const char *key, long *val)
{
	if (!m->cap)
		return false;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return false;
		if (strcmp(m->keys[i], key) == 0) {
			if (val)
				*val = m->vals[i];
			return true;
		}
	}
}

/* Insert or replace. False when out of memory. */
bool import_sm_put(struct strmap *m, const char *key, long val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		char **keys = calloc(cap, sizeof *keys);
		long *vals = calloc(cap, sizeof *vals);
		if (!keys || !vals) {
			free(keys);
			free(vals);
			return false;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			size_t j = hash_str(m->keys[i]) & (cap - 1);
			while (keys[j])
				j = (j + 1) & (cap - 1);
			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i]) {
		if (!(m->keys[i] = strdup(key)))
			return false;
		m->n++;
	}
	m->vals[i] = val;
	return true;
}

void import_sm_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* A key seen before in the file: report it with the line it was first on.
 * Records the key otherwise. */
bool import_dup_in_file(struct import_ctx *c, struct strmap *m, const char *key,
			const struct row *r, int col)
{
	long first;
	if (import_sm_get(m, key, &first)) {
		import_bad(c, r, col, "is already on line %ld", first);
		return true;
	}
	if (!import_sm_put(m, key, r->line))
		c->failed = true;
	return false;
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

void import_progress(struct import_ctx *c, const char *stage, size_t i)
{
	if (c->o && c->o->progress && c->nrows >= 2000 && (i % 1000 == 0 || i == c->nrows))
		c->o->progress(c->o->progress_ctx, stage, c->nrows ? (double)i / (double)c->nrows : 1.0);
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

