/* world.c — the small world of providers, people and awards built by
 * hand for the brokerage tests (test_broker.c, test_approval.c, test_input.c,
 * test_respite.c, test_lifecycle.c), so every figure is known, and the
 * steps those tests share. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "world.h"

struct fixture fx;

/* Providers: 1 Premier (primary WAL), 2 Alliance (consortium: secondary WAL,
 * primary WW), 3 Community Caring (member of 2), 5 Haven (primary SW,
 * secondary WW), 8 and 9 peripheral, 20 registered on HC and SL in WAL,
 * 21 on SL only, 22 suspended, 23 covers BIR only, 24 rated Inadequate. */
void world_open(void)
{
	fx_open(&fx, 0, "officer");
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, cqc_rating, is_consortium, consortium_id) VALUES "
		"(1,'Premier Care','premiercare','Good',0,NULL),(2,'Wirral Home Care Alliance','wirralhomecarealliance','Good',1,NULL),"
		"(3,'Community Caring','communitycaring','Good',0,2),(5,'Haven Care','havencare','Good',0,NULL),"
		"(8,'Care Connect','careconnect','Good',0,NULL),(9,'Kare Plus','kareplus','Outstanding',0,NULL),"
		"(20,'Registered One','registeredone','Good',0,NULL),(21,'Spot Shop','spotshop','Good',0,NULL),"
		"(23,'Birkenhead Only','birkenheadonly','Good',0,NULL),(24,'Poor Care','poorcare','Inadequate',0,NULL);"
		"INSERT INTO provider(id, name, name_fold, cqc_rating, status, suspended_reason, suspended_on) VALUES "
		"(22,'Embargoed Ltd','embargoedltd','Good','suspended','Safeguarding concern','2026-11-01');"
		"INSERT INTO registration SELECT p.id, 'HC', n.code FROM provider p, need n WHERE p.id NOT IN (21);"
		"INSERT INTO registration SELECT p.id, 'SL', n.code FROM provider p, need n WHERE p.id IN (20, 21);"
		"INSERT INTO coverage SELECT p.id, l.code FROM provider p, locality l WHERE p.id NOT IN (23);"
		"INSERT INTO coverage VALUES (23, 'BIR');"
		"INSERT INTO capacity SELECT p.id, 'HC', l.code, 50, 'x' FROM provider p, locality l WHERE p.id NOT IN (21, 23);"
		"INSERT INTO capacity VALUES (23, 'HC', 'BIR', 50, 'x');"
		"INSERT INTO capacity SELECT p.id, 'SL', l.code, 10, 'x' FROM provider p, locality l WHERE p.id IN (20, 21);"
		"INSERT INTO rate SELECT p.id, 'HC', '2019-04-01', 1500 FROM provider p;"
		"INSERT INTO rate SELECT p.id, 'SL', '2019-04-01', 1700 FROM provider p WHERE p.id IN (20, 21);"
		"INSERT INTO rate VALUES (1, 'HC', '2026-04-01', 1550), (1, 'HC', '2027-01-01', 1600);"
		"INSERT INTO award(service, locality, provider_id, tier, valid_from) VALUES "
		"('HC','WAL',1,'primary','2019-04-01'),('HC','WAL',2,'secondary','2019-04-01'),"
		"('HC','WW',2,'primary','2019-04-01'),('HC','WW',5,'secondary','2019-04-01'),"
		"('HC','SW',5,'primary','2019-04-01'),('HC',NULL,8,'peripheral','2019-04-01'),"
		"('HC',NULL,9,'peripheral','2019-04-01');"
		"INSERT INTO service_user(id, ref, nhs_number, family_name, given_name, family_fold, given_fold, "
		"date_of_birth, locality, primary_need, created_at) VALUES "
		"(1,'SU1','9990000018','Jones','Siân','jones','sian','1980-05-01','WAL','LD','x'),"
		"(2,'SU2','9990000050','Hughes','Tom','hughes','tom','1950-05-01','WW','AUT','x'),"
		"(3,'SU3','9990000085','Price','Ann','price','ann','1990-05-01','WAL','LD','x');");
}

void world_close(void) { fx_close(&fx); }

int64_t world_request(const char *ref, const char *service, int64_t units, const char *start)
{
	struct request_input in = {.units = units, .asc_pct = -1};
	strcpy(in.user_ref, ref);
	strcpy(in.service, service);
	strcpy(in.start, start);
	strcpy(in.urgency, "routine");
	strcpy(in.funding, "ASC");
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(request_create(fx.s, &in, &id, &why), BR_OK, "%s", why ? why : "");
	return id;
}

enum br_status world_offer(int64_t req, int64_t provider, int64_t *id, char **why)
{
	int64_t dummy;
	return offer_create(fx.s, req, provider, NULL, id ? id : &dummy, why);
}

int64_t world_offer_ok(int64_t req, int64_t provider)
{
	int64_t id = 0;
	char *why = NULL;
	cr_assert_eq(world_offer(req, provider, &id, &why), BR_OK, "offer to %lld: %s", (long long)provider,
		     why ? why : "");
	return id;
}

void world_decline(int64_t offer_id)
{
	char *why = NULL;
	cr_assert_eq(offer_decline(fx.s, offer_id, DECLINE_NO_STAFF, NULL, &why), BR_OK, "%s", why ? why : "");
}


void world_as(const char *login)
{
	session_close(&fx.s);
	char *why = NULL;
	cr_assert_eq(session_open(&fx.s, fx.cfg, login, &why), BR_OK, "%s", why ? why : "");
}

/* 40 hours at £21 = £840 a week: above the £800 home care threshold */
int64_t world_expensive(void)
{
	fx_sql(&fx, "UPDATE rate SET pence = 2100 WHERE provider_id = 1;"
		    "UPDATE users SET approval_limit = 10000000 WHERE login = 'supervisor';"
		    "INSERT INTO users(login, name, role, approval_limit, created_at) VALUES "
		    "('supervisor2', 'S2', 'supervisor', 1000000, 'x')");
	int64_t r = world_request("SU1", "HC", 40, "2026-11-30"), co = 0;
	char *why = NULL;
	cr_assert_eq(offer_accept(fx.s, world_offer_ok(r, 1), &co, &why), BR_OK, "%s", why ? why : "");
	return co;
}

void world_respite(void)
{
	world_open();
	/* 40 has 2 beds in WAL, 41 one in BIR, 42 one in SW (registered for AUT
	 * only), 43 one in WW but suspended, 44 one in WW */
	fx_sql(&fx,
		"INSERT INTO provider(id, name, name_fold, phone) VALUES (40,'Wallasey Beds','wallaseybeds','0151 000 0040'),"
		"(41,'Birkenhead Beds','birkenheadbeds','0151 000 0041'),(42,'Autism Only','autismonly','0151 000 0042'),"
		"(44,'West Beds','westbeds','0151 000 0044');"
		"INSERT INTO provider(id, name, name_fold, status, suspended_reason, suspended_on) VALUES "
		"(43,'Closed Beds','closedbeds','suspended','Safeguarding','2026-11-01');"
		"INSERT INTO registration SELECT id, 'RSP', 'LD' FROM provider WHERE id IN (40,41,43,44);"
		"INSERT INTO registration VALUES (42, 'RSP', 'AUT');"
		"INSERT INTO capacity VALUES (40,'RSP','WAL',2,'x'),(41,'RSP','BIR',1,'x'),(42,'RSP','SW',1,'x'),"
		"(43,'RSP','WW',1,'x'),(44,'RSP','WW',1,'x');"
		"INSERT INTO rate SELECT id, 'RSP', '2019-04-01', 18000 FROM provider WHERE id BETWEEN 40 AND 44;"
		"INSERT INTO users(login, name, role, approval_limit, created_at) VALUES ('sup2','S','supervisor',100000000,'x');");
}
