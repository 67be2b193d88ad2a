/* provider.c — the provider register: add, edit (suspension and leaving
 * the framework are flows/suspend.c). */
#include "provider.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker_internal.h"
#include "invariants.h"
#include "query.h"


/* ---- the register: add, edit, leave ------------------------------------------ */

enum br_status provider_name(struct store *store, int64_t id, char *name, size_t namesz, char **why)
{
	static const char sql[] = "SELECT name FROM provider WHERE id = ?1";
	sqlite3_stmt *q = store_cached(store, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		store_col_text(q, 0, name, namesz);
	store_done(q);
	if (rc == SQLITE_ROW)
		return BR_OK;
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "provider %lld: no such provider", (long long)id);
	return store_error(store, rc, "finding the provider", why);
}

static const char *const admins[] = {"admin", NULL};

static bool cqc_ok(const char *v)
{
	if (strncmp(v, "1-", 2) != 0 || !v[2] || strlen(v) > 20)
		return false;
	for (const char *p = v + 2; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

const char *const provider_field_words[PROVIDER_FIELDS] = {
	[PROVIDER_NAME] = "name", [PROVIDER_CQC] = "CQC location id", [PROVIDER_RATING] = "CQC rating",
	[PROVIDER_PHONE] = "phone", [PROVIDER_EMAIL] = "email", [PROVIDER_CONTACT] = "contact",
	[PROVIDER_POSTCODE] = "postcode", [PROVIDER_LOCALITIES] = "localities",
};

const char *provider_field_value(const struct provider_input *in, enum provider_field f)
{
	switch (f) {
	case PROVIDER_NAME: return in->name;
	case PROVIDER_CQC: return in->cqc;
	case PROVIDER_RATING: return in->rating;
	case PROVIDER_PHONE: return in->phone;
	case PROVIDER_EMAIL: return in->email;
	case PROVIDER_CONTACT: return in->contact;
	case PROVIDER_POSTCODE: return in->postcode;
	case PROVIDER_LOCALITIES: return in->localities;
	case PROVIDER_FIELDS: break;
	}
	return "";
}

/* The localities as codes (',' or ';' between them); NULL or what is wrong. */
static const char *localities_parse(const struct br_config *cfg, const struct provider_input *in,
				    char codes[][9], int *n, char *buf, size_t bufsz)
{
	char list[sizeof in->localities];
	text_copy(list, sizeof list, in->localities);
	*n = 0;
	for (char *save = NULL, *it = strtok_r(list, ",;", &save); it; it = strtok_r(NULL, ",;", &save)) {
		while (*it == ' ')
			it++;
		if (config_locality(cfg, it) < 0) {
			snprintf(buf, bufsz, "names \"%.8s\", which is not a locality of the config", it);
			return buf;
		}
		for (int j = 0; j < *n; j++)
			if (strcmp(codes[j], it) == 0) {
				snprintf(buf, bufsz, "names %s twice", it);
				return buf;
			}
		if (*n == BR_MAX_LOCALITIES)
			return "names too many localities";
		text_copy(codes[(*n)++], 9, it);
	}
	return NULL;
}

const char *provider_field_check(const struct br_config *cfg, const struct provider_input *in,
				 enum provider_field f, char *buf, size_t bufsz)
{
	static const size_t max[PROVIDER_FIELDS] = {
		[PROVIDER_PHONE] = 32, [PROVIDER_EMAIL] = 96, [PROVIDER_CONTACT] = 64, [PROVIDER_POSTCODE] = 10,
	};
	char codes[BR_MAX_LOCALITIES][9];
	int n;
	switch (f) {
	case PROVIDER_NAME:
		switch (text_name(in->name, sizeof in->name - 1)) {
		case TEXT_NAME_OK: return NULL;
		case TEXT_NAME_BLANK: return "is empty: a provider needs a name";
		case TEXT_NAME_UNCLEAN: break;
		}
		return "is not a name (printable, 120 characters at most)";
	case PROVIDER_CQC:
		return !in->cqc[0] || cqc_ok(in->cqc) ? NULL : "is not a CQC location id (1- and digits)";
	case PROVIDER_RATING:
		return !in->rating[0] || rating_find(in->rating) >= 0
			       ? NULL
			       : "is not a CQC rating (Outstanding, Good, Requires improvement, Inadequate, Not yet rated)";
	case PROVIDER_PHONE:
	case PROVIDER_EMAIL:
	case PROVIDER_CONTACT:
	case PROVIDER_POSTCODE: {
		const char *v = provider_field_value(in, f);
		if (strlen(v) <= max[f] && text_clean(v))
			return NULL;
		snprintf(buf, bufsz, "is not printable text of %zu characters at most", max[f]);
		return buf;
	}
	case PROVIDER_LOCALITIES:
		return localities_parse(cfg, in, codes, &n, buf, bufsz);
	case PROVIDER_FIELDS: break;
	}
	return NULL;
}

/* Every field's rule (provider_field_check); the first broken one is the
 * error, as "CQC location id \"1-x\" is not a CQC location id (...)". */
static enum br_status provider_check(struct session *s, const struct provider_input *in, char rating[24],
				     char codes[][9], int *n_codes, char **why)
{
	char buf[200];
	for (int f = 0; f < PROVIDER_FIELDS; f++) {
		const char *wrong = provider_field_check(&s->cfg, in, (enum provider_field)f, buf, sizeof buf);
		if (wrong) {
			char v[72];
			text_sanitise(provider_field_value(in, (enum provider_field)f), v, sizeof v);
			return br_fail(why, BR_DATA, "%s \"%s\" %s", provider_field_words[f], v, wrong);
		}
	}
	text_copy(rating, 24, rating_text(in->rating[0] ? rating_find(in->rating) : rating_find("Not yet rated")));
	localities_parse(&s->cfg, in, codes, n_codes, buf, sizeof buf);
	return BR_OK;
}

static void bind_or_null(sqlite3_stmt *q, int i, const char *v)
{
	if (v && *v)
		store_bind_text(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

/* name and CQC id nobody else has (id: the provider itself, 0 for a new
 * one): the providers rule of records/invariants.c, the one check asks */
static enum br_status provider_unique(struct session *s, int64_t id, const struct provider_input *in,
				      const char *fold, char **why)
{
	int64_t other;
	enum br_status st = invariants_provider(s->store, id, NULL, fold, in->cqc, &other, NULL, 0, why);
	if (st != BR_OK || !other)
		return st;
	char name[128] = "";
	if ((st = provider_name(s->store, other, name, sizeof name, why)) != BR_OK)
		return st;
	return br_fail(why, BR_CONFLICT, "provider %lld (%s) already has that %s", (long long)other, name,
		       in->cqc[0] ? "name or CQC location id" : "name");
}

static enum br_status coverage_put(struct session *s, int64_t id, char codes[][9], int n, char **why)
{
	sqlite3_stmt *q = prep(s->store, "DELETE FROM coverage WHERE provider_id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	enum br_status st = store_step_done(s->store, q, "replacing the coverage", why);
	for (int i = 0; st == BR_OK && i < n; i++) {
		if (!(q = prep(s->store, "INSERT INTO coverage(provider_id, locality) VALUES (?1, ?2)", why)))
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, id);
		store_bind_text(q, 2, codes[i]);
		st = store_step_done(s->store, q, "adding the coverage", why);
	}
	return st;
}

enum br_status provider_add(struct session *s, const struct provider_input *in, int64_t *id, char **why)
{
	enum br_status st = session_require(s, admins, "adding a provider", why);
	if (st != BR_OK)
		return st;
	char rating[24], codes[BR_MAX_LOCALITIES][9], fold[256];
	int n = 0;
	if ((st = provider_check(s, in, rating, codes, &n, why)) != BR_OK)
		return st;
	text_fold(in->name, fold, sizeof fold);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	if ((st = provider_unique(s, 0, in, fold, why)) != BR_OK)
		goto fail;
	sqlite3_stmt *q = prep(s->store, "INSERT INTO provider(name, name_fold, cqc_location_id, cqc_rating, phone, email, "
					 "contact, postcode) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	store_bind_text(q, 1, in->name);
	store_bind_text(q, 2, fold);
	bind_or_null(q, 3, in->cqc);
	store_bind_text(q, 4, rating);
	bind_or_null(q, 5, in->phone);
	bind_or_null(q, 6, in->email);
	bind_or_null(q, 7, in->contact);
	bind_or_null(q, 8, in->postcode);
	if ((st = store_step_done(s->store, q, "adding the provider", why)) != BR_OK)
		goto fail;
	*id = sqlite3_last_insert_rowid(store_db(s->store));
	char detail[300];
	snprintf(detail, sizeof detail, "%.120s, %s, covers %s", in->name, rating, in->localities[0] ? in->localities : "none");
	if ((st = coverage_put(s, *id, codes, n, why)) != BR_OK ||
	    (st = audit_id(s, "provider.add", "provider", *id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status provider_input_get(struct session *s, int64_t id, struct provider_input *in, char **why)
{
	memset(in, 0, sizeof *in);
	sqlite3_stmt *q = prep(s->store, "SELECT name, coalesce(cqc_location_id,''), cqc_rating, coalesce(phone,''), "
					 "coalesce(email,''), coalesce(contact,''), coalesce(postcode,''), "
					 "coalesce((SELECT group_concat(locality, ',') FROM (SELECT c.locality FROM coverage c "
					 "  JOIN locality l ON l.code = c.locality WHERE c.provider_id = p.id ORDER BY l.sort)), '') "
					 "FROM provider p WHERE id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_col_text(q, 0, in->name, sizeof in->name);
		store_col_text(q, 1, in->cqc, sizeof in->cqc);
		store_col_text(q, 2, in->rating, sizeof in->rating);
		store_col_text(q, 3, in->phone, sizeof in->phone);
		store_col_text(q, 4, in->email, sizeof in->email);
		store_col_text(q, 5, in->contact, sizeof in->contact);
		store_col_text(q, 6, in->postcode, sizeof in->postcode);
		store_col_text(q, 7, in->localities, sizeof in->localities);
	}
	store_done(q);
	if (rc == SQLITE_ROW)
		return BR_OK;
	if (rc == SQLITE_DONE)
		return br_fail(why, BR_NOTFOUND, "provider %lld: no such provider", (long long)id);
	return store_error(s->store, rc, "reading the provider", why);
}

enum br_status provider_edit(struct session *s, int64_t id, const struct provider_input *in, char **why)
{
	enum br_status st = session_require(s, admins, "editing a provider", why);
	if (st != BR_OK)
		return st;
	char rating[24], codes[BR_MAX_LOCALITIES][9], fold[256];
	int n = 0;
	if ((st = provider_check(s, in, rating, codes, &n, why)) != BR_OK)
		return st;
	text_fold(in->name, fold, sizeof fold);
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_input was;
	if ((st = provider_input_get(s, id, &was, why)) != BR_OK || (st = provider_unique(s, id, in, fold, why)) != BR_OK)
		goto fail;
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET name = ?2, name_fold = ?3, cqc_location_id = ?4, "
					 "cqc_rating = ?5, phone = ?6, email = ?7, contact = ?8, postcode = ?9 WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, in->name);
	store_bind_text(q, 3, fold);
	bind_or_null(q, 4, in->cqc);
	store_bind_text(q, 5, rating);
	bind_or_null(q, 6, in->phone);
	bind_or_null(q, 7, in->email);
	bind_or_null(q, 8, in->contact);
	bind_or_null(q, 9, in->postcode);
	if ((st = store_step_done(s->store, q, "editing the provider", why)) != BR_OK)
		goto fail;
	char now_cov[64] = "";
	for (int i = 0; i < n; i++) {
		size_t len = strlen(now_cov);
		snprintf(now_cov + len, sizeof now_cov - len, "%s%s", i ? "," : "", codes[i]);
	}
	char what[200] = "";
	const struct {
		const char *name, *was, *now;
	} f[] = {{"name", was.name, in->name}, {"cqc_location_id", was.cqc, in->cqc}, {"cqc_rating", was.rating, rating},
		 {"phone", was.phone, in->phone}, {"email", was.email, in->email}, {"contact", was.contact, in->contact},
		 {"postcode", was.postcode, in->postcode}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(f[i].was, f[i].now) != 0) {
			size_t len = strlen(what);
			snprintf(what + len, sizeof what - len, "%s%s", len ? ", " : "", f[i].name);
		}
	/* coverage compared as sets: the order typed does not matter */
	bool same_cov = true;
	char was_list[64];
	text_copy(was_list, sizeof was_list, was.localities);
	int n_was = 0;
	for (char *save = NULL, *it = strtok_r(was_list, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		n_was++;
		bool found = false;
		for (int i = 0; i < n; i++)
			found |= strcmp(codes[i], it) == 0;
		same_cov &= found;
	}
	if (!same_cov || n_was != n) {
		size_t len = strlen(what);
		snprintf(what + len, sizeof what - len, "%scoverage %s", len ? ", " : "", now_cov[0] ? now_cov : "none");
		if ((st = coverage_put(s, id, codes, n, why)) != BR_OK)
			goto fail;
	}
	if ((st = audit_id(s, "provider.edit", "provider", id, what[0] ? what : "nothing changed", why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}
