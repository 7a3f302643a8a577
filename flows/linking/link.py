"""The linking step: a batch's stories, issues, tracks and answers, against the warehouse's indexes.

`link_batch` reads the build database (lookups by the batch's keys) and returns `Links`; the
load step writes them in the batch's own transaction (`Links.write`), so a crash rolls links
and records back together and a rerun computes the same links. Articles are linked in batch
order, records in article order: a rebuild from the same batches gives the same ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from flows.linking import answers as answers_mod
from flows.linking import issues as issues_mod
from flows.linking import stories as stories_mod
from flows.linking import tracks as tracks_mod
from flows.linking.index import LinkIndex
from flows.linking.text import actor_id, key_terms, place_finder
from flows.records import (
    Article,
    Extraction,
    IssueEntry,
    RecordLink,
    StoryBand,
    StoryLink,
    TrackEntry,
)
from flows.warehouse.sql import ident

# landing tables whose rows belong to an article (replaced when it is re-loaded); issues and
# tracks are never deleted: their ids outlive a reload of the founding article
PER_ARTICLE_TABLES = ("story_links", "story_bands", "record_links")


@dataclass
class Links:
    article_ids: list[str] = field(default_factory=list)
    story_links: list[StoryLink] = field(default_factory=list)
    story_bands: list[StoryBand] = field(default_factory=list)
    issues: list[IssueEntry] = field(default_factory=list)
    negotiation_tracks: list[TrackEntry] = field(default_factory=list)
    record_links: list[RecordLink] = field(default_factory=list)
    lookups: int = 0  # candidate rows the index returned

    def counts(self) -> dict[str, int]:
        return {t: len(getattr(self, t)) for t in (*PER_ARTICLE_TABLES, "issues", "negotiation_tracks")}

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        """Replace the batch articles' link rows and add the new issues and tracks (caller's transaction)."""
        from flows.records import LANDING_TABLES
        from flows.warehouse.load import _insert, _table

        con.register("link_article_ids", pa.table({"article_id": pa.array(self.article_ids, pa.string())}))
        try:
            for table in PER_ARTICLE_TABLES:
                con.execute(
                    f"delete from landing.{ident(table)} where article_id in (select article_id from link_article_ids)"
                )
        finally:
            con.unregister("link_article_ids")
        for table in (*PER_ARTICLE_TABLES, "issues", "negotiation_tracks"):
            _insert(con, table, _table(LANDING_TABLES[table], getattr(self, table)))


def _record_text(kind: str, rec) -> str:
    if kind == "demand":
        return rec.demand_text
    if kind == "offer":
        return rec.offer_text
    if kind == "response":
        return rec.object_text
    return f"{rec.negotiation_name} {rec.venue or ''}".strip()


def _actors(kind: str, rec) -> list[str]:
    """Actor ids of the record's own actors."""
    return list(dict.fromkeys(a for a in (actor_id(n) for n in _actor_names(kind, rec)) if a))


def _actor_names(kind: str, rec, *, answered: bool = False) -> list[str]:
    """The record's own actors (who acts, as opposed to what about); `answered`: also the actor a response answers."""
    if kind == "demand":
        names = [rec.demander_name]
    elif kind == "offer":
        names = [rec.offerer_name]
    elif kind == "response":
        names = [rec.responder_name, rec.to_actor_name] if answered else [rec.responder_name]
    else:
        names = [*rec.parties, rec.mediator_name]
    return [n for n in names if n]


def _actor_places(names: list[str], affiliation: dict[str, str]) -> frozenset[str]:
    """The states and areas the actors are, or act for (their affiliation in the article)."""
    finder = place_finder()
    out: set[str] = set()
    for n in names:
        for name in (n, affiliation.get(n)):
            out.update(finder.places(name))
    return frozenset(out)


def _fallback_anchor(extraction: Extraction) -> str | None:
    """The article's most mentioned non-person actor, for articles that name no state or area."""
    counts: dict[str, int] = {}
    for m in extraction.mentions:
        if m.actor_type in ("state", "organization"):
            counts[m.actor_name] = counts.get(m.actor_name, 0) + 1
    return min(counts, key=lambda n: (-counts[n], n)) if counts else None


def _drop_if_unused(links: Links, index: LinkIndex, link: RecordLink, record_links: dict[str, RecordLink]) -> None:
    """Forget the issue this record founded in this batch when no other record has it (it moves to its track's)."""
    founded = next((i for i in links.issues if i.issue_id == link.issue_id), None)
    if founded is None or founded.founding_record_id != link.record_id:
        return
    if any(o.issue_id == link.issue_id for o in record_links.values() if o is not link):
        return
    links.issues.remove(founded)
    if index.issues.get(founded.issue_key) is founded:
        del index.issues[founded.issue_key]


def _target(link: RecordLink, position: int | None = None) -> answers_mod.Target:
    return answers_mod.Target(
        link.record_kind,
        link.record_id,
        link.article_id,
        tuple(link.actor_ids),
        tuple(link.key_terms),
        link.issue_id,
        link.published_at,
        position,
    )


def link_batch(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], extractions: Sequence[Extraction]) -> Links:
    """Links of the extracted articles (in batch order) against the warehouse's indexes."""
    by_id = {a.article_id: a for a in articles}
    extractions = [e for e in extractions if not e.error and e.article_id in by_id]
    links = Links(article_ids=[e.article_id for e in extractions])
    index = LinkIndex(con, links.article_ids)

    # stories
    sigs = [stories_mod.signature(e.article_id, by_id[e.article_id].text) for e in extractions]
    keys = [stories_mod.band_keys(s) for s in sigs]
    index.load_stories(k for ks in keys for k in ks)
    story_of: dict[str, str] = {}
    for sig, ks in zip(sigs, keys, strict=True):
        link, bands = stories_mod.assign_story(sig, index.story_candidates(ks))
        links.story_links.append(link)
        links.story_bands.extend(bands)
        index.add_story(stories_mod.StoryCandidate(sig.article_id, link.story_id, sig), ks)
        story_of[sig.article_id] = link.story_id

    # features: issue keys of every record (they do not depend on the index)
    plan = []  # (article, kind, record, key, anchor, category, text)
    for e in extractions:
        a = by_id[e.article_id]
        ctx = issues_mod.article_context(a.article_id, a.title, a.text, _fallback_anchor(e))
        affiliation = {x.actor_name: x.affiliation_name for x in e.actors if x.affiliation_name}
        demands: list[tuple[str | None, list[str], str | None, str]] = []  # (demander, terms, anchor, category)
        for kind, recs in (
            ("demand", e.demands),
            ("offer", e.offers),
            ("negotiation", e.negotiations),
            ("response", e.responses),
        ):
            for r in recs:
                text = _record_text(kind, r)
                category = issues_mod.record_category(text, r.evidence_text, ctx, kind)
                anchor = issues_mod.record_anchor(
                    text, ctx, _actor_places(_actor_names(kind, r, answered=True), affiliation)
                )
                met = issues_mod.demand_met(r, text, demands) if kind == "offer" else None
                if met is not None:  # an offer that meets a demand of another actor shares its issue
                    anchor, category = met
                if kind == "demand":
                    demands.append((r.demander_name, key_terms(text), anchor, category))
                plan.append((a, kind, r, issues_mod.issue_key(anchor, category), anchor, category, text))
    index.load_issues(p[3] for p in plan)
    # earlier records a response may answer across articles: the answered actor's, on the response's own issue
    index.load_targets(
        (actor_id(r.to_actor_name), index.issues[key].issue_id)
        for (_, kind, r, key, *_rest) in plan
        if kind == "response" and r.to_actor_name and key in index.issues
    )

    def issue_for(key: str, anchor, category, kind, rec_id, article_id, text) -> str:
        hit = index.issues.get(key)
        if hit is None:
            hit = issues_mod.new_issue(key, anchor, category, kind, rec_id, article_id, text)
            index.issues[key] = hit
            links.issues.append(hit)
        return hit.issue_id

    # demands, offers, negotiations: issue (and track); responses after their article's targets
    record_links: dict[str, RecordLink] = {}
    positions = {getattr(r, f"{kind}_id"): r.evidence_start for _, kind, r, *_rest in plan}
    pending_tracks: list[tuple[RecordLink, object, Article, str]] = []
    for a, kind, r, key, anchor, category, text in plan:
        if kind == "response":
            continue
        rid = getattr(r, f"{kind}_id")
        issue_id = issue_for(key, anchor, category, kind, rid, a.article_id, text)
        link = RecordLink(a.article_id, kind, rid, issue_id, _actors(kind, r), a.published_at, key_terms(text))
        record_links[rid] = link
        if kind == "negotiation":
            pending_tracks.append((link, r, a, key))
    # the tracks of the negotiations' anchors, of any category: one negotiation may be filed under
    # another matter in another article; a plan or talks that join a track take the track's issue (one
    # negotiation is one matter), a meeting keeps its own (it takes up the matter of the article reporting it)
    index.load_tracks({issues_mod.anchor_of_key(key) for *_, key in pending_tracks})
    for link, r, a, key in pending_tracks:
        neg = tracks_mod.NegotiationFeatures(
            record_id=link.record_id,
            article_id=a.article_id,
            issue_id=link.issue_id,
            name=r.negotiation_name,
            name_terms=tracks_mod.negotiation_terms(r.negotiation_name, r.venue, r.parties),
            party_actor_ids=tuple(actor_id(p) for p in r.parties if actor_id(p)),
            is_event=tracks_mod.is_event(r.negotiation_name),
            published_at=a.published_at,
            upcoming=tracks_mod.is_upcoming(r.status),
        )
        anchor_key = issues_mod.anchor_of_key(key)
        track_id, new_track = tracks_mod.assign_track(neg, index.tracks.get(anchor_key, []))
        link.negotiation_track_id = track_id
        if new_track is not None:
            index.tracks[anchor_key].append(new_track)
            links.negotiation_tracks.append(new_track)
            continue
        track_issue = next(t.issue_id for t in index.tracks[anchor_key] if t.negotiation_track_id == track_id)
        if track_issue != link.issue_id and not neg.is_event:
            _drop_if_unused(links, index, link, record_links)
            link.issue_id = track_issue

    # responses: what they answer, then their issue (the answered record's, else their own key);
    # an article's records become cross-article targets for the batch's later articles
    article_targets: dict[str, list[answers_mod.Target]] = {}
    for link in record_links.values():
        article_targets.setdefault(link.article_id, []).append(_target(link, positions.get(link.record_id)))
    responses_of: dict[str, list] = {}
    for p in plan:
        if p[1] == "response":
            responses_of.setdefault(p[0].article_id, []).append(p)
    for e in extractions:
        for a, kind, r, key, anchor, category, text in responses_of.get(e.article_id, []):
            feats = answers_mod.ResponseFeatures(
                record_id=r.response_id,
                article_id=a.article_id,
                responder_id=actor_id(r.responder_name),
                to_actor_id=actor_id(r.to_actor_name),
                terms=tuple(key_terms(text)),
                published_at=a.published_at,
                demand_headed=answers_mod.demand_headed(text),
                position=r.evidence_start,
            )
            own_issue = index.issues.get(key)
            earlier = index.targets_of(feats.to_actor_id, own_issue.issue_id if own_issue else None)
            hit = answers_mod.best_answer(feats, article_targets.get(a.article_id, []), earlier)
            target, score = hit if hit is not None else (None, None)
            issue_id = (
                target.issue_id
                if target is not None and target.issue_id
                else issue_for(key, anchor, category, kind, r.response_id, a.article_id, text)
            )
            record_links[r.response_id] = RecordLink(
                a.article_id,
                kind,
                r.response_id,
                issue_id,
                _actors(kind, r),
                a.published_at,
                list(feats.terms),
                answers_kind=target.kind if target else None,
                answers_id=target.record_id if target else None,
                answers_article_id=target.article_id if target else None,
                answers_score=round(score, 4) if score is not None else None,
            )
        for t in article_targets.get(e.article_id, []):
            index.add_target_entry(t)
    links.record_links = list(record_links.values())
    links.lookups = index.lookups
    return links
