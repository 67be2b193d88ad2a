/* import.h — load a register from CSV: providers, service users, awards,
 * capacity, rates and registrations.
 *
 * The columns are exactly those export.c writes for the same table; a
 * header row names them in any order. Every row is checked before anything
 * is written; every problem is returned (up to IMPORT_MAX_PROBLEMS) as a
 * line "FILE:LINE: column NAME: \"value\" is not ...". A clean file is
 * written in one transaction with one audit row per record written. A dry
 * run does the same work and rolls it back, so its summary is exactly what
 * the import would do. Admins only. */
#ifndef BR_IMPORT_H
#define BR_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "init.h"
#include "status.h"

struct session;

enum import_what {
	IMPORT_PROVIDERS,
	IMPORT_SERVICE_USERS,
	IMPORT_AWARDS,
	IMPORT_CAPACITY,
	IMPORT_RATES,
	IMPORT_REGISTRATIONS,
	IMPORT_COUNT
};

#define IMPORT_MAX_PROBLEMS 100

struct import_options {
	bool dry_run;          /* do everything, then roll back */
	progress_fn progress;  /* may be NULL; stages "checking", "writing" */
	void *progress_ctx;
};

struct import_report {
	long long rows;                 /* data rows read */
	long long added, updated, unchanged;
	char **problems;                /* n_problems lines, each its own heap string */
	int n_problems;
	bool more_problems;             /* stopped at IMPORT_MAX_PROBLEMS */
};

/* "providers", "service-users", ... and back; -1 when unknown. */
const char *import_name(enum import_what what);
int import_find(const char *name);

/* Import a CSV held in memory; file is the name used in problem lines.
 * BR_DATA when the file has problems (rep->problems says which; nothing
 * written), BR_DENIED for a role other than admin. */
enum br_status import_buffer(struct session *s, enum import_what what, const char *file,
			     const char *data, size_t len, const struct import_options *o,
			     struct import_report *rep, char **why);

/* The same, reading path (BR_NOINPUT when it cannot be read). */
enum br_status import_file(struct session *s, enum import_what what, const char *path,
			   const struct import_options *o, struct import_report *rep, char **why);

/* Free the problem lines; accepts an empty report. */
void import_report_free(struct import_report *rep);

#endif
