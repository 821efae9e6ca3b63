"""Yahoo with a Yahoo app set up: the person signs in on Yahoo's page (here the local fake),
copies the code the page shows into `contact-import import`, and the address book is read
over CardDAV with that sign-in's access token as `Authorization: Bearer`. Without the app,
Yahoo stays the app-password import.
"""
import json
import os
import shlex
import subprocess
import time
import urllib.parse

from fakes import FakeYahoo
from tmux_session import TmuxUI

BIN = os.environ.get("CONTACT_IMPORT_BIN")


def environment(fake, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "LANG": "C.UTF-8",
        "CONTACT_IMPORT_YAHOO_CLIENT_ID": fake.client_id,
        "CONTACT_IMPORT_YAHOO_CLIENT_SECRET": fake.client_secret,
        "CONTACT_IMPORT_YAHOO_AUTH_URL": fake.auth_url,
        "CONTACT_IMPORT_YAHOO_TOKEN_URL": fake.token_url,
    })
    return env


def written_texts(home):
    return [p.read_text(errors="replace") for p in home.rglob("*") if p.is_file()]


def test_the_code_from_yahoos_page_signs_in_and_the_book_is_read_with_a_bearer_token(tmp_path):
    with FakeYahoo(contacts=4) as fake:
        command = (f"{shlex.quote(BIN)} import --service yahoo --url {fake.carddav_url} --qr none "
                   "--events lines --format json --output out.json")
        session = TmuxUI(command, tmp_path, environment(fake, tmp_path), width=200, height=40)
        try:
            session.wait_for(r"Paste the address your browser ended on")
            screen = session.screen(joined=True)
            url = next(line.strip() for line in screen.split("\n") if line.strip().startswith(fake.auth_url))
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
            assert query["scope"] == ["sdct-r"] and query["redirect_uri"] == ["oob"]
            assert fake.client_secret not in screen
            code = fake.consent(url)
            session.type(code)
            session.keys("Enter")
            deadline = time.monotonic() + 30
            while not (tmp_path / "out.json").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
            payload = json.loads((tmp_path / "out.json").read_text())
            names = sorted(c.get("first_name", "") + " " + c.get("last_name", "") for c in payload["contacts"])
            assert len(names) == 4, names
            assert fake.bearer_requests >= 2
            final = session.screen(joined=True)
            for secret in fake.secrets:
                assert secret not in final
                assert all(secret not in text for text in written_texts(tmp_path))
        finally:
            session.kill()


def test_without_a_yahoo_app_yahoo_still_asks_for_an_app_password(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTACT_IMPORT_")}
    env.update({"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")})
    result = subprocess.run([BIN, "import", "--service", "yahoo", "--events", "lines"], env=env,
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert "259" in result.stderr and "app password" in result.stderr
