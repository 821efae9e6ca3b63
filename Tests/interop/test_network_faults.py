"""Network faults between the program and a provider: a proxy (fault_proxy.py) sits
between contact-import and the fake People API, or the fake Microsoft Graph, and spoils
the second page of contacts.
Each fault must end the import with its code from docs/errors.md within the deadline
(request timeout 3 s, two attempts), and the contacts gathered before the fault must still
show in the import's report (the GATHERING count), not vanish.
"""
import pytest

from fakes.google import FakeGoogle
from fault_proxy import FaultProxy
from import_events import codes_and_gathered
from fakes.microsoft import FakeMicrosoft
from test_google import google_import  # noqa: F401 (the fixture)
from test_microsoft import MicrosoftImport, approve

FAULT_CODES = {
    "reset": 518,      # the connection keeps dropping mid-request
    "truncate": 518,   # an answer cut short is no answer
    "stall": 258,      # no answer within the request timeout
    "trickle": 258,    # a byte a second never finishes within the timeout
}


@pytest.mark.parametrize("fault", sorted(FAULT_CODES))
def test_a_spoiled_second_page_ends_with_its_code_and_keeps_what_was_gathered(google_import, tmp_path, fault):
    with FakeGoogle(contacts=2100) as fake:
        upstream = int(fake.people_url.rsplit(":", 1)[1])
        with FaultProxy(upstream, fault, target="pageToken=", spare=0) as proxy:
            job = google_import(fake, env={
                "CONTACT_IMPORT_GOOGLE_PEOPLE_URL": f"http://127.0.0.1:{proxy.port}",
                "CONTACT_IMPORT_API_TIMEOUT": "3", "CONTACT_IMPORT_API_ATTEMPTS": "2",
                "CONTACT_IMPORT_API_IMPORT_DEADLINE": "60",
            })
            fake.consent(job.consent_url(), deliver=True)
            # Two attempts of at most 3 s each and the retry delay end well within this bound.
            assert job.finish(timeout=45) != 0, job.text
            assert job.error_code() == FAULT_CODES[fault], job.text
            assert proxy.spoiled >= 1
            gathering = [e["value"] for ev in job.events() if isinstance(ev, dict)
                         for e in ev.get("events", []) if e.get("event_type") == "GATHERING"]
            assert gathering and max(gathering) >= 1000, job.text
            assert not job.output.exists()


@pytest.mark.parametrize("fault", sorted(FAULT_CODES))
def test_a_spoiled_second_graph_page_ends_with_its_code_and_keeps_what_was_gathered(tmp_path, fault):
    # 2,100 contacts: pages of 1,000, the second asked for with `$skip=1000`.
    with FakeMicrosoft(contacts=2100, interval=0.2).start() as fake:
        upstream = int(fake.graph_url.rsplit(":", 1)[1])
        with FaultProxy(upstream, fault, target="skip=", spare=0) as proxy:
            run = MicrosoftImport(fake, tmp_path, events="json", extra=("--format", "json"), env={
                "CONTACT_IMPORT_MICROSOFT_GRAPH_URL": f"http://127.0.0.1:{proxy.port}",
                "CONTACT_IMPORT_API_TIMEOUT": "3", "CONTACT_IMPORT_API_ATTEMPTS": "2",
                "CONTACT_IMPORT_API_IMPORT_DEADLINE": "60",
            })
            approve(fake)
            assert run.finish(timeout=45) != 0, run.stderr
            assert proxy.spoiled >= 1
            codes, gathering = codes_and_gathered(run.stderr)
            assert codes and set(codes) == {FAULT_CODES[fault]}, run.stderr
            assert gathering and max(gathering) >= 1000, run.stderr
            assert not run.output.exists()
