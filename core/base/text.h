/* text.h — text: folding for search, sanitising for a terminal, presence, copying at a character, a path's folder. */
#ifndef BR_TEXT_H
#define BR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

/* ---- text ------------------------------------------------------------- */

/* Fold a UTF-8 name for searching (libutf8proc): letters and digits of any
 * script, case folded, marks stripped, spaces and punctuation dropped
 * ("Siân O'Neill" -> "sianoneill", "Łukasz" -> "lukasz"). out gets at most
 * outsz-1 bytes, never half a character, and is always terminated. Stored
 * folds are remade when the folding changes (meta fold_version: init.c). */
void text_fold(const char *in, char *out, size_t outsz);
/* Copy in to out replacing every control character (C0, DEL, C1) and every
 * invalid UTF-8 byte with '?'. Valid multi-byte UTF-8 is kept whole or not
 * at all. Always terminates out. */
void text_sanitise(const char *in, char *out, size_t outsz);
/* Write s to out with every control character but newline and tab (C0,
 * DEL, and C1 as UTF-8) replaced by '?': text from the database or from
 * an argument never sends an escape sequence to someone's terminal. */
void text_write_safe(FILE *out, const char *s);
/* True when s is non-NULL and has something that shows: not only white
 * space of any script (U+00A0, U+3000 ...) or characters that show nothing
 * (Unicode's default-ignorable: zero-width space, the bidirectional
 * controls ...). */
bool text_present(const char *s);
/* Printable as it is: text_sanitise would change nothing (at most 255 bytes). */
bool text_clean(const char *s);
/* The same for the n bytes at s, any length; s[n] must be '\0' (the
 * importer's fields). A NUL inside the n bytes is not clean. */
bool text_clean_n(const char *s, size_t n);
/* A name, wherever one is taken (a person's, a provider's, a user's; the
 * forms, the command line and the imports): TEXT_NAME_BLANK when nothing
 * in it shows (text_present), TEXT_NAME_UNCLEAN when text_clean would
 * refuse it (a control, a bidirectional control, bad UTF-8) or it is over
 * max bytes. The caller words the refusal for its field. */
enum text_name { TEXT_NAME_OK, TEXT_NAME_BLANK, TEXT_NAME_UNCLEAN };
enum text_name text_name(const char *s, size_t max);
/* Free text a person typed on either face (a note, a reason): what
 * text_clean refuses (a control character, a bidirectional control, bad
 * UTF-8) is refused, but a newline where the field may have lines (notes;
 * a reason is one line); more than max bytes too (0: no limit of its own).
 * NULL and "" pass: whether the field is needed is the caller's. BR_DATA
 * names the field and the character in one line: "--reason has a control
 * character (U+001B): one line of printable text only". */
enum br_status text_check(const char *field, const char *s, size_t max, bool lines, char **why);
/* The folder part of a path: "." when it has none, "/" for a file at the
 * root. Always terminates out. */
void path_folder(const char *path, char *out, size_t outsz);
/* Copy with truncation at a UTF-8 boundary; always terminates. */
void text_copy(char *out, size_t outsz, const char *in);

#endif
