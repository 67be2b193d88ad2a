/* export.h — whole tables out as CSV (with a header row) or JSON.
 * Column names are part of the interface; JSON uses the same names. */
#ifndef BR_EXPORT_H
#define BR_EXPORT_H

#include <stdio.h>

#include "status.h"

struct session;

enum export_format { EXPORT_CSV, EXPORT_JSON };

enum export_what { EXPORT_SERVICE_USERS, EXPORT_PROVIDERS, EXPORT_REQUESTS, EXPORT_CALLOFFS, EXPORT_AUDIT };

/* Check the role and write the export's audit row (committed), before
 * anything is opened or written: dest names where it goes (NULL: standard
 * output). */
enum br_status export_authorise(struct session *s, enum export_what what, enum export_format fmt,
				const char *dest, char **why);
/* Write every row to out; only after export_authorise (it checks the role
 * again, and writes no audit row). *rows gets the count. BR_IO when the
 * stream fails (disk full). */
enum br_status export_write(struct session *s, enum export_what what, enum export_format fmt,
			    FILE *out, long long *rows, char **why);
/* Both: authorise (audited), then write to out. */
enum br_status export_run(struct session *s, enum export_what what, enum export_format fmt,
			  FILE *out, long long *rows, char **why);

/* One CSV field: quoted when needed; text starting with = + - @ (or tab,
 * CR) gets a leading ' so spreadsheets do not run it as a formula. */
void csv_put(FILE *out, const char *field, int text);
/* A JSON string literal with escapes. */
void json_put_string(FILE *out, const char *s);

#endif
