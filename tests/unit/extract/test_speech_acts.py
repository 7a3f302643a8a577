"""Speech-act classification of statement texts (flows/extract/speech_acts.py)."""

from __future__ import annotations

import pytest

from flows.extract.speech_acts import classify, phrase_acts


@pytest.mark.parametrize(
    "text",
    [
        "Norway has granted asylum to four officers held since last month's invasion",
        "The village was rebuilt after the attack on the convoy",
    ],
)
def test_a_cue_inside_a_time_frame_is_background(text):
    assert "accuse" not in phrase_acts(text)
    assert classify(text, "say") == "assert"


def test_the_same_cue_outside_a_time_frame_still_counts():
    assert "accuse" in phrase_acts("This is an invasion of our country")


# ---- speech acts ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "cue", "act"),
    [
        ("Ukrainian troops must withdraw from the region", None, "demand"),
        ("we are ready to document it", None, "offer"),
        ("we will achieve this by military means", None, "threat"),
        ("the plan could be a basis for agreement", None, "support"),
        ("that is a lie", None, "reject"),
        ("we are not ready to sign anything", None, "reject"),
        ("if they do not pull back, we will respond", None, "threat"),
        ("the talks cannot restart unless the North first takes steps", None, "demand"),
        ("once the attacks stop, we will stop our response", None, "offer"),
        ("the occupation is illegitimate", None, "accuse"),
        ("the economy grew by two percent", None, "assert"),
        ("the terms", "urge", "demand"),
        ("the plan", "welcome", "support"),
    ],
)
def test_classify(text, cue, act):
    assert classify(text, cue) == act


def test_negated_cue_verb_flips_positive_acts():
    assert classify("the proposal", "accept", negated=True) == "reject"
    assert classify("the proposal", "accept") == "accept"


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("talks on how to punish the country have been inconclusive", "assert"),
        ("the union will extend its humanitarian aid to the region", "assert"),
        ("they would go on strike from Monday", "threat"),
        ("the army would impose a state of emergency in the capital", "threat"),
    ],
)
def test_future_coercive_measures(text, act):
    assert classify(text, "say") == act


@pytest.mark.parametrize(
    "text, act",
    [
        ("very serious", "support"),
        ("It is a fair and balanced agreement for both sides", "support"),
        ("We have a great new trade deal", "support"),
        ("This is not a good deal", "reject"),
        ("The offer is not serious", "reject"),
        ("We are not in serious discussions", "assert"),
        ("The situation is very serious", "assert"),
        ("We strongly urge both sides to resume talks", "demand"),
        ("Their invasion has caused enormous suffering", "accuse"),
    ],
)
def test_evaluations_and_implicit_demands(text, act):
    assert classify(text) == act


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("his government would allow observers to visit the camps", "offer"),
        ("she intends to convene both sides in Oslo next month", "offer"),
        ("We have called on the army to release the detainees", "demand"),
        ("the claim is untrue and we do not accept it", "reject"),
    ],
)
def test_commitments_calls_and_denials(text, act):
    assert classify(text, "say") == act


def test_a_reported_commitment_to_a_deed_is_an_offer():
    assert classify("the group would release all the hostages", "say") == "offer"
    assert classify("it would not allow the observers in", "say") != "offer"
