/* demo_providers.c — demo providers: names, registrations, coverage,
 * rates, capacity and the real Care and Support at Home awards. */
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

static const char *const place_words[] = {
	"Mersey", "Wirral", "Dee", "Oxton", "Hilbre", "Leasowe", "Bidston", "Caldy",
	"Thurstaston", "Eastham", "Seacombe", "Liscard", "Prenton", "Upton", "Irby", "Greasby",
	"Heswall", "Bromborough", "Claughton", "Hoylake", "Meols", "Moreton", "Rock Ferry",
	"Tranmere", "Spital", "Bebington", "New Brighton", "Poulton", "Egremont", "Arrowe",
};
static const char *const describe_words[] = {
	"Community", "Independent", "Bright", "Compass", "Harbour", "Beacon", "Riverside",
	"Meadow", "Lighthouse", "Peninsula",
};
static const char *const noun_words[] = {
	"Care", "Support", "Living", "Lifestyles", "Pathways", "Horizons", "Homes",
	"Care Services", "Options", "Partnerships", "Futures", "Networks",
};
static const char *const suffix_words[] = {"Ltd", "CIC", "Trust", "Group", "LLP"};

#define N_PLACE (sizeof place_words / sizeof place_words[0])
#define N_DESCRIBE (sizeof describe_words / sizeof describe_words[0])
#define N_NOUN (sizeof noun_words / sizeof noun_words[0])
#define N_SUFFIX (sizeof suffix_words / sizeof suffix_words[0])

static const char *const suspension_reasons[] = {
	"Safeguarding concern: section 42 enquiry open",
	"CQC warning notice: embargo on new packages",
	"Embargo pending quality assurance review",
	"Missed calls under investigation",
};


/* A provider's yearly rate steps for a service, from April 2019. */
enum br_status demo_add_rates(struct gen *g, const struct gprov *p, int s, char **why)
{
	int y0, m0, d0;
	date_from_days(g->today, &y0, &m0, &d0);
	for (int y = 2019; y <= y0; y++) {
		int64_t from = date_days(y, 4, 1);
		if (from > g->today)
			break;
		sqlite3_bind_int64(g->ins_rate, 1, p->id);
		store_bind_text(g->ins_rate, 2, service_code(s));
		demo_bind_date(g->ins_rate, 3, from);
		sqlite3_bind_int64(g->ins_rate, 4, demo_rate_on(p, s, from));
		enum br_status st = demo_step(g, g->ins_rate, why);
		if (st)
			return st;
	}
	return BR_OK;
}

/* ---- providers ------------------------------------------------------------ */

static enum br_status insert_provider(struct gen *g, struct gprov *p, const char *name,
				      bool consortium, int64_t consortium_id, int status_kind,
				      char **why)
{
	sqlite3_stmt *st = g->ins_provider;
	char fold[96], cqc[24], phone[24];
	text_fold(name, fold, sizeof fold);
	snprintf(cqc, sizeof cqc, "1-%09lld", (long long)(100000000 + p->id * 7919 % 899999999));
	snprintf(phone, sizeof phone, "0151 %03d %04d", (int)rint_in(&g->r, 200, 699),
		 (int)rint_in(&g->r, 0, 9999));
	sqlite3_bind_int64(st, 1, p->id);
	store_bind_text(st, 2, name);
	store_bind_text(st, 3, fold);
	store_bind_text(st, 4, cqc);
	store_bind_text(st, 5, rating_text(p->rating));
	const char *status = status_kind == 1 ? "suspended" : status_kind == 2 ? "left" : "active";
	store_bind_text(st, 6, status);
	if (status_kind == 1) {
		store_bind_text(st, 7, suspension_reasons[rnext(&g->r) % 4]);
		demo_bind_date(st, 8, g->today - rint_in(&g->r, 2, 60));
	}
	if (status_kind == 2)
		demo_bind_date(st, 9, g->today - rint_in(&g->r, 30, 400));
	sqlite3_bind_int(st, 10, consortium);
	if (consortium_id)
		sqlite3_bind_int64(st, 11, consortium_id);
	store_bind_text(st, 12, phone);
	char email[96];
	snprintf(email, sizeof email, "referrals@%.40s.example", fold);
	store_bind_text(st, 13, email);
	store_bind_text(st, 14, demo_picker_pick(demo_given_for(g, date_days(1975, 7, 1)), rnext(&g->r)));
	p->active = status_kind == 0;
	return demo_step(g, st, why);
}

static enum br_status provider_children(struct gen *g, struct gprov *p, char **why)
{
	enum br_status st;
	char now[21];
	clock_stamp((time_t)(g->today * 86400), now);
	for (int s = 0; s < SERVICE_COUNT; s++) {
		if (!(p->services & (1u << s)))
			continue;
		for (int n = 0; n < NEED_COUNT; n++) {
			if (!(p->needs & (1u << n)))
				continue;
			sqlite3_bind_int64(g->ins_reg, 1, p->id);
			store_bind_text(g->ins_reg, 2, service_code(s));
			store_bind_text(g->ins_reg, 3, need_code(n));
			if ((st = demo_step(g, g->ins_reg, why)))
				return st;
		}
		if ((st = demo_add_rates(g, p, s, why)))
			return st;
		for (int l = 0; l < g->nloc; l++) {
			if (!(p->coverage & (1u << l)))
				continue;
			int64_t free;
			switch (s) {
			case SERVICE_HC: free = p->hc_tier[l] ? rint_in(&g->r, 40, 200) : rint_in(&g->r, 0, 60); break;
			case SERVICE_SL: case SERVICE_PBS: free = rint_in(&g->r, 0, 120); break;
			case SERVICE_RSP: free = rint_in(&g->r, 1, 6); break;
			case SERVICE_RES: case SERVICE_SHL: case SERVICE_REH: free = rint_in(&g->r, 0, 8); break;
			default: free = rint_in(&g->r, 0, 40); break;
			}
			if (p->hc_tier[l] == 0 && rchance(&g->r, 12))
				free = 0;
			sqlite3_bind_int64(g->ins_cap, 1, p->id);
			store_bind_text(g->ins_cap, 2, service_code(s));
			store_bind_text(g->ins_cap, 3, g->cfg->localities[l].code);
			sqlite3_bind_int64(g->ins_cap, 4, free);
			store_bind_text(g->ins_cap, 5, now);
			if ((st = demo_step(g, g->ins_cap, why)))
				return st;
		}
	}
	for (int l = 0; l < g->nloc; l++) {
		if (!(p->coverage & (1u << l)))
			continue;
		sqlite3_bind_int64(g->ins_cov, 1, p->id);
		store_bind_text(g->ins_cov, 2, g->cfg->localities[l].code);
		if ((st = demo_step(g, g->ins_cov, why)))
			return st;
	}
	return BR_OK;
}

int64_t demo_base_rate(struct rng *r, int svc)
{
	switch (svc) {
	case SERVICE_HC: return rint_in(r, 1480, 1720);      /* per hour */
	case SERVICE_SL: return rint_in(r, 1500, 1900);
	case SERVICE_PBS: return rint_in(r, 2200, 3400);
	case SERVICE_RES: return rint_in(r, 60000, 125000);  /* per week */
	case SERVICE_SHL: return rint_in(r, 35000, 55000);
	case SERVICE_REH: return rint_in(r, 90000, 160000);
	case SERVICE_DAY: return rint_in(r, 3500, 6500);     /* per session */
	case SERVICE_RSP: return rint_in(r, 12000, 26000);   /* per night */
	case SERVICE_ISP: return rint_in(r, 2500, 4000);
	default: return rint_in(r, 1800, 2600);
	}
}

/* The real Care and Support at Home providers (from 1 April 2019). */
static const char *const real_peripheral[] = {
	"Care Connect", "Castlerock Recruitment Group (CRG)", "ICARE GB", "ICARE Solutions",
	"Kare Plus", "Potens", "Prime Care", "Routes",
};

static enum br_status award(struct gen *g, int prov, const char *loc, const char *tier,
			    char **why)
{
	sqlite3_bind_int64(g->ins_award, 1, g->prov[prov].id);
	store_bind_text(g->ins_award, 2, "HC");
	store_bind_text(g->ins_award, 3, loc);
	store_bind_text(g->ins_award, 4, tier);
	return demo_step(g, g->ins_award, why);
}

enum br_status demo_make_providers(struct gen *g, char **why)
{
	int total = demo_count_providers(g);
	g->prov = calloc((size_t)total, sizeof *g->prov);
	if (!g->prov)
		return br_fail(why, BR_NOMEM, "out of memory building demo providers");
	g->nprov = total;
	unsigned all_loc = (1u << g->nloc) - 1, all_needs = (1u << NEED_COUNT) - 1;
	enum br_status st;
	/* 0 Premier Care, 1 WHCA, 2-4 its members, 5 Haven Care, 6 Carewatch, 7-14 peripheral */
	const char *fixed[] = {"Premier Care", "Wirral Home Care Alliance", "Community Caring",
			       "Professional Carers", "Aspire", "Haven Care", "Carewatch"};
	int loc_wal = config_locality(g->cfg, "WAL"), loc_bir = config_locality(g->cfg, "BIR");
	int loc_ww = config_locality(g->cfg, "WW"), loc_sw = config_locality(g->cfg, "SW");
	bool wirral = loc_wal >= 0 && loc_bir >= 0 && loc_ww >= 0 && loc_sw >= 0;
	for (int i = 0; i < 15; i++) {
		struct gprov *p = &g->prov[i];
		p->id = i + 1;
		p->services = 1u << SERVICE_HC;
		p->needs = all_needs;
		p->coverage = all_loc;
		p->rating = i % 5 == 3 ? RATING_RI : RATING_GOOD;
		p->base_rate[SERVICE_HC] = i < 7 ? 1560 : rint_in(&g->r, 1540, 1660);
		const char *name = i < 7 ? fixed[i] : real_peripheral[i - 7];
		if (i == 1)
			p->services = 1u << SERVICE_HC;
		if ((st = insert_provider(g, p, name, i == 1, (i >= 2 && i <= 4) ? 2 : 0, 0, why)))
			return st;
	}
	if (wirral) {
		/* Care and Support at Home awards, shared/reference/home-care-awards.csv */
		g->hc_award[loc_wal][0] = 0; g->hc_award[loc_wal][1] = 1;
		g->hc_award[loc_bir][0] = 0; g->hc_award[loc_bir][1] = 1;
		g->hc_award[loc_ww][0] = 1;  g->hc_award[loc_ww][1] = 5;
		g->hc_award[loc_sw][0] = 5;  g->hc_award[loc_sw][1] = 6;
	} else {
		for (int l = 0; l < g->nloc; l++) {
			g->hc_award[l][0] = l % 2 == 0 ? 0 : 5;
			g->hc_award[l][1] = l % 2 == 0 ? 1 : 6;
		}
	}
	for (int l = 0; l < g->nloc; l++) {
		for (int t = 0; t < 2; t++) {
			int pi = g->hc_award[l][t];
			g->prov[pi].hc_tier[l] = t + 1;
			if ((st = award(g, pi, g->cfg->localities[l].code, t == 0 ? "primary" : "secondary",
					why)))
				return st;
		}
	}
	for (int i = 7; i < 15; i++) {
		g->peripheral[g->nperipheral++] = i;
		for (int l = 0; l < g->nloc; l++)
			g->prov[i].hc_tier[l] = 3;
		if ((st = award(g, i, NULL, "peripheral", why)))
			return st;
	}
	/* the alliance's members deliver; their own coverage follows the award */
	for (int i = 0; i < 15; i++)
		if ((st = provider_children(g, &g->prov[i], why)))
			return st;
	demo_tick(g, "providers", 15);

	/* made-up providers on the complex care lots */
	static const int svc_weight[SERVICE_COUNT] = {8, 22, 14, 5, 12, 10, 4, 9, 3, 4};
	uint64_t space = N_PLACE * N_DESCRIBE * N_NOUN * N_SUFFIX, mult = 7919;
	for (int i = 15; i < total; i++) {
		struct gprov *p = &g->prov[i];
		p->id = i + 1;
		int nsvc = (int)rint_in(&g->r, 1, 3);
		for (int k = 0; k < nsvc; k++)
			p->services |= 1u << rweighted(&g->r, svc_weight, SERVICE_COUNT);
		if (i % 25 == 0)
			p->services |= 1u << SERVICE_RSP; /* enough respite beds everywhere */
		int nneed = (int)rint_in(&g->r, 1, 4);
		for (int k = 0; k < nneed; k++)
			p->needs |= 1u << rnext(&g->r) % NEED_COUNT;
		int ncov = (int)rint_in(&g->r, 1, g->nloc);
		for (int k = 0; k < ncov; k++)
			p->coverage |= 1u << rnext(&g->r) % (uint64_t)g->nloc;
		static const int rating_w[RATING_COUNT] = {6, 70, 17, 3, 4};
		p->rating = rweighted(&g->r, rating_w, RATING_COUNT);
		for (int s = 0; s < SERVICE_COUNT; s++)
			if (p->services & (1u << s))
				p->base_rate[s] = demo_base_rate(&g->r, s);
		uint64_t k = ((uint64_t)i * mult + 13) % space;
		char name[96];
		snprintf(name, sizeof name, "%s %s %s %s", place_words[k % N_PLACE],
			 describe_words[(k / N_PLACE) % N_DESCRIBE],
			 noun_words[(k / (N_PLACE * N_DESCRIBE)) % N_NOUN],
			 suffix_words[(k / (N_PLACE * N_DESCRIBE * N_NOUN)) % N_SUFFIX]);
		int status_kind = rchance(&g->r, 3) ? 1 : rchance(&g->r, 2) ? 2 : 0;
		if ((st = insert_provider(g, p, name, false, 0, status_kind, why)) ||
		    (st = provider_children(g, p, why)))
			return st;
		demo_tick(g, "providers", 1);
	}
	/* candidate lists for the history */
	for (int s = 0; s < SERVICE_COUNT; s++)
		for (int l = 0; l < g->nloc; l++)
			for (int n = 0; n < NEED_COUNT; n++) {
				int *list = malloc((size_t)total * sizeof *list), m = 0;
				if (!list)
					return br_fail(why, BR_NOMEM, "out of memory");
				for (int i = 0; i < total; i++) {
					const struct gprov *p = &g->prov[i];
					if ((p->services & (1u << s)) && (p->needs & (1u << n)) &&
					    (p->coverage & (1u << l)) && i != 1)
						list[m++] = i;
				}
				int *fit = realloc(list, (size_t)(m > 0 ? m : 1) * sizeof *list);
				g->cand[s][l][n] = fit ? fit : list;
				g->ncand[s][l][n] = m;
			}
	g->rep->providers = total;
	return BR_OK;
}
