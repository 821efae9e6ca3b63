#ifndef COUTPUTGUARD_H
#define COUTPUTGUARD_H

/* Keeps a half-written output from outliving the process.

   While an output is being written, output_guard_arm records the temporary file that
   will replace it (or none, for a device, FIFO or socket written in place). If SIGINT,
   SIGTERM or SIGHUP arrives then, the handler installed by output_guard_install removes
   that temporary file, so the old output stays as it was, writes one line naming the
   output to stderr and ends the process: SIGINT with `interrupt_status`, SIGTERM and
   SIGHUP by re-raising the signal with its default action. Everything the handler does
   is async-signal-safe. A process that exits while an output is armed (the terminal UI
   quitting during an export) removes the temporary file on the way out. */

/* Installs the handlers for SIGINT, SIGTERM and SIGHUP, remembering the previous ones. */
void output_guard_install(int interrupt_status);

/* Puts the previous handlers back. */
void output_guard_uninstall(void);

/* Records the output being written: `label` names it in messages; `temporary_path` is
   the file to remove if the write is cut short, or NULL when writing in place. A label
   too long to keep is cut short, with "..." at the end. Returns 0, or -1 when the
   temporary path does not fit (nothing is armed then). One output at a time. */
int output_guard_arm(const char *label, const char *temporary_path);

/* The temporary file has just been created. Returns 0, or -1 when a signal or the exit
   already took over (its removal may have come before the file existed): the file is
   removed then, and must not be written. */
int output_guard_created(void);

/* The temporary file is about to be renamed over the output: from now on, a temporary file
   that is gone has become the output. */
void output_guard_committing(void);

/* The temporary file has become the output (or is gone): nothing to remove any more. */
void output_guard_disarm(void);

#endif
