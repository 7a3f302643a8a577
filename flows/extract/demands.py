"""Demands: an actor calls for an action by another, as a quote or reported.

Sources, most specific first (one record per action clause):
- a demand verb with its action ("X urged/pressed/asked Y to Z", "X called on Y to Z",
  "X called for Z", "X demanded Z", "X demanded that Y Z", "its demand that Y Z"),
  with first person inside a statement resolved to the statement's speaker;
- a deontic modal clause inside a statement ("Y must Z", "Y should Z", "Y needs to Z"):
  the speaker demands, the subject (when an actor) is the addressee;
- an imperative in a direct quote ("Stop your troops", "Let us intensify ...");
- a conditional: "X threatened to Z unless Y W", "if Y does not W, we will Z" (W demanded, Z the
  threat), "once/if Y W, X will Z" with Z a commitment (W demanded, Z the condition);
- a modal that-clause after a verb or a message noun that is no statement cue ("X concluded that
  Y must Z", "X issued a reminder to Y that it must Z");
- a statement whose act is `demand` and that none of the above covers.
The condition is what the demander promises if met ("then the fighting will stop");
the threat is what it threatens if not ("If they do not pull back, we will ...", "or face ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.clauses import (
    FIRST_PERSON,
    ClauseFinder,
    action_span,
    in_condition,
    is_passive,
    modal_of,
    tail_span,
    to_infinitive,
)
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.statements import Utterance
from flows.extract.syntax import has_negation, is_subjunctive, subject_of, trim
from flows.records import Demand, stable_id

WORDS = load_words()

_END = r"(?:[.;”\"]|,\s*[”\"]|$)"  # a clause ends at a full stop, a semicolon or the end of the quote
_THEN = re.compile(r"(?:[—–-]+|,)\s*then\s+(.+?)" + _END, re.IGNORECASE)
_IF_NOT = re.compile(r"\b(?:if|unless)\b[^,]*\b(?:not|n't|fail|refuse)\w*\b[^,]*,\s*(.+?)" + _END, re.IGNORECASE)
_OTHERWISE = re.compile(r"\b(?:otherwise,?|or else,?|or(?=\s+(?:face|risk)\b))\s*(.+?)" + _END, re.IGNORECASE)
# "call" and "appeal" demand only with these prepositions ("call on/for", "appeal to/for")
PREP_ONLY = WORDS.demands.prep_only
TARGET_PREPS = WORDS.demands.target_preps
MANDATIVE = WORDS.demands.mandative_verbs
THREAT_ALTERNATIVES = WORDS.demands.threat_alternatives
VERBS = {"VERB", "AUX"}
LONG_SUBJECT = 6
NOUN_OWNER_VERBS = WORDS.demands.noun_owner_verbs
# "unless Y W" demands W; "if Y does not W" too; "if Y fails/refuses to W" demands W
FAILURE_VERBS = WORDS.demands.failure_verbs
# "unless Y agrees to W": the demand is W
ASSENT_VERBS = WORDS.demands.assent_verbs


def _condition(text: str) -> str | None:
    m = _THEN.search(text)
    return m.group(1).strip() if m else None


def _threat(text: str) -> str | None:
    for pat in (_IF_NOT, _OTHERWISE):
        m = pat.search(text)
        if m:
            return m.group(1).strip()
    return None


def _demand_clause(text: str) -> str:
    """The demand itself: the text up to a condition or threat clause."""
    cut = len(text)
    for pat in (_THEN, _IF_NOT, _OTHERWISE):
        m = pat.search(text)
        if m:
            cut = min(cut, m.start())
    return text[:cut].strip(" ,;—–-") or text


@dataclass
class Found:
    demanders: list[str]
    addressees: list[str]
    head: Token  # the action clause head (or noun)
    drop: list[Token]
    cue: Token | None
    span: tuple[int, int, str] | None = None  # when the action is not one subtree
    threat: str | None = None
    condition: str | None = None


class DemandFinder(ClauseFinder):
    def __init__(self, article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]):
        super().__init__(article, actors, utterances)
        lex = load_lexicon()
        self.verbs = lex.demand_verbs
        self.nouns = lex.demand_nouns
        self.impersonal = lex.demand_impersonal
        self.discourse = lex.discourse_imperatives
        self.messages = lex.demand_message_nouns
        self.threat_verbs = lex.demand_threat_verbs
        self.nonassertive = lex.demand_nonassertive_verbs
        self.commit_modals = lex.commitment_modals
        self.commit_verbs = lex.commitment_verbs
        self.out: list[Demand]

    # ---- demand verbs and nouns -----------------------------------------------------------
    def from_verbs(self) -> None:
        for tok in self.a.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in self.verbs:
                found = self._verb(tok)
            elif tok.pos_ == "NOUN" and lemma in self.nouns | self.messages:
                found = self._noun(tok)
            else:
                continue
            if found is not None:
                self._add(found)

    def _verb(self, verb: Token) -> Found | None:
        lemma = verb.lemma_.lower()
        if is_passive(verb) or has_negation(verb):
            return None
        demanders = self.agents.resolve_all(self.agents.subject(verb))
        if not demanders:
            return None
        preps = {c.lower_: c for c in verb.children if c.dep_ == "prep"}
        if lemma in PREP_ONLY and not set(preps) & PREP_ONLY[lemma]:
            return None
        target = None
        for p in TARGET_PREPS & set(preps) & PREP_ONLY.get(lemma, TARGET_PREPS):
            target = next((g for g in preps[p].children if g.dep_ == "pobj"), None)
        dobj = next((c for c in verb.children if c.dep_ in {"dobj", "iobj"}), None)
        if target is None and lemma not in PREP_ONLY:
            target = dobj
        action = to_infinitive(verb)
        if action is None:  # "urge all concerned to Z": the addressee misparsed as a complement
            action = next(
                (
                    to_infinitive(c)
                    for c in verb.children
                    if c.dep_ in {"acomp", "oprd"} and to_infinitive(c) is not None
                ),
                None,
            )
        if action is None and target is not None:
            action = next(
                (
                    c
                    for c in target.children
                    if c.dep_ in {"acl", "relcl"} and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                ),
                None,
            )
        if action is not None:
            # "urged [the parties to de-escalate]": the parser may make the addressee the subject
            subj = next((c for c in action.children if c.dep_ == "nsubj"), None)
            target = target if subj is None else subj
            return Found(demanders, self._addressees(target, demanders), action, [subj] if subj else [], verb)
        after = self._to_after(target, verb)
        if after is not None:  # "urged Y to ..." with the infinitive misparsed
            return Found(
                demanders, self._addressees(target, demanders), after, [], verb, tail_span(self.a, verb, after)
            )
        for_clause = next(
            (
                c
                for c in verb.children
                if c.dep_ == "advcl"
                and c.pos_ in VERBS
                and any(g.dep_ == "mark" and g.lower_ == "for" for g in c.children)
            ),
            None,
        )
        if for_clause is not None:  # "pressed for Y (to) Z": a for-clause with its own subject
            return self._clause(for_clause, demanders, verb)
        if "for" in preps:
            theme = next((g for g in preps["for"].children if g.dep_ == "pobj"), None)
            if theme is not None:
                return self._theme(theme, demanders, self._addressees(target, demanders), verb)
        if lemma in PREP_ONLY:
            return None
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is not None and lemma in MANDATIVE and self._mandative(comp):
            return self._clause(comp, demanders, verb)
        host = verb.head
        if comp is None and verb.dep_ in {"conj", "parataxis"} and host.i < verb.i and modal_of(host) is not None:
            # "Y must Z, X demanded": the reported clause parsed as the head of the demand verb
            return self._clause(host, demanders, verb, [verb])
        quoted = any(u.cue is not None and u.cue.i == verb.i and u.kind == "direct" for u in self.utterances)
        if (
            dobj is not None
            and lemma in MANDATIVE - {"ask", "insist"}
            and dobj.pos_ in {"NOUN", "PROPN"}
            and self.resolver.phrase(dobj) is None
            and not quoted
        ):
            return self._theme(dobj, demanders, [], verb)
        if "on" in preps and lemma == "insist":
            theme = next((g for g in preps["on"].children if g.dep_ == "pobj"), None)
            if theme is not None:
                return self._theme(theme, demanders, [], verb)
        return None

    def _to_after(self, target: Token | None, verb: Token) -> Token | None:
        """The first word after "Y to" when "to" hangs off the demand verb."""
        if target is None:
            return None
        i = target.right_edge.i + 1
        doc = self.a.doc
        if i + 1 < len(doc) and doc[i].lower_ == "to" and doc[i].head.i == verb.i and i + 1 <= verb.right_edge.i:
            return doc[i + 1]
        return None

    def _noun(self, noun: Token) -> Found | None:
        """ "its demand that Israel ease ...", "their call for a ceasefire"."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None and owner.tag_ == "PRP$" and noun.dep_ == "dobj":
            # "X reiterated their call for ...": the possessive pronoun is the subject's own
            owner = self.agents.subject(noun.head) or owner
        if owner is None and noun.dep_ in {"dobj", "pobj"}:
            gov = noun.head if noun.dep_ == "dobj" else noun.head.head
            if gov.lemma_.lower() in NOUN_OWNER_VERBS:
                owner = self.agents.subject(gov)
        demanders = self.agents.resolve_all(owner)
        if not demanders:
            return None
        comp = next(
            (
                c
                for c in noun.children
                if c.dep_ in {"acl", "ccomp", "relcl"}
                and c.pos_ in VERBS
                and not any(g.tag_ in {"WDT", "WP"} for g in c.children)
            ),
            None,
        )
        if comp is None and noun.dep_ == "dobj":  # "reiterated its demand today [that Y Z]"
            comp = next(
                (
                    c
                    for c in noun.head.children
                    if c.dep_ == "ccomp"
                    and c.i > noun.i
                    and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                ),
                None,
            )
        if noun.lemma_.lower() not in self.nouns and (comp is None or modal_of(comp) is None):
            return None  # "a reminder/message that Y must Z": only with a modal
        if comp is not None:
            found = self._clause(comp, demanders, noun)
            if not found.addressees and noun.dep_ == "dobj":  # "gave Y an ultimatum to Z"
                found.addressees = self._addressees(self._recipient(noun.head), demanders)
            return found
        prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "for"), None)
        theme = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        return self._theme(theme, demanders, [], noun) if theme is not None else None

    @staticmethod
    def _recipient(verb: Token) -> Token | None:
        """ "gave Y ...", "sent ... to Y"."""
        for c in verb.children:
            if c.dep_ in {"dative", "iobj"}:
                return next((g for g in c.children if g.dep_ == "pobj"), c)
        return None

    def _theme(self, theme: Token, demanders: list[str], addressees: list[str], cue: Token) -> Found:
        """A demanded thing named by a noun phrase ("a ceasefire", "the removal of X")."""
        if theme.lemma_.lower() in self.verbs and theme.pos_ == "NOUN":
            nested = self._noun_clause(theme)
            if nested is not None:
                return Found(demanders, addressees, nested, [], cue)
        nxt = self.a.doc[theme.right_edge.i + 1] if theme.right_edge.i + 1 < len(self.a.doc) else None
        if nxt is not None and nxt.dep_ in {"prep", "advcl", "aux"} and nxt.head.i == cue.i:
            # "calling for an end [to the war]": a complement the parser hung on the verb
            return Found(demanders, addressees, theme, [], cue, tail_span(self.a, cue, theme.left_edge))
        return Found(demanders, addressees, theme, [], cue)

    @staticmethod
    def _noun_clause(noun: Token) -> Token | None:
        return next((c for c in noun.children if c.dep_ in {"acl", "ccomp"} and c.pos_ in VERBS), None)

    def _mandative(self, comp: Token) -> bool:
        """A that-clause that states what should happen: a modal or a bare (subjunctive) verb."""
        if modal_of(comp) is not None:
            return True
        has_subj = any(c.dep_ in {"nsubj", "nsubjpass"} for c in comp.children)
        return (
            has_subj
            and (comp.tag_ == "VB" and not any(c.dep_ == "aux" for c in comp.children) or is_subjunctive(comp))
            or (comp.tag_ == "VB" and any(c.dep_ == "auxpass" and c.lower_ == "be" for c in comp.children))
        )

    def _clause(self, comp: Token, demanders: list[str], cue: Token | None, drop: tuple[Token, ...] = ()) -> Found:
        """ "(that) Y must/should Z": Y is the addressee when it is an actor and acts (active voice)."""
        subj = next((c for c in comp.children if c.dep_ == "nsubj"), None)
        addressees = self._addressees(subj, demanders)
        subjects = [c for c in comp.children if c.dep_ == "nsubj"]
        # the subject is the addressee (dropped from the action) when it names actors or enumerates
        # them; otherwise it is what the action is about ("the fighting must stop")
        acts = any(s.pos_ == "PRON" or self.agents.resolve(s) or len(list(s.subtree)) > LONG_SUBJECT for s in subjects)
        return Found(demanders, addressees, comp, [*subjects, *drop] if acts else list(drop), cue)

    def _addressees(self, tok: Token | None, demanders: list[str]) -> list[str]:
        if tok is None or tok.lower_ in FIRST_PERSON:
            return []
        # "the parties" asked to act stays one demand without an addressee, not one per party
        return [n for n in self.agents.resolver.resolve_all(tok, parties=False) if n not in demanders]

    # ---- modal clauses and imperatives inside statements ----------------------------------
    def from_statements(self) -> None:
        for u in self.utterances:
            if u.speaker is None or (u.cue is not None and u.cue.lemma_.lower() in self.nonassertive):
                continue  # "X denied that Y must Z"
            span = self.a.doc.char_span(u.start, u.end, alignment_mode="expand")
            if span is None:
                continue
            # the utterance and the rest of its sentence ("One condition, X said, remains: Y must Z")
            for tok in sorted({*span, *u.sentence}, key=lambda t: t.i):
                found = (
                    self._modal(tok, [u.speaker], u.cue)
                    or self._impersonal(tok, u)
                    or (self._imperative(tok, u) if u.kind == "direct" and u.start <= tok.idx < u.end else None)
                )
                if found is not None:
                    self._add(found)

    def _modal(self, verb: Token, speakers: list[str], cue: Token | None) -> Found | None:
        if verb.pos_ not in {"VERB", "AUX"} or modal_of(verb) is None:
            return None
        if any(c.dep_ == "mark" and c.lower_ in {"if", "whether", "unless"} for c in verb.children):
            return None
        subj = subject_of(verb)
        if subj is not None and subj.lower_ in FIRST_PERSON | {"you"}:
            return None
        if subj is not None and subj.lower_ == "there":
            attr = next((c for c in verb.children if c.dep_ == "attr"), None)
            return Found(speakers, [], attr, [], cue) if attr is not None else None
        if any(c.dep_ == "aux" and c.lower_ == "have" for c in verb.children):  # "must have been": epistemic
            return None
        if is_passive(verb):  # "all hostages must be released"; not "it should be accepted"
            if subj is None or subj.pos_ == "PRON":
                return None
            if subj.head.i == verb.i:
                return Found(speakers, [], verb, [], cue)
            # "... and should be stopped": the subject belongs to an earlier conjunct
            start, end, text = action_span(self.a, verb)
            subj_start, subj_end, subj_text = action_span(self.a, subj)
            return Found(speakers, [], verb, [], cue, (subj_start, end, f"{subj_text} {text}"))
        return self._clause(verb, speakers, cue)

    def _impersonal(self, word: Token, u: Utterance) -> Found | None:
        """ "it is (high) time to Z", "it is imperative that Y Z", "it is incumbent on Y to Z"."""
        if word.lemma_.lower() not in self.impersonal or word.dep_ not in {"attr", "acomp"}:
            return None
        if not any(c.dep_ == "expl" or (c.dep_ == "nsubj" and c.lower_ == "it") for c in word.head.children):
            return None
        comps = [
            c
            for c in (*word.children, *word.head.children)
            if c.dep_ in {"xcomp", "ccomp", "acl", "relcl"} and c.pos_ in VERBS and c.i > word.i
        ]
        if not comps:
            return None
        on = next((c for c in word.children if c.dep_ == "prep" and c.lower_ in {"on", "upon", "for"}), None)
        target = next((g for g in on.children if g.dep_ == "pobj"), None) if on is not None else None
        if comps[0].dep_ == "ccomp":
            return self._clause(comps[0], [u.speaker], word)
        return Found([u.speaker], self._addressees(target, [u.speaker]), comps[0], [], word)

    def _imperative(self, verb: Token, u: Utterance) -> Found | None:
        if verb.tag_ != "VB" or verb.dep_ not in {"ROOT", "ccomp", "parataxis", "advcl"}:
            return None
        if any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass", "mark"} for c in verb.children):
            return None
        prev = self._previous_word(verb)
        vocative = None
        if prev is not None and prev.lower_ == "," and prev.i > 0:
            vocative = self.resolver.phrase(self.a.doc[prev.i - 1])
            prev = None if vocative is not None else prev
        if prev is not None and not (prev.is_punct or prev.lower_ in {"please", "now", "so", "then"}):
            return None
        lemma = verb.lemma_.lower()
        if lemma == "let":
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubj"}), None)
            action = next((c for c in verb.children if c.dep_ in {"ccomp", "xcomp"}), None)
            if obj is None or obj.lower_ not in {"us", "'s"} or action is None:
                return None
            return Found([u.speaker], [], action, [obj], u.cue)
        if lemma in self.discourse or has_negation(verb) and lemma in {"be", "get"}:
            return None
        return Found([u.speaker], [vocative] if vocative and vocative != u.speaker else [], verb, [], u.cue)

    def _previous_word(self, tok: Token) -> Token | None:
        i = tok.i - 1
        while i >= tok.sent.start and self.a.doc[i].is_space:
            i -= 1
        return self.a.doc[i] if i >= tok.sent.start else None

    # ---- reported clauses outside statements ----------------------------------------------
    def from_reported_clauses(self) -> None:
        """ "X declared/concluded/reminded that Y must Z" with a verb the statement finder does not
        take as speech: the subject demands what the modal clause says."""
        for verb in self.a.doc:
            if verb.pos_ != "VERB" or verb.lemma_.lower() in self.nonassertive or has_negation(verb):
                continue
            for comp in (c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in VERBS):
                if comp.i in self.heads or in_condition(comp):
                    continue
                demanders = self.agents.resolve_all(self.agents.subject(verb))
                found = self._modal(comp, demanders, verb) if demanders else None
                if found is not None:
                    self._add(found)

    # ---- conditional threats ----------------------------------------------------------------
    def from_conditional_threats(self) -> None:
        """ "X threatened to Z unless Y W", "X will Z unless Y W", "if Y does not W, we will Z":
        X demands that Y W, and Z is the threat; "once/if Y W, X will Z" with Z a commitment:
        X demands that Y W, and Z is the condition (what X promises)."""
        for cond in self.a.doc:
            if cond.dep_ != "advcl" or cond.pos_ not in VERBS or cond.i in self.heads:
                continue
            mark = next(
                (
                    c
                    for c in cond.children
                    if (c.dep_ == "mark" and c.lower_ in {"unless", "if", "once"})
                    or (c.dep_ == "advmod" and c.lower_ == "once" and c.i == cond.left_edge.i)
                ),
                None,
            )
            if mark is None:
                continue
            demanded = self._demanded(cond, mark)
            action = cond.head
            if action.lemma_.lower() in self.threat_verbs:  # "vowed to strike unless ...": the clause hangs on the cue
                action = to_infinitive(action) or next(
                    (c for c in action.children if c.dep_ == "ccomp" and c.pos_ in VERBS), None
                )
            promise = demanded is None and action is not None and self._promises(cond, mark, action)
            if promise:
                demanded = (cond, [])
            if demanded is None or action is None:
                continue
            demanders = self._threateners(action)
            if not demanders:
                continue
            head, drop = demanded
            subj = next((c for c in cond.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            addressees = self._addressees(subj, demanders) if subj is not None and subj.dep_ == "nsubj" else []
            if head is cond and (addressees or (subj is not None and subj.pos_ == "PRON")):
                drop = [*drop, subj]
            own = [c for c in action.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if promise:
                self._add(Found(demanders, addressees, head, drop, mark, None, None, self._main_clause(action, cond)))
                continue
            threat = action_span(self.a, action, [cond, *own])[2]
            if not self._restated(head, subj, demanders, threat):
                self._add(Found(demanders, addressees, head, drop, mark, None, threat))

    def _promises(self, cond: Token, mark: Token, action: Token) -> bool:
        """ "once Y W, X will Z", "if Y W, X will Z" with Z a commitment, neither clause negated."""
        return (
            mark.lower_ in {"once", "if"}
            and action.lemma_.lower() in self.commit_verbs
            and not (has_negation(cond) or has_negation(action) or action.head.lemma_.lower() in self.threat_verbs)
        )

    def _main_clause(self, action: Token, cond: Token) -> str:
        """The clause of `action` with its subject and modal, without the conditional clause."""
        skip = {t.i for t in cond.subtree}
        toks = [t for t in action.subtree if t.i not in skip]
        while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
            toks.pop(0)
        while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
            toks.pop()
        return "".join(t.text_with_ws for t in toks).strip()

    def _restated(self, head: Token, subj: Token | None, demanders: list[str], threat: str) -> bool:
        """ "Y must withdraw. If they do not pull back, we will Z": a short clause with a pronoun subject
        restates the demand just made; the threat goes to that demand."""
        words = [t for t in head.subtree if not t.is_punct and t.dep_ not in {"mark", "neg", "aux", "nsubj"}]
        if subj is None or subj.pos_ != "PRON" or len(words) > 3:
            return False
        here = self.a.sentence_index(head.idx)
        earlier = [
            k
            for k, d in enumerate(self.out)
            if d.demander_name in demanders and 0 <= here - self.a.sentence_index(d.evidence_start) <= 1
        ]
        for k in earlier:
            self.out[k] = replace(self.out[k], threat_text=self.out[k].threat_text or threat)
        return bool(earlier)

    def _demanded(self, cond: Token, mark: Token) -> tuple[Token, list[Token]] | None:
        """What an unless/if-not clause demands: its head, and the words to leave out of it."""
        negators = [c for c in cond.children if c.dep_ == "neg" or (c.dep_ == "aux" and c.lemma_.lower() == "do")]
        lemma = cond.lemma_.lower()
        if mark.lower_ == "once":
            return None
        if mark.lower_ == "if" and lemma in FAILURE_VERBS and not has_negation(cond):
            action = to_infinitive(cond)
            return (action, []) if action is not None else None
        if (mark.lower_ == "unless") == any(c.dep_ == "neg" for c in cond.children):
            return None
        if lemma in ASSENT_VERBS and to_infinitive(cond) is not None:
            return to_infinitive(cond), []
        return cond, negators

    def _threateners(self, action: Token) -> list[str]:
        """Who threatens `action`: the subject of "threaten/vow/warn to Z", or of "will/would Z"."""
        host = action.head if action.dep_ in {"xcomp", "ccomp"} else None
        if host is not None and host.lemma_.lower() in self.threat_verbs:
            if action.dep_ == "xcomp":
                return self.agents.resolve_all(self.agents.subject(host))
            own = subject_of(action)
            if own is not None and own.pos_ == "PRON":  # "warned (that) it would Z"
                return self.agents.resolve_all(self.agents.subject(host))
        if any(c.dep_ == "aux" and c.lower_ in self.commit_modals for c in action.children):
            return self.agents.resolve_all(subject_of(action))
        return []

    # ---- statements that demand without a clause we can parse -----------------------------
    def from_demand_statements(self) -> None:
        for u in self.utterances:
            if u.act != "demand" or u.speaker is None or u.cue is None or not self._demand_cue(u.cue):
                continue
            span = self.a.doc.char_span(u.start, u.end, alignment_mode="expand")
            if span is None or not any(t.pos_ in VERBS for t in span):
                continue
            if u.cue.i in self.heads or any(s < u.end and u.start < e for s, e in self.spans):
                continue
            text = _demand_clause(u.text)
            self._record([u.speaker], [], text, u.start, u.end, u.sentence, u.cue)

    def _demand_cue(self, verb: Token) -> bool:
        lemma = verb.lemma_.lower()
        if lemma not in self.verbs:
            return False
        return lemma not in PREP_ONLY or any(c.dep_ == "prep" and c.lower_ in PREP_ONLY[lemma] for c in verb.children)

    # ---- records ---------------------------------------------------------------------------
    def _add(self, f: Found) -> None:
        if f.head.i in self.heads:
            return
        start, end, text = f.span or action_span(self.a, f.head, f.drop)
        if end <= start or len(text.split()) < 1 or any(s <= start and end <= e for s, e in self.spans):
            return
        self.heads.add(f.head.i)
        if f.cue is not None:
            self.heads.add(f.cue.i)
        sent = self.a.sentence_at(f.head.idx)
        threat = f.threat or self._or_threat(f.head)
        if threat is not None:
            text = text[: text.rfind(threat)].rstrip(" ,") if threat in text else text
        demanders = [d for d in f.demanders if d not in f.addressees]  # a misresolved pronoun
        self._record(demanders, f.addressees, _demand_clause(text), start, end, sent, f.cue, threat, f.condition)

    def _or_threat(self, head: Token) -> str | None:
        """ "drop barriers or face tariffs": the alternative the demander threatens."""
        for c in head.children:
            if (
                c.dep_ == "conj"
                and c.lemma_.lower() in THREAT_ALTERNATIVES
                and any(g.dep_ == "cc" and g.lower_ == "or" for g in head.children)
            ):
                s, e = trim(self.a.text, c.idx, c.right_edge.idx + len(c.right_edge))
                return self.a.text[s:e]
        return None

    def _record(
        self,
        demanders: list[str],
        addressees: list[str],
        text: str,
        start: int,
        end: int,
        sent: Span,
        cue: Token | None,
        threat: str | None = None,
        condition: str | None = None,
    ) -> None:
        self.spans.append((start, end))
        ev = self.a.evidence(min(start, sent.start_char), max(end, sent.end_char))
        threat = threat or _threat(sent.text)
        condition = condition or _condition(sent.text)
        for demander in demanders:
            for addressee in addressees or [None]:
                did = stable_id(self.a.article_id, "demand", demander, addressee, start, end)
                self.out.append(
                    Demand(
                        self.a.article_id,
                        did,
                        demander,
                        addressee,
                        text,
                        condition,
                        threat,
                        cue.text if cue is not None else None,
                        ev.evidence_text,
                        ev.evidence_start,
                        ev.evidence_end,
                    )
                )


def find_demands(article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]) -> list[Demand]:
    finder = DemandFinder(article, actors, utterances)
    finder.from_verbs()
    finder.from_statements()
    finder.from_conditional_threats()
    finder.from_reported_clauses()
    finder.from_demand_statements()
    return sorted(finder.out, key=lambda d: (d.evidence_start, d.demand_id))
