/* capacity.c — a capacity figure reported, with its basis. See capacity.h. */
#include "capacity.h"

#include "broker_internal.h"
#include "store_internal.h"
#include "util.h"

enum br_status capacity_write(struct store *st, int64_t provider_id, const char *service,
			      const char *locality, int64_t free_units, const char *stamp,
			      const char *reported_on, char **why)
{
	static const char put[] =
		"INSERT INTO capacity(provider_id, service, locality, free, updated_at) "
		"VALUES (?1,?2,?3,?4,?5) ON CONFLICT (provider_id, service, locality) DO UPDATE SET "
		"free = excluded.free, updated_at = excluded.updated_at";
	static const char report[] =
		"INSERT INTO capacity_report(provider_id, service, locality, reported_on, basis) "
		"VALUES (?1, ?2, ?3, ?4, CASE WHEN ?2 = 'RSP' THEN NULL ELSE ?5 + "
		CAPACITY_HELD("?1", "?2", "?3") " END) "
		"ON CONFLICT (provider_id, service, locality) "
		"DO UPDATE SET reported_on = excluded.reported_on, basis = excluded.basis";
	sqlite3_stmt *q = prep(st, put, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, service);
	store_bind_text(q, 3, locality);
	sqlite3_bind_int64(q, 4, free_units);
	store_bind_text(q, 5, stamp);
	enum br_status s = store_step_done(st, q, "setting capacity", why);
	if (s != BR_OK)
		return s;
	if (!(q = prep(st, report, why)))
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, service);
	store_bind_text(q, 3, locality);
	store_bind_text(q, 4, reported_on);
	sqlite3_bind_int64(q, 5, free_units);
	return store_step_done(st, q, "setting capacity", why);
}

enum br_status capacity_lot(struct store *st, int64_t provider_id, const char *service, const char *locality,
			    char lot[9], int64_t *free_units, char **why)
{
	static const char sql[] =
		"SELECT k.locality, k.free FROM capacity k LEFT JOIN locality l ON l.code = k.locality "
		"WHERE k.provider_id = ?1 AND k.service = ?2 ORDER BY k.locality = ?3 DESC, k.free DESC, l.sort, k.locality "
		"LIMIT 1";
	text_copy(lot, 9, locality);
	*free_units = -1;
	sqlite3_stmt *q = prep(st, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, service);
	store_bind_text(q, 3, locality);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_col_text(q, 0, lot, 9);
		*free_units = sqlite3_column_int64(q, 1);
	}
	store_done(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BR_OK : store_error(st, rc, "reading capacity", why);
}

enum br_status capacity_rebase_all(struct store *st, char **why)
{
	static const char sql[] =
		"UPDATE capacity_report SET basis = (SELECT k.free FROM capacity k WHERE "
		"k.provider_id = capacity_report.provider_id AND k.service = capacity_report.service AND "
		"k.locality = capacity_report.locality) + "
		CAPACITY_HELD("capacity_report.provider_id", "capacity_report.service", "capacity_report.locality")
		" WHERE service <> 'RSP'";
	sqlite3_stmt *q = prep(st, sql, why);
	return q ? store_step_done(st, q, "setting capacity", why) : BR_INTERNAL;
}
