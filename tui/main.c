/* main.c — the installed program: brokerage, with no demo generator
 * (a demo database is made by brokerage-demo, demo/main.c). */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, NULL);
}
