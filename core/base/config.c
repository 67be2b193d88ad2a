#include "config.h"

#include <sys/stat.h>

#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privilege.h"
#include "util.h"

static const char *const colour_names[COLOUR_COUNT] = {
#define X(name, def) #name,
	BR_COLOUR_LIST(X)
#undef X
};

static const char *const colour_defaults[COLOUR_COUNT] = {
#define X(name, def) def,
	BR_COLOUR_LIST(X)
#undef X
};

const char *config_colour_element_name(int element)
{
	return element >= 0 && element < COLOUR_COUNT ? colour_names[element] : "?";
}

void config_defaults(struct br_config *cfg)
{
	static const struct {
		const char *code, *name, *nearest[3];
	} wirral[] = {
		{"WAL", "Wallasey", {"BIR", "WW", "SW"}},
		{"BIR", "Birkenhead", {"WAL", "SW", "WW"}},
		{"WW", "West Wirral", {"WAL", "BIR", "SW"}},
		{"SW", "South Wirral", {"BIR", "WW", "WAL"}},
	};
	memset(cfg, 0, sizeof *cfg);
	text_copy(cfg->database, sizeof cfg->database, "brokerage.db");
	text_copy(cfg->witness_key, sizeof cfg->witness_key, "witness.key");
	cfg->busy_timeout_ms = 5000;
	text_copy(cfg->timezone, sizeof cfg->timezone, "Europe/London");
	for (size_t i = 0; i < sizeof wirral / sizeof wirral[0]; i++) {
		struct br_locality_cfg *l = &cfg->localities[i];
		text_copy(l->code, sizeof l->code, wirral[i].code);
		text_copy(l->name, sizeof l->name, wirral[i].name);
		for (int j = 0; j < 3; j++)
			text_copy(l->nearest[j], sizeof l->nearest[j], wirral[i].nearest[j]);
		l->n_nearest = 3;
	}
	cfg->n_localities = 4;
	for (int s = 0; s < SERVICE_COUNT; s++)
		cfg->weekly_cost_limit[s] = -1;
	/* A home care package dearer than a residential placement (about
	 * £800 a week in the LCR papers) goes to a supervisor. */
	cfg->weekly_cost_limit[SERVICE_HC] = 80000;
	cfg->weekly_cost_limit[SERVICE_SL] = 150000;
	cfg->weekly_cost_limit[SERVICE_RES] = 120000;
	cfg->weekly_cost_limit[SERVICE_PBS] = 100000;
	cfg->residential_min_age = 65;
	/* Care and Support at Home: £15.60 aggregated hourly rate from 1 April
	 * 2019, rising each April (over £20 by 2022); the shipped config says the same. */
	static const int64_t hc_rates[] = {1560, 1690, 1830, 2024, 2150, 2240, 2330, 2420};
	for (int i = 0; i < 8; i++)
		cfg->framework_rates[SERVICE_HC][i] = (struct br_rate_step){date_days(2019 + i, 4, 1), hc_rates[i]};
	cfg->n_framework_rates[SERVICE_HC] = 8;
	/* NHS funded nursing care, standard rate: £219.71 (2023-24), £235.88
	 * (2024-25), £254.06 (2025-26) a week */
	static const int64_t fnc[] = {21971, 23588, 25406};
	for (int i = 0; i < 3; i++)
		cfg->fnc_rates[i] = (struct br_rate_step){date_days(2023 + i, 4, 1), fnc[i]};
	cfg->n_fnc_rates = 3;
	/* A week has 168 hours; a placement is one bed; a respite request
	 * covers a few weeks at most (units_max in the shipped config). */
	static const int64_t units_max[SERVICE_COUNT] = {
		[SERVICE_HC] = 168, [SERVICE_SL] = 168, [SERVICE_RES] = 1, [SERVICE_SHL] = 1,
		[SERVICE_DAY] = 14, [SERVICE_RSP] = 28, [SERVICE_REH] = 1, [SERVICE_PBS] = 168,
		[SERVICE_ISP] = 200, [SERVICE_EMP] = 40,
	};
	for (int s = 0; s < SERVICE_COUNT; s++)
		cfg->units_max[s] = units_max[s];
	cfg->response_hours[0] = 72;
	cfg->response_hours[1] = 24;
	cfg->response_hours[2] = 2;
	cfg->respite_max_nights = 3;
	cfg->retainer_share_pct = 80;
	cfg->retainer_days = 28;
	cfg->takeover_idle_minutes = 240;
	cfg->capacity_stale_days = 14;
	for (int c = 0; c < COLOUR_COUNT; c++)
		text_copy(cfg->colours[c], sizeof cfg->colours[c], colour_defaults[c]);
}

enum br_status config_locate(const char *explicit_path, char *out, size_t outsz, char **why)
{
	const char *env = getenv("BROKERAGE_CONFIG");
	const char *installed = priv_installed_config();
	if (priv_elevated()) {
		/* The caller's own file could name the live database with its
		 * own rules: the installed program reads only the installed one. */
		if (explicit_path)
			return br_fail(why, BR_DENIED, "--config is refused: this brokerage runs with the "
					      "group's rights and reads only %s",
				       installed ? installed : "its installed config");
		if (env)
			return br_fail(why, BR_DENIED, "$BROKERAGE_CONFIG is refused: this brokerage runs "
					      "with the group's rights and reads only %s",
				       installed ? installed : "its installed config");
		if (!installed)
			return br_fail(why, BR_DENIED, "this brokerage was built in a source tree, not by "
					      "'make install': it must not run setgid");
	}
	if (explicit_path && *explicit_path)
		text_copy(out, outsz, explicit_path);
	else if (env && *env)
		text_copy(out, outsz, env);
	else if (installed)
		text_copy(out, outsz, installed);
	else
		text_copy(out, outsz, "config/brokerage.cfg");
	return BR_OK;
}

/* ---- the schema of the file ------------------------------------------- */

enum kind { K_STRING, K_INT, K_BOOL, K_GROUP, K_LIST_OF_GROUPS, K_STRING_ARRAY };

struct key {
	const char *name; /* "*" = any name (checked by the loader) */
	enum kind kind;
	const struct key *children; /* for groups and list items */
};

static const struct key locality_keys[] = {
	{"code", K_STRING, NULL},
	{"name", K_STRING, NULL},
	{"nearest", K_STRING_ARRAY, NULL},
	{NULL, 0, NULL},
};
static const struct key any_int[] = {{"*", K_INT, NULL}, {NULL, 0, NULL}};
static const struct key rate_step_keys[] = {
	{"from", K_STRING, NULL},
	{"pence", K_INT, NULL},
	{NULL, 0, NULL},
};
static const struct key any_rate_list[] = {{"*", K_LIST_OF_GROUPS, rate_step_keys}, {NULL, 0, NULL}};
static const struct key approval_keys[] = {
	{"weekly_cost_pence", K_GROUP, any_int},
	{"residential_min_age", K_INT, NULL},
	{NULL, 0, NULL},
};
static const struct key response_keys[] = {
	{"routine", K_INT, NULL},
	{"urgent", K_INT, NULL},
	{"emergency", K_INT, NULL},
	{NULL, 0, NULL},
};
static const struct key respite_keys[] = {{"max_nights", K_INT, NULL}, {NULL, 0, NULL}};
static const struct key retainer_keys[] = {{"share_pct", K_INT, NULL}, {"days", K_INT, NULL}, {NULL, 0, NULL}};
static const struct key requests_keys[] = {{"takeover_idle_minutes", K_INT, NULL}, {NULL, 0, NULL}};
static const struct key any_string[] = {{"*", K_STRING, NULL}, {NULL, 0, NULL}};
static const struct key root_keys[] = {
	{"database", K_STRING, NULL},
	{"witness_key", K_STRING, NULL},
	{"busy_timeout_ms", K_INT, NULL},
	{"timezone", K_STRING, NULL},
	{"localities", K_LIST_OF_GROUPS, locality_keys},
	{"approval", K_GROUP, approval_keys},
	{"framework_rates", K_GROUP, any_rate_list},
	{"fnc_rates", K_LIST_OF_GROUPS, rate_step_keys},
	{"units_max", K_GROUP, any_int},
	{"response_hours", K_GROUP, response_keys},
	{"respite", K_GROUP, respite_keys},
	{"retainer", K_GROUP, retainer_keys},
	{"requests", K_GROUP, requests_keys},
	{"capacity_stale_days", K_INT, NULL},
	{"bank_holidays", K_STRING_ARRAY, NULL},
	{"colours", K_GROUP, any_string},
	{NULL, 0, NULL},
};

static const char *kind_text(enum kind k)
{
	switch (k) {
	case K_STRING: return "a string";
	case K_INT: return "an integer";
	case K_BOOL: return "true or false";
	case K_GROUP: return "a group { ... }";
	case K_LIST_OF_GROUPS: return "a list ( { ... }, ... )";
	case K_STRING_ARRAY: return "an array of strings [ ... ]";
	}
	return "?";
}

static bool kind_matches(const config_setting_t *s, enum kind k)
{
	int t = config_setting_type(s);
	switch (k) {
	case K_STRING: return t == CONFIG_TYPE_STRING;
	case K_INT: return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
	case K_BOOL: return t == CONFIG_TYPE_BOOL;
	case K_GROUP: return t == CONFIG_TYPE_GROUP;
	case K_LIST_OF_GROUPS: return t == CONFIG_TYPE_LIST;
	case K_STRING_ARRAY: return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
	}
	return false;
}

static enum br_status bad(const char *file, const config_setting_t *s, char **why,
			  const char *what)
{
	const char *name = config_setting_name(s);
	return br_fail(why, BR_CONFIG, "%s:%u: %s%s%s", file, config_setting_source_line(s),
		       name ? name : "", name ? ": " : "", what);
}

/* Check every setting under group against the key table. */
static enum br_status check_keys(const char *file, const config_setting_t *group,
				 const struct key *keys, char **why)
{
	int n = config_setting_length(group);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		const struct key *k = keys;
		for (; k->name; k++)
			if (strcmp(k->name, "*") == 0 || (name && strcmp(k->name, name) == 0))
				break;
		if (!k->name)
			return bad(file, s, why, "unknown key");
		if (!kind_matches(s, k->kind)) {
			char msg[96];
			snprintf(msg, sizeof msg, "must be %s", kind_text(k->kind));
			return bad(file, s, why, msg);
		}
		if (k->kind == K_GROUP) {
			enum br_status st = check_keys(file, s, k->children, why);
			if (st != BR_OK)
				return st;
		} else if (k->kind == K_LIST_OF_GROUPS) {
			int m = config_setting_length(s);
			for (int j = 0; j < m; j++) {
				const config_setting_t *item = config_setting_get_elem(s, (unsigned)j);
				if (config_setting_type(item) != CONFIG_TYPE_GROUP)
					return bad(file, item, why, "each item must be a group { ... }");
				enum br_status st = check_keys(file, item, k->children, why);
				if (st != BR_OK)
					return st;
			}
		} else if (k->kind == K_STRING_ARRAY) {
			int m = config_setting_length(s);
			for (int j = 0; j < m; j++) {
				const config_setting_t *item = config_setting_get_elem(s, (unsigned)j);
				if (config_setting_type(item) != CONFIG_TYPE_STRING)
					return bad(file, item, why, "each item must be a string");
			}
		}
	}
	return BR_OK;
}

static long long get_int(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_INT64 ? config_setting_get_int64(s)
							   : config_setting_get_int(s);
}

/* ---- loading ----------------------------------------------------------- */

static enum br_status load_localities(struct br_config *cfg, const char *file,
				      const config_setting_t *list, char **why)
{
	int n = config_setting_length(list);
	if (n < 1)
		return bad(file, list, why, "at least one locality is needed");
	if (n > BR_MAX_LOCALITIES)
		return bad(file, list, why, "too many localities (16 at most)");
	cfg->n_localities = n;
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		struct br_locality_cfg *l = &cfg->localities[i];
		memset(l, 0, sizeof *l);
		const char *code = NULL, *name = NULL;
		if (!config_setting_lookup_string(g, "code", &code) ||
		    !config_setting_lookup_string(g, "name", &name))
			return bad(file, g, why, "a locality needs code and name");
		size_t cl = strlen(code);
		if (cl < 1 || cl > 8)
			return bad(file, g, why, "locality code must be 1 to 8 characters");
		for (const char *p = code; *p; p++)
			if (!(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9'))
				return bad(file, g, why, "locality code must be upper-case letters or digits");
		text_copy(l->code, sizeof l->code, code);
		text_copy(l->name, sizeof l->name, name);
		for (int j = 0; j < i; j++)
			if (strcmp(cfg->localities[j].code, code) == 0)
				return bad(file, g, why, "locality code appears twice");
		const config_setting_t *near = config_setting_get_member(g, "nearest");
		int m = near ? config_setting_length(near) : 0;
		if (m >= BR_MAX_LOCALITIES)
			return bad(file, near, why, "too many nearest localities");
		for (int j = 0; j < m; j++)
			text_copy(l->nearest[j], sizeof l->nearest[j],
				  config_setting_get_string_elem(near, (unsigned)j));
		l->n_nearest = m;
	}
	/* nearest must name known localities, other than itself */
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		for (int j = 0; j < cfg->localities[i].n_nearest; j++) {
			const char *c = cfg->localities[i].nearest[j];
			if (config_locality(cfg, c) < 0 || strcmp(c, cfg->localities[i].code) == 0) {
				char msg[96];
				snprintf(msg, sizeof msg, "nearest: \"%s\" is not another locality", c);
				return bad(file, g, why, msg);
			}
		}
	}
	return BR_OK;
}

/* A list of rate steps ({ from; pence; }, in date order) into steps[]. */
static enum br_status load_steps(const char *file, const config_setting_t *list, struct br_rate_step *steps, int *n,
				 char **why)
{
	int m = config_setting_length(list);
	if (m > BR_MAX_RATE_STEPS)
		return bad(file, list, why, "too many rate steps");
	for (int j = 0; j < m; j++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)j);
		const char *from = NULL;
		const config_setting_t *p = config_setting_get_member(g, "pence");
		if (!config_setting_lookup_string(g, "from", &from) || !p)
			return bad(file, g, why, "a rate step needs from and pence");
		int64_t day;
		if (date_parse(from, &day, NULL) != BR_OK)
			return bad(file, g, why, "from is not a date YYYY-MM-DD");
		long long pence = get_int(p);
		if (pence <= 0 || pence > 10000000)
			return bad(file, p, why, "must be a positive amount of pence");
		if (j > 0 && day <= steps[j - 1].from)
			return bad(file, g, why, "rate steps must be in date order");
		steps[j] = (struct br_rate_step){day, pence};
	}
	*n = m;
	return BR_OK;
}

static enum br_status load_rates(struct br_config *cfg, const char *file,
				 const config_setting_t *group, char **why)
{
	int n = config_setting_length(group);
	for (int i = 0; i < n; i++) {
		const config_setting_t *list = config_setting_get_elem(group, (unsigned)i);
		int svc = service_find(config_setting_name(list));
		if (svc < 0)
			return bad(file, list, why, "not a service code");
		enum br_status st = load_steps(file, list, cfg->framework_rates[svc], &cfg->n_framework_rates[svc], why);
		if (st != BR_OK)
			return st;
	}
	return BR_OK;
}

static enum br_status int_in(const char *file, const config_setting_t *s, long long lo,
			     long long hi, long long *out, char **why)
{
	long long v = get_int(s);
	if (v < lo || v > hi) {
		char msg[96];
		snprintf(msg, sizeof msg, "must be between %lld and %lld", lo, hi);
		return bad(file, s, why, msg);
	}
	*out = v;
	return BR_OK;
}

static enum br_status apply(struct br_config *cfg, const char *file, config_t *c, char **why)
{
	const config_setting_t *root = config_root_setting(c), *s;
	/* Demo is a property of the database (init --demo), never of a config:
	 * a config could otherwise turn on --as for a live database. */
	if ((s = config_lookup(c, "demo")))
		return bad(file, s, why, "not a config key: a demo is a property of the database, "
					 "made by 'brokerage-demo init --demo'");
	enum br_status st = check_keys(file, root, root_keys, why);
	long long v;
	if (st != BR_OK)
		return st;
	const char *str;
	if (config_lookup_string(c, "database", &str)) {
		if (!*str)
			return bad(file, config_lookup(c, "database"), why, "must not be empty");
		text_copy(cfg->database, sizeof cfg->database, str);
	}
	if (config_lookup_string(c, "witness_key", &str)) {
		if (!*str)
			return bad(file, config_lookup(c, "witness_key"), why, "must not be empty");
		text_copy(cfg->witness_key, sizeof cfg->witness_key, str);
	}
	if ((s = config_lookup(c, "busy_timeout_ms"))) {
		if ((st = int_in(file, s, 100, 600000, &v, why)) != BR_OK)
			return st;
		cfg->busy_timeout_ms = (int)v;
	}
	if (config_lookup_string(c, "timezone", &str))
		text_copy(cfg->timezone, sizeof cfg->timezone, str);
	if ((s = config_lookup(c, "localities")) &&
	    (st = load_localities(cfg, file, s, why)) != BR_OK)
		return st;
	if ((s = config_lookup(c, "approval.weekly_cost_pence"))) {
		int n = config_setting_length(s);
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			int svc = service_find(config_setting_name(e));
			if (svc < 0)
				return bad(file, e, why, "not a service code");
			if ((st = int_in(file, e, 0, 100000000, &v, why)) != BR_OK)
				return st;
			cfg->weekly_cost_limit[svc] = v;
		}
	}
	if ((s = config_lookup(c, "approval.residential_min_age"))) {
		if ((st = int_in(file, s, 18, 120, &v, why)) != BR_OK)
			return st;
		cfg->residential_min_age = (int)v;
	}
	if ((s = config_lookup(c, "framework_rates")) && (st = load_rates(cfg, file, s, why)) != BR_OK)
		return st;
	if ((s = config_lookup(c, "fnc_rates")) &&
	    (st = load_steps(file, s, cfg->fnc_rates, &cfg->n_fnc_rates, why)) != BR_OK)
		return st;
	if ((s = config_lookup(c, "units_max"))) {
		int n = config_setting_length(s);
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			int svc = service_find(config_setting_name(e));
			if (svc < 0)
				return bad(file, e, why, "not a service code");
			if ((st = int_in(file, e, 1, 10000, &v, why)) != BR_OK)
				return st;
			cfg->units_max[svc] = v;
		}
	}
	static const char *const urg[] = {"routine", "urgent", "emergency"};
	for (int i = 0; i < 3; i++) {
		char path[48];
		snprintf(path, sizeof path, "response_hours.%s", urg[i]);
		if ((s = config_lookup(c, path))) {
			if ((st = int_in(file, s, 1, 24 * 90, &v, why)) != BR_OK)
				return st;
			cfg->response_hours[i] = (int)v;
		}
	}
	if ((s = config_lookup(c, "respite.max_nights"))) {
		if ((st = int_in(file, s, 1, 9, &v, why)) != BR_OK)
			return st;
		cfg->respite_max_nights = (int)v;
	}
	if ((s = config_lookup(c, "retainer.share_pct"))) {
		if ((st = int_in(file, s, 0, 100, &v, why)) != BR_OK)
			return st;
		cfg->retainer_share_pct = (int)v;
	}
	if ((s = config_lookup(c, "retainer.days"))) {
		if ((st = int_in(file, s, 0, 365, &v, why)) != BR_OK)
			return st;
		cfg->retainer_days = (int)v;
	}
	if ((s = config_lookup(c, "requests.takeover_idle_minutes"))) {
		if ((st = int_in(file, s, 1, 60 * 24 * 90, &v, why)) != BR_OK)
			return st;
		cfg->takeover_idle_minutes = (int)v;
	}
	if ((s = config_lookup(c, "capacity_stale_days"))) {
		if ((st = int_in(file, s, 1, 366, &v, why)) != BR_OK)
			return st;
		cfg->capacity_stale_days = (int)v;
	}
	if ((s = config_lookup(c, "bank_holidays"))) {
		int n = config_setting_length(s);
		if (n > BR_MAX_HOLIDAYS)
			return bad(file, s, why, "too many bank holidays");
		for (int i = 0; i < n; i++) {
			const char *d = config_setting_get_string_elem(s, (unsigned)i);
			char *w = NULL;
			if (date_parse(d, &cfg->bank_holidays[i], &w) != BR_OK) {
				st = bad(file, s, why, w ? w : "bad date");
				free(w);
				return st;
			}
		}
		cfg->n_bank_holidays = n;
	}
	if ((s = config_lookup(c, "colours"))) {
		int n = config_setting_length(s);
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			const char *name = config_setting_name(e);
			int el = -1;
			for (int k = 0; k < COLOUR_COUNT; k++)
				if (strcmp(colour_names[k], name) == 0)
					el = k;
			if (el < 0)
				return bad(file, e, why, "not a screen element that takes a colour");
			const char *spec = config_setting_get_string(e);
			if (!config_colour_valid(spec))
				return bad(file, e, why, "colour must be \"fg/bg\" from black red green "
							  "yellow blue magenta cyan white default");
			text_copy(cfg->colours[el], sizeof cfg->colours[el], spec);
		}
	}
	return BR_OK;
}

/* A relative path in the config is taken from the config file's folder. */
static void resolve(char *file, size_t filesz, const char *path)
{
	if (file[0] == '/')
		return;
	const char *slash = strrchr(path, '/');
	if (!slash)
		return;
	char joined[PATH_MAX];
	int n = snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - path), path, file);
	if (n > 0 && (size_t)n < sizeof joined)
		text_copy(file, filesz, joined);
}

enum br_status config_load(struct br_config *cfg, const char *path, char **why)
{
	config_defaults(cfg);
	text_copy(cfg->path, sizeof cfg->path, path);
	FILE *f = fopen(path, "r");
	if (!f)
		return br_fail(why, BR_NOINPUT, "%s: cannot open the config file", path);
	struct stat sb, dir;
	if (priv_elevated()) {
		/* with the group's rights, trust only what root wrote, in a
		 * folder only root can change */
		char folder[PATH_MAX];
		path_folder(path, folder, sizeof folder);
		if (fstat(fileno(f), &sb) != 0 || sb.st_uid != 0 || (sb.st_mode & 022) ||
		    stat(folder, &dir) != 0 || dir.st_uid != 0 || (dir.st_mode & 022)) {
			fclose(f);
			return br_fail(why, BR_CONFIG, "%s: it or its folder is not root's, or others may "
						       "write it: refusing it (chown root; chmod go-w)", path);
		}
	}
	config_t c;
	config_init(&c);
	int ok = config_read(&c, f);
	fclose(f);
	enum br_status st = BR_OK;
	if (!ok) {
		st = br_fail(why, BR_CONFIG, "%s:%d: %s", path, config_error_line(&c),
			     config_error_text(&c));
		goto done;
	}
	st = apply(cfg, path, &c, why);
	if (st == BR_OK) {
		resolve(cfg->database, sizeof cfg->database, path);
		resolve(cfg->witness_key, sizeof cfg->witness_key, path);
	}
done:
	config_destroy(&c);
	return st;
}

int64_t config_fnc_rate(const struct br_config *cfg, int64_t day)
{
	int64_t rate = 0;
	for (int i = 0; i < cfg->n_fnc_rates; i++)
		if (cfg->fnc_rates[i].from <= day)
			rate = cfg->fnc_rates[i].pence;
	return rate;
}

int64_t config_framework_rate(const struct br_config *cfg, int service, int64_t day)
{
	if (service < 0 || service >= SERVICE_COUNT)
		return -1;
	int64_t rate = -1;
	for (int i = 0; i < cfg->n_framework_rates[service]; i++)
		if (cfg->framework_rates[service][i].from <= day)
			rate = cfg->framework_rates[service][i].pence;
	return rate;
}

int config_locality(const struct br_config *cfg, const char *code)
{
	for (int i = 0; code && i < cfg->n_localities; i++)
		if (strcmp(cfg->localities[i].code, code) == 0)
			return i;
	return -1;
}

bool config_colour_valid(const char *spec)
{
	static const char *const names[] = {"black", "red", "green", "yellow", "blue",
					    "magenta", "cyan", "white", "default"};
	if (!spec)
		return false;
	const char *slash = strchr(spec, '/');
	if (!slash)
		return false;
	bool fg = false, bg = false;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t n = strlen(names[i]);
		if ((size_t)(slash - spec) == n && strncmp(spec, names[i], n) == 0)
			fg = true;
		if (strcmp(slash + 1, names[i]) == 0)
			bg = true;
	}
	return fg && bg;
}
