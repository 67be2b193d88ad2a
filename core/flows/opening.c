#include "opening.h"

#include "calloff.h"

enum br_status session_open(struct session **out, const char *config_path,
			    const char *as_login, char **why)
{
	enum br_status st = session_connect(out, config_path, as_login, why);
	if (st != BR_OK)
		return st;
	int activated;
	calloffs_activate_due(*out, &activated, NULL);
	return BR_OK;
}
