/* query_providers.c — the providers' list, lookup and detail (provider_*):
 * by name, service, need, locality and tier, paged by keyset. */
#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "query_internal.h"
#include "store_internal.h"
#include "util.h"

/* ---- providers ---------------------------------------------------------- */

static const char *const provider_tiers[] = {"", "primary", "secondary", "peripheral",
					     "registered", "spot"};

#define AWARD_VALID "a.valid_from <= ?7 AND (a.valid_to IS NULL OR a.valid_to >= ?7)"

#define PROVIDER_COLUMNS                                                                   \
	"p.id, p.name, coalesce(p.cqc_location_id,''), p.cqc_rating, p.status, "           \
	"coalesce((SELECT c.name FROM provider c WHERE c.id = p.consortium_id),''), "      \
	"p.is_consortium, coalesce(p.suspended_reason,''), coalesce(p.suspended_on,''), "  \
	"coalesce(p.phone,''), p.name_fold"

/* The provider's best tier for the filter's service and locality. */
#define PROVIDER_TIER                                                                      \
	"coalesce((SELECT a.tier FROM award a WHERE a.provider_id = p.id "                 \
	"  AND (?2 IS NULL OR a.service = ?2) "                                           \
	"  AND (a.locality IS NULL OR ?4 IS NULL OR a.locality = ?4) AND " AWARD_VALID     \
	"  ORDER BY CASE a.tier WHEN 'primary' THEN 1 WHEN 'secondary' THEN 2 ELSE 3 END " \
	"  LIMIT 1), "                                                                     \
	" CASE WHEN EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id "      \
	"  AND (?2 IS NULL OR r.service = ?2) AND (?3 IS NULL OR r.need = ?3)) "           \
	" THEN 'registered' ELSE 'spot' END)"

static void provider_read(sqlite3_stmt *st, struct provider_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, r->name, sizeof r->name);
	store_col_text(st, 2, r->cqc_location_id, sizeof r->cqc_location_id);
	store_col_text(st, 3, r->rating, sizeof r->rating);
	store_col_text(st, 4, r->status, sizeof r->status);
	store_col_text(st, 5, r->consortium, sizeof r->consortium);
	r->is_consortium = sqlite3_column_int(st, 6) != 0;
	store_col_text(st, 7, r->suspended_reason, sizeof r->suspended_reason);
	store_col_text(st, 8, r->suspended_on, sizeof r->suspended_on);
	store_col_text(st, 9, r->phone, sizeof r->phone);
	r->key.set = true;
	store_col_text(st, 10, r->key.k1, sizeof r->key.k1);
	r->key.id = r->id;
}

/* Parameters: ?1 name text, ?2 service, ?3 need, ?4 locality, ?6 status,
 * ?7 today, ?8 k1, ?10 id, ?11 limit. */
static void provider_sql(struct sqlbuf *b, bool text, bool svc, bool need, bool loc, int tier,
			 bool status, bool cursor, bool backward)
{
	query_add(b, "SELECT " PROVIDER_COLUMNS ", " PROVIDER_TIER " FROM provider p WHERE 1");
	if (text)
		query_add(b, " AND instr(p.name_fold, ?1) > 0");
	if (svc || need)
		query_add(b, " AND EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "");
	if (loc)
		query_add(b, " AND EXISTS (SELECT 1 FROM coverage c WHERE c.provider_id = p.id "
		       "AND c.locality = ?4)");
	switch (tier) {
	case 1:
	case 2:
		query_add(b, " AND EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id AND a.tier = '%s'"
		       "%s%s AND " AWARD_VALID ")", provider_tiers[tier],
		    svc ? " AND a.service = ?2" : "", loc ? " AND a.locality = ?4" : "");
		break;
	case 3:
		query_add(b, " AND EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id "
		       "AND a.tier = 'peripheral'%s AND " AWARD_VALID ")",
		    svc ? " AND a.service = ?2" : "");
		break;
	case 4:
		query_add(b, " AND EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)"
		       " AND NOT EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id%s AND "
		       AWARD_VALID ")",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "",
		    svc ? " AND a.service = ?2" : "");
		break;
	case 5:
		query_add(b, " AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "");
		break;
	default:
		break;
	}
	if (status)
		query_add(b, " AND p.status = ?6");
	const char *cmp = backward ? "<" : ">", *ord = backward ? " DESC" : "";
	if (cursor)
		query_add(b, " AND (p.name_fold, p.id) %s (?8, ?10)", cmp);
	query_add(b, " ORDER BY p.name_fold%s, p.id%s LIMIT ?11", ord, ord);
}

enum br_status provider_list(struct store *s, const struct provider_filter *f,
			     const struct list_cursor *at, enum list_dir dir,
			     struct provider_row *rows, int limit, int *n, char **why)
{
	*n = 0;
	if (limit <= 0)
		return BR_OK;
	char folded[64];
	text_fold(f->text, folded, sizeof folded);
	int tier = 0;
	for (int i = 1; i < 6; i++)
		if (strcmp(f->tier, provider_tiers[i]) == 0)
			tier = i;
	if (f->tier[0] && tier == 0)
		return br_fail(why, BR_USAGE, "tier \"%s\" is not one of primary, secondary, "
					      "peripheral, registered, spot", f->tier);
	bool text = folded[0], svc = f->service[0], need = f->need[0], loc = f->locality[0];
	bool status = f->status[0], cursor = at && at->set, backward = dir == LIST_BACKWARD;
	int shape = tier;
	shape = shape * 2 + text;
	shape = shape * 2 + svc;
	shape = shape * 2 + need;
	shape = shape * 2 + loc;
	shape = shape * 2 + status;
	shape = shape * 2 + cursor;
	shape = shape * 2 + backward;
	struct sqlbuf b = {.n = 0};
	provider_sql(&b, text, svc, need, loc, tier, status, cursor, backward);
	if (b.overflow)
		return br_fail(why, BR_INTERNAL, "provider query too long");
	sqlite3_stmt *st = store_stmt(s, STMT_PROVIDER_LIST_BASE + shape, b.s, why);
	if (!st)
		return BR_INTERNAL;
	char today[11];
	date_format(clock_today(), today);
	store_bind_text(st, 1, folded);
	store_bind_text(st, 2, svc ? f->service : NULL);
	store_bind_text(st, 3, need ? f->need : NULL);
	store_bind_text(st, 4, loc ? f->locality : NULL);
	store_bind_text(st, 6, f->status);
	store_bind_text(st, 7, today);
	if (cursor) {
		store_bind_text(st, 8, at->k1);
		sqlite3_bind_int64(st, 10, at->id);
	}
	sqlite3_bind_int(st, 11, limit);
	int rc, count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && count < limit) {
		struct provider_row *r = &rows[count++];
		provider_read(st, r);
		store_col_text(st, 11, r->tier, sizeof r->tier);
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "listing providers", why);
	if (backward)
		query_reverse_rows(rows, count, sizeof *rows);
	*n = count;
	return BR_OK;
}

static enum br_status provider_fetch(struct store *s, int64_t id, struct provider_row *row,
				     struct provider_detail *d, char **why)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PROVIDER_GET,
		"SELECT " PROVIDER_COLUMNS ", coalesce(p.email,''), coalesce(p.contact,''), "
		"coalesce(p.postcode,''), coalesce(p.left_on,'') FROM provider p WHERE p.id = ?1", why);
	if (!st)
		return BR_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	enum br_status result = BR_OK;
	if (rc == SQLITE_ROW) {
		provider_read(st, row);
		if (d) {
			store_col_text(st, 11, d->email, sizeof d->email);
			store_col_text(st, 12, d->contact, sizeof d->contact);
			store_col_text(st, 13, d->postcode, sizeof d->postcode);
			store_col_text(st, 14, d->left_on, sizeof d->left_on);
		}
	} else if (rc == SQLITE_DONE) {
		result = br_fail(why, BR_NOTFOUND, "no provider %lld", (long long)id);
	} else {
		result = store_error(s, rc, "reading a provider", why);
	}
	store_done(st);
	return result;
}

enum br_status provider_get(struct store *s, int64_t id, struct provider_row *row, char **why)
{
	return provider_fetch(s, id, row, NULL, why);
}

/* Run a per-provider child query, growing *arr by one element a row. */
typedef void (*child_read_fn)(sqlite3_stmt *st, void *elem);

static enum br_status children(struct store *s, int slot, const char *sql, int64_t id,
			       void **arr, int *n, size_t size, child_read_fn fn, char **why)
{
	sqlite3_stmt *st = store_stmt(s, slot, sql, why);
	if (!st)
		return BR_INTERNAL;
	sqlite3_bind_int64(st, 1, id);
	int rc, cap = 0;
	enum br_status result = BR_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			void *grown = realloc(*arr, (size_t)cap * size);
			if (!grown) {
				result = br_fail(why, BR_NOMEM, "out of memory");
				break;
			}
			*arr = grown;
		}
		char *elem = (char *)*arr + (size_t)(*n) * size;
		memset(elem, 0, size);
		fn(st, elem);
		(*n)++;
	}
	if (result == BR_OK && rc != SQLITE_DONE)
		result = store_error(s, rc, "reading provider details", why);
	store_done(st);
	return result;
}

static void read_reg(sqlite3_stmt *st, void *e)
{
	struct provider_reg *r = e;
	store_col_text(st, 0, r->service, sizeof r->service);
	store_col_text(st, 1, r->need, sizeof r->need);
}

static void read_award(sqlite3_stmt *st, void *e)
{
	struct provider_award *a = e;
	store_col_text(st, 0, a->service, sizeof a->service);
	store_col_text(st, 1, a->locality, sizeof a->locality);
	store_col_text(st, 2, a->tier, sizeof a->tier);
	store_col_text(st, 3, a->from, sizeof a->from);
	store_col_text(st, 4, a->to, sizeof a->to);
	a->id = sqlite3_column_int64(st, 5);
}

static void read_capacity(sqlite3_stmt *st, void *e)
{
	struct provider_capacity *c = e;
	store_col_text(st, 0, c->service, sizeof c->service);
	store_col_text(st, 1, c->locality, sizeof c->locality);
	c->free = sqlite3_column_int64(st, 2);
	store_col_text(st, 3, c->reported, sizeof c->reported);
}

static void read_rate(sqlite3_stmt *st, void *e)
{
	struct provider_rate *r = e;
	store_col_text(st, 0, r->service, sizeof r->service);
	store_col_text(st, 1, r->from, sizeof r->from);
	r->pence = sqlite3_column_int64(st, 2);
}

static void read_served(sqlite3_stmt *st, void *e)
{
	struct provider_served *p = e;
	store_col_text(st, 0, p->ref, sizeof p->ref);
	store_col_text(st, 1, p->name, sizeof p->name);
	store_col_text(st, 2, p->service, sizeof p->service);
	p->units = sqlite3_column_int64(st, 3);
	p->calloff_id = sqlite3_column_int64(st, 4);
}

static void read_member(sqlite3_stmt *st, void *e)
{
	struct provider_member *m = e;
	m->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, m->name, sizeof m->name);
}

struct coverage_list {
	char code[9];
};

static void read_coverage(sqlite3_stmt *st, void *e)
{
	struct coverage_list *c = e;
	store_col_text(st, 0, c->code, sizeof c->code);
}

enum br_status provider_detail_get(struct store *s, int64_t id, struct provider_detail **out,
				   char **why)
{
	*out = NULL;
	struct provider_detail *d = calloc(1, sizeof *d);
	if (!d)
		return br_fail(why, BR_NOMEM, "out of memory");
	enum br_status st = provider_fetch(s, id, &d->p, d, why);
	struct coverage_list *cov = NULL;
	int n_cov = 0;
	if (st != BR_OK)
		goto fail;
	if ((st = children(s, STMT_PROVIDER_REGS,
			   "SELECT service, need FROM registration WHERE provider_id = ?1 "
			   "ORDER BY service, need", id, (void **)&d->regs, &d->n_regs,
			   sizeof *d->regs, read_reg, why)) ||
	    (st = children(s, STMT_PROVIDER_COVERAGE,
			   "SELECT c.locality FROM coverage c JOIN locality l ON l.code = c.locality "
			   "WHERE c.provider_id = ?1 ORDER BY l.sort, c.locality", id, (void **)&cov,
			   &n_cov, sizeof *cov, read_coverage, why)) ||
	    (st = children(s, STMT_PROVIDER_AWARDS,
			   "SELECT a.service, coalesce(a.locality,'*'), a.tier, a.valid_from, "
			   "coalesce(a.valid_to,''), a.id FROM award a WHERE a.provider_id = ?1 "
			   "ORDER BY a.service, CASE a.tier WHEN 'primary' THEN 1 WHEN 'secondary' "
			   "THEN 2 ELSE 3 END, a.locality", id, (void **)&d->awards, &d->n_awards,
			   sizeof *d->awards, read_award, why)) ||
	    (st = children(s, STMT_PROVIDER_CAPACITY,
			   "SELECT c.service, c.locality, c.free, coalesce(r.reported_on, '') FROM capacity c "
			   "LEFT JOIN capacity_report r ON r.provider_id = c.provider_id AND r.service = c.service "
			   "AND r.locality = c.locality WHERE c.provider_id = ?1 "
			   "ORDER BY c.service, c.locality", id, (void **)&d->capacity, &d->n_capacity,
			   sizeof *d->capacity, read_capacity, why)) ||
	    (st = children(s, STMT_PROVIDER_RATES,
			   "SELECT service, valid_from, pence FROM rate WHERE provider_id = ?1 "
			   "ORDER BY service, valid_from DESC", id, (void **)&d->rates, &d->n_rates,
			   sizeof *d->rates, read_rate, why)) ||
	    (st = children(s, STMT_PROVIDER_MEMBERS,
			   "SELECT id, name FROM provider WHERE consortium_id = ?1 ORDER BY name_fold",
			   id, (void **)&d->members, &d->n_members, sizeof *d->members, read_member,
			   why)) ||
	    (st = children(s, STMT_PROVIDER_SERVED,
			   "SELECT u.ref, u.family_name || ', ' || u.given_name, c.service, c.units, c.id "
			   "FROM calloff c JOIN package_request q ON q.id = c.request_id "
			   "JOIN service_user u ON u.id = q.user_id WHERE c.provider_id = ?1 AND c.status = 'active' "
			   "ORDER BY u.family_fold, u.given_fold, c.id", id, (void **)&d->served, &d->n_served,
			   sizeof *d->served, read_served, why)))
		goto fail;
	for (int i = 0; i < n_cov && i < 16; i++)
		text_copy(d->coverage[i], sizeof d->coverage[i], cov[i].code);
	d->n_coverage = n_cov < 16 ? n_cov : 16;
	free(cov);
	*out = d;
	return BR_OK;
fail:
	free(cov);
	provider_detail_free(&d);
	return st;
}

void provider_detail_free(struct provider_detail **dp)
{
	if (!dp || !*dp)
		return;
	struct provider_detail *d = *dp;
	free(d->regs);
	free(d->awards);
	free(d->capacity);
	free(d->rates);
	free(d->members);
	free(d->served);
	free(d);
	*dp = NULL;
}
