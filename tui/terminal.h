/* terminal.h — the terminal type, asked before curses starts. */
#ifndef BR_TERMINAL_H
#define BR_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>

/* True when $TERM names a terminal type terminfo has (the screens can
 * start on it); else false and why, one line, in why[n]. A TERM that is
 * empty, longer than a terminal type's name, or a path is refused before
 * terminfo is asked. */
bool terminal_usable(char *why, size_t n);

#endif
