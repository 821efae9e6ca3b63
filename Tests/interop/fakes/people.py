"""Deterministic address books for the provider fakes.

Every function returns fresh JSON-ready dicts (no two records share an object) in the
providers' own shapes (Google People API `Person`, Microsoft Graph `contact`); the same
arguments always give the same records, so a test can compare what the program imported with
what the fake served. Records are built by index arithmetic, not randomness: 10,000 contacts
take well under a second.

Across the first few dozen records every field a client maps appears at least once, with its
variants: names with prefix, middle name and suffix, non-ASCII and CJK names, several typed
e-mail addresses and numbers, birthdays with and without a year (and Google's free-text form,
and Outlook's year 1604 for "no year"), real photos and Google's default placeholders, and
memberships in system and user groups. Some records lack a name (only an address or a number),
as real books have.

Google:  google_people, google_other_contacts, google_user_groups, google_owner, google_malformed
Graph:   graph_contacts, graph_owner, graph_malformed, graph_folder_id
"""

import base64

# (name, ascii form for addresses). CJK names (every 23rd record) are written family first
# without a space, as the providers do, and carry no middle name or title.
GIVEN = [
    ("Ada", "ada"), ("Zoë", "zoe"), ("José", "jose"), ("Łukasz", "lukasz"), ("Søren", "soren"),
    ("Ðorđe", "dorde"), ("Иван", "ivan"), ("Αλέξης", "alexis"), ("Nguyễn Văn", "nguyen"),
    ("Françoise", "francoise"), ("Grace", "grace"), ("Mary-Jane", "maryjane"), ("Åsa", "asa"),
    ("Oğuz", "oguz"), ("Siobhán", "siobhan"), ("محمد", "mohammed"), ("Charles", "charles"),
]
FAMILY = [
    ("Lovelace", "lovelace"), ("Müller", "mueller"), ("García Márquez", "garcia"),
    ("Wałęsa", "walesa"), ("Kierkegaard", "kierkegaard"), ("Đoković", "djokovic"),
    ("Петров", "petrov"), ("Παπαδόπουλος", "papadopoulos"), ("O'Brien", "obrien"),
    ("Hopper", "hopper"), ("van der Berg", "vanderberg"), ("Öztürk", "ozturk"),
    ("Babbage", "babbage"), ("Ní Bhriain", "nibhriain"), ("Smith", "smith"),
]
CJK = [("小龍", "李", "li.xiaolong"), ("さくら", "山田", "yamada.sakura"), ("민준", "김", "kim.minjun")]
PREFIXES = ["Dr.", "Mrs", "Prof.", "Sr.", "Mx"]
SUFFIXES = ["Jr.", "III", "PhD", "KC"]
MIDDLES = ["Augusta", "Marie", "J.", "Ólafur"]
NICKNAMES = ["Addie", "Zo", "Pepe", "Łukek", "Bear"]
CITIES = [
    ("12 St James's Sq", "London", "", "SW1Y 4JH", "United Kingdom", "GB"),
    ("Königsallee 1", "Düsseldorf", "NRW", "40212", "Deutschland", "DE"),
    ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043", "USA", "US"),
    ("Rua Augusta 100", "Lisboa", "", "1100-053", "Portugal", "PT"),
    ("東京都千代田区丸の内1-1", "東京", "東京都", "100-0005", "日本", "JP"),
]
COMPANIES = [
    ("Analytical Engines Ltd", "Analyst", "R&D"), ("Société Générale d'Études", "Ingénieure", "Études"),
    ("Example Corp", "Manager", "Sales"), ("株式会社サンプル", "部長", "営業部"),
]
PHONE_TYPES = [("mobile", "Mobile"), ("home", "Home"), ("work", "Work"), ("workFax", "Work Fax"),
               ("main", "Main"), ("pager", "Pager"), ("Boat", "Boat")]
EMAIL_TYPES = [("home", "Home"), ("work", "Work"), ("other", "Other"), ("Club", "Club")]

# The system groups Google has for every account, with their localised names.
GOOGLE_SYSTEM_GROUPS = [
    ("myContacts", "My Contacts"), ("starred", "Starred"), ("friends", "Friends"),
    ("family", "Family"), ("coworkers", "Coworkers"),
]


def _name(i):
    """(given, family, ascii local part, display, last-first) for record i."""
    if i % 23 == 5:
        given, family, slug = CJK[(i // 23) % len(CJK)]
        return given, family, slug, family + given, family + given
    given, gslug = GIVEN[i % len(GIVEN)]
    family, fslug = FAMILY[(i // len(GIVEN) + i) % len(FAMILY)]
    return given, family, f"{gslug}.{fslug}", f"{given} {family}", f"{family}, {given}"


def _has(i, every, offset=0):
    return i % every == offset


# ---------------------------------------------------------------------------------------------
# Google People API


def google_user_groups():
    """User contact groups: [{"id", "name"}]; the fake serves them as contactGroups/<id>."""
    return [
        {"id": "2b5e6f0d8c1a", "name": "Work"},
        {"id": "4c1d9e3f7a20", "name": "Família"},
        {"id": "7f3a0b6c5e11", "name": "Книжный клуб"},
        {"id": "1a2b3c4d5e6f", "name": "友達"},
    ]


def _google_source(i, kind="CONTACT"):
    return {"type": kind, "id": f"{(i * 2654435761 + 0x6319d5f3) % (1 << 64):x}"}


def _field_meta(source, primary=False):
    return {"source": source, "primary": True} if primary else {"source": source}


def _etag(prefix, i):
    return prefix + base64.b64encode(i.to_bytes(6, "big")).decode("ascii")


def google_resource_name(i):
    return f"people/c{7141263551281941057 + i * 7919}"


def google_people(count, *, start=0, photo_base="https://lh3.googleusercontent.com/contacts"):
    """`count` Person records (records start .. start+count-1), as connections.list returns
    them with every personField requested. Photo URLs are photo_base + "/<id>"."""
    groups = google_user_groups()
    return [_google_person(i, groups, photo_base) for i in range(start, start + count)]


def _google_person(i, groups, photo_base):
    given, family, slug, display, last_first = _name(i)
    source = _google_source(i)  # one per record: every field of a record comes from one source
    meta = lambda primary=False: _field_meta(source, primary)  # noqa: E731
    person = {
        "resourceName": google_resource_name(i),
        "etag": _etag("%EgoBAgMEBQYHCAkKGgQBAgUHIgw", i),
        "metadata": {
            "sources": [dict(_google_source(i), etag=_etag("#", i),
                             updateTime=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:11:12.345Z")],
            "objectType": "PERSON",
        },
    }
    nameless = _has(i, 31, 17)
    cjk = _has(i, 23, 5)
    if not nameless:
        name = {"metadata": meta(True), "displayName": display, "displayNameLastFirst": last_first,
                "unstructuredName": display, "givenName": given, "familyName": family}
        if _has(i, 4, 1) and not cjk:
            name["middleName"] = MIDDLES[i % len(MIDDLES)]
        if _has(i, 6, 2) and not cjk:
            name["honorificPrefix"] = PREFIXES[i % len(PREFIXES)]
        if _has(i, 9, 3) and not cjk:
            name["honorificSuffix"] = SUFFIXES[i % len(SUFFIXES)]
        if any(k in name for k in ("middleName", "honorificPrefix", "honorificSuffix")):
            parts = [name.get("honorificPrefix"), given, name.get("middleName"), family,
                     name.get("honorificSuffix")]
            name["displayName"] = name["unstructuredName"] = " ".join(p for p in parts if p)
        person["names"] = [name]
        if _has(i, 5, 4):
            person["nicknames"] = [{"metadata": meta(True), "value": NICKNAMES[i % len(NICKNAMES)],
                                    "type": "DEFAULT"}]
    phone_only = _has(i, 37, 29)
    if not phone_only:
        emails = []
        for k in range(1 + (i % 3)):
            etype, eformatted = EMAIL_TYPES[(i + k) % len(EMAIL_TYPES)]
            email = {"metadata": meta(k == 0), "value": f"{slug}{'' if k == 0 else k}.{i}@example.org",
                     "type": etype, "formattedType": eformatted}
            if k == 0 and not nameless:
                email["displayName"] = display
            emails.append(email)
        person["emailAddresses"] = emails
    if phone_only or not _has(i, 3, 2):
        phones = []
        for k in range(1 + (i % 2) + (1 if phone_only else 0)):
            ptype, pformatted = PHONE_TYPES[(i + k) % len(PHONE_TYPES)]
            digits = f"{(i * 7 + k) % 10000:04d}"
            phones.append({"metadata": meta(k == 0), "value": f"+44 20 7946 {digits}",
                           "canonicalForm": f"+44207946{digits}", "type": ptype,
                           "formattedType": pformatted})
        person["phoneNumbers"] = phones
    if _has(i, 2, 0):
        street, city, region, postal, country, code = CITIES[i % len(CITIES)]
        kind = ("home", "Home") if _has(i, 4, 0) else ("work", "Work")
        lines = [street, " ".join(p for p in (postal, city, region) if p), country]
        person["addresses"] = [{"metadata": meta(True), "formattedValue": "\n".join(lines),
                                "type": kind[0], "formattedType": kind[1], "streetAddress": street,
                                "city": city, "region": region, "postalCode": postal,
                                "country": country, "countryCode": code}]
        if _has(i, 8, 0):
            person["addresses"][0]["poBox"] = f"PO Box {i}"
            person["addresses"][0]["extendedAddress"] = "Flat 2"
    if _has(i, 3, 0):
        company, title, department = COMPANIES[i % len(COMPANIES)]
        person["organizations"] = [{"metadata": meta(True), "name": company, "title": title,
                                    "department": department, "type": "work", "formattedType": "Work",
                                    "current": True}]
    year, month, day = 1950 + i % 60, 1 + i % 12, 1 + i % 28
    if _has(i, 7, 0):
        person["birthdays"] = [{"metadata": meta(True), "date": {"year": year, "month": month, "day": day}}]
    elif _has(i, 7, 1):
        person["birthdays"] = [{"metadata": meta(True), "date": {"month": month, "day": day}}]
    elif _has(i, 7, 2):
        person["birthdays"] = [{"metadata": meta(True), "date": {"year": year, "month": month, "day": day}},
                               {"metadata": {"source": _google_source(i, "PROFILE")},
                                "text": f"{day}/{month}/{year}"}]
    elif _has(i, 7, 3):
        person["birthdays"] = [{"metadata": meta(True), "text": "around midsummer"}]
    if _has(i, 11, 4):
        person["events"] = [{"metadata": meta(True), "date": {"year": 2001 + i % 20, "month": month, "day": day},
                             "type": "anniversary", "formattedType": "Anniversary"},
                            {"metadata": meta(), "date": {"month": 12 - i % 12, "day": 6},
                             "type": "Name day", "formattedType": "Name day"}]
    if _has(i, 6, 1):
        person["urls"] = [{"metadata": meta(True), "value": f"https://example.org/~{slug}",
                           "type": "homePage", "formattedType": "Home Page"},
                          {"metadata": meta(), "value": f"https://blog.example.org/{i}", "type": "blog",
                           "formattedType": "Blog"}]
    if _has(i, 5, 2):
        person["biographies"] = [{"metadata": meta(True), "contentType": "TEXT_PLAIN",
                                  "value": f"Met at the conference in {CITIES[i % len(CITIES)][1]}.\n"
                                           "Likes tea, \"strong\"; no sugar."}]
    if _has(i, 10, 3):
        person["userDefined"] = [{"metadata": meta(), "key": "Employee ID", "value": f"E-{i:05d}"},
                                 {"metadata": meta(), "key": "Lieblingsfarbe", "value": "grün"}]
    if _has(i, 8, 5):
        person["imClients"] = [{"metadata": meta(True), "username": f"{slug}@jabber.example.org", "type": "home",
                                "formattedType": "Home", "protocol": "jabber", "formattedProtocol": "Jabber"}]
        person["sipAddresses"] = [{"metadata": meta(True), "value": f"sip:{slug}@example.org", "type": "work",
                                   "formattedType": "Work"}]
    if _has(i, 12, 7):
        person["relations"] = [{"metadata": meta(), "person": "Charles Babbage", "type": "friend",
                                "formattedType": "Friend"}]
    memberships = [_google_membership(source, "myContacts")]
    if _has(i, 4, 2):
        memberships.append(_google_membership(source, "starred"))
    if _has(i, 3, 1):
        memberships.append(_google_membership(source, groups[i % len(groups)]["id"]))
    if _has(i, 13, 6):
        memberships.append(_google_membership(source, groups[(i + 1) % len(groups)]["id"]))
    person["memberships"] = memberships
    photo_id = f"p{i:06d}"
    placeholder = not _has(i, 4, 3)
    photo = {"metadata": meta(True), "url": f"{photo_base}/{photo_id}"}
    if placeholder:
        photo["default"] = True
    person["photos"] = [photo]
    return person


def _google_membership(source, group_id):
    return {"metadata": {"source": source},
            "contactGroupMembership": {"contactGroupId": group_id,
                                       "contactGroupResourceName": f"contactGroups/{group_id}"}}


def google_other_contacts(count, *, start=0):
    """"Other contacts" (addresses Gmail saved on its own): names, e-mails, some numbers."""
    records = []
    for i in range(start, start + count):
        given, family, slug, display, last_first = _name(i + 1000)
        record = {
            "resourceName": f"otherContacts/c{5234000000000000000 + i * 104729}",
            "etag": _etag("%EgMBAgMaBAECBQciDE", i),
            "metadata": {"sources": [dict(_google_source(i, "OTHER_CONTACT"), etag=_etag("#", i))],
                         "objectType": "PERSON"},
            "emailAddresses": [{"metadata": {"primary": True, "source": _google_source(i, "OTHER_CONTACT")},
                                "value": f"{slug}.other{i}@example.net"}],
        }
        if not _has(i, 3, 2):
            record["names"] = [{"metadata": {"primary": True, "source": _google_source(i, "OTHER_CONTACT")},
                                "displayName": display, "displayNameLastFirst": last_first,
                                "unstructuredName": display, "givenName": given, "familyName": family}]
        if _has(i, 4, 1):
            record["phoneNumbers"] = [{"metadata": {"primary": True, "source": _google_source(i, "OTHER_CONTACT")},
                                       "value": f"+1 555 01{i % 100:02d}", "canonicalForm": f"+155501{i % 100:02d}"}]
        records.append(record)
    return records


def google_owner():
    """The signed-in account, as people/me returns it."""
    return {
        "resourceName": "people/100000000000000000001",
        "etag": "%EgUBAj43LhoEAQIFByIMbm93bmVyMDAwMDE=",
        "names": [{"metadata": {"primary": True, "source": {"type": "PROFILE", "id": "100000000000000000001"}},
                   "displayName": "Ada Tester", "givenName": "Ada", "familyName": "Tester",
                   "displayNameLastFirst": "Tester, Ada", "unstructuredName": "Ada Tester"}],
        "emailAddresses": [{"metadata": {"primary": True, "verified": True,
                                         "source": {"type": "ACCOUNT", "id": "100000000000000000001"}},
                            "value": "ada.tester@gmail.example"}],
    }


# Malformed records, each breaking the Person schema in one way (what a decoder must survive).
GOOGLE_MALFORMED_KINDS = [
    ("names-not-a-list", lambda r: r.update(names={"givenName": "Broken", "familyName": "Names"})),
    ("email-value-number", lambda r: r.update(emailAddresses=[{"value": 12345, "type": "home"}])),
    ("phone-not-an-object", lambda r: r.update(phoneNumbers=["+44 20 7946 0000"])),
    ("birthday-bad-date", lambda r: r.update(birthdays=[{"date": {"year": "1815", "month": 13, "day": "x"}}])),
    ("membership-without-group", lambda r: r.update(memberships=[{"metadata": {}}])),
    ("names-null", lambda r: r.update(names=None)),
]


def google_malformed(count, *, start=0):
    """`count` Person records that break the schema, cycling through GOOGLE_MALFORMED_KINDS.
    Each keeps a well-formed resourceName "people/cmalformed<k>-<kind>" so a test can find it."""
    records = []
    for k in range(start, start + count):
        kind, breaker = GOOGLE_MALFORMED_KINDS[k % len(GOOGLE_MALFORMED_KINDS)]
        record = {"resourceName": f"people/cmalformed{k}-{kind}", "etag": _etag("%Bad", k),
                  "names": [{"displayName": f"Malformed {k}", "givenName": "Malformed", "familyName": str(k)}],
                  "emailAddresses": [{"value": f"malformed{k}@example.org", "type": "home"}]}
        breaker(record)
        records.append(record)
    return records


# ---------------------------------------------------------------------------------------------
# Microsoft Graph


def graph_folder_id(n):
    """Deterministic id of contact folder number n (0 is the default Contacts folder)."""
    raw = f"fake-contact-folder-{n:04d}".encode("ascii")
    return "AAMkAGI2TG93AAAuAAAAAA" + base64.b64encode(raw).decode("ascii")


def graph_contact_id(i):
    raw = f"fake-contact-{i:08d}".encode("ascii")
    return "AAMkAGI2THVhAABGAAAAAA" + base64.b64encode(raw).decode("ascii")


# Outlook keeps a birthday without a year as year 1604; times other than midnight occur too.
def _graph_birthday(i):
    month, day = 1 + i % 12, 1 + i % 28
    if _has(i, 6, 0):
        return f"{1950 + i % 60}-{month:02d}-{day:02d}T00:00:00Z"
    if _has(i, 6, 1):
        return f"1604-{month:02d}-{day:02d}T00:00:00Z"
    if _has(i, 6, 2):
        return f"{1960 + i % 40}-{month:02d}-{day:02d}T11:59:00Z"
    return None


def graph_contacts(count, *, start=0, folder_id=None):
    """`count` Graph contact records (records start .. start+count-1) with every property of
    the contact resource, in the folder `folder_id` (default: the default Contacts folder)."""
    folder_id = folder_id or graph_folder_id(0)
    return [_graph_contact(i, folder_id) for i in range(start, start + count)]


def _graph_address(i):
    street, city, region, postal, country, _ = CITIES[i % len(CITIES)]
    return {"street": street, "city": city, "state": region, "countryOrRegion": country, "postalCode": postal}


def _graph_contact(i, folder_id):
    given, family, slug, display, _ = _name(i)
    nameless = _has(i, 31, 17)
    company, title, department = COMPANIES[i % len(COMPANIES)]
    has_company = _has(i, 3, 0)
    created = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:{i % 60:02d}:00Z"
    contact = {
        "@odata.etag": f'W/"EQAAABYAAAA{_etag("", i)}"',
        "id": graph_contact_id(i),
        "createdDateTime": created,
        "lastModifiedDateTime": created.replace("2024-", "2025-"),
        "changeKey": "EQAAABYAAAA" + _etag("", i),
        "categories": (["Friends"] if _has(i, 3, 1) else []) + (["Família", "VIP"] if _has(i, 7, 2) else []),
        "parentFolderId": folder_id,
        "birthday": _graph_birthday(i),
        "fileAs": "" if nameless else f"{family}, {given}",
        "displayName": "" if nameless else display,
        "givenName": None if nameless else given,
        "initials": None if nameless else f"{given[0]}.{family[0]}.",
        "middleName": MIDDLES[i % len(MIDDLES)] if _has(i, 4, 1) and not nameless else None,
        "nickName": NICKNAMES[i % len(NICKNAMES)] if _has(i, 5, 4) else None,
        "surname": None if nameless else family,
        "title": PREFIXES[i % len(PREFIXES)] if _has(i, 6, 2) else None,
        "yomiGivenName": "さくら" if _has(i, 23, 5) else None,
        "yomiSurname": "やまだ" if _has(i, 23, 5) else None,
        "yomiCompanyName": "サンプル" if has_company and "株式会社" in company else None,
        "generation": SUFFIXES[i % len(SUFFIXES)] if _has(i, 9, 3) else None,
        "imAddresses": [f"sip:{slug}@example.org"] if _has(i, 8, 5) else [],
        "jobTitle": title if has_company else None,
        "companyName": company if has_company else None,
        "department": department if has_company else None,
        "officeLocation": "Building 4, 2nd floor" if has_company and _has(i, 2, 0) else None,
        "profession": "Engineer" if _has(i, 10, 3) else None,
        "businessHomePage": f"https://example.org/~{slug}" if _has(i, 6, 1) else None,
        "assistantName": "Charles Babbage" if _has(i, 12, 0) else None,
        "manager": "Grace Hopper" if _has(i, 12, 0) else None,
        "homePhones": [f"+44 20 7946 {(i * 7) % 10000:04d}"] if _has(i, 2, 1) else [],
        "mobilePhone": f"+44 7700 9{(i * 13) % 100000:05d}" if not _has(i, 3, 2) else None,
        "businessPhones": ([f"+49 211 {(i * 11) % 1000000:06d}"] if has_company else [])
                          + ([f"+49 211 {(i * 17) % 1000000:06d}"] if has_company and _has(i, 2, 0) else []),
        "spouseName": "Ana" if _has(i, 11, 4) else None,
        "personalNotes": (f"Met in {CITIES[i % len(CITIES)][1]}.\r\nLikes tea, \"strong\"." if _has(i, 5, 2) else ""),
        "children": ["Ana", "Zé"] if _has(i, 11, 4) else [],
        "emailAddresses": ([] if _has(i, 37, 29) else
                           [{"name": "" if nameless else display,
                             "address": f"{slug}{'' if k == 0 else k}.{i}@example.org"}
                            for k in range(1 + i % 3)]),
        "homeAddress": _graph_address(i) if _has(i, 4, 0) else {},
        "businessAddress": _graph_address(i + 1) if has_company and _has(i, 2, 0) else {},
        "otherAddress": _graph_address(i + 2) if _has(i, 8, 6) else {},
    }
    return contact


def graph_owner():
    """The signed-in user as GET /v1.0/me returns it."""
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "businessPhones": [], "displayName": "Ada Tester", "givenName": "Ada", "jobTitle": None,
        "mail": "ada.tester@outlook.example", "mobilePhone": None, "officeLocation": None,
        "preferredLanguage": "en-GB", "surname": "Tester", "userPrincipalName": "ada.tester@outlook.example",
        "id": "00000000-0000-0000-a1b2-c3d4e5f60001",
    }


GRAPH_MALFORMED_KINDS = [
    ("emails-not-a-list", lambda r: r.update(emailAddresses={"address": "broken@example.org"})),
    ("email-address-number", lambda r: r.update(emailAddresses=[{"name": "Broken", "address": 12345}])),
    ("birthday-not-a-date", lambda r: r.update(birthday="the tenth of December")),
    ("display-name-number", lambda r: r.update(displayName=42)),
    ("home-address-string", lambda r: r.update(homeAddress="12 St James's Sq, London")),
    ("phones-null", lambda r: r.update(businessPhones=None, homePhones=[None, 7])),
]


def graph_malformed(count, *, start=0, folder_id=None):
    """`count` contacts that break the Graph schema, cycling through GRAPH_MALFORMED_KINDS. Each
    keeps a string id "malformed-<k>-<kind>"."""
    folder_id = folder_id or graph_folder_id(0)
    records = []
    for k in range(start, start + count):
        kind, breaker = GRAPH_MALFORMED_KINDS[k % len(GRAPH_MALFORMED_KINDS)]
        record = {"@odata.etag": f'W/"bad{k}"', "id": f"malformed-{k}-{kind}", "displayName": f"Malformed {k}",
                  "givenName": "Malformed", "surname": str(k), "parentFolderId": folder_id,
                  "emailAddresses": [{"name": f"Malformed {k}", "address": f"malformed{k}@example.org"}]}
        breaker(record)
        records.append(record)
    return records
