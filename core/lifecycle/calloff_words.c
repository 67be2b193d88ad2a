/* calloff_words.c — what the faces show of a call-off (calloff.h): the hand-back,
 * pause and end reasons in words, the status in words, the weekly cost now and who
 * pays it; lapsed retainers for Home. */
#include "calloff.h"

#include <stdio.h>
#include <string.h>

#include "broker_internal.h"
#include "calloff_pauses.h"
#include "config.h"
#include "session.h"
#include "util.h"

const char *handback_text(int i)
{
	static const char *const texts[] = {
#define X(code, text) text,
		HANDBACK_REASON_LIST(X)
#undef X
	};
	return i >= 0 && i < (int)(sizeof texts / sizeof texts[0]) ? texts[i] : "";
}

int handback_find(const char *code)
{
	static const char *const codes[] = {
#define X(code, text) #code,
		HANDBACK_REASON_LIST(X)
#undef X
	};
	for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return (int)i;
	return -1;
}

void calloff_status_words(const struct calloff_info *c, char *out, size_t n)
{
	const char *status = strcmp(c->status, "awaiting_approval") == 0 ? "awaiting approval" : c->status;
	bool live = strcmp(c->status, "active") == 0 || strcmp(c->status, "approved") == 0;
	char today[11], when[24];
	today_text(today);
	if (live && c->handback_notice[0] &&
	    date_words_text(c->end[0] ? c->end : c->handback_notice, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, handed back, ends %s", status, when);
	else if (live && c->pause_from[0] && date_words_text(c->pause_from, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, pause %s %s (%s)", status, strcmp(c->pause_from, today) > 0 ? "scheduled from"
				 : "due from", when, c->pause_retain ? "retainer" : "release");
	else if (strcmp(c->status, "paused") == 0)
		snprintf(out, n, "paused, on a retainer");
	else if (strcmp(c->status, "paused_released") == 0)
		snprintf(out, n, "paused, capacity released");
	else if ((strcmp(c->status, "varied") == 0 || (strcmp(c->status, "active") == 0 && c->ended_reason[0] &&
		  strcmp(c->service, "RSP") != 0)) &&
		 date_words_text(c->end, DATE_NO_YEAR, when, sizeof when))
		snprintf(out, n, "%s, ends %s", status, when);
	else
		snprintf(out, n, "%s", status);
}

const char *const calloff_pause_codes[] = {
#define X(code, text) #code,
	PAUSE_REASON_LIST(X)
#undef X
};
const char *const calloff_pause_texts[] = {
#define X(code, text) text,
	PAUSE_REASON_LIST(X)
#undef X
};
const char *const calloff_end_codes[] = {
#define X(code, text) #code,
	END_REASON_LIST(X)
#undef X
};
const char *const calloff_end_texts[] = {
#define X(code, text) text,
	END_REASON_LIST(X)
#undef X
};

static int find_code(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return (int)i;
	return -1;
}

int pause_reason_find(const char *code) { return find_code(calloff_pause_codes, sizeof calloff_pause_codes / sizeof *calloff_pause_codes, code); }
int end_reason_find(const char *code) { return find_code(calloff_end_codes, sizeof calloff_end_codes / sizeof *calloff_end_codes, code); }

const char *pause_reason_text(const char *code)
{
	int i = pause_reason_find(code);
	return i < 0 ? (code ? code : "") : calloff_pause_texts[i];
}

const char *end_reason_text(const char *code)
{
	int i = end_reason_find(code);
	return i < 0 ? (code ? code : "") : calloff_end_texts[i];
}

int64_t calloff_weekly_for(const struct session *s, const char *status, int64_t weekly_cost)
{
	if (strcmp(status, "active") == 0)
		return weekly_cost;
	if (strcmp(status, "paused") == 0)
		return weekly_cost * s->cfg.retainer_share_pct / 100;
	return 0;
}

void funding_split_of(const struct br_config *cfg, int64_t weekly, int asc_pct, bool fnc, int64_t day,
		      struct funding_split *out)
{
	int64_t f = fnc && asc_pct > 0 && weekly > 0 ? config_fnc_rate(cfg, day) : 0;
	if (f > weekly)
		f = weekly;
	int64_t rest = weekly - f, council = rest * asc_pct / 100;
	out->fnc = f;
	out->council = council;
	out->nhs = weekly - council;
}

int64_t calloff_weekly_now(const struct session *s, const struct calloff_info *c)
{
	return calloff_weekly_for(s, c->status, c->weekly_cost);
}

enum br_status calloffs_retainers_lapsed(struct session *s, int *n, char **why)
{
	return calloff_pauses_lapsed(s, n, why);
}

