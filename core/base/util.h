/* util.h — the small value types of base/ in one include: NHS numbers
 * (nhs.h), money (money.h), dates (date.h), the clock (clock.h), text
 * (text.h). */
#ifndef BR_UTIL_H
#define BR_UTIL_H

#include "clock.h"
#include "date.h"
#include "money.h"
#include "nhs.h"
#include "text.h"

#endif
