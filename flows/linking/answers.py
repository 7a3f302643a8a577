"""Answers: the demand, offer or negotiation a response answers.

First the records of the response's own article: a record scores by how much of its text the
response's object shares (key terms) plus a bonus when its actor (demander, offerer, a party or
the mediator) is the actor the response answers (`to_actor`); the responder never answers its
own demand or offer. Then, when nothing in the article fits, the earlier articles' records of the
actor it answers on the response's own issue, found through the index by (actor id, issue id)
(never a scan over history), which must share more of the object's terms.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flows.linking.lexicon import load_link_lexicon
from flows.linking.text import fold, lemma

ACTOR_BONUS = 0.35
SAME_ISSUE_BONUS = 0.1
MIN_SAME_ARTICLE = 0.4
MIN_OTHER_ARTICLE = 0.6


@dataclass(frozen=True)
class Target:
    """A record a response may answer."""

    kind: str  # demand | offer | negotiation
    record_id: str
    article_id: str
    actor_ids: tuple[str, ...]  # demander / offerer / parties and mediator
    terms: tuple[str, ...]
    issue_id: str | None
    published_at: str | None
    position: int | None = None  # evidence offset in its article


@dataclass(frozen=True)
class ResponseFeatures:
    record_id: str
    article_id: str
    responder_id: str | None
    to_actor_id: str | None
    terms: tuple[str, ...]
    published_at: str | None
    demand_headed: bool = False  # the object is headed by "call", "demand", ...: only a demand can be answered
    position: int | None = None  # evidence offset in its article


def demand_headed(text: str | None) -> bool:
    """The object's first head-like word is a demand word ("a call to return to negotiations")."""
    lex = load_link_lexicon()
    for w in fold(text).replace("-", " ").split():
        w = w.strip(".,;:'\"()")
        if w in lex.demand_heads:
            return True
        if lemma(w) in lex.answerable_terms or w in lex.answerable_terms:
            return False
    return False


ANSWERABLE_WEIGHT = 0.3  # "deal", "plan", "proposal" say less about what is answered than "ceasefire in Gaza"
HEAD_BONUS = 0.6  # the response's first answerable noun ("the agreement") names the target's kind of thing


@functools.lru_cache(maxsize=1)
def answerable() -> frozenset[str]:
    """The answerable terms as key terms come out (lemmas, synonyms): "talks" -> "talk", "terms" -> "term"."""
    lex = load_link_lexicon()
    return frozenset(lex.answerable_terms | {lex.term_synonyms.get(lemma(t), lemma(t)) for t in lex.answerable_terms})


def is_anaphor(resp: ResponseFeatures) -> bool:
    """The object names no more than a kind of thing ("these terms", "the plan"): it points back to a record."""
    return bool(resp.terms) and set(resp.terms) <= answerable()


def weighted_overlap(resp_terms: tuple[str, ...], target_terms: tuple[str, ...]) -> float:
    """Containment of the smaller term set in the other (at least one term's worth), answerable terms counting less."""
    generic = answerable()

    def weight(terms: set[str]) -> float:
        return sum(ANSWERABLE_WEIGHT if t in generic else 1.0 for t in terms)

    a, b = set(resp_terms), set(target_terms)
    if not a or not b:
        return 0.0
    return weight(a & b) / max(min(weight(a), weight(b)), 1.0)


def score(resp: ResponseFeatures, target: Target, issue_id: str | None = None) -> float:
    """How well a target fits what the response answers (0 when it cannot be the answer)."""
    if target.kind != "negotiation" and resp.responder_id and resp.responder_id in target.actor_ids:
        return 0.0
    if resp.demand_headed and target.kind != "demand":
        return 0.0
    s = weighted_overlap(resp.terms, target.terms)
    generic = answerable()
    head = next((t for t in resp.terms if t in generic), None)
    if head is not None and head in target.terms:
        s += HEAD_BONUS
    if resp.to_actor_id and resp.to_actor_id in target.actor_ids:
        s += ACTOR_BONUS
    if issue_id is not None and issue_id == target.issue_id:
        s += SAME_ISSUE_BONUS
    return s


def _before(target: Target, resp: ResponseFeatures) -> int:
    """Ties go to the nearest record before the response in the text (then the nearest after)."""
    if target.position is None or resp.position is None:
        return 0
    gap = resp.position - target.position
    return -gap if gap >= 0 else -(10**9) + gap


def best_answer(
    resp: ResponseFeatures, same_article: list[Target], earlier: list[Target]
) -> tuple[Target, float] | None:
    """The record answered, with its score, or None."""
    ranked = sorted(
        ((score(resp, t), -_before(t, resp), t.record_id, t) for t in same_article), key=lambda x: (-x[0], x[1], x[2])
    )
    # an anaphor ("these terms") answers a record of the actor it answers: the actor is enough
    floor = ACTOR_BONUS if is_anaphor(resp) and resp.to_actor_id else MIN_SAME_ARTICLE
    if ranked and ranked[0][0] >= floor:
        return ranked[0][3], ranked[0][0]
    if not resp.to_actor_id:
        return None
    older = [
        t
        for t in earlier
        if resp.to_actor_id in t.actor_ids
        and t.article_id != resp.article_id
        and (not resp.published_at or not t.published_at or t.published_at <= resp.published_at)
    ]
    ranked = sorted(((score(resp, t) - ACTOR_BONUS, t.record_id, t) for t in older), key=lambda x: (-x[0], x[1]))
    if ranked and ranked[0][0] >= MIN_OTHER_ARTICLE:
        return ranked[0][2], ranked[0][0]
    return None
