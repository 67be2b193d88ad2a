/* theme.c — colours by meaning, from the config; a monochrome scheme when
 * the terminal has no colour or NO_COLOR is set. Views never name a pair. */
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static attr_t attrs[COLOUR_COUNT];

static short colour_number(const char *name, size_t n)
{
	static const struct {
		const char *name;
		short c;
	} names[] = {{"black", COLOR_BLACK}, {"red", COLOR_RED},   {"green", COLOR_GREEN},
		     {"yellow", COLOR_YELLOW}, {"blue", COLOR_BLUE}, {"magenta", COLOR_MAGENTA},
		     {"cyan", COLOR_CYAN},   {"white", COLOR_WHITE}, {"default", -1}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == n && strncmp(names[i].name, name, n) == 0)
			return names[i].c;
	return -1;
}

static attr_t mono(enum br_colour c)
{
	switch (c) {
	case COLOUR_title:
	case COLOUR_status:
	case COLOUR_footer:
	case COLOUR_selection:
		return A_REVERSE;
	case COLOUR_heading:
	case COLOUR_tier_primary:
	case COLOUR_warning:
		return A_BOLD;
	case COLOUR_error:
		return A_BOLD | A_REVERSE;
	case COLOUR_suspended:
		return A_BOLD;
	case COLOUR_muted:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

void theme_init(struct ui *ui, const struct br_config *cfg)
{
	const char *no_color = getenv("NO_COLOR");
	ui->mono = (no_color && *no_color) || !has_colors();
	for (int c = 0; c < COLOUR_COUNT; c++)
		attrs[c] = mono((enum br_colour)c);
	if (ui->mono)
		return;
	start_color();
	use_default_colors();
	for (int c = 0; c < COLOUR_COUNT; c++) {
		const char *spec = cfg->colours[c];
		const char *slash = strchr(spec, '/');
		if (!slash)
			continue;
		short fg = colour_number(spec, (size_t)(slash - spec));
		short bg = colour_number(slash + 1, strlen(slash + 1));
		if (init_pair((short)(c + 1), fg, bg) == OK) {
			attr_t extra = c == COLOUR_heading || c == COLOUR_title ? A_BOLD : A_NORMAL;
			attrs[c] = COLOR_PAIR(c + 1) | extra;
		}
	}
}

attr_t theme(enum br_colour c)
{
	return (unsigned)c < COLOUR_COUNT ? attrs[c] : A_NORMAL;
}

attr_t theme_tier(const char *tier)
{
	if (!tier)
		return A_NORMAL;
	if (strcmp(tier, "primary") == 0)
		return theme(COLOUR_tier_primary);
	if (strcmp(tier, "secondary") == 0)
		return theme(COLOUR_tier_secondary);
	if (strcmp(tier, "peripheral") == 0)
		return theme(COLOUR_tier_peripheral);
	return A_NORMAL;
}
