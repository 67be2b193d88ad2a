/* cli_calloff.c — the commands on a call-off after the provider's answer:
 * approve, reject, the work order, a hand-back, and the live package's
 * changes (vary, pause, resume, end). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "cli_internal.h"

/* ---- approvals ------------------------------------------------------------------- */

static int decide(const struct cli_globals *g, int argc, char **argv, bool approve)
{
	const char *cmd = approve ? "approve" : "reject";
	int64_t id = 0;
	const char *note = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("note", note),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, cmd, argc, argv, opts, 1))
		return a.exit;
	int rc = cli_id_arg(cmd, &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = approval_decide(s, id, approve, note, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK)
			cli_out("call-off %lld %s: now %s\n", (long long)id, approve ? "approved" : "rejected", c.status);
	}
	return cli_finish(&s, st, &why);
}

int cli_cmd_approve(const struct cli_globals *g, int argc, char **argv) { return decide(g, argc, argv, true); }
int cli_cmd_reject(const struct cli_globals *g, int argc, char **argv) { return decide(g, argc, argv, false); }

/* ---- the work order ------------------------------------------------------------ */

int cli_cmd_workorder(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const char *out_path = NULL, *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("out", out_path),
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "workorder", argc, argv, opts, 1))
		return a.exit;
	int rc = cli_id_arg("workorder", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = workorder_write(s, id, reason, out_path, stdout, &why);
	if (st == BR_OK && out_path)
		cli_error("wrote the work order for call-off %lld to %s\n", (long long)id, out_path);
	return cli_finish(&s, st, &why);
}

int cli_cmd_handback(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const char *reason = NULL, *date = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_STR("date", date),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "handback", argc, argv, opts, 1))
		return a.exit;
	int rc = cli_id_arg("handback", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!reason || !date)
		return cli_usage_error("handback", "%s", "needs --reason and --date");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = calloff_handback(s, id, reason, date, &why);
	if (st == BR_OK)
		cli_out("call-off %lld handed back: care continues until %s; the request is back at the top of the queue\n",
		       (long long)id, date);
	return cli_finish(&s, st, &why);
}

/* ---- live packages ------------------------------------------------------------------ */

int cli_cmd_vary(const struct cli_globals *g, int argc, char **argv)
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
	struct cli_args a;
	if (!cli_args_parse(&a, "vary", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("vary", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || (!units && !rate && pct < 0))
		return cli_usage_error("vary", "%s", "needs --from and one or more of --units, --rate, --asc-pct");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_pause(const struct cli_globals *g, int argc, char **argv)
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
	struct cli_args a;
	if (!cli_args_parse(&a, "pause", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("pause", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || !reason)
		return cli_usage_error("pause", "%s", "needs --from and --reason");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_resume(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "resume", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("resume", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from)
		return cli_usage_error("resume", "%s", "needs --from");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	struct calloff_info was;
	bool scheduled = calloff_get(s, id, &was, NULL) == BR_OK && strcmp(was.status, "active") == 0 && was.pause_from[0];
	enum br_status st = calloff_resume(s, id, from, &why);
	if (st == BR_OK && scheduled)
		cli_out("call-off %lld: the pause scheduled from %s is called off; active\n", (long long)id, was.pause_from);
	else if (st == BR_OK)
		cli_out("call-off %lld resumed from %s: active\n", (long long)id, from);
	return cli_finish(&s, st, &why);
}

int cli_cmd_end(const struct cli_globals *g, int argc, char **argv)
{
	const char *from = NULL, *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("from", from),
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "end", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("end", &a, 0, "which call-off?", &id);
	if (rc)
		return rc;
	if (!from || !reason)
		return cli_usage_error("end", "%s", "needs --from and --reason");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = calloff_end(s, id, from, reason, &why);
	if (st == BR_OK) {
		struct calloff_info c;
		if (calloff_get(s, id, &c, NULL) == BR_OK)
			cli_out("call-off %lld %s %s (%s): %s\n", (long long)id,
			       strcmp(c.status, "ended") == 0 ? "ended on" : "ends on", c.end, end_reason_text(reason), c.status);
	}
	return cli_finish(&s, st, &why);
}

