"""Terminal faults: storms of window-size changes, a 1×1 terminal, old terminal types, a
locale that is not UTF-8 and the terminal hanging up in the middle of an import. The
program must not crash, and the terminal settings it found must be back when it ends
(compared with `stty -a` before and after, in the same pane)."""
import os
import shlex
import signal
import subprocess
import time

import pytest

from test_tui import BIN, allow, consent_url, tmux  # noqa: F401 (tmux is a fixture)


def guarded(tmp_path, environment=""):
    """A shell line that records the terminal settings before and after the program and
    its exit status; `environment` is put before the program (e.g. `TERM=vt100`)."""
    before, after, status = tmp_path / "before", tmp_path / "after", tmp_path / "status"
    script = (f"stty -a > {shlex.quote(str(before))}; {environment} {shlex.quote(BIN)}; "
              f"echo $? > {shlex.quote(str(status))}; stty -a > {shlex.quote(str(after))}")
    return f"sh -c {shlex.quote(script)}", before, after, status


def program_pid(session):
    shell = session.tmux(["display", "-p", "-t", "app", "#{pane_pid}"]).strip()
    child = subprocess.run(["ps", "-o", "pid=", "--ppid", shell], capture_output=True, text=True,
                           timeout=10).stdout.split()
    assert len(child) == 1, child
    return int(child[0])


def demo_imported(session):
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    allow(consent_url(session))
    session.wait_for(r"COMPLETE 250", timeout=30)


def test_a_storm_of_window_size_changes_and_a_one_by_one_terminal(tmux, tmp_path):
    command, before, after, status = guarded(tmp_path)
    session = tmux(command)
    demo_imported(session)
    pid = program_pid(session)
    for index in range(60):
        session.resize(20 + index % 7 * 30, 5 + index % 5 * 8)
        for _ in range(5):
            os.kill(pid, signal.SIGWINCH)
    session.resize(1, 1)
    for _ in range(20):
        os.kill(pid, signal.SIGWINCH)
    time.sleep(1)
    assert not session.pane_dead(), "the program ended in a 1×1 terminal"
    session.resize(80, 24)
    session.wait_for(r"250 contacts")
    session.keys("Q")
    session.wait_for(r"250 contacts not exported yet")
    session.keys("q")
    session.wait_dead()
    assert status.read_text().strip() == "0"
    assert before.read_text() == after.read_text()


@pytest.mark.parametrize("environment", ["TERM=vt100", "TERM=linux", "LANG=C LC_ALL=C", "LANG=C LC_ALL=POSIX TERM=vt100"])
def test_old_terminals_and_a_locale_that_is_not_utf8(tmux, tmp_path, environment):
    command, before, after, status = guarded(tmp_path, environment)
    session = tmux(command)
    demo_imported(session)
    session.keys("Q")
    session.wait_for(r"250 contacts not exported yet")
    session.keys("q")
    session.wait_dead()
    assert status.read_text().strip() == "0", session.screen()
    assert before.read_text() == after.read_text()


def test_the_terminal_hanging_up_in_the_middle_of_an_import(tmux, tmp_path):
    command, before, after, status = guarded(tmp_path)
    session = tmux(command)
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    consent_url(session)  # the import is running, waiting on its consent page
    os.kill(program_pid(session), signal.SIGHUP)
    session.wait_dead()
    assert status.read_text().strip() == "129"
    assert before.read_text() == after.read_text()
