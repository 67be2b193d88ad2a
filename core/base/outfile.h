/* outfile.h — a file the caller names on the command line (export --out,
 * backup FILE), written with the caller's own rights.
 *
 * The installed program holds the `brokerage` group, which may write the
 * database. A path from the caller is therefore opened, renamed and removed
 * with the group dropped (privilege.h), as a new file (O_EXCL) that is not
 * a symbolic link (O_NOFOLLOW), mode 0600 (records of people), never in the
 * database's folder or the live data directory, never over the database or
 * a file beside it. It is written as PATH.part and renamed into place when
 * whole, so a failed write leaves nothing half-done behind. */
#ifndef BR_OUTFILE_H
#define BR_OUTFILE_H

#include <limits.h>
#include <stdio.h>

#include "status.h"

struct outfile {
	FILE *f;                /* write here between open and commit */
	char path[PATH_MAX];
	char tmp[PATH_MAX + 8]; /* path.part */
};

/* Refuse what may not be written (see above), then create path.part.
 * db_path is the live database (may be NULL). */
enum br_status outfile_open(struct outfile *o, const char *path, const char *db_path, char **why);
/* Flush, sync and close, then rename into place (as the caller). On
 * failure the temporary file is removed. */
enum br_status outfile_commit(struct outfile *o, char **why);
/* Close and remove the temporary file (as the caller). Safe after commit. */
void outfile_abort(struct outfile *o);

/* The checks alone: BR_DENIED when path is one the program must not write
 * (in the database's folder or the live data directory, or the database
 * or one of its files under another name). */
enum br_status outfile_check(const char *path, const char *db_path, char **why);

#endif
