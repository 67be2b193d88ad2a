/* config.h — the libconfig file (config/brokerage.cfg).
 *
 * Defaults are filled first and the file overlays them. Every key is known:
 * an unknown key or a value of the wrong type is an error naming the file
 * and the line. Strings are copied out, so the struct owns everything. */
#ifndef BR_CONFIG_H
#define BR_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain.h"
#include "status.h"

#define BR_MAX_LOCALITIES 16
#define BR_MAX_RATE_STEPS 32
#define BR_MAX_HOLIDAYS 128

/* Screen elements that take a colour (see tui/theme.c). */
#define BR_COLOUR_LIST(X)                        \
	X(title, "white/blue")                  \
	X(status, "black/cyan")                 \
	X(footer, "black/white")                \
	X(selection, "black/yellow")            \
	X(heading, "cyan/default")              \
	X(tier_primary, "green/default")        \
	X(tier_secondary, "cyan/default")       \
	X(tier_peripheral, "magenta/default")   \
	X(warning, "yellow/default")            \
	X(error, "white/red")                   \
	X(suspended, "red/default")             \
	X(muted, "blue/default")                \
	X(chart, "green/default")

enum br_colour {
#define X(name, def) COLOUR_##name,
	BR_COLOUR_LIST(X)
#undef X
	COLOUR_COUNT
};

struct br_locality_cfg {
	char code[9];
	char name[48];
	/* The other localities, nearest first (respite search order). */
	char nearest[BR_MAX_LOCALITIES][9];
	int n_nearest;
};

struct br_rate_step {
	int64_t from;   /* days since epoch */
	int64_t pence;
};

struct br_config {
	char path[PATH_MAX];      /* the file read ("" when defaults only) */
	char database[PATH_MAX];  /* resolved against the config file's folder */
	char witness_key[PATH_MAX]; /* the witness's key file, resolved the same way */
	int busy_timeout_ms;
	char timezone[64];

	struct br_locality_cfg localities[BR_MAX_LOCALITIES];
	int n_localities;

	/* approval thresholds: weekly cost per service in pence, -1 = none */
	int64_t weekly_cost_limit[SERVICE_COUNT];
	int residential_min_age;

	/* framework rates per service, ordered by date */
	struct br_rate_step framework_rates[SERVICE_COUNT][BR_MAX_RATE_STEPS];
	int n_framework_rates[SERVICE_COUNT];

	/* funded nursing care: the NHS's weekly contribution to a nursing
	 * placement, the year's rate, ordered by date (fnc_rates) */
	struct br_rate_step fnc_rates[BR_MAX_RATE_STEPS];
	int n_fnc_rates;

	/* the most units a request may ask for, per service (units_max) */
	int64_t units_max[SERVICE_COUNT];

	int response_hours[3];    /* routine, urgent, emergency */
	int respite_max_nights;
	/* a paused package: the provider keeps the capacity on a retainer of
	 * retainer_share_pct of the weekly cost for up to retainer_days days */
	int retainer_share_pct, retainer_days;
	/* a request another officer has may be taken over without a reason
	 * once it has been idle this long */
	int takeover_idle_minutes;
	int capacity_stale_days;  /* a capacity figure reported longer ago is stale */
	int64_t bank_holidays[BR_MAX_HOLIDAYS];
	int n_bank_holidays;

	char colours[COLOUR_COUNT][32]; /* "fg/bg" */
};

/* Fill cfg with the built-in defaults (the Wirral figures). */
void config_defaults(struct br_config *cfg);

/* Find the config file: explicit path, else $BROKERAGE_CONFIG, else the
 * installed one (a build by `make install`), else ./config/brokerage.cfg.
 * When the process is elevated (setgid, see privilege.h) only the installed
 * file is read: a path from the caller is BR_DENIED. Writes the path
 * chosen into out. */
enum br_status config_locate(const char *explicit_path, char *out, size_t outsz, char **why);

/* Load defaults then the file. BR_NOINPUT when the file is missing,
 * BR_CONFIG with "file:line: what" on any error. */
enum br_status config_load(struct br_config *cfg, const char *path, char **why);

/* Framework rate for a service in force on a day; -1 when none. */
int64_t config_framework_rate(const struct br_config *cfg, int service, int64_t day);
/* The funded nursing care rate (pence a week) in force on a day; 0 when none. */
int64_t config_fnc_rate(const struct br_config *cfg, int64_t day);
/* Index of a locality code, -1 when unknown. */
int config_locality(const struct br_config *cfg, const char *code);
const char *config_colour_element_name(int element);
/* Validate "fg/bg" with curses colour names. */
bool config_colour_valid(const char *spec);

#endif
