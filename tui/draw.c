/* draw.c — text in columns: sanitised, cut at a character, padded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* UTF-8 to wide characters after sanitising; returns the count. */
static int widen(const char *utf8, wchar_t *out, int max)
{
	char clean[1024];
	text_sanitise(utf8, clean, sizeof clean);
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	const char *p = clean;
	int n = 0;
	while (*p && n < max) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, p, strlen(p), &ps);
		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			/* not representable in this locale: show a stand-in */
			wc = L'?';
			len = 1;
			memset(&ps, 0, sizeof ps);
		}
		out[n++] = wc;
		p += len;
	}
	return n;
}

int text_width(const char *utf8)
{
	wchar_t w[512];
	int n = widen(utf8, w, 512), width = 0;
	for (int i = 0; i < n; i++) {
		int cw = wcwidth(w[i]);
		width += cw > 0 ? cw : 0;
	}
	return width;
}

int text_break(const char *utf8, int width)
{
	int used = 0, last_space = -1;
	const char *p = utf8;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	while (*p) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, p, strlen(p), &ps);
		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			len = 1;
			wc = L'?';
			memset(&ps, 0, sizeof ps);
		}
		int cw = wcwidth(wc);
		if (used + (cw > 0 ? cw : 0) > width)
			return last_space > 0 ? last_space : (int)(p - utf8);
		if (wc == L' ')
			last_space = (int)(p - utf8);
		used += cw > 0 ? cw : 0;
		p += len;
	}
	return (int)(p - utf8);
}

void draw_text(int y, int x, int width, const char *utf8, attr_t attr)
{
	if (width <= 0)
		return;
	wchar_t w[512];
	int n = widen(utf8 ? utf8 : "", w, 512), used = 0, i = 0;
	for (; i < n; i++) {
		int cw = wcwidth(w[i]);
		if (cw < 0)
			w[i] = L'?', cw = 1;
		if (used + cw > width)
			break;
		used += cw;
	}
	attr_t old_attrs;
	short old_pair;
	attr_get(&old_attrs, &old_pair, NULL);
	attrset(attr);
	mvaddnwstr(y, x, w, i);
	for (; used < width; used++)
		addch(' ');
	attr_set(old_attrs, old_pair, NULL);
}

void draw_fill(int y, int x, int width, attr_t attr)
{
	draw_text(y, x, width, "", attr);
}

void draw_box(int y, int x, int h, int w, attr_t attr)
{
	attr_t old_attrs;
	short old_pair;
	attr_get(&old_attrs, &old_pair, NULL);
	attrset(attr);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	for (int r = 1; r < h - 1; r++)
		mvhline(y + r, x + 1, ' ', w - 2);
	attr_set(old_attrs, old_pair, NULL);
}

int draw_wrapped(int y, int x, int width, int max_lines, int indent, const char *utf8, attr_t attr)
{
	const char *p = utf8 ? utf8 : "";
	int lines = 0;
	do {
		int room = width - (lines ? indent : 0);
		int cut = lines + 1 < max_lines ? text_break(p, room) : (int)strlen(p);
		if (cut == 0 && *p)
			cut = (int)strlen(p); /* nothing fits whole: cut it */
		char part[1024];
		snprintf(part, sizeof part, "%.*s", cut, p);
		draw_text(y + lines, x + (lines ? indent : 0), room, part, attr);
		lines++;
		p += cut;
		while (*p == ' ')
			p++;
	} while (*p && lines < max_lines);
	return lines;
}
