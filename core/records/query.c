/* query.c — what the read side's lists share: prefix bounds for a keyset
 * search, a page read backwards put in order, the statement built up.
 * The lists: query_people.c (service users), query_providers.c. */
#include "query_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "query.h"
#include "util.h"

/* [lo, hi) bounds for a prefix: hi is lo with its last byte incremented.
 * Works for the ASCII keys we search on (folded names, digits, refs). */
void query_prefix_bounds(const char *prefix, char *lo, char *hi, size_t sz)
{
	text_copy(lo, sz, prefix);
	text_copy(hi, sz, prefix);
	size_t n = strlen(hi);
	if (n > 0)
		hi[n - 1] = (char)(hi[n - 1] + 1);
}

void query_reverse_rows(void *rows, int n, size_t size)
{
	char *a = rows, tmp[sizeof(struct provider_row) > sizeof(struct su_row)
				    ? sizeof(struct provider_row) : sizeof(struct su_row)];
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		memcpy(tmp, a + (size_t)i * size, size);
		memcpy(a + (size_t)i * size, a + (size_t)j * size, size);
		memcpy(a + (size_t)j * size, tmp, size);
	}
}

void query_add(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof b->s - b->n)
		b->overflow = true;
	else
		b->n += (size_t)w;
}
