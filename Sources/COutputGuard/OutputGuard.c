#include "COutputGuard.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { IDLE = 0, ARMED = 1, HANDLING = 2 };

static _Atomic int state = IDLE;
/* Only messages use the label: a longer one is cut short rather than refused. */
static char label[1024];
static char temporary_path[4096];
static volatile sig_atomic_t has_temporary = 0;
static _Atomic int committing = 0;
static volatile sig_atomic_t exit_status_on_interrupt = 2;
static volatile sig_atomic_t installed = 0;
static int exit_hook_registered = 0;

static const int guarded_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction previous[3];

static size_t length(const char *text) {
    size_t n = 0;
    while (text[n] != '\0') n++;
    return n;
}

static void say(const char *text) {
    size_t left = length(text);
    while (left > 0) {
        ssize_t written = write(STDERR_FILENO, text, left);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return;
        text += written;
        left -= (size_t)written;
    }
}

/* Removes the armed temporary file and tells what became of the output, after `what`
   ("cancelled", "terminated by SIGTERM", ...). Runs in a signal handler or at exit. */
static void settle(const char *what, int was_armed) {
    int saved_errno = errno;
    say("contact-import: ");
    say(what);
    if (!was_armed) {
        say("; nothing was written.\n");
    } else if (has_temporary) {
        /* Once the rename may have happened, a missing temporary file means it became the output. */
        int replaced = unlink(temporary_path) != 0 && errno == ENOENT && committing;
        say(" while writing ");
        say(label);
        say(replaced ? "; it had already been written.\n" : "; it was left as it was.\n");
    } else {
        say(" while writing ");
        say(label);
        say("; what reached it is incomplete.\n");
    }
    errno = saved_errno;
}

static void on_signal(int signal_number) {
    int expected = ARMED;
    int was_armed = 1;
    if (!atomic_compare_exchange_strong(&state, &expected, HANDLING)) {
        expected = IDLE;
        was_armed = 0;
        if (!atomic_compare_exchange_strong(&state, &expected, HANDLING)) {
            /* Another thread is already handling a signal and is about to end the process. */
            for (;;) pause();
        }
    }
    switch (signal_number) {
    case SIGINT: settle("error 517: cancelled", was_armed); break;
    case SIGTERM: settle("terminated by SIGTERM", was_armed); break;
    default: settle("ended by SIGHUP", was_armed); break;
    }
    if (signal_number == SIGINT) _exit(exit_status_on_interrupt);
    /* Die of the signal itself, so the parent sees what ended the process. */
    signal(signal_number, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signal_number);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    raise(signal_number);
    _exit(128 + signal_number);
}

static void on_exit_while_armed(void) {
    int expected = ARMED;
    if (atomic_compare_exchange_strong(&state, &expected, HANDLING)) {
        settle("the program ended", 1);
    }
}

void output_guard_install(int interrupt_status) {
    if (installed) return;
    exit_status_on_interrupt = interrupt_status;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof guarded_signals / sizeof guarded_signals[0]; i++) {
        sigaddset(&action.sa_mask, guarded_signals[i]);
    }
    action.sa_handler = on_signal;
    for (size_t i = 0; i < sizeof guarded_signals / sizeof guarded_signals[0]; i++) {
        sigaction(guarded_signals[i], &action, &previous[i]);
    }
    installed = 1;
}

void output_guard_uninstall(void) {
    if (!installed) return;
    for (size_t i = 0; i < sizeof guarded_signals / sizeof guarded_signals[0]; i++) {
        sigaction(guarded_signals[i], &previous[i], NULL);
    }
    installed = 0;
}

int output_guard_arm(const char *name, const char *temporary) {
    if (atomic_load(&state) != IDLE) return -1;
    if (temporary != NULL && strlen(temporary) >= sizeof temporary_path) return -1;
    size_t name_length = strlen(name);
    if (name_length < sizeof label) {
        memcpy(label, name, name_length + 1);
    } else {
        static const char ellipsis[] = "...";
        size_t kept = sizeof label - sizeof ellipsis;
        /* Cut at a character boundary: never before a UTF-8 continuation byte. */
        while (kept > 0 && ((unsigned char)name[kept] & 0xC0) == 0x80) kept--;
        memcpy(label, name, kept);
        memcpy(label + kept, ellipsis, sizeof ellipsis);
    }
    if (temporary != NULL) {
        memcpy(temporary_path, temporary, strlen(temporary) + 1);
        has_temporary = 1;
    } else {
        temporary_path[0] = '\0';
        has_temporary = 0;
    }
    committing = 0;
    if (!exit_hook_registered) {
        atexit(on_exit_while_armed);
        exit_hook_registered = 1;
    }
    atomic_store(&state, ARMED);
    return 0;
}

int output_guard_created(void) {
    if (atomic_load(&state) == ARMED) return 0;
    /* A signal or the exit took over after arming, perhaps before the file existed, so
       its removal may have missed it: remove it here, the process is ending. */
    if (has_temporary) unlink(temporary_path);
    return -1;
}

void output_guard_committing(void) {
    committing = 1;
}

void output_guard_disarm(void) {
    int expected = ARMED;
    atomic_compare_exchange_strong(&state, &expected, IDLE);
}
