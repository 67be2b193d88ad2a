/* query.h — the read side: lists for the screens, paged by keyset so that
 * no screen ever loads a whole table, and one record by id. */
#ifndef BR_QUERY_H
#define BR_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"
#include "store.h"

struct store;

/* ---- service users ----------------------------------------------------- */

struct su_filter {
	char text[64];      /* name, reference, NHS number or postcode; "" = any */
	char locality[9];   /* "" = any */
	char need[4];       /* primary or other need; "" = any */
	char status[10];    /* "" = any */
};

struct su_row {
	int64_t id;
	char ref[17];
	char nhs[11];
	char family[64];
	char given[64];
	char dob[11];
	char postcode[10];
	char locality[9];
	char primary_need[4];
	char other_needs[32];  /* "AUT;MH" */
	char status[10];
	char funding[6];
	bool forensic, restricted, direct_payment;
	bool s117, fnc;        /* Section 117 aftercare; assessed for funded nursing care */
	struct list_cursor key; /* this row's position */
};

/* How the text of a filter was read (shown to the person). */
enum su_text_kind { SU_TEXT_NONE, SU_TEXT_NHS, SU_TEXT_REF, SU_TEXT_POSTCODE, SU_TEXT_NAME };
enum su_text_kind su_text_kind(struct store *s, const char *text);
const char *su_text_kind_name(enum su_text_kind k);

/* Up to `limit` rows after (FORWARD) or before (BACKWARD) the cursor, in
 * list order either way. *n gets the count. */
enum br_status su_list(struct store *s, const struct su_filter *f, const struct list_cursor *at,
		       enum list_dir dir, struct su_row *rows, int limit, int *n, char **why);
/* A restricted person shows name and reference only until break-glass
 * (person_open with a reason): su_list rows come masked; su_get and
 * su_find_ref do not (core needs the facts), so a face that shows their
 * rows masks them first. */
void su_mask_restricted(struct su_row *r);
enum br_status su_get(struct store *s, int64_t id, struct su_row *row, char **why);
enum br_status su_find_ref(struct store *s, const char *ref, struct su_row *row, char **why);

/* ---- providers --------------------------------------------------------- */

struct provider_filter {
	char text[64];      /* part of the name */
	char service[4];
	char need[4];
	char locality[9];
	char tier[12];      /* primary secondary peripheral registered spot; "" = any */
	char status[10];
};

struct provider_row {
	int64_t id;
	char name[96];
	char cqc_location_id[24];
	char rating[24];
	char status[10];
	char consortium[96];    /* parent's name, "" when none */
	bool is_consortium;
	char tier[12];          /* best tier for the filter's service/locality, or "" */
	char suspended_reason[128];
	char suspended_on[11];
	char phone[24];
	struct list_cursor key;
};

enum br_status provider_list(struct store *s, const struct provider_filter *f,
			     const struct list_cursor *at, enum list_dir dir,
			     struct provider_row *rows, int limit, int *n, char **why);
enum br_status provider_get(struct store *s, int64_t id, struct provider_row *row, char **why);

/* Everything the provider detail screen shows. Owns its arrays. */
struct provider_award { char service[4]; char locality[9]; char tier[12]; char from[11]; char to[11];
			 int64_t id; };
struct provider_capacity { char service[4]; char locality[9]; int64_t free;
			   char reported[11]; /* the day it was reported; "" = not known */ };
struct provider_rate { char service[4]; char from[11]; int64_t pence; };
struct provider_reg { char service[4]; char need[4]; };
struct provider_member { int64_t id; char name[96]; };
/* someone the provider serves now (an active call-off): reference and name
 * only, so a restricted person shows no more than that */
struct provider_served { char ref[17]; char name[130]; char service[4]; int64_t units; int64_t calloff_id; };

struct provider_detail {
	struct provider_row p;
	char email[96];
	char contact[64];
	char postcode[10];
	char left_on[11];
	struct provider_reg *regs; int n_regs;
	char coverage[16][9]; int n_coverage;
	struct provider_award *awards; int n_awards;
	struct provider_capacity *capacity; int n_capacity;
	struct provider_rate *rates; int n_rates;
	struct provider_member *members; int n_members;
	struct provider_served *served; int n_served;
};

enum br_status provider_detail_get(struct store *s, int64_t id, struct provider_detail **out,
				   char **why);
void provider_detail_free(struct provider_detail **d);

#endif
