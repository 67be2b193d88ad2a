/* fuzz_config.c — libFuzzer harness for the config loader: each input is a
 * brokerage.cfg, read by the real config_load (libconfig, then the key
 * table, every type and range check). A refusal is fine; a crash, a leak
 * or undefined behaviour is not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void cleanup(void)
{
	if (path[0])
		unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/brokerage-fuzz-cfg-%d.cfg", (int)getpid());
		atexit(cleanup);
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	static struct br_config cfg; /* large: not on the stack */
	char *why = NULL;
	enum br_status st = config_load(&cfg, path, &why);
	if (st != BR_OK && (!why || !*why))
		abort(); /* every refusal says what and where */
	free(why);
	return 0;
}
