/* fuzz_import.c — libFuzzer harness for one importer (FUZZ_TABLE, set by
 * the Makefile: one binary per table). Each input goes through the real
 * path: libcsv, the header, every row's checks against a small register
 * in a temporary database, the writes and their audit rows, then a roll
 * back (a dry run), so every input meets the same database. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

#ifndef FUZZ_TABLE
#define FUZZ_TABLE "providers"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct session *session;
static int what = -1;
static char dir[256];

static void cleanup(void)
{
	session_close(&session);
	if (dir[0]) {
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "fuzz: could not remove %s\n", dir);
	}
}

static void die(const char *what_failed, char *why)
{
	fprintf(stderr, "fuzz: %s: %s\n", what_failed, why ? why : "?");
	exit(1);
}

/* A register the rows can refer to: providers 1-3 (one a consortium),
 * a person, an award, a rate, capacity. Written for real, once. */
static const char *const seed[][2] = {
	{"providers", "id,name,cqc_location_id,cqc_rating,status,consortium,registrations,localities\n"
		      "1,Premier Care,1-100007919,Good,active,,HC/LD;HC/PD,WAL;BIR\n"
		      "2,Community Caring,1-100000002,Good,active,Wirral Home Care Alliance,HC/PD,WW\n"
		      "3,Wirral Home Care Alliance,,Good,active,,HC/LD,WAL;BIR;WW;SW\n"},
	{"service-users", "ref,nhs_number,family_name,given_name,date_of_birth,locality,primary_need\n"
			  "SU1,9434765919,Jones,Mary,1940-05-06,WAL,LD\n"},
	{"awards", "id,service,locality,provider_id,tier,valid_from\n1,HC,WAL,1,primary,2019-04-01\n"},
	{"rates", "provider_id,service,valid_from,pence\n1,HC,2019-04-01,1560\n"},
	{"capacity", "provider_id,service,locality,free\n1,HC,WAL,10\n"},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	what = import_find(FUZZ_TABLE);
	if (what < 0)
		die("no such table", NULL);
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/brokerage-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	atexit(cleanup);
	char cfg_path[300];
	snprintf(cfg_path, sizeof cfg_path, "%s/fuzz.cfg", dir);
	FILE *f = fopen(cfg_path, "w");
	if (!f)
		die("config", NULL);
	fputs("database = \"f.db\";\n", f);
	fclose(f);
	char *why = NULL;
	struct br_config cfg;
	if (config_load(&cfg, cfg_path, &why) != BR_OK)
		die("config", why);
	/* a live (not demo) database: whoever runs the fuzzer is its admin */
	char login[64];
	if (session_os_login(login, sizeof login, &why) != BR_OK)
		die("login", why);
	struct init_options o = {.login = login};
	struct init_report rep;
	if (init_database(&cfg, &o, &rep, &why) != BR_OK)
		die("init", why);
	if (session_open(&session, cfg_path, NULL, &why) != BR_OK)
		die("session", why);
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		struct import_report r;
		if (import_buffer(session, (enum import_what)import_find(seed[i][0]), seed[i][0], seed[i][1],
				  strlen(seed[i][1]), NULL, &r, &why) != BR_OK)
			die(r.n_problems ? r.problems[0] : "seed", why);
		import_report_free(&r);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options o = {.dry_run = true};
	struct import_report rep;
	char *why = NULL;
	enum br_status st = import_buffer(session, (enum import_what)what, "fuzz.csv", (const char *)data,
					  size, &o, &rep, &why);
	/* a refusal must say why, and only a bad file may be refused */
	if (st != BR_OK && st != BR_DATA && st != BR_NOMEM) {
		fprintf(stderr, "fuzz: unexpected status %d: %s\n", (int)st, why ? why : "?");
		abort();
	}
	if (st == BR_DATA && rep.n_problems == 0) {
		fprintf(stderr, "fuzz: refused without a problem line: %s\n", why ? why : "?");
		abort();
	}
	import_report_free(&rep);
	free(why);
	return 0;
}
