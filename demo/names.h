/* names.h — the demo's name tables, built in from the names folder by
 * tools/embed-names.sh (build/gen/names.c). */
#ifndef BROKERAGE_NAMES_H
#define BROKERAGE_NAMES_H

struct name_weight {
	const char *name;
	int weight;
};

struct name_table {
	int decade; /* the first year of the decade of birth (given names); 0 for surnames */
	const struct name_weight *rows;
	int n;
};

extern const struct name_table names_surnames;
extern const struct name_table names_given[]; /* in order of decade */
extern const int names_given_count;

#endif
