/* cli_request.c — the commands from a request to a provider's answer:
 * request new|cancel, match, offer, respond; the queue (take, assign);
 * emergency respite (beds free tonight, a booking, an extension). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "cli_internal.h"

/* ---- brokering ---------------------------------------------------------------- */

int cli_cmd_request(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "cancel") == 0) {
		int64_t id = 0;
		const char *reason = NULL;
		const struct cli_opt opts[] = {
			OPT_STR("reason", reason),
			OPT_END,
		};
		struct cli_args a;
		if (!cli_args_parse(&a, "request", argc - 1, argv + 1, opts, 1))
			return a.exit;
		int rc = cli_id_arg("request", &a, 0, "cancel needs the request id", &id);
		if (rc)
			return rc;
		struct session *s;
		if ((rc = cli_open_session(g, &s)))
			return rc;
		char *why = NULL;
		enum br_status st = request_cancel(s, id, reason, &why);
		if (st == BR_OK)
			cli_out("request %lld cancelled\n", (long long)id);
		return cli_finish(&s, st, &why);
	}
	if (argc < 2 || strcmp(argv[1], "new") != 0)
		return cli_usage_error("request", "%s", "new or cancel?");
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
	struct cli_args a;
	if (!cli_args_parse(&a, "request", argc - 1, argv + 1, opts, 0))
		return a.exit;
	in.units = units;
	in.asc_pct = (int)asc_pct;
	if (!in.user_ref[0] || !in.service[0] || !in.start[0] || !in.urgency[0] || !in.funding[0])
		return cli_usage_error("request", "%s", "new needs --user, --service, --units, --start, --urgency and --funding");
	struct session *s;
	int rc = cli_open_session(g, &s);
	if (rc)
		return rc;
	char *why = NULL;
	int64_t id = 0;
	enum br_status st = request_create(s, &in, &id, &why);
	if (st == BR_OK)
		cli_out("%lld\n", (long long)id);
	return cli_finish(&s, st, &why);
}

static void match_json(const struct match_result *m)
{
	cli_out("{\"request\": %lld, \"direct_payment\": %s, \"offerable\": [", (long long)m->req.id,
		m->req.direct_payment ? "true" : "false");
	int k = 0;
	for (int i = 0; i < m->n; i++) {
		const struct match_row *r = &m->rows[i];
		if (r->reasons)
			continue;
		cli_out("%s\n  {\"provider_id\": %lld, \"name\": ", k++ ? "," : "", (long long)r->provider_id);
		export_json_put_string(stdout, r->name);
		cli_out(", \"tier\": \"%s\", \"rating\": ", r->tier);
		export_json_put_string(stdout, r->rating);
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
		export_json_put_string(stdout, r->name);
		cli_out(", \"tier\": \"%s\", \"reasons\": [", r->tier);
		int j = 0;
		for (int b = 0; b < MATCH_REASON_COUNT; b++)
			if (r->reasons & (1u << b))
				cli_out("%s\"%s\"", j++ ? ", " : "", match_reason_code(b));
		cli_out("]");
		if (r->suspended_reason[0]) {
			cli_out(", \"suspended_reason\": ");
			export_json_put_string(stdout, r->suspended_reason);
			cli_out(", \"suspended_on\": \"%s\"", r->suspended_on);
		}
		cli_out("}");
	}
	cli_out("%s]}\n", k ? "\n" : "");
}

static void match_table(const struct match_result *m)
{
	char money[32];
	/* a restricted person comes masked from core (request_mask): name and reference only */
	cli_out("request %lld: %s %s%s, %lld %s from %s, %s, %s%s%s%s\n", (long long)m->req.id, m->req.ref,
	       m->req.person, m->req.restricted ? " [restricted]" : "", (long long)m->req.units,
	       service_unit(service_find(m->req.service)), m->req.start, m->req.urgency, m->req.locality,
	       m->req.need[0] ? " (" : "", m->req.need, m->req.need[0] ? ")" : "");
	/* the match shows that the person holds their own budget */
	if (m->req.direct_payment)
		cli_out("direct payment: %s holds their own budget\n", m->req.ref);
	if (m->req.s117)
		cli_out("section 117 aftercare: free at the point of use, the council and the NHS fund it\n");
	if (m->req.fnc)
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

int cli_cmd_match(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	bool json = false;
	const struct cli_opt opts[] = {
		OPT_FLAG("json", json),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "match", argc, argv, opts, 1))
		return a.exit;
	int rc = cli_id_arg("match", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
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
	return cli_finish(&s, st, &why);
}

int cli_cmd_offer(const struct cli_globals *g, int argc, char **argv)
{
	int64_t request_id = 0, provider_id = 0;
	struct offer_options o = {OVERRIDE_NONE, ""};
	const char *override = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("override", override),
		OPT_TEXT("reason", o.reason),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "offer", argc, argv, opts, 2))
		return a.exit;
	const char *what = "give the request id and the provider id";
	int rc = cli_id_arg("offer", &a, 0, what, &request_id);
	if (rc || (rc = cli_id_arg("offer", &a, 1, what, &provider_id)))
		return rc;
	if (override) {
		int k = override_find(override);
		if (k < 0)
			return cli_usage_error("offer", "--override is person_choice, clinical, spot or out_of_locality, not \"%s\"",
					   override);
		o.override = (enum override_kind)k;
	}
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	int64_t offer_id = 0;
	enum br_status st = offer_create(s, request_id, provider_id, &o, &offer_id, &why);
	if (st == BR_OK)
		cli_out("%lld\n", (long long)offer_id);
	return cli_finish(&s, st, &why);
}

int cli_cmd_respond(const struct cli_globals *g, int argc, char **argv)
{
	int64_t offer_id = 0;
	const char *reason = NULL, *note = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_STR("note", note),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "respond", argc, argv, opts, 2))
		return a.exit;
	const char *what = "give the offer id and accept or decline";
	int rc = cli_id_arg("respond", &a, 0, what, &offer_id);
	if (rc)
		return rc;
	if (a.n < 2)
		return cli_usage_error("respond", "%s", what);
	const char *verb = a.v[1];
	bool accept = strcmp(verb, "accept") == 0;
	bool withdraw = strcmp(verb, "withdraw") == 0, correct = strcmp(verb, "correct") == 0;
	if (!accept && !withdraw && !correct && strcmp(verb, "decline") != 0)
		return cli_usage_error("respond", "\"%s\" is not accept, decline, withdraw or correct", verb);
	if ((withdraw || correct) && !note)
		return cli_usage_error("respond", "%s needs --note saying why", verb);
	if (withdraw || correct) {
		struct session *s;
		if ((rc = cli_open_session(g, &s)))
			return rc;
		char *why = NULL;
		enum br_status st = withdraw ? offer_withdraw(s, offer_id, note, &why) : offer_correct(s, offer_id, note, &why);
		if (st == BR_OK)
			cli_out("offer %lld %s\n", (long long)offer_id, withdraw ? "withdrawn" : "waits for an answer again");
		return cli_finish(&s, st, &why);
	}
	if (!accept && !reason)
		return cli_usage_error("respond", "%s", "a decline needs --reason no_capacity|no_staff|cannot_meet_need|price|other");
	if (!accept && decline_find(reason) < 0)
		return cli_usage_error("respond", "--reason \"%s\" is not no_capacity, no_staff, cannot_meet_need, price or other",
				   reason);
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st;
	if (accept) {
		int64_t calloff = 0;
		st = offer_accept(s, offer_id, &calloff, &why);
		if (st == BR_OK) {
			struct calloff_info c;
			if (calloff_get(s, calloff, &c, NULL) == BR_OK) {
				char money[64];
				service_cost_words(service_find(c.service), c.weekly_cost, c.units, money, sizeof money);
				char words[96];
				calloff_status_words(&c, words, sizeof words);
				cli_out("call-off %lld: %s, %s, %s%s%s\n", (long long)calloff, c.provider, money,
					words, c.rules_words[0] ? ": " : "", c.rules_words);
			}
		}
	} else {
		st = offer_decline(s, offer_id, decline_find(reason), note, &why);
		if (st == BR_OK)
			cli_out("offer %lld declined: %s\n", (long long)offer_id, decline_text(decline_find(reason)));
	}
	return cli_finish(&s, st, &why);
}

/* ---- the queue ---------------------------------------------------------------- */

int cli_cmd_take(const struct cli_globals *g, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = {
		OPT_STR("reason", reason),
		OPT_END,
	};
	struct cli_args a;
	if (!cli_args_parse(&a, "take", argc, argv, opts, 1))
		return a.exit;
	int64_t id = 0;
	int rc = cli_id_arg("take", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = request_take(s, id, reason, &why);
	if (st == BR_OK)
		cli_out("request %lld is yours\n", (long long)id);
	return cli_finish(&s, st, &why);
}

int cli_cmd_assign(const struct cli_globals *g, int argc, char **argv)
{
	int64_t id = 0;
	const struct cli_opt opts[] = {OPT_END};
	struct cli_args a;
	if (!cli_args_parse(&a, "assign", argc, argv, opts, 2))
		return a.exit;
	int rc = cli_id_arg("assign", &a, 0, "which request?", &id);
	if (rc)
		return rc;
	if (a.n != 2)
		return cli_usage_error("assign", "%s", "to whom? (a login)");
	struct session *s;
	if ((rc = cli_open_session(g, &s)))
		return rc;
	char *why = NULL;
	enum br_status st = request_assign(s, id, a.v[1], &why);
	if (st == BR_OK)
		cli_out("request %lld assigned to %s\n", (long long)id, a.v[1]);
	return cli_finish(&s, st, &why);
}

/* ---- emergency respite -------------------------------------------------------------- */

int cli_cmd_respite(const struct cli_globals *g, int argc, char **argv)
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
	struct cli_args a;
	if (!cli_args_parse(&a, "respite", argc, argv, opts, 0))
		return a.exit;
	if ((extend_text && cli_parse_id("respite", extend_text, &extend)) ||
	    (provider_text && cli_parse_id("respite", provider_text, &provider)))
		return 64;
	if (extend) {
		struct session *s;
		int rc = cli_open_session(g, &s);
		if (rc)
			return rc;
		char *why = NULL;
		enum br_status st = respite_extend(s, extend, (int)nights, &why);
		if (st == BR_OK)
			cli_out("call-off %lld extended to %ld night%s\n", (long long)extend, nights, nights == 1 ? "" : "s");
		return cli_finish(&s, st, &why);
	}
	if (!ref)
		return cli_usage_error("respite", "%s", "who? --user REF");
	struct session *s;
	int rc = cli_open_session(g, &s);
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
	return cli_finish(&s, st, &why);
}
