/* query_internal.h — the read side's shared helpers (query.c), for
 * query_people.c and query_providers.c only. */
#ifndef BR_QUERY_INTERNAL_H
#define BR_QUERY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* a statement built up in pieces; overflow: it did not fit (refused) */
struct sqlbuf {
	char s[4096];
	size_t n;
	bool overflow;
};

/* [lo, hi) bounds for a prefix: hi is lo with its last byte incremented.
 * Works for the ASCII keys we search on (folded names, digits, refs). */
void query_prefix_bounds(const char *prefix, char *lo, char *hi, size_t sz);
/* n rows of size bytes (a page read backwards) put in order */
void query_reverse_rows(void *rows, int n, size_t size);
void query_add(struct sqlbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
