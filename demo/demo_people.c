/* demo_people.c — demo people: names by decade of birth, NHS numbers from
 * the 999 test range, needs, localities, a few deliberate near-twins. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "calloff_states.h"
#include "capacity.h"
#include "respite_beds.h"
#include "rules.h"
#include "store_internal.h"
#include "util.h"
#include "demo_internal.h"

/* A few deliberate near-duplicates (same name, dates of birth weeks apart)
 * for the duplicate warnings and the "several match" paths; the e2e tests
 * rely on the first ("Lloyd, Siân": two active, unrestricted people). */
static const struct {
	const char *family, *given;
} twin_names[] = {
	{"Lloyd", "Siân"}, {"O'Brien", "Seán"}, {"Wójcik", "Łukasz"}, {"Ó Briain", "Siobhán"},
	{"Nuñez", "Zoë"}, {"Jones", "Margaret"}, {"Hughes", "Rhys"}, {"Kelly", "Niamh"},
};
#define N_TWINS (int)(sizeof twin_names / sizeof twin_names[0])

static const char *const person_status_text[] = {"active", "closed", "deceased"};

/* ---- people ------------------------------------------------------------ */

/* The NHS number for the first k' >= k that makes a valid one; returns k'. */
static int64_t nhs_for(int64_t k, char out[11])
{
	/* 999 followed by a permutation of 0..999999, skipping check digit 10
	 * and what nhs_valid refuses besides (9999999999) */
	for (;; k++) {
		int64_t v = (k * 7919 + 104729) % 1000000;
		char ten[32];
		snprintf(ten, sizeof ten, "999%06lld", (long long)v);
		int c = nhs_check_digit(ten);
		if (c < 0)
			continue;
		ten[9] = (char)('0' + c);
		ten[10] = '\0';
		if (nhs_valid(ten)) {
			memcpy(out, ten, 11);
			return k;
		}
	}
}

struct twin {
	int stage;   /* 0 waiting for the first, 1 for the second, 2 done */
	int from;    /* the first may be this person or a later one */
	int64_t dob; /* the first's */
};

enum br_status demo_make_people(struct gen *g, char **why)
{
	int total = demo_count_people(g);
	g->people = calloc((size_t)total, sizeof *g->people);
	if (!g->people)
		return br_fail(why, BR_NOMEM, "out of memory building demo people");
	g->npeople = total;
	/* one near-duplicate pair for every thousand people, at least one */
	struct twin twins[N_TWINS];
	int ntwins = total / 1000 < 1 ? 1 : total / 1000 > N_TWINS ? N_TWINS : total / 1000;
	for (int k = 0; k < ntwins; k++)
		twins[k] = (struct twin){0, (int)((int64_t)k * total / ntwins) + 7, 0};
	static const int need_w[NEED_COUNT] = {30, 15, 22, 10, 18, 5};
	enum br_status st;
	int64_t nhs_k = 0;
	for (int i = 0; i < total; i++) {
		struct gperson *p = &g->people[i];
		int64_t id = i + 1;
		p->loc = (uint8_t)(rnext(&g->r) % (uint64_t)g->nloc);
		p->need = (uint8_t)rweighted(&g->r, need_w, NEED_COUNT);
		p->needs = (uint8_t)(1u << p->need);
		int others = (int)rint_in(&g->r, 0, 2);
		for (int k = 0; k < others; k++)
			p->needs |= (uint8_t)(1u << rnext(&g->r) % NEED_COUNT);
		int age = rchance(&g->r, 70) ? (int)rint_in(&g->r, 18, 64) : (int)rint_in(&g->r, 65, 96);
		int64_t dob = g->today - age * 365 - rint_in(&g->r, 0, 364);
		/* The history's ages come from the date drawn, even for a near-duplicate
		 * made weeks older below: otherwise an approval rule fired by age
		 * changes the random draws, and with them a seed's whole history. */
		p->dob = (int32_t)dob;
		p->status = rchance(&g->r, 90) ? PS_ACTIVE : rchance(&g->r, 80) ? PS_CLOSED : PS_DECEASED;
		int f = (int)rint_in(&g->r, 0, 99);
		p->funding = f < 75 ? PF_ASC : f < 90 ? PF_CHC : PF_JOINT;
		uint64_t family_draw = rnext(&g->r), given_draw = rnext(&g->r);
		char ref[17], nhs[11], ffold[96], gfold[96], postcode[10], pkey[10];
		snprintf(ref, sizeof ref, "SU%06d", i + 1);
		nhs_k = nhs_for(nhs_k, nhs) + 1;
		/* postcodes: the locality's districts (shared/reference/localities.csv) */
		static const char *const districts[4][4] = {
			{"CH44", "CH45", "CH46", "CH44"}, {"CH41", "CH42", "CH43", "CH41"},
			{"CH47", "CH48", "CH49", "CH61"}, {"CH60", "CH62", "CH63", "CH62"},
		};
		const char *district = districts[p->loc % 4][rnext(&g->r) % 4];
		snprintf(postcode, sizeof postcode, "%s %d%c%c", district, (int)rint_in(&g->r, 1, 9),
			 "ABDEFGHJLNPQRSTUWXYZ"[rnext(&g->r) % 20],
			 "ABDEFGHJLNPQRSTUWXYZ"[rnext(&g->r) % 20]);
		postcode_key(postcode, pkey, sizeof pkey);
		bool forensic = (p->need == NEED_MH || p->need == NEED_DD) && rchance(&g->r, 15);
		bool restricted = rchance(&g->r, 1);
		bool direct_payment = rchance(&g->r, 8);
		char phone[24];
		snprintf(phone, sizeof phone, "0151 %03d %04d", (int)rint_in(&g->r, 200, 699),
			 (int)rint_in(&g->r, 0, 9999));
		int64_t created_at = (g->today - rint_in(&g->r, 730, 3000)) * 86400;

		/* the name: drawn from the tables, or a near-duplicate's */
		const char *family = demo_picker_pick(&g->surnames, family_draw);
		const char *given = demo_picker_pick(demo_given_for(g, dob), given_draw);
		if (p->status == PS_ACTIVE && !restricted) {
			for (int k = 0; k < ntwins; k++) {
				struct twin *t = &twins[k];
				if (t->stage == 2 || i < t->from)
					continue;
				family = twin_names[k].family;
				given = twin_names[k].given;
				if (t->stage == 0) {
					t->dob = dob;
					t->from = i + 5;
				} else {
					dob = t->dob - 7 * (1 + (k * 3 + 1) % 6); /* weeks older */
				}
				t->stage++;
				break;
			}
		}
		text_fold(family, ffold, sizeof ffold);
		text_fold(given, gfold, sizeof gfold);
		sqlite3_stmt *q = g->ins_person;
		sqlite3_bind_int64(q, 1, id);
		store_bind_text(q, 2, ref);
		store_bind_text(q, 3, nhs);
		store_bind_text(q, 4, family);
		store_bind_text(q, 5, given);
		store_bind_text(q, 6, ffold);
		store_bind_text(q, 7, gfold);
		demo_bind_date(q, 8, dob);
		store_bind_text(q, 9, postcode);
		store_bind_text(q, 10, pkey);
		store_bind_text(q, 11, g->cfg->localities[p->loc].code);
		store_bind_text(q, 12, need_code(p->need));
		sqlite3_bind_int(q, 13, forensic);
		sqlite3_bind_int(q, 14, restricted);
		sqlite3_bind_int(q, 15, direct_payment);
		store_bind_text(q, 16, demo_funding_text[p->funding]);
		store_bind_text(q, 17, person_status_text[p->status]);
		store_bind_text(q, 18, phone);
		demo_bind_stamp(g, q, 19, created_at);
		if ((st = demo_step(g, q, why)))
			return st;
		for (int n = 0; n < NEED_COUNT; n++) {
			if (n == p->need || !(p->needs & (1u << n)))
				continue;
			sqlite3_bind_int64(g->ins_need, 1, id);
			store_bind_text(g->ins_need, 2, need_code(n));
			if ((st = demo_step(g, g->ins_need, why)))
				return st;
		}
		demo_tick(g, "service users", 1);
	}
	g->rep->service_users = total;
	return BR_OK;
}
