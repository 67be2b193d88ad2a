/* workorder.c — the provider's work order: built from the call-off, its
 * request, the person and the officer who proposed it; nothing else. */
#include "workorder.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "broker_internal.h"
#include "domain.h"
#include "outfile.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

struct buf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct buf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	char line[600];
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t add_len = strlen(line);
	if (b->len + add_len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + add_len + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, line, add_len + 1);
	b->len += add_len;
}

static void needs_words(const char *primary, const char *others, char *out, size_t n)
{
	int p = need_find(primary);
	snprintf(out, n, "%s", p >= 0 ? need_name(p) : primary);
	char copy[64];
	text_copy(copy, sizeof copy, others);
	char *save = NULL;
	for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		int i = need_find(t);
		size_t len = strlen(out);
		snprintf(out + len, n - len, "; %s", i >= 0 ? need_name(i) : t);
	}
}

static const char sql[] =
	"SELECT c.id, c.request_id, su.ref, su.family_name, su.given_name, su.postcode, su.date_of_birth, "
	"su.primary_need, coalesce((SELECT group_concat(n.need, ';') FROM service_user_need n WHERE n.user_id = su.id "
	"AND n.need <> su.primary_need), ''), coalesce(su.nhs_number, ''), r.funding, c.service, c.units, "
	"c.unit_rate_pence, c.weekly_cost_pence, c.start_date, coalesce(c.end_date, ''), c.status, p.name, "
	"coalesce(u.name, c.proposed_by), c.proposed_by, c.locality, su.restricted "
	"FROM calloff c JOIN package_request r ON r.id = c.request_id JOIN service_user su ON su.id = r.user_id "
	"JOIN provider p ON p.id = c.provider_id LEFT JOIN users u ON u.login = c.proposed_by WHERE c.id = ?1";

static enum br_status build(struct session *s, int64_t calloff_id, const char *breakglass, char **text,
			    bool *restricted, char **why)
{
	*text = NULL;
	*restricted = false;
	if (!session_may(s, CAP_BROKER) && !session_may(s, CAP_RESPITE))
		return br_fail(why, BR_DENIED, "a work order is for officers, supervisors and on-call, not role %s",
			       s->user.role);
	enum br_status st = text_check("--reason", breakglass, 0, false, why);
	if (st != BR_OK)
		return st;
	sqlite3_stmt *q = prep(s->store, sql, why);
	if (!q)
		return BR_INTERNAL;
	sqlite3_bind_int64(q, 1, calloff_id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		store_done(q);
		if (rc == SQLITE_DONE)
			return br_fail(why, BR_NOTFOUND, "no call-off %lld", (long long)calloff_id);
		return store_error(s->store, rc, "reading the call-off", why);
	}
	char ref[17], family[64], given[64], postcode[12], dob[11], need[8], others[64], nhs[11], funding[8];
	char service[4], start[11], end[11], status[20], provider[96], officer[96], login[33], locality[9];
	int64_t request_id = sqlite3_column_int64(q, 1);
	store_col_text(q, 2, ref, sizeof ref);
	store_col_text(q, 3, family, sizeof family);
	store_col_text(q, 4, given, sizeof given);
	store_col_text(q, 5, postcode, sizeof postcode);
	store_col_text(q, 6, dob, sizeof dob);
	store_col_text(q, 7, need, sizeof need);
	store_col_text(q, 8, others, sizeof others);
	store_col_text(q, 9, nhs, sizeof nhs);
	store_col_text(q, 10, funding, sizeof funding);
	store_col_text(q, 11, service, sizeof service);
	int64_t units = sqlite3_column_int64(q, 12), rate = sqlite3_column_int64(q, 13),
		weekly = sqlite3_column_int64(q, 14);
	store_col_text(q, 15, start, sizeof start);
	store_col_text(q, 16, end, sizeof end);
	store_col_text(q, 17, status, sizeof status);
	store_col_text(q, 18, provider, sizeof provider);
	store_col_text(q, 19, officer, sizeof officer);
	store_col_text(q, 20, login, sizeof login);
	store_col_text(q, 21, locality, sizeof locality);
	*restricted = sqlite3_column_int(q, 22) != 0;
	bool hidden = *restricted && !text_present(breakglass);
	store_done(q);
	if (strcmp(status, "awaiting_approval") == 0 || strcmp(status, "proposed") == 0 ||
	    strcmp(status, "rejected") == 0 || strcmp(status, "cancelled") == 0)
		return br_fail(why, BR_CONFLICT, "call-off %lld is %s: a work order is for an agreed package "
						 "(approved or active)", (long long)calloff_id,
			       strcmp(status, "awaiting_approval") == 0 ? "awaiting approval" : status);
	int svc = service_find(service);
	char needs[400], rate_text[32], weekly_text[32], nhs_text[13];
	needs_words(need, others, needs, sizeof needs);
	money_format(rate, rate_text, sizeof rate_text);
	money_format(weekly, weekly_text, sizeof weekly_text);
	bool nhs_funded = strcmp(funding, "CHC") == 0 || strcmp(funding, "JOINT") == 0;
	struct buf b = {0};
	add(&b, "WORK ORDER for %s\n", provider);
	add(&b, "Wirral Council adult social care brokerage\n\n");
	add(&b, "Council reference: call-off %lld, request %lld, person %s\n", (long long)calloff_id,
	    (long long)request_id, ref);
	add(&b, "Council contact:   %s (brokerage team, login %s)\n\n", officer, login);
	add(&b, "Person\n");
	add(&b, "  Name:            %s %s\n", given, family);
	if (hidden) {
		/* name and reference only until someone gives a reason */
		add(&b, "  (a restricted record: the rest is given to the provider by phone, or printed with a "
			"reason: workorder %lld --reason TEXT)\n\n", (long long)calloff_id);
	} else {
		add(&b, "  Postcode:        %s\n", postcode[0] ? postcode : "(not held)");
		add(&b, "  Date of birth:   %s\n", dob);
		if (nhs_funded) {
			nhs_format(nhs, nhs_text);
			add(&b, "  NHS number:      %s (NHS-funded package)\n", nhs_text);
		}
		add(&b, "  Needs:           %s\n\n", needs);
	}
	add(&b, "Service\n");
	add(&b, "  Service:         %s %s\n", service, svc >= 0 ? service_name(svc) : "");
	add(&b, "  Units:           %lld %s\n", (long long)units, svc >= 0 ? service_unit(svc) : "units");
	add(&b, "  Locality:        %s\n", locality);
	add(&b, "  Start date:      %s\n", start);
	if (end[0])
		add(&b, "  End date:        %s\n", end);
	add(&b, "  Rate:            %s %s (%s a week)\n", rate_text, svc >= 0 ? service_rate_per(svc) : "a unit",
	    weekly_text);
	if (b.failed) {
		free(b.s);
		return br_fail(why, BR_INTERNAL, "out of memory building the work order");
	}
	/* names from the database reach a file a person opens: no control characters */
	char *clean = malloc(b.len + 1);
	if (!clean) {
		free(b.s);
		return br_fail(why, BR_INTERNAL, "out of memory building the work order");
	}
	size_t j = 0;
	for (size_t i = 0; i < b.len; i++) {
		unsigned char ch = (unsigned char)b.s[i];
		clean[j++] = (ch < 0x20 && ch != '\n') || ch == 0x7f ? '?' : (char)ch;
	}
	clean[j] = '\0';
	free(b.s);
	*text = clean;
	return BR_OK;
}

enum br_status workorder_text(struct session *s, int64_t calloff_id, const char *breakglass, char **text,
			      char **why)
{
	bool restricted;
	return build(s, calloff_id, breakglass, text, &restricted, why);
}

enum br_status workorder_restricted(struct session *s, int64_t calloff_id, bool *restricted, char **why)
{
	char *text = NULL;
	enum br_status st = build(s, calloff_id, NULL, &text, restricted, why);
	free(text);
	return st;
}

enum br_status workorder_write(struct session *s, int64_t calloff_id, const char *breakglass, const char *path,
			       FILE *out, char **why)
{
	char *text = NULL;
	bool restricted;
	enum br_status st = build(s, calloff_id, breakglass, &text, &restricted, why);
	if (st != BR_OK)
		return st;
	struct outfile of;
	bool to_file = path != NULL;
	if (to_file && (st = outfile_open(&of, path, s->cfg.database, why)) != BR_OK)
		goto done;
	char detail[300];
	snprintf(detail, sizeof detail, "to %.250s", to_file ? path : "standard output");
	/* on the record before a byte is written */
	if ((st = store_begin(s->store, why)) != BR_OK)
		goto abort;
	if (restricted && text_present(breakglass)) {
		char bg[300];
		snprintf(bg, sizeof bg, "work order of call-off %lld break-glass: %.250s", (long long)calloff_id, breakglass);
		if ((st = audit_id(s, "person.breakglass", "calloff", calloff_id, bg, why)) != BR_OK) {
			store_rollback(s->store);
			goto abort;
		}
	}
	if ((st = audit_id(s, "workorder.write", "calloff", calloff_id, detail, why)) != BR_OK) {
		store_rollback(s->store);
		goto abort;
	}
	if ((st = store_commit(s->store, why)) != BR_OK)
		goto abort;
	FILE *f = to_file ? of.f : out;
	if (fputs(text, f) == EOF) {
		st = br_fail(why, BR_IO, "writing the work order failed");
		goto abort;
	}
	if (to_file)
		st = outfile_commit(&of, why);
	goto done;
abort:
	if (to_file)
		outfile_abort(&of);
done:
	free(text);
	return st;
}
