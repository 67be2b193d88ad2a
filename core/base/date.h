/* date.h — ISO dates (proleptic Gregorian): days, parsing, formatting, weekday, age, the date in words. */
#ifndef BR_DATE_H
#define BR_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* ---- dates: ISO 8601, proleptic Gregorian ------------------------------ */

/* Days since 1970-01-01 for a calendar date (any y/m/d, no validation). */
int64_t date_days(int y, int m, int d);
void date_from_days(int64_t days, int *y, int *m, int *d);
/* Parse "YYYY-MM-DD" strictly (real calendar date, years 1900..2199). */
enum br_status date_parse(const char *in, int64_t *days, char **why);
/* days -> "YYYY-MM-DD" into out[11]. */
void date_format(int64_t days, char out[11]);
/* A date in words, the one way every face writes it: "22 Nov 2026";
 * DATE_NO_YEAR "22 Nov"; DATE_YEAR_IF_OTHER the year only when it is not
 * this year's (clock_today); DATE_WEEKDAY "Sun 22 Nov" (a night). */
enum date_words { DATE_WITH_YEAR, DATE_NO_YEAR, DATE_YEAR_IF_OTHER, DATE_WEEKDAY };
void date_words(int64_t days, enum date_words form, char *out, size_t outsz);
/* The same from YYYY-MM-DD text; false (out holds the text as it was)
 * when it is not a date. */
bool date_words_text(const char *iso, enum date_words form, char *out, size_t outsz);
/* 0 = Monday .. 6 = Sunday. */
int date_weekday(int64_t days);
/* Whole years between a date of birth and a day. */
int date_age(int64_t dob, int64_t on);
/* v as width digits, zero-padded, into out (not terminated): written by
 * hand, as it runs for every row written (the clock's stamps too). */
void date_put_digits(char *out, unsigned v, int width);

#endif
