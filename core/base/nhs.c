/* nhs.c — NHS numbers: normalised, checked (modulus 11), formatted. */
#include "nhs.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
	/* ten of one digit pass the check (the sum is 54 times the digit, so the
	 * check digit is the digit) but are never issued */
	size_t same = 1;
	while (same < 10 && out[same] == out[0])
		same++;
	if (same == 10) {
		out[0] = '\0';
		return br_fail(why, BR_DATA, "NHS number \"%s\" is never issued (ten of one digit)", in);
	}
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
