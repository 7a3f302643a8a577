import pytest

from flows.linking.lexicon import (
    CATEGORIES,
    LexiconError,
    cue_pattern,
    load_link_lexicon,
    parse_categories,
    parse_linking,
)
from flows.records import ISSUE_CATEGORIES


def test_the_data_files_load_with_every_category_of_the_guide():
    lex = load_link_lexicon()
    assert sorted(c.name for c in lex.categories) == sorted(CATEGORIES)
    assert tuple(CATEGORIES) == ISSUE_CATEGORIES
    assert lex.fallback == "other"
    assert "the" in lex.stopwords and "meeting" in lex.meeting_terms
    assert any(r.name == "Israel–Palestine" and "Gaza" in r.places for r in lex.regions)


def _categories(**override):
    cats = {c: {"priority": 1, "cues": []} for c in CATEGORIES}
    cats.update(override)
    return {"fallback": "other", "categories": cats}


def test_an_unknown_key_or_category_fails_at_load():
    with pytest.raises(LexiconError, match="unknown keys"):
        parse_categories({**_categories(), "extra": 1})
    bad = _categories()
    bad["categories"]["weather"] = {"priority": 1, "cues": []}
    with pytest.raises(LexiconError, match="exactly"):
        parse_categories(bad)
    with pytest.raises(LexiconError, match="unknown keys"):
        parse_categories(_categories(nuclear={"priority": 1, "cues": [], "colour": "red"}))
    with pytest.raises(LexiconError, match="non-empty strings"):
        parse_categories(_categories(nuclear={"priority": 1, "cues": ["", 3]}))
    with pytest.raises(LexiconError, match="weak_cues"):
        parse_categories(_categories(nuclear={"priority": 1, "cues": [], "weak_cues": "war"}))
    cats, _ = parse_categories(_categories(ceasefire={"priority": 1, "cues": ["truce"], "weak_cues": ["war"]}))
    ceasefire = next(c for c in cats if c.name == "ceasefire")
    assert ceasefire.weak.findall("the war") == ["war"] and ceasefire.pattern.findall("the war") == []
    with pytest.raises(LexiconError, match="part_of"):
        parse_categories(_categories(detainees={"priority": 1, "cues": [], "part_of": "picnic"}))


def test_linking_lexicon_is_validated():
    good = {
        "stopwords": ["the"],
        "generic_terms": ["call"],
        "meeting_terms": ["meeting"],
        "answerable_terms": ["deal"],
        "demand_heads": ["call"],
        "term_synonyms": {"deal": "agreement"},
        "regions": [{"name": "Gaza area", "places": ["Gaza"], "states": []}],
    }
    assert parse_linking(good)["term_synonyms"] == {"deal": "agreement"}
    with pytest.raises(LexiconError, match="unknown keys"):
        parse_linking({**good, "colours": []})
    with pytest.raises(LexiconError, match="term_synonyms"):
        parse_linking({**good, "term_synonyms": {"deal": 3}})
    assert parse_linking({**good, "upcoming_statuses": ["scheduled"]})["upcoming_statuses"] == {"scheduled"}
    with pytest.raises(LexiconError, match="upcoming_statuses"):
        parse_linking({**good, "upcoming_statuses": ["soon"]})
    with pytest.raises(LexiconError, match="regions"):
        parse_linking({**good, "regions": [{"name": "x", "places": []}]})


def test_cue_patterns_match_word_starts_and_stars():
    p = cue_pattern(["sanction*", "aid", "cease fire"])
    assert p.findall("new sanctions and aid; a cease  fire") == ["sanctions", "aid", "cease  fire"]
    assert p.findall("aides said the unsanctioned") == []
