/* rules.h — when a call-off needs a supervisor's approval (DESIGN.md §2
 * "Approval"). Pure functions of the facts and the config: the same code
 * decides for the screens, the command line, the demo and the tests. */
#ifndef BR_RULES_H
#define BR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "status.h"

#define BR_RULE_LIST(X)                                                             \
	X(WEEKLY_COST, "weekly_cost", "weekly cost above the threshold for the service") \
	X(UNIT_RATE, "unit_rate", "unit rate above the framework rate")               \
	X(SPOT, "spot", "spot purchase (off framework)")                               \
	X(TIER_OVERRIDE, "tier_override", "tier override")                             \
	X(OUT_OF_LOCALITY, "out_of_locality", "placement outside the person's locality") \
	X(RESIDENTIAL_UNDER_65, "residential_under_65", "residential placement under 65") \
	X(EMERGENCY, "emergency", "emergency booking, approved afterwards")

enum br_rule {
#define X(id, code, text) RULE_##id,
	BR_RULE_LIST(X)
#undef X
	RULE_COUNT
};

struct rule_facts {
	int service;          /* enum br_service */
	int64_t weekly_cost;  /* pence */
	int64_t unit_rate;    /* pence */
	int64_t start_day;    /* days since epoch */
	int age;              /* on the start day */
	bool spot, override, out_of_locality, emergency;
	bool age_withheld;    /* a restricted person's: the words give no age (issue 26, finding 10) */
};

/* What a placement is, as the rules read it: the one place the facts of an
 * acceptance, a variation and a booking are worked out (spot, an override,
 * out of locality, the age on the start day, the weekly cost). */
struct rule_placement {
	const char *service;              /* a service code */
	int64_t unit_rate, units;         /* pence a unit; units */
	int64_t start_day;                /* days since epoch */
	const char *dob;                  /* the person's date of birth, YYYY-MM-DD */
	const char *tier, *override_kind; /* the offer's ("" none) */
	const char *locality, *person_locality;
	bool emergency;
};
struct rule_facts rules_facts_of(const struct rule_placement *p);

/* The units a request or a variation may ask for (units_max in the config,
 * per service): the one check, for both (issue 26, finding 3). */
enum br_status rules_units_allowed(const struct br_config *cfg, int service, int64_t units, char **why);

/* Bit (1 << rule) for every rule that fires. */
unsigned rules_approval(const struct br_config *cfg, const struct rule_facts *f);
const char *rule_code(int rule);
const char *rule_text(int rule);
int rule_find(const char *code);
/* One line in words, with the figures: "weekly cost £850.00 is above the
 * £800.00 threshold for home care". */
void rules_describe(const struct br_config *cfg, const struct rule_facts *f, int rule,
		    char *out, size_t outsz);
/* The first working day after `day`: not Saturday, Sunday or a bank
 * holiday from the config. */
int64_t rules_next_working_day(const struct br_config *cfg, int64_t day);
bool rules_working_day(const struct br_config *cfg, int64_t day);

#endif
