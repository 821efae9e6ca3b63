#ifndef CTERMINALGUARD_H
#define CTERMINALGUARD_H

/* Remembers the terminal settings of `fd` as they are now (before curses changes them). */
void terminal_guard_save(int fd);

/* Installs handlers: SIGTERM, SIGHUP and SIGINT only record that they arrived (the UI loop
   polls terminal_guard_pending); SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE and SIGABRT restore
   the saved settings, leave the alternate screen, show the cursor and re-raise. */
void terminal_guard_install(void);

/* The first pending signal number since the last call, or 0. */
int terminal_guard_pending(void);

/* Restores the saved settings and the screen state, async-signal-safely. */
void terminal_guard_restore(void);

/* Puts the default handlers back. */
void terminal_guard_uninstall(void);

#endif
