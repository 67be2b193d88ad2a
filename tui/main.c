/* main.c — read argv and hand over: a command to cli.c, none to the UI. */
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "cli.h"
#include "ui.h"

int main(int argc, char **argv)
{
	/* first: who gave us what rights, and a scrubbed environment */
	priv_init();
	struct cli_globals g = {NULL, NULL};
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(stdout);
			return 0;
		}
		if (strcmp(a, "--version") == 0) {
			printf("brokerage %s (schema %d)\n", BROKERAGE_VERSION, store_schema_latest());
			return 0;
		}
		if (strcmp(a, "--config") == 0 || strcmp(a, "--as") == 0) {
			if (i + 1 >= argc) {
				cli_error("brokerage: %s needs a value\n", a);
				return 64;
			}
			if (a[2] == 'c')
				g.config = argv[++i];
			else
				g.as = argv[++i];
			continue;
		}
		if (strncmp(a, "--config=", 9) == 0) {
			g.config = a + 9;
			continue;
		}
		if (strncmp(a, "--as=", 5) == 0) {
			g.as = a + 5;
			continue;
		}
		break;
	}
	if (i < argc) {
		if (!cli_known(argv[i])) {
			cli_error("brokerage: unknown command or option \"%s\" (see brokerage --help)\n",
				argv[i]);
			return 64;
		}
		return cli_run(&g, argc - i, argv + i);
	}
	return ui_main(&g);
}
