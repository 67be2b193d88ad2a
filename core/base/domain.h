/* domain.h — the fixed vocabularies of the framework: needs groups, services
 * (lots) and their units, CQC ratings, tiers, urgencies, funding streams.
 * The schema's CHECK constraints hold the same lists. */
#ifndef BR_DOMAIN_H
#define BR_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BR_NEED_LIST(X)                                   \
	X(LD,  "Learning disability")                     \
	X(AUT, "Autism")                                  \
	X(MH,  "Mental health")                           \
	X(ABI, "Acquired brain injury")                   \
	X(PD,  "Physical disability")                     \
	X(DD,  "Dual diagnosis")

#define BR_SERVICE_LIST(X)                                                        \
	X(HC,  "Care and support at home",                  "hours/week")       \
	X(SL,  "Supported living",                          "hours/week")       \
	X(RES, "Residential and nursing care",              "placement")        \
	X(SHL, "Shared lives",                              "placement")        \
	X(DAY, "Day opportunities",                         "sessions/week")    \
	X(RSP, "Respite incl. emergency accommodation",     "nights")           \
	X(REH, "Rehabilitation",                            "placement")        \
	X(PBS, "Positive behaviour support",                "hours/week")       \
	X(ISP, "Independent support planning / brokerage",  "hours")            \
	X(EMP, "Employment support",                        "hours/week")

enum br_need {
#define X(code, name) NEED_##code,
	BR_NEED_LIST(X)
#undef X
	NEED_COUNT
};

enum br_service {
#define X(code, name, unit) SERVICE_##code,
	BR_SERVICE_LIST(X)
#undef X
	SERVICE_COUNT
};

/* CQC ratings in order, best first. */
#define BR_RATING_LIST(X)                  \
	X(OUTSTANDING, "Outstanding")      \
	X(GOOD, "Good")                    \
	X(RI, "Requires improvement")      \
	X(INADEQUATE, "Inadequate")        \
	X(NOT_RATED, "Not yet rated")

enum br_rating {
#define X(id, text) RATING_##id,
	BR_RATING_LIST(X)
#undef X
	RATING_COUNT
};

const char *need_code(int need);
const char *need_name(int need);
int need_find(const char *code); /* -1 when unknown */

const char *service_code(int service);
const char *service_name(int service);
const char *service_unit(int service);
/* What one unit's rate is for: "hour", "week", "session", "night". */
const char *service_rate_unit(int service);
/* The same with its article, for a sentence: "an hour", "a week". */
const char *service_rate_per(int service);
int service_find(const char *code);
/* Whether the service's units run every week (hours a week, sessions a
 * week, a placement) rather than once (a stay of nights, hours of support
 * planning). */
bool service_weekly(int service);
/* What a package costs a year: for a weekly service its weekly cost times
 * 52; for one that runs once (respite nights), its cost, once. The one
 * rule the approval limits, the acceptance, a variation and every screen
 * read. Pence. */
int64_t service_annual_cost(int service, int64_t unit_rate, int64_t units);
/* What a package costs, in words, for every face: "£1,543.78 a week" for a
 * weekly service, "£1,543.78 for 7 nights" for one that runs once (issue
 * 26, finding 6: a stay is not a week). cost is unit rate times units. */
void service_cost_words(int service, int64_t cost, int64_t units, char *out, size_t outsz);

const char *rating_text(int rating);
int rating_find(const char *text); /* exact, case-insensitive; -1 when unknown */

/* Enumerations held as text in the database. Each returns true when s is one. */
bool tier_valid(const char *s);        /* primary secondary peripheral */
bool urgency_valid(const char *s);     /* routine urgent emergency */
bool funding_valid(const char *s);     /* ASC CHC JOINT */
bool su_status_valid(const char *s);   /* active closed deceased */
bool provider_status_valid(const char *s); /* active suspended left */
bool role_valid(const char *s);        /* officer supervisor oncall admin viewer */

/* A UK postcode as the register keeps it: 2 to 8 letters and digits with
 * spaces between, at most 10 characters. */
bool postcode_valid(const char *v);
/* The search key of a postcode (and of a reference typed in a search):
 * upper case, no white space ("ch41 1aa" -> "CH411AA"). Always terminates. */
void postcode_key(const char *in, char *out, size_t outsz);

#endif
