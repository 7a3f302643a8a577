"""The actor gazetteer: data integrity, lookup normalisation and title stripping."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from flows.extract.gazetteer import build_gazetteer, load_gazetteer, normalize, strip_title

ORG_KINDS = {"igo", "armed_group", "party", "government_body", "ngo", "media"}


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(resources.files("flows.data").joinpath("gazetteer.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_top_level_keys(data):
    assert set(data) == {"states", "organizations", "titles", "group_nouns", "person_roles", "title_affiliations"}


def test_every_un_member_plus_others_with_unique_name_and_code(data):
    states = data["states"]
    assert len(states) >= 198  # 193 UN members, 2 observers, Taiwan, Kosovo, Western Sahara
    names = [s["name"] for s in states]
    codes = [s["code"] for s in states]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert {"RUS", "UKR", "USA", "GBR", "CHN", "PRK", "KOR", "IRN", "PSE", "TWN", "XKX", "VAT"} <= set(codes)


def test_organizations_have_known_kinds_and_resolvable_affiliations(data, gaz):
    orgs = data["organizations"]
    names = [o["name"] for o in orgs]
    assert len(set(names)) == len(names)
    assert {o["kind"] for o in orgs} <= ORG_KINDS
    for org in orgs:
        if org["affiliation"] is not None:
            assert gaz.entry(org["affiliation"]) is not None, org


def test_no_surface_names_two_actors(data):
    # build_gazetteer raises on any collision; the packaged data must build cleanly
    assert len(build_gazetteer(data).entries) == len(data["states"]) + len(data["organizations"])


def test_collisions_are_reported():
    data = {
        "states": [{"name": "Belgium", "code": "BEL", "capitals": ["Brussels"]}],
        "organizations": [{"name": "European Union", "aliases": ["Brussels"], "kind": "igo"}],
        "titles": [],
        "group_nouns": [],
        "person_roles": [],
    }
    with pytest.raises(ValueError, match="Brussels.*Belgium / European Union"):
        build_gazetteer(data)


@pytest.mark.parametrize(
    ("surface", "name", "via"),
    [
        ("Kyiv", "Ukraine", "capital"),
        ("Kiev", "Ukraine", "capital"),
        ("the Kremlin", "Russia", "seat"),
        ("KREMLIN", "Russia", "seat"),
        ("Moscow", "Russia", "capital"),
        ("U.S.", "United States", "alias"),
        ("the US", "United States", "alias"),
        ("Washington", "United States", "capital"),
        ("the White House", "United States", "seat"),
        ("Britain", "United Kingdom", "alias"),
        ("U.K.", "United Kingdom", "alias"),
        ("Downing Street", "United Kingdom", "seat"),
        ("No. 10", "United Kingdom", "seat"),
        ("Beijing", "China", "capital"),
        ("DPRK", "North Korea", "alias"),
        ("Tehran", "Iran", "capital"),
        ("Jerusalem", "Israel", "capital"),
        ("Elysée Palace", "France", "seat"),
        ("Elysee Palace", "France", "seat"),
        ("Türkiye", "Turkey", "alias"),
        ("Côte d’Ivoire", "Ivory Coast", "alias"),
        ("Sana’a", "Yemen", "capital"),
        ("The Hague", "Netherlands", "capital"),
        ("Ukrainian", "Ukraine", "demonym"),
        ("Russian", "Russia", "demonym"),
        ("the United Nations", "United Nations", "name"),
        ("U.N.", "United Nations", "alias"),
        ("Nato", "NATO", "alias"),
        ("Brussels", "European Union", "alias"),
        ("Ansar Allah", "Houthis", "alias"),
        ("ISIL", "Islamic State", "alias"),
        ("al Qaeda", "al-Qaeda", "alias"),
        ("Al-Qaeda", "al-Qaeda", "name"),
        ("RSF", "Rapid Support Forces", "alias"),
        ("Pentagon", "Pentagon", "name"),
    ],
)
def test_lookup(gaz, surface, name, via):
    entry = gaz.lookup(surface)
    assert entry is not None, surface
    assert (entry.name, entry.via) == (name, via)


def test_lookup_entry_fields(gaz):
    council = gaz.lookup("Security Council")
    assert (council.name, council.type) == ("UN Security Council", "organization")
    assert council.affiliation == "United Nations"
    assert gaz.lookup("State Department").affiliation == "United States"
    assert gaz.lookup("European Commission").affiliation == "European Union"
    kyiv = gaz.lookup("Kyiv")
    assert (kyiv.type, kyiv.code, kyiv.affiliation) == ("state", "UKR", None)
    assert gaz.lookup("Hamas").kind == "armed_group"
    assert gaz.entry("Russia").via == "name"
    assert gaz.entry("Moscow") is None


@pytest.mark.parametrize(
    "surface",
    [
        "us",
        "who",
        "Who",
        "Is",
        "is",
        "turkey",
        "amnesty",
        "congress",
        "",
        "the",
        "Ukraine's",
        "Kyiv,",
        "Foreign Ministry",
        "Korea",
        "Europe",
    ],
)
def test_lookup_rejects_common_words_and_non_entries(gaz, surface):
    assert gaz.lookup(surface) is None


def test_acronyms_are_case_sensitive_but_names_are_not(gaz):
    assert gaz.lookup("WHO").name == "World Health Organization"
    assert gaz.lookup("World health organization").name == "World Health Organization"
    assert gaz.lookup("SOUTH KOREA").name == "South Korea"
    assert gaz.lookup("south korea") is None  # capitalised names need a capital initial


def test_normalize():
    assert normalize("the  U.S.") == "US"
    assert normalize("Sana\u2019a") == "Sana'a"
    assert normalize("Bogotá") == "Bogota"


def test_demonym_state(gaz):
    assert gaz.demonym_state("Ukrainian") == "Ukraine"
    assert gaz.demonym_state("South Koreans") == "South Korea"
    assert gaz.demonym_state("Congolese") == "Democratic Republic of the Congo"
    assert gaz.demonym_state("Poles") == "Poland"
    assert gaz.demonym_state("poles") is None
    assert gaz.demonym_state("Korean") is None  # North or South: deliberately absent
    assert gaz.demonym_state("Kyiv") is None


def test_word_lists(gaz):
    assert {"president", "prime minister", "secretary of state", "mr.", "gen."} <= gaz.titles
    assert {"officials", "leaders", "diplomats", "troops"} <= gaz.group_nouns
    assert {"spokesman", "president", "envoy"} <= gaz.person_roles
    for words in (gaz.titles, gaz.group_nouns, gaz.person_roles):
        assert all(w == w.lower() for w in words)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("President Volodymyr Zelenskyy", "Volodymyr Zelenskyy"),
        ("U.S. Secretary of State Antony Blinken", "Antony Blinken"),
        ("Mr. Putin", "Putin"),
        ("Mrs Thatcher", "Thatcher"),
        ("Russian Foreign Ministry spokeswoman Maria Zakharova", "Maria Zakharova"),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Ukraine’s President Volodymyr Zelensky", "Volodymyr Zelensky"),
        ("former U.S. President Barack Obama", "Barack Obama"),
        ("then-President Donald Trump", "Donald Trump"),
        ("Lt. Gen. Keith Kellogg", "Keith Kellogg"),
        ("Special Envoy for the Middle East Steve Witkoff", "Steve Witkoff"),
        ("Minister of Foreign Affairs Sergey Lavrov", "Sergey Lavrov"),
        ("NATO Secretary-General Mark Rutte", "Mark Rutte"),
        ("EU foreign policy chief Kaja Kallas", "Kaja Kallas"),
        ("North Korean leader Kim Jong Un", "Kim Jong Un"),
        ("Qatari Prime Minister Sheikh Tamim Al Thani", "Tamim Al Thani"),
        ("Supreme Leader Ayatollah Ali Khamenei", "Ali Khamenei"),
        ("Prime Minister John Major", "John Major"),
        ("President Jordan Bardella", "Jordan Bardella"),
        # nothing to strip, or nothing name-like left
        ("John Major", "John Major"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("the president", "the president"),
        ("Prime Minister", "Prime Minister"),
    ],
)
def test_strip_title(name, expected):
    assert strip_title(name) == expected
