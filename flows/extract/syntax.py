"""Small helpers over spaCy's dependency parse, shared by the extractors."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_TRIM = set(" \t\n\r,;:.-–—\"“”‘’'()[]")


def is_subjunctive(verb: Token) -> bool:
    """ "demanded that X withdraw": a bare verb with no auxiliary; the parser often tags one after a
    singular subject as present tense ("that the group cease"), which agreement rules out."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False
    if verb.tag_ == "VB":
        return True
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return verb.tag_ == "VBP" and subj is not None and subj.tag_ in {"NN", "NNP"}


def subject_of(verb: Token) -> Token | None:
    """The grammatical subject of `verb`, climbing through xcomp/advcl/conj/relcl heads."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if tok.dep_ == "relcl" and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            return tok.head
        if tok.dep_ in {"xcomp", "advcl", "conj", "ccomp", "pcomp", "acl"} and tok.head is not tok:
            tok = tok.head
            continue
        if tok.dep_ == "parataxis":
            tok = tok.head
            continue
        return None
    return None


def agent_of(verb: Token) -> Token | None:
    """The by-agent of a passive verb ("was accused by the UN")."""
    for child in verb.children:
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


def span_bounds(tokens: Iterable[Token]) -> tuple[int, int] | None:
    toks = sorted(tokens, key=lambda t: t.i)
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces and punctuation (keeps a final '.' inside quotes off)."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def strip_leading(doc: Doc, start: int, end: int, words: set[str]) -> int:
    """Move `start` past leading words such as the complementiser 'that'."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start
    for t in span:
        # "that" as complementiser only: "rejected that call" keeps its determiner
        if (t.lower_ in words and (t.lower_ != "that" or t.dep_ == "mark")) or t.is_punct:
            start = t.idx + len(t)
            continue
        return t.idx
    return start


def has_negation(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)
