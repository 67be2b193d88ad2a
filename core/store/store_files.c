/* store_files.c — the files of a database (the file, -wal, -shm and the
 * writers' queue -wq): made group-shared 0660 by init, and what check says
 * when one has drifted. See store.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "text.h"
#include "util.h"

static const char *const side_suffixes[] = {"", "-wal", "-shm", "-wq"};
#define N_SIDES (int)(sizeof side_suffixes / sizeof side_suffixes[0])

static gid_t folder_group(const char *db_path)
{
	char dir[PATH_MAX];
	path_folder(db_path, dir, sizeof dir);
	struct stat sb;
	return stat(dir, &sb) == 0 ? sb.st_gid : getegid();
}

enum br_status store_secure_files(const char *db_path, char **why)
{
	gid_t group = folder_group(db_path);
	for (int i = 0; i < N_SIDES; i++) {
		char f[PATH_MAX + 8];
		snprintf(f, sizeof f, "%s%s", db_path, side_suffixes[i]);
		struct stat sb;
		if (lstat(f, &sb) != 0)
			continue;
		if (!S_ISREG(sb.st_mode))
			return br_fail(why, BR_DATA, "%s: not a regular file; remove it", f);
		/* root gives the files to root and the folder's group; anyone
		 * else can only set the mode of what it owns */
		if (geteuid() == 0 && (sb.st_uid != 0 || sb.st_gid != group) && lchown(f, 0, group) != 0)
			return br_fail(why, BR_IO, "%s: cannot give it to root: %s", f, strerror(errno));
		if ((sb.st_mode & 07777) != 0660 && (geteuid() == 0 || sb.st_uid == geteuid()) &&
		    chmod(f, 0660) != 0)
			return br_fail(why, BR_IO, "%s: cannot make it 0660: %s", f, strerror(errno));
	}
	return BR_OK;
}

enum br_status store_files_before_open(const char *db_path, char **why)
{
	/* SQLite gives root's new -wal and -shm to the database's owner, and
	 * the owner's are the owner's already; anyone else's would be theirs */
	struct stat db;
	if (geteuid() == 0 || stat(db_path, &db) != 0 || db.st_uid == geteuid())
		return BR_OK;
	static const char *const made_by_sqlite[] = {"-wal", "-shm"};
	for (int i = 0; i < 2; i++) {
		char f[PATH_MAX + 8];
		snprintf(f, sizeof f, "%s%s", db_path, made_by_sqlite[i]);
		struct stat sb;
		if (lstat(f, &sb) != 0 && errno == ENOENT)
			return br_fail(why, BR_NOINPUT,
				       "%s is missing (removed at the close of a connection that did not keep it, "
				       "such as a plain sqlite3): it is not made again as your login; "
				       "as root, run 'brokerage init'", f);
	}
	return BR_OK;
}

void store_files_problems(const char *db_path, char *out, size_t outsz)
{
	out[0] = '\0';
	struct stat db;
	if (stat(db_path, &db) != 0)
		return;
	size_t used = 0;
	for (int i = 0; i < N_SIDES; i++) {
		char f[PATH_MAX + 8];
		snprintf(f, sizeof f, "%s%s", db_path, side_suffixes[i]);
		struct stat sb;
		const char *what = NULL;
		if (lstat(f, &sb) != 0) {
			/* a session's -wal and -shm are there by now; the queue
			 * is made by init alone, and a database shared with the
			 * group needs it (a private copy, a backup, does not) */
			if (strcmp(side_suffixes[i], "-wq") == 0 && errno == ENOENT && (db.st_mode & 0060))
				what = "missing (writers take turns by SQLite's busy handler alone)";
			else
				continue;
		} else if (!S_ISREG(sb.st_mode))
			what = "not a regular file";
		else if (sb.st_mode & 007)
			what = "open to every login on the server";
		else if ((sb.st_mode & 07777) != (db.st_mode & 07777))
			what = "another mode than the database's";
		else if (sb.st_gid != db.st_gid)
			what = "another group than the database's";
		else if (sb.st_uid != db.st_uid)
			what = "owned by another login than the database";
		if (what && used + 1 < outsz) {
			int n = snprintf(out + used, outsz - used, "%s%s: %s", used ? "; " : "", f, what);
			if (n > 0)
				used += (size_t)n;
		}
	}
}

/* ---- the damage mark ---------------------------------------------------- */

static void damage_path(const char *db_path, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s-damaged", db_path);
}

void store_damage_mark(const char *db_path, const char *what)
{
	char f[PATH_MAX + 16];
	damage_path(db_path, f, sizeof f);
	/* once: the first finding is the one that says when it began */
	int fd = open(f, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0660);
	if (fd < 0)
		return;
	char line[600], stamp[24];
	time_t now = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	int n = snprintf(line, sizeof line, "%s %s\n", stamp, what);
	if (n > 0 && write(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1) < 0)
		(void)0; /* the file alone is the mark; its words are a courtesy */
	fchmod(fd, 0660);
	close(fd);
}

bool store_damage_found(const char *db_path, char *what, size_t whatsz)
{
	char f[PATH_MAX + 16];
	damage_path(db_path, f, sizeof f);
	if (whatsz)
		what[0] = '\0';
	int fd = open(f, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno != ENOENT; /* there, but not readable or a link: still a mark */
	if (whatsz > 1) {
		char raw[600];
		ssize_t n = read(fd, raw, sizeof raw - 1);
		raw[n > 0 ? n : 0] = '\0';
		raw[strcspn(raw, "\n")] = '\0';
		text_sanitise(raw, what, whatsz);
	}
	close(fd);
	return true;
}

enum br_status store_damage_clear(const char *db_path, char **why)
{
	char f[PATH_MAX + 16];
	damage_path(db_path, f, sizeof f);
	if (unlink(f) != 0 && errno != ENOENT)
		return br_fail(why, BR_IO, "%s: cannot remove it: %s", f, strerror(errno));
	return BR_OK;
}
