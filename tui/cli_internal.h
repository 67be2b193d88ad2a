/* cli_internal.h — what cli.c shares with the files of commands
 * (cli_register.c, cli_request.c, cli_calloff.c, cli_data.c): the option
 * table and its one parser, the ids, the session, the one-line errors and
 * the output. tui/cli*.c only; the rest of tui/ sees cli.h. */
#ifndef BR_CLI_INTERNAL_H
#define BR_CLI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core.h"
#include "cli.h"

/* ---- options: one parser for every command --------------------------------------
 * A command lists its options in a table, one line each (the OPT_* macros
 * below: where the value goes and how it is checked), and calls
 * cli_args_parse, which runs glibc's getopt_long over argv. So, for every
 * command alike: "--opt VALUE" and "--opt=VALUE"; a value is taken whole
 * whatever it looks like ("--notes --help" is a note); "--" ends the
 * options, so an argument may start with a dash after it; --help and -h
 * are every command's own options; options are written in full
 * (getopt_long's abbreviations are refused: a setgid program guesses
 * nothing). What is not an option comes back in order in struct cli_args.
 * HACKING.md says how to add an option. */
enum opt_kind { OPTK_FLAG, OPTK_SET, OPTK_STR, OPTK_TEXT, OPTK_NUM };

struct cli_opt {
	const char *name; /* the long name, without "--"; NULL ends the table */
	enum opt_kind kind;
	union {
		bool *flag;       /* FLAG: set true */
		int *set;         /* SET: set to lo */
		const char **str; /* STR: the value as given */
		char *text;       /* TEXT: copied; longer than size - 1 is refused */
		long *num;        /* NUM: a whole number from lo to hi, else the message bad */
	} to;
	size_t size;
	long lo, hi;
	const char *bad; /* NUM: "%s" is the value given */
};

/* the size of an array, and a compile error for a pointer */
#define OPT_ARRAY_SIZE(a) \
	(sizeof(a) + 0 * sizeof(char[1 - 2 * __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0]))]))
#define OPT_FLAG(n, v) {.name = (n), .kind = OPTK_FLAG, .to.flag = &(v)}
#define OPT_SET(n, v, x) {.name = (n), .kind = OPTK_SET, .to.set = &(v), .lo = (x)}
#define OPT_STR(n, v) {.name = (n), .kind = OPTK_STR, .to.str = &(v)}
#define OPT_TEXT(n, buf) {.name = (n), .kind = OPTK_TEXT, .to.text = (buf), .size = OPT_ARRAY_SIZE(buf)}
#define OPT_NUM(n, v, l, h, msg) {.name = (n), .kind = OPTK_NUM, .to.num = &(v), .lo = (l), .hi = (h), .bad = (msg)}
#define OPT_END {.name = NULL}

enum { CLI_MAX_OPTS = 32, CLI_MAX_ARGS = 8 };

struct cli_args {
	int n;                   /* the arguments that are not options, in order */
	char *v[CLI_MAX_ARGS];
	bool seen[CLI_MAX_OPTS]; /* seen[k]: the table's option k was given */
	int next;                /* the global options: where the command starts */
	int exit;                /* when cli_args_parse says stop: the exit code (0 after --help) */
};

/* Parse argv[1..] for cmd against opts, taking at most max_args arguments
 * that are not options. cmd NULL: the global options, which stop at the
 * first argument that is not one (the command; a->next). True to go on;
 * false when the command should stop with a->exit (after --help, or after
 * one line on stderr naming the option). */
bool cli_args_parse(struct cli_args *a, const char *cmd, int argc, char **argv, const struct cli_opt *opts,
		    int max_args);
/* edit: the text options given replace the fields of *now (opts point into *in) */
void cli_args_apply_text(const struct cli_args *a, const struct cli_opt *opts, const void *in, void *now);

/* text, an id (1 to 2,000,000,000): 0, or 64 after one line */
int cli_parse_id(const char *cmd, const char *text, int64_t *id);
/* The argument k of a, an id: 0, or 64 after one line (what: the question
 * when it is missing). */
int cli_id_arg(const char *cmd, const struct cli_args *a, int k, const char *what, int64_t *id);

/* One line naming what is wrong and pointing at --help (cmd NULL: the
 * global options); 64. fmt has one "%s", for arg. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* One line on stderr (*why, else the status's text; *why freed); the exit
 * code for the status. */
int cli_fail(enum br_status st, char **why);
/* The caller's session: 0, or the exit code after one line. */
int cli_open_session(const struct cli_globals *g, struct session **s);
/* Close the session; 0 for BR_OK, else cli_fail's line and exit code. */
int cli_finish(struct session **s, enum br_status st, char **why);

/* printf to standard output through text_write_safe: what the database
 * holds is printed, never obeyed, by the terminal. */
int cli_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- the commands, by file ----------------------------------------------------------
 * Each is one entry of CLI_COMMANDS in cli.c: argv[0] is the command; it
 * parses its options, calls core/, and returns the exit code (sysexits). */
#define CLI_CMD(name) int cli_cmd_##name(const struct cli_globals *g, int argc, char **argv)

/* cli_register.c: the register (people, providers, their awards, capacity,
 * rates and registrations) and the users */
CLI_CMD(person);
CLI_CMD(provider);
CLI_CMD(capacity);
CLI_CMD(rate);
CLI_CMD(award);
CLI_CMD(registration);
CLI_CMD(user);

/* cli_request.c: a request from raised to a provider's answer, the queue,
 * emergency respite */
CLI_CMD(request);
CLI_CMD(match);
CLI_CMD(offer);
CLI_CMD(respond);
CLI_CMD(take);
CLI_CMD(assign);
CLI_CMD(respite);

/* cli_calloff.c: a call-off's life after the answer */
CLI_CMD(approve);
CLI_CMD(reject);
CLI_CMD(workorder);
CLI_CMD(handback);
CLI_CMD(vary);
CLI_CMD(pause);
CLI_CMD(resume);
CLI_CMD(end);

/* cli_data.c: the database as a whole */
CLI_CMD(init);
CLI_CMD(check);
CLI_CMD(export);
CLI_CMD(import);
CLI_CMD(backup);
CLI_CMD(report);

#endif
