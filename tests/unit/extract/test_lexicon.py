"""The lexicon files: typed, validated when loaded, read through attributes."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from flows.extract.lexicon import Cues, LexiconError, Words, load_lexicon, load_words, parse_cues, parse_words


def _raw(name: str) -> dict:
    return json.loads(resources.files("flows.data").joinpath(name).read_text(encoding="utf-8"))


def test_shipped_files_load_into_typed_sections() -> None:
    cues, words = load_lexicon(), load_words()
    assert isinstance(cues, Cues) and isinstance(words, Words)
    assert "said" not in cues.speech_verbs and "say" in cues.speech_verbs
    assert words.pronouns.first_person >= {"i", "we"}
    assert cues.act_priority[-1] == "assert"  # ordered lists keep their order
    assert isinstance(cues.track_kinds[0], frozenset)
    assert cues.threat_measures.nouns and cues.response_concession_nouns.of_object


def test_an_unknown_key_fails_at_load_with_its_name() -> None:
    raw = _raw("words.json")
    raw["offers"]["readyness_words"] = ["ready"]
    with pytest.raises(LexiconError, match=r"words.json: offers: unknown key\(s\) \['readyness_words'\]"):
        parse_words(raw)


def test_a_missing_key_fails_at_load() -> None:
    raw = _raw("cues.json")
    del raw["demand_verbs"]
    with pytest.raises(LexiconError, match=r"missing key\(s\) \['demand_verbs'\]"):
        parse_cues(raw)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("negators", "not", "expected a non-empty list"),
        ("negators", [], "expected a non-empty list"),
        ("negators", ["not", "not"], "repeated entries"),
        ("negators", ["Not"], "lower case"),
        ("stance_verbs", {"approve": ["approve"]}, "unknown categories"),
        ("report_nouns", {"claim": 3}, "values must be strings"),
    ],
)
def test_values_of_the_wrong_shape_fail_at_load(key: str, value: object, message: str) -> None:
    raw = _raw("cues.json")
    raw[key] = value
    with pytest.raises(LexiconError, match=message):
        parse_cues(raw)


def test_a_nested_section_is_checked_too() -> None:
    raw = _raw("cues.json")
    raw["threat_measures"] = {"verbs": ["impose"]}
    with pytest.raises(LexiconError, match=r"threat_measures: missing key\(s\) \['nouns'\]"):
        parse_cues(raw)
