#include "util.h"

#include <utf8proc.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- NHS numbers ------------------------------------------------------ */

int nhs_check_digit(const char nine[9])
{
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (nine[i] - '0') * (10 - i);
	int check = 11 - sum % 11;
	if (check == 11)
		return 0;
	if (check == 10)
		return -1;
	return check;
}

enum br_status nhs_normalise(const char *in, char out[11], char **why)
{
	size_t n = 0;
	out[0] = '\0';
	if (!in || !*in)
		return br_fail(why, BR_DATA, "NHS number is empty");
	for (const char *p = in; *p; p++) {
		if (*p == ' ')
			continue;
		if (!isdigit((unsigned char)*p))
			return br_fail(why, BR_DATA,
				       "NHS number \"%s\" has a character that is not a digit", in);
		if (n == 10)
			return br_fail(why, BR_DATA, "NHS number \"%s\" has more than 10 digits", in);
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n != 10)
		return br_fail(why, BR_DATA, "NHS number \"%s\" has %zu digits, not 10", in, n);
	int check = nhs_check_digit(out);
	if (check < 0 || check != out[9] - '0') {
		out[0] = '\0';
		return br_fail(why, BR_DATA, "NHS number \"%s\" fails the check digit", in);
	}
	return BR_OK;
}

bool nhs_valid(const char *in)
{
	char out[11];
	return nhs_normalise(in, out, NULL) == BR_OK;
}

void nhs_format(const char *ten, char out[13])
{
	if (strlen(ten) != 10) {
		text_copy(out, 13, ten);
		return;
	}
	snprintf(out, 13, "%.3s %.3s %.4s", ten, ten + 3, ten + 6);
}

/* ---- money ------------------------------------------------------------ */

void money_format(int64_t pence, char *out, size_t outsz)
{
	char digits[32];
	bool neg = pence < 0;
	uint64_t v = neg ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	uint64_t pounds = v / 100, p = v % 100;
	snprintf(digits, sizeof digits, "%" PRIu64, pounds);
	char grouped[48];
	size_t len = strlen(digits), j = 0;
	for (size_t i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(out, outsz, "%s\xc2\xa3%s.%02" PRIu64, neg ? "-" : "", grouped, p);
}

enum br_status money_parse(const char *in, int64_t *pence, char **why)
{
	const char *p = in;
	if (!p)
		return br_fail(why, BR_DATA, "amount is empty");
	while (*p == ' ')
		p++;
	if (strncmp(p, "\xc2\xa3", 2) == 0)
		p += 2;
	int64_t pounds = 0, frac = 0;
	int ndig = 0, nfrac = 0;
	for (; *p; p++) {
		if (*p == ',')
			continue;
		if (!isdigit((unsigned char)*p))
			break;
		pounds = pounds * 10 + (*p - '0');
		if (++ndig > 9)
			return br_fail(why, BR_DATA, "amount \"%s\" is too large", in);
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (++nfrac > 2)
				return br_fail(why, BR_DATA,
					       "amount \"%s\" has more than two decimal places", in);
			frac = frac * 10 + (*p - '0');
		}
		if (nfrac == 1)
			frac *= 10;
	}
	while (*p == ' ')
		p++;
	if (*p || (ndig == 0 && nfrac == 0))
		return br_fail(why, BR_DATA, "\"%s\" is not an amount of money", in);
	*pence = pounds * 100 + frac;
	return BR_OK;
}

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

/* Fixed-width digits, written by hand: this runs for every row written. */
static void put_digits(char *out, unsigned v, int width)
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
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d, 2);
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
	put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
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

/* ---- text ------------------------------------------------------------- */

/* Base letters for U+00C0..U+00FF and U+0100..U+017F; ' ' drops the char. */

/* Decode one UTF-8 sequence; returns its length (0 when invalid). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Letters that no Unicode decomposition takes to a base letter, as a
 * search in English is typed ("lukasz" finds Łukasz, "soren" Søren). */
static const char *fold_extra(int32_t cp)
{
	switch (cp) {
	case 0xe6: return "ae";   /* æ */
	case 0x153: return "oe";  /* œ */
	case 0xf8: return "o";    /* ø */
	case 0x142: return "l";   /* ł */
	case 0x111: return "d";   /* đ */
	case 0xf0: return "d";    /* ð */
	case 0xfe: return "th";   /* þ */
	case 0x127: return "h";   /* ħ */
	case 0x131: return "i";   /* ı */
	case 0x167: return "t";   /* ŧ */
	case 0x138: return "k";   /* ĸ */
	default: return NULL;
	}
}

void text_fold(const char *in, char *out, size_t outsz)
{
	if (outsz == 0)
		return;
	out[0] = '\0';
	/* invalid bytes become '?', which folding drops */
	char clean[1024];
	text_sanitise(in ? in : "", clean, sizeof clean);
	/* libutf8proc: compatibility decomposition, case folding and the marks
	 * stripped, for every script (Siân -> sian, Ægir -> aegir, Öztürk ->
	 * ozturk, Σοφία -> σοφια) */
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &mapped,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
					  UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	if (n < 0 || !mapped) {
		free(mapped);
		return; /* out of memory: an empty key matches nothing wrongly */
	}
	size_t j = 0;
	for (const utf8proc_uint8_t *p = mapped; *p;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
		if (len <= 0) {
			p++;
			continue;
		}
		const char *extra = fold_extra(cp);
		utf8proc_category_t cat = utf8proc_category(cp);
		bool keep = cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
			    cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LM ||
			    cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_ND ||
			    cat == UTF8PROC_CATEGORY_NL || cat == UTF8PROC_CATEGORY_NO;
		const char *bytes = extra ? extra : (const char *)p;
		size_t blen = extra ? strlen(extra) : (size_t)len;
		if ((extra || keep) && j + blen < outsz) {
			memcpy(out + j, bytes, blen);
			j += blen;
		} else if (extra || keep) {
			break; /* full: never half a character */
		}
		p += len;
	}
	out[j] = '\0';
	free(mapped);
}

/* Not to be shown as it is: bad UTF-8, a control (C0, DEL, C1), a line or
 * paragraph separator, or a bidirectional override (text that reads one way
 * and runs another). The one rule text_sanitise and text_clean_n share. */
static bool unsafe(size_t len, uint32_t cp)
{
	return len == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void text_sanitise(const char *in, char *out, size_t outsz)
{
	size_t j = 0;
	if (outsz == 0)
		return;
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	while (*s && j + 1 < outsz) {
		uint32_t cp;
		size_t len = utf8_decode(s, &cp);
		if (unsafe(len, cp)) {
			out[j++] = '?';
			s += len ? len : 1;
			continue;
		}
		if (j + len >= outsz)
			break;
		memcpy(out + j, s, len);
		j += len;
		s += len;
	}
	out[j] = '\0';
}

bool text_present(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return true;
	return false;
}

void text_copy(char *out, size_t outsz, const char *in)
{
	if (outsz == 0)
		return;
	if (!in)
		in = "";
	size_t n = strlen(in);
	if (n >= outsz) {
		n = outsz - 1;
		/* back off to a UTF-8 boundary */
		while (n > 0 && ((unsigned char)in[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, in, n);
	out[n] = '\0';
}

void path_folder(const char *path, char *out, size_t outsz)
{
	text_copy(out, outsz, path);
	char *slash = strrchr(out, '/');
	if (!slash)
		text_copy(out, outsz, ".");
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

void text_write_safe(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			fputc('?', out);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fputc('?', out); /* a C1 control, as UTF-8 */
			p++;
		} else {
			fputc(*p, out);
		}
	}
}

bool text_clean_n(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, &cp);
		if (unsafe(len, cp) || len > n - i)
			return false;
		i += len;
	}
	return true;
}

bool text_clean(const char *s)
{
	return s && strlen(s) < 256 && text_clean_n(s, strlen(s));
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
