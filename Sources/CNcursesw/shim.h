#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <ncursesw/curses.h>

/* Attribute macros Swift cannot import, as constants. */
static const attr_t CI_A_NORMAL = A_NORMAL;
static const attr_t CI_A_BOLD = A_BOLD;
static const attr_t CI_A_REVERSE = A_REVERSE;
static const attr_t CI_A_UNDERLINE = A_UNDERLINE;
static const attr_t CI_A_DIM = A_DIM;

/* Mutable globals Swift 6 refuses to read, behind functions. */
static inline WINDOW *ci_stdscr(void) { return stdscr; }
static inline WINDOW *ci_curscr(void) { return curscr; }
static inline int ci_colors(void) { return COLORS; }
static inline int ci_key_f(int n) { return KEY_F(n); }
static inline const char *ci_codeset(void) { return nl_langinfo(CODESET); }
#endif
