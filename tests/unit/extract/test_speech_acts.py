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
