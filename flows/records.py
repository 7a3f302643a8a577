"""The records parley extracts, one dataclass per landing table.

These mirror `../shared/spec/annotation.md`; every extracted record carries its
evidence: the sentence it came from and character offsets into the article text.
Field order is the column order of the landing tables (schema `landing` of the build database).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

ACTOR_TYPES = ("person", "state", "organization", "group")
STATEMENT_KINDS = ("direct", "reported")
SPEECH_ACTS = ("assert", "demand", "offer", "threat", "accept", "reject", "accuse", "appeal", "support")
STANCES = ("reject", "accept", "welcome", "skeptical", "conditional")
NEGOTIATION_STATUSES = ("proposed", "scheduled", "ongoing", "amended", "concluded", "stalled", "rejected")


def stable_id(*parts: object) -> str:
    """A short deterministic id from the parts (same input, same id, run after run)."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def column(
    description: str,
    *,
    values: tuple[str, ...] | None = None,
    key: bool = False,
    pattern: str | None = None,
    minimum: int | None = None,
    not_before: str | None = None,
    **field_options: Any,
) -> Any:
    """A record field with what the warehouse documents and checks about it (`dataclasses.field` metadata).

    `description`: the column description (dbt docs); `values`: the vocabulary a value must be in;
    `key`: part of the table's key in the landing batch; `pattern`: a regex every value matches;
    `minimum`: the smallest allowed value; `not_before`: the column this one never precedes (span ends).
    `flows.quality.schema_files` turns these into `_sources.yml` and the landing GX suites.
    """
    metadata: dict[str, Any] = {"description": description}
    for name, value in (
        ("values", values),
        ("key", key or None),
        ("pattern", pattern),
        ("minimum", minimum),
        ("not_before", not_before),
    ):
        if value is not None:
            metadata[name] = value
    return field(metadata=metadata, **field_options)


ARTICLE_ID = "The article the record was extracted from."
CUE_TEXT = 'The cue word or phrase that signalled the record ("said", "must", "rejects").'
EVIDENCE_TEXT = "The sentence the record was extracted from."
EVIDENCE_START = "Offset of the evidence sentence in the article text."
EVIDENCE_END = "Offset just past the evidence sentence."


def _evidence_start() -> Any:
    return column(EVIDENCE_START, minimum=0)


def _evidence_end() -> Any:
    return column(EVIDENCE_END, not_before="evidence_start")


@dataclass
class Article:
    """One row per ingested article."""

    article_id: str = column("Stable id of the article (from the input, or derived from its content).", key=True)
    source: str | None = column("Publisher or outlet, as given in the input.")
    url: str | None = column("Address of the article, if known.")
    title: str | None = column("Headline.")
    published_at: str | None = column(
        "Publication date or datetime as given (ISO 8601), or null.", pattern=r"^\d{4}-\d{2}-\d{2}"
    )
    text: str = column("Full article text; record offsets point into it.")
    content_hash: str = column("Hash of the text, to recognise re-sent articles.")
    source_file: str = column("Input file the article came from.")
    source_line: int | None = column("Line of the input file (for JSON Lines inputs).", default=None)
    license: str | None = column("Licence or terms the article was supplied under.", default=None)
    truncated: bool = column("True when the text was cut to the pipeline's size limit.", default=False)


@dataclass
class RejectedInput:
    """Inputs the pipeline quarantined instead of extracting."""

    file: str = column("Input file.")
    line: int | None = column("Line of the input file, if line-based.", minimum=0)
    reason: str = column("Short machine-readable code, e.g. `empty`, `invalid_utf8`.", pattern=r"^[a-z][a-z0-9_]*$")
    detail: str = column("A sentence a person understands.")
    content_hash: str | None = column("Hash of the rejected content, if any could be read.", default=None)


@dataclass
class Evidence:
    """Where a record came from: the sentence and character offsets into the article text."""

    evidence_text: str
    evidence_start: int
    evidence_end: int


@dataclass
class Actor:
    """One row per actor of one article, after in-document resolution."""

    article_id: str = column(ARTICLE_ID, key=True)
    actor_name: str = column('Canonical actor name (annotation guide, "Actors").', key=True)
    actor_type: str = column("Kind of actor.", values=ACTOR_TYPES)
    aliases: list[str] = column("Other surface forms of the actor in this article.", default_factory=list)
    affiliation_name: str | None = column(
        "State or organisation a person or group acts for, if the article says so.", default=None
    )
    country_code: str | None = column(
        "ISO 3166-1 alpha-3 code of the actor's country (as in flows/data/gazetteer.json), if known.",
        pattern=r"^[A-Z]{3}$",
        default=None,
    )


@dataclass
class ActorMention:
    """One row per surface mention of an actor in an article."""

    article_id: str = column(ARTICLE_ID)
    mention_id: str = column("Id of the mention.", key=True)
    actor_name: str = column("Canonical name of the actor mentioned.")
    actor_type: str = column("Kind of actor.", values=ACTOR_TYPES)
    mention_text: str = column("The mention as written.")
    start_char: int = column("Offset of the mention's first character in the article text.", minimum=0)
    end_char: int = column("Offset just past the mention's last character.", not_before="start_char")
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


@dataclass
class Statement:
    """Utterances attributed to an actor, quoted or reported."""

    article_id: str = column(ARTICLE_ID)
    statement_id: str = column("Id of the statement.", key=True)
    speaker_name: str | None = column("Canonical name of the speaker, null when unresolved.")
    speaker_mention: str | None = column('How the speaker is referred to at the quote ("he", "the Kremlin").')
    statement_kind: str = column("`direct` (quoted, or a transcript turn) or `reported`.", values=STATEMENT_KINDS)
    statement_text: str = column("The quoted words, or the reported content without the cue verb.")
    speech_act: str = column("Main speech act (PLOVER categories).", values=SPEECH_ACTS)
    cue_text: str | None = column(CUE_TEXT)
    text_start: int = column("Offset of the statement text in the article text.", minimum=0)
    text_end: int = column("Offset just past the statement text.", not_before="text_start")
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


@dataclass
class Demand:
    """Actor A calls for an action by actor B."""

    article_id: str = column(ARTICLE_ID)
    demand_id: str = column("Id of the demand.", key=True)
    demander_name: str | None = column("Canonical name of the demanding actor, null when unresolved.")
    addressee_name: str | None = column("Canonical name of the actor asked to act, or null.")
    demand_text: str = column("The action demanded.")
    condition_text: str | None = column("What the demander promises if it is met, or null.")
    threat_text: str | None = column("What the demander threatens if it is not met, or null.")
    cue_text: str | None = column(CUE_TEXT)
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


@dataclass
class Offer:
    """Actor A offers, proposes or commits to an action."""

    article_id: str = column(ARTICLE_ID)
    offer_id: str = column("Id of the offer.", key=True)
    offerer_name: str | None = column("Canonical name of the offering actor, null when unresolved.")
    recipient_name: str | None = column("Canonical name of the actor the offer is made to, or null.")
    offer_text: str = column("What is offered.")
    cue_text: str | None = column(CUE_TEXT)
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


@dataclass
class Response:
    """Actor B's answer to a demand, offer or proposal."""

    article_id: str = column(ARTICLE_ID)
    response_id: str = column("Id of the response.", key=True)
    responder_name: str | None = column("Canonical name of the responding actor, null when unresolved.")
    stance: str = column("How the responder answers (`welcome`: positive without committing).", values=STANCES)
    to_actor_name: str | None = column("Canonical name of the actor whose demand or offer is answered, or null.")
    object_text: str = column("What is answered.")
    cue_text: str | None = column(CUE_TEXT)
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


@dataclass
class Negotiation:
    """Negotiation tracks, rounds, meetings, plans or proposals under discussion."""

    article_id: str = column(ARTICLE_ID)
    negotiation_id: str = column("Id of the negotiation record.", key=True)
    negotiation_name: str = column('Short description ("Geneva talks").')
    parties: list[str] = column("Canonical names of the parties.")
    mediator_name: str | None = column("Canonical name of the mediator, or null.")
    venue: str | None = column("Place, or null.")
    status: str = column("Where the negotiation stands.", values=NEGOTIATION_STATUSES)
    provisions: list[str] = column("Short provision texts the article names (may be empty).")
    cue_text: str | None = column(CUE_TEXT)
    evidence_text: str = column(EVIDENCE_TEXT)
    evidence_start: int = _evidence_start()
    evidence_end: int = _evidence_end()


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


LINK_KINDS = ("demand", "offer", "response", "negotiation")
ANSWER_KINDS = ("demand", "offer", "negotiation")
ISSUE_CATEGORIES = (
    "ceasefire",
    "territory",
    "security",
    "nuclear",
    "sanctions",
    "humanitarian",
    "detainees",
    "governance",
    "justice",
    "process",
    "economy",
    "displacement",
    "environment",
    "other",
)


@dataclass
class StoryLink:
    """An article's story: near-duplicate copies share one (flows.linking.stories)."""

    article_id: str = column(ARTICLE_ID, key=True)
    story_id: str = column("The story: the id of its first article's story; syndicated copies share it.")
    signature: str = column("MinHash signature of the article's word shingles (8 hex digits per hash value).")
    similarity: float | None = column("Estimated Jaccard similarity with the story it joined (null: it founded it).")


@dataclass
class StoryBand:
    """One LSH band key of an article's signature: the persisted index for near-duplicate lookups."""

    article_id: str = column(ARTICLE_ID, key=True)
    band_key: str = column("Hash of one LSH band of the signature; articles sharing one are compared.", key=True)


@dataclass
class IssueEntry:
    """An issue of the warehouse, created by its founding record; never deleted or re-keyed once loaded."""

    issue_id: str = column("Stable id of the issue (hash of its key and founding record).", key=True)
    issue_key: str = column("What new records are matched on: anchor | category.")
    issue_label: str = column("Readable label of the issue.")
    issue_category: str = column("Category of the annotation guide.", values=ISSUE_CATEGORIES)
    anchor: str | None = column("The state or conflict area the issue is about, if any.")
    founding_kind: str = column("Kind of the founding record.", values=LINK_KINDS)
    founding_record_id: str = column("The record that created the issue.")
    article_id: str = column("The founding record's article (the issue outlives a reload of it).")
    key_terms: list[str] = column("Key terms of the founding record's text.")


@dataclass
class TrackEntry:
    """A negotiation track of the warehouse, created by its founding negotiation record; never re-keyed."""

    negotiation_track_id: str = column("Stable id of the track (hash of its issue and founding record).", key=True)
    issue_id: str = column("The issue the track is about.")
    track_name: str = column("Name of the founding negotiation record.")
    name_terms: list[str] = column("Key terms of the name and venue, matched against new negotiations.")
    party_actor_ids: list[str] = column("Actor ids of the founding record's parties.")
    is_event: bool = column("A single dated meeting or session: only records of nearby days join it.")
    founding_record_id: str = column("The negotiation record that created the track.")
    article_id: str = column("The founding record's article (the track outlives a reload of it).")
    founding_published_at: str | None = column("Publication date of the founding article.")


@dataclass
class RecordLink:
    """The links of one demand, offer, response or negotiation: its issue, track, and what it answers."""

    article_id: str = column(ARTICLE_ID, key=True)
    record_kind: str = column("Kind of the record.", values=LINK_KINDS, key=True)
    record_id: str = column("demand_id, offer_id, response_id or negotiation_id of the record.", key=True)
    issue_id: str = column("The issue the record is about.")
    actor_ids: list[str] = column("Actor ids of the demander, offerer, responder, or the parties and mediator.")
    published_at: str | None = column("Publication date of the record's article.")
    key_terms: list[str] = column("Key terms of the record's text (demand, offer, object, name).")
    negotiation_track_id: str | None = column("Negotiations: the track.", default=None)
    answers_kind: str | None = column("Responses: kind of the record answered.", values=ANSWER_KINDS, default=None)
    answers_id: str | None = column("Responses: id of the record answered.", default=None)
    answers_article_id: str | None = column("Responses: article of the record answered.", default=None)
    answers_score: float | None = column("Responses: score of the answer link.", default=None)


# landing table name -> record class, in load order (dbt reads them as sources; its staging views are stg_*)
LANDING_TABLES: dict[str, type] = {
    "articles": Article,
    "rejected_inputs": RejectedInput,
    "actors": Actor,
    "actor_mentions": ActorMention,
    "statements": Statement,
    "demands": Demand,
    "offers": Offer,
    "responses": Response,
    "negotiations": Negotiation,
    "story_links": StoryLink,
    "story_bands": StoryBand,
    "issues": IssueEntry,
    "negotiation_tracks": TrackEntry,
    "record_links": RecordLink,
}
