/* provider.c — suspending and reinstating providers. */
#include "provider.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker.h"
#include "broker_internal.h"
#include "query.h"

static const char *const upkeep_roles[] = {"supervisor", "admin", NULL};

static enum br_status not_started(struct session *s, int64_t provider_id, int64_t **ids, int *n, char **why)
{
	*ids = NULL;
	*n = 0;
	sqlite3_stmt *q = prep(s->store, "SELECT id FROM calloff WHERE provider_id = ?1 AND (status = 'proposed' "
					 "OR status = 'awaiting_approval' OR status = 'approved') ORDER BY id", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, provider_id);
	int cap = 0, rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *g = realloc(*ids, (size_t)cap * sizeof *g);
			if (!g) {
				store_done(q);
				return br_fail(why, BR_NOMEM, "out of memory");
			}
			*ids = g;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(q, 0);
	}
	store_done(q);
	return rc == SQLITE_DONE ? BR_OK : store_error(s->store, rc, "finding call-offs", why);
}

/* The provider can no longer be booked (suspended, or left the framework):
 * its pending offers withdrawn, its call-offs not yet started cancelled
 * through the lifecycle; inside the caller's transaction. */
static enum br_status withdraw_all(struct session *s, int64_t provider_id, const char *words, const char *note,
				   int *offers, int *cancelled, char **why)
{
	int64_t *ids = NULL;
	int n = 0;
	enum br_status st;
	*cancelled = 0;
	if ((st = offers_withdraw_provider(s, provider_id, words, offers, why)) != BR_OK ||
	    (st = not_started(s, provider_id, &ids, &n, why)) != BR_OK)
		goto done;
	struct calloff_args a = {.note = note};
	for (int i = 0; i < n; i++)
		if ((st = calloff_transition(s, ids[i], CE_SUSPEND, CS_ANY, &a, why)) != BR_OK)
			goto done;
	*cancelled = n;
done:
	free(ids);
	return st;
}

enum br_status provider_suspend(struct session *s, int64_t provider_id, const char *reason, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "suspending a provider", why);
	if (st != BR_OK)
		return st;
	if (!text_present(reason))
		return br_fail(why, BR_DATA, "a suspension needs a reason");
	if (strlen(reason) > 200)
		return br_fail(why, BR_DATA, "the reason is %zu characters: 200 at most", strlen(reason));
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	int n = 0, offers = 0;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "active") != 0) {
		st = br_fail(why, BR_CONFLICT, "%s is already %s", p.name, p.status);
		goto fail;
	}
	char today[11];
	today_text(today);
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'suspended', suspended_reason = ?2, "
					 "suspended_on = ?3 WHERE id = ?1 AND status = 'active'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, reason);
	store_bind_text(q, 3, today);
	char words[260];
	snprintf(words, sizeof words, "provider suspended: %.200s", reason);
	if ((st = done(s->store, q, "suspending the provider", why)) != BR_OK ||
	    (st = withdraw_all(s, provider_id, words, reason, &offers, &n, why)) != BR_OK)
		goto fail;
	char detail[320];
	snprintf(detail, sizeof detail, "reason=%.200s offers_withdrawn=%d calloffs_cancelled=%d", reason, offers, n);
	if ((st = audit_id(s, "provider.suspend", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

enum br_status provider_reinstate(struct session *s, int64_t provider_id, const char *note, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "reinstating a provider", why);
	if (st != BR_OK)
		return st;
	if (!text_present(note))
		return br_fail(why, BR_DATA, "reinstating a provider needs a note saying why");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "suspended") != 0) {
		st = br_fail(why, BR_CONFLICT, "%s is %s, not suspended", p.name, p.status);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'active', suspended_reason = NULL, "
					 "suspended_on = NULL WHERE id = ?1 AND status = 'suspended'", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	char detail[320];
	snprintf(detail, sizeof detail, "was=%.100s note=%.200s", p.suspended_reason, note);
	if ((st = done(s->store, q, "reinstating the provider", why)) != BR_OK ||
	    (st = audit_id(s, "provider.reinstate", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}

/* ---- the register: add, edit, leave ------------------------------------------ */

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

static bool clean_text(const char *v)
{
	char copy[256];
	text_sanitise(v, copy, sizeof copy);
	return strcmp(copy, v) == 0;
}

static enum br_status provider_check(struct session *s, const struct provider_input *in, char rating[24],
				     char codes[][9], int *n_codes, char **why)
{
	if (!text_present(in->name) || !clean_text(in->name) || strlen(in->name) > 120)
		return br_fail(why, BR_DATA, "--name: a provider needs a name (printable, 120 characters at most)");
	if (in->cqc[0] && !cqc_ok(in->cqc))
		return br_fail(why, BR_DATA, "--cqc \"%s\" is not a CQC location id (1- and digits)", in->cqc);
	int k = in->rating[0] ? rating_find(in->rating) : rating_find("Not yet rated");
	if (k < 0)
		return br_fail(why, BR_DATA, "--rating \"%s\" is not a CQC rating (Outstanding, Good, Requires "
			       "improvement, Inadequate, Not yet rated)", in->rating);
	text_copy(rating, 24, rating_text(k));
	const struct {
		const char *opt, *v;
		size_t max;
	} texts[] = {{"--phone", in->phone, 32}, {"--email", in->email, 96}, {"--contact", in->contact, 64},
		     {"--postcode", in->postcode, 10}};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (strlen(texts[i].v) > texts[i].max || !clean_text(texts[i].v))
			return br_fail(why, BR_DATA, "%s: printable text, %zu characters at most", texts[i].opt,
				       texts[i].max);
	char list[64];
	text_copy(list, sizeof list, in->localities);
	*n_codes = 0;
	for (char *save = NULL, *it = strtok_r(list, ",;", &save); it; it = strtok_r(NULL, ",;", &save)) {
		while (*it == ' ')
			it++;
		if (config_locality(&s->cfg, it) < 0)
			return br_fail(why, BR_DATA, "--localities: \"%s\" is not a locality of the config", it);
		for (int j = 0; j < *n_codes; j++)
			if (strcmp(codes[j], it) == 0)
				return br_fail(why, BR_DATA, "--localities: %s is named twice", it);
		if (*n_codes == BR_MAX_LOCALITIES)
			return br_fail(why, BR_DATA, "--localities: too many");
		text_copy(codes[(*n_codes)++], 9, it);
	}
	return BR_OK;
}

static void bind_or_null(sqlite3_stmt *q, int i, const char *v)
{
	if (v && *v)
		store_bind_text(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

/* name and CQC id nobody else has (id: the provider itself, 0 for a new one) */
static enum br_status provider_unique(struct session *s, int64_t id, const struct provider_input *in,
				      const char *fold, char **why)
{
	sqlite3_stmt *q = prep(s->store, "SELECT id, name FROM provider WHERE id <> ?1 AND "
					 "(name_fold = ?2 OR (?3 IS NOT NULL AND cqc_location_id = ?3)) LIMIT 1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	store_bind_text(q, 2, fold);
	bind_or_null(q, 3, in->cqc);
	int rc = sqlite3_step(q);
	enum br_status st = BR_OK;
	if (rc == SQLITE_ROW) {
		char name[128];
		store_col_text(q, 1, name, sizeof name);
		st = br_fail(why, BR_CONFLICT, "provider %lld (%s) already has that %s", (long long)sqlite3_column_int64(q, 0),
			     name, in->cqc[0] ? "name or CQC location id" : "name");
	} else if (rc != SQLITE_DONE) {
		st = store_error(s->store, rc, "checking the provider", why);
	}
	store_done(q);
	return st;
}

static enum br_status coverage_put(struct session *s, int64_t id, char codes[][9], int n, char **why)
{
	sqlite3_stmt *q = prep(s->store, "DELETE FROM coverage WHERE provider_id = ?1", why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, id);
	enum br_status st = done(s->store, q, "replacing the coverage", why);
	for (int i = 0; st == BR_OK && i < n; i++) {
		if (!(q = prep(s->store, "INSERT INTO coverage(provider_id, locality) VALUES (?1, ?2)", why)))
			return BR_INTERNAL;
		sqlite3_bind_int64(q, 1, id);
		store_bind_text(q, 2, codes[i]);
		st = done(s->store, q, "adding the coverage", why);
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
	if ((st = done(s->store, q, "adding the provider", why)) != BR_OK)
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
	if ((st = done(s->store, q, "editing the provider", why)) != BR_OK)
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

enum br_status provider_leave(struct session *s, int64_t provider_id, const char *on, const char *note,
			      int *offers_withdrawn, int *calloffs_cancelled, char **why)
{
	enum br_status st = session_require(s, upkeep_roles, "recording a provider leaving the framework", why);
	if (st != BR_OK)
		return st;
	int64_t day;
	if (!on || date_parse(on, &day, NULL) != BR_OK)
		return br_fail(why, BR_DATA, "--on \"%s\" is not a date (YYYY-MM-DD)", on ? on : "");
	if (day > clock_today())
		return br_fail(why, BR_DATA, "--on %s is in the future: record the leaving on the day (until then it "
			       "may still be offered packages)", on);
	if (note && (strlen(note) > 200 || !clean_text(note)))
		return br_fail(why, BR_DATA, "--note: printable text, 200 characters at most");
	if ((st = store_begin(s->store, why)) != BR_OK)
		return st;
	struct provider_row p;
	int offers = 0, n = 0;
	if ((st = provider_get(s->store, provider_id, &p, why)) != BR_OK)
		goto fail;
	if (strcmp(p.status, "left") == 0) {
		st = br_fail(why, BR_CONFLICT, "%s has already left the framework", p.name);
		goto fail;
	}
	sqlite3_stmt *q = prep(s->store, "UPDATE provider SET status = 'left', left_on = ?2, suspended_reason = NULL, "
					 "suspended_on = NULL WHERE id = ?1", why);
	if (!q) {
		st = BR_INTERNAL;
		goto fail;
	}
	sqlite3_bind_int64(q, 1, provider_id);
	store_bind_text(q, 2, on);
	char words[260];
	snprintf(words, sizeof words, "provider left the framework on %s", on);
	if ((st = done(s->store, q, "recording the leaving", why)) != BR_OK ||
	    (st = withdraw_all(s, provider_id, words, note && *note ? note : words, &offers, &n, why)) != BR_OK)
		goto fail;
	char detail[360];
	snprintf(detail, sizeof detail, "on=%s%s%.200s offers_withdrawn=%d calloffs_cancelled=%d", on,
		 note && *note ? " note=" : "", note ? note : "", offers, n);
	if ((st = audit_id(s, "provider.leave", "provider", provider_id, detail, why)) != BR_OK)
		goto fail;
	if (offers_withdrawn)
		*offers_withdrawn = offers;
	if (calloffs_cancelled)
		*calloffs_cancelled = n;
	return store_commit(s->store, why);
fail:
	store_rollback(s->store);
	return st;
}
