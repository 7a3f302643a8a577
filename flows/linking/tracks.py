"""Negotiation tracks: the same plan, talks or meeting series across articles.

A negotiation joins a track of the same anchor (any category: articles file one negotiation
under different matters; a plan or talks then take the track's issue, a meeting keeps the matter
of the article reporting it) whose name shares enough key terms with it (the parties' own names
do not count: the parties are compared on their own), whose parties (actor ids) are not disjoint
from its own, that is a dated event (a meeting, a call, a session: `meeting_terms`) exactly when
it is one, and, for events, that was founded within `EVENT_DAYS` of it (`EVENT_DAYS_UPCOMING` for
a meeting not yet over: proposed, scheduled or going on) or in the same article. Otherwise it
founds a new track, `stable_id("track", issue, record)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flows.linking.lexicon import load_link_lexicon
from flows.linking.text import containment, fold, jaccard, key_terms
from flows.records import TrackEntry, stable_id

MIN_JACCARD = 0.34
MIN_CONTAINMENT = 0.75  # a short name inside a longer one ("JCPOA talks" in "the JCPOA talks in Vienna")
EVENT_DAYS = 2
EVENT_DAYS_UPCOMING = 30  # a meeting yet to take place is talked about for weeks before it


@dataclass(frozen=True)
class NegotiationFeatures:
    record_id: str
    article_id: str
    issue_id: str
    name: str
    name_terms: tuple[str, ...]
    party_actor_ids: tuple[str, ...]
    is_event: bool
    published_at: str | None
    upcoming: bool = False  # proposed or scheduled: the meeting has not taken place yet


def is_upcoming(status: str | None) -> bool:
    return (status or "") in load_link_lexicon().upcoming_statuses


def is_event(name: str) -> bool:
    words = set(fold(name).replace("-", " ").split())
    return bool(words & load_link_lexicon().meeting_terms)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _close_in_time(a: str | None, b: str | None, days: int = EVENT_DAYS) -> bool:
    da, db = _day(a), _day(b)
    return da is not None and db is not None and abs((da - db).days) <= days


SAME_ISSUE_BONUS = 0.001  # between equal fits, the track already filed under the negotiation's own issue


def match_score(neg: NegotiationFeatures, track: TrackEntry) -> float:
    """How well a negotiation fits a track of its anchor (0: it does not), whatever the tracks' issue."""
    if neg.party_actor_ids and track.party_actor_ids and not set(neg.party_actor_ids) & set(track.party_actor_ids):
        return 0.0
    if neg.is_event != track.is_event:  # a meeting or call about a plan is not the plan
        return 0.0
    if (neg.is_event or track.is_event) and not (
        track.article_id == neg.article_id
        or _close_in_time(
            neg.published_at, track.founding_published_at, EVENT_DAYS_UPCOMING if neg.upcoming else EVENT_DAYS
        )
    ):
        return 0.0
    j = jaccard(neg.name_terms, track.name_terms)
    c = containment(neg.name_terms, track.name_terms)
    if j >= MIN_JACCARD or (c >= MIN_CONTAINMENT and min(len(neg.name_terms), len(track.name_terms)) >= 2):
        return j + 0.01 * c + (SAME_ISSUE_BONUS if track.issue_id == neg.issue_id else 0.0)
    return 0.0


def assign_track(neg: NegotiationFeatures, candidates: list[TrackEntry]) -> tuple[str, TrackEntry | None]:
    """(track id, the new track when the negotiation founds one)."""
    best, best_score = None, 0.0
    for t in sorted(candidates, key=lambda t: t.negotiation_track_id):
        s = match_score(neg, t)
        if s > best_score:
            best, best_score = t, s
    if best is not None:
        return best.negotiation_track_id, None
    track = TrackEntry(
        negotiation_track_id=stable_id("track", neg.issue_id, neg.record_id),
        issue_id=neg.issue_id,
        track_name=neg.name,
        name_terms=list(neg.name_terms),
        party_actor_ids=list(neg.party_actor_ids),
        is_event=neg.is_event,
        founding_record_id=neg.record_id,
        article_id=neg.article_id,
        founding_published_at=neg.published_at,
    )
    return track.negotiation_track_id, track


def negotiation_terms(name: str, venue: str | None, parties: list[str] | tuple[str, ...] = ()) -> tuple[str, ...]:
    """The name's and venue's key terms, without the terms of the parties' names (parties are compared on
    their own: "ministerial meeting between the DRC and Rwanda" is the "ministerial meeting" in Luanda)."""
    drop = frozenset(t for p in parties for t in key_terms(p))
    return tuple(key_terms(f"{name} {venue or ''}", drop)) or tuple(key_terms(f"{name} {venue or ''}"))
