/* store_witness.c — the audit chain's head sent to syslog, signed with
 * the witness key (a file of root's, never the database), off the commit
 * path. See store.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "privilege.h"
#include "store_impl.h"
#include "text.h"

/* ---- the witness of the audit chain's head ------------------------------ */

static store_witness_fn witness_fn;
static void *witness_ctx;

/* ---- the witness key: a file of root's, never the database -------------
 * The key that signs the heads is not in the database it protects (issue
 * 27, finding 2): whoever can change the database could put a key of
 * their own beside a cut chain and sign a head for its new end. It is a
 * file named by the config (witness_key, beside the config by default):
 * installed, /etc/brokerage/witness.key, 0640 root and the group, made by
 * root's init (or the package). With the group's rights only a file of
 * root's that no one else may write, in a folder only root can change, is
 * taken; a key anyone else could have written is no key. Each head says
 * which key signed it (key=, a 16-digit id), and the database keeps the id
 * of the key it was made with (meta.witness_key_id): a key swapped later,
 * even by root, is named by check. */

static void key_id_of(const unsigned char key[crypto_auth_KEYBYTES], char id[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, key, crypto_auth_KEYBYTES, NULL, 0);
	sodium_bin2hex(id, 17, h, sizeof h);
}

/* Read the key file; false with the problem in words. */
static bool read_key(const char *path, unsigned char key[crypto_auth_KEYBYTES], char *problem, size_t n)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(problem, n, "%s", errno == ENOENT ? "no key file (root's 'brokerage init' makes it)"
					   : errno == ELOOP ? "a symbolic link, not the key file"
							    : strerror(errno));
		return false;
	}
	struct stat sb, dir;
	char folder[PATH_MAX];
	path_folder(path, folder, sizeof folder);
	bool ok = false;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(problem, n, "not a regular file");
	} else if (sb.st_mode & 022) {
		snprintf(problem, n, "others may write it (chmod 0640)");
	} else if (priv_elevated() && (sb.st_uid != 0 || stat(folder, &dir) != 0 || dir.st_uid != 0 ||
				       (dir.st_mode & 022))) {
		snprintf(problem, n, "it or its folder is not root's, or others may change them");
	} else {
		char hex[2 * crypto_auth_KEYBYTES + 8];
		ssize_t got = read(fd, hex, sizeof hex - 1);
		if (got >= 2 * crypto_auth_KEYBYTES)
			hex[got] = '\0';
		size_t used = 0;
		if (got < 2 * crypto_auth_KEYBYTES ||
		    sodium_hex2bin(key, crypto_auth_KEYBYTES, hex, (size_t)got, "\n", &used, NULL) != 0 ||
		    used != crypto_auth_KEYBYTES)
			snprintf(problem, n, "not a witness key (%d hex digits and a newline)", 2 * crypto_auth_KEYBYTES);
		else
			ok = true;
		sodium_memzero(hex, sizeof hex);
	}
	close(fd);
	return ok;
}

void store_witness_key_use(struct store *s, const char *path)
{
	s->have_witness_key = false;
	s->witness_key_id[0] = '\0';
	s->witness_problem[0] = '\0';
	if (!path || !*path) {
		snprintf(s->witness_problem, sizeof s->witness_problem, "no witness key named");
		return;
	}
	char problem[200];
	if (!read_key(path, s->witness_key, problem, sizeof problem)) {
		snprintf(s->witness_problem, sizeof s->witness_problem, "%s: %s", path, problem);
		return;
	}
	key_id_of(s->witness_key, s->witness_key_id);
	s->have_witness_key = true;
}

const char *store_witness_key_id(const struct store *s) { return s->have_witness_key ? s->witness_key_id : NULL; }
const char *store_witness_problem(const struct store *s) { return s->witness_problem; }

/* Make the key file when there is none: the key an older database kept in
 * meta.witness_key if it has one (so the heads it signed still check),
 * else a new one; 0640, the database's group, made whole or not at all. */
static enum br_status write_key(const char *path, const unsigned char key[crypto_auth_KEYBYTES], gid_t group,
				char **why)
{
	char tmp[PATH_MAX + 16], hex[2 * crypto_auth_KEYBYTES + 2];
	snprintf(tmp, sizeof tmp, "%s.new", path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return br_fail(why, errno == EACCES || errno == EPERM ? BR_DENIED : BR_IO,
			       "%s: cannot make the witness key (%s): the key is root's to make: run 'brokerage init' "
			       "as root", path, strerror(errno));
	sodium_bin2hex(hex, sizeof hex, key, crypto_auth_KEYBYTES);
	size_t len = strlen(hex);
	hex[len++] = '\n';
	/* the group reads it (the installed program is setgid); a group the
	 * caller may not give is left as it is */
	if (group != (gid_t)-1 && fchown(fd, (uid_t)-1, group) != 0)
		group = (gid_t)-1;
	bool ok = fchmod(fd, group != (gid_t)-1 ? 0640 : 0600) == 0 && write(fd, hex, len) == (ssize_t)len &&
		  fsync(fd) == 0;
	sodium_memzero(hex, sizeof hex);
	if (close(fd) != 0)
		ok = false;
	if (!ok || link(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return br_fail(why, BR_IO, "%s: cannot make the witness key: %s", path, strerror(e));
	}
	unlink(tmp);
	return BR_OK;
}

enum br_status store_witness_key_make(struct store *s, const char *path, bool fresh, const char *login, char **why)
{
	if (sodium_init() < 0)
		return br_fail(why, BR_INTERNAL, "libsodium would not start");
	struct stat sb;
	bool made = false, moved = false;
	if (lstat(path, &sb) != 0) {
		unsigned char key[crypto_auth_KEYBYTES];
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'witness_key'", -1, &q, NULL) ==
			    SQLITE_OK &&
		    sqlite3_step(q) == SQLITE_ROW && sqlite3_column_bytes(q, 0) == 2 * crypto_auth_KEYBYTES &&
		    sodium_hex2bin(key, sizeof key, (const char *)sqlite3_column_text(q, 0), 2 * crypto_auth_KEYBYTES,
				   NULL, NULL, NULL) == 0)
			moved = true;
		else
			crypto_auth_keygen(key);
		sqlite3_finalize(q);
		struct stat db;
		gid_t group = stat(s->path, &db) == 0 ? db.st_gid : (gid_t)-1;
		enum br_status st = write_key(path, key, group, why);
		sodium_memzero(key, sizeof key);
		if (st != BR_OK)
			return st;
		made = true;
	}
	store_witness_key_use(s, path);
	if (!s->have_witness_key)
		return br_fail(why, BR_CONFIG, "%s: refusing it as the witness key", s->witness_problem);
	/* never in the database again; the id of the key it is made with */
	enum br_status st;
	if ((st = store_exec(s, "DELETE FROM meta WHERE key = 'witness_key'", why)) != BR_OK)
		return st;
	sqlite3_stmt *q;
	/* a key made now replaces the id of one that is not here (a database
	 * built elsewhere); the heads the old key signed still name it */
	int rc = sqlite3_prepare_v2(s->db,
				    made ? "INSERT OR REPLACE INTO meta VALUES ('witness_key_id', ?1)"
					 : "INSERT OR IGNORE INTO meta VALUES ('witness_key_id', ?1)",
				    -1, &q, NULL);
	if (rc != SQLITE_OK)
		return store_error(s, rc, "keeping the witness key's id", why);
	sqlite3_bind_text(q, 1, s->witness_key_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return store_error(s, rc, "keeping the witness key's id", why);
	/* a new database's key is part of making it; a key made or moved
	 * out for a database already in use is on the record */
	if (made && (moved || !fresh)) {
		char detail[PATH_MAX + 80];
		snprintf(detail, sizeof detail, "%s %s (key %s)", moved ? "moved out of the database to" : "made",
			 path, s->witness_key_id);
		return audit_append(s, login && *login ? login : "system", "witness.key", "config", "", detail, why);
	}
	return BR_OK;
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
	int n = s->have_witness_key
			? snprintf(line, sizeof line, "audit-head db=%s seq=%lld hash=%s key=%s", s->real_path,
				   s->witness_seq, hex, s->witness_key_id)
			: snprintf(line, sizeof line, "audit-head db=%s seq=%lld hash=%s", s->real_path, s->witness_seq, hex);
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
