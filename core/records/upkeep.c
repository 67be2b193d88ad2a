/* upkeep.c — the people of the register: a person referred, edited,
 * closed, restricted (the lots are upkeep_lots.c). See upkeep.h. Each write is one BEGIN IMMEDIATE ... COMMIT with its audit row. */
#include "upkeep.h"

#include "capacity.h"
#include "invariants.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff_rows.h"
#include "domain.h"
#include "request.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

static const char *const admins[] = {"admin", NULL};
static const char *const referrers[] = {"officer", "supervisor", "admin", NULL};

/* ---- people ------------------------------------------------------------------- */

const char *const person_field_words[PERSON_FIELDS] = {
	[PERSON_NHS] = "NHS number", [PERSON_FAMILY] = "family name", [PERSON_GIVEN] = "given name",
	[PERSON_DOB] = "date of birth", [PERSON_POSTCODE] = "postcode", [PERSON_LOCALITY] = "locality",
	[PERSON_NEED] = "primary need", [PERSON_OTHER_NEEDS] = "other needs", [PERSON_FORENSIC] = "forensic",
	[PERSON_FUNDING] = "funding",
};

const char *person_field_value(const struct person_input *in, enum person_field f)
{
	switch (f) {
	case PERSON_NHS: return in->nhs;
	case PERSON_FAMILY: return in->family;
	case PERSON_GIVEN: return in->given;
	case PERSON_DOB: return in->dob;
	case PERSON_POSTCODE: return in->postcode;
	case PERSON_LOCALITY: return in->locality;
	case PERSON_NEED: return in->need;
	case PERSON_OTHER_NEEDS: return in->other_needs;
	case PERSON_FORENSIC: return in->forensic ? "yes" : "no";
	case PERSON_FUNDING: return in->funding;
	case PERSON_FIELDS: break;
	}
	return "";
}

/* The other needs as codes (',' or ';' between them); NULL or what is wrong. */
static const char *other_needs_parse(const struct person_input *in, char codes[][4], int *n, char *buf,
				     size_t bufsz)
{
	char list[sizeof in->other_needs];
	text_copy(list, sizeof list, in->other_needs);
	*n = 0;
	for (char *save = NULL, *it = strtok_r(list, ",;", &save); it; it = strtok_r(NULL, ",;", &save)) {
		while (*it == ' ')
			it++;
		if (need_find(it) < 0) {
			snprintf(buf, bufsz, "names \"%.8s\", which is not a needs group (LD, AUT, MH, ABI, PD, DD)", it);
			return buf;
		}
		if (strcmp(it, in->need) == 0) {
			snprintf(buf, bufsz, "names %s, which is already the primary need", it);
			return buf;
		}
		for (int k = 0; k < *n; k++)
			if (strcmp(codes[k], it) == 0) {
				snprintf(buf, bufsz, "names %s twice", it);
				return buf;
			}
		if (*n == NEED_COUNT)
			return "names too many needs";
		snprintf(codes[(*n)++], 4, "%s", it);
	}
	return NULL;
}

const char *person_field_check(const struct br_config *cfg, const struct person_input *in,
			       enum person_field f, bool migrated, char *buf, size_t bufsz)
{
	int64_t dob;
	char codes[NEED_COUNT][4];
	int n;
	switch (f) {
	case PERSON_NHS:
		if (migrated && !in->nhs[0])
			return NULL;
		return nhs_normalise(in->nhs, buf, NULL) == BR_OK
			       ? NULL
			       : "is not an NHS number (10 digits, modulus 11 check digit, never ten of one digit)";
	case PERSON_FAMILY:
	case PERSON_GIVEN: {
		const char *v = f == PERSON_FAMILY ? in->family : in->given;
		enum text_name name = text_name(v, sizeof in->family - 1);
		if (name == TEXT_NAME_BLANK)
			return f == PERSON_FAMILY ? "is empty: a family name is needed" : "is empty: a given name is needed";
		return name == TEXT_NAME_OK ? NULL : "is not printable text";
	}
	case PERSON_DOB:
		if (date_parse(in->dob, &dob, NULL) != BR_OK)
			return "is not a date (YYYY-MM-DD)";
		return dob > clock_today() ? "is not a date of birth: it is in the future" : NULL;
	case PERSON_POSTCODE:
		if (migrated && !in->postcode[0])
			return NULL;
		return postcode_valid(in->postcode) ? NULL : "is not a postcode (letters, digits and a space)";
	case PERSON_LOCALITY:
		if (config_locality(cfg, in->locality) >= 0)
			return NULL;
		snprintf(buf, bufsz, "is not a locality of the config (");
		for (int i = 0; i < cfg->n_localities; i++) {
			size_t len = strlen(buf);
			snprintf(buf + len, bufsz - len, "%s%s", i ? ", " : "", cfg->localities[i].code);
		}
		size_t len = strlen(buf);
		snprintf(buf + len, bufsz - len, ")");
		return buf;
	case PERSON_NEED:
		return need_find(in->need) >= 0 ? NULL : "is not a needs group (LD, AUT, MH, ABI, PD, DD)";
	case PERSON_OTHER_NEEDS:
		return other_needs_parse(in, codes, &n, buf, bufsz);
	case PERSON_FORENSIC:
		return in->forensic && strcmp(in->need, "MH") != 0 && strcmp(in->need, "DD") != 0
			       ? "is not allowed: the forensic flag is for a primary need of MH or DD"
			       : NULL;
	case PERSON_FUNDING:
		return !in->funding[0] || funding_valid(in->funding) ? NULL
								      : "is not a funding stream (ASC, CHC, JOINT)";
	case PERSON_FIELDS: break;
	}
	return NULL;
}

/* Every field's rule (person_field_check); the first broken one is the
 * error, as "date of birth \"2031-01-01\" is not a date of birth: ...". */
/* A number already on a record: whose, unless the record is restricted
 * (issue 26, finding 9: the refusal said whose a hidden number was). */
static enum br_status nhs_taken(const char *nhs, const char *ref, bool hidden, char **why)
{
	if (hidden)
		return br_fail(why, BR_CONFLICT, "NHS number %s is already on a restricted record: a supervisor can "
						 "open it (with a reason) to see whose", nhs);
	return br_fail(why, BR_CONFLICT, "NHS number %s is already %s's", nhs, ref);
}

static enum br_status person_check(struct session *s, const struct person_input *in, char nhs[11],
				   char codes[][4], int *n_other, char **why)
{
	char buf[200];
	for (int f = 0; f < PERSON_FIELDS; f++) {
		const char *wrong = person_field_check(&s->cfg, in, (enum person_field)f, false, buf, sizeof buf);
		if (wrong) {
			char v[72];
			text_sanitise(person_field_value(in, (enum person_field)f), v, sizeof v);
			return br_fail(why, BR_DATA, "%s \"%s\" %s", person_field_words[f], v, wrong);
		}
	}
	nhs_normalise(in->nhs, nhs, NULL);
	other_needs_parse(in, codes, n_other, buf, sizeof buf);
	return BR_OK;
}

enum br_status person_add(struct session *s, const struct person_input *in, char ref[17],
			  char warning[160], char **why)
{
	static const char by_nhs[] = "SELECT ref, restricted FROM service_user WHERE nhs_number = ?1";
	static const char by_name[] =
		"SELECT ref FROM service_user WHERE family_fold = ?1 AND given_fold = ?2 AND date_of_birth = ?3 "
		"ORDER BY ref LIMIT 1";
	static const char next_ref[] =
		"SELECT coalesce(max(CAST(substr(ref, 3) AS INTEGER)), 0) + 1 FROM service_user "
		"WHERE ref GLOB 'SU[0-9]*' AND ref NOT GLOB 'SU*[^0-9]*'";
	static const char ins[] =
		"INSERT INTO service_user(ref, nhs_number, family_name, given_name, family_fold, given_fold, "
		"date_of_birth, postcode, postcode_key, locality, primary_need, forensic, funding, created_at, s117, fnc) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
	static const char ins_need[] = "INSERT INTO service_user_need VALUES (?1, ?2)";
	warning[0] = '\0';
	enum br_status st = session_require(s, referrers, "person add", why);
	if (st != BR_OK)
		return st;
	char nhs[11], codes[NEED_COUNT][4];
	int n_other = 0;
	if ((st = person_check(s, in, nhs, codes, &n_other, why)) != BR_OK)
		return st;
	char ff[128], gf[128], pk[16], now[21];
	text_fold(in->family, ff, sizeof ff);
	text_fold(in->given, gf, sizeof gf);
	postcode_key(in->postcode, pk, sizeof pk);
	clock_stamp(clock_now(), now);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	sqlite3_stmt *q = store_cached(s->store, by_nhs, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, nhs, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) == SQLITE_ROW) {
		char other[17];
		store_col_text(q, 0, other, sizeof other);
		bool hidden = sqlite3_column_int(q, 1) != 0;
		store_done(q);
		return store_finish(s->store, nhs_taken(nhs, other, hidden, why), why);
	}
	store_done(q);
	if (!(q = store_cached(s->store, by_name, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, ff, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, gf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, in->dob, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(q) == SQLITE_ROW) {
		char other[17];
		store_col_text(q, 0, other, sizeof other);
		snprintf(warning, 160, "%s has the same name and date of birth: check this is not the same person",
			 other);
	}
	store_done(q);
	if (!(q = store_cached(s->store, next_ref, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	long long next = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 1;
	store_done(q);
	snprintf(ref, 17, "SU%06lld", next);
	if (!(q = store_cached(s->store, ins, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, nhs, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, in->family, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, in->given, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, ff, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 6, gf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 7, in->dob, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 8, in->postcode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 9, pk, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 10, in->locality, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 11, in->need, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 12, in->forensic ? 1 : 0);
	sqlite3_bind_text(q, 13, in->funding[0] ? in->funding : "ASC", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 14, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 15, in->s117 ? 1 : 0);
	sqlite3_bind_int(q, 16, in->fnc ? 1 : 0);
	if ((st = store_step_done(s->store, q, "adding a person", why)) != BR_OK)
		return store_finish(s->store, st, why);
	int64_t id = sqlite3_last_insert_rowid(store_db(s->store));
	for (int k = 0; k < n_other; k++) {
		if (!(q = store_cached(s->store, ins_need, why)))
			return store_finish(s->store, BR_INTERNAL, why);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_text(q, 2, codes[k], -1, SQLITE_TRANSIENT);
		if ((st = store_step_done(s->store, q, "adding a person's needs", why)) != BR_OK)
			return store_finish(s->store, st, why);
	}
	char eid[24], detail[200];
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s, %s %s, %s, %s%s%s%s", ref, in->locality, in->need,
		 in->funding[0] ? in->funding : "ASC", in->forensic ? "forensic, " : "", in->s117 ? "s117, " : "",
		 in->fnc ? "fnc, " : "",
		 warning[0] ? "same name and date of birth as another" : "new");
	st = audit_append(s->store, s->user.login, "person.add", "person", eid, detail, why);
	return store_finish(s->store, st, why);
}

/* ---- people: edit, close, restrict ---------------------------------------------- */

struct person_now {
	char ref[17], status[10], nhs[11], family[101], given[101], dob[11], postcode[11], locality[9],
		need[4], funding[6], other[64];
	int forensic, restricted, s117, fnc;
};

static enum br_status person_load(struct session *s, int64_t id, struct person_now *p, char **why)
{
	static const char sql[] =
		"SELECT ref, status, coalesce(nhs_number,''), family_name, given_name, date_of_birth, postcode, "
		"locality, primary_need, funding, forensic, restricted, "
		"coalesce((SELECT group_concat(need, ',') FROM (SELECT need FROM service_user_need n "
		"          WHERE n.user_id = u.id ORDER BY need)), ''), s117, fnc "
		"FROM service_user u WHERE id = ?1";
	memset(p, 0, sizeof *p);
	sqlite3_stmt *q = store_cached(s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_col_text(q, 0, p->ref, sizeof p->ref);
		store_col_text(q, 1, p->status, sizeof p->status);
		store_col_text(q, 2, p->nhs, sizeof p->nhs);
		store_col_text(q, 3, p->family, sizeof p->family);
		store_col_text(q, 4, p->given, sizeof p->given);
		store_col_text(q, 5, p->dob, sizeof p->dob);
		store_col_text(q, 6, p->postcode, sizeof p->postcode);
		store_col_text(q, 7, p->locality, sizeof p->locality);
		store_col_text(q, 8, p->need, sizeof p->need);
		store_col_text(q, 9, p->funding, sizeof p->funding);
		p->forensic = sqlite3_column_int(q, 10);
		p->restricted = sqlite3_column_int(q, 11);
		store_col_text(q, 12, p->other, sizeof p->other);
		p->s117 = sqlite3_column_int(q, 13);
		p->fnc = sqlite3_column_int(q, 14);
	}
	store_done(q);
	if (rc == SQLITE_ROW)
		return BR_OK;
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "person %lld: no such person", (long long)id);
	return store_error(s->store, rc, "finding the person", why);
}

enum br_status person_id_of(struct session *s, const char *ref, int64_t *id, char **why)
{
	static const char sql[] = "SELECT id FROM service_user WHERE ref = ?1";
	sqlite3_stmt *q = store_cached(s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_text(q, 1, ref ? ref : "", -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	store_done(q);
	if (rc == SQLITE_ROW)
		return BR_OK;
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "%s: no such person", ref ? ref : "");
	return store_error(s->store, rc, "finding the person", why);
}

static void changed(char *out, size_t n, const char *what, const char *was, const char *now)
{
	if (strcmp(was, now) == 0)
		return;
	size_t len = strlen(out);
	if (len + 1 < n)
		snprintf(out + len, n - len, "%s%s", len ? ", " : "", what);
}

enum br_status person_edit(struct session *s, int64_t id, const struct person_input *in, char warning[160],
			   char **why)
{
	static const char by_nhs[] = "SELECT ref, restricted FROM service_user WHERE nhs_number = ?1 AND id <> ?2";
	static const char by_name[] =
		"SELECT ref FROM service_user WHERE family_fold = ?1 AND given_fold = ?2 AND date_of_birth = ?3 "
		"AND id <> ?4 ORDER BY ref LIMIT 1";
	static const char upd[] =
		"UPDATE service_user SET nhs_number = ?2, family_name = ?3, given_name = ?4, family_fold = ?5, "
		"given_fold = ?6, date_of_birth = ?7, postcode = ?8, postcode_key = ?9, locality = ?10, "
		"primary_need = ?11, forensic = ?12, funding = ?13, s117 = ?14, fnc = ?15 WHERE id = ?1";
	static const char del_needs[] = "DELETE FROM service_user_need WHERE user_id = ?1";
	static const char ins_need[] = "INSERT INTO service_user_need VALUES (?1, ?2)";
	warning[0] = '\0';
	enum br_status st = session_require(s, referrers, "person edit", why);
	if (st != BR_OK)
		return st;
	char nhs[11], codes[NEED_COUNT][4];
	int n_other = 0;
	if ((st = person_check(s, in, nhs, codes, &n_other, why)) != BR_OK)
		return st;
	char ff[128], gf[128], pk[16];
	text_fold(in->family, ff, sizeof ff);
	text_fold(in->given, gf, sizeof gf);
	size_t j = 0;
	for (const char *p = in->postcode; *p && j + 1 < sizeof pk; p++)
		if (*p != ' ')
			pk[j++] = (char)toupper((unsigned char)*p);
	pk[j] = '\0';
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct person_now was;
	if ((st = person_load(s, id, &was, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (strcmp(was.status, "deceased") == 0)
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s is recorded as deceased: the record is kept as it was",
					 was.ref), why);
	sqlite3_stmt *q = store_cached(s->store, by_nhs, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, nhs, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 2, id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		char other[17];
		store_col_text(q, 0, other, sizeof other);
		bool hidden = sqlite3_column_int(q, 1) != 0;
		store_done(q);
		return store_finish(s->store, nhs_taken(nhs, other, hidden, why), why);
	}
	store_done(q);
	if (!(q = store_cached(s->store, by_name, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_text(q, 1, ff, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, gf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, in->dob, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 4, id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		char other[17];
		store_col_text(q, 0, other, sizeof other);
		snprintf(warning, 160, "%s has the same name and date of birth: check this is not the same person",
			 other);
	}
	store_done(q);
	const char *funding = in->funding[0] ? in->funding : "ASC";
	if (!(q = store_cached(s->store, upd, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, nhs, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, in->family, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 4, in->given, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 5, ff, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 6, gf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 7, in->dob, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 8, in->postcode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 9, pk, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 10, in->locality, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 11, in->need, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 12, in->forensic ? 1 : 0);
	sqlite3_bind_text(q, 13, funding, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(q, 14, in->s117 ? 1 : 0);
	sqlite3_bind_int(q, 15, in->fnc ? 1 : 0);
	if ((st = store_step_done(s->store, q, "editing a person", why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (!(q = store_cached(s->store, del_needs, why)))
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, id);
	if ((st = store_step_done(s->store, q, "editing a person's needs", why)) != BR_OK)
		return store_finish(s->store, st, why);
	char other_now[64] = "";
	/* sorted as person_load gives them, for the comparison below */
	for (int a = 0; a < n_other; a++)
		for (int b = a + 1; b < n_other; b++)
			if (strcmp(codes[b], codes[a]) < 0) {
				char t[4];
				memcpy(t, codes[a], 4);
				memcpy(codes[a], codes[b], 4);
				memcpy(codes[b], t, 4);
			}
	for (int k = 0; k < n_other; k++) {
		size_t len = strlen(other_now);
		snprintf(other_now + len, sizeof other_now - len, "%s%s", k ? "," : "", codes[k]);
		if (!(q = store_cached(s->store, ins_need, why)))
			return store_finish(s->store, BR_INTERNAL, why);
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_text(q, 2, codes[k], -1, SQLITE_TRANSIENT);
		if ((st = store_step_done(s->store, q, "editing a person's needs", why)) != BR_OK)
			return store_finish(s->store, st, why);
	}
	char what[200] = "", forensic_now[2] = {in->forensic ? '1' : '0', 0}, forensic_was[2] = {
		was.forensic ? '1' : '0', 0};
	changed(what, sizeof what, "nhs_number", was.nhs, nhs);
	changed(what, sizeof what, "family_name", was.family, in->family);
	changed(what, sizeof what, "given_name", was.given, in->given);
	changed(what, sizeof what, "date_of_birth", was.dob, in->dob);
	changed(what, sizeof what, "postcode", was.postcode, in->postcode);
	changed(what, sizeof what, "locality", was.locality, in->locality);
	changed(what, sizeof what, "primary_need", was.need, in->need);
	changed(what, sizeof what, "other_needs", was.other, other_now);
	changed(what, sizeof what, "forensic", forensic_was, forensic_now);
	changed(what, sizeof what, "funding", was.funding, funding);
	changed(what, sizeof what, "s117", was.s117 ? "1" : "0", in->s117 ? "1" : "0");
	changed(what, sizeof what, "fnc", was.fnc ? "1" : "0", in->fnc ? "1" : "0");
	char eid[24], detail[260];
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s: %s", was.ref, what[0] ? what : "nothing changed");
	st = audit_append(s->store, s->user.login, "person.edit", "person", eid, detail, why);
	return store_finish(s->store, st, why);
}

/* The ids of a query over one person (?1), into a heap array. */
static enum br_status ids_of(struct session *s, const char *sql, int64_t person, int64_t **ids, int *n,
			     const char *doing, char **why)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = store_cached(s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, person);
	return store_ids(s->store, q, ids, n, doing, why);
}

/* Ids as "12, 13", as many as a line holds, then "…". */

static void id_list(const int64_t *ids, int n, char *out, size_t outsz)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t len = strlen(out);
		if (len + 28 >= outsz) {
			snprintf(out + len, outsz - len, ", and %d more", n - i);
			return;
		}
		snprintf(out + len, outsz - len, "%s%lld", i ? ", " : "", (long long)ids[i]);
	}
}

const char *person_close_reason_text(const char *code)
{
	if (code && strcmp(code, "moved_away") == 0)
		return "moved away";
	if (code && strcmp(code, "closed") == 0)
		return "closed";
	return NULL;
}

enum br_status person_close(struct session *s, int64_t id, const char *reason, const char *note,
			    bool cancel_requests, int *cancelled, char **why)
{
	static const char open_requests[] =
		"SELECT id FROM package_request WHERE user_id = ?1 AND status = 'open' ORDER BY id";
	static const char upd[] = "UPDATE service_user SET status = 'closed' WHERE id = ?1 AND status = 'active'";
	if (cancelled)
		*cancelled = 0;
	enum br_status st = session_require(s, referrers, "closing a person's record", why);
	if (st != BR_OK)
		return st;
	const char *words = person_close_reason_text(reason);
	if (!words)
		return br_fail(why, BR_DATA, "--reason \"%s\" is not moved_away or closed", reason ? reason : "");
	if ((st = text_check("--note", note, 200, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct person_now p;
	if ((st = person_load(s, id, &p, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (strcmp(p.status, "active") != 0)
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s is already %s", p.ref, p.status), why);
	int64_t *ids = NULL;
	int n = 0;
	char list[200];
	if ((st = calloff_rows_live_of_person(s, id, &ids, &n, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (n) {
		id_list(ids, n, list, sizeof list);
		free(ids);
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s has live call-offs (%s): end or cancel them first",
					 p.ref, list), why);
	}
	if ((st = ids_of(s, open_requests, id, &ids, &n, "reading the person's requests", why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (n && !cancel_requests) {
		id_list(ids, n, list, sizeof list);
		free(ids);
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s has open requests (%s): settle them first, or cancel "
					 "them in the same step (--cancel-requests)", p.ref, list), why);
	}
	char cancel_reason[260];
	snprintf(cancel_reason, sizeof cancel_reason, "person %s%s%s", words, note && *note ? ": " : "",
		 note ? note : "");
	/* cancelling a request is a broker's step (officers, supervisors) */
	if (n && (st = session_require_cap(s, CAP_BROKER, "cancelling a request", why)) != BR_OK) {
		free(ids);
		return store_finish(s->store, st, why);
	}
	for (int i = 0; i < n && st == BR_OK; i++)
		if ((st = request_cancel_in(s, ids[i], cancel_reason, why)) == BR_OK && cancelled)
			(*cancelled)++;
	free(ids);
	if (st != BR_OK)
		return store_finish(s->store, st, why);
	sqlite3_stmt *q = store_cached(s->store, upd, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, id);
	if ((st = store_step_done(s->store, q, "closing the record", why)) != BR_OK)
		return store_finish(s->store, st, why);
	char eid[24], detail[320];
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s %s%s%.200s; requests_cancelled=%d", p.ref, reason,
		 note && *note ? ": " : "", note ? note : "", cancelled ? *cancelled : 0);
	st = audit_append(s->store, s->user.login, "person.close", "person", eid, detail, why);
	return store_finish(s->store, st, why);
}

enum br_status person_restrict(struct session *s, int64_t id, bool on, const char *reason, char **why)
{
	static const char upd[] = "UPDATE service_user SET restricted = ?2 WHERE id = ?1";
	enum br_status st = session_require(s, admins, on ? "restricting a record" : "lifting a restriction", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "--reason: %s needs a reason", on ? "restricting a record" :
			       "lifting a restriction");
	if ((st = text_check("--reason", reason, 200, false, why)) != BR_OK)
		return st;
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct person_now p;
	if ((st = person_load(s, id, &p, why)) != BR_OK)
		return store_finish(s->store, st, why);
	if (p.restricted == (on ? 1 : 0))
		return store_finish(s->store, br_fail(why, BR_CONFLICT, "%s is already %s", p.ref, on ? "restricted" : "not restricted"),
			      why);
	sqlite3_stmt *q = store_cached(s->store, upd, why);
	if (!q)
		return store_finish(s->store, BR_INTERNAL, why);
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, on ? 1 : 0);
	if ((st = store_step_done(s->store, q, "changing the restriction", why)) != BR_OK)
		return store_finish(s->store, st, why);
	char eid[24], detail[260];
	snprintf(eid, sizeof eid, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "%s %s: %.200s", p.ref, on ? "on" : "off", reason);
	st = audit_append(s->store, s->user.login, "person.restrict", "person", eid, detail, why);
	return store_finish(s->store, st, why);
}

enum br_status person_input_get(struct session *s, int64_t id, struct person_input *in, char ref[17], char **why)
{
	struct person_now p;
	enum br_status st = person_load(s, id, &p, why);
	if (st != BR_OK)
		return st;
	memset(in, 0, sizeof *in);
	text_copy(in->nhs, sizeof in->nhs, p.nhs);
	text_copy(in->family, sizeof in->family, p.family);
	text_copy(in->given, sizeof in->given, p.given);
	text_copy(in->dob, sizeof in->dob, p.dob);
	text_copy(in->postcode, sizeof in->postcode, p.postcode);
	text_copy(in->locality, sizeof in->locality, p.locality);
	text_copy(in->need, sizeof in->need, p.need);
	text_copy(in->other_needs, sizeof in->other_needs, p.other);
	in->forensic = p.forensic != 0;
	text_copy(in->funding, sizeof in->funding, p.funding);
	in->s117 = p.s117 != 0;
	in->fnc = p.fnc != 0;
	if (ref)
		text_copy(ref, 17, p.ref);
	return BR_OK;
}
