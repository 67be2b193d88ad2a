/* clock.c — the clock: now (fixed for tests and demos), today, UTC stamps, UK local time. */
#include "clock.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- clock ------------------------------------------------------------ */

static time_t fixed_now;

time_t clock_now(void)
{
	return fixed_now ? fixed_now : time(NULL);
}

void clock_fix(time_t t)
{
	fixed_now = t;
}

int64_t clock_today(void)
{
	time_t t = clock_now();
	return (int64_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

void clock_stamp(time_t t, char out[21])
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = (int64_t)t - days * 86400;
	date_format(days, out);
	out[10] = 'T';
	date_put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	date_put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	date_put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
}

enum br_status clock_parse(const char *in, time_t *t, char **why)
{
	int64_t days;
	char date[11];
	if (!in || strlen(in) < 10)
		return br_fail(why, BR_DATA, "timestamp \"%s\" is not YYYY-MM-DDTHH:MM:SSZ",
			       in ? in : "");
	memcpy(date, in, 10);
	date[10] = '\0';
	enum br_status st = date_parse(date, &days, why);
	if (st != BR_OK)
		return st;
	if (in[10] == '\0') {
		*t = (time_t)(days * 86400);
		return BR_OK;
	}
	int hh, mm, ss;
	char z;
	if (strlen(in) != 20 || in[10] != 'T' ||
	    sscanf(in + 11, "%2d:%2d:%2d%c", &hh, &mm, &ss, &z) != 4 || z != 'Z' ||
	    hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return br_fail(why, BR_DATA, "timestamp \"%s\" is not YYYY-MM-DDTHH:MM:SSZ", in);
	*t = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return BR_OK;
}

void clock_local(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	if (!localtime_r(&t, &tm) || strftime(out, outsz, "%d %b %Y %H:%M", &tm) == 0)
		text_copy(out, outsz, "?");
}
