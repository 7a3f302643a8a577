"""Offers: an actor offers, proposes or commits to an action.

From utterances whose act is `offer`, and from sentences whose verb offers or
proposes something ("Washington unveiled a 28-point peace framework").
"""

from __future__ import annotations

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon
from flows.extract.statements import Utterance
from flows.extract.syntax import object_of, subject_of, trim
from flows.records import Offer, stable_id


def find_offers(article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]) -> list[Offer]:
    lex = load_lexicon()
    verbs = lex.words("offer_verbs")
    out: list[Offer] = []
    covered: list[tuple[int, int]] = []

    def record(offerer, recipient, start, end, cue) -> None:
        start, end = trim(article.text, start, end)
        if end <= start:
            return
        ev = article.evidence(start, end)
        out.append(Offer(article.article_id, stable_id(article.article_id, "offer", start, end), offerer,
                         recipient, article.text[start:end], cue, ev.evidence_text, ev.evidence_start,
                         ev.evidence_end))
        covered.append((ev.evidence_start, ev.evidence_end))

    for u in utterances:
        if u.act == "offer":
            record(u.speaker, None, u.start, u.end, u.cue.text if u.cue is not None else None)
    for tok in article.doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs:
            continue
        if any(s <= tok.idx < e for s, e in covered):
            continue
        subj = subject_of(tok)
        offerer = actors.resolve_phrase(subj) if subj is not None else None
        obj = object_of(tok)
        if offerer is None or obj is None:
            continue
        recipient = None
        for child in tok.children:
            if child.dep_ in {"dative", "iobj"} or (child.dep_ == "prep" and child.lower_ == "to"):
                target = next((g for g in child.children if g.dep_ == "pobj"), child)
                recipient = actors.resolve_phrase(target)
        record(offerer, recipient, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge), tok.text)
    return out
