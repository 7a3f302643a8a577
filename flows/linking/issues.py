"""Issues: the matter a demand, offer, response or negotiation is about, the same across articles.

A record's issue is keyed by its **anchor** (the state or conflict area it is about) and its
**category** (the guide's fixed list, from cue terms in `issue_categories.json`):

- category: the cue terms of the record's own text (the longest cue wins where cues overlap, a
  weak cue, a broad word like "war" or "aid", counts half; 'process' only when no other matter is
  named); else those of its evidence sentence (not for a meeting or call: it takes up the article's
  matter); else the article's prevailing category (cue terms over the whole text, the title counting
  three times).
- anchor: a place the record's text names, unless the text names the article's anchor or a place of
  the title (the article's own subject), or a place of the record's own actors (who acts, not what
  about), or names none: then the article's anchor (the state or area the title and text name most,
  conflict areas counting double).
- an offer that meets another actor's demand of the same article takes the demand's key; a response
  takes the issue of what it answers, a plan or talks the issue of the track they join (`link.py`).

Records with the same key share an issue, in any article: the issue index maps a key to the id
its founding record created (`stable_id("issue", key, founding record id)`), never re-keyed.
Why a key rather than text similarity of the records' objects: records of one matter rarely share
words ("release all hostages", "secure a permanent ceasefire"), while the guide's issues sit at
the level where actors take sides within one conflict, which anchor x category approximates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flows.linking.lexicon import load_link_lexicon
from flows.linking.text import key_terms, place_finder
from flows.linking.tracks import is_event
from flows.records import IssueEntry, stable_id

TITLE_WEIGHT = 3  # a headline names what the article is about
REGION_WEIGHT = 2
PROCESS = "process"  # the category of the talks themselves
WEAK_WEIGHT = 0.5  # a broad cue word ("war", "aid") against a specific one ("ceasefire", "humanitarian access")


def category_hits(text: str | None, weak_weight: float = WEAK_WEIGHT) -> list[tuple[int, int, str, float]]:
    """Cue matches (start, end, category, weight) in text order, the longest cue winning where cues overlap.

    "military aid" is one security cue, not also humanitarian "aid"; "attacks on shipping" is not also "attacks".
    A weak cue (a broad word: "war", "aid") weighs WEAK_WEIGHT.
    """
    if not text:
        return []
    found = []
    for cat in load_link_lexicon().categories:
        for pattern, weight in ((cat.pattern, 1.0), (cat.weak, weak_weight)):
            if pattern is not None:
                found.extend((m.start(), m.end(), cat.name, weight) for m in pattern.finditer(text))
    kept: list[tuple[int, int, str, float]] = []
    for hit in sorted(found, key=lambda h: (h[0] - h[1], -h[3], h[0])):
        if all(hit[1] <= k[0] or hit[0] >= k[1] for k in kept):
            kept.append(hit)
    return sorted(kept)


def category_scores(text: str | None, weak_weight: float = WEAK_WEIGHT) -> Counter[str]:
    """Cue weight per category in a text."""
    out: Counter[str] = Counter()
    for _, _, cat, weight in category_hits(text, weak_weight):
        out[cat] += weight
    return out


def best_category(scores: Counter[str], text: str | None = None) -> str | None:
    """The category with most weight; ties go to the lower priority number (the more specific), then to
    the one `text` names first."""
    if not scores:
        return None
    priority = {c.name: c.priority for c in load_link_lexicon().categories}
    first: dict[str, int] = {}
    for start, _, cat, _ in category_hits(text):
        first.setdefault(cat, start)
    return min(scores, key=lambda c: (-scores[c], priority[c], first.get(c, 1 << 30), c))


@dataclass(frozen=True)
class ArticleContext:
    """What an article is about, for records whose own text does not say."""

    article_id: str
    anchor: str | None
    title_places: frozenset[str]
    category: str


def article_context(article_id: str, title: str | None, text: str, fallback_anchor: str | None) -> ArticleContext:
    finder = place_finder()
    counts = finder.counts(text)
    title_counts = finder.counts(title)
    for place, n in title_counts.items():
        counts[place] += TITLE_WEIGHT * n
    for place in counts:
        if place in finder.regions:
            counts[place] *= REGION_WEIGHT
    first = {p: i for i, p in enumerate(finder.places(f"{title or ''}\n{text}"))}
    anchor = min(counts, key=lambda p: (-counts[p], first.get(p, 1 << 30))) if counts else fallback_anchor
    # over a whole article a broad word counts in full: an article that keeps saying "war" is about the war
    scores = category_scores(text, 1.0)
    for cat, n in category_scores(title, 1.0).items():
        scores[cat] += TITLE_WEIGHT * n
    category = best_category(scores) or load_link_lexicon().fallback
    return ArticleContext(article_id, anchor, frozenset(title_counts), category)


PART_OF = {c.name: c.part_of for c in load_link_lexicon().categories if c.part_of}


def record_category(text: str | None, evidence: str | None, ctx: ArticleContext, kind: str = "demand") -> str:
    """The record's category: its own text's cues, else its evidence sentence's, else the article's.

    Talks are about something: 'process' counts only when the text names no other matter ("continue
    negotiating to reach a contract" is about the contract), and a negotiation's 'process' cues do not count
    at all. A category that is `part_of` another (hostages in a ceasefire deal) joins it when that is the
    article's category.
    """
    is_negotiation = kind == "negotiation"
    # a meeting or session takes up the article's matter; its evidence sentence is one speaker's point
    sources = (text,) if is_negotiation and is_event(text) else (text, evidence)
    for source in sources:
        scores = category_scores(source)
        if is_negotiation or len(scores) > 1:
            scores.pop(PROCESS, None)
        best = best_category(scores, source)
        if best:
            return ctx.category if PART_OF.get(best) == ctx.category else best
    return ctx.category


MET_SHARED_TERMS = 2  # an offer meets a demand when it shares this many of its key terms ...
MET_CONTAINMENT = 0.25  # ... and this share of the smaller term set


def demand_met(offer, text: str, demands) -> tuple[str | None, str] | None:
    """(anchor, category) of the article's demand, by another actor, that the offer meets, or None.

    The guide: a demand and the offer that meets it share an issue ("pay the salaries before any
    ceasefire" and "fund the salaries once a ceasefire holds"). `demands`: (demander, key terms, anchor, category).
    """
    terms = set(key_terms(text))
    best, best_n = None, 0
    for demander, d_terms, anchor, category in demands:
        if demander and demander == offer.offerer_name:
            continue
        shared = len(terms & set(d_terms))
        share = shared / max(min(len(terms), len(d_terms)), 1)
        if shared >= MET_SHARED_TERMS and share >= MET_CONTAINMENT and shared > best_n:
            best, best_n = (anchor, category), shared
    return best


def record_anchor(text: str | None, ctx: ArticleContext, actor_places: frozenset[str] = frozenset()) -> str | None:
    """The place the record's own text names, when it is another subject than the article's; else the article's.

    A place that is one of the record's own actors, or their state (`actor_places`: "a proposal by the United
    States' President", "Angola's offer to host talks"), names who acts, not what the record is about.
    """
    places = place_finder().places(text)
    if (
        not places
        or ctx.anchor in places
        or any(p in ctx.title_places for p in places)
        or any(p in actor_places for p in places)
    ):
        return ctx.anchor
    return places[0]


def issue_key(anchor: str | None, category: str) -> str:
    return f"{(anchor or '').casefold()}|{category}"


def anchor_of_key(key: str) -> str:
    """The anchor part of an issue key (casefolded; empty when the issue has no anchor)."""
    return key.rsplit("|", 1)[0]


def new_issue(key: str, anchor: str | None, category: str, kind: str, record_id: str, article_id: str, text: str):
    """A new issue founded by this record."""
    label = f"{anchor} — {category}" if anchor else category
    return IssueEntry(
        issue_id=stable_id("issue", key, record_id),
        issue_key=key,
        issue_label=label,
        issue_category=category,
        anchor=anchor,
        founding_kind=kind,
        founding_record_id=record_id,
        article_id=article_id,
        key_terms=key_terms(text)[:12],
    )
