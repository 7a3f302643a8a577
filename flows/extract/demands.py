"""Demands: an actor calls for an action by another, as a quote or reported.

Two sources: utterances whose speech act is `demand` (the speaker demands), and
sentences with a demand verb and an object-control complement ("X urged Y to Z",
"X called on Y to Z", "X pressed Y to Z"). The condition is what the demander
promises if it is met ("then the fighting will stop"); the threat is what it
threatens if not ("If they do not pull back, we will ...").
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon
from flows.extract.statements import Utterance
from flows.extract.syntax import subject_of, trim
from flows.records import Demand, stable_id

_THEN = re.compile(r"[—–-]+\s*then\s+(.+?)(?:[.;]|$)|,\s*then\s+(.+?)(?:[.;]|$)", re.IGNORECASE)
_IF_NOT = re.compile(r"\b(?:if|unless)\b[^,]*\b(?:not|n't|fail|refuse)\w*\b[^,]*,\s*(.+?)(?:[.;]|$)", re.IGNORECASE)
_OTHERWISE = re.compile(r"\b(?:otherwise|or else)\b,?\s*(.+?)(?:[.;]|$)", re.IGNORECASE)


def _condition(text: str) -> str | None:
    m = _THEN.search(text)
    return (m.group(1) or m.group(2)).strip() if m else None


def _threat(text: str) -> str | None:
    for pat in (_IF_NOT, _OTHERWISE):
        m = pat.search(text)
        if m:
            return m.group(1).strip()
    return None


def _demand_clause(text: str) -> str:
    """The demand itself: the text up to a condition or threat clause."""
    cut = len(text)
    for pat in (_THEN, _IF_NOT, _OTHERWISE):
        m = pat.search(text)
        if m:
            cut = min(cut, m.start())
    return text[:cut].strip(" ,;—–-") or text


def _addressee_in(sent: Span, start: int, end: int, actors: ActorIndex, demander: str | None) -> str | None:
    """The subject of the must/should clause, if it names an actor other than the demander."""
    for tok in sent:
        if not (start <= tok.idx < end):
            continue
        if tok.lower_ in {"must", "should", "need", "needs", "ought"} or (tok.lemma_ == "have" and
                                                                             tok.nbor(1).lower_ == "to"):
            subj = subject_of(tok.head if tok.dep_ == "aux" else tok)
            if subj is not None:
                name = actors.resolve_phrase(subj)
                if name and name != demander:
                    return name
    return None


class DemandFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        self.verbs = load_lexicon().words("demand_verbs")

    def from_utterances(self, utterances: list[Utterance]) -> list[Demand]:
        out = []
        for u in utterances:
            if u.act != "demand":
                continue
            addressee = self._object_addressee(u.cue) if u.cue is not None else None
            addressee = addressee or _addressee_in(u.sentence, u.start, u.end, self.actors, u.speaker)
            out.append(self._record(u.speaker, addressee, _demand_clause(u.text), _condition(u.text),
                                    _threat(u.text) or self._threat_after(u, utterances), u.cue, u.start, u.end))
        return out

    def _threat_after(self, u: Utterance, utterances: list[Utterance]) -> str | None:
        return None

    def _object_addressee(self, verb: Token) -> str | None:
        if verb.lemma_.lower() not in self.verbs:
            return None
        for child in verb.children:
            if child.dep_ in {"dobj", "iobj"}:
                return self.actors.resolve_phrase(child)
            if child.dep_ == "prep" and child.lower_ in {"on", "upon"}:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.actors.resolve_phrase(pobj)
        return None

    def from_control_verbs(self, covered: list[tuple[int, int]]) -> list[Demand]:
        """"X urged/called on/pressed Y to Z" outside what the utterances already cover."""
        out = []
        for tok in self.a.doc:
            if tok.lemma_.lower() not in self.verbs or tok.pos_ != "VERB":
                continue
            if any(s <= tok.idx < e for s, e in covered):
                continue
            xcomp = next((c for c in tok.children if c.dep_ in {"xcomp", "ccomp"}), None)
            if xcomp is None:
                for prep in (c for c in tok.children if c.dep_ == "prep"):
                    for g in prep.children:
                        if g.dep_ == "pobj":
                            xcomp = next((c for c in g.children if c.dep_ in {"acl", "relcl", "xcomp"}), None)
            if xcomp is None:
                continue
            subj = subject_of(tok)
            demander = self.actors.resolve_phrase(subj) if subj is not None else None
            if demander is None:
                continue
            addressee = self._object_addressee(tok)
            start, end = trim(self.a.text, xcomp.left_edge.idx, xcomp.right_edge.idx + len(xcomp.right_edge))
            if xcomp.left_edge.lower_ == "to":
                start = xcomp.left_edge.idx + 3
            text = self.a.text[start:end]
            if len(text.split()) < 2:
                continue
            out.append(self._record(demander, addressee, _demand_clause(text), _condition(text), _threat(text),
                                    tok, start, end))
        return out

    def _record(self, demander, addressee, text, condition, threat, cue, start, end) -> Demand:
        ev = self.a.evidence(start, end)
        did = stable_id(self.a.article_id, "demand", start, end)
        return Demand(self.a.article_id, did, demander, addressee, text, condition, threat,
                      cue.text if cue is not None else None, ev.evidence_text, ev.evidence_start, ev.evidence_end)


def find_demands(article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]) -> list[Demand]:
    finder = DemandFinder(article, actors)
    found = finder.from_utterances(utterances)
    covered = [(u.sentence.start_char, u.sentence.end_char) for u in utterances if u.act == "demand"]
    return found + finder.from_control_verbs(covered)
