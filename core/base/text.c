/* text.c — text: folding for search, sanitising for a terminal, presence, copying at a character, a path's folder. */
#include "text.h"

#include <utf8proc.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
 * paragraph separator, or a bidirectional control (Unicode's Bidi_Control:
 * the marks, embeddings, overrides and isolates; text that reads one way
 * and runs another). The one rule text_sanitise and text_clean_n share. */
static bool bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static bool unsafe(size_t len, uint32_t cp)
{
	return len == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
	       cp == 0x2029 || bidi_control(cp);
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

/* Shows nothing: white space of any script (Unicode's space, line and
 * paragraph separators; ASCII's isspace) or a default-ignorable character
 * (zero-width space, joiners, the bidirectional controls, fillers). */
static bool shows_nothing(uint32_t cp)
{
	if (cp < 0x80)
		return isspace((int)cp);
	utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ||
	       utf8proc_get_property((utf8proc_int32_t)cp)->ignorable;
}

bool text_present(const char *s)
{
	if (!s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp;
		size_t len = utf8_decode(p, &cp);
		if (len == 0 || !shows_nothing(cp))
			return true; /* a bad byte is something: text_clean refuses it */
		p += len;
	}
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

/* Where the first character of the n bytes at s is unsafe (a newline
 * passes when lines): its offset, n when there is none. *cp gets it,
 * UINT32_MAX for a byte that is not UTF-8. */
static size_t first_unsafe(const char *s, size_t n, bool lines, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		*cp = UINT32_MAX;
		size_t len = utf8_decode(p + i, cp);
		if (len > n - i)
			*cp = UINT32_MAX;
		if (len > n - i || (unsafe(len, *cp) && !(lines && *cp == '\n')))
			return i;
		i += len;
	}
	return n;
}

bool text_clean_n(const char *s, size_t n)
{
	uint32_t cp;
	return first_unsafe(s, n, false, &cp) == n;
}

enum br_status text_check(const char *field, const char *s, size_t max, bool lines, char **why)
{
	size_t n = s ? strlen(s) : 0;
	if (max && n > max)
		return br_fail(why, BR_DATA, "%s is %zu characters: %zu at most", field, n, max);
	uint32_t cp;
	size_t at = first_unsafe(s ? s : "", n, lines, &cp);
	if (at == n)
		return BR_OK;
	if (cp == UINT32_MAX)
		return br_fail(why, BR_DATA, "%s is not UTF-8 (byte %zu)", field, at + 1);
	const char *what = cp == '\n' ? "a new line" : cp == 0x2028 || cp == 0x2029 ? "a line separator"
			 : cp < 0x20 || cp == 0x7f || cp < 0xa0 ? "a control character" : "a bidirectional control";
	return br_fail(why, BR_DATA, "%s has %s (U+%04" PRIX32 "): %s", field, what, cp,
		       lines ? "printable text and new lines only" : "one line of printable text only");
}

enum text_name text_name(const char *s, size_t max)
{
	if (!text_present(s))
		return TEXT_NAME_BLANK;
	size_t n = strlen(s);
	return n <= max && text_clean_n(s, n) ? TEXT_NAME_OK : TEXT_NAME_UNCLEAN;
}

bool text_clean(const char *s)
{
	return s && strlen(s) < 256 && text_clean_n(s, strlen(s));
}
