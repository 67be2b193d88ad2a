/* date.c — ISO dates (proleptic Gregorian): days, parsing, formatting, weekday, age, the date in words. */
#include "date.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- dates ------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil. */
int64_t date_days(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

enum br_status date_parse(const char *in, int64_t *days, char **why)
{
	if (!in || strlen(in) != 10 || in[4] != '-' || in[7] != '-')
		return br_fail(why, BR_DATA, "date \"%s\" is not YYYY-MM-DD", in ? in : "");
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)in[i]))
			return br_fail(why, BR_DATA, "date \"%s\" is not YYYY-MM-DD", in);
	int y = atoi(in), m = atoi(in + 5), d = atoi(in + 8);
	if (y < 1900 || y > 2199)
		return br_fail(why, BR_DATA, "date \"%s\": year out of range", in);
	if (m < 1 || m > 12)
		return br_fail(why, BR_DATA, "date \"%s\": no month %d", in, m);
	if (d < 1 || d > days_in_month(y, m))
		return br_fail(why, BR_DATA, "date \"%s\": no such day", in);
	*days = date_days(y, m, d);
	return BR_OK;
}

void date_put_digits(char *out, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(int64_t days, char out[11])
{
	int y, m, d;
	date_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		text_copy(out, 11, "0000-00-00");
		return;
	}
	date_put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	date_put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	date_put_digits(out + 8, (unsigned)d, 2);
	out[10] = '\0';
}

int date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int64_t w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int date_age(int64_t dob, int64_t on)
{
	int y1, m1, d1, y2, m2, d2;
	date_from_days(dob, &y1, &m1, &d1);
	date_from_days(on, &y2, &m2, &d2);
	int age = y2 - y1;
	if (m2 < m1 || (m2 == m1 && d2 < d1))
		age--;
	return age;
}

void date_words(int64_t days, enum date_words form, char *out, size_t outsz)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int y, m, d, ty, tm, td;
	date_from_days(days, &y, &m, &d);
	date_from_days(clock_today(), &ty, &tm, &td);
	static const char *const wdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	if (form == DATE_WEEKDAY)
		snprintf(out, outsz, "%s %d %s", wdays[date_weekday(days)], d, months[(m - 1) % 12]);
	else if (form == DATE_NO_YEAR || (form == DATE_YEAR_IF_OTHER && y == ty))
		snprintf(out, outsz, "%d %s", d, months[(m - 1) % 12]);
	else
		snprintf(out, outsz, "%d %s %d", d, months[(m - 1) % 12], y);
}

bool date_words_text(const char *iso, enum date_words form, char *out, size_t outsz)
{
	int64_t days;
	if (!iso || date_parse(iso, &days, NULL) != BR_OK) {
		text_copy(out, outsz, iso ? iso : "");
		return false;
	}
	date_words(days, form, out, outsz);
	return true;
}
