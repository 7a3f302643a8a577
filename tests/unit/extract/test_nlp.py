"""The text the parser reads (flows/extract/nlp.py)."""

from __future__ import annotations

from flows.extract.nlp import parse_ready


def test_a_dated_dateline_is_blanked_keeping_offsets():
    text = "LIMA, May 3 (Reuters) - Peru's foreign minister said the talks would resume."
    ready = parse_ready(text)
    assert len(ready) == len(text)
    assert ready.lstrip().startswith("Peru's foreign minister")


def test_an_organisation_opening_a_line_is_kept():
    text = "NATO - the alliance said it would meet."
    assert parse_ready(text) == text
