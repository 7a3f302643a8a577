"""The main speech act of an utterance, from its cue verb and the cue phrases it holds."""

from __future__ import annotations

import functools
import re

from flows.extract.lexicon import load_lexicon
from flows.records import SPEECH_ACTS

NEUTRAL_VERBS = {"say", "tell", "state", "add", "note", "explain", "report", "write", "comment", "remark",
                 "observe", "respond", "reply", "declare", "announce", "stress", "emphasize", "emphasise",
                 "underline", "underscore", "affirm", "confirm", "claim", "assert", "maintain", "argue",
                 "contend", "insist", "reiterate", "recall", "point", "indicate", "describe", "express",
                 "voice", "believe", "think", "expect", "predict", "acknowledge", "admit", "suggest"}


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    return {act: lex.pattern(phrases) for act, phrases in lex.raw["act_phrases"].items()}


@functools.lru_cache(maxsize=1)
def _verb_acts() -> dict[str, str]:
    out: dict[str, str] = {}
    for act, verbs in load_lexicon().raw["act_by_verb"].items():
        for v in verbs:
            out.setdefault(v, act)
    return out


def act_of_verb(lemma: str | None) -> str | None:
    """The act a reporting verb itself carries ("urged" -> demand), or None for neutral verbs."""
    if not lemma or lemma in NEUTRAL_VERBS:
        return None
    return _verb_acts().get(lemma)


def phrase_acts(text: str) -> list[str]:
    """Acts whose cue phrases occur in `text`, in priority order."""
    order = load_lexicon().raw["act_priority"]
    pats = _patterns()
    return [act for act in order if act in pats and pats[act].search(text)]


def classify(text: str, cue_lemma: str | None = None) -> str:
    """One of SPEECH_ACTS: the cue verb's act if it has one, else the strongest cue phrase, else assert."""
    act = act_of_verb(cue_lemma)
    if act is None:
        found = phrase_acts(text)
        act = found[0] if found else "assert"
    assert act in SPEECH_ACTS
    return act
