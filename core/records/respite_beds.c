#include "respite_beds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "config.h"
#include "domain.h"
#include "query.h"
#include "rules.h"
#include "session.h"
#include "store_internal.h"
#include "calloff_states.h"
#include "match.h"
#include "util.h"

int64_t respite_tonight(void)
{
	time_t now = clock_now();
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return clock_today();
	int64_t today = date_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return tm.tm_hour < 6 ? today - 1 : today;
}

/* bookings that hold a bed on their nights (the night column of
 * calloff_states.h; the partial index calloff_respite_nights, schema 016,
 * has the same words): an ended booking still held its bed on the nights it
 * ran */
#define HOLDING_STATUS "b.service = 'RSP' AND " CALLOFF_SQL_NIGHT("b.status")
#define HOLDING HOLDING_STATUS " AND b.end_date >= ?3 AND b.start_date <= ?3"

enum br_status respite_beds(struct session *s, int64_t provider_id, const char *locality, int64_t first,
			    int64_t last, int *lowest, int64_t *first_full, char **why)
{
	*lowest = 1 << 30;
	*first_full = -1;
	if (last < first)
		return BR_OK;
	if (last - first > 365)
		last = first + 365;
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT coalesce((SELECT k.free FROM capacity k WHERE k.provider_id = ?1 AND k.service = 'RSP' "
		"AND k.locality = ?2), 0)", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, locality);
	int rc = sqlite3_step(q);
	int beds = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	store_done(q);
	if (rc != SQLITE_ROW)
		return store_error(s->store, rc, "counting beds", why);
	/* every booking holding a bed on any of the nights, counted a night at
	 * a time here: one read for the whole stay, not one per night */
	int held[366] = {0};
	char d_first[11], d_last[11];
	date_format(first, d_first);
	date_format(last, d_last);
	q = store_cached(s->store, "SELECT b.start_date, b.end_date FROM calloff b WHERE b.provider_id = ?1 "
				   "AND b.locality = ?2 AND " HOLDING_STATUS " AND b.end_date >= ?3 AND b.start_date <= ?4",
			 why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, locality);
	store_bind_text(q, 3, d_first);
	store_bind_text(q, 4, d_last);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int64_t from, to;
		if (date_parse((const char *)sqlite3_column_text(q, 0), &from, NULL) != BR_OK ||
		    date_parse((const char *)sqlite3_column_text(q, 1), &to, NULL) != BR_OK)
			continue;
		for (int64_t night = from < first ? first : from; night <= to && night <= last; night++)
			held[night - first]++;
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "counting beds", why);
	for (int64_t night = first; night <= last; night++) {
		int f = beds - held[night - first];
		if (f < *lowest)
			*lowest = f;
		if (f < 1 && *first_full < 0)
			*first_full = night;
	}
	return BR_OK;
}

enum br_status respite_free(struct session *s, int64_t provider_id, const char *locality, int64_t night,
			    int *free, char **why)
{
	int64_t full;
	return respite_beds(s, provider_id, locality, night, night, free, &full, why);
}

static int locality_rank(const struct br_config *cfg, const char *home, const char *loc)
{
	if (strcmp(home, loc) == 0)
		return 0;
	int h = config_locality(cfg, home);
	if (h >= 0)
		for (int i = 0; i < cfg->localities[h].n_nearest; i++)
			if (strcmp(cfg->localities[h].nearest[i], loc) == 0)
				return i + 1;
	return 99;
}

static int row_cmp(const void *a, const void *b)
{
	const struct respite_row *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->free_tonight != y->free_tonight)
		return y->free_tonight - x->free_tonight;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->provider_id < y->provider_id ? -1 : 1);
}

enum br_status respite_list(struct session *s, int64_t person_id, struct respite_row *rows, int max, int *n,
			    char **why)
{
	*n = 0;
	struct su_row su;
	enum br_status st = su_get(s->store, person_id, &su, why);
	if (st != BR_OK)
		return st;
	char tonight[11];
	date_format(respite_tonight(), tonight);
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT p.id, p.name, k.locality, k.free, "
		"  k.free - (SELECT count(*) FROM calloff b WHERE b.provider_id = p.id AND b.locality = k.locality "
		"            AND " HOLDING "), "
		"  " RATE_IN_FORCE("p.id", "'RSP'", "?3") ", "
		"  p.cqc_rating, coalesce(p.phone, ''), "
		"  (SELECT group_concat(need, ' ') FROM registration g WHERE g.provider_id = p.id AND g.service = 'RSP') "
		"FROM capacity k JOIN provider p ON p.id = k.provider_id "
		"WHERE k.service = 'RSP' AND k.free > 0 AND p.status = 'active' "
		"AND EXISTS (SELECT 1 FROM registration g WHERE g.provider_id = p.id AND g.service = 'RSP' AND g.need = ?1) "
		"AND ?2 IS NOT NULL", why);
	if (!q)
		return BR_INTERNAL;
	store_bind_text(q, 1, su.primary_need);
	store_bind_text(q, 2, su.locality);
	store_bind_text(q, 3, tonight);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int free_tonight = sqlite3_column_int(q, 4);
		if (free_tonight <= 0 || *n >= max)
			continue;
		struct respite_row *r = &rows[(*n)++];
		memset(r, 0, sizeof *r);
		r->provider_id = sqlite3_column_int64(q, 0);
		store_col_text(q, 1, r->name, sizeof r->name);
		store_col_text(q, 2, r->locality, sizeof r->locality);
		r->beds = sqlite3_column_int(q, 3);
		r->free_tonight = free_tonight;
		r->rate = sqlite3_column_int64(q, 5);
		store_col_text(q, 6, r->rating, sizeof r->rating);
		store_col_text(q, 7, r->phone, sizeof r->phone);
		store_col_text(q, 8, r->needs, sizeof r->needs);
		r->rank = locality_rank(&s->cfg, su.locality, r->locality);
	}
	store_done(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "listing respite beds", why);
	qsort(rows, (size_t)*n, sizeof *rows, row_cmp);
	return BR_OK;
}


enum br_status respite_person_booked(struct session *s, int64_t request_id, int64_t self, int64_t first,
				     int64_t last, int64_t *other, int64_t *night, char **why)
{
	*other = 0;
	*night = -1;
	char d_first[11], d_last[11];
	date_format(first, d_first);
	date_format(last, d_last);
	sqlite3_stmt *q = store_cached(s->store,
		"SELECT b.id, max(b.start_date, ?3) FROM package_request r JOIN package_request x ON x.user_id = r.user_id "
		"JOIN calloff b ON b.request_id = x.id WHERE r.id = ?1 AND b.id <> ?2 AND " HOLDING_STATUS
		" AND b.start_date <= ?4 AND b.end_date >= ?3 ORDER BY b.start_date, b.id LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, request_id);
	sqlite3_bind_int64(q, 2, self);
	store_bind_text(q, 3, d_first);
	store_bind_text(q, 4, d_last);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*other = sqlite3_column_int64(q, 0);
		date_parse((const char *)sqlite3_column_text(q, 1), night, NULL);
	}
	store_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BR_OK : store_error(s->store, rc, "reading the person's bookings", why);
}
