"""The old jQuery client (JSONP, `dataType: 'jsonp'`) against `contact-import serve` in
headless Chromium with Debian's jQuery: begin_import/user_consent.json, events.json/{id}
polled until an event of type COMPLETE appears, then contacts.json/{id}, every call a GET
with `callback=NAME&_=TIMESTAMP` and the credentials in the query string, as the
protocol document describes that client (§1.0, §5).
"""
import json
import pathlib
import tempfile

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from api_server import APIServer

JQUERY = pathlib.Path("/usr/share/javascript/jquery/jquery.js")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="JQUERY"></script></head><body>
<script>
var base = BASE, credentials = CREDENTIALS;
window.log = [];
function call(path, data, done) {
  $.ajax({url: base + path, dataType: 'jsonp', cache: false,
          data: $.extend({}, credentials, data || {}), success: done});
}
window.begin = function (service) {
  call('/begin_import/user_consent.json', {service: service, user_id: 'jq-user'}, function (began) {
    window.began = began;
    window.log.push('began');
    (function poll() {
      call('/events.json/' + began.import_id, {}, function (answer) {
        window.log.push('events ' + answer.events.length);
        var complete = $.grep(answer.events, function (e) { return e.event_type == 'COMPLETE'; });
        if (complete.length) {
          call('/contacts.json/' + began.import_id, {}, function (contacts) { window.contacts = contacts; });
        } else {
          setTimeout(poll, 300);
        }
      });
    })();
  });
};
</script></body></html>
"""


@pytest.fixture(scope="module")
def server():
    running = APIServer()
    yield running
    running.stop()


@pytest.fixture
def browser():
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


def test_the_jquery_jsonp_client_runs_all_three_stages(server, browser):
    assert JQUERY.is_file(), "Debian's libjs-jquery provides jQuery (scripts/test installs it)"
    key, password = server.credentials()
    with tempfile.TemporaryDirectory() as folder:
        page = pathlib.Path(folder) / "client.html"
        page.write_text(PAGE.replace("JQUERY", JQUERY.as_uri()).replace("BASE", json.dumps(server.base))
                        .replace("CREDENTIALS", json.dumps({"domain_key": key, "domain_password": password})))
        browser.get(page.as_uri())
        assert browser.execute_script("return typeof jQuery") == "function"
        browser.execute_script("window.begin('demo')")
        began = WebDriverWait(browser, 20).until(lambda driver: driver.execute_script("return window.began"))
        assert began["status"] == "success" and began["id"] == began["import_id"] and began["user_id"] == "jq-user"
        # The end user allows access on the consent page the server gave.
        allowed = requests.post(began["url"], data={"action": "allow"}, timeout=15)
        assert allowed.status_code == 200
        contacts = WebDriverWait(browser, 30).until(lambda driver: driver.execute_script("return window.contacts"))
    assert contacts["import_id"] == began["import_id"]
    assert contacts["user_id"] == "jq-user"
    assert contacts["total"] == 250 and len(contacts["contacts"]) == 250
    assert all("email" in contact and "first_name" in contact for contact in contacts["contacts"])
    log = browser.execute_script("return window.log")
    assert log[0] == "began" and len(log) >= 2
    # Every call went out as a GET with callback and a cache-buster, credentials in the query.
    entries = [json.loads(line) for line in server.log if line.startswith("{")]
    routes = [(entry.get("method"), entry.get("route"), entry.get("status")) for entry in entries if "route" in entry]
    assert ("GET", "begin_import/user_consent", "200") in routes
    assert ("GET", "events", "200") in routes
    assert ("GET", "contacts", "200") in routes
