/* respite_beds.h — the respite beds, a night at a time (DESIGN.md §2).
 *
 * Beds are counted a night at a time: a provider's respite capacity in a
 * locality (service RSP) is its number of beds, N; a booking holds one bed
 * for every night from its first to its last; a bed is free on a night when
 * fewer than N bookings cover it. "Tonight" before 6 a.m. (UK time) is
 * the night that began the evening before: at 3 a.m. it is still last night. */
#ifndef BR_RESPITE_BEDS_H
#define BR_RESPITE_BEDS_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct session;

/* The date of tonight's night (days since the epoch). */
int64_t respite_tonight(void);

struct respite_row {
	int64_t provider_id;
	char name[96];
	char locality[9];
	int rank;              /* 0 = the person's own locality, then nearest first */
	int beds, free_tonight;
	int64_t rate;          /* pence a night, in force tonight */
	char rating[24];
	char phone[24];
	char needs[40];        /* the needs it is registered for on respite: "LD AUT" */
};

/* Providers with a respite bed free tonight that are registered for the
 * person's primary need, active, nearest locality first. */
enum br_status respite_list(struct session *s, int64_t person_id, struct respite_row *rows, int max, int *n,
			    char **why);

/* Beds free at a provider in a locality on one night (inside or outside a
 * transaction). */
enum br_status respite_free(struct session *s, int64_t provider_id, const char *locality, int64_t night,
			    int *free, char **why);
/* The fewest beds free on any night from first to last (day numbers, at
 * most a year), and the first night with none (-1 when every night has
 * one): one read for the whole stay. */
enum br_status respite_beds(struct session *s, int64_t provider_id, const char *locality, int64_t first,
			    int64_t last, int *lowest, int64_t *first_full, char **why);

/* One bed a night per person (issue 26, finding 7): the person's other
 * booking (a respite call-off holding a bed) on any night from first to
 * last, besides call-off `self`; *other = 0 when there is none, else its id
 * and *night the first night they share. */
enum br_status respite_person_booked(struct session *s, int64_t request_id, int64_t self, int64_t first,
				     int64_t last, int64_t *other, int64_t *night, char **why);

#endif
