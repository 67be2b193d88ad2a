/* query_people.c — the service users' list and lookups (su_*): by name,
 * reference or NHS number, filtered, paged by keyset; the restricted mask. */
#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "query_internal.h"
#include "store_internal.h"
#include "util.h"

/* ---- service users ------------------------------------------------------ */

enum { SU_KIND_NAME2 = SU_TEXT_NAME + 1, SU_KINDS };

static void only_digits(const char *in, char *out, size_t sz)
{
	size_t j = 0;
	for (; *in && j + 1 < sz; in++)
		if (isdigit((unsigned char)*in))
			out[j++] = *in;
	out[j] = '\0';
}

static bool ref_prefix_exists(struct store *s, const char *key)
{
	char lo[32], hi[32];
	query_prefix_bounds(key, lo, hi, sizeof lo);
	sqlite3_stmt *st = store_stmt(s, STMT_SU_REF_PROBE,
		"SELECT 1 FROM service_user WHERE ref >= ?1 AND ref < ?2 LIMIT 1", NULL);
	if (!st)
		return false;
	store_bind_text(st, 1, lo);
	store_bind_text(st, 2, hi);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	store_done(st);
	return found;
}

enum su_text_kind su_text_kind(struct store *s, const char *text)
{
	bool any = false, letters = false, digits = false, other = false;
	for (const char *p = text; p && *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c))
			continue;
		any = true;
		if (isdigit(c))
			digits = true;
		else if (isalpha(c))
			letters = true;
		else
			other = true;
	}
	if (!any)
		return SU_TEXT_NONE;
	if (digits && !letters && !other)
		return SU_TEXT_NHS;
	if (digits && letters && !other && isalpha((unsigned char)text[strspn(text, " ")])) {
		char key[32];
		postcode_key(text, key, sizeof key);
		return ref_prefix_exists(s, key) ? SU_TEXT_REF : SU_TEXT_POSTCODE;
	}
	return SU_TEXT_NAME;
}

const char *su_text_kind_name(enum su_text_kind k)
{
	switch (k) {
	case SU_TEXT_NONE: return "all";
	case SU_TEXT_NHS: return "NHS number";
	case SU_TEXT_REF: return "reference";
	case SU_TEXT_POSTCODE: return "postcode";
	case SU_TEXT_NAME: return "name";
	}
	return "?";
}

#define SU_COLUMNS                                                                        \
	"su.id, su.ref, coalesce(su.nhs_number,''), su.family_name, su.given_name, "      \
	"su.date_of_birth, su.postcode, su.locality, su.primary_need, "                  \
	"coalesce((SELECT group_concat(need, ';') FROM (SELECT need FROM service_user_need " \
	"          WHERE user_id = su.id ORDER BY need)), ''), "                          \
	"su.status, su.funding, su.forensic, su.restricted, su.direct_payment, su.s117, su.fnc"

void su_mask_restricted(struct su_row *r)
{
	if (!r->restricted)
		return;
	r->nhs[0] = r->dob[0] = r->postcode[0] = '\0';
}

/* how many columns SU_COLUMNS has: a list's keys come after them */
enum { SU_NCOLS = 17 };

static void su_read(sqlite3_stmt *st, struct su_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	store_col_text(st, 1, r->ref, sizeof r->ref);
	store_col_text(st, 2, r->nhs, sizeof r->nhs);
	store_col_text(st, 3, r->family, sizeof r->family);
	store_col_text(st, 4, r->given, sizeof r->given);
	store_col_text(st, 5, r->dob, sizeof r->dob);
	store_col_text(st, 6, r->postcode, sizeof r->postcode);
	store_col_text(st, 7, r->locality, sizeof r->locality);
	store_col_text(st, 8, r->primary_need, sizeof r->primary_need);
	store_col_text(st, 9, r->other_needs, sizeof r->other_needs);
	store_col_text(st, 10, r->status, sizeof r->status);
	store_col_text(st, 11, r->funding, sizeof r->funding);
	r->forensic = sqlite3_column_int(st, 12) != 0;
	r->restricted = sqlite3_column_int(st, 13) != 0;
	r->direct_payment = sqlite3_column_int(st, 14) != 0;
	r->s117 = sqlite3_column_int(st, 15) != 0;
	r->fnc = sqlite3_column_int(st, 16) != 0;
}

/* The filters after the text, and the cursor, on one SELECT of the list */
static void su_filters(struct sqlbuf *b, const char *k1, const char *k2, bool loc, bool need, bool status,
		       bool cursor, bool backward)
{
	if (loc)
		query_add(b, " AND su.locality = ?5");
	if (need)
		query_add(b, " AND (su.primary_need = ?6 OR EXISTS (SELECT 1 FROM service_user_need n "
		       "WHERE n.user_id = su.id AND n.need = ?6))");
	if (status)
		query_add(b, " AND su.status = ?7");
	const char *cmp = backward ? "<" : ">";
	if (cursor) {
		if (k2)
			query_add(b, " AND (%s, %s, su.id) %s (?8, ?9, ?10)", k1, k2, cmp);
		else
			query_add(b, " AND (%s, su.id) %s (?8, ?10)", k1, cmp);
	}
}

/* Build the SQL for one shape of the service-user list. Parameters:
 * ?1..?4 text bounds, ?5 locality, ?6 need, ?7 status, ?8 k1, ?9 k2,
 * ?10 id, ?11 limit.
 *
 * A name matches the family name or the given name: two halves, each
 * finding only the keys of its first page (the family half walks
 * su_by_family in list order; the given half reads su_by_given, which
 * holds the filters' columns, and sorts keys only), merged by UNION; then
 * only that page's people are read whole. A one-letter name with a
 * filter, over a real register's two thousand surnames, reads no row it
 * does not show (schemas/015_name_search.sql). */
static void su_sql(struct sqlbuf *b, int kind, bool loc, bool need, bool status, bool cursor,
		   bool backward)
{
	const char *k1 = "su.family_fold", *k2 = "su.given_fold";
	if (kind == SU_TEXT_NHS) {
		k1 = "su.nhs_number";
		k2 = NULL;
	} else if (kind == SU_TEXT_REF) {
		k1 = "su.ref";
		k2 = NULL;
	} else if (kind == SU_TEXT_POSTCODE) {
		k1 = "su.postcode_key";
		k2 = "su.family_fold";
	}
	const char *ord = backward ? " DESC" : "";
	if (kind == SU_TEXT_NAME || kind == SU_KIND_NAME2) {
		static const char *const sides[2][2] = {
			{"su.family_fold >= ?1 AND su.family_fold < ?2",
			 "su.given_fold >= ?1 AND su.given_fold < ?2"},
			{"su.given_fold >= ?1 AND su.given_fold < ?2 AND su.family_fold >= ?3 AND su.family_fold < ?4",
			 "su.family_fold >= ?1 AND su.family_fold < ?2 AND su.given_fold >= ?3 AND su.given_fold < ?4"},
		};
		int w = kind == SU_KIND_NAME2;
		/* each half finds the keys of its first page, the halves are
		 * merged, and only that page's people are read whole */
		query_add(b, "SELECT " SU_COLUMNS ", t.k1, t.k2 FROM (SELECT * FROM (");
		for (int i = 0; i < 2; i++) {
			query_add(b, "%sSELECT * FROM (SELECT su.id AS id, su.family_fold AS k1, su.given_fold AS k2 "
			       "FROM service_user su%s WHERE %s", i ? " UNION " : "",
			    !w && i == 1 ? " INDEXED BY su_by_given" : "", sides[w][i]);
			su_filters(b, k1, k2, loc, need, status, cursor, backward);
			query_add(b, " ORDER BY 2%s, 3%s, 1%s LIMIT ?11)", ord, ord, ord);
		}
		query_add(b, " ORDER BY 2%s, 3%s, 1%s LIMIT ?11)) t JOIN service_user su ON su.id = t.id "
		       "ORDER BY t.k1%s, t.k2%s, t.id%s", ord, ord, ord, ord, ord, ord);
		return;
	}
	query_add(b, "SELECT " SU_COLUMNS ", %s, %s FROM service_user su WHERE 1", k1, k2 ? k2 : "''");
	switch (kind) {
	case SU_TEXT_NHS: query_add(b, " AND su.nhs_number >= ?1 AND su.nhs_number < ?2"); break;
	case SU_TEXT_REF: query_add(b, " AND su.ref >= ?1 AND su.ref < ?2"); break;
	case SU_TEXT_POSTCODE: query_add(b, " AND su.postcode_key >= ?1 AND su.postcode_key < ?2"); break;
	default: break;
	}
	/* a restricted record's hidden fields match no search (issue 26,
	 * finding 9: a prefix at a time they told its NHS number and postcode) */
	if (kind == SU_TEXT_NHS || kind == SU_TEXT_POSTCODE)
		query_add(b, " AND su.restricted = 0");
	su_filters(b, k1, k2, loc, need, status, cursor, backward);
	if (k2)
		query_add(b, " ORDER BY %s%s, %s%s, su.id%s LIMIT ?11", k1, ord, k2, ord, ord);
	else
		query_add(b, " ORDER BY %s%s, su.id%s LIMIT ?11", k1, ord, ord);
}

enum br_status su_list(struct store *s, const struct su_filter *f, const struct list_cursor *at,
		       enum list_dir dir, struct su_row *rows, int limit, int *n, char **why)
{
	*n = 0;
	if (limit <= 0)
		return BR_OK;
	int kind = su_text_kind(s, f->text);
	char w1[64] = "", w2[64] = "";
	if (kind == SU_TEXT_NAME) {
		/* two words: given + family either way round */
		char copy[64];
		text_copy(copy, sizeof copy, f->text);
		char *save = NULL, *a = strtok_r(copy, " ,", &save), *c = strtok_r(NULL, " ,", &save);
		text_fold(a, w1, sizeof w1);
		if (c) {
			text_fold(c, w2, sizeof w2);
			if (w2[0])
				kind = SU_KIND_NAME2;
		}
		if (!w1[0]) {
			text_fold(f->text, w1, sizeof w1);
			if (!w1[0])
				kind = SU_TEXT_NONE;
		}
	} else if (kind == SU_TEXT_NHS) {
		only_digits(f->text, w1, sizeof w1);
	} else if (kind == SU_TEXT_REF || kind == SU_TEXT_POSTCODE) {
		postcode_key(f->text, w1, sizeof w1);
	}
	bool loc = f->locality[0], need = f->need[0], status = f->status[0];
	bool cursor = at && at->set, backward = dir == LIST_BACKWARD;
	int shape = kind;
	shape = shape * 2 + loc;
	shape = shape * 2 + need;
	shape = shape * 2 + status;
	shape = shape * 2 + cursor;
	shape = shape * 2 + backward;
	struct sqlbuf b = {.n = 0};
	su_sql(&b, kind, loc, need, status, cursor, backward);
	if (b.overflow)
		return br_fail(why, BR_INTERNAL, "service user query too long");
	sqlite3_stmt *st = store_stmt(s, STMT_SU_LIST_BASE + shape, b.s, why);
	if (!st)
		return BR_INTERNAL;
	char lo1[72], hi1[72], lo2[72], hi2[72];
	query_prefix_bounds(w1, lo1, hi1, sizeof lo1);
	query_prefix_bounds(w2, lo2, hi2, sizeof lo2);
	store_bind_text(st, 1, lo1);
	store_bind_text(st, 2, hi1);
	store_bind_text(st, 3, lo2);
	store_bind_text(st, 4, hi2);
	store_bind_text(st, 5, f->locality);
	store_bind_text(st, 6, f->need);
	store_bind_text(st, 7, f->status);
	if (cursor) {
		store_bind_text(st, 8, at->k1);
		store_bind_text(st, 9, at->k2);
		sqlite3_bind_int64(st, 10, at->id);
	}
	sqlite3_bind_int(st, 11, limit);
	int rc, count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && count < limit) {
		struct su_row *r = &rows[count++];
		su_read(st, r);
		su_mask_restricted(r);
		r->key.set = true;
		store_col_text(st, SU_NCOLS, r->key.k1, sizeof r->key.k1);
		store_col_text(st, SU_NCOLS + 1, r->key.k2, sizeof r->key.k2);
		r->key.id = r->id;
	}
	store_done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_error(s, rc, "listing service users", why);
	if (backward)
		query_reverse_rows(rows, count, sizeof *rows);
	*n = count;
	return BR_OK;
}

static enum br_status su_get_by(struct store *s, int slot, const char *sql, int64_t id,
				const char *ref, struct su_row *row, char **why)
{
	sqlite3_stmt *st = store_stmt(s, slot, sql, why);
	if (!st)
		return BR_INTERNAL;
	if (ref)
		store_bind_text(st, 1, ref);
	else
		sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	enum br_status result = BR_OK;
	if (rc == SQLITE_ROW)
		su_read(st, row);
	else if (rc == SQLITE_DONE)
		result = ref ? br_fail(why, BR_NOTFOUND, "no service user with reference %s", ref)
			     : br_fail(why, BR_NOTFOUND, "no service user %lld", (long long)id);
	else
		result = store_error(s, rc, "reading a service user", why);
	store_done(st);
	return result;
}

enum br_status su_get(struct store *s, int64_t id, struct su_row *row, char **why)
{
	return su_get_by(s, STMT_SU_GET, "SELECT " SU_COLUMNS " FROM service_user su WHERE su.id = ?1",
			 id, NULL, row, why);
}

enum br_status su_find_ref(struct store *s, const char *ref, struct su_row *row, char **why)
{
	return su_get_by(s, STMT_SU_NEEDS,
			 "SELECT " SU_COLUMNS " FROM service_user su WHERE su.ref = ?1", 0, ref, row,
			 why);
}
