/* main.c — read argv and hand over: a command to cli.c, none to the UI. */
#include <stdio.h>

#include "core.h"
#include "cli.h"
#include "ui.h"

int main(int argc, char **argv)
{
	/* first: who gave us what rights, and a scrubbed environment */
	priv_init();
	struct cli_globals g = {NULL, NULL};
	int i = argc;
	int rc = cli_globals_parse(&g, argc, argv, &i);
	if (rc >= 0)
		return rc;
	if (i < argc)
		return cli_run(&g, argc - i, argv + i);
	return ui_main(&g);
}
