/* workorder.h — the provider's work order for a call-off (DESIGN.md §2
 * "Call-off"): a plain-text page holding only what the provider needs. */
#ifndef BR_WORKORDER_H
#define BR_WORKORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

struct session;

/* The work order as plain text (a heap string the caller frees): the
 * person's name, postcode, date of birth and needs; the service, units,
 * start (and end) date and rate; the council's reference and contact. No
 * NHS number unless the package is NHS-funded (CHC or joint), no notes, no
 * history. Officers, supervisors and on-call. Writes nothing.
 *
 * A restricted person's work order holds the name and the reference only
 * (issue 26, findings 8 and 10), unless `breakglass` gives the reason for
 * reading the rest: workorder_write puts that on the record (person.breakglass)
 * before a byte is written. */
enum br_status workorder_text(struct session *s, int64_t calloff_id, const char *breakglass, char **text,
			      char **why);

/* Write it to `path` (a file the caller names: outfile.h, as the caller)
 * or, when path is NULL, to `out`; audited (workorder.write, entity
 * calloff) before a byte is written. */
/* Whether the call-off's person is restricted, so a face can ask for a
 * break-glass reason before it writes the work order (the same refusals
 * as workorder_text). */
enum br_status workorder_restricted(struct session *s, int64_t calloff_id, bool *restricted, char **why);
enum br_status workorder_write(struct session *s, int64_t calloff_id, const char *breakglass, const char *path,
			       FILE *out, char **why);

#endif
