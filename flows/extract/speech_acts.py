"""The main speech act of an utterance, from its cue verb and the cue phrases it holds.

Order: the cue verb's own act ("urged" -> demand, "accused" -> accuse), flipped when the
verb is negated ("did not accept" -> reject); then conditionals ("unless ..., we will"
and "if ... not ..., we will" -> threat; "cannot ... unless" -> demand); then cue phrases
by priority, where a negated positive phrase ("not ready to", "will not support") is a
rejection; then a positive evaluation ("a fair and balanced agreement", a quoted "very serious")
is support, a negated one ("not a good deal") a rejection; else `assert`. A manner adverb does not
hide a performative ("we strongly urge" -> demand).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from flows.extract.lexicon import load_lexicon, load_words
from flows.records import SPEECH_ACTS

WORDS = load_words()

NEUTRAL_VERBS = WORDS.speech_acts.neutral_verbs
# a negated cue verb or cue phrase of these acts is a refusal ("will not support" -> reject)
FLIP_TO_REJECT = WORDS.speech_acts.flip_to_reject
NEGATION_WINDOW = 3  # words between a negator and the phrase it negates
FRAME_WINDOW = 6  # words between a time-frame marker and the phrase it frames
_FUTURE = r"\b(?:will|would|shall|'ll|’ll|is going to|are going to)\b"
_UNLESS = re.compile(r"\bunless\b", re.IGNORECASE)
_IF_NOT = re.compile(
    r"\bif\b[^.;]*?\b(?:not|n't|n’t|fail\w*|refus\w*|continue\w*|persist\w*)\b[^.;]*?,[^.;]*?" + _FUTURE, re.IGNORECASE
)
# "once the attacks stop, we will stop too": a commitment conditional on the other side
_ONCE = re.compile(r"\b(?:once|as soon as)\b[^.;]*?,[^.;]*?" + _FUTURE, re.IGNORECASE)
_FUTURE_RE = re.compile(_FUTURE, re.IGNORECASE)
_WORD = re.compile(r"[\w’'-]+")
# "we strongly urge", "I firmly reject": the performative verb behind a manner adverb
_PERFORMATIVE_ADVERB = re.compile(r"\b(we|i)\s+(?:\w+ly\s+)(?=\w)", re.IGNORECASE)
_DEGREE = r"(?:(?:very|extremely|really|quite|truly|highly|most|so|genuinely|potentially)\s+)?"


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = load_lexicon()
    return {act: lex.pattern(phrases) for act, phrases in lex.act_phrases.items()}


@functools.lru_cache(maxsize=1)
def _verb_acts() -> dict[str, str]:
    out: dict[str, str] = {}
    for act, verbs in load_lexicon().act_by_verb.items():
        for v in verbs:
            out.setdefault(v, act)
    return out


@functools.lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    return load_lexicon().negators


def act_of_verb(lemma: str | None) -> str | None:
    """The act a reporting verb itself carries ("urged" -> demand), or None for neutral verbs."""
    if not lemma or lemma in NEUTRAL_VERBS:
        return None
    return _verb_acts().get(lemma)


def _negated_at(text: str, pos: int) -> bool:
    """A negator among the few words before character `pos`."""
    before = _WORD.findall(text[:pos].lower())[-NEGATION_WINDOW:]
    return any(w in _negators() or w.endswith(("n't", "n’t")) for w in before)


@functools.lru_cache(maxsize=1)
def _evaluations() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A positive evaluation of a deal or proposal ("a fair and balanced agreement", "the plan is very
    serious"), and a bare positive adjective phrase (a quoted word of praise: "extremely significant")."""
    lex = load_lexicon()
    adj = r"(?:" + _alternatives(lex.evaluative_positive) + r")"
    adjs = _DEGREE + adj + r"(?:\s*(?:,|and)\s+" + _DEGREE + adj + r")*"
    obj = r"(?:" + _alternatives(lex.evaluated_objects) + r")"
    filler = r"(?:(?!(?:of|for|to|with|in|on|at|by|from|and|or|but|the|a|an|that|this)\b)[\w-]+\s+)"
    attributive = adjs + r"\s+" + filler + r"{0,2}" + obj  # "a great new trade deal"
    predicative = obj + r"\s+(?:is|was|are|were|looks|seems|remains)(?:\s+not|n[’']t)?\s+(?:a\s+|an\s+)?" + adjs
    around = re.compile(r"(?<![\w-])(?:" + attributive + "|" + predicative + r")(?![\w-])", re.IGNORECASE)
    bare = re.compile(r"^\W*(?:a\s+|an\s+)?" + adjs + r"\W*$", re.IGNORECASE)
    return around, bare


def evaluation_act(text: str) -> str | None:
    """'support' for praise of a deal or a bare word of praise, 'reject' when negated, else None."""
    around, bare = _evaluations()
    m = bare.match(text) or around.search(text)
    if m is None:
        return None
    before = _WORD.findall(text[: m.start()].lower())
    while before and before[-1] in {"a", "an", "the", "very", "so", "really", "quite"}:
        before.pop()
    negated = re.search(r"\bnot\b|n[’']t\b", m.group(0), re.IGNORECASE) is not None or (
        bool(before) and (before[-1] in _negators() or before[-1].endswith(("n't", "n’t")))
    )
    if negated:
        return "reject"
    return None if _negated_at(text, m.start()) else "support"  # "not in serious talks": no praise either


def _in_time_frame(text: str, pos: int) -> bool:
    """The phrase at `pos` sits in a time adjunct: a frame marker among the few words before it, with no
    clause break in between ("since last month's U.S. invasion", "after the attack on the convoy")."""
    before = re.split(r"[,;:]", text[:pos])[-1]
    words = _WORD.findall(before.lower())[-FRAME_WINDOW:]
    return any(w in load_lexicon().time_frame_markers for w in words)


def phrase_acts(text: str, keep: Callable[[str, int], bool] | None = None) -> list[str]:
    """Acts whose cue phrases occur in `text`, in priority order (negated positives count as reject);
    `keep(act, offset)` may leave out a match (one that is not the speaker's own)."""
    order = load_lexicon().act_priority
    pats = _patterns()
    plain = _PERFORMATIVE_ADVERB.sub(lambda m: m.group(1) + " ", text)
    keep = keep if len(plain) == len(text) else None  # offsets hold only in the unedited text
    text = plain
    found = set()
    for act, pat in pats.items():
        for m in pat.finditer(text):
            if _in_time_frame(text, m.start()):
                continue  # "since last month's invasion": background, not what the speaker does
            if keep is not None and not keep(act, m.start()):
                continue
            if act in FLIP_TO_REJECT and _negated_at(text, m.start()):
                found.add("reject")
            else:
                found.add(act)
    return [act for act in order if act in found]


def conditional_act(text: str) -> str | None:
    """'unless/if not ..., we will' -> threat; 'cannot ... unless' -> demand; 'once ..., we will' -> offer."""
    m = _UNLESS.search(text)
    if m:
        main = text[: m.start()]
        if re.search(r"\b(?:cannot|can't|can’t|won't|won’t|will not|would not|no)\b", main, re.IGNORECASE):
            return "demand"
        if _FUTURE_RE.search(main) or _FUTURE_RE.search(text[m.end() :]):
            return "threat"
        return "demand"
    if _IF_NOT.search(text):
        return "threat"
    if _ONCE.search(text):
        return "offer"
    return None


def _alternatives(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _threat_action() -> re.Pattern[str]:
    """A coercive action announced for the future: "will boycott", "would impose", "to retaliate",
    "will extend the curfew" (a measure verb with a coercive measure as its object)."""
    lex = load_lexicon()
    measures = lex.threat_measures
    lead = (
        r"(?:^|(?<!\bhow )(?<!\bwhether )(?<!\bwhat )\b(?:will|would|may|might|could|shall|'ll|’ll|to)\s+"
        r"(?:(?:also|then|soon|now|\w+ly)\s+)?)"
    )
    measure = (
        r"(?:" + _alternatives(measures.verbs) + r")\s+(?:[\w’'-]+\s+){0,4}?(?:" + _alternatives(measures.nouns) + r")"
    )
    return re.compile(lead + r"(?:" + _alternatives(lex.threat_actions) + r"|" + measure + r")\b", re.IGNORECASE)


def threatens_action(text: str) -> bool:
    """A coercive action is announced, not negated and not inside a commitment made before it."""
    m = _threat_action().search(text)
    if m is None or _negated_at(text, m.start() + len(m.group(0)) - 1):
        return False
    pats = _patterns()
    positive = [p.search(text[: m.start()]) for act, p in pats.items() if act in {"offer", "support", "accept"}]
    return not any(positive)


def classify(text: str, cue_lemma: str | None = None, *, negated: bool = False) -> str:
    """One of SPEECH_ACTS: the cue verb's act, else a conditional, else the strongest cue phrase, else assert.

    A commitment to a coercive action ("vowed to retaliate", "said it would impose sanctions") is a threat.
    """
    act = act_of_verb(cue_lemma)
    if act is not None and negated:
        act = "reject" if act in FLIP_TO_REJECT else None
    if act in {None, "offer"} and not negated and threatens_action(text):
        return "threat"
    if act is None:
        act = conditional_act(text)
    if act is None:
        found = phrase_acts(text)
        act = found[0] if found else evaluation_act(text) or commitment_act(text) or "assert"
    assert act in SPEECH_ACTS
    return act


@functools.lru_cache(maxsize=1)
def _commitment() -> re.Pattern[str]:
    verbs = "|".join(sorted((re.escape(v) for v in load_lexicon().commitment_verbs), key=len, reverse=True))
    return re.compile(r"^(?:it|we|they|he|she|the \w+)\s+(?:would|will)\s+(?:" + verbs + r")\b", re.IGNORECASE)


def commitment_act(text: str) -> str | None:
    """ "the group would release the hostages", "we will allow the monitors": the reported side commits to
    a deed, an offer (not when negated: "it would not allow" is no offer)."""
    return "offer" if _commitment().search(text.strip()) else None
