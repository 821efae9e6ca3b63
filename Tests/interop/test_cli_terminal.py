"""The headless commands as a person at a terminal sees them: stderr on a pseudo-terminal."""

import os
import pty
import re
import select
import subprocess
import time

BIN = os.environ.get("CONTACT_IMPORT_BIN")
CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "corpora", "vcard", "ez-vcard")


def run_with_terminal_stderr(arguments, columns=80, timeout=60):
    """Runs the binary with stderr on a pseudo-terminal of `columns` columns; returns
    (exit status, what the terminal received)."""
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    environment = dict(os.environ)
    environment.pop("COLUMNS", None)
    environment.pop("NO_COLOR", None)
    process = subprocess.Popen([BIN] + arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=slave, env=environment)
    os.close(slave)
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            received += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(master)
    return process.returncode, received.decode("utf-8", "replace")


def generated_vcard(path, count):
    with open(path, "w", encoding="utf-8") as file:
        for index in range(count):
            file.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {index}\r\nN:{index};Person;;;\r\n"
                       f"EMAIL:person{index}@example.org\r\nEND:VCARD\r\n")


def test_convert_shows_its_progress_on_a_terminal(tmp_path):
    source = tmp_path / "big.vcf"
    generated_vcard(source, 20000)
    status, screen = run_with_terminal_stderr(["convert", str(source), str(tmp_path / "out.csv")])
    assert status == 0, screen
    states = [state for state in re.split(r"[\r\n]", screen.replace("\x1b[2K", ""))
              if state.strip() and not state.startswith("contact-import:")]
    assert any("Complete" in state and "20,000" in state for state in states), states
    for state in states:
        assert len(state) < 80, state


def test_convert_in_a_script_prints_nothing_but_what_it_wrote_or_skipped(tmp_path):
    source = tmp_path / "small.vcf"
    generated_vcard(source, 3)
    result = subprocess.run([BIN, "convert", str(source), str(tmp_path / "out.csv")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stderr == ""


def test_the_bar_fits_a_narrow_terminal(tmp_path):
    source = tmp_path / "big.vcf"
    generated_vcard(source, 5000)
    status, screen = run_with_terminal_stderr(["import", "--service", "file", "--file", str(source), "--format", "json"], columns=40)
    assert status == 0, screen
    states = [state for state in re.split(r"[\r\n]", screen.replace("\x1b[2K", ""))
              if state.strip() and not state.startswith("contact-import:")]
    assert states
    for state in states:
        assert len(state) < 40, state
