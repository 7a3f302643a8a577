"""Actors: mentions, canonical names, affiliations, agentivity and role/pronoun coreference."""

from __future__ import annotations

import pytest

from flows.extract import extract_doc
from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.names import acronym_fits, dateline_ranges, drop_middle_initials, headline_ranges, initials_match


def index(nlp, text: str) -> ActorIndex:
    return ActorIndex(ParsedArticle("t", text, nlp(text)))


def actors(nlp, text: str) -> dict:
    return {a.actor_name: a for a in extract_doc("t", text, nlp(text)).actors}


def token(idx: ActorIndex, word: str, nth: int = 0):
    return [t for t in idx.article.doc if t.text == word][nth]


# ---- names ----------------------------------------------------------------------------------
def test_name_helpers():
    assert initials_match("ILWU", "International Longshore and Warehouse Union")
    assert not initials_match("Council", "Central Union")
    assert acronym_fits("DUP", "Northern Irish Democratic Union Party")
    assert drop_middle_initials("Antony J. Blinken") == "Antony Blinken"
    assert drop_middle_initials("Xi Jinping") == "Xi Jinping"
    text = "Ministers Urge Calm as Border Talks Stall in the Capital\n\nMinisters met on Monday."
    assert headline_ranges(text) == [(0, text.index("\n"))]


# ---- canonical names and agentivity -----------------------------------------------------------
def test_capital_as_agent_is_the_state(nlp):
    got = actors(nlp, "Moscow rejected the proposal on Tuesday, and Kyiv said it would keep fighting.")
    assert {"Russia", "Ukraine"} <= set(got)
    assert "Moscow" in got["Russia"].aliases


def test_places_that_only_locate_are_not_actors(nlp):
    text = (
        "The foreign ministers met at a summit in Bishkek, the capital of Kyrgyzstan. "
        "Later, France said the talks in Qatar had failed."
    )
    got = actors(nlp, text)
    assert "France" in got
    assert "Kyrgyzstan" not in got and "Qatar" not in got


def test_gazetteer_mention_has_no_trailing_punctuation(nlp):
    idx = index(nlp, "The envoy flew to Qatar.\n\nGermany said it disagreed.")
    texts = {m.text for m in idx.mentions}
    assert "Qatar" in texts and "Germany" in texts


def test_titles_stripped_and_spelling_variants_merged(nlp):
    text = (
        "President Volodymyr Zelenskyy said Ukraine would not give up territory. "
        "Zelensky added that talks would continue, and Zelenskiy thanked his allies."
    )
    got = actors(nlp, text)
    persons = [n for n, a in got.items() if a.actor_type == "person"]
    assert persons == ["Volodymyr Zelenskyy"]


def test_middle_initial_dropped_from_canonical_name(nlp):
    got = actors(nlp, "Antony J. Blinken said the proposal was generous.")
    assert "Antony Blinken" in got
    assert "Antony J. Blinken" in got["Antony Blinken"].aliases


def test_headline_words_are_not_actors(nlp):
    text = (
        "Ministers Urge Calm as Border Talks Stall, Divisions Emerge over Path Forward\n\n"
        "Germany said the talks had stalled."
    )
    got = actors(nlp, text)
    assert set(got) == {"Germany"}


def test_acronym_and_long_form_are_one_actor(nlp):
    text = "The Pacific Shipping Association (PSA) rejected the union's offer. The PSA said it wanted a mediator."
    got = actors(nlp, text)
    assert "Pacific Shipping Association" in got
    assert "PSA" not in got


def test_media_outlets_are_not_actors(nlp):
    got = actors(nlp, "Iran rejected the plan, Reuters reported, citing a statement carried by Al Jazeera.")
    assert "Iran" in got
    assert not {"Reuters", "Al Jazeera"} & set(got)


def test_title_of_state_is_not_an_organisation(nlp):
    got = actors(nlp, "U.S. Secretary of State Antony Blinken met his counterparts on Monday.")
    assert "State" not in got
    assert got["Antony Blinken"].affiliation_name == "United States"


# ---- groups -----------------------------------------------------------------------------------
def test_groups_with_affiliation(nlp):
    text = "Ukrainian officials said the plan was unacceptable. Western governments criticised Moscow."
    got = actors(nlp, text)
    assert got["Ukrainian officials"].actor_type == "group"
    assert got["Ukrainian officials"].affiliation_name == "Ukraine"
    assert got["Western governments"].affiliation_name is None


def test_plural_demonym_is_people_not_the_state(nlp):
    got = actors(nlp, "The agreement would allow Syrians to return home, Turkey said.")
    assert "Turkey" in got
    assert "Syria" not in got


def test_the_plus_plural_demonym_is_the_state(nlp):
    got = actors(nlp, "The Russians rejected the proposal on Monday.")
    assert "Russia" in got


def test_bare_group_speaking(nlp):
    got = actors(nlp, "The council met again on Friday, but diplomats said the gap remained wide.")
    assert got["Diplomats"].actor_type == "group"


def test_the_west_is_a_group(nlp):
    got = actors(nlp, "Moscow said the West was prolonging the war.")
    assert got["Western countries"].actor_type == "group"


# ---- affiliations -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "person", "affiliation"),
    [
        ("Russia's foreign minister Sergei Lavrov said the talks had failed.", "Sergei Lavrov", "Russia"),
        ("British Foreign Secretary David Cameron said arms sales would continue.", "David Cameron", "United Kingdom"),
        ("China's U.N. envoy Wang Guangya said the talks were inconclusive.", "Wang Guangya", "China"),
        ("The statement was read by Council President Maria Lopez (Spain) after the vote.", "Maria Lopez", "Spain"),
        (
            "Jane Porter, Under-Secretary-General for Political Affairs, briefed the Council.",
            "Jane Porter",
            "United Nations",
        ),
    ],
)
def test_person_affiliation(nlp, text, person, affiliation):
    assert actors(nlp, text)[person].affiliation_name == affiliation


def test_affiliation_through_possessive_person(nlp):
    text = (
        "Ukrainian President Volodymyr Zelenskyy met the envoy. Andriy Yermak, Zelenskyy's chief of staff, "
        "said the meeting went well."
    )
    got = actors(nlp, text)
    assert got["Volodymyr Zelenskyy"].affiliation_name == "Ukraine"
    assert got["Andriy Yermak"].affiliation_name == "Ukraine"


def test_affiliation_shared_by_a_list_after_a_plural_title(nlp):
    got = actors(nlp, "The letter was signed by U.S. Senators Thomas Allen and Mary Jones on Monday.")
    assert got["Mary Jones"].affiliation_name == "United States"


def test_no_affiliation_leak_across_a_conjunction(nlp):
    got = actors(nlp, "Vladimir Putin and Ukrainian President Volodymyr Zelenskyy did not meet.")
    assert got["Vladimir Putin"].affiliation_name != "Ukraine"
    assert got["Volodymyr Zelenskyy"].affiliation_name == "Ukraine"


# ---- coreference ------------------------------------------------------------------------------
def test_role_noun_resolves_to_unnamed_spokesman_state(nlp):
    text = (
        "A North Korean foreign ministry spokesman rejected the resolution. "
        "The spokesman said the country would respond. The official also criticised Japan."
    )
    idx = index(nlp, text)
    assert idx.resolve_phrase(token(idx, "spokesman", 0)) == "North Korea"
    assert idx.resolve_phrase(token(idx, "spokesman", 1)) == "North Korea"
    assert idx.resolve_phrase(token(idx, "official")) == "North Korea"


def test_role_noun_resolves_to_titled_person(nlp):
    text = (
        "Ukrainian President Volodymyr Zelenskyy met European leaders in Paris. "
        "The president said security guarantees were essential."
    )
    idx = index(nlp, text)
    assert idx.resolve_phrase(token(idx, "president")) == "Volodymyr Zelenskyy"


def test_role_phrase_with_body_prefers_the_named_holder(nlp):
    text = "UN Secretary-General Antonio Guterres welcomed the deal. The UN chief urged all parties to implement it."
    idx = index(nlp, text)
    assert idx.resolve_phrase(token(idx, "chief")) == "Antonio Guterres"


def test_ministry_resolves_to_its_state(nlp):
    text = "The Russian Foreign Ministry issued a statement. The ministry said the talks were useful."
    idx = index(nlp, text)
    assert idx.resolve_phrase(token(idx, "ministry")) == "Russia"


def test_pronouns(nlp):
    text = "Iran rejected the offer on Monday. It said the terms were unacceptable. Sergei Lavrov said he agreed."
    idx = index(nlp, text)
    assert idx.resolve_pronoun(token(idx, "It")) == "Iran"
    assert idx.resolve_pronoun(token(idx, "he")) == "Sergei Lavrov"


def test_name_before_a_role_apposition_is_a_person_even_when_ner_misses_it(nlp):
    found = actors(
        nlp,
        "Kenzo Oshima, the United Nations Emergency Relief Coordinator, demanded "
        "that the parties allow aid workers to move freely.",
    )
    assert found["Kenzo Oshima"].actor_type == "person"


@pytest.mark.parametrize(
    "text, group",
    [
        ("Turkish Cypriots rejected the reunification plan.", "Turkish Cypriots"),
        ("Syrian Kurds said they would boycott the talks.", "Syrian Kurds"),
    ],
)
def test_demonym_before_a_people_is_a_group_not_the_state(nlp, text, group):
    found = actors(nlp, text)
    assert found[group].actor_type == "group"
    assert not any(a.actor_type == "state" for a in found.values())


def test_a_body_named_after_its_leader_speaks_for_the_leaders_state(nlp):
    text = "U.S. President Joe Biden spoke on Monday. The Biden administration said Iran must halt enrichment."
    ex = extract_doc("t", text, nlp(text))
    assert [(s.speaker_name, s.statement_text) for s in ex.statements] == [
        ("United States", "Iran must halt enrichment")
    ]


def test_a_body_named_after_its_leader_keeps_the_leader_when_no_state_is_named(nlp):
    text = "The Netanyahu government rejected the proposal."
    ex = extract_doc("t", text, nlp(text))
    assert {(r.responder_name, r.stance) for r in ex.responses} == {("Netanyahu", "reject")}


@pytest.mark.parametrize(
    "text, dateline",
    [
        ("NAIROBI, June 2 (Reuters) - Kenya said on Monday ...", "NAIROBI, June 2 (Reuters) - "),
        ("KHARTOUM, Sudan (AP) — The army said ...", "KHARTOUM, Sudan (AP) — "),
        ("Intro.\nGENEVA — Talks resumed ...", "GENEVA — "),
        ("(Brussels, Belgium) – In a letter ...", "(Brussels, Belgium) – "),
        ("NATO - the alliance said ...", None),  # an organisation, not a place
        ("Hamas — the group said ...", None),
    ],
)
def test_datelines(text, dateline):
    found = [text[s:e] for s, e in dateline_ranges(text, is_org=lambda name: name == "NATO")]
    assert found == ([dateline] if dateline else [])


def test_dateline_place_is_no_actor_and_no_part_of_what_was_said(nlp):
    text = "NAIROBI, June 2 (Reuters) - Kenya would reopen the border on Monday, officials said."
    ex = extract_doc("t", text, nlp(text))
    assert [s.statement_text for s in ex.statements] == ["Kenya would reopen the border on Monday"]
    assert [m.mention_text for m in ex.mentions if m.actor_name == "Kenya"] == ["Kenya"]


def test_an_armed_groups_fighters_act_as_the_group(nlp):
    text = "Houthi fighters said on Sunday they would reject any truce that excluded the port."
    ex = extract_doc("t", text, nlp(text))
    assert {a.actor_name: a.actor_type for a in ex.actors} == {"Houthis": "organization"}
    assert [s.speaker_name for s in ex.statements] == ["Houthis"]


def test_name_after_a_role_apposition_is_a_person(extract):
    ex = extract("Chile's foreign minister, Ana Soto, spoke to our correspondent in Santiago about the border crisis.")
    assert "Ana Soto" in {a.actor_name for a in ex.actors if a.actor_type == "person"}
