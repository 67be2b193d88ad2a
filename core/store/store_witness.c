/* store_witness.c — the audit chain's head sent to syslog, signed with
 * the database's witness key, off the commit path. See store.h. */
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "store_impl.h"

/* ---- the witness of the audit chain's head ------------------------------ */

static store_witness_fn witness_fn;
static void *witness_ctx;

void store_load_witness_key(struct store *s)
{
	s->have_witness_key = false;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'witness_key'", -1, &q, NULL) != SQLITE_OK)
		return; /* no meta table yet: a database before schema 1 */
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 2 * crypto_auth_KEYBYTES &&
	    sodium_hex2bin(s->witness_key, sizeof s->witness_key, (const char *)sqlite3_column_text(q, 0),
			   2 * crypto_auth_KEYBYTES, NULL, NULL, NULL) == 0)
		s->have_witness_key = true;
	sqlite3_finalize(q);
}

bool store_witness_mac(const struct store *s, const char *line, char mac[2 * crypto_auth_BYTES + 1])
{
	if (!s->have_witness_key)
		return false;
	unsigned char m[crypto_auth_BYTES];
	crypto_auth(m, (const unsigned char *)line, strlen(line), s->witness_key);
	sodium_bin2hex(mac, 2 * crypto_auth_BYTES + 1, m, sizeof m);
	return true;
}

void store_set_witness(store_witness_fn fn, void *ctx)
{
	witness_fn = fn;
	witness_ctx = ctx;
}

void store_note_audit_head(struct store *s, long long seq, const unsigned char hash[32])
{
	s->head_seq = seq;
	memcpy(s->head_hash, hash, sizeof s->head_hash);
}

/* The witness is sent off the commit path: at most one line a second
 * while a process writes (WITNESS_EVERY_NS), the latest head each time,
 * and always the latest before the store closes (store_close) or when a
 * quiet session's tick finds one waiting (store_witness_due). A writer
 * killed outright may leave its last second unwitnessed; the chain in the
 * database is whole either way, and check --witness compares every head
 * that was sent. */
#define WITNESS_EVERY_NS 1000000000LL

void store_witness_head(struct store *s, bool now)
{
	if (s->witness_seq <= 0)
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long since = (long long)(t.tv_sec - s->witness_at.tv_sec) * 1000000000LL + (t.tv_nsec - s->witness_at.tv_nsec);
	if (!now && (s->witness_at.tv_sec || s->witness_at.tv_nsec) && since < WITNESS_EVERY_NS)
		return;
	s->witness_at = t;
	char hex[65];
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[s->witness_hash[i] >> 4];
		hex[2 * i + 1] = digits[s->witness_hash[i] & 15];
	}
	hex[64] = '\0';
	char line[PATH_MAX + 320];
	int n = snprintf(line, sizeof line, "audit-head db=%s seq=%lld hash=%s", s->real_path, s->witness_seq, hex);
	s->witness_seq = 0;
	if (s->have_witness_key && n > 0 && (size_t)n < sizeof line) {
		char mac[2 * crypto_auth_BYTES + 1];
		store_witness_mac(s, line, mac);
		snprintf(line + n, sizeof line - (size_t)n, " mac=%s", mac);
	}
	if (witness_fn) {
		witness_fn(witness_ctx, line);
		return;
	}
	openlog("brokerage", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
	/* the newline is dropped by syslog daemons; it keeps a raw capture
	 * of /dev/log one message a line */
	syslog(LOG_AUTHPRIV | LOG_NOTICE, "%s\n", line);
}

void store_witness_due(struct store *s)
{
	if (s)
		store_witness_head(s, false);
}

void store_witness_flush(struct store *s)
{
	if (s)
		store_witness_head(s, true);
}
