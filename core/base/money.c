/* money.c — money in integer pence: formatted and parsed. */
#include "money.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
