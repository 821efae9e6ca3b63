"""Peak memory of a book of a million tiny contacts (a 3 MB CSV of `a,` rows): it must stay
within three times the size of the contacts as an import holds them, plus what the same
command takes for a single row. What a contact held costs is pinned by
`PackedContactSizeTests`: at most 64 bytes packed (80 as the allocator hands them out) and
its 8-byte reference in the list. The import once peaked at 767 MB; in 2026-12 a debug
build peaks at about 92 MB (`import`) and 108 MB (`convert`), against 264 MB allowed.

The peak is the process's own maximum resident size, as the kernel reports it to `wait4`.
"""
import os
import subprocess

from test_tui import BIN

ROWS = 1_000_000
HELD_PER_CONTACT = 80 + 8


def write_book(path, rows):
    with open(path, "w") as book:
        book.write("Name,Email\n")
        book.write("a,\n" * rows)


def peak_of(arguments, cwd):
    """Runs the command to its end; its exit status and peak resident size in bytes."""
    process = subprocess.Popen([BIN] + arguments, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        process.kill()
        raise
    finally:
        process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in kilobytes.
    return process.returncode, usage.ru_maxrss * 1024


def check_bound(tmp_path, command):
    write_book(tmp_path / "one.csv", 1)
    write_book(tmp_path / "tiny.csv", ROWS)
    assert os.path.getsize(tmp_path / "tiny.csv") == 11 + 3 * ROWS
    status, base = peak_of(command("one.csv", "one"), tmp_path)
    assert status == 0
    status, peak = peak_of(command("tiny.csv", "tiny"), tmp_path)
    assert status == 0
    held = ROWS * HELD_PER_CONTACT
    assert peak - base <= 3 * held, (
        f"peak {peak / 1e6:.0f} MB, {(peak - base) / 1e6:.0f} MB above a one-row run's "
        f"{base / 1e6:.0f} MB, over three times the {held / 1e6:.0f} MB of contacts held")


def test_an_import_of_a_million_tiny_rows_stays_within_three_times_the_contacts(tmp_path):
    check_bound(tmp_path, lambda book, name: ["import", "--service", "file", "--file", book,
                                              "--output", f"{name}-out.csv"])
    lines = sum(1 for _ in open(tmp_path / "tiny-out.csv", encoding="utf-8"))
    assert lines == ROWS + 1


def test_a_conversion_of_a_million_tiny_rows_stays_within_three_times_the_contacts(tmp_path):
    check_bound(tmp_path, lambda book, name: ["convert", book, f"{name}-out.vcf"])
    with open(tmp_path / "tiny-out.vcf", encoding="utf-8") as cards:
        assert sum(1 for line in cards if line.startswith("BEGIN:VCARD")) == ROWS
