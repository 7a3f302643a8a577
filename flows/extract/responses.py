"""Responses: an actor's answer to another's demand, offer or proposal.

From stance verbs with an actor as subject ("Kyiv has rejected these terms",
"North Korea has ruled out talks"), stance nouns and adjectives ("greeted with
deep scepticism", "sceptical of his assurances"), and utterances whose act is
reject, accept or support aimed at a proposal. `to_actor` is the owner of what is
answered when the text says so ("his assurances"), else the latest other actor who
demanded or offered something.
"""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon
from flows.extract.statements import Utterance
from flows.extract.syntax import agent_of, object_of, subject_of, trim
from flows.records import Demand, Offer, Response, stable_id

ACT_STANCE = {"reject": "reject", "accept": "accept", "support": "welcome"}


class ResponseFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex, proposals: list[tuple[int, str | None]]):
        self.a = article
        self.actors = actors
        lex = load_lexicon()
        self.stance_of: dict[str, str] = {}
        for stance, words in lex.groups("stance_verbs").items():
            for w in words:
                self.stance_of.setdefault(w, stance)
        self.nouns = lex.groups("stance_nouns")
        self.proposal_nouns = lex.words("negotiation_nouns") | {"terms", "demand", "demands", "offer",
                                                                 "assurances", "condition", "conditions",
                                                                 "call", "ultimatum", "idea", "claims"}
        self.proposals = sorted(proposals)  # (char offset, proposer) of demands and offers

    def _owner(self, obj: Token, responder: str | None, at: int) -> str | None:
        for child in obj.children:
            if child.dep_ == "poss":
                name = self.actors.resolve_phrase(child)
                if name and name != responder:
                    return name
        for tok in obj.subtree:
            m = self.actors.mention_at(tok.i)
            if m is not None and m.name != responder and tok.dep_ in {"poss", "compound", "amod"}:
                return m.name
        for pos, who in reversed(self.proposals):
            if pos < at and who and who != responder:
                return who
        return None

    def from_verbs(self) -> list[Response]:
        out = []
        for tok in self.a.doc:
            if tok.pos_ not in {"VERB", "ADJ", "NOUN"}:
                continue
            lemma = tok.lemma_.lower()
            stance = self.stance_of.get(lemma)
            if tok.pos_ == "NOUN":
                stance = next((s for s, ws in self.nouns.items() if lemma in ws), None)
            if stance is None:
                continue
            if lemma == "rule" and not any(c.lower_ == "out" for c in tok.children):
                continue
            if lemma == "call" and not any(c.dep_ == "oprd" for c in tok.children):
                continue
            obj, responder = self._object_and_responder(tok)
            if obj is None or responder is None:
                continue
            if obj.lemma_.lower() not in self.proposal_nouns and not any(
                    t.lemma_.lower() in self.proposal_nouns for t in obj.subtree):
                continue
            start, end = trim(self.a.text, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge))
            if any(c.dep_ == "neg" for c in tok.children) and stance in {"accept", "welcome"}:
                stance = "reject"
            out.append(self._record(responder, stance, self._owner(obj, responder, tok.idx), start, end, tok))
        return out

    def _object_and_responder(self, tok: Token) -> tuple[Token | None, str | None]:
        if tok.pos_ == "NOUN":  # "greeted with deep scepticism across European capitals"
            subj = None
            for prep in (c for c in tok.children if c.dep_ == "prep"):
                for g in prep.children:
                    if g.dep_ == "pobj" and self.actors.resolve_phrase(g):
                        subj = g
            holder = tok.head.head if tok.head.dep_ == "prep" else tok.head
            obj = subject_of(holder) if holder.pos_ in {"VERB", "AUX"} else None
            return obj, (self.actors.resolve_phrase(subj) if subj is not None else None)
        subj = subject_of(tok) if tok.dep_ != "acomp" else subject_of(tok.head)
        if tok.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in tok.children):
            agent = agent_of(tok)
            return subj, (self.actors.resolve_phrase(agent) if agent is not None else None)
        return object_of(tok), (self.actors.resolve_phrase(subj) if subj is not None else None)

    def from_utterances(self, utterances: list[Utterance], taken: list[tuple[int, int]]) -> list[Response]:
        out = []
        for u in utterances:
            stance = ACT_STANCE.get(u.act)
            if stance is None or u.speaker is None:
                continue
            if any(s <= u.start < e for s, e in taken):
                continue
            ev_sent = u.sentence
            if not any(t.lemma_.lower() in self.proposal_nouns for t in ev_sent):
                continue
            to_actor = None
            for pos, who in reversed(self.proposals):
                if pos < u.start and who and who != u.speaker:
                    to_actor = who
                    break
            out.append(self._record(u.speaker, stance, to_actor, u.start, u.end, u.cue))
        return out

    def _record(self, responder, stance, to_actor, start, end, cue) -> Response:
        ev = self.a.evidence(start, end)
        rid = stable_id(self.a.article_id, "response", start, end, stance)
        return Response(self.a.article_id, rid, responder, stance, to_actor, self.a.text[start:end],
                        cue.text if cue is not None else None, ev.evidence_text, ev.evidence_start,
                        ev.evidence_end)


def find_responses(article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance],
                   demands: list[Demand], offers: list[Offer]) -> list[Response]:
    proposals = [(d.evidence_start, d.demander_name) for d in demands]
    proposals += [(o.evidence_start, o.offerer_name) for o in offers]
    finder = ResponseFinder(article, actors, proposals)
    found = finder.from_verbs()
    taken = [(r.evidence_start, r.evidence_end) for r in found]
    return found + finder.from_utterances(utterances, taken)
