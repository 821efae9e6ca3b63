"""The output folder fills up while contacts are written: a 64 KiB tmpfs holds the folder
and an old export in it. The write must fail with the reason (status 74 from the command
line, the reason in the export dialog of the terminal UI), the old file must be intact and
no temporary file may be left.

The tmpfs is mounted in a private mount namespace (`unshare --mount`) that lives as long as
the program under test, so nothing is mounted on the machine itself and nothing is left
mounted if a test fails. Without root, `--user --map-root-user` gives the namespace its
own root, which may mount a tmpfs; where user namespaces are disabled the test fails saying
so, rather than be skipped.
"""
import os
import shlex
import subprocess

from test_tui import BIN, allow, consent_url, tmux  # noqa: F401 (tmux is a fixture)

OLD = "BEGIN:VCARD\nVERSION:3.0\nFN:The old contact\nEND:VCARD\n"


def namespace_prefix():
    prefix = ["unshare", "--mount", "--propagation", "private"]
    if os.geteuid() != 0:
        prefix[1:1] = ["--user", "--map-root-user"]
    probe = subprocess.run(prefix + ["true"], capture_output=True, text=True, timeout=10)
    assert probe.returncode == 0, f"cannot make a private mount namespace here: {probe.stderr.strip()}"
    return prefix


def in_full_folder(folder, command, record):
    """A shell line: mounts the 64 KiB tmpfs on `folder`, puts the old export there, runs
    `command`, then records the folder's listing and the old file's text under `record`."""
    q = shlex.quote
    return (f"mount -t tmpfs -o size=64k tmpfs {q(str(folder))} && printf %s {q(OLD)} > {q(str(folder / 'contacts.vcf'))}"
            f" && {{ {command}; echo $? > {q(str(record / 'status'))}; ls -A {q(str(folder))} > {q(str(record / 'listing'))};"
            f" cat {q(str(folder / 'contacts.vcf'))} > {q(str(record / 'old'))}; }}")


def big_book(path, cards=600):
    with open(path, "w") as book:
        for index in range(cards):
            book.write(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {index}\nN:{index};Person;;;\n"
                       f"EMAIL:person{index}@example.org\nNOTE:{'x' * 100}\nEND:VCARD\n")


def test_the_command_line_fails_with_74_and_keeps_the_old_file(tmp_path):
    folder, record = tmp_path / "full", tmp_path / "record"
    folder.mkdir()
    record.mkdir()
    big_book(tmp_path / "book.vcf")
    command = (f"{shlex.quote(BIN)} import --service file --file {shlex.quote(str(tmp_path / 'book.vcf'))} "
               f"--events none --output {shlex.quote(str(folder / 'contacts.vcf'))} 2> {shlex.quote(str(record / 'stderr'))}")
    result = subprocess.run(namespace_prefix() + ["sh", "-c", in_full_folder(folder, command, record)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (record / "status").read_text().strip() == "74"
    assert "No space left on device" in (record / "stderr").read_text()
    assert (record / "old").read_text() == OLD
    assert (record / "listing").read_text().split() == ["contacts.vcf"]


def test_a_google_csv_conversion_that_fills_the_folder_part_way_fails_with_74(tmp_path):
    """Google CSV rows wait in a spool until the input is read, then the header and the
    padded rows are written. Here the folder fills up after the first pieces of a spool too
    large for memory (it is in its file): the command ends with 74 and the reason, and the
    old file is left as it was."""
    folder, record = tmp_path / "full", tmp_path / "record"
    folder.mkdir()
    record.mkdir()
    big_book(tmp_path / "book.vcf", cards=30_000)
    q = shlex.quote
    # A tmpfs of 2 MiB: the header and the first pieces fit, the 4 MB of rows do not.
    script = in_full_folder(folder, f"{q(BIN)} convert {q(str(tmp_path / 'book.vcf'))} {q(str(folder / 'contacts.vcf'))}"
                                    f" --to csv --events none 2> {q(str(record / 'stderr'))}", record)
    script = script.replace("size=64k", "size=2m")
    result = subprocess.run(namespace_prefix() + ["sh", "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (record / "status").read_text().strip() == "74"
    assert "No space left on device" in (record / "stderr").read_text()
    assert (record / "old").read_text() == OLD
    assert (record / "listing").read_text().split() == ["contacts.vcf"]


def test_an_export_from_the_terminal_ui_says_why_and_keeps_the_old_file(tmux, tmp_path):
    folder, record = tmp_path / "full", tmp_path / "record"
    folder.mkdir()
    record.mkdir()
    script = in_full_folder(folder, shlex.quote(BIN), record)
    session = tmux(" ".join(shlex.quote(part) for part in namespace_prefix() + ["sh", "-c", script]))
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    allow(consent_url(session))
    session.wait_for(r"COMPLETE 250", timeout=30)
    session.keys("e")
    session.wait_for(r"Export contacts")
    session.keys("Tab", "Tab", "C-u")
    session.type("full/contacts.vcf")
    session.keys("Enter")
    session.wait_for(r"Overwrite it\?")
    session.keys("y")
    session.wait_for(r"Could not write it:")
    assert "No space left on device" in session.screen()
    assert "Export contacts" in session.screen()
    session.keys("Escape")
    session.keys("Q")
    session.wait_for(r"250 contacts not exported yet")
    session.keys("q")
    session.wait_dead()
    assert (record / "status").read_text().strip() == "0"
    assert (record / "old").read_text() == OLD
    assert (record / "listing").read_text().split() == ["contacts.vcf"]
