/* import_people.c — the service-users table: columns to a person_input,
 * checked by person_field_check (records/upkeep.c) in the register's words. */
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

/* ===== service users ===================================================== */

enum {
	SU_REF, SU_NHS, SU_FAMILY, SU_GIVEN, SU_DOB, SU_POSTCODE, SU_LOCALITY, SU_PRIMARY,
	SU_OTHER, SU_STATUS, SU_FORENSIC, SU_RESTRICTED, SU_DP, SU_FUNDING, SU_NCOLS
};

static const struct col su_cols[] = {
	{"ref", true}, {"nhs_number", false}, {"family_name", true}, {"given_name", true},
	{"date_of_birth", true}, {"postcode", false}, {"locality", true}, {"primary_need", true},
	{"other_needs", false}, {"status", false}, {"forensic", false}, {"restricted", false},
	{"direct_payment", false}, {"funding", false}, {NULL, false},
};

static void su_defaults(struct import_ctx *c, struct row *r)
{
	static const struct { int col; const char *v; } d[] = {
		{SU_STATUS, "active"}, {SU_FORENSIC, "0"}, {SU_RESTRICTED, "0"}, {SU_DP, "0"},
		{SU_FUNDING, "ASC"},
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		if (!*V(r, d[i].col))
			import_set_field(r, d[i].col, d[i].v);
	(void)c;
}

/* The person_input columns: the register's rules (records/upkeep.c's
 * person_field_check) are asked of them, so an imported person meets
 * exactly what person add and the Person form ask. */
static const int su_field_col[PERSON_FIELDS] = {
	[PERSON_NHS] = SU_NHS, [PERSON_FAMILY] = SU_FAMILY, [PERSON_GIVEN] = SU_GIVEN,
	[PERSON_DOB] = SU_DOB, [PERSON_POSTCODE] = SU_POSTCODE, [PERSON_LOCALITY] = SU_LOCALITY,
	[PERSON_NEED] = SU_PRIMARY, [PERSON_OTHER_NEEDS] = SU_OTHER, [PERSON_FORENSIC] = SU_FORENSIC,
	[PERSON_FUNDING] = SU_FUNDING,
};

/* One row's own values. False when any is bad. */
static bool su_check_values(struct import_ctx *c, struct row *r)
{
	bool ok = true;
	if (import_check_required(c, r, SU_REF) && !import_check_len(c, r, SU_REF, 16))
		ok = false;
	else if (!*V(r, SU_REF))
		ok = false;
	/* the CSV's own shape: present, short enough for the input, 0 or 1 */
	struct person_input in = {0};
	const size_t room[PERSON_FIELDS] = {
		[PERSON_NHS] = sizeof in.nhs, [PERSON_FAMILY] = sizeof in.family,
		[PERSON_GIVEN] = sizeof in.given, [PERSON_DOB] = sizeof in.dob,
		[PERSON_POSTCODE] = sizeof in.postcode, [PERSON_LOCALITY] = sizeof in.locality,
		[PERSON_NEED] = sizeof in.need, [PERSON_OTHER_NEEDS] = sizeof in.other_needs,
		[PERSON_FORENSIC] = 2, [PERSON_FUNDING] = sizeof in.funding,
	};
	bool shaped[PERSON_FIELDS];
	for (int f = 0; f < PERSON_FIELDS; f++) {
		int col = su_field_col[f];
		shaped[f] = (!c->t->cols[col].required || import_check_required(c, r, col)) &&
			    import_check_len(c, r, col, room[f] - 1);
	}
	shaped[PERSON_FORENSIC] = shaped[PERSON_FORENSIC] && import_check_flag(c, r, SU_FORENSIC);
	shaped[PERSON_OTHER_NEEDS] = shaped[PERSON_OTHER_NEEDS] &&
				     import_check_list(c, r, SU_OTHER, import_item_need, "needs groups (LD, AUT, MH, ABI, PD, DD)");
	text_copy(in.nhs, sizeof in.nhs, V(r, SU_NHS));
	text_copy(in.family, sizeof in.family, V(r, SU_FAMILY));
	text_copy(in.given, sizeof in.given, V(r, SU_GIVEN));
	text_copy(in.dob, sizeof in.dob, V(r, SU_DOB));
	text_copy(in.postcode, sizeof in.postcode, V(r, SU_POSTCODE));
	text_copy(in.locality, sizeof in.locality, V(r, SU_LOCALITY));
	text_copy(in.need, sizeof in.need, V(r, SU_PRIMARY));
	text_copy(in.other_needs, sizeof in.other_needs, V(r, SU_OTHER));
	text_copy(in.funding, sizeof in.funding, V(r, SU_FUNDING));
	in.forensic = strcmp(V(r, SU_FORENSIC), "1") == 0;
	/* the register's rules; one across fields waits for the field it needs */
	for (int f = 0; f < PERSON_FIELDS; f++) {
		if (!shaped[f]) {
			ok = false;
			continue;
		}
		if ((f == PERSON_FORENSIC || f == PERSON_OTHER_NEEDS) && !shaped[PERSON_NEED])
			continue;
		char buf[200];
		const char *wrong = person_field_check(&c->s->cfg, &in, (enum person_field)f, true, buf, sizeof buf);
		if (wrong) {
			import_bad(c, r, su_field_col[f], "%s", wrong);
			ok = false;
			if (f == PERSON_NEED)
				shaped[PERSON_NEED] = false;
		}
	}
	char ten[11];
	if (shaped[PERSON_NHS] && *V(r, SU_NHS) && nhs_normalise(V(r, SU_NHS), ten, NULL) == BR_OK)
		import_set_field(r, SU_NHS, ten);
	if (*V(r, SU_STATUS) && !su_status_valid(V(r, SU_STATUS))) {
		import_bad(c, r, SU_STATUS, "is not a status (active, closed, deceased)");
		ok = false;
	}
	for (int col = SU_RESTRICTED; col <= SU_DP; col++)
		if (!import_check_flag(c, r, col))
			ok = false;
	return ok;
}

static void su_check(struct import_ctx *c)
{
	static const char by_ref[] =
		"SELECT su.id, coalesce(su.nhs_number,''), su.family_name, su.given_name, "
		"su.date_of_birth, su.postcode, su.locality, su.primary_need, "
		"coalesce((SELECT group_concat(need, ';') FROM (SELECT need FROM service_user_need "
		"  WHERE user_id = su.id ORDER BY need)), ''), su.status, su.forensic, su.restricted, "
		"su.direct_payment, su.funding, "
		"EXISTS (SELECT 1 FROM package_request pr WHERE pr.user_id = su.id AND pr.status = 'open') "
		"OR EXISTS (SELECT 1 FROM calloff co JOIN package_request pr ON pr.id = co.request_id "
		"  WHERE pr.user_id = su.id AND " CALLOFF_SQL_LIVE("co.status") ") "
		"FROM service_user su WHERE su.ref = ?1";
	static const char by_nhs[] = "SELECT ref FROM service_user WHERE nhs_number = ?1";
	static const char by_name[] =
		"SELECT ref, coalesce(nhs_number,'') FROM service_user "
		"WHERE family_fold = ?1 AND given_fold = ?2 AND date_of_birth = ?3 AND ref <> ?4";
	char *why = NULL;
	for (size_t i = 0; i < c->nrows && c->err == BR_OK; i++) {
		struct row *r = &c->rows[i];
		if (!su_check_values(c, r))
			continue;
		if (import_dup_in_file(c, SEEN_REF, V(r, SU_REF), r, SU_REF))
			continue;
		if (*V(r, SU_NHS) && import_dup_in_file(c, SEEN_NHS, V(r, SU_NHS), r, SU_NHS))
			continue;
		char ff[128], gf[128], key[300];
		text_fold(V(r, SU_FAMILY), ff, sizeof ff);
		text_fold(V(r, SU_GIVEN), gf, sizeof gf);
		snprintf(key, sizeof key, "%s|%s|%s", ff, gf, V(r, SU_DOB));
		long first;
		int first_nhs = 0;
		if (!import_seen_add(c, SEEN_NAME, key, r->line, *V(r, SU_NHS) != 0, &first, &first_nhs) &&
		    (!*V(r, SU_NHS) || !first_nhs)) {
			/* the same name and birthday: the same person, unless both
			 * carry (different) NHS numbers */
			import_bad(c, r, SU_FAMILY, "is not a new person: the same name and date of birth "
			    "as line %ld", first);
			continue;
		}
		/* against the database */
		sqlite3_stmt *q;
		if (*V(r, SU_NHS)) {
			if (!(q = store_cached(c->s->store, by_nhs, &why)))
				break;
			sqlite3_bind_text(q, 1, V(r, SU_NHS), -1, SQLITE_TRANSIENT);
			if (sqlite3_step(q) == SQLITE_ROW) {
				const char *other = (const char *)sqlite3_column_text(q, 0);
				if (other && strcmp(other, V(r, SU_REF)) != 0)
					import_bad(c, r, SU_NHS, "is not free: it is %s's NHS number", other);
			}
			store_done(q);
		}
		if (!(q = store_cached(c->s->store, by_name, &why)))
			break;
		sqlite3_bind_text(q, 1, ff, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 2, gf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 3, V(r, SU_DOB), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 4, V(r, SU_REF), -1, SQLITE_TRANSIENT);
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *other = (const char *)sqlite3_column_text(q, 0);
			const char *other_nhs = (const char *)sqlite3_column_text(q, 1);
			if (!*V(r, SU_NHS) || !other_nhs || !*other_nhs) {
				import_bad(c, r, SU_FAMILY, "is not a new person: %s has the same name and date of birth",
				    other ? other : "?");
				break;
			}
		}
		store_done(q);
		if (!(q = store_cached(c->s->store, by_ref, &why)))
			break;
		sqlite3_bind_text(q, 1, V(r, SU_REF), -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) != SQLITE_ROW) {
			store_done(q);
			r->act = ACT_ADD;
			su_defaults(c, r);
			continue;
		}
		r->id = sqlite3_column_int64(q, 0);
		bool busy = sqlite3_column_int(q, 14) != 0;
		char cur[256];
		for (int col = SU_NHS; col < SU_NCOLS; col++) {
			int k = col; /* the query's columns follow the table's, id first */
			if (col >= SU_FORENSIC && col <= SU_DP)
				snprintf(cur, sizeof cur, "%d", sqlite3_column_int(q, k));
			else
				store_col_text(q, k, cur, sizeof cur);
			if (col == SU_STATUS && has(c, col) && *V(r, col) && strcmp(V(r, col), cur) != 0 && busy) {
				import_bad(c, r, col, "is not allowed here: %s has open requests or live call-offs; "
				    "settle them first", V(r, SU_REF));
			}
			if (has(c, col) && !*V(r, col) && (col >= SU_STATUS && col != SU_OTHER))
				import_set_field(r, col, cur); /* empty flag or enum keeps the current value */
			import_compare(c, r, col, cur);
		}
		store_done(q);
		r->act = r->changed[0] ? ACT_UPDATE : ACT_SAME;
	}
	if (why)
		import_db_error(c, BR_INTERNAL, &why);
}

static enum br_status su_write(struct import_ctx *c, char **why)
{
	static const char ins[] =
		"INSERT INTO service_user(ref, nhs_number, family_name, given_name, family_fold, "
		"given_fold, date_of_birth, postcode, postcode_key, locality, primary_need, forensic, "
		"restricted, direct_payment, funding, status, created_at) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)";
	static const char upd[] =
		"UPDATE service_user SET ref = ?1, nhs_number = ?2, family_name = ?3, given_name = ?4, "
		"family_fold = ?5, given_fold = ?6, date_of_birth = ?7, postcode = ?8, postcode_key = ?9, "
		"locality = ?10, primary_need = ?11, forensic = ?12, restricted = ?13, "
		"direct_payment = ?14, funding = ?15, status = ?16 WHERE id = ?18";
	static const char del_needs[] = "DELETE FROM service_user_need WHERE user_id = ?1";
	static const char ins_need[] = "INSERT INTO service_user_need VALUES (?1, ?2)";
	char now[21];
	clock_stamp(clock_now(), now);
	for (size_t i = 0; i < c->nrows; i++) {
		struct row *r = &c->rows[i];
		if (r->act == ACT_SAME)
			continue;
		char ff[128], gf[128], pk[16];
		text_fold(V(r, SU_FAMILY), ff, sizeof ff);
		text_fold(V(r, SU_GIVEN), gf, sizeof gf);
		postcode_key(V(r, SU_POSTCODE), pk, sizeof pk);
		sqlite3_stmt *q = store_cached(c->s->store, r->act == ACT_ADD ? ins : upd, why);
		if (!q)
			return BR_INTERNAL;
		sqlite3_bind_text(q, 1, V(r, SU_REF), -1, SQLITE_STATIC);
		import_bind_opt(q, 2, V(r, SU_NHS));
		sqlite3_bind_text(q, 3, V(r, SU_FAMILY), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 4, V(r, SU_GIVEN), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 5, ff, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 6, gf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 7, V(r, SU_DOB), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 8, V(r, SU_POSTCODE), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 9, pk, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 10, V(r, SU_LOCALITY), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 11, V(r, SU_PRIMARY), -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 12, atoi(V(r, SU_FORENSIC)));
		sqlite3_bind_int(q, 13, atoi(V(r, SU_RESTRICTED)));
		sqlite3_bind_int(q, 14, atoi(V(r, SU_DP)));
		sqlite3_bind_text(q, 15, V(r, SU_FUNDING), -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 16, V(r, SU_STATUS), -1, SQLITE_STATIC);
		if (r->act == ACT_ADD)
			sqlite3_bind_text(q, 17, now, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(q, 18, r->id);
		enum br_status st = store_step_done(c->s->store, q, "importing a person", why);
		if (st != BR_OK)
			return st;
		if (r->act == ACT_ADD)
			r->id = sqlite3_last_insert_rowid(store_db(c->s->store));
		if (r->act == ACT_UPDATE || *V(r, SU_OTHER)) {
			if (r->act == ACT_UPDATE) {
				if (!(q = store_cached(c->s->store, del_needs, why)))
					return BR_INTERNAL;
				sqlite3_bind_int64(q, 1, r->id);
				if ((st = store_step_done(c->s->store, q, "importing a person's needs", why)) != BR_OK)
					return st;
			}
			char list[1100];
			snprintf(list, sizeof list, "%s", V(r, SU_OTHER));
			for (char *save = NULL, *it = strtok_r(list, ";", &save); it;
			     it = strtok_r(NULL, ";", &save)) {
				if (!(q = store_cached(c->s->store, ins_need, why)))
					return BR_INTERNAL;
				sqlite3_bind_int64(q, 1, r->id);
				sqlite3_bind_text(q, 2, it, -1, SQLITE_TRANSIENT);
				if ((st = store_step_done(c->s->store, q, "importing a person's needs", why)) != BR_OK)
					return st;
			}
		}
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		if ((st = import_audit_row(c, r, id, why)) != BR_OK)
			return st;
	}
	return BR_OK;
}

const struct table import_table_service_users = {"service-users", "person", su_cols, su_check, su_write, false};
