"""The terminal UI end to end, in a private tmux server: real ncurses, real terminfo, real
keys. Each test starts its own server (tmux -L) and kills it afterwards."""
import json
import os
import re
import shlex
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

BIN = os.environ.get("CONTACT_IMPORT_BIN")
URL_LINE = re.compile(r"^http://127\.0\.0\.1:\d+/c/\S+$")


class Tmux:
    """One tmux server with one pane running a command; text read with capture-pane."""

    def __init__(self, command, cwd, width=80, height=24):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.socket = f"tui-test-{os.getpid()}-{time.monotonic_ns()}"
        self.tmux(["-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height),
                   "-c", str(cwd), "-e", "LANG=C.UTF-8", "-e", "NO_COLOR=", "-e", f"HOME={cwd}", command])
        self.tmux(["set-option", "-t", "app", "remain-on-exit", "on"])

    def tmux(self, args, check=True):
        result = subprocess.run(["tmux", "-L", self.socket] + args, capture_output=True, text=True, timeout=15)
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr}")
        return result.stdout

    def screen(self):
        return self.tmux(["capture-pane", "-p", "-t", "app"])

    def lines(self):
        return self.screen().split("\n")

    def keys(self, *names):
        self.tmux(["send-keys", "-t", "app", *names])

    def type(self, text):
        self.tmux(["send-keys", "-t", "app", "-l", text])

    def wait_for(self, pattern, timeout=20):
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.MULTILINE)
        while time.monotonic() < deadline:
            text = self.screen()
            match = regex.search(text)
            if match:
                return match
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {pattern!r}; the screen shows:\n{self.screen()}")

    def resize(self, width, height):
        self.tmux(["resize-window", "-t", "app", "-x", str(width), "-y", str(height)])

    def pane_dead(self):
        return self.tmux(["display", "-p", "-t", "app", "#{pane_dead}"]).strip() == "1"

    def wait_dead(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pane_dead():
                return
            time.sleep(0.1)
        raise AssertionError(f"the program did not exit; the screen shows:\n{self.screen()}")

    def kill(self):
        socket_path = self.tmux(["display", "-p", "#{socket_path}"], check=False).strip()
        self.tmux(["kill-server"], check=False)
        if socket_path and os.path.basename(socket_path) == self.socket:
            try:
                os.unlink(socket_path)
            except FileNotFoundError:
                pass


@pytest.fixture
def tmux(tmp_path):
    started = []

    def start(command=None, **kwargs):
        session = Tmux(command or shlex.quote(BIN), tmp_path, **kwargs)
        started.append(session)
        return session

    yield start
    for session in started:
        session.kill()


def allow(url):
    data = urllib.parse.urlencode({"action": "allow"}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
        assert response.status == 200


def consent_url(session):
    session.wait_for(r"^http://127\.0\.0\.1:\d+/c/\S+\s*$")
    urls = [line.strip() for line in session.lines() if URL_LINE.match(line.strip())]
    assert len(urls) == 1, session.screen()
    # The URL stands alone on its line: no border, nothing beside it.
    line = next(line for line in session.lines() if urls[0] in line)
    assert line.rstrip() == urls[0]
    return urls[0]


def qr_from_screen(lines):
    """Crops the half-block QR code from the screen and returns its modules (True = dark).
    The code's top edge is a finder pattern's upper side: '█▀▀▀▀▀█' twice on one line."""
    top = next(i for i, line in enumerate(lines) if line.count("█▀▀▀▀▀█") >= 2)
    row = lines[top]
    left = row.index("█▀▀▀▀▀█")
    right = row.index("█▀▀▀▀▀█", left + 7) + 7
    size = right - left
    modules = []
    for line in lines[top: top + (size + 1) // 2]:
        cells = line[left:right].ljust(size)
        modules.append([c in "█▀" for c in cells])
        modules.append([c in "█▄" for c in cells])
    return modules[:size]


def write_pbm(modules, path, scale=4, quiet=4):
    size = len(modules)
    span = (size + 2 * quiet) * scale
    rows = []
    for y in range(span):
        my = y // scale - quiet
        row = []
        for x in range(span):
            mx = x // scale - quiet
            row.append("1" if 0 <= my < size and 0 <= mx < size and modules[my][mx] else "0")
        rows.append(" ".join(row))
    path.write_text(f"P1\n{span} {span}\n" + "\n".join(rows) + "\n")


def test_demo_consent_qr_progress_filter_and_export(tmux, tmp_path):
    session = tmux()
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    url = consent_url(session)

    # The QR code on the screen decodes to the URL on the screen.
    image = tmp_path / "screen-qr.pbm"
    write_pbm(qr_from_screen(session.lines()), image)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == url

    allow(url)
    session.wait_for(r"GATHERING|COMPLETE")
    session.wait_for(r"COMPLETE 250", timeout=30)
    assert "250 contacts" in session.screen()

    # Live filter: the status line counts the matches; Enter keeps the filter.
    session.type("/")
    session.type("mar")
    match = session.wait_for(r"filter “mar”: (\d+) of 250")
    matches = int(match.group(1))
    assert 0 < matches < 250
    session.wait_for(r"^/mar_")
    session.keys("Enter")

    # Export the filtered contacts as JSON (format: four steps right from vCard 3.0).
    session.keys("e")
    session.wait_for("Export contacts")
    session.keys("Right", "Right", "Right", "Right")
    session.wait_for("JSON")
    session.keys("Enter")
    session.wait_for(rf"Wrote {matches} contacts to contacts-demo\.json")
    import json
    payload = json.loads((tmp_path / "contacts-demo.json").read_text())
    assert len(payload["contacts"]) == matches
    # The same payload as `import --format json`: the import's id and the book's owner.
    assert isinstance(payload["import_id"], int) and payload["import_id"] > 0
    assert payload["id"] == payload["import_id"]
    assert payload["contacts_owner"]["owner"] is True

    # Export everything as vCard and read it with vobject.
    session.keys("Escape")
    session.wait_for(r"250 contacts")
    session.keys("e")
    session.wait_for("vCard 3.0")
    session.keys("Tab", "Left")
    session.wait_for(r"all 250")
    session.keys("Enter")
    session.wait_for(r"Wrote 250 contacts to contacts-demo\.vcf")
    exported = (tmp_path / "contacts-demo.vcf").read_text(encoding="utf-8")

    session.keys("q", "q", "q")
    session.wait_dead()

    import vobject
    cards = list(vobject.readComponents(exported))
    assert len(cards) == 250
    assert all(card.fn.value for card in cards)


def test_file_import_through_the_picker_with_tab_completion(tmux, tmp_path):
    (tmp_path / "thunderbird-book.ldif").write_text(
        "dn: cn=Ada Lovelace,mail=ada@example.org\n"
        "objectclass: top\nobjectclass: person\nobjectclass: inetOrgPerson\nobjectclass: mozillaAbPersonAlpha\n"
        "givenName: Ada\nsn: Lovelace\ncn: Ada Lovelace\nmail: ada@example.org\n\n"
        "dn: cn=Grace Hopper,mail=grace@example.org\n"
        "objectclass: top\nobjectclass: person\nobjectclass: inetOrgPerson\nobjectclass: mozillaAbPersonAlpha\n"
        "givenName: Grace\nsn: Hopper\ncn: Grace Hopper\nmail: grace@example.org\ntelephoneNumber: +1 202 555 0142\n\n"
        "dn: cn=Alan Turing,mail=alan@example.org\n"
        "objectclass: top\nobjectclass: person\nobjectclass: inetOrgPerson\nobjectclass: mozillaAbPersonAlpha\n"
        "givenName: Alan\nsn: Turing\ncn: Alan Turing\nmail: alan@example.org\n\n",
        encoding="utf-8",
    )
    session = tmux()
    session.wait_for("Choose a service")
    session.type("ldif")
    session.keys("Enter")
    session.wait_for(r"File:")
    session.type("thunder")
    session.keys("Tab")
    session.wait_for(r"thunderbird-book\.ldif")
    session.keys("Enter")
    session.wait_for(r"COMPLETE 3", timeout=30)
    screen = session.screen()
    assert "Ada Lovelace" in screen and "Grace Hopper" in screen and "Alan Turing" in screen
    session.keys("Enter")
    session.wait_for(r"Email \(primary\)\s+ada@example\.org")
    session.keys("q", "q", "q", "Escape")
    # The contacts were never exported: quitting asks first.
    session.wait_for(r"3 contacts not exported yet")
    session.keys("q")
    session.wait_dead()


def test_merge_preview_unticks_one_and_merges_the_others(tmux, tmp_path):
    cards = [
        ("Lovelace;Ada", "Ada Lovelace", "ada@example.org", "+44 20 7946 0001"),
        ("Hopper;Grace", "Grace Hopper", "grace@example.org", "+1 202 555 0142"),
        ("LOVELACE;ADA", "ADA LOVELACE", "ADA@example.org", ""),
        ("Hopper;Grace", "Grace Hopper", "", "(202) 555-0142"),
        ("Turing;Alan", "Alan Turing", "alan@example.org", "+1 202 555 0142"),
    ]
    text = ""
    for n, fn, email, tel in cards:
        text += f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{n};;;\r\nFN:{fn}\r\n"
        text += f"EMAIL:{email}\r\n" if email else ""
        text += f"TEL:{tel}\r\n" if tel else ""
        text += "END:VCARD\r\n"
    (tmp_path / "book.vcf").write_text(text, encoding="utf-8")
    session = tmux(f"{shlex.quote(BIN)} tui --file book.vcf")
    session.wait_for(r"COMPLETE 5", timeout=30)
    session.wait_for(r"5 contacts")
    session.keys("M")
    # Alan Turing shares Grace's number, not her name: two merges, not one of three cards.
    session.wait_for(r"Merge duplicates: 2 of 2 ticked")
    screen = session.screen()
    assert "5 contacts become 3: 2 merges remove 2." in screen
    assert "ADA@example.org" in screen and "(202) 555-0142" in screen
    session.keys("Down", "Space")
    session.wait_for(r"Merge duplicates: 1 of 2 ticked")
    session.wait_for(r"5 contacts become 4: 1 merge remove 1\.")
    session.keys("Enter")
    session.wait_for(r"Merged 5 contacts into 4")
    session.keys("Q")
    session.wait_for(r"not exported yet")
    session.keys("q")
    session.wait_dead()


def test_a_character_cut_between_two_writes_reaches_the_filter_whole(tmux, tmp_path):
    """A paste over a slow link can cut a character's bytes apart: the UI must wait for the
    rest instead of dropping the part it has (it did, reading without a wait)."""
    (tmp_path / "book.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoé Lambert\r\nN:Lambert;Zoé;;;\r\nEMAIL:zoe@example.org\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    session = tmux(f"{shlex.quote(BIN)} tui --file book.vcf")
    session.wait_for(r"COMPLETE 2", timeout=30)
    session.keys("/")
    session.wait_for(r"^/_", timeout=10)
    session.type("zo")
    session.wait_for(r"filter “zo”")
    # "é" is C3 A9: the second byte follows the first 20 ms later.
    session.tmux(["send-keys", "-t", "app", "-H", "c3"])
    time.sleep(0.02)
    session.tmux(["send-keys", "-t", "app", "-H", "a9"])
    session.wait_for(r"filter “zoé”: 1 of 2", timeout=10)
    assert "Zoé Lambert" in session.screen()


def test_after_a_failed_file_import_q_returns_to_the_form_as_typed(tmux, tmp_path):
    (tmp_path / "notes.txt").write_text("Shopping: milk, eggs, bread.\n", encoding="utf-8")
    session = tmux()
    session.wait_for("Choose a service")
    session.type("file")
    session.keys("Enter")
    session.wait_for(r"File:")
    session.type("notes.txt")
    session.keys("Enter")
    session.wait_for(r"Error 1025")
    session.wait_for(r"q goes back to the form")
    session.keys("q")
    session.wait_for(r"File: notes\.txt_")
    # Corrected in place and imported.
    (tmp_path / "book.ldif").write_text(
        "dn: cn=Ada Lovelace,mail=ada@example.org\nobjectclass: person\ncn: Ada Lovelace\nmail: ada@example.org\n\n",
        encoding="utf-8")
    session.keys("C-u")
    session.type("book.ldif")
    session.keys("Enter")
    session.wait_for(r"COMPLETE 1", timeout=30)
    session.keys("Q")
    session.wait_for(r"1 contact not exported yet")
    session.keys("q")
    session.wait_dead()


def test_the_export_path_picks_the_format_and_a_failed_write_keeps_the_dialog(tmux, tmp_path):
    session = tmux()
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    allow(consent_url(session))
    session.wait_for(r"COMPLETE 250", timeout=30)
    session.keys("e")
    session.wait_for(r"Export contacts")
    session.keys("Tab", "Tab", "C-u")
    session.type("missing/friends.ldif")
    session.wait_for(r"Format\s+‹ LDIF")
    session.keys("Enter")
    # The write fails: the dialog stays with the path and the reason.
    session.wait_for(r"Could not write it:")
    assert "No such file or directory" in session.screen()
    assert "Export contacts" in session.screen()
    assert "missing/friends.ldif" in session.screen()
    (tmp_path / "missing").mkdir()
    session.keys("Enter")
    session.wait_for(r"Wrote 250 contacts to missing/friends\.ldif \(LDIF")
    assert (tmp_path / "missing" / "friends.ldif").read_text(encoding="utf-8").startswith("dn: ")
    session.keys("Q")
    session.wait_dead()


def test_exporting_over_the_imported_file_is_refused_and_keeps_it(tmux, tmp_path):
    # The last record is skipped by the import: replacing the file would lose it.
    text = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\nnot a card at all\r\n")
    book = tmp_path / "book.vcf"
    book.write_text(text, encoding="utf-8", newline="")
    session = tmux(f"{shlex.quote(BIN)} tui --file book.vcf")
    session.wait_for(r"COMPLETE 1", timeout=30)
    session.keys("e")
    session.wait_for(r"Export contacts")
    session.keys("Tab", "Tab", "C-u")
    session.type("./book.vcf")
    session.keys("Enter")
    session.wait_for(r"Overwrite it\?")
    session.keys("y")
    session.wait_for(r"Could not write it:")
    assert "the output is the input file" in session.screen()
    assert "Export contacts" in session.screen()
    assert book.read_bytes() == text.encode()
    assert [p.name for p in tmp_path.iterdir() if "contact-import" in p.name] == []
    session.keys("Escape")
    session.keys("Q")
    session.wait_for(r"not exported yet")
    session.keys("q")
    session.wait_dead()


def test_resizing_in_the_middle_of_an_import_re_lays_out(tmux, tmp_path):
    session = tmux()
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    url = consent_url(session)

    # Too small for the code: a note says what to do; back to 80x24 and the code returns.
    session.resize(40, 12)
    session.wait_for(r"Enlarge the")
    session.resize(80, 24)
    session.wait_for(r"█▀▀▀▀▀█")

    allow(url)
    session.wait_for(r"GATHERING\s+in progress", timeout=20)
    session.resize(120, 40)
    # The bars now span the wider window.
    session.wait_for(r"^ [█░]{110,}", timeout=10)
    session.wait_for(r"COMPLETE 250", timeout=30)
    session.resize(50, 15)
    session.wait_for(r"Name\s+Email\s+Phone")
    assert all(len(line) <= 50 for line in session.lines())
    session.keys("q", "q", "Escape")
    session.wait_for(r"not exported yet")
    session.keys("q")
    session.wait_dead()


def test_quitting_before_an_export_asks_and_the_export_keeps_the_file_mode(tmux, tmp_path):
    existing = tmp_path / "contacts-demo.vcf"
    existing.write_text("the old contacts")
    os.chmod(existing, 0o640)
    session = tmux()
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    allow(consent_url(session))
    session.wait_for(r"COMPLETE 250", timeout=30)

    # Q asks; Esc stays with the contacts.
    session.keys("Q")
    session.wait_for(r"250 contacts not exported yet")
    session.keys("Escape")
    deadline = time.monotonic() + 10
    while "not exported yet" in session.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "not exported yet" not in session.screen()
    assert "1/250" in session.screen()

    # e in the question opens the export of everything; the existing file keeps its mode.
    session.keys("Q")
    session.wait_for(r"not exported yet")
    session.keys("e")
    session.wait_for(r"Export contacts")
    session.keys("Enter")
    session.wait_for(r"Overwrite it\?")
    session.keys("y")
    session.wait_for(r"Wrote 250 contacts to contacts-demo\.vcf")
    assert oct(os.stat(existing).st_mode & 0o7777) == oct(0o640)
    assert existing.read_text(encoding="utf-8").count("BEGIN:VCARD") == 250
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".contacts-demo")) == []

    # Everything is exported now: Q quits at once.
    session.keys("Q")
    session.wait_dead()


def test_quitting_during_an_export_keeps_the_old_file_and_leaves_no_temporary_file(tmux, tmp_path):
    existing = tmp_path / "contacts-demo.vcf"
    existing.write_text("the old contacts")
    errors, status = tmp_path / "stderr.txt", tmp_path / "status"
    # The test-only pause holds the export after its first chunk, before the rename.
    script = (f"CONTACT_IMPORT_TEST_PAUSE_WRITE=60 {shlex.quote(BIN)} 2> {shlex.quote(str(errors))}; "
              f"echo $? > {shlex.quote(str(status))}")
    session = tmux(f"sh -c {shlex.quote(script)}")
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    allow(consent_url(session))
    session.wait_for(r"COMPLETE 250", timeout=30)
    session.keys("e")
    session.wait_for(r"Export contacts")
    session.keys("Enter")
    session.wait_for(r"Overwrite it\?")
    session.keys("y")
    deadline = time.monotonic() + 20
    while "test pause while writing" not in errors.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "test pause while writing" in errors.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".contacts-demo.vcf.")] != []

    # The export has not finished, so quitting asks; quit anyway.
    session.keys("Q")
    session.wait_for(r"250 contacts not exported yet")
    session.keys("q")
    session.wait_dead()
    assert status.read_text().strip() == "0"
    assert "while writing contacts-demo.vcf; it was left as it was." in errors.read_text(), errors.read_text()
    assert existing.read_text() == "the old contacts"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".contacts-demo.vcf.")] == []


def test_ctrl_c_cancels_with_517_then_quits_and_the_terminal_is_restored(tmux, tmp_path):
    before, after, status = tmp_path / "before", tmp_path / "after", tmp_path / "status"
    script = (f"stty -a > {shlex.quote(str(before))}; {shlex.quote(BIN)}; echo $? > {shlex.quote(str(status))}; "
              f"stty -a > {shlex.quote(str(after))}")
    session = tmux(f"sh -c {shlex.quote(script)}")
    session.tmux(["set-option", "-s", "set-clipboard", "on"])
    session.wait_for("Choose a service")
    session.type("demo")
    session.keys("Enter")
    url = consent_url(session)
    # c copies the URL with OSC 52, which tmux turns into a paste buffer.
    session.keys("c")
    session.wait_for(r"Copied the URL")
    deadline = time.monotonic() + 10
    while session.tmux(["show-buffer"], check=False).strip() != url and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session.tmux(["show-buffer"], check=False).strip() == url
    session.keys("C-c")
    session.wait_for(r"Error 517")
    session.keys("C-c")
    session.wait_dead()
    assert status.read_text().strip() == "0"
    assert before.read_text() == after.read_text()


@pytest.mark.parametrize("signal_number,status", [(15, "143"), (1, "129"), (11, "139"), (6, "134")])
def test_signals_restore_the_terminal(tmux, tmp_path, signal_number, status):
    before, after, status_file = tmp_path / "before", tmp_path / "after", tmp_path / "status"
    script = (f"stty -a > {shlex.quote(str(before))}; {shlex.quote(BIN)}; echo $? > {shlex.quote(str(status_file))}; "
              f"stty -a > {shlex.quote(str(after))}")
    session = tmux(f"sh -c {shlex.quote(script)}")
    session.wait_for("Choose a service")
    shell = session.tmux(["display", "-p", "-t", "app", "#{pane_pid}"]).strip()
    child = subprocess.run(["ps", "-o", "pid=", "--ppid", shell], capture_output=True, text=True, timeout=10).stdout.split()
    assert len(child) == 1, child
    os.kill(int(child[0]), signal_number)
    session.wait_dead()
    assert status_file.read_text().strip() == status
    assert before.read_text() == after.read_text()


def test_without_a_terminal_it_points_to_the_headless_commands():
    assert BIN
    result = subprocess.run([BIN], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "needs a terminal" in result.stderr
    assert "contact-import import" in result.stderr


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(text):
    """The SGR parameters that set a colour (default-colour resets 39 and 49 aside)."""
    codes = set()
    for match in SGR.finditer(text):
        for code in match.group(1).split(";"):
            if code and (30 <= int(code) <= 38 or 40 <= int(code) <= 48 or 90 <= int(code) <= 107):
                codes.add(int(code))
    return codes


def test_the_qr_code_is_black_on_white_and_no_color_turns_colours_off(tmux, tmp_path):
    coloured = tmux(f"{shlex.quote(BIN)} --service demo")
    consent_url(coloured)
    styled = coloured.tmux(["capture-pane", "-p", "-e", "-t", "app"])
    qr_lines = [line for line in styled.split("\n") if "█▀▀▀▀▀█" in line]
    assert qr_lines and all("\x1b[30m" in line and "\x1b[47m" in line for line in qr_lines)
    coloured.keys("C-c")
    coloured.wait_for(r"Error 517")
    coloured.keys("C-c")
    coloured.wait_dead()

    plain = tmux(f"env NO_COLOR=1 {shlex.quote(BIN)} --service demo")
    consent_url(plain)
    styled = plain.tmux(["capture-pane", "-p", "-e", "-t", "app"])
    assert colour_codes(styled) == set(), styled
    # Without colour the code is drawn in reverse video: dark modules in the background colour.
    assert any("\x1b[7m" in line for line in styled.split("\n") if "█▀▀▀▀▀█" in line)
    plain.keys("C-c")
    plain.wait_for(r"Error 517")
    plain.keys("C-c")
    plain.wait_dead()


def test_ascii_mode_draws_with_ascii_only(tmux):
    session = tmux(f"{shlex.quote(BIN)} --ascii")
    session.wait_for("Choose a service")
    assert session.screen().isascii(), session.screen()
    session.keys("?")
    session.wait_for(r"Help \(q closes\)")
    assert session.screen().isascii(), session.screen()
    session.keys("q")
    session.type("demo")
    session.keys("Enter")
    consent_url(session)
    # A QR code needs more room in ASCII: the screen says how much, still in ASCII.
    session.wait_for(r"Enlarge the terminal to \d+x\d+")
    assert session.screen().isascii(), session.screen()
    session.keys("C-c")
    session.wait_for(r"Error 517")
    session.keys("C-c")
    session.wait_dead()


def test_exporting_100000_contacts_to_every_format_shows_progress_while_keys_still_work(tmux, tmp_path):
    source = tmp_path / "big.vcf"
    with open(source, "w", encoding="utf-8") as file:
        for index in range(100000):
            group = "Team" if index % 3 == 0 else "Friends"
            file.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {index}\r\nN:{index};Person;;;\r\n"
                       f"EMAIL:person{index}@example.org\r\nCATEGORIES:{group}\r\nEND:VCARD\r\n")
    # The test-only pause holds each export after its first piece, so that its progress is
    # certainly on the screen while the keys are tried.
    # Its note on stderr goes to a file, not over the screen.
    errors = tmp_path / "stderr.txt"
    session = tmux(f"CONTACT_IMPORT_TEST_PAUSE_WRITE=2 {shlex.quote(BIN)} tui --file {shlex.quote(str(source))}"
                   f" 2> {shlex.quote(str(errors))}", width=150, height=30)
    session.wait_for(r"COMPLETE: 100,000 contacts", timeout=120)
    written = {}
    for position in range(8):
        session.keys("e")
        session.wait_for(r"Export contacts")
        for _ in range(position):
            session.keys("Right")
        session.keys("Enter")
        # It starts at 0 and moves once the first piece is written.
        progress = session.wait_for(r"Writing ([1-9][\d,]*) of 100,000 contacts to (\S+) \((\d+)%\)", timeout=60)
        assert int(progress.group(1).replace(",", "")) < 100000, progress.group(0)
        # The UI answers while the file is written: the cursor moves.
        before = int(session.wait_for(r"(\d[\d,]*)/100,000").group(1).replace(",", ""))
        session.keys("Down")
        session.wait_for(rf"\b{before + 1:,}/100,000")
        assert "Writing " in session.screen()
        done = session.wait_for(r"Wrote 100,000 contacts to (\S+) \((.+)\)", timeout=120)
        written[done.group(2)] = (tmp_path / done.group(1)).read_text(encoding="utf-8")
        assert done.group(1) == progress.group(2)
        assert not re.search(r"Writing [\d,]+ of", session.screen())

    assert len(written) == 8, sorted(written)
    counts = {name: text.count("BEGIN:VCARD") for name, text in written.items() if "vCard" in name}
    assert list(counts.values()) == [100000, 100000], counts
    for name, text in written.items():
        lines = text.splitlines()
        if "CSV" in name:
            assert len(lines) == 100001, name
        elif name.startswith("JSON") or "json" in name.lower():
            assert len(json.loads(text)["contacts"]) == 100000
        elif "LDIF" in name:
            assert text.count("objectclass: mozillaAbPersonAlpha") == 100000
            assert text.count("\nmember: ") == 100000
        elif "query" in name:
            assert sum(1 for line in lines if "\t" in line) == 100000
        elif "mutt" in name:
            assert sum(1 for line in lines if line.startswith("alias ")) == 100000
    session.keys("Q")
    session.wait_dead()
