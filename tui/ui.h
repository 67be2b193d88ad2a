/* ui.h — the terminal UI entry point. */
#ifndef BR_UI_H
#define BR_UI_H

struct cli_globals;

/* Open the session, run the screens, restore the terminal; exit code. */
int ui_main(const struct cli_globals *g);

#endif
