"""Negotiations: talks, rounds, meetings, plans, frameworks and proposals between parties.

Each noun phrase headed by a negotiation noun ("talks", "28-point peace framework",
"cease-fire deal") that names or implies parties becomes a track; mentions of the
same track in one article merge. Parties come from the phrase itself ("US-China trade
talks"), its "between/with" complements and the subject of its verb; the mediator from
"brokered/mediated/hosted by"; the venue from "in <place>"; the status from the verb.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon
from flows.extract.syntax import subject_of, trim
from flows.records import Negotiation, stable_id

_DET = re.compile(r"^(?:the|a|an|this|that|these|those|its|their|his|her|our|any|such|new)\s+", re.IGNORECASE)


class NegotiationFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        lex = load_lexicon()
        self.nouns = lex.words("negotiation_nouns_strong")
        self.qualifiers = lex.words("negotiation_qualifiers")
        self.status_cues = lex.groups("status_cues")
        self.mediator_pat = lex.pattern(lex.raw["mediator_cues"])

    def _chunk(self, head: Token) -> Span:
        left = head.left_edge
        # keep pre-modifiers only ("the 28-point peace framework" but not its relative clause)
        toks = [t for t in head.lefts for t in t.subtree] + [head]
        start = min(t.i for t in toks) if toks else head.i
        del left
        return self.a.doc[start : head.i + 1]

    def _parties(self, head: Token, chunk: Span) -> list[str]:
        names: list[str] = []

        def add(name: str | None) -> None:
            if name and name not in names and self.actors.actors.get(name) is not None:
                names.append(name)

        for t in chunk:
            m = self.actors.mention_at(t.i)
            if m is not None:
                add(m.name)
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"between", "with", "among"}):
            for t in prep.subtree:
                m = self.actors.mention_at(t.i)
                if m is not None:
                    add(m.name)
        verb = head.head if head.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj"} else None
        if verb is not None and verb.dep_ == "prep":
            verb = verb.head
        if verb is not None and verb.pos_ in {"VERB", "AUX"}:
            subj = subject_of(verb)
            if subj is not None and subj.i != head.i:
                add(self.actors.resolve_phrase(subj))
                for conj in subj.conjuncts:
                    add(self.actors.resolve_phrase(conj))
            for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"with", "between"}):
                for t in prep.subtree:
                    m = self.actors.mention_at(t.i)
                    if m is not None:
                        add(m.name)
        return names

    def _venue(self, head: Token) -> str | None:
        anchors = [head] + ([head.head] if head.head.pos_ in {"VERB", "AUX"} else [])
        for anchor in anchors:
            for prep in (c for c in anchor.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}):
                for g in prep.children:
                    if g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC", "FAC"}:
                        ent = next((e for e in self.a.doc.ents if e.start <= g.i < e.end), None)
                        return ent.text if ent is not None else g.text
        return None

    def _status(self, head: Token, sent: Span) -> str:
        words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
        verb = head.head
        lemma = verb.lemma_.lower()
        text = sent.text.lower()
        for status in ("rejected", "stalled", "amended", "concluded"):
            cues = self.status_cues[status]
            if lemma in cues or verb.lower_ in cues or any(" " in c and c in text for c in cues):
                return status
        if head.lower_ in {"proposal", "plan", "framework", "draft"} or "draft" in words:
            return "proposed"
        if any(c in words for c in ("will", "next", "scheduled", "due", "upcoming")):
            return "scheduled"
        if verb.tag_ in {"VBD", "VBN"} and lemma in {"hold", "end", "conclude", "reach", "sign", "agree"}:
            return "concluded"
        return "ongoing"

    def _mediator(self, sent: Span, parties: list[str]) -> str | None:
        m = self.mediator_pat.search(sent.text)
        if not m:
            return None
        at = sent.start_char + m.end()
        for mention in self.actors.mentions:
            if mention.start_char >= at and mention.start_char - at < 60 and mention.name not in parties:
                return mention.name
        return None

    def find(self) -> list[Negotiation]:
        tracks: dict[str, Negotiation] = {}
        for tok in self.a.doc:
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.lower_ not in self.nouns:
                continue
            if tok.dep_ == "compound":
                continue
            chunk = self._chunk(tok)
            parties = self._parties(tok, chunk)
            qualified = any(t.lower_ in self.qualifiers or t.like_num for t in chunk[:-1])
            if len(parties) < 1 and not qualified:
                continue
            if len(parties) < 1:
                continue
            start, end = trim(self.a.text, chunk.start_char, chunk.end_char)
            name = _DET.sub("", self.a.text[start:end]).strip()
            if not name:
                continue
            sent = self.a.sentence_at(tok.idx)
            key = f"{tok.lemma_.lower()}|{'/'.join(sorted(parties))}"
            status = self._status(tok, sent)
            venue = self._venue(tok)
            mediator = self._mediator(sent, parties)
            if key in tracks:
                t = tracks[key]
                t.venue = t.venue or venue
                t.mediator_name = t.mediator_name or mediator
                continue
            ev = self.a.evidence(start, end)
            tracks[key] = Negotiation(self.a.article_id, stable_id(self.a.article_id, "negotiation", start, end),
                                      name, parties, mediator, venue, status, [], tok.text, ev.evidence_text,
                                      ev.evidence_start, ev.evidence_end)
        return list(tracks.values())


def find_negotiations(article: ParsedArticle, actors: ActorIndex) -> list[Negotiation]:
    return NegotiationFinder(article, actors).find()
