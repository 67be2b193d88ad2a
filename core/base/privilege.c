#include "privilege.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static gid_t real_gid, effective_gid;
static bool inited, elevated, dropped;
static int pretend = -1;

void priv_init(void)
{
	real_gid = getgid();
	effective_gid = getegid();
	elevated = false;
	if (effective_gid != real_gid && getuid() != 0) {
		elevated = true;
		int n = getgroups(0, NULL);
		if (n > 0) {
			gid_t *g = calloc((size_t)n, sizeof *g);
			if (g) {
				n = getgroups(n, g);
				for (int i = 0; i < n; i++)
					if (g[i] == effective_gid)
						elevated = false;
				free(g);
			}
		}
	}
	if (geteuid() != getuid())
		elevated = true; /* never installed setuid, but never trusting if it is */
	inited = true;
	if (elevated) {
		/* glibc already drops TMPDIR and friends for a setgid program;
		 * SQLite reads one more of its own. */
		unsetenv("SQLITE_TMPDIR");
	}
}

bool priv_elevated(void)
{
	if (pretend >= 0)
		return pretend != 0;
	if (!inited)
		priv_init();
	return elevated;
}

void priv_pretend(int e) { pretend = e; }

const char *priv_installed_config(void)
{
#ifdef BR_INSTALLED_CONFIG
	return BR_INSTALLED_CONFIG;
#else
	return NULL;
#endif
}

const char *priv_installed_datadir(void)
{
#ifdef BR_INSTALLED_DATADIR
	return BR_INSTALLED_DATADIR;
#else
	return NULL;
#endif
}

enum br_status priv_as_caller(char **why)
{
	if (!inited)
		priv_init();
	if (dropped)
		return br_fail(why, BR_INTERNAL, "already acting as the caller");
	if (getegid() != real_gid && setegid(real_gid) != 0)
		return br_fail(why, BR_INTERNAL, "cannot drop the group to write as you: %s",
			       strerror(errno));
	dropped = true;
	return BR_OK;
}

void priv_restore(void)
{
	if (!dropped)
		return;
	dropped = false;
	/* cannot fail (the saved set-group-ID is ours); if it did, the next
	 * read of the database would fail with a clear error, no more */
	if (getegid() != effective_gid && setegid(effective_gid) != 0)
		return;
}
