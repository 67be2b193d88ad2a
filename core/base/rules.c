#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "domain.h"
#include "util.h"

static const struct {
	const char *code, *text;
} rules[RULE_COUNT] = {
#define X(id, code, text) [RULE_##id] = {code, text},
	BR_RULE_LIST(X)
#undef X
};

struct rule_facts rules_facts_of(const struct rule_placement *p)
{
	int64_t dob = 0;
	date_parse(p->dob ? p->dob : "", &dob, NULL);
	const char *ok = p->override_kind ? p->override_kind : "";
	const char *tier = p->tier ? p->tier : "";
	return (struct rule_facts){
		.service = service_find(p->service), .weekly_cost = p->unit_rate * p->units, .unit_rate = p->unit_rate,
		.start_day = p->start_day, .age = date_age(dob, p->start_day),
		.spot = strcmp(ok, "spot") == 0 || strcmp(tier, "spot") == 0,
		.override = strcmp(ok, "person_choice") == 0 || strcmp(ok, "clinical") == 0,
		.out_of_locality = strcmp(ok, "out_of_locality") == 0 ||
				   (p->locality && p->person_locality && strcmp(p->locality, p->person_locality) != 0),
		.emergency = p->emergency,
	};
}

const char *rule_code(int rule) { return rule >= 0 && rule < RULE_COUNT ? rules[rule].code : "?"; }
const char *rule_text(int rule) { return rule >= 0 && rule < RULE_COUNT ? rules[rule].text : "?"; }

int rule_find(const char *code)
{
	for (int i = 0; code && i < RULE_COUNT; i++)
		if (strcmp(rules[i].code, code) == 0)
			return i;
	return -1;
}

enum br_status rules_units_allowed(const struct br_config *cfg, int svc, int64_t units, char **why)
{
	if (svc < 0 || svc >= SERVICE_COUNT)
		return br_fail(why, BR_DATA, "not a service of the framework");
	if (units <= 0)
		return br_fail(why, BR_DATA, "units must be more than 0 (%s: %s)", service_code(svc), service_unit(svc));
	if (units > cfg->units_max[svc])
		return br_fail(why, BR_DATA, "units: %lld %s is more than %s allows (at most %lld, "
					     "units_max in the config)",
			       (long long)units, service_unit(svc), service_name(svc), (long long)cfg->units_max[svc]);
	return BR_OK;
}

unsigned rules_approval(const struct br_config *cfg, const struct rule_facts *f)
{
	unsigned fired = 0;
	int64_t limit = f->service >= 0 && f->service < SERVICE_COUNT
				? cfg->weekly_cost_limit[f->service] : -1;
	if (limit >= 0 && f->weekly_cost > limit)
		fired |= 1u << RULE_WEEKLY_COST;
	int64_t framework = config_framework_rate(cfg, f->service, f->start_day);
	if (framework > 0 && f->unit_rate > framework)
		fired |= 1u << RULE_UNIT_RATE;
	if (f->spot)
		fired |= 1u << RULE_SPOT;
	if (f->override)
		fired |= 1u << RULE_TIER_OVERRIDE;
	if (f->out_of_locality)
		fired |= 1u << RULE_OUT_OF_LOCALITY;
	if (f->service == SERVICE_RES && f->age < cfg->residential_min_age)
		fired |= 1u << RULE_RESIDENTIAL_UNDER_65;
	if (f->emergency)
		fired |= 1u << RULE_EMERGENCY;
	return fired;
}

void rules_describe(const struct br_config *cfg, const struct rule_facts *f, int rule,
		    char *out, size_t outsz)
{
	char a[32], b[32];
	switch (rule) {
	case RULE_WEEKLY_COST:
		money_format(f->weekly_cost, a, sizeof a);
		money_format(cfg->weekly_cost_limit[f->service], b, sizeof b);
		snprintf(out, outsz, "weekly cost %s is above the %s threshold for %s", a, b,
			 service_name(f->service));
		break;
	case RULE_UNIT_RATE:
		money_format(f->unit_rate, a, sizeof a);
		money_format(config_framework_rate(cfg, f->service, f->start_day), b, sizeof b);
		snprintf(out, outsz, "unit rate %s is above the framework rate %s", a, b);
		break;
	case RULE_RESIDENTIAL_UNDER_65:
		if (f->age_withheld)
			snprintf(out, outsz, "residential placement for someone under %d: community alternatives first",
				 cfg->residential_min_age);
		else
			snprintf(out, outsz, "residential placement for someone aged %d (under %d): "
					     "community alternatives first", f->age, cfg->residential_min_age);
		break;
	default:
		snprintf(out, outsz, "%s", rule_text(rule));
		break;
	}
}

bool rules_working_day(const struct br_config *cfg, int64_t day)
{
	if (date_weekday(day) >= 5)
		return false;
	for (int i = 0; i < cfg->n_bank_holidays; i++)
		if (cfg->bank_holidays[i] == day)
			return false;
	return true;
}

int64_t rules_next_working_day(const struct br_config *cfg, int64_t day)
{
	int64_t d = day + 1;
	while (!rules_working_day(cfg, d))
		d++;
	return d;
}
