"""The extraction's word lists, loaded once from typed lexicon files in `flows/data/` and validated.

Two files, each read into frozen dataclasses whose fields are the schema:

- `cues.json` -> `Cues`: cue phrases (speech verbs, speech-act phrases, demand, offer, stance and
  negotiation cues), lower case;
- `words.json` -> `Words`: the rules' word lists by area (`pronouns`, `actors`, `resolver`,
  `modality`, `demands`, `names`, `negotiations`, `offers`, `responses`, `speech_acts`, `statements`).

Code reads them through attributes (`load_words().pronouns.first_person`, `load_lexicon().demand_verbs`),
never by string key. A key the schema does not know, a missing key, a value of the wrong shape, an
empty or repeated entry, or a category outside the record vocabularies fails when the file is loaded
(`LexiconError`, naming the file and key), not in the middle of an article.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from flows.records import NEGOTIATION_STATUSES, SPEECH_ACTS, STANCES

WordSet = frozenset[str]
Groups = dict[str, frozenset[str]]


class LexiconError(ValueError):
    """A lexicon file does not match its schema."""


# ---- cues.json ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreatMeasures:
    verbs: WordSet
    nouns: WordSet


@dataclass(frozen=True)
class ConcessionNouns:
    any: WordSet  # conceded whatever their object ("withdrawal")
    of_object: WordSet  # conceded only with an object ("release of the prisoners")


@dataclass(frozen=True)
class Cues:
    speech_verbs: WordSet
    speech_verbs_reported_only: WordSet
    speech_verbs_object: tuple[str, ...]  # ordered: "call" before "call on" matters
    threat_actions: WordSet
    threat_measures: ThreatMeasures
    according_to: WordSet
    act_by_verb: Groups
    act_phrases: Groups
    report_nouns: dict[str, str]
    evaluative_positive: WordSet
    evaluated_objects: WordSet
    act_priority: tuple[str, ...]
    negators: WordSet
    time_frame_markers: WordSet  # a cue phrase after these is background ("since the invasion")
    demand_verbs: WordSet
    demand_modals: WordSet
    demand_nouns: WordSet
    demand_impersonal: WordSet
    demand_message_nouns: WordSet
    demand_threat_verbs: WordSet
    demand_nonassertive_verbs: WordSet
    discourse_imperatives: WordSet
    offer_verbs: WordSet
    offer_verbs_assent: WordSet
    offer_accepted_objects: WordSet
    offer_verbs_weak: WordSet
    offer_object_nouns: WordSet
    offer_object_stop: WordSet
    offer_adjectives: WordSet
    offer_nouns: WordSet
    commitment_verbs: WordSet
    commitment_modals: WordSet
    condition_markers: WordSet
    stance_verbs: Groups
    stance_nouns: Groups
    negotiation_nouns: WordSet
    negotiation_nouns_strong: WordSet
    negotiation_qualifiers: WordSet
    status_cues: Groups
    mediator_cues: WordSet
    restriction_nouns: Groups
    concession_verbs: Groups
    response_concession_nouns: ConcessionNouns
    response_concession_governors: WordSet
    negotiation_delegation_nouns: WordSet
    negotiation_hosting_nouns: WordSet
    negotiation_party_verbs: WordSet
    negotiation_observer_verbs: WordSet
    response_anaphors: WordSet
    track_kinds: tuple[frozenset[str], ...]  # ordered: the index is the kind
    response_pending_verbs: WordSet
    response_evaluative_copulas: WordSet
    response_objects: WordSet
    stance_irrealis_governors: WordSet
    stance_evaluations: Groups
    stance_evaluation_verbs: WordSet
    stance_adjectives: Groups
    static_locative_preps: WordSet
    locative_preps: WordSet

    @staticmethod
    def pattern(phrases: Iterable[str]) -> re.Pattern[str]:
        """A case-insensitive regex matching any phrase on word boundaries (longest first)."""
        alts = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


# the categories a group's keys must come from
_CATEGORIES: dict[str, tuple[str, ...]] = {
    "act_by_verb": SPEECH_ACTS,
    "act_phrases": SPEECH_ACTS,
    "act_priority": SPEECH_ACTS,
    "stance_verbs": STANCES,
    "stance_nouns": STANCES,
    "stance_adjectives": STANCES,
    "stance_evaluations": STANCES,
    "status_cues": NEGOTIATION_STATUSES,
}


# ---- words.json --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pronouns:
    person: WordSet
    collective: WordSet
    first_person: WordSet
    third_person_subjects: WordSet
    speaker: WordSet  # pronoun subjects resolved through the speaker chain
    relative: WordSet
    object_anaphors: WordSet
    plural_anaphors: WordSet  # "they", "them": a plural subject named before
    gender: dict[str, str]
    honorific_gender: dict[str, str]
    articles: WordSet


@dataclass(frozen=True)
class ActorWords:
    agent_preps: WordSet
    regional_adjectives: WordSet  # "<adj> leaders" is a group without one state
    generic_roles: WordSet  # role nouns that stand for whoever last spoke officially
    compass_words: WordSet  # capitalised: "Northern" Ireland
    vague_groups: WordSet  # too vague to name a collective alone
    group_quantifiers: WordSet
    place_nouns: WordSet
    role_premodifiers: WordSet
    top_roles: WordSet
    run_links: WordSet
    led_bodies: WordSet  # "the Trump administration"
    member_nouns: WordSet  # "<armed group> rebels" acts as the group
    state_only_bodies: WordSet
    body_nouns: WordSet


@dataclass(frozen=True)
class ResolverWords:
    partitive_heads: WordSet  # "members of the Council" is the Council
    of_heads: WordSet  # "the ministry of X", "the head of the X delegation"
    collectives: WordSet  # "a group of X", "hundreds of X": the actor is X
    representative_roles: WordSet
    state_bodies: WordSet  # "the Azerbaijani parliament" is Azerbaijan
    anaphoric_bodies: WordSet  # "the group" for the organisation just named
    org_bodies: WordSet  # "the Umma party"
    of_preps: WordSet  # "the envoy of/for/from X" stands for X
    owned_nouns: WordSet  # besides bodies and military nouns, what a state or organisation owns ("its embassy")
    party_people: WordSet  # "the two leaders": the people last named together
    party_bodies: WordSet  # "the delegations", "both sides": the states and organisations at the table
    party_determiners: WordSet  # "the/both sides" (not "all parties")
    number_words: tuple[str, ...]  # ordered: the index is the value ("the two leaders")
    media_nouns: WordSet  # relay others' words; never stand for their country ("an Egyptian newspaper")
    document_nouns: WordSet  # "a joint statement by X and Y said": a document speaks for its authors
    authoring_verbs: WordSet  # "a statement issued/signed by X"


@dataclass(frozen=True)
class ModalityWords:
    need_verbs: WordSet
    modals: WordSet
    condition_marks: WordSet
    demand_modals: WordSet
    weak_modals: WordSet


@dataclass(frozen=True)
class DemandWords:
    prep_only: Groups  # verbs that demand only with one of these prepositions ("call on")
    target_preps: WordSet
    mandative_verbs: WordSet
    threat_alternatives: WordSet
    noun_owner_verbs: WordSet
    failure_verbs: WordSet
    assent_verbs: WordSet


@dataclass(frozen=True)
class NameWords:
    small_words: WordSet
    org_name_words: WordSet
    generic_org_heads: WordSet
    non_actor_heads: WordSet
    transcript_labels: WordSet
    title_modifiers: WordSet
    title_org_words: WordSet
    connectors: WordSet
    name_particles: WordSet


@dataclass(frozen=True)
class NegotiationWords:
    party_preps: WordSet
    topic_preps: WordSet
    definite_determiners: WordSet
    participation_preps: WordSet
    actor_object_verbs: WordSet
    meeting_verbs: dict[str, str]  # verb -> the track noun it names ("meet" -> "meeting")
    with_only_verbs: WordSet  # a meeting only with "with" an actor ("spoke with X", not "spoke to reporters")
    strict_object_verbs: WordSet
    hosting_verbs: WordSet
    future_modifiers: WordSet
    # meeting verbs a single body does on its own ("the Council met"); others need a second party
    assembly_verbs: WordSet
    # "a Qatari-brokered truce", "the Norwegian-facilitated talks": the modifier names the mediator
    mediating_participles: WordSet
    # "the fourth round", "the eighth cycle": an ordinal tells one round of a track from another
    ordinals: WordSet
    # "will lay down its arms only after negotiations with X": a track named as a future condition
    condition_preps: WordSet


@dataclass(frozen=True)
class OfferWords:
    owner_preps: WordSet
    readiness_words: WordSet
    continuative_verbs: WordSet


@dataclass(frozen=True)
class ResponseWords:
    partitives: WordSet
    realis_governors: WordSet
    dobj_only_verbs: WordSet
    clause_object_verbs: WordSet
    object_preps: WordSet


@dataclass(frozen=True)
class SpeechActWords:
    neutral_verbs: WordSet
    flip_to_reject: WordSet


@dataclass(frozen=True)
class StatementWords:
    cognition_verbs: WordSet
    # deeds reported by another speaker ("officials said X had proposed ..."): the reporter's statement only
    reported_deed_verbs: WordSet
    frame_preps: WordSet
    physical_sense_verbs: WordSet
    military_nouns: WordSet
    text_nouns: WordSet
    answer_labels: WordSet  # "A:" in an interview: the interviewee's turn
    refusal_answers: WordSet  # "No." opening an answer to "Will you ...?": a rejection of what was asked
    generic_sources: WordSet  # "according to officials familiar with the talks": an unnamed source group
    not_speaker_labels: WordSet


@dataclass(frozen=True)
class Words:
    pronouns: Pronouns
    actors: ActorWords
    resolver: ResolverWords
    modality: ModalityWords
    demands: DemandWords
    names: NameWords
    negotiations: NegotiationWords
    offers: OfferWords
    responses: ResponseWords
    speech_acts: SpeechActWords
    statements: StatementWords


# ---- loading and validation ----------------------------------------------------------------------

T = typing.TypeVar("T")


def _strings(value: object, where: str, *, lower: bool) -> list[str]:
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: expected a non-empty list of strings, got {type(value).__name__}")
    bad = [v for v in value if not isinstance(v, str) or not v.strip()]
    if bad:
        raise LexiconError(f"{where}: entries must be non-empty strings: {bad[:3]!r}")
    if lower and any(v != v.lower() for v in value):
        raise LexiconError(f"{where}: cue entries are lower case: {[v for v in value if v != v.lower()][:3]!r}")
    if len(set(value)) != len(value):
        seen: set[str] = set()
        dup = [v for v in value if v in seen or seen.add(v)]
        raise LexiconError(f"{where}: repeated entries {dup[:3]!r}")
    return value


def _convert(tp: object, value: object, where: str, *, lower: bool) -> object:
    """`value` as the field type `tp` (frozenset/tuple of strings, mappings of them, or a nested dataclass)."""
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where, lower=lower)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is frozenset:
        return frozenset(_strings(value, where, lower=lower))
    if origin is tuple and args[0] is str:
        return tuple(_strings(value, where, lower=lower))
    if origin is tuple:
        if not isinstance(value, list) or not value:
            raise LexiconError(f"{where}: expected a non-empty list of lists")
        return tuple(_convert(args[0], v, f"{where}[{i}]", lower=lower) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict) or not value:
            raise LexiconError(f"{where}: expected a non-empty object, got {type(value).__name__}")
        if args[1] is str:
            bad = {k: v for k, v in value.items() if not isinstance(v, str) or not v}
            if bad:
                raise LexiconError(f"{where}: values must be strings: {list(bad)[:3]!r}")
            return dict(value)
        return {k: _convert(args[1], v, f"{where}.{k}", lower=lower) for k, v in value.items()}
    raise TypeError(f"{where}: unsupported lexicon field type {tp!r}")  # a schema bug, not a data one


def _build(cls: type[T], raw: object, where: str, *, lower: bool) -> T:
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: expected an object, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    expected = set(hints)
    given = {k for k in raw if not k.startswith("_")}
    if given - expected:
        raise LexiconError(f"{where}: unknown key(s) {sorted(given - expected)} (expected {sorted(expected)})")
    if expected - given:
        raise LexiconError(f"{where}: missing key(s) {sorted(expected - given)}")
    values = {}
    for name, tp in hints.items():
        key_where = f"{where}.{name}" if where else name
        values[name] = _convert(tp, raw[name], key_where, lower=lower)
        allowed = _CATEGORIES.get(name) if cls is Cues else None
        if allowed is not None:
            keys = values[name] if isinstance(values[name], tuple) else values[name].keys()
            unknown = sorted(set(keys) - set(allowed))
            if unknown:
                raise LexiconError(f"{key_where}: unknown categories {unknown} (allowed: {list(allowed)})")
    return cls(**values)


def parse_cues(raw: object, source: str = "cues.json") -> Cues:
    """Validate and type a parsed cues file (raises LexiconError naming the file and key)."""
    try:
        return _build(Cues, raw, "", lower=True)
    except LexiconError as exc:
        raise LexiconError(f"{source}: {exc}") from None


def parse_words(raw: object, source: str = "words.json") -> Words:
    """Validate and type a parsed word-list file (raises LexiconError naming the file and key)."""
    try:
        return _build(Words, raw, "", lower=False)
    except LexiconError as exc:
        raise LexiconError(f"{source}: {exc}") from None


def _read(name: str) -> object:
    return json.loads(resources.files("flows.data").joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Cues:
    """The cue lexicon (`flows/data/cues.json`), once per process."""
    return parse_cues(_read("cues.json"))


@functools.lru_cache(maxsize=1)
def load_words() -> Words:
    """The rules' word lists (`flows/data/words.json`), once per process."""
    return parse_words(_read("words.json"))


def check_lexicons() -> None:
    """Load and validate every lexicon file now (start-up), so a bad file fails before any article."""
    from flows.extract.gazetteer import load_gazetteer

    load_lexicon()
    load_words()
    load_gazetteer()
