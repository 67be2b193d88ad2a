/* start.c — read argv and hand over: a command to cli.c, none to the UI.
 * Shared by brokerage (tui/main.c) and brokerage-demo (demo/main.c). */
#include <malloc.h>
#include <stdio.h>

#include "core.h"
#include "cli.h"
#include "ui.h"

int cli_main(int argc, char **argv, init_demo_fn demo)
{
	/* first: who gave us what rights, and a scrubbed environment */
	priv_init();
	/* A fixed threshold: a large block (a match of several hundred
	 * providers) is mapped and given back when freed. glibc's moving
	 * threshold would put the next one in the heap, where it stays: about
	 * 1 MB of a session's 8 (issue 14). */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	struct cli_globals g = {NULL, NULL, demo};
	int i = argc;
	int rc = cli_globals_parse(&g, argc, argv, &i);
	if (rc >= 0)
		return rc;
	if (i < argc)
		return cli_run(&g, argc - i, argv + i);
	return ui_main(&g);
}
