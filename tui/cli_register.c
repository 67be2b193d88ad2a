/* cli_register.c — the commands that keep the register true: people (add,
 * edit, close, restrict, deceased), providers (add, edit, suspend,
 * reinstate, leave), their capacity, rates, awards and registrations, and
 * the users. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "cli_internal.h"

/* ---- people --------------------------------------------------------------------- */

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
	struct cli_args a;
	if (!cli_args_parse(&a, "person", argc - 1, argv + 1, opts, 1))
		return a.exit;
	if (a.n < 1)
		return cli_usage_error("person", "%s", "close which person? person close REF --reason moved_away|closed");
	const char *ref = a.v[0];
	if (!reason)
		return cli_usage_error("person", "%s", "close needs --reason moved_away|closed");
	if (!person_close_reason_text(reason))
		return cli_usage_error("person", "--reason is moved_away or closed, not \"%s\"", reason);
	struct session *s;
	int rc = cli_open_session(g, &s);
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
	return cli_finish(&s, st, &why);
}

/* person restrict REF on|off --reason TEXT */
static int person_restrict_cmd(const struct cli_globals *g, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "person", argc - 1, argv + 1, opts, 2))
		return a.exit;
	if (a.n < 2 || (strcmp(a.v[1], "on") != 0 && strcmp(a.v[1], "off") != 0))
		return cli_usage_error("person", "%s", "person restrict REF on|off --reason TEXT");
	const char *ref = a.v[0];
	bool on = strcmp(a.v[1], "on") == 0;
	if (!reason)
		return cli_usage_error("person", "%s", "restrict needs --reason TEXT");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	int64_t id = 0;
	enum br_status st = person_id_of(s, ref, &id, &why);
	if (st == BR_OK)
		st = person_restrict(s, id, on, reason, &why);
	if (st == BR_OK)
		cli_out("%s restricted: %s\n", ref, on ? "on" : "off");
	return cli_finish(&s, st, &why);
}

/* person deceased REF --date DATE (from cli_cmd_person) */
static int person_deceased_cmd(const struct cli_globals *g, int argc, char **argv)
{
	const char *date = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("date", date),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "person", argc - 1, argv + 1, opts, 1))
		return a.exit;
	if (a.n < 1)
		return cli_usage_error("person", "%s", "which person?");
	const char *ref = a.v[0];
	if (!date)
		return cli_usage_error("person", "%s", "deceased needs --date");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	struct deceased_report rep;
	enum br_status st = person_deceased(s, ref, date, &rep, &why);
	if (st == BR_OK)
		cli_out("%s recorded as deceased on %s: %d call-off%s ended, %d not started cancelled, %d open request%s "
		       "cancelled\n", ref, date, rep.ended, rep.ended == 1 ? "" : "s", rep.cancelled, rep.requests,
		       rep.requests == 1 ? "" : "s");
	return cli_finish(&s, st, &why);
}

int cli_cmd_person(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "deceased") == 0)
		return person_deceased_cmd(g, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "close") == 0)
		return person_close_cmd(g, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "restrict") == 0)
		return person_restrict_cmd(g, argc, argv);
	bool edit = argc >= 2 && strcmp(argv[1], "edit") == 0;
	if (argc < 2 || (!edit && strcmp(argv[1], "add") != 0))
		return cli_usage_error("person", "%s", "add, edit, close, restrict or deceased?");
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
	struct cli_args a;
	if (!cli_args_parse(&a, "person", argc - 1, argv + 1, opts, edit ? 1 : 0))
		return a.exit;
	if (edit && a.n < 1)
		return cli_usage_error("person", "%s", "edit which person? person edit REF [options]");
	if (!edit) {
		for (int k = 0; k < 7; k++)
			if (!opts[k].to.text[0])
				return cli_usage_error("person", "--%s is needed", opts[k].name);
		if (forensic == 0 || s117 == 0 || fnc == 0)
			return cli_usage_error("person", "--no-%s goes with edit",
					   forensic == 0 ? "forensic" : s117 == 0 ? "s117" : "fnc");
		in.forensic = forensic == 1;
		in.s117 = s117 == 1;
		in.fnc = fnc == 1;
	}
	struct session *s;
	int rc = cli_open_session(g, &s);
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
			cli_args_apply_text(&a, opts, &in, &now);
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
	return cli_finish(&s, st, &why);
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
	struct cli_args a;
	if (!cli_args_parse(&a, "provider", argc - 1, argv + 1, opts, edit ? 1 : 0))
		return a.exit;
	if (edit && a.n < 1)
		return cli_usage_error("provider", "%s", "edit which provider? provider edit ID [options]");
	if (edit && cli_parse_id("provider", a.v[0], &id))
		return 64;
	if (!edit && !a.seen[0])
		return cli_usage_error("provider", "%s", "add needs --name N");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	enum br_status st;
	if (edit) {
		struct provider_input now;
		st = provider_input_get(s, id, &now, &why);
		if (st == BR_OK) {
			cli_args_apply_text(&a, opts, &in, &now);
			st = provider_edit(s, id, &now, &why);
		}
		if (st == BR_OK)
			cli_out("provider %lld saved\n", (long long)id);
	} else {
		st = provider_add(s, &in, &id, &why);
		if (st == BR_OK)
			cli_out("%lld\n", (long long)id);
	}
	return cli_finish(&s, st, &why);
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
	struct cli_args a;
	if (!cli_args_parse(&a, "provider", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int rc = cli_id_arg("provider", &a, 0, "which provider? provider leave ID --on DATE", &id);
	if (rc)
		return rc;
	if (!on)
		return cli_usage_error("provider", "%s", "leave needs --on DATE");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	int offers = 0, cancelled = 0;
	enum br_status st = provider_leave(s, id, on, note, &offers, &cancelled, &why);
	if (st == BR_OK)
		cli_out("provider %lld left the framework on %s: %d offer%s withdrawn, %d call-off%s cancelled\n",
		       (long long)id, on, offers, offers == 1 ? "" : "s", cancelled, cancelled == 1 ? "" : "s");
	return cli_finish(&s, st, &why);
}

int cli_cmd_provider(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "edit") == 0))
		return provider_details_cmd(g, argc, argv, strcmp(argv[1], "edit") == 0);
	if (argc >= 2 && strcmp(argv[1], "leave") == 0)
		return provider_leave_cmd(g, argc, argv);
	if (argc < 2)
		return cli_usage_error("provider", "%s", "suspend, reinstate, leave, add or edit?");
	bool suspend = strcmp(argv[1], "suspend") == 0;
	if (!suspend && strcmp(argv[1], "reinstate") != 0)
		return cli_usage_error("provider", "\"%s\" is not suspend, reinstate, leave, add or edit", argv[1]);
	int64_t id = 0;
	const char *text = NULL;
	const struct cli_opt opts[] = {
		OPT_STR(suspend ? "reason" : "note", text),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "provider", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int rc = cli_id_arg("provider", &a, 0, "which provider?", &id);
	if (rc)
		return rc;
	if (!text)
		return cli_usage_error("provider", suspend ? "%s needs --reason TEXT" : "%s needs --note TEXT", argv[1]);
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

/* ---- a provider's capacity, rates, awards and registrations ------------------------ */

/* "set PROVIDER [options]" for capacity and rate: the options parsed, then
 * 0 and the provider id, or the exit code. */
static int set_provider(const char *cmd, int argc, char **argv, const struct cli_opt *opts, int64_t *id)
{
	struct cli_args a;
	if (argc >= 2 && strcmp(argv[1], "set") == 0) {
		if (!cli_args_parse(&a, cmd, argc - 1, argv + 1, opts, 1))
			return a.exit;
		if (a.n == 1)
			return cli_parse_id(cmd, a.v[0], id);
	}
	return cli_usage_error(cmd, "%s", "set PROVIDER?");
}

int cli_cmd_capacity(const struct cli_globals *g, int argc, char **argv)
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
		return cli_usage_error("capacity", "%s", "--service, --locality and --free are needed");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_rate(const struct cli_globals *g, int argc, char **argv)
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
		return cli_usage_error("rate", "%s", "--service, --pence and --from are needed");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_award(const struct cli_globals *g, int argc, char **argv)
{
	bool end = argc >= 2 && strcmp(argv[1], "end") == 0;
	if (argc < 2 || (!end && strcmp(argv[1], "add") != 0))
		return cli_usage_error("award", "%s", "add PROVIDER or end AWARD_ID?");
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
	struct cli_args a;
	if (!cli_args_parse(&a, "award", argc - 1, argv + 1, end ? end_opts : add_opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("award", &a, 0, "add PROVIDER or end AWARD_ID?", &id);
	if (rc)
		return rc;
	if (!day[0] || (!end && (!service[0] || !tier[0])))
		return cli_usage_error("award", "%s", end ? "--on is needed" : "--service, --tier and --from are needed");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_registration(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return cli_usage_error("registration", "%s", "add PROVIDER?");
	char service[8] = "", need[8] = "";
	const struct cli_opt opts[] = {
		OPT_TEXT("service", service),
		OPT_TEXT("need", need),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "registration", argc - 1, argv + 1, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("registration", &a, 0, "add PROVIDER?", &id);
	if (rc)
		return rc;
	if (!service[0] || !need[0])
		return cli_usage_error("registration", "%s", "--service and --need are needed");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	bool added = false;
	enum br_status st = registration_add(s, id, service, need, &added, &why);
	if (st == BR_OK)
		cli_out("provider %lld %s for %s/%s\n", (long long)id, added ? "registered" : "was already registered",
		       service, need);
	return cli_finish(&s, st, &why);
}

/* ---- users ---------------------------------------------------------------------- */

static void print_user(void *ctx, const struct br_user *u)
{
	(void)ctx;
	char limit[32] = "-";
	if (u->approval_limit >= 0)
		money_format(u->approval_limit, limit, sizeof limit);
	cli_out("%-16s %-11s %-14s %-24s%s\n", u->login, u->role, limit, u->name, u->disabled ? "  (disabled)" : "");
}

int cli_cmd_user(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("user", "%s", "add, list, set-role or disable?");
	const char *sub = argv[1], *role = NULL, *name = NULL, *limit_text = NULL;
	int64_t limit = -1;
	const struct cli_opt opts[] = {
		OPT_STR("role", role),
		OPT_STR("name", name),
		OPT_STR("limit", limit_text),
		OPT_END,
	};
	struct cli_args a;
	bool set_role = strcmp(sub, "set-role") == 0;
	if (!cli_args_parse(&a, "user", argc - 1, argv + 1, opts, set_role ? 2 : 1))
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
		return cli_usage_error("user", "%s", "which login?");
	if ((strcmp(sub, "add") == 0 || strcmp(sub, "set-role") == 0) && !role)
		return cli_usage_error("user", "%s", "which role?");
	struct session *s;
	int rc = cli_open_session(g, &s);
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
		return cli_usage_error("user", "\"%s\" is not add, list, set-role or disable", sub);
	}
	if (st == BR_OK && !list)
		cli_out("user %s: %s\n", login, sub);
	return cli_finish(&s, st, &why);
}

