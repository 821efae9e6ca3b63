"""Our vCard exports read back by independent readers: vobject and khard.

Each input (the real-world corpus plus a hand-written card full of awkward values) is
exported with `contact-import convert` as vCard 3.0 and 4.0 and as the JSON payload; the
JSON is our own view of the contacts, and both readers must see the same people in the
vCard files.
"""
import json
import os
import pathlib
import re
import subprocess

import pytest
import vobject

BIN = os.environ.get("CONTACT_IMPORT_BIN")
REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "vcard" / "ez-vcard"

AWKWARD = "\r\n".join([
    "BEGIN:VCARD",
    "VERSION:3.0",
    "N:Ångström;Zoë;Marie;Dr.;PhD",
    "FN:Dr. Zoë Marie Ångström PhD",
    "NICKNAME:Zo",
    "EMAIL;TYPE=INTERNET,HOME,PREF:zoe@example.se",
    "EMAIL;TYPE=INTERNET,WORK:z.angstrom@lab.example.org",
    "item1.EMAIL:gym@example.net",
    "item1.X-ABLabel:Gym",
    "TEL;TYPE=CELL:+46 70 123 45 67",
    "TEL;TYPE=WORK,FAX:+46 8 555 000",
    "ADR;TYPE=HOME:;Apt 4;Storgatan 1\\, hus B;Stockholm;;111 22;Sweden",
    "ORG:Acme\\, Inc.;R&D",
    "TITLE:Head of Research; Europe",
    "BDAY:--04-15",
    "CATEGORIES:Friends,Work\\, past",
    "URL:https://example.se/zoe",
    "NOTE:Line one\\nLine two with a backslash \\\\ and a semicolon \\;",
    "UID:awkward-1",
    "END:VCARD",
    "BEGIN:VCARD",
    "VERSION:3.0",
    "N:王;小明;;;",
    "FN:王小明",
    "TEL;TYPE=HOME:010-1234-5678",
    "BDAY:1985-02-28",
    "END:VCARD",
    "",
])


def run(*args):
    assert BIN, "CONTACT_IMPORT_BIN must name the contact-import binary (scripts/test sets it)"
    result = subprocess.run([BIN, *args], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def inputs():
    files = sorted(CORPUS.glob("*.vcf"))
    assert files, f"no corpus files under {CORPUS}"
    return [pytest.param(path, id=path.name) for path in files] + [pytest.param(None, id="awkward")]


@pytest.fixture
def source(request, tmp_path):
    if request.param is None:
        path = tmp_path / "awkward.vcf"
        path.write_text(AWKWARD, encoding="utf-8", newline="")
        return path
    return request.param


def export(source, version, tmp_path):
    ours = json.loads(run("convert", str(source), "-", "--to", "json"))["contacts"]
    out = tmp_path / f"export-{version}.vcf"
    run("convert", str(source), str(out), "--to", version)
    return ours, out.read_bytes()


def digits(text):
    return re.sub(r"\D", "", text or "")


@pytest.mark.parametrize("source", inputs(), indirect=True)
@pytest.mark.parametrize("version", ["vcard", "vcard4"])
def test_vobject_reads_every_card_with_the_same_values(source, version, tmp_path):
    ours, exported = export(source, version, tmp_path)
    assert ours, "the input has contacts"
    cards = list(vobject.readComponents(exported.decode("utf-8")))
    assert len(cards) == len(ours)
    for card, contact in zip(cards, ours):
        assert card.version.value == ("3.0" if version == "vcard" else "4.0")
        assert card.fn.value.strip()
        name = card.n.value
        assert (name.given or "") == (contact["first_name"] or "")
        assert (name.family or "") == (contact["last_name"] or "")
        emails = sorted(line.value for line in card.contents.get("email", []))
        assert emails == sorted(e["address"] for e in contact["email"])
        phones = sorted(digits(line.value) for line in card.contents.get("tel", []))
        assert phones == sorted(digits(p["number"]) for p in contact["phone"])
        if contact["companies"]:
            assert card.org.value[0] == contact["companies"][0]
        if contact.get("job_title"):
            assert card.title.value == contact["job_title"]
        if contact["groups"]:
            assert list(card.categories.value) == contact["groups"]
        if contact.get("dob"):
            assert digits(card.bday.value) == digits(contact["dob"])
        elif contact.get("birthday"):
            assert digits(card.bday.value) == digits(contact["birthday"])
        streets = sorted(line.value.street for line in card.contents.get("adr", []))
        assert streets == sorted((a["street"] or "") for a in contact["address"])


def test_awkward_values_survive_exactly(tmp_path):
    path = tmp_path / "awkward.vcf"
    path.write_text(AWKWARD, encoding="utf-8", newline="")
    for version in ["vcard", "vcard4"]:
        _, exported = export(path, version, tmp_path)
        zoe, wang = list(vobject.readComponents(exported.decode("utf-8")))
        assert zoe.n.value.family == "Ångström" and zoe.n.value.prefix == "Dr." and zoe.n.value.suffix == "PhD"
        assert zoe.note.value == "Line one\nLine two with a backslash \\ and a semicolon ;"
        assert zoe.org.value == ["Acme, Inc.", "R&D"]
        assert zoe.title.value == "Head of Research; Europe"
        assert list(zoe.categories.value) == ["Friends", "Work, past"]
        assert zoe.adr.value.street == "Storgatan 1, hus B" and zoe.adr.value.extended == "Apt 4"
        assert zoe.url.value == "https://example.se/zoe"
        assert wang.fn.value == "王小明"
        # Folded lines are at most 75 octets, and folding never splits a UTF-8 sequence.
        for line in exported.split(b"\r\n"):
            assert len(line) <= 75
            line.decode("utf-8")


def write_khard_config(tmp_path, cards_dir):
    config = tmp_path / "khard.conf"
    config.write_text(f"""[addressbooks]
[[export]]
path = {cards_dir}

[general]
default_action = list

[contact table]
display = formatted_name
show_uids = yes
sort = last_name

[vcard]
search_in_source_files = no
skip_unparsable = no
""", encoding="utf-8")
    return config


def khard(config, *args):
    env = dict(os.environ, HOME=str(config.parent), XDG_CONFIG_HOME=str(config.parent))
    result = subprocess.run(["khard", "-c", str(config), *args], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("source", inputs(), indirect=True)
@pytest.mark.parametrize("version", ["vcard", "vcard4"])
def test_khard_reads_every_card(source, version, tmp_path):
    ours, exported = export(source, version, tmp_path)
    cards_dir = tmp_path / "cards"
    cards_dir.mkdir()
    blocks = re.findall(rb"BEGIN:VCARD\r\n.*?END:VCARD\r\n", exported, flags=re.S)
    assert len(blocks) == len(ours)
    for number, block in enumerate(blocks):
        (cards_dir / f"{number}.vcf").write_bytes(block)
    config = write_khard_config(tmp_path, cards_dir)

    listed = khard(config, "list", "--parsable")
    assert len(listed) == len(ours)

    expected_emails = sorted(e["address"] for c in ours for e in c["email"])
    if expected_emails:
        emails = khard(config, "email", "--parsable", "--remove-first-line")
        assert sorted(row[0] for row in emails) == expected_emails
    expected_phones = sorted(digits(p["number"]) for c in ours for p in c["phone"])
    if expected_phones:
        phones = khard(config, "phone", "--parsable")
        assert sorted(digits(row[0]) for row in phones) == expected_phones
