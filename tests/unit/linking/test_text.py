import hashlib

from flows.linking.text import actor_id, containment, jaccard, key_terms, lemma, place_finder


def test_key_terms_drop_stopwords_and_generic_words_and_lemmatise():
    assert key_terms("The Six-nation talks on North Korea's nuclear programmes") == [
        "six-party",
        "talk",
        "north",
        "korea",
        "nuclear",
        "program",
    ]
    assert key_terms("calls for all parties to continue") == []
    assert lemma("negotiations") == "negotiation" and lemma("process") == "process" and lemma("parties") == "party"


def test_actor_id_is_the_dbt_macro():
    assert actor_id("  Vladimir Putin ") == hashlib.md5(b"vladimir putin").hexdigest()
    assert actor_id(None) is None


def test_set_similarities():
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert containment({"a"}, {"a", "b", "c"}) == 1.0
    assert jaccard(set(), {"a"}) == 0.0


def test_places_are_states_regions_and_demonyms_case_sensitively():
    finder = place_finder()
    assert finder.places("Palestinian civilians in Gaza and Israeli strikes") == ["Israel–Palestine", "Israel"]
    assert finder.places("pull back from Donetsk, said Kyiv's ally Russia") == ["Ukraine", "Russia"]
    assert finder.places("a turkey dinner; us and them") == []
