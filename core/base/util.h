/* util.h — small value types: NHS numbers, money, dates, clock, text folding. */
#ifndef BR_UTIL_H
#define BR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include "status.h"

/* ---- NHS numbers ------------------------------------------------------ */

/* Normalise an NHS number typed with or without spaces ("999 123 4560")
 * into out[11] (ten digits). Checks length and the modulus 11 check digit:
 * weights 10..2 on the first nine digits, check = 11 - sum mod 11,
 * 11 -> 0, 10 -> invalid. */
enum br_status nhs_normalise(const char *in, char out[11], char **why);
bool nhs_valid(const char *in);
/* The check digit for nine digits, or -1 when there is none (10). */
int nhs_check_digit(const char nine[9]);
/* "9991234560" -> "999 123 4560" into out[13]. */
void nhs_format(const char *ten, char out[13]);

/* ---- money: integer pence --------------------------------------------- */

/* 123456 -> "£1,234.56"; -5 -> "-£0.05". out needs 32 bytes. */
void money_format(int64_t pence, char *out, size_t outsz);
/* "£1,234.56", "1234.5", "1234" -> pence. Refuses junk, more than two
 * decimals, and amounts beyond £100,000,000. */
enum br_status money_parse(const char *in, int64_t *pence, char **why);

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

/* ---- the clock -------------------------------------------------------- */

/* Now, as seconds since the epoch. Tests and demo sessions may fix it with
 * clock_fix(); 0 returns to the wall clock. */
time_t clock_now(void);
void clock_fix(time_t t);
/* Today's date (UTC) as days since the epoch. */
int64_t clock_today(void);
/* UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void clock_stamp(time_t t, char out[21]);
/* Parse a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (or a bare date, midnight). */
enum br_status clock_parse(const char *in, time_t *t, char **why);
/* A UTC timestamp shown in UK local time: "22 Nov 2026 14:05" into out. */
void clock_local(time_t t, char *out, size_t outsz);

/* ---- text ------------------------------------------------------------- */

/* Fold a UTF-8 name for searching (libutf8proc): letters and digits of any
 * script, case folded, marks stripped, spaces and punctuation dropped
 * ("Siân O'Neill" -> "sianoneill", "Łukasz" -> "lukasz"). out gets at most
 * outsz-1 bytes, never half a character, and is always terminated. Stored
 * folds are remade when the folding changes (meta fold_version: init.c). */
void text_fold(const char *in, char *out, size_t outsz);
/* Copy in to out replacing every control character (C0, DEL, C1) and every
 * invalid UTF-8 byte with '?'. Valid multi-byte UTF-8 is kept whole or not
 * at all. Always terminates out. */
void text_sanitise(const char *in, char *out, size_t outsz);
/* Write s to out with every control character but newline and tab (C0,
 * DEL, and C1 as UTF-8) replaced by '?': text from the database or from
 * an argument never sends an escape sequence to someone's terminal. */
void text_write_safe(FILE *out, const char *s);
/* True when s is non-NULL and has something other than spaces. */
bool text_present(const char *s);
/* Printable as it is: text_sanitise would change nothing (at most 255 bytes). */
bool text_clean(const char *s);
/* The same for the n bytes at s, any length; s[n] must be '\0' (the
 * importer's fields). A NUL inside the n bytes is not clean. */
bool text_clean_n(const char *s, size_t n);
/* The folder part of a path: "." when it has none, "/" for a file at the
 * root. Always terminates out. */
void path_folder(const char *path, char *out, size_t outsz);
/* Copy with truncation at a UTF-8 boundary; always terminates. */
void text_copy(char *out, size_t outsz, const char *in);

#endif
