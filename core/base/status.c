#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
	int code;
	const char *text;
} status_table[BR_STATUS_COUNT] = {
#define X(name, code, text) [name] = {code, text},
	BR_STATUS_LIST(X)
#undef X
};

const char *br_status_text(enum br_status st)
{
	if ((unsigned)st >= BR_STATUS_COUNT)
		return "unknown status";
	return status_table[st].text;
}

int br_status_exit(enum br_status st)
{
	if ((unsigned)st >= BR_STATUS_COUNT)
		return 70;
	return status_table[st].code;
}

enum br_status br_fail(char **why, enum br_status st, const char *fmt, ...)
{
	if (!why)
		return st;
	free(*why);
	*why = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return st;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return st;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*why = s;
	return st;
}

void br_free_str(char **p)
{
	if (!p)
		return;
	free(*p);
	*p = NULL;
}
