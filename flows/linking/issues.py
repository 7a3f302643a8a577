"""Issues: the matter a demand, offer, response or negotiation is about, the same across articles.

A record's issue is keyed by its **anchor** (the state or conflict area it is about) and its
**category** (the guide's fixed list, from cue terms in `issue_categories.json`):

- category: the cue terms of the record's own text; else those of its evidence sentence; else
  the article's prevailing category (cue terms over the whole text, the title counting three times).
- anchor: a place the record's text names, unless the text names the article's anchor or a place of
  the title (the article's own subject), or names none: then the article's anchor (the state or
  area the title and text name most, conflict areas counting double).

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
from flows.records import IssueEntry, stable_id

TITLE_WEIGHT = 3  # a headline names what the article is about
REGION_WEIGHT = 2


def category_scores(text: str | None) -> Counter[str]:
    """Cue hits per category in a text."""
    out: Counter[str] = Counter()
    if not text:
        return out
    for cat in load_link_lexicon().categories:
        if cat.pattern is not None:
            n = len(cat.pattern.findall(text))
            if n:
                out[cat.name] = n
    return out


def best_category(scores: Counter[str]) -> str | None:
    """The category with most hits; ties go to the lower priority number (the more specific)."""
    if not scores:
        return None
    priority = {c.name: c.priority for c in load_link_lexicon().categories}
    return min(scores, key=lambda c: (-scores[c], priority[c], c))


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
    scores = category_scores(text)
    for cat, n in category_scores(title).items():
        scores[cat] += TITLE_WEIGHT * n
    category = best_category(scores) or load_link_lexicon().fallback
    return ArticleContext(article_id, anchor, frozenset(title_counts), category)


PART_OF = {c.name: c.part_of for c in load_link_lexicon().categories if c.part_of}


def record_category(text: str | None, evidence: str | None, ctx: ArticleContext, kind: str = "demand") -> str:
    """The record's category: its own text's cues, else its evidence sentence's, else the article's.

    A negotiation is about its subject, not about talks: its 'process' cues do not count. A category
    that is `part_of` another (hostages in a ceasefire deal) joins it when that is the article's category.
    """
    ignore = {"process"} if kind == "negotiation" else set()
    for source in (text, evidence):
        scores = category_scores(source)
        for cat in ignore:
            scores.pop(cat, None)
        best = best_category(scores)
        if best:
            return ctx.category if PART_OF.get(best) == ctx.category else best
    return ctx.category


def record_anchor(text: str | None, ctx: ArticleContext) -> str | None:
    places = place_finder().places(text)
    if not places or ctx.anchor in places or any(p in ctx.title_places for p in places):
        return ctx.anchor
    return places[0]


def issue_key(anchor: str | None, category: str) -> str:
    return f"{(anchor or '').casefold()}|{category}"


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
