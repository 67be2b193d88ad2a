#include "export.h"

#include <string.h>

#include "audit.h"
#include "outfile.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

void export_csv_put(FILE *out, const char *field, int text)
{
	if (!field)
		field = "";
	/* a value that itself starts with quotes and then a formula character
	 * is guarded too, so import can always take one ' off and get the
	 * value back */
	const char *f = field;
	while (*f == '\'')
		f++;
	bool formula = text && (f[0] == '=' || f[0] == '+' || f[0] == '-' ||
				f[0] == '@' || f[0] == '\t' || f[0] == '\r');
	bool quote = formula || strpbrk(field, ",\"\r\n") != NULL;
	if (!quote) {
		text_write_safe(out, field);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		if (*p == '\r' || *p == '\n') {
			fputc(*p, out);
		} else {
			char one[2] = {*p, '\0'};
			/* a C1 control spans two bytes: take both */
			if ((unsigned char)*p == 0xc2 && (unsigned char)p[1] >= 0x80 && (unsigned char)p[1] <= 0x9f) {
				fputc('?', out);
				p++;
				continue;
			}
			text_write_safe(out, one);
		}
	}
	fputc('"', out);
}

void export_json_put_string(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fputs("\\u00", out);
				fputc(hex[*p >> 4], out);
				fputc(hex[*p & 15], out);
			} else {
				fputc(*p, out);
			}
		}
	}
	fputc('"', out);
}

/* Column kinds: text, integer, flag (0/1 -> true/false in JSON), list
 * (';'-separated -> JSON array). */
enum col_kind { C_TEXT, C_INT, C_FLAG, C_LIST };

struct column {
	const char *name;
	enum col_kind kind;
};

static const struct column su_columns[] = {
	{"ref", C_TEXT}, {"nhs_number", C_TEXT}, {"family_name", C_TEXT}, {"given_name", C_TEXT},
	{"date_of_birth", C_TEXT}, {"postcode", C_TEXT}, {"locality", C_TEXT},
	{"primary_need", C_TEXT}, {"other_needs", C_LIST}, {"status", C_TEXT},
	{"forensic", C_FLAG}, {"restricted", C_FLAG}, {"direct_payment", C_FLAG},
	{"funding", C_TEXT}, {NULL, 0},
};

static const char su_sql[] =
	"SELECT su.ref, coalesce(su.nhs_number,''), su.family_name, su.given_name, "
	"su.date_of_birth, su.postcode, su.locality, su.primary_need, "
	"coalesce((SELECT group_concat(need, ';') FROM (SELECT need FROM service_user_need "
	"  WHERE user_id = su.id ORDER BY need)), ''), su.status, su.forensic, su.restricted, "
	"su.direct_payment, su.funding FROM service_user su ORDER BY su.ref";

static const char su_open_sql[] =
	"SELECT su.ref, coalesce(su.nhs_number,''), su.family_name, su.given_name, "
	"su.date_of_birth, su.postcode, su.locality, su.primary_need, "
	"coalesce((SELECT group_concat(need, ';') FROM (SELECT need FROM service_user_need "
	"  WHERE user_id = su.id ORDER BY need)), ''), su.status, su.forensic, su.restricted, "
	"su.direct_payment, su.funding FROM service_user su WHERE su.restricted = 0 ORDER BY su.ref";

static const struct column provider_columns[] = {
	{"id", C_INT}, {"name", C_TEXT}, {"cqc_location_id", C_TEXT}, {"cqc_rating", C_TEXT},
	{"status", C_TEXT}, {"consortium", C_TEXT}, {"suspended_reason", C_TEXT},
	{"suspended_on", C_TEXT}, {"phone", C_TEXT}, {"registrations", C_LIST},
	{"localities", C_LIST}, {"awards", C_LIST}, {"members", C_LIST}, {"left_on", C_TEXT}, {NULL, 0},
};

static const char provider_sql[] =
	"SELECT p.id, p.name, coalesce(p.cqc_location_id,''), p.cqc_rating, p.status, "
	"coalesce((SELECT c.name FROM provider c WHERE c.id = p.consortium_id), ''), "
	"coalesce(p.suspended_reason,''), coalesce(p.suspended_on,''), coalesce(p.phone,''), "
	"coalesce((SELECT group_concat(x, ';') FROM (SELECT r.service || '/' || r.need AS x "
	"  FROM registration r WHERE r.provider_id = p.id ORDER BY r.service, r.need)), ''), "
	"coalesce((SELECT group_concat(x, ';') FROM (SELECT c.locality AS x FROM coverage c "
	"  JOIN locality l ON l.code = c.locality WHERE c.provider_id = p.id ORDER BY l.sort)), ''), "
	"coalesce((SELECT group_concat(x, ';') FROM (SELECT a.service || '/' || "
	"  coalesce(a.locality, '*') || '/' || a.tier AS x FROM award a WHERE a.provider_id = p.id "
	"  AND (a.valid_to IS NULL OR a.valid_to >= date('now')) "
	"  ORDER BY a.service, CASE a.tier WHEN 'primary' THEN 1 WHEN 'secondary' THEN 2 ELSE 3 END, "
	"  a.locality)), ''), "
	"coalesce((SELECT group_concat(x, ';') FROM (SELECT m.name AS x FROM provider m "
	"  WHERE m.consortium_id = p.id ORDER BY m.name_fold)), ''), coalesce(p.left_on,'') "
	"FROM provider p ORDER BY p.id";

/* The register's other tables, each as import.c reads it back. */
static const struct column award_columns[] = {
	{"id", C_INT}, {"service", C_TEXT}, {"locality", C_TEXT}, {"provider_id", C_INT},
	{"provider", C_TEXT}, {"tier", C_TEXT}, {"valid_from", C_TEXT}, {"valid_to", C_TEXT}, {NULL, 0},
};

static const char award_sql[] =
	"SELECT a.id, a.service, coalesce(a.locality,''), a.provider_id, p.name, a.tier, a.valid_from, "
	"coalesce(a.valid_to,'') FROM award a JOIN provider p ON p.id = a.provider_id ORDER BY a.id";

static const struct column capacity_columns[] = {
	{"provider_id", C_INT}, {"provider", C_TEXT}, {"service", C_TEXT}, {"locality", C_TEXT},
	{"free", C_INT}, {"reported_on", C_TEXT}, {"updated_at", C_TEXT}, {NULL, 0},
};

static const char capacity_sql[] =
	"SELECT c.provider_id, p.name, c.service, c.locality, c.free, coalesce(r.reported_on,''), "
	"c.updated_at FROM capacity c LEFT JOIN capacity_report r ON r.provider_id = c.provider_id "
	"AND r.service = c.service AND r.locality = c.locality "
	"JOIN provider p ON p.id = c.provider_id ORDER BY c.provider_id, c.service, c.locality";

static const struct column rate_columns[] = {
	{"provider_id", C_INT}, {"provider", C_TEXT}, {"service", C_TEXT}, {"valid_from", C_TEXT},
	{"pence", C_INT}, {NULL, 0},
};

static const char rate_sql[] =
	"SELECT r.provider_id, p.name, r.service, r.valid_from, r.pence FROM rate r "
	"JOIN provider p ON p.id = r.provider_id ORDER BY r.provider_id, r.service, r.valid_from";

static const struct column registration_columns[] = {
	{"provider_id", C_INT}, {"provider", C_TEXT}, {"service", C_TEXT}, {"need", C_TEXT}, {NULL, 0},
};

static const char registration_sql[] =
	"SELECT r.provider_id, p.name, r.service, r.need FROM registration r "
	"JOIN provider p ON p.id = r.provider_id ORDER BY r.provider_id, r.service, r.need";

static const struct column request_columns[] = {
	{"id", C_INT}, {"person_ref", C_TEXT}, {"service", C_TEXT}, {"units", C_INT},
	{"locality", C_TEXT}, {"start_date", C_TEXT}, {"urgency", C_TEXT}, {"funding", C_TEXT},
	{"asc_pct", C_INT}, {"status", C_TEXT}, {"handback", C_FLAG}, {"created_at", C_TEXT},
	{"created_by", C_TEXT}, {"closed_at", C_TEXT}, {NULL, 0},
};

static const char request_sql[] =
	"SELECT r.id, su.ref, r.service, r.units, r.locality, r.start_date, r.urgency, r.funding, "
	"r.asc_pct, r.status, r.handback, r.created_at, r.created_by, coalesce(r.closed_at,'') "
	"FROM package_request r JOIN service_user su ON su.id = r.user_id ORDER BY r.id";

static const struct column calloff_columns[] = {
	{"id", C_INT}, {"request_id", C_INT}, {"provider_id", C_INT}, {"tier", C_TEXT},
	{"status", C_TEXT}, {"unit_rate_pence", C_INT}, {"units", C_INT}, {"weekly_cost_pence", C_INT},
	{"start_date", C_TEXT}, {"end_date", C_TEXT}, {"service", C_TEXT}, {"locality", C_TEXT},
	{"asc_pct", C_INT}, {"override_kind", C_TEXT}, {"override_reason", C_TEXT},
	{"continuity", C_FLAG}, {"proposed_by", C_TEXT}, {"created_at", C_TEXT}, {NULL, 0},
};

static const char calloff_sql[] =
	"SELECT id, request_id, provider_id, tier, status, unit_rate_pence, units, weekly_cost_pence, "
	"start_date, coalesce(end_date,''), service, locality, asc_pct, coalesce(override_kind,''), "
	"coalesce(override_reason,''), continuity, proposed_by, created_at FROM calloff ORDER BY id";

static const struct column audit_columns[] = {
	{"id", C_INT}, {"at", C_TEXT}, {"login", C_TEXT}, {"action", C_TEXT}, {"entity", C_TEXT},
	{"entity_id", C_TEXT}, {"detail", C_TEXT}, {"hash", C_TEXT}, {NULL, 0},
};

static const char audit_sql[] =
	"SELECT id, at, login, action, entity, entity_id, detail, lower(hex(hash)) FROM audit ORDER BY id";

static void json_list(FILE *out, const char *list)
{
	fputc('[', out);
	const char *p = list;
	bool first = true;
	while (p && *p) {
		const char *semi = strchr(p, ';');
		size_t n = semi ? (size_t)(semi - p) : strlen(p);
		char item[128];
		if (n >= sizeof item)
			n = sizeof item - 1;
		memcpy(item, p, n);
		item[n] = '\0';
		if (!first)
			fputc(',', out);
		export_json_put_string(out, item);
		first = false;
		p = semi ? semi + 1 : NULL;
	}
	fputc(']', out);
}

static const char *const names[] = {"service-users", "providers", "requests", "calloffs", "audit",
				    "awards", "capacity", "rates", "registrations"};

static enum br_status export_write(struct session *s, enum export_what what, enum export_format fmt,
				   bool all, FILE *out, long long *rows, char **why);

/* Who may: the role for the table; restricted people only for an admin
 * who gives a reason (break-glass for a bulk export). */
static enum br_status export_may(struct session *s, enum export_what what,
				 const struct export_options *o, char **why)
{
	static const char *const admins[] = {"admin", NULL};
	if ((unsigned)what > EXPORT_REGISTRATIONS)
		return br_fail(why, BR_USAGE, "no such export");
	char action[48];
	snprintf(action, sizeof action, "export %s", names[what]);
	enum br_status st = session_require_cap(s, what == EXPORT_AUDIT ? CAP_AUDIT : CAP_EXPORT, action, why);
	if (st != BR_OK || !o || !o->include_restricted)
		return st;
	if (what != EXPORT_SERVICE_USERS)
		return br_fail(why, BR_USAGE, "--include-restricted is for the service-users export");
	if ((st = session_require(s, admins, "exporting restricted records", why)) != BR_OK)
		return st;
	if (!o->reason || !text_present(o->reason))
		return br_fail(why, BR_USAGE, "exporting restricted records needs --reason TEXT (audited)");
	if ((st = text_check("--reason", o->reason, 0, false, why)) != BR_OK)
		return st;
	return BR_OK;
}

/* A bulk disclosure of records is itself on the record, before a byte of
 * it is written. */
static enum br_status audit_disclosure(struct session *s, const char *action, const char *entity,
				       const char *detail, char **why)
{
	enum br_status st = store_begin(s->store, why);
	if (st != BR_OK)
		return st;
	if ((st = audit_append(s->store, s->user.login, action, entity, "", detail, why)) != BR_OK) {
		store_rollback(s->store);
		return st;
	}
	return store_commit(s->store, why);
}

static void detail_for(char *out, size_t outsz, enum export_what what, enum export_format fmt,
		       const struct export_options *o, const char *dest)
{
	bool all = o && o->include_restricted;
	snprintf(out, outsz, "%s to %.200s%s%.150s", fmt == EXPORT_CSV ? "csv" : "json",
		 dest ? dest : "standard output",
		 all ? ", restricted included: " : what == EXPORT_SERVICE_USERS ? ", restricted left out" : "",
		 all ? o->reason : "");
}

enum br_status export_run(struct session *s, enum export_what what, enum export_format fmt,
			  FILE *out, long long *rows, char **why)
{
	return export_run_with(s, what, fmt, NULL, out, rows, why);
}

enum br_status export_run_with(struct session *s, enum export_what what, enum export_format fmt,
			       const struct export_options *o, FILE *out, long long *rows, char **why)
{
	enum br_status st = export_may(s, what, o, why);
	if (st != BR_OK)
		return st;
	char detail[400];
	detail_for(detail, sizeof detail, what, fmt, o, NULL);
	if ((st = audit_disclosure(s, "export", names[what], detail, why)) != BR_OK)
		return st;
	return export_write(s, what, fmt, o && o->include_restricted, out, rows, why);
}

enum br_status export_to_file(struct session *s, enum export_what what, enum export_format fmt,
			      const struct export_options *o, const char *path, long long *rows, char **why)
{
	/* the role, then the file (as the caller), then the record, then the rows */
	enum br_status st = export_may(s, what, o, why);
	if (st != BR_OK)
		return st;
	struct outfile of;
	if ((st = outfile_open(&of, path, s->cfg.database, why)) != BR_OK)
		return st;
	char detail[400];
	detail_for(detail, sizeof detail, what, fmt, o, path);
	if ((st = audit_disclosure(s, "export", names[what], detail, why)) == BR_OK &&
	    (st = export_write(s, what, fmt, o && o->include_restricted, of.f, rows, why)) == BR_OK)
		return outfile_commit(&of, why);
	outfile_abort(&of);
	return st;
}

enum br_status export_backup(struct session *s, const char *path, long long *pages, char **why)
{
	enum br_status st = session_require_cap(s, CAP_ADMIN, "backup", why);
	if (st != BR_OK)
		return st;
	struct outfile of;
	if ((st = outfile_open(&of, path, s->cfg.database, why)) != BR_OK)
		return st;
	char detail[300];
	snprintf(detail, sizeof detail, "online copy to %.250s", path);
	if ((st = audit_disclosure(s, "backup", "database", detail, why)) == BR_OK)
		return store_backup(s->store, &of, pages, why);
	outfile_abort(&of);
	return st;
}

static enum br_status export_write(struct session *s, enum export_what what, enum export_format fmt,
				   bool all, FILE *out, long long *rows, char **why)
{
	static const struct column *const col_sets[] = {su_columns, provider_columns, request_columns,
							 calloff_columns, audit_columns, award_columns,
							 capacity_columns, rate_columns, registration_columns};
	static const char *const sqls[] = {su_sql, provider_sql, request_sql, calloff_sql, audit_sql,
					   award_sql, capacity_sql, rate_sql, registration_sql};
	const char *name = names[what];
	const struct column *cols = col_sets[what];
	const char *sql = what == EXPORT_SERVICE_USERS && !all ? su_open_sql : sqls[what];
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(store_db(s->store), sql, -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s->store, rc, "exporting", why);
	long long n = 0;
	if (fmt == EXPORT_CSV) {
		for (int c = 0; cols[c].name; c++) {
			if (c)
				fputc(',', out);
			fputs(cols[c].name, out);
		}
		fputs("\r\n", out);
	} else {
		fputs("[\n", out);
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (fmt == EXPORT_JSON)
			fputs(n ? ",\n  {" : "  {", out);
		for (int c = 0; cols[c].name; c++) {
			const char *v = (const char *)sqlite3_column_text(q, c);
			if (!v)
				v = "";
			if (fmt == EXPORT_CSV) {
				if (c)
					fputc(',', out);
				if (cols[c].kind == C_FLAG)
					fputs(sqlite3_column_int(q, c) ? "1" : "0", out);
				else
					export_csv_put(out, v, cols[c].kind != C_INT);
				continue;
			}
			if (c)
				fputs(", ", out);
			export_json_put_string(out, cols[c].name);
			fputs(": ", out);
			switch (cols[c].kind) {
			case C_INT: fputs(v, out); break;
			case C_FLAG: fputs(sqlite3_column_int(q, c) ? "true" : "false", out); break;
			case C_LIST: json_list(out, v); break;
			default: export_json_put_string(out, v); break;
			}
		}
		fputs(fmt == EXPORT_CSV ? "\r\n" : "}", out);
		n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s->store, rc, "exporting", why);
	if (fmt == EXPORT_JSON)
		fputs(n ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out))
		return br_fail(why, BR_IO, "export %s: writing the output failed", name);
	if (rows)
		*rows = n;
	return BR_OK;
}
