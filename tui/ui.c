/* ui.c — placeholder until the terminal UI lands (issue 3). */
#include <stdio.h>

#include "cli.h"
#include "ui.h"

int ui_main(const struct cli_globals *g)
{
	(void)g;
	fprintf(stderr, "brokerage: the terminal UI is not in this build yet; give a command "
			"(see brokerage --help)\n");
	return 64;
}
