/* export.h — whole tables out as CSV (with a header row) or JSON.
 * Column names are part of the interface; JSON uses the same names. */
#ifndef BR_EXPORT_H
#define BR_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "status.h"

struct session;

enum export_format { EXPORT_CSV, EXPORT_JSON };

enum export_what { EXPORT_SERVICE_USERS, EXPORT_PROVIDERS, EXPORT_REQUESTS, EXPORT_CALLOFFS, EXPORT_AUDIT,
		   EXPORT_AWARDS, EXPORT_CAPACITY, EXPORT_RATES, EXPORT_REGISTRATIONS };

/* Restricted people are left out of the service-users export unless an
 * admin asks for them with a reason (break-glass for a bulk export; the
 * reason is in the export's audit row). */
struct export_options {
	bool include_restricted;
	const char *reason;
};

/* Every row to out (the caller's stream). The role is checked and the
 * export audited before anything is written. *rows gets the count. BR_IO
 * when the stream fails (disk full). o may be NULL. */
enum br_status export_run(struct session *s, enum export_what what, enum export_format fmt,
			  FILE *out, long long *rows, char **why);
enum br_status export_run_with(struct session *s, enum export_what what, enum export_format fmt,
			       const struct export_options *o, FILE *out, long long *rows, char **why);
/* The same into a file the caller names: the role first, then the file is
 * made with the caller's own rights (outfile.h), then the audit row, then
 * the rows; renamed into place when whole. */
enum br_status export_to_file(struct session *s, enum export_what what, enum export_format fmt,
			      const struct export_options *o, const char *path, long long *rows,
			      char **why);
/* `brokerage backup`: admins only; the copy is the caller's file, made as
 * for export_to_file, and audited before it is written. */
enum br_status export_backup(struct session *s, const char *path, long long *pages, char **why);

/* One CSV field: quoted when needed; text starting with = + - @ (or tab,
 * CR) gets a leading ' so spreadsheets do not run it as a formula; so does
 * text that starts with one or more ' and then one of those, so import
 * (which takes one ' off such a value) always gets the value back. */
void export_csv_put(FILE *out, const char *field, int text);
/* A JSON string literal with escapes. */
void export_json_put_string(FILE *out, const char *s);

#endif
