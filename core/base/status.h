/* status.h — the one result type every core function returns.
 *
 * core/ never prints and never aborts on bad input: it returns a br_status and,
 * where the caller passed a `char **why`, a heap string saying what and where
 * (the caller frees it with free()). tui/ decides what to show and which exit
 * code to use (br_status_exit maps to sysexits.h). */
#ifndef BR_STATUS_H
#define BR_STATUS_H

#define BR_STATUS_LIST(X)                                                   \
	X(BR_OK,       0,  "ok")                                            \
	X(BR_USAGE,    64, "usage error")                                   \
	X(BR_DATA,     65, "bad data")                                      \
	X(BR_NOINPUT,  66, "no such input")                                 \
	X(BR_NOTFOUND, 65, "not found")                                     \
	X(BR_CONFLICT, 65, "conflict")                                      \
	X(BR_INTERNAL, 70, "internal error")                                \
	X(BR_IO,       74, "input/output error")                            \
	X(BR_BUSY,     75, "database busy, try again")                      \
	X(BR_DENIED,   77, "not allowed")                                   \
	X(BR_CONFIG,   78, "bad configuration")                             \
	X(BR_NOMEM,    71, "out of memory")

enum br_status {
#define X(name, code, text) name,
	BR_STATUS_LIST(X)
#undef X
	BR_STATUS_COUNT
};

/* Short English text for a status ("database busy, try again"). */
const char *br_status_text(enum br_status st);
/* The sysexits.h code the command line exits with for this status. */
int br_status_exit(enum br_status st);

/* Set *why (if why is not NULL) to a newly allocated formatted message,
 * freeing what it held. Returns st so callers can `return br_fail(...)`. */
enum br_status br_fail(char **why, enum br_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Free *p and set it to NULL; accepts NULL. */
void br_free_str(char **p);

#endif
