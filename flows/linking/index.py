"""The persisted link indexes in the build database (`landing.*`), read for one batch only.

Every lookup is by key for the batch's own keys (LSH band keys, issue keys, issue ids, actor
and issue pairs), as one join against the batch's keys: the work grows with the batch, not with history,
and no record of the warehouse is compared with another. Rows of the batch's own articles are
left out (they are about to be replaced). Records linked earlier in the same batch are added
to an in-memory overlay, so a batch sees its own new issues, tracks and stories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from flows.linking.answers import Target
from flows.linking.stories import StoryCandidate, from_hex
from flows.records import IssueEntry, RecordLink, TrackEntry


class LinkIndex:
    def __init__(self, con: duckdb.DuckDBPyConnection, batch_article_ids: Iterable[str]):
        self.con = con
        self.batch_ids = sorted(set(batch_article_ids))
        self.lookups = 0  # candidate rows read from the warehouse (for tests and the benchmark)
        self.issues: dict[str, IssueEntry] = {}
        self.tracks: dict[str, list[TrackEntry]] = defaultdict(list)
        self.targets: dict[tuple[str, str | None], list[Target]] = defaultdict(list)
        self.bands: dict[str, list[StoryCandidate]] = defaultdict(list)

    def _query(self, sql: str, keys: Iterable[str]) -> list[dict]:
        keys = sorted(set(k for k in keys if k is not None))
        if not keys:
            return []
        self.con.register("link_keys", pa.table({"k": pa.array(keys, pa.string())}))
        self.con.register("link_batch", pa.table({"article_id": pa.array(self.batch_ids, pa.string())}))
        try:
            cur = self.con.execute(sql)
            cols = [d[0] for d in cur.description]
            rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        finally:
            self.con.unregister("link_keys")
            self.con.unregister("link_batch")
        self.lookups += len(rows)
        return rows

    def load_stories(self, band_keys: Iterable[str]) -> None:
        rows = self._query(
            "select b.band_key, s.article_id, s.story_id, s.signature "
            "from landing.story_bands b join landing.story_links s on s.article_id = b.article_id "
            "where b.band_key in (select k from link_keys) "
            "and b.article_id not in (select article_id from link_batch) "
            "order by b.band_key, s.article_id",
            band_keys,
        )
        for r in rows:
            self.bands[r["band_key"]].append(
                StoryCandidate(r["article_id"], r["story_id"], from_hex(r["article_id"], r["signature"]))
            )

    def story_candidates(self, band_keys: Iterable[str]) -> list[StoryCandidate]:
        seen: dict[str, StoryCandidate] = {}
        for k in band_keys:
            for c in self.bands.get(k, ()):
                seen.setdefault(c.article_id, c)
        return [seen[a] for a in sorted(seen)]

    def add_story(self, candidate: StoryCandidate, band_keys: Iterable[str]) -> None:
        for k in band_keys:
            self.bands[k].append(candidate)

    def load_issues(self, keys: Iterable[str]) -> None:
        rows = self._query(
            "select * from landing.issues where issue_key in (select k from link_keys) order by issue_id", keys
        )
        for r in rows:
            self.issues.setdefault(r["issue_key"], IssueEntry(**r))

    def load_tracks(self, anchor_keys: Iterable[str]) -> None:
        """The tracks whose issue has one of these anchors (the anchor part of the issue key), any category."""
        rows = self._query(
            "select t.*, split_part(i.issue_key, '|', 1) as anchor_key "
            "from landing.negotiation_tracks t join landing.issues i on i.issue_id = t.issue_id "
            "where split_part(i.issue_key, '|', 1) in (select k from link_keys) "
            "order by t.negotiation_track_id",
            anchor_keys,
        )
        for r in rows:
            anchor_key = r.pop("anchor_key")
            self.tracks[anchor_key].append(TrackEntry(**r))

    def load_targets(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Earlier articles' demands, offers and negotiations of these (actor id, issue id) pairs."""
        pairs = sorted(set(pairs))
        if not pairs:
            return
        self.con.register(
            "link_pairs",
            pa.table(
                {
                    "actor_id": pa.array([a for a, _ in pairs], pa.string()),
                    "issue_id": pa.array([i for _, i in pairs], pa.string()),
                }
            ),
        )
        try:
            rows = self._query(
                "select distinct r.* from landing.record_links r "
                "join link_pairs p on r.issue_id = p.issue_id and list_contains(r.actor_ids, p.actor_id) "
                "where r.record_kind <> 'response' and r.article_id not in (select article_id from link_batch) "
                "order by r.record_id",
                [i for _, i in pairs],
            )
        finally:
            self.con.unregister("link_pairs")
        for r in rows:
            self.add_target(RecordLink(**r))

    def add_target(self, link: RecordLink) -> None:
        self.add_target_entry(
            Target(
                kind=link.record_kind,
                record_id=link.record_id,
                article_id=link.article_id,
                actor_ids=tuple(link.actor_ids),
                terms=tuple(link.key_terms),
                issue_id=link.issue_id,
                published_at=link.published_at,
            )
        )

    def add_target_entry(self, target: Target) -> None:
        for a in set(target.actor_ids):
            self.targets[(a, target.issue_id)].append(target)

    def targets_of(self, actor_id: str | None, issue_id: str | None) -> list[Target]:
        """Earlier records of this actor on this issue (warehouse and the batch's earlier articles)."""
        return list(self.targets.get((actor_id, issue_id), ())) if actor_id and issue_id else []
