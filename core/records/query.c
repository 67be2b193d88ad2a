#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "store_internal.h"
#include "util.h"

/* ---- shared helpers ----------------------------------------------------- */

/* [lo, hi) bounds for a prefix: hi is lo with its last byte incremented.
 * Works for the ASCII keys we search on (folded names, digits, refs). */
static void prefix_bounds(const char *prefix, char *lo, char *hi, size_t sz)
{
	text_copy(lo, sz, prefix);
	text_copy(hi, sz, prefix);
	size_t n = strlen(hi);
	if (n > 0)
		hi[n - 1] = (char)(hi[n - 1] + 1);
}

static void reverse_rows(void *rows, int n, size_t size)
{
	char *a = rows, tmp[sizeof(struct provider_row) > sizeof(struct su_row)
				    ? sizeof(struct provider_row) : sizeof(struct su_row)];
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		memcpy(tmp, a + (size_t)i * size, size);
		memcpy(a + (size_t)i * size, a + (size_t)j * size, size);
		memcpy(a + (size_t)j * size, tmp, size);
	}
}

struct sqlbuf {
	char s[4096];
	size_t n;
	bool overflow;
};

static void add(struct sqlbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void add(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof b->s - b->n)
		b->overflow = true;
	else
		b->n += (size_t)w;
}

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
	prefix_bounds(key, lo, hi, sizeof lo);
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
		add(b, " AND su.locality = ?5");
	if (need)
		add(b, " AND (su.primary_need = ?6 OR EXISTS (SELECT 1 FROM service_user_need n "
		       "WHERE n.user_id = su.id AND n.need = ?6))");
	if (status)
		add(b, " AND su.status = ?7");
	const char *cmp = backward ? "<" : ">";
	if (cursor) {
		if (k2)
			add(b, " AND (%s, %s, su.id) %s (?8, ?9, ?10)", k1, k2, cmp);
		else
			add(b, " AND (%s, su.id) %s (?8, ?10)", k1, cmp);
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
		add(b, "SELECT " SU_COLUMNS ", t.k1, t.k2 FROM (SELECT * FROM (");
		for (int i = 0; i < 2; i++) {
			add(b, "%sSELECT * FROM (SELECT su.id AS id, su.family_fold AS k1, su.given_fold AS k2 "
			       "FROM service_user su%s WHERE %s", i ? " UNION " : "",
			    !w && i == 1 ? " INDEXED BY su_by_given" : "", sides[w][i]);
			su_filters(b, k1, k2, loc, need, status, cursor, backward);
			add(b, " ORDER BY 2%s, 3%s, 1%s LIMIT ?11)", ord, ord, ord);
		}
		add(b, " ORDER BY 2%s, 3%s, 1%s LIMIT ?11)) t JOIN service_user su ON su.id = t.id "
		       "ORDER BY t.k1%s, t.k2%s, t.id%s", ord, ord, ord, ord, ord, ord);
		return;
	}
	add(b, "SELECT " SU_COLUMNS ", %s, %s FROM service_user su WHERE 1", k1, k2 ? k2 : "''");
	switch (kind) {
	case SU_TEXT_NHS: add(b, " AND su.nhs_number >= ?1 AND su.nhs_number < ?2"); break;
	case SU_TEXT_REF: add(b, " AND su.ref >= ?1 AND su.ref < ?2"); break;
	case SU_TEXT_POSTCODE: add(b, " AND su.postcode_key >= ?1 AND su.postcode_key < ?2"); break;
	default: break;
	}
	su_filters(b, k1, k2, loc, need, status, cursor, backward);
	if (k2)
		add(b, " ORDER BY %s%s, %s%s, su.id%s LIMIT ?11", k1, ord, k2, ord, ord);
	else
		add(b, " ORDER BY %s%s, su.id%s LIMIT ?11", k1, ord, ord);
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
	prefix_bounds(w1, lo1, hi1, sizeof lo1);
	prefix_bounds(w2, lo2, hi2, sizeof lo2);
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
		reverse_rows(rows, count, sizeof *rows);
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
	add(b, "SELECT " PROVIDER_COLUMNS ", " PROVIDER_TIER " FROM provider p WHERE 1");
	if (text)
		add(b, " AND instr(p.name_fold, ?1) > 0");
	if (svc || need)
		add(b, " AND EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "");
	if (loc)
		add(b, " AND EXISTS (SELECT 1 FROM coverage c WHERE c.provider_id = p.id "
		       "AND c.locality = ?4)");
	switch (tier) {
	case 1:
	case 2:
		add(b, " AND EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id AND a.tier = '%s'"
		       "%s%s AND " AWARD_VALID ")", provider_tiers[tier],
		    svc ? " AND a.service = ?2" : "", loc ? " AND a.locality = ?4" : "");
		break;
	case 3:
		add(b, " AND EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id "
		       "AND a.tier = 'peripheral'%s AND " AWARD_VALID ")",
		    svc ? " AND a.service = ?2" : "");
		break;
	case 4:
		add(b, " AND EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)"
		       " AND NOT EXISTS (SELECT 1 FROM award a WHERE a.provider_id = p.id%s AND "
		       AWARD_VALID ")",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "",
		    svc ? " AND a.service = ?2" : "");
		break;
	case 5:
		add(b, " AND NOT EXISTS (SELECT 1 FROM registration r WHERE r.provider_id = p.id%s%s)",
		    svc ? " AND r.service = ?2" : "", need ? " AND r.need = ?3" : "");
		break;
	default:
		break;
	}
	if (status)
		add(b, " AND p.status = ?6");
	const char *cmp = backward ? "<" : ">", *ord = backward ? " DESC" : "";
	if (cursor)
		add(b, " AND (p.name_fold, p.id) %s (?8, ?10)", cmp);
	add(b, " ORDER BY p.name_fold%s, p.id%s LIMIT ?11", ord, ord);
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
		reverse_rows(rows, count, sizeof *rows);
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
