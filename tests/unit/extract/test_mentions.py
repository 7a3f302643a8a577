"""Gazetteer mentions through the PhraseMatcher (flows/extract/mentions.py)."""

from __future__ import annotations

from flows.extract.mentions import _matcher, gazetteer_matches, token_key


def test_the_matcher_is_built_once_per_process():
    assert _matcher() is _matcher()


def test_token_keys_follow_the_gazetteer_normalisation():
    assert token_key("U.S.") == "us"
    assert token_key("Côte") == "cote"


def test_longest_match_first_never_from_a_determiner(nlp):
    doc = nlp("The European Union and the United States met in Geneva.")
    assert [s.label_ for s in gazetteer_matches(doc)] == ["European Union", "United States"]
    assert [s.text for s in gazetteer_matches(doc)][:2] == ["European Union", "United States"]


def test_the_gazetteer_confirms_case(nlp):
    assert [s.label_ for s in gazetteer_matches(nlp("Let us talk, the US envoy said."))] == ["United States"]
