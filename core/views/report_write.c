/* report_write.c — writing a report: the human table, CSV, JSON, and to a
 * file named by the caller. */
#include "report_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff.h"
#include "offer.h"
#include "config.h"
#include "domain.h"
#include "export.h"
#include "outfile.h"
#include "session.h"
#include "store_internal.h"
#include "util.h"

/* ---- writing --------------------------------------------------------------------------- */

void report_scope_text(const struct session *s, const struct report *r, char *out, size_t outsz)
{
	char a[16], b[16], loc[64];
	struct report_table d = {.cols = (const struct report_col[]){{"d", "d", RK_DATE}, {NULL, NULL, 0}}, .ncols = 1};
	struct report_cell c = {r->p.from, NULL};
	d.cells = &c;
	d.nrows = 1;
	report_cell_text(&d, 0, 0, true, a, sizeof a);
	c.v = r->p.to;
	report_cell_text(&d, 0, 0, true, b, sizeof b);
	int li = r->p.locality[0] ? config_locality(&s->cfg, r->p.locality) : -1;
	text_copy(loc, sizeof loc, li >= 0 ? s->cfg.localities[li].name : "all localities");
	int sv = r->p.service[0] ? service_find(r->p.service) : -1;
	if (r->range_used)
		snprintf(out, outsz, "%s to %s, %s, %s", a, b, loc, sv >= 0 ? service_name(sv) : "all services");
	else
		snprintf(out, outsz, "now, %s, %s", loc, sv >= 0 ? service_name(sv) : "all services");
}

/* Columns on the terminal: UTF-8 continuation bytes take none (the text
 * here is names and figures, none of it wide). */
static int text_cols(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* Formatted text to the caller's stream (core never prints: the stream
 * is the caller's). */
__attribute__((format(printf, 2, 3))) static void emit(FILE *out, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_write_safe(out, buf);
}

static bool right_aligned(enum report_kind k)
{
	return k != RK_TEXT && k != RK_DATE;
}

static void write_table(const struct session *s, const struct report *r, FILE *out)
{
	char scope[200];
	report_scope_text(s, r, scope, sizeof scope);
	emit(out, "%s — %s\n", report_title(r->which), scope);
	if (r->note[0])
		emit(out, "(%s)\n", r->note);
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		int w[REPORT_MAX_COLS];
		char buf[256];
		for (int c = 0; c < t->ncols; c++) {
			w[c] = text_cols(t->cols[c].title);
			for (int row = 0; row < t->nrows; row++) {
				report_cell_text(t, row, c, true, buf, sizeof buf);
				int bw = text_cols(buf);
				if (bw > w[c])
					w[c] = bw > 60 ? 60 : bw;
			}
		}
		emit(out, "\n%s\n", t->title);
		for (int c = 0; c < t->ncols; c++) {
			int pad = w[c] - text_cols(t->cols[c].title);
			emit(out, "%s%*s%s%*s", c ? "  " : "", right_aligned(t->cols[c].kind) ? pad : 0, "",
				t->cols[c].title, right_aligned(t->cols[c].kind) ? 0 : (c + 1 < t->ncols ? pad : 0), "");
		}
		fputc('\n', out);
		if (t->nrows == 0)
			fputs("(none)\n", out);
		for (int row = 0; row < t->nrows; row++) {
			for (int c = 0; c < t->ncols; c++) {
				char clean[256];
				report_cell_text(t, row, c, true, buf, sizeof buf);
				text_sanitise(buf, clean, sizeof clean);
				int pad = w[c] - text_cols(clean);
				if (pad < 0)
					pad = 0;
				emit(out, "%s%*s%s%*s", c ? "  " : "", right_aligned(t->cols[c].kind) ? pad : 0, "",
					clean, right_aligned(t->cols[c].kind) ? 0 : (c + 1 < t->ncols ? pad : 0), "");
			}
			fputc('\n', out);
		}
	}
}

static void write_csv(const struct report *r, FILE *out)
{
	/* one block a table: a header row naming the table's columns, each
	 * row starting with the report and the table's name; a blank line
	 * between blocks */
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		char from[11], to[11];
		date_format(r->p.from, from);
		date_format(r->p.to, to);
		if (i)
			fputs("\r\n", out);
		fputs("report,table,from,to,locality,service", out);
		for (int c = 0; c < t->ncols; c++) {
			fputc(',', out);
			fputs(t->cols[c].name, out);
		}
		fputs("\r\n", out);
		for (int row = 0; row < t->nrows; row++) {
			emit(out, "%s,%s,%s,%s,", report_code(r->which), t->name, from, to);
			export_csv_put(out, r->p.locality, 1);
			fputc(',', out);
			export_csv_put(out, r->p.service, 1);
			for (int c = 0; c < t->ncols; c++) {
				char buf[256];
				report_cell_text(t, row, c, false, buf, sizeof buf);
				fputc(',', out);
				export_csv_put(out, buf, t->cols[c].kind == RK_TEXT);
			}
			fputs("\r\n", out);
		}
	}
}

static void write_json(const struct report *r, FILE *out)
{
	char from[11], to[11];
	date_format(r->p.from, from);
	date_format(r->p.to, to);
	fputs("{\"report\": ", out);
	export_json_put_string(out, report_code(r->which));
	fputs(", \"title\": ", out);
	export_json_put_string(out, report_title(r->which));
	emit(out, ", \"from\": \"%s\", \"to\": \"%s\", \"range_used\": %s, \"locality\": ", from, to,
		r->range_used ? "true" : "false");
	if (r->p.locality[0])
		export_json_put_string(out, r->p.locality);
	else
		fputs("null", out);
	fputs(", \"service\": ", out);
	if (r->p.service[0])
		export_json_put_string(out, r->p.service);
	else
		fputs("null", out);
	fputs(", \"note\": ", out);
	export_json_put_string(out, r->note);
	fputs(",\n \"tables\": {", out);
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->t[i];
		fputs(i ? ",\n  " : "\n  ", out);
		export_json_put_string(out, t->name);
		fputs(": [", out);
		for (int row = 0; row < t->nrows; row++) {
			fputs(row ? ",\n    {" : "\n    {", out);
			for (int c = 0; c < t->ncols; c++) {
				char buf[256];
				report_cell_text(t, row, c, false, buf, sizeof buf);
				if (c)
					fputs(", ", out);
				export_json_put_string(out, t->cols[c].name);
				fputs(": ", out);
				if (t->cols[c].kind == RK_TEXT || t->cols[c].kind == RK_DATE)
					export_json_put_string(out, buf);
				else
					fputs(buf, out);
			}
			fputc('}', out);
		}
		fputs(t->nrows ? "\n  ]" : "]", out);
	}
	fputs("\n }\n}\n", out);
}

enum br_status report_write(const struct session *s, const struct report *r, enum report_format fmt,
			    FILE *out, char **why)
{
	switch (fmt) {
	case REPORT_TABLE: write_table(s, r, out); break;
	case REPORT_CSV: write_csv(r, out); break;
	case REPORT_JSON: write_json(r, out); break;
	}
	if (fflush(out) != 0 || ferror(out))
		return br_fail(why, BR_IO, "report %s: writing the output failed", report_code(r->which));
	return BR_OK;
}

enum br_status report_to_file(struct session *s, const struct report *r, const char *path, char **why)
{
	/* the role, then the file (as the caller), then the record, then the rows */
	if (!report_may(s, r->which))
		return br_fail(why, BR_DENIED, "report %s is not allowed for role %s", report_code(r->which),
			       s->user.role);
	struct outfile of;
	enum br_status st = outfile_open(&of, path, s->cfg.database, why);
	if (st != BR_OK)
		return st;
	char detail[400], from[11], to[11];
	date_format(r->p.from, from);
	date_format(r->p.to, to);
	snprintf(detail, sizeof detail, "csv to %.250s, %s to %s%s%s%s%s", path, from, to,
		 r->p.locality[0] ? ", locality " : "", r->p.locality, r->p.service[0] ? ", service " : "",
		 r->p.service);
	if ((st = store_begin(s->store, why)) != BR_OK)
		goto fail;
	if ((st = audit_append(s->store, s->user.login, "export", "report", report_code(r->which), detail, why)) != BR_OK) {
		store_rollback(s->store);
		goto fail;
	}
	if ((st = store_commit(s->store, why)) != BR_OK)
		goto fail;
	write_csv(r, of.f);
	return outfile_commit(&of, why);
fail:
	outfile_abort(&of);
	return st;
}
