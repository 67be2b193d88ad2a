/* money.h — money in integer pence: formatted and parsed. */
#ifndef BR_MONEY_H
#define BR_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* ---- money: integer pence --------------------------------------------- */

/* 123456 -> "£1,234.56"; -5 -> "-£0.05". out needs 32 bytes. */
void money_format(int64_t pence, char *out, size_t outsz);
/* "£1,234.56", "1234.5", "1234" -> pence. Refuses junk, more than two
 * decimals, and amounts beyond £100,000,000. */
enum br_status money_parse(const char *in, int64_t *pence, char **why);

#endif
