"""The one resolver of noun phrases, pronouns and roles, on constructed sentences."""

from __future__ import annotations

import pytest

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.resolver import Resolver, resolver_for


@pytest.fixture(scope="module")
def resolve(nlp):
    """The actor the resolver gives the token `word` (its first occurrence) in `text`."""

    def run(text: str, word: str) -> str | None:
        article = ParsedArticle("t", text, nlp(text))
        resolver = resolver_for(ActorIndex(article))
        tok = next(t for t in article.doc if t.text == word)
        return resolver.phrase(tok)

    return run


def test_one_resolver_per_article(nlp):
    text = "Norway said on Monday it was ready."
    actors = ActorIndex(ParsedArticle("t", text, nlp(text)))
    assert resolver_for(actors) is resolver_for(actors)
    assert isinstance(resolver_for(actors), Resolver)


@pytest.mark.parametrize(
    ("text", "word", "actor"),
    [
        ("The Peruvian embassy said the border would reopen.", "embassy", "Peru"),
        ("Chile's parliament rejected the bill on Tuesday.", "parliament", "Chile"),
        ("The Kenyan army withdrew from the town.", "army", "Kenya"),
    ],
)
def test_a_body_stands_for_the_state_that_owns_it(resolve, text, word, actor):
    assert resolve(text, word) == actor


def test_a_news_outlet_never_stands_for_its_country(resolve):
    assert resolve("A state-owned Egyptian newspaper said the talks had failed.", "newspaper") is None


def test_an_organisation_before_the_person_who_leads_it(resolve):
    text = "NATO said on Monday that Mark Rutte's NATO alliance would meet."
    assert resolve(text, "alliance") == "NATO"


@pytest.mark.parametrize(
    ("text", "word", "actor"),
    [
        ("The representative of Greece told the council that talks must resume.", "representative", "Greece"),
        ("Members of the European Union said the sanctions would stay.", "Members", "European Union"),
        ("A delegation of Austria arrived in Geneva on Monday.", "delegation", "Austria"),
    ],
)
def test_a_role_or_collective_of_x_is_x(resolve, text, word, actor):
    assert resolve(text, word) == actor


def test_a_quantity_of_a_thing_is_no_actor(resolve):
    assert resolve("Much of it was spent on roads, Kenya said.", "Much") is None


def test_first_person_is_the_speaker_of_the_quote(extract):
    ex = extract("“We will not accept these terms,” said Ambassador Karl Weber of Austria.")
    assert {r.responder_name for r in ex.responses} == {"Karl Weber"}


def test_the_two_leaders_are_the_two_people_last_named(extract):
    ex = extract(
        "President Ana Duarte of Chile spoke by telephone with President Luis Ortega of Peru.\n\n"
        "The two leaders expressed their concern about the situation on the border."
    )
    concern = [s for s in ex.statements if "concern" in s.statement_text]
    assert sorted(s.speaker_name for s in concern) == ["Ana Duarte", "Luis Ortega"]
    assert len({s.statement_id for s in concern}) == 2


def test_the_delegations_are_the_parties_the_article_first_named(extract):
    ex = extract(
        "The delegations of Chile and Bolivia, meeting in Lima with Peru and Brazil as observers, said:\n\n"
        "The delegations agreed that the next round will be held in Quito in May."
    )
    agreed = [s for s in ex.statements if "next round" in s.statement_text]
    assert sorted(s.speaker_name for s in agreed) == ["Bolivia", "Chile"]


def test_all_parties_asked_to_act_is_one_demand_without_addressee(extract):
    ex = extract("Norway called on all parties to allow aid convoys through. Norway urged the parties to talk.")
    assert {d.addressee_name for d in ex.demands} == {None}


@pytest.mark.parametrize(
    "named",
    ["The Government of Chile and", "The delegations of the Government of the Republic of Chile and"],
)
def test_bare_government_is_the_state_whose_government_was_named(resolve, named):
    text = (
        f"{named} the Mapuche Front met in Lima. The Government delegation proposed the creation of humanitarian zones."
    )
    assert resolve(text, "delegation") == "Chile"


def test_they_after_the_leaders_are_the_parties(nlp):
    text = (
        "President Ana Soto of Chile met President Juan Perez of Peru in Lima. "
        "The two leaders discussed the border. They will meet again in June."
    )
    article = ParsedArticle("t", text, nlp(text))
    resolver = resolver_for(ActorIndex(article))
    they = next(t for t in article.doc if t.text == "They")
    assert resolver.resolve_all(they) == ["Ana Soto", "Juan Perez"]


def test_a_statement_by_an_actor_is_that_actor(resolve):
    assert resolve("A statement by the African Union said the talks would resume.", "statement") == "African Union"


def test_the_government_delegation_is_the_government_s_even_after_the_other_party(resolve):
    text = (
        "The delegations of the Government of Chile and the Mapuche Front met in Lima. "
        "The Mapuche Front committed to free the hostages. "
        "The Government delegation proposed the creation of humanitarian zones."
    )
    assert resolve(text, "delegation") == "Chile"


def test_a_statement_issued_by_a_conjoined_subject_speaks_for_each(extract):
    ex = extract("Chile and Peru issued a joint statement. The statement said the parties were committed to a truce.")
    assert {s.speaker_name for s in ex.statements} == {"Chile", "Peru"}
