#include "domain.h"
#include "money.h"

#include <ctype.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *code, *name;
} needs[NEED_COUNT] = {
#define X(code, name) {#code, name},
	BR_NEED_LIST(X)
#undef X
};

static const struct {
	const char *code, *name, *unit;
} services[SERVICE_COUNT] = {
#define X(code, name, unit) {#code, name, unit},
	BR_SERVICE_LIST(X)
#undef X
};

static const char *const ratings[RATING_COUNT] = {
#define X(id, text) text,
	BR_RATING_LIST(X)
#undef X
};

const char *need_code(int n) { return n >= 0 && n < NEED_COUNT ? needs[n].code : "?"; }
const char *need_name(int n) { return n >= 0 && n < NEED_COUNT ? needs[n].name : "?"; }
const char *service_code(int s) { return s >= 0 && s < SERVICE_COUNT ? services[s].code : "?"; }
const char *service_name(int s) { return s >= 0 && s < SERVICE_COUNT ? services[s].name : "?"; }
const char *service_unit(int s) { return s >= 0 && s < SERVICE_COUNT ? services[s].unit : "?"; }
const char *rating_text(int r) { return r >= 0 && r < RATING_COUNT ? ratings[r] : "?"; }

const char *service_rate_unit(int s)
{
	const char *u = service_unit(s);
	if (strncmp(u, "hours", 5) == 0)
		return "hour";
	if (strcmp(u, "placement") == 0)
		return "week";
	if (strncmp(u, "sessions", 8) == 0)
		return "session";
	if (strcmp(u, "nights") == 0)
		return "night";
	return "unit";
}

bool service_weekly(int s)
{
	const char *u = service_unit(s);
	size_t n = strlen(u);
	return strcmp(u, "placement") == 0 || (n > 5 && strcmp(u + n - 5, "/week") == 0);
}

int64_t service_annual_cost(int s, int64_t unit_rate, int64_t units)
{
	return unit_rate * units * (service_weekly(s) ? 52 : 1);
}

void service_cost_words(int s, int64_t cost, int64_t units, char *out, size_t outsz)
{
	char money[32];
	money_format(cost, money, sizeof money);
	if (s < 0 || service_weekly(s))
		snprintf(out, outsz, "%s a week", money);
	else
		snprintf(out, outsz, "%s for %lld %s", money, (long long)units,
			 units == 1 && strcmp(service_unit(s), "nights") == 0 ? "night" : service_unit(s));
}

const char *service_rate_per(int s)
{
	const char *u = service_rate_unit(s);
	if (strcmp(u, "hour") == 0)
		return "an hour";
	if (strcmp(u, "week") == 0)
		return "a week";
	if (strcmp(u, "session") == 0)
		return "a session";
	if (strcmp(u, "night") == 0)
		return "a night";
	return "a unit";
}

int need_find(const char *code)
{
	for (int i = 0; code && i < NEED_COUNT; i++)
		if (strcmp(needs[i].code, code) == 0)
			return i;
	return -1;
}

int service_find(const char *code)
{
	for (int i = 0; code && i < SERVICE_COUNT; i++)
		if (strcmp(services[i].code, code) == 0)
			return i;
	return -1;
}

int rating_find(const char *text)
{
	for (int i = 0; text && i < RATING_COUNT; i++)
		if (strcasecmp(ratings[i], text) == 0)
			return i;
	return -1;
}

static bool one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool tier_valid(const char *s)
{
	static const char *const l[] = {"primary", "secondary", "peripheral", NULL};
	return one_of(s, l);
}

bool urgency_valid(const char *s)
{
	static const char *const l[] = {"routine", "urgent", "emergency", NULL};
	return one_of(s, l);
}

bool funding_valid(const char *s)
{
	static const char *const l[] = {"ASC", "CHC", "JOINT", NULL};
	return one_of(s, l);
}

bool su_status_valid(const char *s)
{
	static const char *const l[] = {"active", "closed", "deceased", NULL};
	return one_of(s, l);
}

bool provider_status_valid(const char *s)
{
	static const char *const l[] = {"active", "suspended", "left", NULL};
	return one_of(s, l);
}

bool role_valid(const char *s)
{
	static const char *const l[] = {"officer", "supervisor", "oncall", "admin", "viewer", NULL};
	return one_of(s, l);
}

bool postcode_valid(const char *v)
{
	size_t alnum = 0;
	for (const char *p = v; *p; p++) {
		if (isalnum((unsigned char)*p))
			alnum++;
		else if (*p != ' ')
			return false;
	}
	return alnum >= 2 && alnum <= 8 && strlen(v) <= 10;
}

void postcode_key(const char *in, char *out, size_t outsz)
{
	size_t j = 0;
	for (; *in && j + 1 < outsz; in++)
		if (!isspace((unsigned char)*in))
			out[j++] = (char)toupper((unsigned char)*in);
	out[j] = '\0';
}
