/* cli.c — brokerage's commands: their table (usage, help and handler in
 * one X-macro), the dispatch, --help and the completion's words, the one
 * option parser, and what every command shares (cli_internal.h). Each
 * command parses its options, calls core/, and turns the status into one
 * line on stderr and a sysexits code; they live by domain in
 * cli_register.c, cli_request.c, cli_calloff.c and cli_data.c. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "cli.h"
#include "cli_internal.h"

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
	X(workorder, "workorder CALLOFF_ID [--out FILE] [--reason TEXT]", "the provider's work order: only what it needs (audited; a restricted person's needs --reason)") \
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

static const struct {
	const char *name, *usage, *text;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
} commands[] = {
#define X(name, usage, text) {#name, usage, text, cli_cmd_##name},
	CLI_COMMANDS(X)
#undef X
};

#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

void cli_usage(FILE *out)
{
	fprintf(out, "usage: brokerage [--config FILE] [--as LOGIN]          the terminal UI\n");
	for (int i = 0; i < N_COMMANDS; i++)
		fprintf(out, "       brokerage %-46s %s\n", commands[i].usage, commands[i].text);
	fprintf(out,
		"\nThe config is --config FILE, else $BROKERAGE_CONFIG, else %s;\n"
		"the installed (setgid) program reads only its installed config.\n"
		"--as LOGIN and $BROKERAGE_NOW work only on a demo database (brokerage-demo init --demo).\n"
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

/* ---- output and the one-line errors (cli_internal.h) ---------------------------------- */

int cli_out(const char *fmt, ...)
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

int cli_fail(enum br_status st, char **why)
{
	cli_error("brokerage: %s\n", why && *why ? *why : br_status_text(st));
	br_free_str(why);
	return br_status_exit(st);
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	char text[2048];
	snprintf(text, sizeof text, fmt, arg);
	if (cmd)
		cli_error("brokerage %s: %s (see brokerage %s --help)\n", cmd, text, cmd);
	else
		cli_error("brokerage: %s (see brokerage --help)\n", text);
	return 64;
}

/* ---- options: one parser for every command (cli_internal.h) ------------------------ */

/* getopt_long's code for the table's option k */
enum { OPT_VAL = 256 };

/* a whole number from lo to hi: 1 and *out, else 0 */
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

static bool parse_stop(struct cli_args *a, int code)
{
	a->exit = code;
	return false;
}

bool cli_args_parse(struct cli_args *a, const char *cmd, int argc, char **argv, const struct cli_opt *opts,
		    int max_args)
{
	struct option longs[CLI_MAX_OPTS + 2];
	int n = 0;
	memset(a, 0, sizeof *a);
	for (; opts[n].name; n++) {
		if (n == CLI_MAX_OPTS)
			abort(); /* a table too long for struct cli_args: raise CLI_MAX_OPTS */
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
				return parse_stop(a, cli_usage_error(cmd, "unexpected argument \"%s\"", optarg));
			a->v[a->n++] = optarg;
			continue;
		}
		if (c == 'h' && argv[at][1] == '-' && strcmp(argv[at], "--help") != 0) {
			char text[256];
			snprintf(text, sizeof text, "\"%.200s\" is not an option: write --help in full", argv[at]);
			return parse_stop(a, cli_usage_error(cmd, "%s", text));
		}
		if (c == 'h') {
			if (cmd)
				return parse_stop(a, command_help(command_index(cmd)));
			cli_usage(stdout);
			return parse_stop(a, 0);
		}
		if (c == ':' && optopt >= OPT_VAL)
			return parse_stop(a, cli_usage_error(cmd, "--%s needs a value", opts[optopt - OPT_VAL].name));
		if (c == '?' && optopt >= OPT_VAL)
			return parse_stop(a, cli_usage_error(cmd, "--%s takes no value", opts[optopt - OPT_VAL].name));
		if (c == '?' && optopt == 'h' && argv[at][1] == '-')
			return parse_stop(a, cli_usage_error(cmd, "%s", "--help takes no value"));
		if (c < OPT_VAL || c >= OPT_VAL + n) /* the whole word: "-5", "-dash.db", "--frob=x" */
			return parse_stop(a, cli_usage_error(cmd, "unknown option \"%s\"", argv[at]));
		int k = c - OPT_VAL;
		const struct cli_opt *o = &opts[k];
		/* written in full: "--name" or "--name=VALUE", never a prefix */
		size_t len = strcspn(argv[at] + 2, "=");
		if (strncmp(argv[at], "--", 2) != 0 || len != strlen(o->name)) {
			char text[256];
			snprintf(text, sizeof text, "\"%.*s\" is not an option: write --%s in full",
				 (int)(len + 2 < 200 ? len + 2 : 200), argv[at], o->name);
			return parse_stop(a, cli_usage_error(cmd, "%s", text));
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
				return parse_stop(a, cli_usage_error(cmd, o->bad, optarg));
			break;
		}
	}
	a->next = optind;
	if (cmd) /* after "--": arguments, whatever they look like */
		for (int i = optind; i < argc; i++) {
			if (a->n >= max_args || a->n >= CLI_MAX_ARGS)
				return parse_stop(a, cli_usage_error(cmd, "unexpected argument \"%s\"", argv[i]));
			a->v[a->n++] = argv[i];
		}
	return true;
}

void cli_args_apply_text(const struct cli_args *a, const struct cli_opt *opts, const void *in, void *now)
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
	struct cli_args a;
	if (!cli_args_parse(&a, NULL, argc, argv, opts, 0))
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

/* ---- ids and the session ------------------------------------------------------------ */

int cli_parse_id(const char *cmd, const char *text, int64_t *id)
{
	long v;
	if (!text || !parse_count(text, 1, 2000000000L, &v))
		return cli_usage_error(cmd, "\"%s\" is not an id", text ? text : "");
	*id = v;
	return 0;
}

int cli_id_arg(const char *cmd, const struct cli_args *a, int k, const char *what, int64_t *id)
{
	if (k >= a->n)
		return cli_usage_error(cmd, "%s", what);
	return cli_parse_id(cmd, a->v[k], id);
}

int cli_open_session(const struct cli_globals *g, struct session **s)
{
	char *why = NULL;
	enum br_status st = session_open(s, g->config, g->as, &why);
	return st == BR_OK ? 0 : cli_fail(st, &why);
}

int cli_finish(struct session **s, enum br_status st, char **why)
{
	session_close(s);
	return st == BR_OK ? 0 : cli_fail(st, why);
}

