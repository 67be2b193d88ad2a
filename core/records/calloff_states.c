#include "calloff_states.h"

#include <string.h>

static const struct {
	const char *code;
	bool in[CG_COUNT];
} states[CS_COUNT] = {
#define X(id, code, holds, live, unstarted, running, placed, night, awaits, paused, _) \
	[CS_##id] = {code, {holds, live, unstarted, running, placed, night, awaits, paused}},
	CALLOFF_STATE_LIST(X, _)
#undef X
};

bool calloff_state_in(int st, enum calloff_group g)
{
	return st >= 0 && st < CS_COUNT && g >= 0 && g < CG_COUNT && states[st].in[g];
}

bool calloff_status_in(const char *code, enum calloff_group g)
{
	return calloff_state_in(calloff_state_find(code), g);
}

const char *calloff_state_code(int st) { return st >= 0 && st < CS_COUNT ? states[st].code : "?"; }

int calloff_state_find(const char *code)
{
	for (int i = 0; code && i < CS_COUNT; i++)
		if (strcmp(code, states[i].code) == 0)
			return i;
	return -1;
}
