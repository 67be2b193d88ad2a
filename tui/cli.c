/* cli.c — brokerage's commands. Each parses its options, calls core/, and
 * turns the status into one line on stderr and a sysexits code. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "cli.h"

#define CLI_COMMANDS(X)                                                                      \
	X(init, "init [--admin LOGIN] [--demo [--scale N] [--seed S]]", "create or migrate the database; demo data") \
	X(check, "check [--witness LOGFILE]", "config, integrity, foreign keys, audit chain (and its witness)") \
	X(export, "export service-users|providers|requests|calloffs|audit|awards|capacity|rates|registrations [--format csv|json] [--out FILE] [--include-restricted --reason TEXT]", \
	  "write a table out")                                                                      \
	X(import, "import providers|service-users|awards|capacity|rates|registrations FILE.csv [--dry-run]", \
	  "load a table from CSV, all or nothing (admins)")                                          \
	X(backup, "backup FILE", "online copy of the database while others work")                  \
	X(request, "request new --user REF --service CODE --units N --start DATE --urgency U --funding F [--asc-pct N] [--locality L] [--notes T] | request cancel ID --reason TEXT", \
	  "raise or cancel a package request")                                                     \
	X(match, "match REQUEST_ID [--json]", "every provider for a request, in cascade order, with reasons") \
	X(offer, "offer REQUEST_ID PROVIDER_ID [--override person_choice|clinical|spot|out_of_locality --reason TEXT]", \
	  "offer a request to a provider, as the cascade allows")                                  \
	X(respond, "respond OFFER_ID accept|decline [--reason CODE] [--note TEXT] | respond OFFER_ID withdraw|correct --note TEXT", \
	  "record a provider's answer; withdraw an offer; correct a decline recorded by mistake") \
	X(handback, "handback CALLOFF_ID --reason CODE --date DATE", "a provider hands back a call-off") \
	X(workorder, "workorder CALLOFF_ID [--out FILE]", "the provider's work order: only what it needs (audited)") \
	X(respite, "respite --user REF [--provider ID [--nights N] [--locality L]] | respite --extend CALLOFF_ID --nights N", \
	  "emergency respite: beds free tonight, or book one")                                       \
	X(approve, "approve CALLOFF_ID [--note TEXT]", "approve a call-off (supervisors)")            \
	X(reject, "reject CALLOFF_ID --note TEXT", "reject a call-off (supervisors)")                \
	X(provider, "provider suspend ID --reason TEXT | provider reinstate ID --note TEXT | provider leave ID --on DATE [--note TEXT] | provider add --name N [--cqc ID] [--rating R] [--phone P] [--email E] [--contact C] [--postcode P] [--localities A,B] | provider edit ID [the same options]", \
	  "suspend a provider (pending offers withdrawn), lift it, record it leaving (supervisors, admins); add or edit one (admins)") \
	X(vary, "vary CALLOFF_ID [--units N] [--rate PENCE] [--asc-pct N] --from DATE [--reason TEXT]",                               \
	  "change the units, rate or funding split of care under way from a date (a linked new call-off)")                 \
	X(pause, "pause CALLOFF_ID --from DATE --reason hospital|respite_elsewhere|away|other [--retain|--release]", \
	  "pause a package (retainer: the provider keeps the capacity)")                            \
	X(resume, "resume CALLOFF_ID --from DATE", "resume a paused package, or call off a pause not begun")                        \
	X(end, "end CALLOFF_ID --from DATE --reason no_longer_needed|deceased|moved_away|changed_service|person_choice", \
	  "end a package from a date (capacity returns on that date)")                              \
	X(take, "take REQUEST_ID [--reason TEXT]", "take a request from the queue (another's: a reason, or idle)") \
	X(assign, "assign REQUEST_ID LOGIN", "give a request to an officer (supervisors)")          \
	X(report, "report waiting|pickup|tiers|spend|market|handbacks|declines|approvals|respite|residential [--from D] [--to D] [--locality L] [--service S] [--format table|csv|json]", \
	  "the figures a commissioner asks for (default: the last 12 weeks)")                     \
	X(user, "user add LOGIN --role R [--name N] [--limit POUNDS] | user list | user set-role LOGIN R [--limit POUNDS] | user disable LOGIN", \
	  "users and roles (admins)")                                                                \
	X(person, "person add --nhs N --family F --given G --dob YYYY-MM-DD --postcode P --locality L --need CODE [--other-needs A,B] [--forensic] [--funding F] [--s117] [--fnc] | person edit REF [the same options] [--no-forensic] [--no-s117] [--no-fnc] | person close REF --reason moved_away|closed [--note TEXT] [--cancel-requests] | person restrict REF on|off --reason TEXT | person deceased REF --date DATE", \
	  "add a person referred to the team (prints the new reference), edit, close a record, restrict one (admins), or record a death (their call-offs end, their open requests are cancelled)")                             \
	X(capacity, "capacity set PROVIDER --service S --locality L --free N", \
	  "a provider's free capacity, reported today (admins)")                                      \
	X(rate, "rate set PROVIDER --service S --pence N --from DATE", \
	  "a provider's rate for a service from a date (admins)")                                    \
	X(award, "award add PROVIDER --service S --tier primary|secondary|peripheral [--locality L] --from DATE | award end AWARD_ID --on DATE", \
	  "a provider awarded a tier on a lot, or an award ended (admins)")                          \
	X(registration, "registration add PROVIDER --service S --need N", \
	  "register a provider on a lot for a needs group (admins)")

#define X(name, usage, text) static int cmd_##name(const struct cli_globals *g, int argc, char **argv);
CLI_COMMANDS(X)
#undef X

static const struct {
	const char *name, *usage, *text;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
} commands[] = {
#define X(name, usage, text) {#name, usage, text, cmd_##name},
	CLI_COMMANDS(X)
#undef X
};

static int cli_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

void cli_usage(FILE *out)
{
	fprintf(out, "usage: brokerage [--config FILE] [--as LOGIN]          the terminal UI\n");
	for (int i = 0; i < N_COMMANDS; i++)
		fprintf(out, "       brokerage %-46s %s\n", commands[i].usage, commands[i].text);
	fprintf(out,
		"\nThe config is --config FILE, else $BROKERAGE_CONFIG, else %s;\n"
		"the installed (setgid) program reads only its installed config.\n"
		"--as LOGIN and $BROKERAGE_NOW work only on a demo database (init --demo).\n"
		"Exit codes: 0 ok, 64 usage, 65 bad data, 66 no input, 75 busy (try again),\n"
		"77 not allowed for your role, 78 bad config.\n",
		priv_installed_config() ? priv_installed_config() : "./config/brokerage.cfg");
}

/* `brokerage complete WHAT`: words for the bash completion (not listed in
 * --help): commands, services, localities (from the config), tables,
 * imports, reports, or "options CMD" (the words of CMD's usage). */
static int complete_words(const struct cli_globals *g, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	if (strcmp(what, "commands") == 0) {
		for (int i = 0; i < N_COMMANDS; i++)
			cli_out("%s\n", commands[i].name);
	} else if (strcmp(what, "services") == 0) {
		for (int i = 0; i < SERVICE_COUNT; i++)
			cli_out("%s\n", service_code(i));
	} else if (strcmp(what, "localities") == 0) {
		struct session *s;
		if (session_open_config(&s, g->config, NULL) != BR_OK)
			return 0;
		for (int i = 0; i < s->cfg.n_localities; i++)
			cli_out("%s\n", s->cfg.localities[i].code);
		session_close(&s);
	} else if (strcmp(what, "tables") == 0) {
		puts("service-users\nproviders\nrequests\ncalloffs\naudit\nawards\ncapacity\nrates\nregistrations");
	} else if (strcmp(what, "imports") == 0) {
		puts("providers\nservice-users\nawards\ncapacity\nrates\nregistrations");
	} else if (strcmp(what, "reports") == 0) {
		puts("waiting\npickup\ntiers\nspend\nmarket\nhandbacks\ndeclines\napprovals\nrespite\nresidential");
	} else if (strncmp(what, "options ", 8) == 0) {
		for (int i = 0; i < N_COMMANDS; i++) {
			if (strcmp(commands[i].name, what + 8) != 0)
				continue;
			/* the words of the usage: options and subcommands */
			const char *u = commands[i].usage;
			while (*u) {
				while (*u && !(*u == '-' || (*u >= 'a' && *u <= 'z')))
					u++;
				const char *w = u;
				while (*u && (*u == '-' || *u == '_' || (*u >= 'a' && *u <= 'z') || (*u >= '0' && *u <= '9')))
					u++;
				size_t n = (size_t)(u - w);
				bool is_cmd = n == strlen(commands[i].name) && strncmp(w, commands[i].name, n) == 0;
				if (n > 0 && !is_cmd && !(w[0] == '-' && n < 3))
					cli_out("%.*s\n", (int)n, w);
				while (*u && *u != ' ' && *u != '|' && *u != '[' && *u != ']')
					u++;
			}
		}
	}
	return 0;
}

int cli_known(const char *name)
{
	if (strcmp(name, "complete") == 0)
		return 1;
	for (int i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return 1;
	return 0;
}

/* An example for every command's --help (tests/docs.sh checks each has one). */
static const struct {
	const char *name, *example;
} examples[] = {
	{"init", "sudo brokerage init --admin alice        (a new database; alice is its first admin)"},
	{"check", "brokerage check --witness /var/log/auth.log"},
	{"export", "brokerage export providers --format csv --out ~/providers.csv"},
	{"import", "brokerage import providers providers.csv --dry-run"},
	{"backup", "brokerage backup /var/backups/brokerage/2026-11-23.db"},
	{"request", "brokerage request new --user SU000123 --service HC --units 14 --start 2026-12-01 --urgency routine --funding ASC"},
	{"match", "brokerage match 4711 --json"},
	{"offer", "brokerage offer 4711 1"},
	{"respond", "brokerage respond 9001 decline --reason no_staff"},
	{"handback", "brokerage handback 812 --reason no_staff --date 2026-12-21"},
	{"respite", "brokerage respite --user SU000123 --provider 77 --nights 2"},
	{"approve", "brokerage approve 812 --note \"checked the rate with the provider\""},
	{"reject", "brokerage reject 812 --note \"a community alternative was not tried\""},
	{"provider", "brokerage provider suspend 77 --reason \"safeguarding concern, 23 Nov\"\n"
		     "  brokerage provider leave 77 --on 2026-11-30 --note \"contract ended\"\n"
		     "  brokerage provider add --name \"Wirral Care Co\" --cqc 1-123456789 --rating Good --localities WAL,BIR\n"
		     "  brokerage provider edit 77 --phone \"0151 555 0100\""},
	{"user", "brokerage user add bob --role officer --name \"Bob Jones\""},
	{"person", "brokerage person add --nhs 9990000018 --family Jones --given Ann --dob 1950-03-01 --postcode CH41 1AA --locality BIR --need LD\n"
		   "  brokerage person edit SU000123 --postcode \"CH45 2AA\" --locality WAL\n"
		   "  brokerage person close SU000123 --reason moved_away --note \"to Chester\" --cancel-requests\n"
		   "  brokerage person restrict SU000123 on --reason \"staff member's relative\""},
	{"capacity", "brokerage capacity set 77 --service HC --locality WAL --free 40"},
	{"rate", "brokerage rate set 77 --service HC --pence 2420 --from 2027-04-01"},
	{"award", "brokerage award add 77 --service HC --tier peripheral --from 2027-04-01"},
	{"registration", "brokerage registration add 77 --service HC --need LD"},
	{"workorder", "brokerage workorder 812 --out ~/workorder-812.txt"},
	{"vary", "brokerage vary 812 --units 14 --from 2026-12-07 --reason \"more help at tea time\""},
	{"pause", "brokerage pause 812 --from 2026-11-23 --reason hospital --retain"},
	{"resume", "brokerage resume 812 --from 2026-12-02"},
	{"end", "brokerage end 812 --from 2026-12-31 --reason moved_away"},
	{"take", "brokerage take 4711 --reason \"covering while Bob is on leave\""},
	{"assign", "brokerage assign 4711 bob"},
	{"report", "brokerage report market --from 2026-04-01 --to 2026-09-30 --locality WAL --format csv"},
};

/* `brokerage COMMAND --help`: usage, what it does, an example; exit 0. */
static int command_help(int i)
{
	cli_out("usage: brokerage %s\n\n%s.\n", commands[i].usage, commands[i].text);
	if (strcmp(commands[i].name, "report") == 0) {
		cli_out("\nThe reports:\n");
		for (int w = 0; w < REPORT_COUNT; w++)
			cli_out("  %-12s %s%s\n", report_code(w), report_title(w), w <= REPORT_PICKUP ? " (officers too)" : "");
		cli_out("Who may: supervisors, admins and viewers; officers see waiting and pickup.\n"
			"Dates are YYYY-MM-DD; table is for a person, csv and json for a machine.\n");
	}
	for (size_t e = 0; e < sizeof examples / sizeof examples[0]; e++)
		if (strcmp(examples[e].name, commands[i].name) == 0)
			cli_out("\nexample:\n  %s\n", examples[e].example);
	cli_out("\nSee brokerage(1); exit codes: 0 ok, 64 usage, 65 bad data, 66 no input, "
	       "75 busy, 77 not allowed, 78 bad config.\n");
	return 0;
}

static int command_index(const char *name)
{
	for (int i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return i;
	return -1;
}

int cli_run(const struct cli_globals *g, int argc, char **argv)
{
	if (strcmp(argv[0], "complete") == 0)
		return complete_words(g, argc, argv);
	int i = command_index(argv[0]);
	if (i < 0)
		return 64;
	/* "CMD --help" before a subcommand; after one, each command's options have it */
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return command_help(i);
	return commands[i].run(g, argc, argv);
}

/* printf to standard output through text_write_safe: what the database
 * holds is printed, never obeyed, by the terminal. */
static int cli_out(const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_write_safe(stdout, buf);
	return n;
}

void cli_error(const char *fmt, ...)
{
	char raw[4096], clean[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/* line by line, so the newlines of a message survive and nothing else does */
	for (char *line = raw, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		text_sanitise(line, clean, sizeof clean);
		fputs(clean, stderr);
		if (next)
			fputc('\n', stderr);
	}
}

/* One line on stderr; the exit code for the status. */
static int fail(enum br_status st, char **why)
{
	cli_error("brokerage: %s\n", why && *why ? *why : br_status_text(st));
	br_free_str(why);
	return br_status_exit(st);
}

/* One line naming what is wrong and pointing at --help (cmd NULL: the
 * global options); 64. */
static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	char text[2048];
	snprintf(text, sizeof text, fmt, arg);
	if (cmd)
		cli_error("brokerage %s: %s (see brokerage %s --help)\n", cmd, text, cmd);
	else
		cli_error("brokerage: %s (see brokerage --help)\n", text);
	return 64;
}

static int parse_count(const char *text, long lo, long hi, long *out);

/* ---- options: one parser for every command --------------------------------------
 * A command lists its options in a table, one line each (the OPT_* macros
 * below: where the value goes and how it is checked), and calls args_parse,
 * which runs glibc's getopt_long over argv. So, for every command alike:
 * "--opt VALUE" and "--opt=VALUE"; a value is taken whole whatever it looks
 * like ("--notes --help" is a note); "--" ends the options, so an argument
 * may start with a dash after it; --help and -h are every command's own
 * options; options are written in full (getopt_long's abbreviations are
 * refused: a setgid program guesses nothing). What is not an option comes
 * back in order in struct args. HACKING.md says how to add an option. */
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

enum { CLI_MAX_OPTS = 32, CLI_MAX_ARGS = 8, OPT_VAL = 256 };

struct args {
	int n;                   /* the arguments that are not options, in order */
	char *v[CLI_MAX_ARGS];
	bool seen[CLI_MAX_OPTS]; /* seen[k]: the table's option k was given */
	int next;                /* the global options: where the command starts */
	int exit;                /* when args_parse says stop: the exit code (0 after --help) */
};

static int command_help(int i);
static int command_index(const char *name);

static bool parse_stop(struct args *a, int code)
{
	a->exit = code;
	return false;
}

/* Parse argv[1..] for cmd against opts, taking at most max_args arguments
 * that are not options. cmd NULL: the global options, which stop at the
 * first argument that is not one (the command; a->next). True to go on;
 * false when the command should stop with a->exit (after --help, or after
 * one line on stderr naming the option). */
static bool args_parse(struct args *a, const char *cmd, int argc, char **argv, const struct cli_opt *opts,
		       int max_args)
{
	struct option longs[CLI_MAX_OPTS + 2];
	int n = 0;
	memset(a, 0, sizeof *a);
	for (; opts[n].name; n++) {
		if (n == CLI_MAX_OPTS)
			abort(); /* a table too long for struct args: raise CLI_MAX_OPTS */
		bool flag = opts[n].kind == OPTK_FLAG || opts[n].kind == OPTK_SET;
		longs[n] = (struct option){opts[n].name, flag ? no_argument : required_argument, NULL, OPT_VAL + n};
	}
	longs[n] = (struct option){"help", no_argument, NULL, 'h'};
	longs[n + 1] = (struct option){NULL, 0, NULL, 0};
	/* "-": arguments come back in order (code 1) whatever POSIXLY_CORRECT
	 * says; "+": the global options stop at the command; ":": a missing
	 * value is told apart from an unknown option. optind 0 starts glibc's
	 * getopt afresh after the last parse (the global options, or the
	 * fuzzer's previous input). */
	opterr = 0;
	optind = 0;
	for (;;) {
		int at = optind ? optind : 1; /* the word getopt_long reads next */
		int c = getopt_long(argc, argv, cmd ? "-:h" : "+:h", longs, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			if (a->n >= max_args || a->n >= CLI_MAX_ARGS)
				return parse_stop(a, usage_error(cmd, "unexpected argument \"%s\"", optarg));
			a->v[a->n++] = optarg;
			continue;
		}
		if (c == 'h' && argv[at][1] == '-' && strcmp(argv[at], "--help") != 0) {
			char text[256];
			snprintf(text, sizeof text, "\"%.200s\" is not an option: write --help in full", argv[at]);
			return parse_stop(a, usage_error(cmd, "%s", text));
		}
		if (c == 'h') {
			if (cmd)
				return parse_stop(a, command_help(command_index(cmd)));
			cli_usage(stdout);
			return parse_stop(a, 0);
		}
		if (c == ':' && optopt >= OPT_VAL)
			return parse_stop(a, usage_error(cmd, "--%s needs a value", opts[optopt - OPT_VAL].name));
		if (c == '?' && optopt >= OPT_VAL)
			return parse_stop(a, usage_error(cmd, "--%s takes no value", opts[optopt - OPT_VAL].name));
		if (c == '?' && optopt == 'h' && argv[at][1] == '-')
			return parse_stop(a, usage_error(cmd, "%s", "--help takes no value"));
		if (c < OPT_VAL || c >= OPT_VAL + n) /* the whole word: "-5", "-dash.db", "--frob=x" */
			return parse_stop(a, usage_error(cmd, "unknown option \"%s\"", argv[at]));
		int k = c - OPT_VAL;
		const struct cli_opt *o = &opts[k];
		/* written in full: "--name" or "--name=VALUE", never a prefix */
		size_t len = strcspn(argv[at] + 2, "=");
		if (strncmp(argv[at], "--", 2) != 0 || len != strlen(o->name)) {
			char text[256];
			snprintf(text, sizeof text, "\"%.*s\" is not an option: write --%s in full",
				 (int)(len + 2 < 200 ? len + 2 : 200), argv[at], o->name);
			return parse_stop(a, usage_error(cmd, "%s", text));
		}
		a->seen[k] = true;
		switch (o->kind) {
		case OPTK_FLAG:
			*o->to.flag = true;
			break;
		case OPTK_SET:
			*o->to.set = (int)o->lo;
			break;
		case OPTK_STR:
			*o->to.str = optarg;
			break;
		case OPTK_TEXT:
			/* nothing typed is cut off without a word */
			if (strlen(optarg) >= o->size) {
				cli_error("brokerage %s: --%s is too long (%zu characters at most)\n", cmd ? cmd : "",
					  o->name, o->size - 1);
				return parse_stop(a, 64);
			}
			text_copy(o->to.text, o->size, optarg);
			break;
		case OPTK_NUM:
			if (!parse_count(optarg, o->lo, o->hi, o->to.num))
				return parse_stop(a, usage_error(cmd, o->bad, optarg));
			break;
		}
	}
	a->next = optind;
	if (cmd) /* after "--": arguments, whatever they look like */
		for (int i = optind; i < argc; i++) {
			if (a->n >= max_args || a->n >= CLI_MAX_ARGS)
				return parse_stop(a, usage_error(cmd, "unexpected argument \"%s\"", argv[i]));
			a->v[a->n++] = argv[i];
		}
	return true;
}

/* edit: the text options given replace the fields of *now (opts point into *in) */
static void args_apply_text(const struct args *a, const struct cli_opt *opts, const void *in, void *now)
{
	for (int k = 0; opts[k].name; k++)
		if (a->seen[k] && opts[k].kind == OPTK_TEXT) {
			size_t off = (size_t)(opts[k].to.text - (const char *)in);
			memcpy((char *)now + off, opts[k].to.text, opts[k].size);
		}
}

int cli_globals_parse(struct cli_globals *g, int argc, char **argv, int *command)
{
	bool version = false;
	const struct cli_opt opts[] = {
		OPT_STR("config", g->config),
		OPT_STR("as", g->as),
		OPT_FLAG("version", version),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, NULL, argc, argv, opts, 0))
		return a.exit;
	if (version) {
		printf("brokerage %s (schema %d)\n", BROKERAGE_VERSION, store_schema_latest());
		return 0;
	}
	*command = a.next;
	if (a.next < argc && !cli_known(argv[a.next])) {
		cli_error("brokerage: unknown command or option \"%s\" (see brokerage --help)\n", argv[a.next]);
		return 64;
	}
	return -1;
}

static int parse_count(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

/* ---- init ------------------------------------------------------------------ */

static void progress_line(void *ctx, const char *stage, double done)
{
	(void)ctx;
	fprintf(stderr, "\rbuilding demo data: %-14s %3d%%", stage, (int)(done * 100 + 0.5));
	if (done >= 1.0)
		fputc('\n', stderr);
	fflush(stderr);
}

static int cmd_init(const struct cli_globals *g, int argc, char **argv)
{
	struct init_options o = {.scale_permille = 1000, .seed = 0};
	const char *admin = NULL, *scale = NULL;
	long seed = 0;
	const struct cli_opt opts[] = {
		OPT_FLAG("demo", o.demo),
		OPT_STR("admin", admin),
		OPT_STR("scale", scale),
		OPT_NUM("seed", seed, 0, 2000000000L, "--seed takes a whole number, not \"%s\""),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "init", argc, argv, opts, 0))
		return a.exit;
	if (admin && (!*admin || strlen(admin) > 32))
		return usage_error("init", "--admin takes a login, not \"%s\"", admin);
	o.first_admin = admin;
	if (scale) {
		char *end;
		errno = 0;
		double x = strtod(scale, &end);
		if (errno || end == scale || *end || !(x >= 0.01 && x <= 100))
			return usage_error("init", "--scale takes a number from 0.01 to 100 (1 = the LCR), not \"%s\"", scale);
		o.scale_permille = (int)(x * 1000 + 0.5);
	}
	o.seed = (uint64_t)seed;
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open_config(&s, g->config, &why);
	if (st != BR_OK)
		return fail(st, &why);
	char login[64];
	if (g->as) {
		/* init_database refuses it unless the database is (or becomes) a demo */
		text_copy(login, sizeof login, g->as);
		o.as_given = true;
	} else if ((st = identity_os_login(login, sizeof login, &why)) != BR_OK) {
		session_close(&s);
		return fail(st, &why);
	} else {
		o.by_root = getuid() == 0;
	}
	o.login = login;
	if (o.demo && isatty(STDERR_FILENO))
		o.progress = progress_line;
	struct init_report rep;
	st = init_database(&s->cfg, &o, &rep, &why);
	if (st != BR_OK) {
		session_close(&s);
		return fail(st, &why);
	}
	if (rep.created)
		cli_out("created %s (schema %d)\n", s->cfg.database, rep.to_version);
	else if (rep.from_version != rep.to_version)
		cli_out("migrated %s from schema %d to %d\n", s->cfg.database, rep.from_version,
		       rep.to_version);
	else
		cli_out("%s is at schema %d: nothing to migrate\n", s->cfg.database, rep.to_version);
	if (rep.reference_changes && !rep.created)
		cli_out("reference data: %d rows brought in line with %s\n", rep.reference_changes,
		       s->cfg.path);
	if (rep.first_admin)
		cli_out("first admin: %s\n", o.first_admin ? o.first_admin : login);
	if (rep.demo_built)
		cli_out("demo data: %lld providers, %lld service users, %lld call-offs, %lld audit rows\n",
		       rep.providers, rep.service_users, rep.calloffs, rep.audit_rows);
	if (rep.demo_skipped)
		cli_out("demo data not added: it only goes into a new database (%lld service users here)\n",
		       rep.service_users);
	session_close(&s);
	return 0;
}

/* ---- check ----------------------------------------------------------------- */

static void check_line(void *ctx, int ok, const char *line)
{
	(void)ctx;
	if (ok)
		cli_out("ok       %s\n", line);
	else
		cli_out("PROBLEM  %s\n", line);
}

static int cmd_check(const struct cli_globals *g, int argc, char **argv)
{
	const char *witness = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("witness", witness),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "check", argc, argv, opts, 0))
		return a.exit;
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	if (isatty(STDERR_FILENO))
		cli_error("checking %s: integrity_check reads the whole file (about a minute at 10x LCR)\n",
			s->cfg.database);
	st = check_run(s, check_line, NULL, &why);
	if (witness && (st == BR_OK || st == BR_DATA)) {
		char *wwhy = NULL;
		enum br_status ws = check_witness(s, witness, check_line, NULL, &wwhy);
		if (ws != BR_OK && (st == BR_OK || ws != BR_DATA)) {
			br_free_str(&why);
			why = wwhy;
			wwhy = NULL;
			st = ws;
		}
		br_free_str(&wwhy);
	}
	fflush(stdout);
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	return 0;
}

/* ---- export ---------------------------------------------------------------- */

static int cmd_export(const struct cli_globals *g, int argc, char **argv)
{
	static const struct {
		const char *name;
		enum export_what what;
	} tables[] = {
		{"service-users", EXPORT_SERVICE_USERS}, {"providers", EXPORT_PROVIDERS}, {"requests", EXPORT_REQUESTS},
		{"calloffs", EXPORT_CALLOFFS}, {"audit", EXPORT_AUDIT}, {"awards", EXPORT_AWARDS},
		{"capacity", EXPORT_CAPACITY}, {"rates", EXPORT_RATES}, {"registrations", EXPORT_REGISTRATIONS},
	};
	enum export_format fmt = EXPORT_CSV;
	const char *out_path = NULL, *format = NULL;
	int what = -1;
	struct export_options eo = {false, NULL};
	const struct cli_opt opts[] = {
		OPT_FLAG("include-restricted", eo.include_restricted),
		OPT_STR("reason", eo.reason),
		OPT_STR("format", format),
		OPT_STR("out", out_path),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "export", argc, argv, opts, 1))
		return a.exit;
	if (format && strcmp(format, "json") == 0)
		fmt = EXPORT_JSON;
	else if (format && strcmp(format, "csv") != 0)
		return usage_error("export", "--format is csv or json, not \"%s\"", format);
	for (size_t t = 0; a.n && t < sizeof tables / sizeof tables[0]; t++)
		if (strcmp(a.v[0], tables[t].name) == 0)
			what = (int)tables[t].what;
	if (a.n && what < 0)
		return usage_error("export", "unknown table \"%s\"", a.v[0]);
	if (what < 0)
		return usage_error("export", "%s", "which table?");
	if (eo.reason && !eo.include_restricted)
		return usage_error("export", "%s", "--reason goes with --include-restricted");
	if (eo.include_restricted && !eo.reason)
		return usage_error("export", "%s", "--include-restricted needs --reason TEXT (it is audited)");
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	long long rows = 0;
	st = out_path ? export_to_file(s, (enum export_what)what, fmt, &eo, out_path, &rows, &why)
		      : export_run_with(s, (enum export_what)what, fmt, &eo, stdout, &rows, &why);
	if (st == BR_OK && out_path)
		cli_error("wrote %lld rows to %s\n", rows, out_path);
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	return 0;
}

/* ---- import ---------------------------------------------------------------- */

static int open_session(const struct cli_globals *g, struct session **s);
static int finish(struct session **s, enum br_status st, char **why);

static const char *import_path;
static bool import_line_open; /* a progress line waits for its newline */

static void import_progress(void *ctx, const char *stage, double done)
{
	(void)ctx;
	cli_error("\r%s: %-8s %3d%%", import_path, stage, (int)(done * 100 + 0.5));
	import_line_open = true;
	if (done >= 1.0 && strcmp(stage, "writing") == 0) {
		fputc('\n', stderr);
		import_line_open = false;
	}
	fflush(stderr);
}

static int cmd_import(const struct cli_globals *g, int argc, char **argv)
{
	int what = -1;
	const char *path = NULL;
	struct import_options o = {0};
	const struct cli_opt opts[] = {
		OPT_FLAG("dry-run", o.dry_run),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "import", argc, argv, opts, 3))
		return a.exit;
	if (a.n > 2)
		return usage_error("import", "one file at a time, not \"%s\" too", a.v[2]);
	if (a.n > 0 && (what = import_find(a.v[0])) < 0)
		return usage_error("import", "\"%s\" is not a table that can be imported", a.v[0]);
	if (a.n > 1)
		path = a.v[1];
	if (what < 0 || !path)
		return usage_error("import", "%s", what < 0 ? "which table?" : "which file?");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	if (isatty(STDERR_FILENO)) {
		o.progress = import_progress;
		import_path = path;
	}
	struct import_report rep;
	char *why = NULL;
	enum br_status st = import_file(s, (enum import_what)what, path, &o, &rep, &why);
	if (import_line_open)
		fputc('\n', stderr); /* problems start on a line of their own */
	for (int i = 0; i < rep.n_problems; i++)
		cli_error("%s\n", rep.problems[i]);
	if (rep.more_problems)
		cli_error("%s: stopped at %d problems\n", path, IMPORT_MAX_PROBLEMS);
	if (st == BR_OK)
		cli_out("%s: %lld rows: %lld added, %lld updated, %lld unchanged%s\n", path, rep.rows,
		       rep.added, rep.updated, rep.unchanged, o.dry_run ? " (dry run: nothing written)" : "");
	import_report_free(&rep);
	return finish(&s, st, &why);
}

/* ---- backup ---------------------------------------------------------------- */

static int cmd_backup(const struct cli_globals *g, int argc, char **argv)
{
	const struct cli_opt opts[] = {OPT_END};
	struct args a;
	if (!args_parse(&a, "backup", argc, argv, opts, 1))
		return a.exit;
	if (a.n != 1)
		return usage_error("backup", "%s", "give the file to write");
	const char *path = a.v[0];
	char *why = NULL;
	struct session *s;
	enum br_status st = session_open(&s, g->config, g->as, &why);
	if (st != BR_OK)
		return fail(st, &why);
	long long pages = 0;
	st = backup_run(s, path, &pages, &why);
	session_close(&s);
	if (st != BR_OK)
		return fail(st, &why);
	cli_error("backed up %lld pages to %s\n", pages, path);
	return 0;
}

/* ---- brokering ---------------------------------------------------------------- */

static int parse_id(const char *cmd, const char *text, int64_t *id)
{
	long v;
	if (!text || !parse_count(text, 1, 2000000000L, &v))
		return usage_error(cmd, "\"%s\" is not an id", text ? text : "");
	*id = v;
	return 0;
}

/* The argument k of a, an id: 0, or 64 after one line (what: the question
 * when it is missing). */
static int id_arg(const char *cmd, const struct args *a, int k, const char *what, int64_t *id)
{
	if (k >= a->n)
		return usage_error(cmd, "%s", what);
	return parse_id(cmd, a->v[k], id);
}

static int open_session(const struct cli_globals *g, struct session **s)
{
	char *why = NULL;
	enum br_status st = session_open(s, g->config, g->as, &why);
	return st == BR_OK ? 0 : fail(st, &why);
}

static int finish(struct session **s, enum br_status st, char **why)
{
	session_close(s);
	return st == BR_OK ? 0 : fail(st, why);
}

static int cmd_request(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "cancel") == 0) {
		int64_t id = 0;
		const char *reason = NULL;
		const struct cli_opt opts[] = {
			OPT_STR("reason", reason),
			OPT_END,
		};
		struct args a;
		if (!args_parse(&a, "request", argc - 1, argv + 1, opts, 1))
			return a.exit;
		int rc = id_arg("request", &a, 0, "cancel needs the request id", &id);
		if (rc)
			return rc;
		struct session *s;
		if ((rc = open_session(g, &s)))
			return rc;
		char *why = NULL;
		enum br_status st = request_cancel(s, id, reason, &why);
		if (st == BR_OK)
			cli_out("request %lld cancelled\n", (long long)id);
		return finish(&s, st, &why);
	}
	if (argc < 2 || strcmp(argv[1], "new") != 0)
		return usage_error("request", "%s", "new or cancel?");
	struct request_input in;
	memset(&in, 0, sizeof in);
	long units = 0, asc_pct = -1;
	const struct cli_opt opts[] = {
		OPT_TEXT("user", in.user_ref),
		OPT_TEXT("service", in.service),
		OPT_NUM("units", units, -1000000, 1000000, "--units takes a whole number, not \"%s\""),
		OPT_TEXT("start", in.start),
		OPT_TEXT("urgency", in.urgency),
		OPT_TEXT("funding", in.funding),
		OPT_NUM("asc-pct", asc_pct, 0, 100, "--asc-pct takes 0 to 100, not \"%s\""),
		OPT_TEXT("locality", in.locality),
		OPT_TEXT("notes", in.notes),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "request", argc - 1, argv + 1, opts, 0))
		return a.exit;
	in.units = units;
	in.asc_pct = (int)asc_pct;
	if (!in.user_ref[0] || !in.service[0] || !in.start[0] || !in.urgency[0] || !in.funding[0])
		return usage_error("request", "%s", "new needs --user, --service, --units, --start, --urgency and --funding");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	int64_t id = 0, first = 0;
	int same = 0;
	if (request_open_same(s, in.user_ref, in.service, &same, &first, NULL) != BR_OK)
		same = 0;
	enum br_status st = request_create(s, &in, &id, &why);
	if (st == BR_OK) {
		cli_out("%lld\n", (long long)id);
		if (same)
			cli_error("brokerage: warning: request %lld for %s %s was already open\n", (long long)first,
				  in.user_ref, in.service);
	}
	return finish(&s, st, &why);
}

static void match_json(const struct match_result *m)
{
	cli_out("{\"request\": %lld, \"direct_payment\": %s, \"offerable\": [", (long long)m->req.id,
		m->req.direct_payment && !m->req.restricted ? "true" : "false");
	int k = 0;
	for (int i = 0; i < m->n; i++) {
		const struct match_row *r = &m->rows[i];
		if (r->reasons)
			continue;
		cli_out("%s\n  {\"provider_id\": %lld, \"name\": ", k++ ? "," : "", (long long)r->provider_id);
		json_put_string(stdout, r->name);
		cli_out(", \"tier\": \"%s\", \"rating\": ", r->tier);
		json_put_string(stdout, r->rating);
		cli_out(", \"free\": %lld, \"capacity_reported_on\": \"%s\", \"capacity_stale\": %s, "
		       "\"unit_rate_pence\": %lld, \"continuity\": %s, \"offer_status\": \"%s\"}",
		       (long long)r->free, r->reported_on, r->stale ? "true" : "false", (long long)r->unit_rate,
		       r->continuity ? "true" : "false", r->offer_status);
	}
	cli_out("%s], \"excluded\": [", k ? "\n" : "");
	k = 0;
	for (int i = 0; i < m->n; i++) {
		const struct match_row *r = &m->rows[i];
		if (!r->reasons)
			continue;
		cli_out("%s\n  {\"provider_id\": %lld, \"name\": ", k++ ? "," : "", (long long)r->provider_id);
		json_put_string(stdout, r->name);
		cli_out(", \"tier\": \"%s\", \"reasons\": [", r->tier);
		int j = 0;
		for (int b = 0; b < MATCH_REASON_COUNT; b++)
			if (r->reasons & (1u << b))
				cli_out("%s\"%s\"", j++ ? ", " : "", match_reason_code(b));
		cli_out("]");
		if (r->suspended_reason[0]) {
			cli_out(", \"suspended_reason\": ");
			json_put_string(stdout, r->suspended_reason);
			cli_out(", \"suspended_on\": \"%s\"", r->suspended_on);
		}
		cli_out("}");
	}
	cli_out("%s]}\n", k ? "\n" : "");
}

static void match_table(const struct match_result *m)
{
	char money[32];
	/* a restricted person: name and reference only */
	cli_out("request %lld: %s %s%s, %lld %s from %s, %s, %s%s%s%s\n", (long long)m->req.id, m->req.ref,
	       m->req.person, m->req.restricted ? " [restricted]" : "", (long long)m->req.units,
	       service_unit(service_find(m->req.service)), m->req.start, m->req.urgency, m->req.locality,
	       m->req.restricted ? "" : " (", m->req.restricted ? "" : m->req.need, m->req.restricted ? "" : ")");
	/* the match shows that the person holds their own budget (not for a restricted record) */
	if (m->req.direct_payment && !m->req.restricted)
		cli_out("direct payment: %s holds their own budget\n", m->req.ref);
	if (m->req.s117 && !m->req.restricted)
		cli_out("section 117 aftercare: free at the point of use, the council and the NHS fund it\n");
	if (m->req.fnc && !m->req.restricted)
		cli_out("funded nursing care: the NHS pays its weekly contribution towards a nursing placement\n");
	cli_out("offerable (%d), in cascade order:\n", m->n_offerable);
	for (int i = 0; i < m->n; i++) {
		const struct match_row *r = &m->rows[i];
		if (r->reasons)
			continue;
		money_format(r->unit_rate, money, sizeof money);
		char stale[48] = "";
		if (r->stale)
			snprintf(stale, sizeof stale, "  stale capacity (reported %s)",
				 r->reported_on[0] ? r->reported_on : "never");
		cli_out("  %5lld  %-36.36s %-10s %-20s free %4lld  %9s%s%s%s%s\n", (long long)r->provider_id, r->name,
		       r->tier, r->rating, (long long)r->free, money, r->continuity ? "  continuity" : "",
		       r->offer_status[0] ? "  offer " : "", r->offer_status, stale);
	}
	if (m->blocking[0])
		cli_out("lower tiers wait: %s\n", m->blocking);
	cli_out("excluded (%d):\n", m->n - m->n_offerable);
	for (int i = 0; i < m->n; i++) {
		const struct match_row *r = &m->rows[i];
		if (!r->reasons)
			continue;
		cli_out("  %5lld  %-36.36s %-10s ", (long long)r->provider_id, r->name, r->tier);
		int j = 0;
		for (int b = 0; b < MATCH_REASON_COUNT; b++)
			if (r->reasons & (1u << b))
				cli_out("%s%s", j++ ? ", " : "", match_reason_text(b));
		if (r->suspended_reason[0])
			cli_out(" (since %s: %s)", r->suspended_on, r->suspended_reason);
		if (r->stale && r->free > 0)
			cli_out("; stale capacity (reported %s)", r->reported_on[0] ? r->reported_on : "never");
		cli_out("\n");
	}
}

static int cmd_match(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	bool json = false;
	const struct cli_opt opts[] = {
		OPT_FLAG("json", json),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "match", argc, argv, opts, 1))
		return a.exit;
	int rc = id_arg("match", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	struct match_result *m = NULL;
	enum br_status st = match_run(s, id, &m, &why);
	if (st == BR_OK) {
		if (json)
			match_json(m);
		else
			match_table(m);
	}
	match_free(&m);
	return finish(&s, st, &why);
}

static int cmd_offer(const struct cli_globals *g, int argc, char **argv)
{
	int64_t request_id = 0, provider_id = 0;
	struct offer_options o = {OVERRIDE_NONE, ""};
	const char *override = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("override", override),
		OPT_TEXT("reason", o.reason),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "offer", argc, argv, opts, 2))
		return a.exit;
	const char *what = "give the request id and the provider id";
	int rc = id_arg("offer", &a, 0, what, &request_id);
	if (rc || (rc = id_arg("offer", &a, 1, what, &provider_id)))
		return rc;
	if (override) {
		int k = override_find(override);
		if (k < 0)
			return usage_error("offer", "--override is person_choice, clinical, spot or out_of_locality, not \"%s\"",
					   override);
		o.override = (enum override_kind)k;
	}
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	int64_t offer_id = 0;
	enum br_status st = offer_create(s, request_id, provider_id, &o, &offer_id, &why);
	if (st == BR_OK)
		cli_out("%lld\n", (long long)offer_id);
	return finish(&s, st, &why);
}

static int cmd_respond(const struct cli_globals *g, int argc, char **argv)
{
	int64_t offer_id = 0;
	const char *reason = NULL, *note = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_STR("note", note),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "respond", argc, argv, opts, 2))
		return a.exit;
	const char *what = "give the offer id and accept or decline";
	int rc = id_arg("respond", &a, 0, what, &offer_id);
	if (rc)
		return rc;
	if (a.n < 2)
		return usage_error("respond", "%s", what);
	const char *verb = a.v[1];
	bool accept = strcmp(verb, "accept") == 0;
	bool withdraw = strcmp(verb, "withdraw") == 0, correct = strcmp(verb, "correct") == 0;
	if (!accept && !withdraw && !correct && strcmp(verb, "decline") != 0)
		return usage_error("respond", "\"%s\" is not accept, decline, withdraw or correct", verb);
	if ((withdraw || correct) && !note)
		return usage_error("respond", "%s needs --note saying why", verb);
	if (withdraw || correct) {
		struct session *s;
		if ((rc = open_session(g, &s)))
			return rc;
		char *why = NULL;
		enum br_status st = withdraw ? offer_withdraw(s, offer_id, note, &why) : offer_correct(s, offer_id, note, &why);
		if (st == BR_OK)
			cli_out("offer %lld %s\n", (long long)offer_id, withdraw ? "withdrawn" : "waits for an answer again");
		return finish(&s, st, &why);
	}
	if (!accept && !reason)
		return usage_error("respond", "%s", "a decline needs --reason no_capacity|no_staff|cannot_meet_need|price|other");
	if (!accept && decline_find(reason) < 0)
		return usage_error("respond", "--reason \"%s\" is not no_capacity, no_staff, cannot_meet_need, price or other",
				   reason);
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st;
	if (accept) {
		int64_t calloff = 0;
		st = offer_accept(s, offer_id, &calloff, &why);
		if (st == BR_OK) {
			struct calloff_info c;
			if (calloff_get(s, calloff, &c, NULL) == BR_OK) {
				char money[32];
				money_format(c.weekly_cost, money, sizeof money);
				char words[96];
				calloff_status_words(&c, words, sizeof words);
				cli_out("call-off %lld: %s, %s a week, %s%s%s\n", (long long)calloff, c.provider, money,
					words, c.rules_words[0] ? ": " : "", c.rules_words);
			}
		}
	} else {
		st = offer_decline(s, offer_id, decline_find(reason), note, &why);
		if (st == BR_OK)
			cli_out("offer %lld declined: %s\n", (long long)offer_id, decline_text(decline_find(reason)));
	}
	return finish(&s, st, &why);
}

/* ---- the work order ------------------------------------------------------------ */

static int cmd_workorder(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const char *out_path = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("out", out_path),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "workorder", argc, argv, opts, 1))
		return a.exit;
	int rc = id_arg("workorder", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = workorder_write(s, id, out_path, stdout, &why);
	if (st == BR_OK && out_path)
		cli_error("wrote the work order for call-off %lld to %s\n", (long long)id, out_path);
	return finish(&s, st, &why);
}

static int cmd_handback(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const char *reason = NULL, *date = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_STR("date", date),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "handback", argc, argv, opts, 1))
		return a.exit;
	int rc = id_arg("handback", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!reason || !date)
		return usage_error("handback", "%s", "needs --reason and --date");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = calloff_handback(s, id, reason, date, &why);
	if (st == BR_OK)
		cli_out("call-off %lld handed back: care continues until %s; the request is back at the top of the queue\n",
		       (long long)id, date);
	return finish(&s, st, &why);
}

/* ---- live packages ------------------------------------------------------------------ */

static int cmd_vary(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL, *reason = NULL;
	long units = 0, rate = 0, pct = -1;
	const struct cli_opt opts[] = {
		OPT_NUM("units", units, 1, 10000, "--units \"%s\" is not a number of units"),
		OPT_STR("from", from),
		OPT_STR("reason", reason),
		OPT_NUM("rate", rate, 1, 10000000, "--rate \"%s\" is not a unit rate in pence"),
		OPT_NUM("asc-pct", pct, 0, 100, "--asc-pct takes 0 to 100, not \"%s\""),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "vary", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("vary", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || (!units && !rate && pct < 0))
		return usage_error("vary", "%s", "needs --from and one or more of --units, --rate, --asc-pct");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	int64_t nid = 0;
	struct vary_terms terms = {.units = units, .rate = rate, .asc_pct = (int)pct};
	enum br_status st = calloff_vary_terms(s, id, &terms, from, reason, &nid, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, nid, &c, NULL) == BR_OK) {
			char words[80], money[32];
			calloff_status_words(&c, words, sizeof words);
			money_format(c.weekly_cost, money, sizeof money);
			cli_out("call-off %lld varied: call-off %lld, %lld %s from %s, %s a week, council %d%%, %s\n",
			       (long long)id, (long long)nid, (long long)c.units, service_unit(service_find(c.service)),
			       c.start, money, c.asc_pct, words);
		}
	}
	return finish(&s, st, &why);
}

static int cmd_pause(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL, *reason = NULL;
	int retain = 1;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_STR("reason", reason),
		OPT_SET("retain", retain, 1),
		OPT_SET("release", retain, 0),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "pause", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("pause", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || !reason)
		return usage_error("pause", "%s", "needs --from and --reason");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = calloff_pause(s, id, from, reason, retain, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK) {
			char words[80];
			calloff_status_words(&c, words, sizeof words);
			cli_out("call-off %lld %s from %s (%s): %s\n", (long long)id, c.pause_from[0] ? "pause scheduled" : "paused",
				from, pause_reason_text(reason), words);
		}
	}
	return finish(&s, st, &why);
}

static int cmd_resume(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "resume", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("resume", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from)
		return usage_error("resume", "%s", "needs --from");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	struct calloff_info was;
	bool scheduled = calloff_get(s, id, &was, NULL) == BR_OK && strcmp(was.status, "active") == 0 && was.pause_from[0];
	enum br_status st = calloff_resume(s, id, from, &why);
	if (st == BR_OK && scheduled)
		cli_out("call-off %lld: the pause scheduled from %s is called off; active\n", (long long)id, was.pause_from);
	else if (st == BR_OK)
		cli_out("call-off %lld resumed from %s: active\n", (long long)id, from);
	return finish(&s, st, &why);
}

static int cmd_end(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL, *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "end", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("end", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || !reason)
		return usage_error("end", "%s", "needs --from and --reason");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = calloff_end(s, id, from, reason, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK)
			cli_out("call-off %lld %s %s (%s): %s\n", (long long)id,
			       strcmp(c.status, "ended") == 0 ? "ended on" : "ends on", c.end, end_reason_text(reason), c.status);
	}
	return finish(&s, st, &why);
}

/* person deceased REF --date DATE (from cmd_person) */
static int person_deceased_cmd(const struct cli_globals *g, int argc, char **argv)
{
	const char *date = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("date", date),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "person", argc - 1, argv + 1, opts, 1))
		return a.exit;
	if (a.n < 1)
		return usage_error("person", "%s", "which person?");
	const char *ref = a.v[0];
	if (!date)
		return usage_error("person", "%s", "deceased needs --date");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	struct deceased_report rep;
	enum br_status st = person_deceased(s, ref, date, &rep, &why);
	if (st == BR_OK)
		cli_out("%s recorded as deceased on %s: %d call-off%s ended, %d not started cancelled, %d open request%s "
		       "cancelled\n", ref, date, rep.ended, rep.ended == 1 ? "" : "s", rep.cancelled, rep.requests,
		       rep.requests == 1 ? "" : "s");
	return finish(&s, st, &why);
}

static int cmd_take(const struct cli_globals *g, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "take", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("take", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = request_take(s, id, reason, &why);
	if (st == BR_OK)
		cli_out("request %lld is yours\n", (long long)id);
	return finish(&s, st, &why);
}

static int cmd_assign(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const struct cli_opt opts[] = {OPT_END};
	struct args a;
	if (!args_parse(&a, "assign", argc, argv, opts, 2))
		return a.exit;
	int rc = id_arg("assign", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	if (a.n != 2)
		return usage_error("assign", "%s", "to whom? (a login)");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = request_assign(s, id, a.v[1], &why);
	if (st == BR_OK)
		cli_out("request %lld assigned to %s\n", (long long)id, a.v[1]);
	return finish(&s, st, &why);
}

/* ---- approvals and users ---------------------------------------------------------- */

static int decide(const struct cli_globals *g, int argc, char **argv, bool approve)
{
	const char *cmd = approve ? "approve" : "reject";
	int64_t id = 0;
	const char *note = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("note", note),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, cmd, argc, argv, opts, 1))
		return a.exit;
	int rc = id_arg(cmd, &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = approval_decide(s, id, approve, note, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK)
			cli_out("call-off %lld %s: now %s\n", (long long)id, approve ? "approved" : "rejected", c.status);
	}
	return finish(&s, st, &why);
}

static int cmd_approve(const struct cli_globals *g, int argc, char **argv) { return decide(g, argc, argv, true); }
static int cmd_reject(const struct cli_globals *g, int argc, char **argv) { return decide(g, argc, argv, false); }

static void print_user(void *ctx, const struct br_user *u)
{
	(void)ctx;
	char limit[32] = "-";
	if (u->approval_limit >= 0)
		money_format(u->approval_limit, limit, sizeof limit);
	cli_out("%-16s %-11s %-14s %-24s%s\n", u->login, u->role, limit, u->name, u->disabled ? "  (disabled)" : "");
}

/* ---- keeping the register true ------------------------------------------------ */

/* person close REF --reason moved_away|closed [--note TEXT] [--cancel-requests] */
static int person_close_cmd(const struct cli_globals *g, int argc, char **argv)
{
	const char *reason = NULL, *note = NULL;
	bool cancel = false;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_STR("note", note),
		OPT_FLAG("cancel-requests", cancel),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "person", argc - 1, argv + 1, opts, 1))
		return a.exit;
	if (a.n < 1)
		return usage_error("person", "%s", "close which person? person close REF --reason moved_away|closed");
	const char *ref = a.v[0];
	if (!reason)
		return usage_error("person", "%s", "close needs --reason moved_away|closed");
	if (!person_close_reason_text(reason))
		return usage_error("person", "--reason is moved_away or closed, not \"%s\"", reason);
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	int64_t id = 0;
	int cancelled = 0;
	enum br_status st = person_id_of(s, ref, &id, &why);
	if (st == BR_OK)
		st = person_close(s, id, reason, note, cancel, &cancelled, &why);
	if (st == BR_OK && cancelled)
		cli_out("%s closed (%s): %d request%s cancelled\n", ref, person_close_reason_text(reason), cancelled,
		       cancelled == 1 ? "" : "s");
	else if (st == BR_OK)
		cli_out("%s closed (%s)\n", ref, person_close_reason_text(reason));
	return finish(&s, st, &why);
}

/* person restrict REF on|off --reason TEXT */
static int person_restrict_cmd(const struct cli_globals *g, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "person", argc - 1, argv + 1, opts, 2))
		return a.exit;
	if (a.n < 2 || (strcmp(a.v[1], "on") != 0 && strcmp(a.v[1], "off") != 0))
		return usage_error("person", "%s", "person restrict REF on|off --reason TEXT");
	const char *ref = a.v[0];
	bool on = strcmp(a.v[1], "on") == 0;
	if (!reason)
		return usage_error("person", "%s", "restrict needs --reason TEXT");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	int64_t id = 0;
	enum br_status st = person_id_of(s, ref, &id, &why);
	if (st == BR_OK)
		st = person_restrict(s, id, on, reason, &why);
	if (st == BR_OK)
		cli_out("%s restricted: %s\n", ref, on ? "on" : "off");
	return finish(&s, st, &why);
}

static int person_deceased_cmd(const struct cli_globals *g, int argc, char **argv);

static int cmd_person(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "deceased") == 0)
		return person_deceased_cmd(g, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "close") == 0)
		return person_close_cmd(g, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "restrict") == 0)
		return person_restrict_cmd(g, argc, argv);
	bool edit = argc >= 2 && strcmp(argv[1], "edit") == 0;
	if (argc < 2 || (!edit && strcmp(argv[1], "add") != 0))
		return usage_error("person", "%s", "add, edit, close, restrict or deceased?");
	struct person_input in;
	memset(&in, 0, sizeof in);
	int forensic = -1, s117 = -1, fnc = -1;
	const struct cli_opt opts[] = {
		/* the first seven are needed to add */
		OPT_TEXT("nhs", in.nhs),
		OPT_TEXT("family", in.family),
		OPT_TEXT("given", in.given),
		OPT_TEXT("dob", in.dob),
		OPT_TEXT("postcode", in.postcode),
		OPT_TEXT("locality", in.locality),
		OPT_TEXT("need", in.need),
		OPT_TEXT("other-needs", in.other_needs),
		OPT_TEXT("funding", in.funding),
		OPT_SET("forensic", forensic, 1),
		OPT_SET("no-forensic", forensic, 0),
		OPT_SET("s117", s117, 1),
		OPT_SET("no-s117", s117, 0),
		OPT_SET("fnc", fnc, 1),
		OPT_SET("no-fnc", fnc, 0),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "person", argc - 1, argv + 1, opts, edit ? 1 : 0))
		return a.exit;
	if (edit && a.n < 1)
		return usage_error("person", "%s", "edit which person? person edit REF [options]");
	if (!edit) {
		for (int k = 0; k < 7; k++)
			if (!opts[k].to.text[0])
				return usage_error("person", "--%s is needed", opts[k].name);
		if (forensic == 0 || s117 == 0 || fnc == 0)
			return usage_error("person", "--no-%s goes with edit",
					   forensic == 0 ? "forensic" : s117 == 0 ? "s117" : "fnc");
		in.forensic = forensic == 1;
		in.s117 = s117 == 1;
		in.fnc = fnc == 1;
	}
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char ref[17], warning[160] = "", *why = NULL;
	enum br_status st;
	if (edit) {
		/* what is not given keeps its value */
		struct person_input now;
		int64_t id = 0;
		st = person_id_of(s, a.v[0], &id, &why);
		if (st == BR_OK)
			st = person_input_get(s, id, &now, ref, &why);
		if (st == BR_OK) {
			args_apply_text(&a, opts, &in, &now);
			if (forensic >= 0)
				now.forensic = forensic == 1;
			if (s117 >= 0)
				now.s117 = s117 == 1;
			if (fnc >= 0)
				now.fnc = fnc == 1;
			st = person_edit(s, id, &now, warning, &why);
		}
	} else {
		st = person_add(s, &in, ref, warning, &why);
	}
	if (st == BR_OK) {
		if (warning[0])
			cli_error("brokerage person: warning: %s\n", warning);
		cli_out(edit ? "%s saved\n" : "%s\n", ref);
	}
	return finish(&s, st, &why);
}

/* "set PROVIDER [options]" for capacity and rate: the options parsed, then
 * 0 and the provider id, or the exit code. */
static int set_provider(const char *cmd, int argc, char **argv, const struct cli_opt *opts, int64_t *id)
{
	struct args a;
	if (argc >= 2 && strcmp(argv[1], "set") == 0) {
		if (!args_parse(&a, cmd, argc - 1, argv + 1, opts, 1))
			return a.exit;
		if (a.n == 1)
			return parse_id(cmd, a.v[0], id);
	}
	return usage_error(cmd, "%s", "set PROVIDER?");
}

static int cmd_capacity(const struct cli_globals *g, int argc, char **argv)
{
	int64_t provider = 0;
	char service[8] = "", locality[16] = "";
	long free_units = -1;
	const struct cli_opt opts[] = {
		OPT_TEXT("service", service),
		OPT_TEXT("locality", locality),
		OPT_NUM("free", free_units, 0, 1000000, "--free takes a whole number from 0 to 1000000, not \"%s\""),
		OPT_END,
	};
	int rc = set_provider("capacity", argc, argv, opts, &provider);
	if (rc)
		return rc;
	if (!service[0] || !locality[0] || free_units < 0)
		return usage_error("capacity", "%s", "--service, --locality and --free are needed");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	int64_t was = -1;
	enum br_status st = capacity_set(s, provider, service, locality, free_units, &was, &why);
	if (st == BR_OK) {
		if (was >= 0)
			cli_out("provider %lld %s %s: %ld free (was %lld)\n", (long long)provider, service, locality,
			       free_units, (long long)was);
		else
			cli_out("provider %lld %s %s: %ld free\n", (long long)provider, service, locality, free_units);
	}
	return finish(&s, st, &why);
}

static int cmd_rate(const struct cli_globals *g, int argc, char **argv)
{
	int64_t provider = 0;
	char service[8] = "", from[16] = "";
	long pence = 0;
	const struct cli_opt opts[] = {
		OPT_TEXT("service", service),
		OPT_TEXT("from", from),
		OPT_NUM("pence", pence, 1, 100000000,
			"--pence takes whole pence from 1 to 100000000 (2150 is £21.50), not \"%s\""),
		OPT_END,
	};
	int rc = set_provider("rate", argc, argv, opts, &provider);
	if (rc)
		return rc;
	if (!service[0] || !from[0] || pence <= 0)
		return usage_error("rate", "%s", "--service, --pence and --from are needed");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL, money[32];
	int64_t was = 0;
	enum br_status st = rate_set(s, provider, service, pence, from, &was, &why);
	if (st == BR_OK) {
		money_format(pence, money, sizeof money);
		cli_out("provider %lld %s: %s a unit from %s", (long long)provider, service, money, from);
		if (was) {
			money_format(was, money, sizeof money);
			cli_out(" (was %s)", money);
		}
		cli_out("; call-offs already made keep their rate\n");
	}
	return finish(&s, st, &why);
}

static int cmd_award(const struct cli_globals *g, int argc, char **argv)
{
	bool end = argc >= 2 && strcmp(argv[1], "end") == 0;
	if (argc < 2 || (!end && strcmp(argv[1], "add") != 0))
		return usage_error("award", "%s", "add PROVIDER or end AWARD_ID?");
	char service[8] = "", tier[16] = "", locality[16] = "", day[16] = "";
	const struct cli_opt add_opts[] = {
		OPT_TEXT("service", service),
		OPT_TEXT("tier", tier),
		OPT_TEXT("locality", locality),
		OPT_TEXT("from", day),
		OPT_END,
	};
	const struct cli_opt end_opts[] = {
		OPT_TEXT("on", day),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "award", argc - 1, argv + 1, end ? end_opts : add_opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("award", &a, 0, "add PROVIDER or end AWARD_ID?", &id);
	if (rc)
		return rc;
	if (!day[0] || (!end && (!service[0] || !tier[0])))
		return usage_error("award", "%s", end ? "--on is needed" : "--service, --tier and --from are needed");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st;
	if (end) {
		st = award_end(s, id, day, &why);
		if (st == BR_OK)
			cli_out("award %lld ends on %s\n", (long long)id, day);
	} else {
		int64_t award = 0;
		st = award_add(s, id, service, tier, locality, day, &award, &why);
		if (st == BR_OK)
			cli_out("%lld\n", (long long)award);
	}
	return finish(&s, st, &why);
}

static int cmd_registration(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return usage_error("registration", "%s", "add PROVIDER?");
	char service[8] = "", need[8] = "";
	const struct cli_opt opts[] = {
		OPT_TEXT("service", service),
		OPT_TEXT("need", need),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "registration", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = id_arg("registration", &a, 0, "add PROVIDER?", &id);
	if (rc)
		return rc;
	if (!service[0] || !need[0])
		return usage_error("registration", "%s", "--service and --need are needed");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	bool added = false;
	enum br_status st = registration_add(s, id, service, need, &added, &why);
	if (st == BR_OK)
		cli_out("provider %lld %s for %s/%s\n", (long long)id, added ? "registered" : "was already registered",
		       service, need);
	return finish(&s, st, &why);
}

static int cmd_user(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2)
		return usage_error("user", "%s", "add, list, set-role or disable?");
	const char *sub = argv[1], *role = NULL, *name = NULL, *limit_text = NULL;
	int64_t limit = -1;
	const struct cli_opt opts[] = {
		OPT_STR("role", role),
		OPT_STR("name", name),
		OPT_STR("limit", limit_text),
		OPT_END,
	};
	struct args a;
	bool set_role = strcmp(sub, "set-role") == 0;
	if (!args_parse(&a, "user", argc - 1, argv + 1, opts, set_role ? 2 : 1))
		return a.exit;
	const char *login = a.n > 0 ? a.v[0] : NULL;
	if (set_role && a.n > 1)
		role = a.v[1];
	if (limit_text) {
		char *why = NULL;
		if (money_parse(limit_text, &limit, &why) != BR_OK) {
			cli_error("brokerage user: --limit: %s\n", why);
			free(why);
			return 64;
		}
	}
	bool list = strcmp(sub, "list") == 0;
	if (!list && !login)
		return usage_error("user", "%s", "which login?");
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "set-role") == 0) && !role)
		return usage_error("user", "%s", "which role?");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	enum br_status st;
	if (list)
		st = user_list(s, print_user, NULL, &why);
	else if (strcmp(sub, "add") == 0)
		st = user_add(s, login, name, role, limit, &why);
	else if (strcmp(sub, "set-role") == 0)
		st = user_set_role(s, login, role, limit, &why);
	else if (strcmp(sub, "disable") == 0)
		st = user_disable(s, login, &why);
	else {
		session_close(&s);
		return usage_error("user", "\"%s\" is not add, list, set-role or disable", sub);
	}
	if (st == BR_OK && !list)
		cli_out("user %s: %s\n", login, sub);
	return finish(&s, st, &why);
}

/* ---- providers ------------------------------------------------------------------------ */

/* provider add|edit: the details; what edit is not given keeps its value */
static int provider_details_cmd(const struct cli_globals *g, int argc, char **argv, bool edit)
{
	int64_t id = 0;
	struct provider_input in;
	memset(&in, 0, sizeof in);
	const struct cli_opt opts[] = {
		OPT_TEXT("name", in.name), /* the first: needed to add */
		OPT_TEXT("cqc", in.cqc),
		OPT_TEXT("rating", in.rating),
		OPT_TEXT("phone", in.phone),
		OPT_TEXT("email", in.email),
		OPT_TEXT("contact", in.contact),
		OPT_TEXT("postcode", in.postcode),
		OPT_TEXT("localities", in.localities),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "provider", argc - 1, argv + 1, opts, edit ? 1 : 0))
		return a.exit;
	if (edit && a.n < 1)
		return usage_error("provider", "%s", "edit which provider? provider edit ID [options]");
	if (edit && parse_id("provider", a.v[0], &id))
		return 64;
	if (!edit && !a.seen[0])
		return usage_error("provider", "%s", "add needs --name N");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	enum br_status st;
	if (edit) {
		struct provider_input now;
		st = provider_input_get(s, id, &now, &why);
		if (st == BR_OK) {
			args_apply_text(&a, opts, &in, &now);
			st = provider_edit(s, id, &now, &why);
		}
		if (st == BR_OK)
			cli_out("provider %lld saved\n", (long long)id);
	} else {
		st = provider_add(s, &in, &id, &why);
		if (st == BR_OK)
			cli_out("%lld\n", (long long)id);
	}
	return finish(&s, st, &why);
}

/* provider leave ID --on DATE [--note TEXT] */
static int provider_leave_cmd(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const char *on = NULL, *note = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("on", on),
		OPT_STR("note", note),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "provider", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int rc = id_arg("provider", &a, 0, "which provider? provider leave ID --on DATE", &id);
	if (rc)
		return rc;
	if (!on)
		return usage_error("provider", "%s", "leave needs --on DATE");
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	int offers = 0, cancelled = 0;
	enum br_status st = provider_leave(s, id, on, note, &offers, &cancelled, &why);
	if (st == BR_OK)
		cli_out("provider %lld left the framework on %s: %d offer%s withdrawn, %d call-off%s cancelled\n",
		       (long long)id, on, offers, offers == 1 ? "" : "s", cancelled, cancelled == 1 ? "" : "s");
	return finish(&s, st, &why);
}

static int cmd_provider(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "edit") == 0))
		return provider_details_cmd(g, argc, argv, strcmp(argv[1], "edit") == 0);
	if (argc >= 2 && strcmp(argv[1], "leave") == 0)
		return provider_leave_cmd(g, argc, argv);
	if (argc < 2)
		return usage_error("provider", "%s", "suspend, reinstate, leave, add or edit?");
	bool suspend = strcmp(argv[1], "suspend") == 0;
	if (!suspend && strcmp(argv[1], "reinstate") != 0)
		return usage_error("provider", "\"%s\" is not suspend, reinstate, leave, add or edit", argv[1]);
	int64_t id = 0;
	const char *text = NULL;
	const struct cli_opt opts[] = {
		OPT_STR(suspend ? "reason" : "note", text),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "provider", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int rc = id_arg("provider", &a, 0, "which provider?", &id);
	if (rc)
		return rc;
	if (!text)
		return usage_error("provider", suspend ? "%s needs --reason TEXT" : "%s needs --note TEXT", argv[1]);
	struct session *s;
	if ((rc = open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = suspend ? provider_suspend(s, id, text, &why) : provider_reinstate(s, id, text, &why);
	if (st == BR_OK)
		cli_out("provider %lld %s\n", (long long)id, suspend ? "suspended" : "reinstated");
	struct provider_detail *d = NULL;
	if (st == BR_OK && suspend && provider_detail_get(s->store, id, &d, NULL) == BR_OK) {
		/* the people it serves now, so each can be reviewed */
		cli_out("serves %d %s now (care under way goes on: review each)%s\n", d->n_served,
		       d->n_served == 1 ? "person" : "people", d->n_served ? ":" : "");
		for (int i = 0; i < d->n_served; i++)
			cli_out("  %s %s: %s %lld, call-off %lld\n", d->served[i].ref, d->served[i].name, d->served[i].service,
			       (long long)d->served[i].units, (long long)d->served[i].calloff_id);
		provider_detail_free(&d);
	}
	return finish(&s, st, &why);
}

/* ---- emergency respite -------------------------------------------------------------- */

static int cmd_respite(const struct cli_globals *g, int argc, char **argv)
{
	const char *ref = NULL, *locality = "", *extend_text = NULL, *provider_text = NULL;
	int64_t provider = 0, extend = 0;
	long nights = 1;
	const struct cli_opt opts[] = {
		OPT_STR("user", ref),
		OPT_STR("extend", extend_text),
		OPT_STR("provider", provider_text),
		OPT_NUM("nights", nights, 1, 28, "--nights takes 1 to 28, not \"%s\""),
		OPT_STR("locality", locality),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "respite", argc, argv, opts, 0))
		return a.exit;
	if ((extend_text && parse_id("respite", extend_text, &extend)) ||
	    (provider_text && parse_id("respite", provider_text, &provider)))
		return 64;
	if (extend) {
		struct session *s;
		int rc = open_session(g, &s);
		if (rc)
			return rc;
		char *why = NULL;
		enum br_status st = respite_extend(s, extend, (int)nights, &why);
		if (st == BR_OK)
			cli_out("call-off %lld extended to %ld night%s\n", (long long)extend, nights, nights == 1 ? "" : "s");
		return finish(&s, st, &why);
	}
	if (!ref)
		return usage_error("respite", "%s", "who? --user REF");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	struct su_row su;
	enum br_status st = su_find_ref(s->store, ref, &su, &why);
	if (st == BR_OK && !provider) {
		struct respite_row rows[64];
		int n = 0;
		st = respite_list(s, su.id, rows, 64, &n, &why);
		char tonight[11];
		date_format(respite_tonight(), tonight);
		if (st == BR_OK && su.restricted)
			cli_out("beds free on the night of %s for %s %s (%s, restricted: name and reference only):\n",
			       tonight, su.given, su.family, su.ref);
		else if (st == BR_OK)
			cli_out("beds free on the night of %s for %s %s (%s, %s):\n", tonight, su.given, su.family,
			       su.locality, su.primary_need);
		for (int i = 0; st == BR_OK && i < n; i++) {
			char money[32];
			money_format(rows[i].rate, money, sizeof money);
			cli_out("  %5lld  %-36.36s %-4s %d of %d free  %9s a night  %-20s %s  (%s)\n",
			       (long long)rows[i].provider_id, rows[i].name, rows[i].locality, rows[i].free_tonight,
			       rows[i].beds, money, rows[i].rating, rows[i].phone, rows[i].needs);
		}
		if (st == BR_OK && n == 0)
			cli_out("  none: no bed free tonight for this need in any locality\n");
	} else if (st == BR_OK) {
		struct respite_booking b;
		st = respite_book(s, su.id, provider, locality, (int)nights, &b, &why);
		if (st == BR_OK)
			cli_out("%s\n", b.summary);
	}
	return finish(&s, st, &why);
}

/* ---- report ---------------------------------------------------------------- */

static int cmd_report(const struct cli_globals *g, int argc, char **argv)
{
	int which = -1;
	enum report_format fmt = REPORT_TABLE;
	const char *from = NULL, *to = NULL, *loc = NULL, *svc = NULL, *format = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_STR("to", to),
		OPT_STR("locality", loc),
		OPT_STR("service", svc),
		OPT_STR("format", format),
		OPT_END,
	};
	struct args a;
	if (!args_parse(&a, "report", argc, argv, opts, 1))
		return a.exit;
	if (format && strcmp(format, "csv") == 0)
		fmt = REPORT_CSV;
	else if (format && strcmp(format, "json") == 0)
		fmt = REPORT_JSON;
	else if (format && strcmp(format, "table") != 0)
		return usage_error("report", "--format is table, csv or json, not \"%s\"", format);
	if (a.n && (which = report_find(a.v[0])) < 0)
		return usage_error("report", "no such report \"%s\"", a.v[0]);
	if (which < 0)
		return usage_error("report", "%s", "which report?");
	struct session *s;
	int rc = open_session(g, &s);
	if (rc)
		return rc;
	struct report_params p;
	report_params_default(&p);
	char *why = NULL;
	enum br_status st = BR_OK;
	if (from && date_parse(from, &p.from, &why) != BR_OK)
		st = br_fail(&why, BR_USAGE, "report: --from \"%s\" is not a date (YYYY-MM-DD)", from);
	if (st == BR_OK && to && date_parse(to, &p.to, &why) != BR_OK)
		st = br_fail(&why, BR_USAGE, "report: --to \"%s\" is not a date (YYYY-MM-DD)", to);
	if (st == BR_OK && to && !from)
		p.from = p.to - 83;
	if (st == BR_OK && loc && strlen(loc) >= sizeof p.locality)
		st = br_fail(&why, BR_USAGE, "report: no such locality \"%s\"", loc);
	if (st == BR_OK && svc && strlen(svc) >= sizeof p.service)
		st = br_fail(&why, BR_USAGE, "report: no such service \"%s\"", svc);
	if (st == BR_OK) {
		text_copy(p.locality, sizeof p.locality, loc ? loc : "");
		text_copy(p.service, sizeof p.service, svc ? svc : "");
		for (char *c = p.locality; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		for (char *c = p.service; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	}
	struct report *r = NULL;
	if (st == BR_OK)
		st = report_run(s, which, &p, &r, &why);
	if (st == BR_OK)
		st = report_write(s, r, fmt, stdout, &why);
	report_free(&r);
	return finish(&s, st, &why);
}
