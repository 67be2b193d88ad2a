/* nhs.h — NHS numbers: normalised, checked (modulus 11), formatted. */
#ifndef BR_NHS_H
#define BR_NHS_H

#include <stdbool.h>

#include "status.h"

/* ---- NHS numbers ------------------------------------------------------ */

/* Normalise an NHS number typed with or without spaces ("999 123 4560")
 * into out[11] (ten digits). Checks length and the modulus 11 check digit:
 * weights 10..2 on the first nine digits, check = 11 - sum mod 11,
 * 11 -> 0, 10 -> invalid; ten of one digit (0000000000, 1111111111, ...)
 * pass the check but are never issued, so they are refused too. */
enum br_status nhs_normalise(const char *in, char out[11], char **why);
bool nhs_valid(const char *in);
/* The check digit for nine digits, or -1 when there is none (10). */
int nhs_check_digit(const char nine[9]);
/* "9991234560" -> "999 123 4560" into out[13]. */
void nhs_format(const char *ten, char out[13]);

#endif
