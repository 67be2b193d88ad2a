/* invariants.c — the business rules as queries. See invariants.h.
 *
 * Every rule is one SELECT whose first column is the line that names the
 * rows; awards and providers take a mode in ?1: 0 for the whole table, 1
 * for one row given in ?2.. (as it is, or as it would be written). ?9 is
 * tonight (YYYY-MM-DD) where a rule needs it. */
#include "invariants.h"

#include <stdio.h>
#include <string.h>

#include "broker_internal.h"
#include "calloff_states.h"
#include "capacity.h"

#define AWARDS_SQL                                                                                        \
	"WITH a(id, service, locality, provider_id, tier, valid_from, valid_to) AS ("                    \
	"  SELECT id, service, locality, provider_id, tier, valid_from, valid_to FROM award WHERE ?1 = 0 " \
	"  UNION ALL SELECT ?2, ?3, nullif(?4, ''), ?5, ?6, ?7, nullif(?8, '') WHERE ?1 = 1) "           \
	"SELECT format('%s (%s, from %s%s) and award %d (%s, from %s%s): %s %s for %s %s in force on %s', " \
	"  coalesce(?10, CASE a.id WHEN 0 THEN 'a new award' ELSE 'award ' || a.id END), pa.name, a.valid_from, "        \
	"  coalesce(' to ' || a.valid_to, ''), b.id, pb.name, b.valid_from, coalesce(' to ' || b.valid_to, ''), " \
	"  CASE WHEN a.provider_id = b.provider_id THEN 'the same provider''s' ELSE 'two' END, "           \
	"  a.tier || ' awards', a.service, coalesce(a.locality, '(the whole borough)'), "                 \
	"  max(a.valid_from, b.valid_from)), b.id, a.provider_id = b.provider_id "                         \
	"FROM a JOIN award b ON b.service = a.service AND b.tier = a.tier AND b.locality IS a.locality "   \
	"  AND b.id <> a.id AND (a.locality IS NOT NULL OR b.provider_id = a.provider_id) "                \
	"JOIN provider pa ON pa.id = a.provider_id JOIN provider pb ON pb.id = b.provider_id "            \
	"WHERE b.valid_from <= coalesce(a.valid_to, '9999-12-31') "                                        \
	"  AND a.valid_from <= coalesce(b.valid_to, '9999-12-31') AND (?1 = 1 OR a.id < b.id) "           \
	"ORDER BY a.id, b.id"

#define PROVIDERS_SQL                                                                                     \
	"WITH a(id, name, name_fold, cqc) AS ("                                                           \
	"  SELECT id, name, name_fold, cqc_location_id FROM provider WHERE ?1 = 0 "                       \
	"  UNION ALL SELECT ?2, coalesce((SELECT x.name FROM provider x WHERE x.id = ?2), ''), ?3, "  \
	"  nullif(?4, '') WHERE ?1 = 1) "                                    \
	"SELECT format('%s and provider %d (%s): %s', "                                                   \
	"  coalesce(?10, CASE a.id WHEN 0 THEN 'a new provider' ELSE format('provider %d (%s)', a.id, a.name) END), "   \
	"  b.id, b.name, CASE WHEN b.name_fold = a.name_fold THEN 'the same name (letters and spaces "  \
	"folded)' ELSE 'the same CQC location id ' || a.cqc END), b.id, 0 "                               \
	"FROM a JOIN provider b ON b.id <> a.id AND (b.name_fold = a.name_fold OR b.cqc_location_id = a.cqc) " \
	"WHERE ?1 = 1 OR a.id < b.id ORDER BY a.id, b.id"

#define CAPACITY_SQL                                                                                      \
	"WITH k AS (SELECT c.provider_id, c.service, c.locality, c.free, "                                \
	"  " CAPACITY_HELD("c.provider_id", "c.service", "c.locality") " AS held "                       \
	"  FROM capacity c WHERE c.service <> 'RSP') "                                                    \
	"SELECT format('capacity of provider %d (%s) for %s %s: %d free and %d held by call-offs make %d, " \
	"but the figure reported on %s makes %d (off by %+d)', k.provider_id, p.name, k.service, k.locality, " \
	"  k.free, k.held, k.free + k.held, r.reported_on, r.basis, k.free + k.held - r.basis), 0, 0 "    \
	"FROM k JOIN capacity_report r ON r.provider_id = k.provider_id AND r.service = k.service "       \
	"  AND r.locality = k.locality JOIN provider p ON p.id = k.provider_id "                          \
	"WHERE r.basis IS NOT NULL AND k.free + k.held <> r.basis "                                        \
	"ORDER BY k.provider_id, k.service, k.locality"

/* the nights on which a provider's bookings can first exceed its beds:
 * tonight, and each later night a booking begins */
#define BOOKED(B) B ".service = 'RSP' AND " CALLOFF_SQL_NIGHT(B ".status")
#define BEDS_SQL                                                                                          \
	"WITH n(provider_id, locality, night) AS (SELECT DISTINCT b.provider_id, b.locality, "           \
	"  max(b.start_date, ?9) FROM calloff b WHERE " BOOKED("b") " AND b.end_date >= ?9), "          \
	"t AS (SELECT n.provider_id, n.locality, n.night, (SELECT count(*) FROM calloff b WHERE "        \
	"  b.provider_id = n.provider_id AND b.locality = n.locality AND " BOOKED("b")                    \
	" AND b.start_date <= n.night AND b.end_date >= n.night) AS booked FROM n) "                   \
	"SELECT format('respite beds of provider %d (%s) in %s: %d booking%s on the night of %s, %d bed%s', " \
	"  t.provider_id, p.name, t.locality, t.booked, CASE t.booked WHEN 1 THEN '' ELSE 's' END, t.night, " \
	"  coalesce(k.free, 0), CASE coalesce(k.free, 0) WHEN 1 THEN '' ELSE 's' END), 0, 0 "             \
	"FROM t JOIN provider p ON p.id = t.provider_id LEFT JOIN capacity k ON k.provider_id = t.provider_id " \
	"  AND k.service = 'RSP' AND k.locality = t.locality "                                            \
	"WHERE k.free IS NOT NULL AND t.booked > k.free ORDER BY t.provider_id, t.locality, t.night"

#define PEOPLE_SQL                                                                                        \
	"SELECT format('person %s (%s%s) has call-off %d %s', u.ref, u.status, "                           \
	"  coalesce(' on ' || u.died_on, ''), c.id, c.status || coalesce(', to ' || c.end_date, ''))," \
	"  0, 0 FROM service_user u JOIN package_request r ON r.user_id = u.id "                          \
	"JOIN calloff c ON c.request_id = r.id WHERE u.status <> 'active' AND " CALLOFF_SQL_LIVE("c.status") \
	" AND NOT (u.status = 'deceased' AND c.end_date IS NOT NULL AND c.end_date <= coalesce(u.died_on, '')) "        \
	"UNION ALL SELECT format('person %s (%s) has request %d open', u.ref, u.status, r.id), 0, 0 "     \
	"FROM service_user u JOIN package_request r ON r.user_id = u.id "                                 \
	"WHERE u.status <> 'active' AND r.status = 'open'"

#define REQUESTS_SQL                                                                                      \
	"SELECT format('request %d is open (not handed back) and call-off %d is %s', r.id, c.id, c.status), " \
	"  0, 0 FROM package_request r JOIN calloff c ON c.request_id = r.id "                            \
	"WHERE r.status = 'open' AND r.handback = 0 AND " CALLOFF_SQL_LIVE("c.status") " "                \
	"UNION ALL SELECT format('request %d is placed and none of its call-offs is', r.id), 0, 0 "       \
	"FROM package_request r WHERE r.status = 'placed' AND NOT EXISTS (SELECT 1 FROM calloff c "       \
	"  WHERE c.request_id = r.id AND " CALLOFF_SQL_PLACED("c.status") ")"

#define APPROVALS_SQL                                                                                     \
	"SELECT format('approval %d is pending and its call-off %d is %s', a.id, c.id, c.status), 0, 0 " \
	"FROM approval a JOIN calloff c ON c.id = a.calloff_id WHERE a.status = 'pending' AND NOT ("     \
	CALLOFF_SQL_AWAITS("c.status") " OR (c.tier = 'emergency' AND " CALLOFF_SQL_PLACED("c.status") "))"

#define VARIATIONS_SQL                                                                                    \
	"SELECT format('call-offs %d and %d, the parts of a varied package, %s: %d ends %s, %d starts %s', " \
	"  m.id, n.id, CASE WHEN m.end_date IS NULL OR m.end_date >= n.start_date THEN 'overlap' "        \
	"  ELSE 'leave a gap' END, m.id, coalesce(m.end_date, 'never'), n.id, n.start_date), 0, 0 "       \
	"FROM calloff n JOIN calloff m ON m.id = n.varied_from WHERE " CALLOFF_SQL_PLACED("n.status")     \
	" AND (m.end_date IS NULL OR m.end_date <> date(n.start_date, '-1 day'))"

/* a call-off holding units on a lot with no figure: a missing figure is
 * none free (issue 26, finding 2), only a spot purchase keeps none */
#define LOTS_SQL                                                                                          \
	"SELECT format('call-off %d holds %d %s of provider %d (%s) in %s, which reports no capacity there', " \
	"  c.id, coalesce(c.held_units, c.units), c.service, c.provider_id, p.name, c.locality), 0, 0 "    \
	"FROM calloff c JOIN provider p ON p.id = c.provider_id WHERE c.service <> 'RSP' AND c.tier <> 'spot' " \
	"  AND " CALLOFF_SQL_HOLDS("c.status") " AND NOT EXISTS (SELECT 1 FROM capacity k "                   \
	"  WHERE k.provider_id = c.provider_id AND k.service = c.service AND k.locality = c.locality) "     \
	"ORDER BY c.id"

/* one bed a night per person, from tonight (issue 26, finding 7) */
#define PERSON_BEDS_SQL                                                                                   \
	"SELECT format('person %s has respite call-offs %d and %d on the night of %s', u.ref, a.id, b.id, " \
	"  max(a.start_date, b.start_date, ?9)), 0, 0 "                                                   \
	"FROM calloff a JOIN package_request ra ON ra.id = a.request_id JOIN package_request rb "         \
	"  ON rb.user_id = ra.user_id JOIN calloff b ON b.request_id = rb.id AND b.id > a.id "           \
	"JOIN service_user u ON u.id = ra.user_id "                                                       \
	"WHERE " BOOKED("a") " AND " BOOKED("b") " AND a.end_date >= ?9 AND b.end_date >= ?9 "           \
	"  AND a.start_date <= b.end_date AND b.start_date <= a.end_date ORDER BY a.id, b.id"

/* care starts no earlier than its acceptance (issue 26, finding 5): an
 * accepted offer's call-off, the day of the acceptance (emergency
 * bookings start tonight, which at 3 a.m. is yesterday's date) */
#define STARTS_SQL                                                                                        \
	"SELECT format('call-off %d starts on %s, before the offer was accepted on %s', c.id, c.start_date, " \
	"  substr(o.responded_at, 1, 10)), 0, 0 FROM calloff c JOIN offer o ON o.id = c.offer_id "          \
	"WHERE c.varied_from IS NULL AND o.responded_at IS NOT NULL "                                      \
	"  AND c.start_date < substr(o.responded_at, 1, 10) ORDER BY c.id"

/* an approval decided by someone who may approve and did not shape it
 * (issue 26, finding 13): the role at the time is not kept, so the role
 * now, unless the audit shows it changed since the decision */
#define DECIDERS_SQL                                                                                      \
	"SELECT format('approval %d of call-off %d was %s by %s, %s', a.id, a.calloff_id, a.status, "       \
	"  a.decided_by, CASE WHEN a.decided_by = c.proposed_by THEN 'who proposed it' "                   \
	"  ELSE 'whose role (' || coalesce(u.role, 'no such login') || ') does not approve' END), 0, 0 "   \
	"FROM approval a JOIN calloff c ON c.id = a.calloff_id LEFT JOIN users u ON u.login = a.decided_by " \
	"WHERE a.status IN ('approved', 'rejected') AND a.decided_by IS NOT NULL "                        \
	"  AND (a.decided_by = c.proposed_by OR (coalesce(u.role, '') <> 'supervisor' AND NOT EXISTS "    \
	"  (SELECT 1 FROM audit x WHERE x.entity = 'user' AND x.entity_id = a.decided_by "                 \
	"   AND x.action = 'user.set-role' AND x.at >= a.decided_at))) ORDER BY a.id"

/* a call-off's unit rate is its provider's rate in force on its first day
 * (the acceptance and a booking read no other), but for a variation's part
 * (its rate is the variation's), care from before the framework (legacy),
 * and a call-off whose provider's rates an admin set again after it was
 * made (the audit says so) (issue 26, finding 13: a call-off rewritten to 1p) */
#define RATES_SQL                                                                                         \
	"SELECT format('call-off %d is at %d pence a unit, but %s''s %s rate in force on %s is %s', c.id, " \
	"  c.unit_rate_pence, p.name, c.service, c.start_date, coalesce(r.pence || ' pence', 'none')), 0, 0 " \
	"FROM calloff c JOIN provider p ON p.id = c.provider_id LEFT JOIN rate r ON r.provider_id = c.provider_id " \
	"  AND r.service = c.service AND r.valid_from = (SELECT max(x.valid_from) FROM rate x "            \
	"  WHERE x.provider_id = c.provider_id AND x.service = c.service AND x.valid_from <= c.start_date) " \
	"WHERE c.varied_from IS NULL AND c.tier <> 'legacy' AND c.unit_rate_pence IS NOT coalesce(r.pence, -1) " \
	"  AND NOT EXISTS (SELECT 1 FROM audit x WHERE x.entity = 'rate' AND x.action = 'rate.set' "          \
	"  AND x.entity_id >= c.provider_id || '/' || c.service || '/' "                                    \
	"  AND x.entity_id < c.provider_id || '/' || c.service || '0' AND x.at > c.created_at) "            \
	"ORDER BY c.id"

/* a resume no earlier than the retainer's end: the days between would be
 * paid twice (issue 26) */
#define PAUSES_SQL                                                                                        \
	"SELECT format('call-off %d resumed on %s, before its retainer ran out on %s', p.calloff_id, "      \
	"  p.resumed_on, p.released_on), 0, 0 FROM calloff_pause p WHERE p.resumed_on IS NOT NULL "        \
	"  AND p.released_on > p.from_date AND p.resumed_on < p.released_on ORDER BY p.calloff_id"

static const struct {
	const char *text, *sql;
} rules[INV_COUNT] = {
	[INV_AWARDS] = {"awards: one holder per tier per lot on any day, no lot awarded twice to one provider",
			AWARDS_SQL},
	[INV_PROVIDERS] = {"providers: names unique (folded), CQC location ids unique", PROVIDERS_SQL},
	[INV_CAPACITY] = {"capacity: what is free and what call-offs hold add up to the figure reported",
			  CAPACITY_SQL},
	[INV_BEDS] = {"respite beds: no night from tonight booked beyond the beds", BEDS_SQL},
	[INV_PEOPLE] = {"people: no live call-off or open request for a closed or deceased person", PEOPLE_SQL},
	[INV_REQUESTS] = {"requests: every open request waiting in the queue, every placed one with its call-off",
			  REQUESTS_SQL},
	[INV_APPROVALS] = {"approvals: none pending on a call-off past it", APPROVALS_SQL},
	[INV_VARIATIONS] = {"variations: a varied package's parts neither overlap nor leave a gap",
			    VARIATIONS_SQL},
	[INV_LOTS] = {"lots: every call-off holding units draws on a lot with a figure", LOTS_SQL},
	[INV_PERSON_BEDS] = {"respite: one bed a night per person, from tonight", PERSON_BEDS_SQL},
	[INV_STARTS] = {"starts: no call-off starts before its offer was accepted", STARTS_SQL},
	[INV_DECIDERS] = {"approvals: decided by a supervisor who did not propose the call-off", DECIDERS_SQL},
	[INV_PAUSES] = {"pauses: no resume dated before its retainer ran out", PAUSES_SQL},
	[INV_RATES] = {"rates: a call-off's unit rate is its provider's in force on its first day", RATES_SQL},
};

const char *invariants_text(enum invariant rule)
{
	return (unsigned)rule < INV_COUNT ? rules[rule].text : "?";
}

enum br_status invariants_run(struct store *st, int64_t tonight, int max_lines, invariant_fn fn, void *ctx,
			      int *found, char **why)
{
	char night[11];
	date_format(tonight, night);
	*found = 0;
	for (int i = 0; i < INV_COUNT; i++) {
		sqlite3_stmt *q = prep(st, rules[i].sql, why);
		if (!q)
			return BR_INTERNAL;
		int params = sqlite3_bind_parameter_count(q);
		if (params >= 1)
			sqlite3_bind_int(q, 1, 0);
		if (params >= 9)
			store_bind_text(q, 9, night);
		int rc, n = 0;
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			if (n++ < max_lines)
				fn(ctx, (enum invariant)i, (const char *)sqlite3_column_text(q, 0));
		}
		store_done(q);
		if (rc != SQLITE_DONE)
			return store_error(st, rc, "checking the business rules", why);
		if (n > max_lines) {
			char more[200];
			snprintf(more, sizeof more, "%s: %d more", rules[i].text, n - max_lines);
			fn(ctx, (enum invariant)i, more);
		}
		*found += n;
	}
	return BR_OK;
}

/* the first row of a one-row question: *other (column 1), *same (2), line (0) */
static enum br_status first(struct store *st, sqlite3_stmt *q, int64_t *other, int *same, char *line,
			    size_t linesz, char **why)
{
	*other = 0;
	if (line && linesz)
		line[0] = '\0';
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*other = sqlite3_column_int64(q, 1);
		if (same)
			*same = sqlite3_column_int(q, 2);
		if (line && linesz)
			store_col_text(q, 0, line, linesz);
	}
	store_done(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(st, rc, "checking the business rules", why);
	return BR_OK;
}

enum br_status invariants_award(struct store *st, const struct invariant_award *a, int64_t *other,
				int *same, char *line, size_t linesz, char **why)
{
	sqlite3_stmt *q = prep(st, AWARDS_SQL, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int(q, 1, 1);
	sqlite3_bind_int64(q, 2, a->id);
	store_bind_text(q, 3, a->service);
	store_bind_text(q, 4, a->locality ? a->locality : "");
	sqlite3_bind_int64(q, 5, a->provider_id);
	store_bind_text(q, 6, a->tier);
	store_bind_text(q, 7, a->from);
	store_bind_text(q, 8, a->to ? a->to : "");
	store_bind_text(q, 10, a->label);
	return first(st, q, other, same, line, linesz, why);
}

enum br_status invariants_provider(struct store *st, int64_t id, const char *label, const char *name_fold,
				   const char *cqc, int64_t *other, char *line, size_t linesz, char **why)
{
	sqlite3_stmt *q = prep(st, PROVIDERS_SQL, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int(q, 1, 1);
	sqlite3_bind_int64(q, 2, id);
	store_bind_text(q, 3, name_fold);
	store_bind_text(q, 4, cqc ? cqc : "");
	store_bind_text(q, 10, label);
	return first(st, q, other, NULL, line, linesz, why);
}
