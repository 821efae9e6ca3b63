"""Peak memory of a book of a million tiny contacts (a 3 MB CSV of `a,` rows): it must stay
within three times the size of the contacts held, plus what the same command takes for a
single row. What a contact held costs is pinned by `PackedContactSizeTests`: at most 64
bytes packed (80 as the allocator hands them out) and its 8-byte reference in the list.

`import --merge` holds every contact until the end (to find the duplicates), so it meets
the bound in full. `import` and `convert` pass contacts from the reader to the writer as
they come and hold few at a time, so for them the bound is loose: it catches a return of
the days when the whole book was held, which the hardening issue measured at 767 MB.

The peak is the process's own maximum resident size, as the kernel reports it to `wait4`.
"""
import os
import signal
import subprocess
import threading

import pytest

BIN = os.environ.get("CONTACT_IMPORT_BIN")
ROWS = 1_000_000
HELD_PER_CONTACT = 80 + 8
# A debug build converts the million rows in about 10 s on a quiet 2-core machine.
DEADLINE = 300


def write_book(path, rows):
    with open(path, "w") as book:
        book.write("Name,Email\n")
        book.write("a,\n" * rows)


def peak_of(arguments, folder):
    """Runs the command to its end in `folder`; its peak resident size in bytes. Fails with
    the command's stderr when it does not end well within the deadline."""
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({"HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config"), "LANG": "C.UTF-8"})
    with open(folder / "stderr", "w+") as stderr:
        process = subprocess.Popen([BIN] + arguments, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        timer = threading.Timer(DEADLINE, lambda: os.kill(process.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        assert process.returncode == 0, f"{arguments}: status {process.returncode}\n{stderr.read()[-2000:]}"
    # Linux reports ru_maxrss in kilobytes.
    return usage.ru_maxrss * 1024


def lines_of(path):
    with open(path, encoding="utf-8") as text:
        return sum(1 for _ in text)


COMMANDS = {
    "import": lambda book, out: ["import", "--service", "file", "--file", book, "--output", f"{out}.csv"],
    "import --merge": lambda book, out: ["import", "--service", "file", "--file", book, "--merge",
                                         "--output", f"{out}.csv"],
    "convert": lambda book, out: ["convert", book, f"{out}.csv"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_million_tiny_rows_stay_within_three_times_the_contacts_held(tmp_path, command):
    write_book(tmp_path / "one.csv", 1)
    write_book(tmp_path / "tiny.csv", ROWS)
    assert os.path.getsize(tmp_path / "tiny.csv") == 11 + 3 * ROWS
    base = peak_of(COMMANDS[command]("one.csv", "one-out"), tmp_path)
    peak = peak_of(COMMANDS[command]("tiny.csv", "tiny-out"), tmp_path)
    # Every contact was written: a header line and a line each.
    assert lines_of(tmp_path / "tiny-out.csv") == ROWS + 1
    held = ROWS * HELD_PER_CONTACT
    assert peak - base <= 3 * held, (
        f"peak {peak / 1e6:.0f} MB, {(peak - base) / 1e6:.0f} MB above a one-row run's "
        f"{base / 1e6:.0f} MB, over three times the {held / 1e6:.0f} MB of contacts held")
