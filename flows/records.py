"""The records parley extracts, one dataclass per staging table.

These mirror `../shared/spec/annotation.md`; every extracted record carries its
evidence: the sentence it came from and character offsets into the article text.
Field order is the column order of the staging tables in DuckDB.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields

ACTOR_TYPES = ("person", "state", "organization", "group")
STATEMENT_KINDS = ("direct", "reported")
SPEECH_ACTS = ("assert", "demand", "offer", "threat", "accept", "reject", "accuse", "appeal", "support")
STANCES = ("reject", "accept", "welcome", "skeptical", "conditional")
NEGOTIATION_STATUSES = ("proposed", "scheduled", "ongoing", "amended", "concluded", "stalled", "rejected")


def stable_id(*parts: object) -> str:
    """A short deterministic id from the parts (same input, same id, run after run)."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    article_id: str
    source: str | None
    url: str | None
    title: str | None
    published_at: str | None  # ISO 8601 date or datetime, as given
    text: str
    content_hash: str
    source_file: str
    source_line: int | None = None
    license: str | None = None
    truncated: bool = False


@dataclass
class RejectedInput:
    file: str
    line: int | None
    reason: str  # short machine-readable code, e.g. "empty", "invalid_utf8"
    detail: str  # a sentence a person understands
    content_hash: str | None = None


@dataclass
class Evidence:
    """Where a record came from: the sentence and character offsets into the article text."""

    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Actor:
    """One actor of one article, after in-document resolution."""

    article_id: str
    actor_name: str
    actor_type: str
    aliases: list[str] = field(default_factory=list)
    affiliation_name: str | None = None
    country_code: str | None = None


@dataclass
class ActorMention:
    article_id: str
    mention_id: str
    actor_name: str
    actor_type: str
    mention_text: str
    start_char: int
    end_char: int
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Statement:
    article_id: str
    statement_id: str
    speaker_name: str | None
    speaker_mention: str | None
    statement_kind: str
    statement_text: str
    speech_act: str
    cue_text: str | None
    text_start: int
    text_end: int
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Demand:
    article_id: str
    demand_id: str
    demander_name: str | None
    addressee_name: str | None
    demand_text: str
    condition_text: str | None
    threat_text: str | None
    cue_text: str | None
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Offer:
    article_id: str
    offer_id: str
    offerer_name: str | None
    recipient_name: str | None
    offer_text: str
    cue_text: str | None
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Response:
    article_id: str
    response_id: str
    responder_name: str | None
    stance: str
    to_actor_name: str | None
    object_text: str
    cue_text: str | None
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Negotiation:
    article_id: str
    negotiation_id: str
    negotiation_name: str
    parties: list[str]
    mediator_name: str | None
    venue: str | None
    status: str
    provisions: list[str]
    cue_text: str | None
    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article_id: str
    actors: list[Actor] = field(default_factory=list)
    mentions: list[ActorMention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    negotiations: list[Negotiation] = field(default_factory=list)
    error: str | None = None  # set when the rules failed on this article: it is quarantined, not loaded

    def to_dict(self) -> dict:
        return asdict(self)

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self) if f.name not in {"article_id", "error"}}


# staging table name -> record class, in load order
STAGING_TABLES: dict[str, type] = {
    "articles": Article,
    "rejected_inputs": RejectedInput,
    "actors": Actor,
    "actor_mentions": ActorMention,
    "statements": Statement,
    "demands": Demand,
    "offers": Offer,
    "responses": Response,
    "negotiations": Negotiation,
}
