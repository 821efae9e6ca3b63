"""The consent flow for real: the CLI waits on a page, a headless Chromium acts on it, and
the import completes; the QR code the CLI prints decodes to the URL it prints.
"""
import os
import pathlib
import re
import signal
import subprocess
import json
import queue
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BIN = os.environ.get("CONTACT_IMPORT_BIN")
REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "vcard" / "ez-vcard"
URL_LINE = re.compile(r"^http://127\.0\.0\.1:\d+/\S+$")


class RunningImport:
    """`contact-import import` in the background, its stderr read line by line."""

    def __init__(self, *args):
        assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
        self.process = subprocess.Popen([BIN, "import", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        self.stderr = []
        self.stdout = b""
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self._stdout_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._stdout_reader.start()

    def _read_stderr(self):
        for raw in self.process.stderr:
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            self.stderr.append(line)
            self.lines.put(line)

    def _read_stdout(self):
        self.stdout = self.process.stdout.read()

    def wait_for_line(self, pattern, timeout=30):
        while True:
            line = self.lines.get(timeout=timeout)
            if pattern.search(line):
                return line

    def finish(self, timeout=60):
        status = self.process.wait(timeout=timeout)
        self._stdout_reader.join(timeout=10)
        return status

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def browser():
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def running():
    started = []

    def start(*args):
        job = RunningImport(*args)
        started.append(job)
        return job

    yield start
    for job in started:
        job.stop()


def test_browser_uploads_a_vcard_and_the_import_completes(browser, running):
    job = running("--service", "vcard", "--format", "json", "--events", "lines", "--qr", "none")
    url = job.wait_for_line(URL_LINE)
    browser.get(url)
    assert "Send your contacts file" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(CORPUS / "John_Doe_IPHONE.vcf"))
    browser.find_element(By.CSS_SELECTOR, "button[value=upload]").click()
    WebDriverWait(browser, 30).until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "arrived"))
    assert "1 contact arrived" in browser.find_element(By.TAG_NAME, "body").text
    assert job.finish() == 0, "\n".join(job.stderr)
    payload = json.loads(job.stdout)
    assert [c["first_name"] for c in payload["contacts"]] == ["John"]
    assert any("COMPLETE COMPLETED 0" in line for line in job.stderr)


def test_browser_allows_the_demo_and_the_import_completes(browser, running):
    job = running("--service", "demo", "--param", "size=40", "--format", "json", "--events", "lines", "--qr", "none")
    url = job.wait_for_line(URL_LINE)
    browser.get(url)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "demo" in body.lower()
    browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()
    assert job.finish() == 0, "\n".join(job.stderr)
    contacts = json.loads(job.stdout)["contacts"]
    assert len(contacts) == 40
    assert any("GATHERING COMPLETED 40" in line for line in job.stderr)


def test_browser_denies_the_demo_and_the_import_fails_with_514(browser, running):
    job = running("--service", "demo", "--events", "lines", "--qr", "none")
    url = job.wait_for_line(URL_LINE)
    browser.get(url)
    browser.find_element(By.CSS_SELECTOR, "button[value=deny]").click()
    assert job.finish() == 2
    assert any("514" in line for line in job.stderr)


def half_blocks_to_pbm(lines, path):
    """Turns the CLI's half-block QR lines back into a bitmap: each character cell holds two
    module rows; a painted upper or lower half is a dark module."""
    rows = []
    for line in lines:
        text = re.sub(r"\x1b\[[0-9;]*m", "", line)
        upper = [ch in "█▀" for ch in text]
        lower = [ch in "█▄" for ch in text]
        rows += [upper, lower]
    width = max(len(r) for r in rows)
    scale = 4
    pixels = []
    for row in rows:
        row = row + [False] * (width - len(row))
        expanded = "".join(("1 " if dark else "0 ") * scale for dark in row)
        pixels += [expanded] * scale
    path.write_text(f"P1\n{width * scale} {len(rows) * scale}\n" + "\n".join(pixels) + "\n")


def test_the_printed_qr_code_decodes_to_the_printed_url_and_ctrl_c_cancels(running, tmp_path):
    job = running("--service", "demo", "--events", "lines")
    url = job.wait_for_line(URL_LINE)
    qr_lines = []
    while True:
        line = job.lines.get(timeout=30)
        if line.startswith("Waiting for the page"):
            break
        qr_lines.append(line)
    assert qr_lines, "a QR code follows the URL"
    image = tmp_path / "qr.pbm"
    half_blocks_to_pbm(qr_lines, image)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == url

    job.process.send_signal(signal.SIGINT)
    assert job.finish() == 2
    assert any("517" in line for line in job.stderr)
