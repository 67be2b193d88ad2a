/* main.c — brokerage-demo: the program with the demo generator, for a
 * source tree (make run, make demo, the tests and the bench). Never
 * installed: `make install` and the Debian package ship brokerage alone. */
#include "cli.h"
#include "demo.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, demo_build);
}
