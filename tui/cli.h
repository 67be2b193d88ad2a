/* cli.h — the command-line face: each command calls the same core
 * functions as the screens. */
#ifndef BR_CLI_H
#define BR_CLI_H

#include <stdio.h>

#include "init.h"

struct cli_globals {
	const char *config;  /* --config FILE or NULL */
	const char *as;      /* --as LOGIN or NULL (demo only) */
	init_demo_fn demo;   /* what init --demo fills a database with: NULL in
			      * brokerage, demo_build in brokerage-demo */
};

/* The whole program: the global options, then a command (cli_run) or the
 * UI. main() of brokerage (tui/main.c) passes no demo generator; that of
 * brokerage-demo (demo/main.c) passes demo_build. */
int cli_main(int argc, char **argv, init_demo_fn demo);

/* The global options (--config, --as, --help, --version) with getopt_long,
 * up to the command: -1 to go on (*command: its index in argv, argc when
 * there is none), else the exit code (after --help, --version or one line
 * naming a bad option or an unknown command). */
int cli_globals_parse(struct cli_globals *g, int argc, char **argv, int *command);
/* Run argv[0] as a command; returns the process exit code (sysexits). */
int cli_run(const struct cli_globals *g, int argc, char **argv);
/* True when name is a command. */
int cli_known(const char *name);
void cli_usage(FILE *out);
/* One line (or more) on stderr with every control character replaced: a
 * message may quote what the caller typed (an --as value with an escape
 * sequence in it never reaches the terminal). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
