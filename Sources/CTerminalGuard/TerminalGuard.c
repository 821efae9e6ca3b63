#include "CTerminalGuard.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved_settings;
static volatile sig_atomic_t have_saved = 0;
static volatile sig_atomic_t saved_fd = 0;
static volatile sig_atomic_t pending = 0;

static const int deferred_signals[] = { SIGTERM, SIGHUP, SIGINT };
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };

void terminal_guard_save(int fd) {
    if (tcgetattr(fd, &saved_settings) == 0) {
        saved_fd = fd;
        have_saved = 1;
    }
}

void terminal_guard_restore(void) {
    /* Reset attributes, leave the alternate screen, show the cursor, keypad off. */
    static const char sequence[] = "\033[0m\033[?1049l\033[?25h\033[?1l\033>";
    ssize_t ignored = write(STDOUT_FILENO, sequence, sizeof sequence - 1);
    (void)ignored;
    if (have_saved) {
        tcsetattr(saved_fd, TCSANOW, &saved_settings);
    }
}

static void on_deferred(int signal_number) {
    if (pending == 0) {
        pending = signal_number;
    }
}

static void on_fatal(int signal_number) {
    terminal_guard_restore();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void terminal_guard_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_deferred;
    for (size_t i = 0; i < sizeof deferred_signals / sizeof deferred_signals[0]; i++) {
        sigaction(deferred_signals[i], &action, NULL);
    }
    action.sa_handler = on_fatal;
    action.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        sigaction(fatal_signals[i], &action, NULL);
    }
}

int terminal_guard_pending(void) {
    int value = pending;
    pending = 0;
    return value;
}

void terminal_guard_uninstall(void) {
    for (size_t i = 0; i < sizeof deferred_signals / sizeof deferred_signals[0]; i++) {
        signal(deferred_signals[i], SIG_DFL);
    }
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        signal(fatal_signals[i], SIG_DFL);
    }
}
