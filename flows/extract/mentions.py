"""Gazetteer mentions through spaCy's `PhraseMatcher`, its patterns generated from the gazetteer.

Every surface form of `flows/data/gazetteer.json` (names, aliases, capitals, seats, demonyms) becomes
a pattern over the tokens' lookup keys (the gazetteer's normalisation: no accents or dots, straight
apostrophes, case folded), stored as each token's `NORM` once the model's components have run. The
matcher is built once per process. A match is kept when the gazetteer confirms the span's own text
(case rules: "US" but not "us"), longest first from left to right, never starting with a determiner.
"""

from __future__ import annotations

import functools

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from flows.extract.gazetteer import load_gazetteer, normalize
from flows.extract.lexicon import load_words

GAZETTEER_SPANS = "parley_gazetteer"
DETERMINERS = load_words().pronouns.articles


@functools.lru_cache(maxsize=65536)
def token_key(text: str) -> str:
    """The lookup key of one token ("U.S." -> "us", "Côte" -> "cote")."""
    return (normalize(text) or text).casefold()


@functools.lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    """One PhraseMatcher over token keys holding every gazetteer surface form (built once per process)."""
    gaz = load_gazetteer()
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    keys = {k for k in gaz.exact} | {k for k in gaz.folded}
    patterns = []
    for key in sorted(keys):
        doc = nlp.make_doc(key)
        for tok in doc:
            tok.norm_ = token_key(tok.text)
        patterns.append(doc)
    matcher.add("GAZETTEER", patterns)
    return matcher


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def gazetteer_matches(doc: Doc) -> list[Span]:
    """The gazetteer's mentions in `doc`, left to right, longest first, not overlapping (labelled
    with the canonical actor name)."""
    for tok in doc:
        tok.norm_ = token_key(tok.text)
    gaz = load_gazetteer()
    by_start: dict[int, list[int]] = {}
    for _, start, end in _matcher()(doc):
        by_start.setdefault(start, []).append(end)
    out: list[Span] = []
    i = 0
    for start in sorted(by_start):
        if start < i:
            continue
        first = doc[start]
        if not _has_letter(first.text) or first.lower_ in DETERMINERS:
            continue
        for end in sorted(by_start[start], reverse=True):
            last = doc[end - 1]
            if not _has_letter(last.text) or last.is_space:
                continue
            entry = gaz.lookup(doc[start:end].text)
            if entry is not None:
                out.append(Span(doc, start, end, label=entry.name))
                i = end
                break
    return out
