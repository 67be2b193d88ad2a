/* init.h — create or migrate the database; reference data; the side file a
 * demo is built in (the generator itself is demo/, never in the installed
 * program). */
#ifndef BR_INIT_H
#define BR_INIT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "status.h"

struct store;

/* Progress of long work: stage name and fraction done (0..1). */
typedef void (*progress_fn)(void *ctx, const char *stage, double done);

struct init_options;
struct init_report;

/* Fills a freshly migrated, empty database with demo data: demo_build
 * (demo/demo.c), linked only into build/brokerage-demo, the tests and the
 * bench. */
typedef enum br_status (*init_demo_fn)(struct store *s, const struct br_config *cfg,
				       const struct init_options *opts, struct init_report *rep,
				       char **why);

struct init_options {
	bool demo;
	init_demo_fn demo_fill; /* NULL in the installed program: --demo is refused */
	int scale_permille; /* 1000 = the LCR; fractions make small test databases */
	uint64_t seed;
	const char *login;  /* who runs init: the first admin of a new database */
	bool as_given;      /* login came from --as (demo databases only) */
	bool by_root;       /* root ran it as root: may migrate what it could write anyway */
	const char *first_admin; /* --admin LOGIN: the first admin instead of login */
	progress_fn progress;
	void *progress_ctx;
};

struct init_report {
	bool created;          /* the file did not exist */
	int from_version, to_version;
	int reference_changes; /* localities/needs/services added or renamed */
	bool first_admin;      /* login was added as admin */
	bool demo_built;
	bool demo_skipped;     /* --demo on an existing database: left as it was */
	long long providers, service_users, calloffs, audit_rows;
};

/* Create or migrate cfg->database; with opts->demo on a new database,
 * fill it with demo data (built in a side file and renamed into place, so
 * a half-built demo never appears) and mark it a demo; opts->demo_fill
 * writes it, and without one --demo is refused. Running it twice
 * changes nothing. Who may is decided before anything is written: a new
 * database is not created by an elevated (setgid) caller, nor a demo in
 * the live data directory; an existing one with users needs an admin (or
 * root). The files of the database end group-shared, 0660. */
enum br_status init_database(const struct br_config *cfg, const struct init_options *opts,
			     struct init_report *rep, char **why);

/* Bring localities (from config), needs and services (built in) into the
 * database inside the caller's transaction; *changes counts rows written. */
enum br_status init_reference_sync(struct store *s, const struct br_config *cfg, int *changes,
			      char **why);

#endif
