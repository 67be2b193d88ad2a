/* fuzz_cli.c — libFuzzer harness for the command line: each input is an
 * argument vector (arguments separated by NUL bytes), handed to the real
 * cli_run as `brokerage ARGS...`, with a config whose database does not
 * exist, so every command parses its options and then stops at the
 * session with a clear error. A usage error is fine; a crash, a leak or
 * undefined behaviour is not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core.h"
#include "cli.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char cfg[64];
static int devnull = -1, saved_stderr = -1;

static void cleanup(void)
{
	if (cfg[0])
		unlink(cfg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(cfg, sizeof cfg, "/tmp/brokerage-fuzz-cli-%d.cfg", (int)getpid());
	FILE *f = fopen(cfg, "w");
	if (!f)
		abort();
	fputs("database = \"/nonexistent/brokerage-fuzz.db\";\n", f);
	fclose(f);
	atexit(cleanup);
	/* what the commands print is not the point (libFuzzer's own report
	 * still goes to the real stderr, between runs) */
	if (!freopen("/dev/null", "w", stdout))
		abort();
	devnull = open("/dev/null", O_WRONLY);
	saved_stderr = dup(STDERR_FILENO);
	if (devnull < 0 || saved_stderr < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 2048)
		return 0;
	char *copy = malloc(size + 1);
	char *argv[64];
	int argc = 0;
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && argc < 63; i++) {
		argv[argc++] = copy + i;
		i += strlen(copy + i);
	}
	argv[argc] = NULL;
	struct cli_globals g = {cfg, NULL, NULL};
	/* the command (first word) must be one: main() refuses others before */
	if (argc > 0 && cli_known(argv[0]) && strcmp(argv[0], "init") != 0) {
		fflush(stderr);
		dup2(devnull, STDERR_FILENO);
		cli_run(&g, argc, argv);
		fflush(stdout);
		fflush(stderr);
		dup2(saved_stderr, STDERR_FILENO);
	}
	free(copy);
	return 0;
}
