#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privilege.h"
#include "util.h"

/* The folder holding path, resolved; false when it cannot be. */
static bool folder_of(const char *path, char out[PATH_MAX])
{
	char dir[PATH_MAX];
	path_folder(path, dir, sizeof dir);
	return realpath(dir, out) != NULL;
}

static bool inside(const char *dir, const char *top)
{
	size_t n = strlen(top);
	if (strcmp(top, "/") == 0)
		return true;
	return strncmp(dir, top, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

static bool same_file(const struct stat *a, const char *path)
{
	struct stat b;
	return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

enum br_status outfile_check(const char *path, const char *db_path, char **why)
{
	if (!path || !*path)
		return br_fail(why, BR_USAGE, "no file named to write");
	char target_dir[PATH_MAX], db_dir[PATH_MAX], live[PATH_MAX];
	/* resolved with the program's rights: the caller may not see in */
	bool have_db_dir = db_path && folder_of(db_path, db_dir);
	const char *live_dir = priv_installed_datadir();
	bool have_live = live_dir && realpath(live_dir, live) != NULL;
	if (!folder_of(path, target_dir))
		return br_fail(why, BR_IO, "%s: cannot write: its folder does not exist", path);
	if (have_db_dir && strcmp(target_dir, db_dir) == 0)
		return br_fail(why, BR_DENIED, "%s: refusing to write in the database's folder", path);
	if (have_live && inside(target_dir, live))
		return br_fail(why, BR_DENIED, "%s: refusing to write in the data directory %s", path, live);
	/* the name itself, and what it leads to if it is a link */
	struct stat named[2];
	int n = 0;
	if (db_path && lstat(path, &named[n]) == 0)
		n++;
	if (db_path && stat(path, &named[n]) == 0)
		n++;
	static const char *const sides[] = {"", "-wal", "-shm", "-wq", "-journal"};
	for (int k = 0; k < n; k++)
		for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
			char side[PATH_MAX + 16];
			snprintf(side, sizeof side, "%s%s", db_path, sides[i]);
			if (same_file(&named[k], side))
				return br_fail(why, BR_DENIED, "%s: refusing to write over the database's own files",
					       path);
		}
	return BR_OK;
}

enum br_status outfile_open(struct outfile *o, const char *path, const char *db_path, char **why)
{
	memset(o, 0, sizeof *o);
	enum br_status st = outfile_check(path, db_path, why);
	if (st != BR_OK)
		return st;
	if (strlen(path) + 6 > sizeof o->tmp)
		return br_fail(why, BR_USAGE, "%s: the name is too long", path);
	text_copy(o->path, sizeof o->path, path);
	snprintf(o->tmp, sizeof o->tmp, "%s.part", path);
	if ((st = priv_as_caller(why)) != BR_OK)
		return st;
	int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int err = errno;
	priv_restore();
	if (fd < 0) {
		if (err == EEXIST)
			return br_fail(why, BR_IO, "%s: cannot write: %s is in the way (another copy "
						   "under way, or left over: remove it)", path, o->tmp);
		return br_fail(why, BR_IO, "%s: cannot write: %s", path, strerror(err));
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		outfile_abort(o);
		return br_fail(why, BR_NOMEM, "%s: out of memory", path);
	}
	return BR_OK;
}

enum br_status outfile_commit(struct outfile *o, char **why)
{
	enum br_status st = BR_OK;
	if (o->f) {
		int bad = fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0;
		int err = errno;
		if (fclose(o->f) != 0 && !bad) {
			bad = 1;
			err = errno;
		}
		o->f = NULL;
		if (bad)
			st = br_fail(why, BR_IO, "%s: writing failed: %s", o->path, strerror(err));
	}
	if (st == BR_OK && (st = priv_as_caller(why)) == BR_OK) {
		/* rename replaces a link at path, never what it points at */
		int rc = rename(o->tmp, o->path);
		int err = errno;
		priv_restore();
		if (rc != 0)
			st = br_fail(why, BR_IO, "%s: cannot rename into place: %s", o->path, strerror(err));
		else
			o->tmp[0] = '\0';
	}
	if (st != BR_OK)
		outfile_abort(o);
	return st;
}

void outfile_abort(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0] && priv_as_caller(NULL) == BR_OK) {
		unlink(o->tmp);
		priv_restore();
	}
	o->tmp[0] = '\0';
}
