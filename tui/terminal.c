/* terminal.c — $TERM asked before curses starts (issue 27, finding 6): a TERM
 * that is no terminal type is one line of ours and exit 78, never ncurses's
 * own "Error opening terminal" and exit 1 from inside initscr. term.h is
 * included here alone: its macros (lines, columns, ...) would rename the
 * fields of struct ui. */
#include "terminal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ncurses.h>
#include <term.h>

/* terminfo's longest names are some 30 characters (screen.xterm-256color) */
#define TERM_NAME_MAX 64

bool terminal_usable(char *why, size_t n)
{
	const char *t = getenv("TERM");
	if (!t || !*t) {
		snprintf(why, n, "TERM is not set: the screens need the terminal's type (such as xterm-256color)");
		return false;
	}
	size_t len = strlen(t);
	if (len > TERM_NAME_MAX) {
		snprintf(why, n, "TERM is %zu characters long: not a terminal type (%d at most, such as xterm-256color)",
			 len, TERM_NAME_MAX);
		return false;
	}
	/* a name, never a path: letters, digits and - . + _, not first a dot */
	bool name = isalnum((unsigned char)t[0]);
	for (const char *p = t; *p && name; p++)
		name = isalnum((unsigned char)*p) || strchr("-.+_", *p);
	if (!name) {
		snprintf(why, n, "TERM=\"%s\" is not a terminal type: %s", t,
			 strchr(t, '/') ? "a name such as xterm-256color, not a path"
					: "letters, digits and - . + _, such as xterm-256color");
		return false;
	}
	int err = 0;
	if (setupterm(t, STDOUT_FILENO, &err) != OK) {
		if (err == 1)
			snprintf(why, n, "TERM=\"%s\" is a hardcopy terminal: the screens cannot run on it", t);
		else if (err == -1)
			snprintf(why, n, "TERM=\"%s\": no terminfo database was found", t);
		else
			snprintf(why, n, "TERM=\"%s\" is not a terminal type this machine knows (terminfo has no entry)", t);
		return false;
	}
	del_curterm(cur_term);
	return true;
}
