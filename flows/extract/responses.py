"""Responses: an actor's answer to another's demand, offer or proposal.

Found from
- stance verbs with an actor as subject or by-agent ("Kyiv has rejected these terms", "North Korea
  has ruled out talks", "X refused to withdraw"), phrasal verbs included ("turn down", "vote against");
- evaluations ("called the plan a basis for agreement", "dismissed the talks as not serious");
- stance nouns and adjectives ("Ukraine's acceptance of the ceasefire", "expressed satisfaction with
  the deal", "sceptical of his assurances", "greeted with deep scepticism in European capitals");
- reported statements that make an answer conditional ("this cannot happen unless ...").

What is answered must be an answerable thing (a proposal, demand, claim, plan, talks: the
`response_objects` lexicon) or a clause ("refused to withdraw"). Stance verbs that are only asked for
("urged Hamas to accept the deal", "Israel must accept") or hypothetical ("if Hamas accepts") are not
responses. Negation flips the stance ("will not support" -> reject, "did not rule out" -> conditional);
a condition ("only if", "unless") makes it conditional. `to_actor` is the owner of the answered thing
when the text says so ("his assurances", "an Indian proposal", "calls by X"), else the latest other
actor who demanded or offered something shortly before.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from flows.extract.actors import ActorIndex
from flows.extract.clauses import is_dated
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.names import title_line
from flows.extract.resolver import resolver_for
from flows.extract.statements import Utterance
from flows.extract.syntax import agent_of, is_subjunctive, subject_of, trim
from flows.records import Demand, Offer, Response, stable_id

WORDS = load_words()

FIRST_PERSON = WORDS.pronouns.first_person
THIRD_PERSON = WORDS.pronouns.third_person_subjects
PARTITIVES = WORDS.responses.partitives
# heads of "a group of X", "one third of X", "hundreds of X": the actor is X
COLLECTIVES = WORDS.resolver.collectives
PRONOUN_OBJECTS = WORDS.pronouns.object_anaphors
MODALS = WORDS.modality.modals
CONDITION_MARKS = WORDS.modality.condition_marks
DEMAND_MODALS = WORDS.modality.demand_modals
WEAK_MODALS = WORDS.modality.weak_modals
# governors of an infinitive under which a concession is carried out ("decided to withdraw")
REALIS_GOVERNORS = WORDS.responses.realis_governors
DOBJ_ONLY_VERBS = WORDS.responses.dobj_only_verbs
CLAUSE_OBJECT_VERBS = WORDS.responses.clause_object_verbs
OBJECT_PREPS = WORDS.responses.object_preps
PROPOSAL_LOOKBACK_SENTENCES = 3
MAX_OBJECT_TOKENS = 25


@dataclass
class Proposal:
    """A demand or offer another extractor found: who asked or offered what, where."""

    start: int
    proposer: str | None
    addressee: str | None
    text: str


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in {"never", "no"} for c in tok.children):
        return True
    # "will not support": the negation can sit on an auxiliary or on the governing verb of an xcomp
    return tok.dep_ == "xcomp" and any(c.dep_ == "neg" for c in tok.head.children)


def _flip(stance: str, tok: Token) -> str:
    """The stance after negation: a refused acceptance is a rejection, an unexcluded option is conditional."""
    if stance in {"accept", "welcome"}:
        return "skeptical" if any(c.lower_ == "yet" for c in tok.children) else "reject"
    if stance == "reject":
        return "conditional"
    return stance


class ResponseFinder:
    def __init__(
        self, article: ParsedArticle, actors: ActorIndex, proposals: list[Proposal], utterances: list[Utterance] = ()
    ):
        self.a = article
        self.utterances = list(utterances)
        self.actors = actors
        self.resolver = resolver_for(actors)
        self.resolver.bind_utterances(self.utterances)
        lex = load_lexicon()
        self.verb_stance = _invert(lex.stance_verbs)
        self.noun_stance = _invert(lex.stance_nouns)
        self.adj_stance = _invert(lex.stance_adjectives)
        self.eval_verbs = lex.stance_evaluation_verbs
        self.pending_verbs = lex.response_pending_verbs
        self.copulas = lex.response_evaluative_copulas
        self.evaluations = lex.stance_evaluations
        self.irrealis = lex.stance_irrealis_governors
        self.concession_verbs = lex.concession_verbs
        self.conceding = frozenset().union(*lex.concession_verbs.values())
        self.concession_objects = lex.restriction_nouns
        self.concession_nouns = lex.response_concession_nouns
        self.concession_governors = lex.response_concession_governors
        self.objects = lex.response_objects
        self.anaphors = lex.response_anaphors
        self.kind_of = {w.lower(): i for i, kind in enumerate(lex.track_kinds) for w in kind}
        self.proposing = lex.offer_verbs | lex.offer_verbs_weak | lex.demand_verbs
        self.proposals = sorted(proposals, key=lambda p: p.start)
        self.title = title_line(article.text)
        self.questions: set[str] = set()  # ids of records whose cue only asks

    # ---- actors ---------------------------------------------------------------------
    def _actor(self, tok: Token | None) -> str | None:
        """The actor a noun phrase names (the article's one resolver)."""
        return self.resolver.phrase(tok) if tok is not None else None

    def _responders(self, subj: Token | None) -> list[str]:
        return self.resolver.resolve_all(subj) if subj is not None else []

    def _subject(self, verb: Token) -> Token | None:
        """The subject of `verb`; of several (a headline run into the lede), the nearest that names an actor."""
        subj = subject_of(verb)
        if subj is None:
            return None
        cands = [c for c in subj.head.children if c.dep_ in {"nsubj", "nsubjpass"}] or [subj]
        cands.sort(key=lambda c: abs(verb.i - c.i))
        return next((c for c in cands if self._actor(c) or c.lower_ in FIRST_PERSON), subj)

    # ---- what is answered -------------------------------------------------------------
    def _answerable(self, obj: Token) -> bool:
        """Its head names something one answers ("the proposal"), or holds it ("parts of the plan")."""
        if obj.lemma_.lower() in self.objects or obj.lower_ in self.objects:
            return True
        if any(c.dep_ in {"relcl", "acl"} and c.lemma_.lower() in self.proposing for c in obj.children):
            return True  # "the monitors that Angola proposed": something put forward
        if obj.lower_ in PARTITIVES or obj.lemma_.lower() in PARTITIVES:
            return any(
                g.lemma_.lower() in self.objects
                for c in obj.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for g in c.children
                if g.dep_ == "pobj"
            )
        return False

    def _phrase(self, obj: Token) -> list[Token]:
        """The object phrase without relative clauses, appositions or trailing asides."""
        skip: set[int] = set()
        for t in obj.subtree:
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)  # "a call to return"
            if t.i != obj.i and (
                (t.dep_ in {"relcl", "appos", "advcl", "parataxis"} and not infinitive and not _restrictive(t, obj))
                or (t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"})
                or is_dated(t)
            ):  # "on Friday"
                skip.update(x.i for x in t.subtree)
        toks = [t for t in obj.subtree if t.i not in skip]
        return toks[:MAX_OBJECT_TOKENS]

    def _bounds(self, toks: list[Token]) -> tuple[int, int]:
        start = min(t.idx for t in toks)
        end = max(t.idx + len(t) for t in toks)
        return trim(self.a.text, start, end)

    def _object_bounds(self, obj: Token) -> tuple[int, int]:
        """The object phrase, with an infinitive the parser hung on the verb ("rejected a call | to return")."""
        toks = self._phrase(obj)
        nxt = obj.right_edge.i + 1
        if obj.pos_ in {"NOUN", "PROPN"} and nxt < len(self.a.doc) and self.a.doc[nxt].lower_ == "to":
            clause = self.a.doc[nxt].head
            if clause.dep_ in {"advcl", "xcomp"} and clause.head.i == obj.head.i and clause.left_edge.i == nxt:
                toks += [t for t in clause.subtree][:MAX_OBJECT_TOKENS]
        return self._bounds(toks)

    def _object_of_verb(self, verb: Token) -> Token | None:
        for c in verb.children:
            if c.dep_ in {"dobj", "attr"}:
                return c
        if verb.lemma_.lower() in DOBJ_ONLY_VERBS:
            return None
        if verb.lemma_.lower() in CLAUSE_OBJECT_VERBS:
            for c in verb.children:
                if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"}:
                    # "agreed to accept the monitors": what is accepted, not the accepting
                    inner = next((g for g in c.children if g.dep_ == "dobj"), None)
                    assent = self.verb_stance.get(verb.lemma_.lower()) == "accept"
                    inner_lemma = c.lemma_.lower()
                    accepting = self.verb_stance.get(inner_lemma) in {"accept", "welcome"}
                    if assent and accepting and inner_lemma not in DOBJ_ONLY_VERBS and inner is not None:
                        return inner
                    return c
        cands = [
            g
            for c in verb.children
            if c.dep_ in {"prep", "prt"} and c.lower_ in OBJECT_PREPS
            for g in c.children
            if g.dep_ in {"pobj", "pcomp"}
        ]
        return next((g for g in cands if self._answerable(g)), cands[0] if cands else None)

    def _resolve_pronoun_object(self, obj: Token, responder: str | None) -> tuple[int, int, str | None] | None:
        """'consider it', 'vote against it': the latest answerable noun phrase before it, and its owner."""
        first = self.a.sentences[max(0, self.a.sentence_index(obj.idx) - 1)].start
        for t in reversed(self.a.doc[first : obj.i]):
            if t.pos_ != "NOUN" or t.lemma_.lower() not in self.objects or t.dep_ == "compound":
                continue
            if any(
                c.dep_ == "poss" and c.pos_ == "PRON" and self.actors.resolve_pronoun(c) == responder
                for c in t.children
            ):
                continue  # "didn't meet its demands, but it would consider it": not its own demands
            return self._antecedent(t) or (*self._bounds(self._phrase(t)), self._owner(t, responder))
        return None

    def _antecedent(self, obj: Token) -> tuple[int, int, str | None] | None:
        """A bare definite mention ("the deal", "the plan") stands for its fullest earlier mention."""
        kind = self.kind_of.get(obj.lemma_.lower()) or self.kind_of.get(obj.lower_)
        if any(c.dep_ not in {"det", "punct"} for c in obj.children):
            return None
        if not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in obj.children):
            return None
        if kind is None:
            if obj.lemma_.lower() in self.anaphors:  # "the effort", "the move": the latest proposal named
                return self._resolve_pronoun_object(obj, None)
            return None
        for t in self.a.doc[: obj.i]:
            if self.title is not None and t.idx < self.title[1]:
                continue  # the title line summarises; the body names the thing
            same_kind = (self.kind_of.get(t.lemma_.lower()) or self.kind_of.get(t.lower_)) == kind
            modified = any(c.dep_ in {"compound", "amod", "prep", "nummod", "poss", "acl"} for c in t.children)
            if t.pos_ in {"NOUN", "PROPN"} and same_kind and modified:
                return (*self._bounds(self._phrase(t)), self._owner(t, None))
        return None

    def _owner(self, obj: Token, responder: str | None) -> str | None:
        """Whose proposal this is, when the phrase says so: "his assurances", "an Indian plan", "calls by X"."""
        cands = [c for c in obj.children if c.dep_ in {"poss", "compound", "amod", "nmod"} and c.i < obj.i]
        cands += [
            g
            for c in obj.children
            if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}
            for g in c.children
            if g.dep_ == "pobj" and (c.lower_ != "of" or self.actors.mention_at(g.i) or self._actor(g))
        ]  # "calls by X", "the commitment of the Government of X"
        for t in cands:
            m = self.actors.mention_at(t.i)
            name = self._actor(t) if t.dep_ in {"poss", "pobj"} else (m.name if m is not None else None)
            if name and name != responder:
                return name
        # "the monitors that Angola proposed", "the committee proposed by the envoy": the proposer
        # "the readiness expressed by X", "the commitment made by X": whoever voiced it
        for clause in (
            c
            for c in obj.children
            if c.dep_ in {"relcl", "acl"} and (c.lemma_.lower() in self.proposing or agent_of(c) is not None)
        ):
            who = agent_of(clause) or next((g for g in clause.children if g.dep_ == "nsubj"), None)
            name = self.resolver.resolve(who) if who is not None and who.tag_ not in {"WDT", "WP"} else None
            if name and name != responder:
                return name
        return None

    def _recent_proposer(self, responder: str | None, at: int) -> str | None:
        """The actor who proposed or demanded something shortly before; else the one other actor who made a
        proposal earlier in the article ("welcomed the offer" several paragraphs after it was made)."""
        sent_i = self.a.sentence_index(at)
        for p in reversed(self.proposals):
            if p.start >= at or sent_i - self.a.sentence_index(p.start) > PROPOSAL_LOOKBACK_SENTENCES:
                continue
            if p.proposer and p.proposer != responder:
                return p.proposer
        earlier = {p.proposer for p in self.proposals if p.start < at and p.proposer and p.proposer != responder}
        return earlier.pop() if len(earlier) == 1 else None

    # ---- realis -------------------------------------------------------------------------
    def _irrealis(self, tok: Token) -> bool:
        """Asked for, hypothetical or a purpose: "urged X to accept", "must accept", "if X accepts"."""
        if any(c.lower_ in DEMAND_MODALS for c in tok.children if c.dep_ == "aux"):
            return True
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS | {"whether"} for c in tok.children):
            return True
        head = tok
        for _ in range(4):
            if head.dep_ not in {"xcomp", "ccomp", "acl", "advcl", "conj"} or head.head is head:
                return False
            gov = head.head
            if head.dep_ == "acl":  # "a call to accept", "pressure to back the plan"
                return head is tok and gov.pos_ in {"NOUN", "PROPN"}
            if head.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
                return True  # purpose: "mobilised groups to support the rights of ..."
            if gov.lemma_.lower() in self.irrealis and (head.dep_ == "xcomp" or _subjunctive(head)):
                return True  # "urged Hamas to accept", "demanded that Hamas accept"; not "told AFP it accepted"
            if head.dep_ == "ccomp":
                return False
            head = gov
        return False

    @staticmethod
    def _held_until(tok: Token) -> bool:
        return any(
            c.dep_ in {"advcl", "prep"}
            and (
                c.lower_ in {"until", "unless"}
                or any(m.dep_ == "mark" and m.lower_ in {"until", "unless"} for m in c.children)
            )
            for c in tok.children
        )

    def _conditional(self, tok: Token) -> bool:
        for c in tok.children:
            # "..., but only if X": the parser may coordinate the condition instead of subordinating it
            if c.dep_ in {"advcl", "conj"} and any(
                m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children
            ):
                return True
            if (
                c.dep_ == "prep"
                and c.lower_ in {"on", "under"}
                and any(g.lemma_.lower() in {"condition", "conditions"} for g in c.children)
            ):
                return True
        return False

    # ---- finders ----------------------------------------------------------------------
    def _verb_stance(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        for c in tok.children:
            if c.dep_ in {"prt", "prep"}:
                key = f"{lemma} {c.lower_}"
                if key in self.verb_stance:
                    return self.verb_stance[key]
        return self.verb_stance.get(lemma)

    def from_verbs(self) -> list[Response]:
        out: list[Response] = []
        for tok in self.a.doc:
            if tok.pos_ != "VERB":
                continue
            lemma = tok.lemma_.lower()
            if lemma in self.eval_verbs and any(c.dep_ in {"oprd", "advcl", "prep"} for c in tok.children):
                stance = self._evaluation(tok)
                if stance:
                    out += self._verb_records(tok, stance)
                    continue
            stance = self._verb_stance(tok)
            found: list[Response] = []
            if stance == "conditional" and not (
                any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children)
                or (tok.dep_ == "xcomp" and tok.head.pos_ == "ADJ")
                or _progressive(tok)
            ):
                stance = None  # "would consider it", "ready to study it", "is studying it"; not "considered the report"
            if stance is None and lemma in self.pending_verbs and self._pending(tok):
                stance = "skeptical"  # "has yet to respond to the offer", "has not replied to it"
            if stance is not None:
                found = self._verb_records(tok, stance)
            if not found and (stance == "reject" or self._refused_concession(tok)):
                found = self._bare_refusal(tok)  # "X demanded that Y withdraw. Y refused."
            # "withdrew from the talks" rejects them; "withdrew from the town" gives ground
            out += found or self._concession(tok)
        return out

    # ---- concessions: giving ground is accepting ------------------------------------------
    def _names_kind(self, obj: Token, kind: str) -> bool:
        """The phrase's head (or the head of its "of" complement: "some of its troops") is a noun of `kind`."""
        words = self.concession_objects.get(kind, frozenset())
        heads = [obj] + [g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        return any(t.lemma_.lower() in words or t.lower_ in words for t in heads)

    def _realis_concession(self, tok: Token) -> bool:
        """Done or firmly announced: not negated, asked for, threatened, offered or merely possible."""
        if _negated(tok) or self._irrealis(tok):
            return False
        if any(c.dep_ == "aux" and c.lower_ in WEAK_MODALS for c in tok.children):
            return False
        if tok.dep_ == "xcomp":  # "decided to allow", not "refused/threatened/ready to withdraw"
            return tok.head.lemma_.lower() in REALIS_GOVERNORS
        return True

    def _to_actor(self, tok: Token, responder: str) -> str | None:
        """ "surrendered to X", "paid compensation to X", "handed the prisoners over to X"."""
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        for c in [*tok.children, *(c for o in objs for c in o.children)]:
            if c.dep_ in {"prep", "dative"} and c.lower_ == "to":
                for g in c.children:
                    name = self._actor(g) if g.dep_ == "pobj" else None
                    if name and name != responder:
                        return name
        return None

    def _concession(self, tok: Token) -> list[Response]:
        """ "lifted the curfew", "withdrew its forces", "released the prisoners", "resigned", "surrendered to
        X", "paid compensation to X", "allowed X to stand": a concession (the answer to a demand, said or
        not) is an acceptance; the object is what was given up."""
        lemma = tok.lemma_.lower()
        keys = {lemma} | {f"{lemma} {c.lower_}" for c in tok.children if c.dep_ == "prt"}
        kinds = [k for k, verbs in self.concession_verbs.items() if keys & verbs]
        if not kinds or not self._realis_concession(tok):
            return []
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        subj = self._subject(tok)
        if subj is not None and subj.conjuncts and not passive:
            return []  # "X and Y exchanged prisoners": mutual, not an answer
        patient = subj if passive else dobj
        responders = self._responders(agent_of(tok) if passive and agent_of(tok) is not None else subj)
        if not responders:
            return []
        owner = None
        for kind in kinds:
            if kind == "permission":
                found = self._permission(tok, dobj)
                if found is None:
                    continue
                (start, end), owner = found
            elif kind == "yield":  # "resigned (his post)", "surrendered", "have been demobilized"
                if dobj is not None and not self._names_kind(dobj, kind) or passive and agent_of(tok) is not None:
                    continue
                start, end = self._yield_bounds(tok)
            elif patient is not None and self._names_kind(patient, kind):
                start, end = self._object_bounds(patient)
            else:
                continue
            stance = "conditional" if self._conditional(tok) else "accept"
            return [
                self._record(
                    r, stance, owner or self._to_actor(tok, r) or self._recent_proposer(r, tok.idx), start, end, tok
                )
                for r in responders
            ]
        return []

    def _permission(self, tok: Token, dobj: Token | None) -> tuple[tuple[int, int], str] | None:
        """ "allowed X to run": X must be an actor (not "allowed aid to enter"); the object is X's clause."""
        clause = next((c for c in tok.children if c.dep_ in {"ccomp", "xcomp"} and c.pos_ in {"VERB", "AUX"}), None)
        if clause is None:
            return None
        who = dobj if dobj is not None else next((c for c in clause.children if c.dep_ == "nsubj"), None)
        name = self.resolver.phrase(who) if who is not None else None
        if name is None:
            return None
        return self._bounds([*who.subtree, *clause.subtree][:MAX_OBJECT_TOKENS]), name

    def _yield_bounds(self, tok: Token) -> tuple[int, int]:
        """ "resigned", "stepped down as prime minister", "withdrew from the town", "apologized for the raid"."""
        toks = [tok] + [c for c in tok.children if c.dep_ == "prt"]
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "for":
                return self._bounds(list(c.subtree)[1:MAX_OBJECT_TOKENS] or [tok])
            if c.dep_ == "prep" and c.lower_ in {"from", "as", "out"}:
                toks += list(c.subtree)
        toks = sorted(toks, key=lambda t: t.i)
        return self._bounds(toks[:MAX_OBJECT_TOKENS])

    def from_concession_nouns(self) -> list[Response]:
        """ "completed their withdrawal from the town", "tendered his resignation", "ordered the release of the
        prisoners": a concession named by a noun that a realis verb carries out."""
        out: list[Response] = []
        for tok in self.a.doc:
            if tok.pos_ != "NOUN" or tok.dep_ != "dobj":
                continue
            lemma = tok.lemma_.lower()
            if lemma in self.concession_nouns.of_object:
                of = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
                if not any(
                    self._names_kind(tok, k) or any(self._names_kind(g, k) for g in of)
                    for k in self.concession_objects
                    if k != "yield"
                ):
                    continue
            elif lemma not in self.concession_nouns.any:
                continue
            verb = tok.head
            if verb.lemma_.lower() not in self.concession_governors or not self._realis_concession(verb):
                continue
            subj = self._subject(verb)
            responders = self._responders(subj)
            if not responders:
                responders = [n for n in (self._actor(c) for c in tok.children if c.dep_ == "poss") if n]
            start, end = self._object_bounds(tok)
            out += [
                self._record(r, "accept", self._to_actor(verb, r) or self._recent_proposer(r, tok.idx), start, end, tok)
                for r in responders
            ]
        return out

    def _pending(self, tok: Token) -> bool:
        """ "has yet to respond", "has not (yet) replied": an answer withheld."""
        heads = [tok] + ([tok.head] if tok.dep_ == "xcomp" else [])
        return any(c.lower_ == "yet" for h in heads for c in h.children) or _negated(tok)

    def from_evaluative_clauses(self) -> list[Response]:
        """ "X said the proposal was unacceptable", "'The plan is a good basis,' she said": a statement whose
        content evaluates an answerable thing answers it; the speaker is the responder."""
        out: list[Response] = []
        for tok in self.a.doc:
            if tok.lemma_.lower() not in self.copulas or tok.pos_ not in {"AUX", "VERB"}:
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            comp = [c for c in tok.children if c.dep_ in {"acomp", "attr", "oprd"}]
            if subj is None or not comp or subj.pos_ == "PRON" and subj.lower_ not in PRONOUN_OBJECTS:
                continue
            speaker = self.resolver.speaker_at(tok.idx)
            if speaker is None or self._irrealis(tok):
                continue
            if any(g.dep_ == "prep" and g.lower_ in {"for", "to"} for c in comp for g in c.children if c.pos_ == "ADJ"):
                continue  # "is important for the workers": a value to someone, argued, not a verdict on it
            words = {w for c in comp for t in c.subtree for w in (t.lower_, t.lemma_.lower())}
            stance = next((st for st in ("reject", "welcome") if words & self.evaluations[st]), None)
            if stance is None:
                continue
            if _negated(tok) or words & {"not", "n't", "no"}:
                stance = "reject" if stance == "welcome" else "skeptical"
            out += self._records_for([speaker], stance, subj, tok)
        return out

    def _evaluation(self, tok: Token) -> str | None:
        """ "called the plan a basis for agreement" -> welcome; "dismissed it as nonsense" -> reject."""
        words: set[str] = set()
        for c in tok.children:
            if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as"):
                words |= {t.lemma_.lower() for t in c.subtree} | {t.lower_ for t in c.subtree}
        for stance in ("reject", "welcome"):
            if words & self.evaluations[stance]:
                neg = "not" in words or "n't" in words
                return ("reject" if stance == "welcome" else "welcome") if neg and stance == "welcome" else stance
        return None

    def _verb_records(self, tok: Token, stance: str, answered: bool = False) -> list[Response]:
        if self._irrealis(tok):
            return []
        if tok.dep_ == "xcomp" and stance in {"accept", "welcome"} and self._verb_stance(tok.head) == "reject":
            return []  # "refused to sign the agreement": the refusal is the answer, not a signature
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if passive and agent_of(tok) is None and (obj := self._object_of_verb(tok)) is not None:
            responders = self._responders(self._subject(tok))  # "Israel is opposed to ...": a state, not a deed
        elif passive:
            obj = subject_of(tok)
            responders = self._responders(agent_of(tok))
        else:
            obj = self._object_of_verb(tok)
            subj = self._subject(tok)
            responders = self._responders(subj)
            mutual = subj is not None and (subj.conjuncts or len(self.resolver.parties(subj)) > 1)
            if mutual and stance == "accept":
                return []  # "X and Y agreed to ...", "X and Y signed a treaty": a mutual deal, not an answer
        if obj is None or not responders:
            return []
        if _negated(tok):
            # "will not sign until X": held back on a condition
            stance = "conditional" if stance in {"accept", "welcome"} and self._held_until(tok) else _flip(stance, tok)
        elif stance in {"accept", "welcome", "reject"} and (
            self._conditional(tok)
            or tok.dep_ == "xcomp"
            and self._conditional(tok.head)
            or any(self._conditional(c) for c in tok.children if c.dep_ == "xcomp")
        ):
            stance = "conditional"  # "agreed to accept the committee, but only if it sits in the capital"
        if stance in {"accept", "welcome"} and any(
            c.dep_ == "prep"
            and c.lower_ in {"on", "under"}
            and any(g.lemma_.lower() == "condition" for g in c.children)
            for c in obj.children
        ):
            stance = "conditional"  # "accepted the plan on condition that ...": the parser hangs it on the object
        if stance == "conditional" and any(c.dep_ == "neg" for t in tok.sent for c in t.children if t.i != tok.i):
            stance = "skeptical"  # "didn't meet its demands, but it would consider it"
        return self._records_for(responders, stance, obj, tok, answered)

    def _records_for(
        self, responders: list[str], stance: str, obj: Token, cue: Token, answered: bool = False
    ) -> list[Response]:
        clause = obj.pos_ in {"VERB", "AUX"} or answered
        owner: str | None = None
        if obj.lower_ in PRONOUN_OBJECTS:
            found = self._resolve_pronoun_object(obj, responders[0])
            prior = self._prior_proposal(responders[0], cue.idx) if found is None else None
            if prior is not None:  # "X intends to convene the parties, and we support that": X's proposal
                found = (*_text_bounds(self.a.text, prior.text, prior.start), prior.proposer)
            if found is None:
                return []
            start, end, owner = found
        elif not clause and not self._answerable(obj):
            return []
        elif (found := self._antecedent(obj)) is not None:
            start, end, owner = found
        else:
            start, end = self._object_bounds(obj)
        out = []
        for responder in responders:
            to_actor = owner if owner and owner != responder else None
            if not clause and owner is None:
                to_actor = self._owner(obj, responder)
            to_actor = to_actor or self._recent_proposer(responder, cue.idx)
            out.append(self._record(responder, stance, to_actor, start, end, cue))
        return out

    def from_nouns(self) -> list[Response]:
        """ "Ukraine's acceptance of the ceasefire", "expressed satisfaction with the deal"."""
        out: list[Response] = []
        for tok in self.a.doc:
            if tok.pos_ != "NOUN":
                continue
            stance = self.noun_stance.get(tok.lower_) or self.noun_stance.get(tok.lemma_.lower())
            if stance is None:
                continue
            obj = next(
                (
                    g
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS - {"from"}
                    for g in c.children
                    if g.dep_ == "pobj"
                ),
                None,
            )
            responder = next((self._actor(c) for c in tok.children if c.dep_ == "poss"), None)
            responder = responder or next(
                (
                    self._actor(g)
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in {"by", "from", "among", "across", "in"}
                    for g in c.children
                    if g.dep_ == "pobj" and self._actor(g)
                ),
                None,
            )
            head = tok.head.head if tok.dep_ == "pobj" else tok.head
            if responder is None and tok.dep_ == "dobj" and not self._irrealis(tok.head):
                responder = self._actor(self._subject(tok.head))  # "X expressed/voiced satisfaction with ..."
            if obj is None and tok.dep_ == "pobj" and head.pos_ in {"VERB", "AUX"}:
                obj = subject_of(head) if any(c.dep_ == "auxpass" for c in head.children) else None
            if responder is None or obj is None:
                continue
            out += self._records_for([responder], stance, obj, tok)
        return out

    def from_adjectives(self) -> list[Response]:
        """ "Leaders are sceptical of his assurances", "he was unhappy with the deal"."""
        out: list[Response] = []
        for tok in self.a.doc:
            if tok.pos_ not in {"ADJ", "VERB"} or tok.dep_ not in {"acomp", "amod", "oprd", "ROOT", "conj"}:
                continue
            stance = self.adj_stance.get(tok.lower_)
            if stance is None:
                continue
            obj = next(
                (
                    g
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS
                    for g in c.children
                    if g.dep_ in {"pobj", "pcomp"}
                ),
                None,
            )
            subj = self._subject(tok.head) if tok.dep_ == "acomp" else self._subject(tok)
            if tok.dep_ == "amod" and tok.head.pos_ in {"NOUN", "PROPN"}:
                subj = tok.head
            if obj is None or subj is None:
                continue
            if _negated(tok) or (tok.dep_ == "acomp" and _negated(tok.head)):
                stance = _flip(stance, tok)
            out += self._records_for(self._responders(subj), stance, obj, tok)
        return out

    def from_conditions(self, utterances: list[Utterance]) -> list[Response]:
        """A reported answer that sets a condition: "X insists this cannot happen unless Y first ..."."""
        out: list[Response] = []
        for u in utterances:
            if u.speaker is None:
                continue
            span = self.a.doc.char_span(u.start, u.end, alignment_mode="expand")
            if span is None:
                continue
            mark = next(
                (
                    t
                    for t in span
                    if t.dep_ == "mark"
                    and t.lower_ in {"unless"}
                    or (t.lower_ == "if" and t.i > 0 and self.a.doc[t.i - 1].lower_ == "only")
                ),
                None,
            )
            if mark is None:
                continue
            main = mark.head.head
            subj = subject_of(main) if main.pos_ in {"VERB", "AUX"} else None
            if subj is None:
                continue
            if subj.lower_ in PRONOUN_OBJECTS:
                prior = self._prior_proposal(u.speaker, u.start)
                if prior is None:
                    continue
                start, end = trim(self.a.text, *_text_bounds(self.a.text, prior.text, prior.start))
                out.append(self._record(u.speaker, "conditional", prior.proposer, start, end, u.cue))
                continue
            out += self._records_for([u.speaker], "conditional", subj, u.cue or mark)
        return out

    def from_refusals(self, utterances: list[Utterance]) -> list[Response]:
        """ "Q: Will you negotiate with X? A: No. ...": the answer rejects what the question put to it."""
        out: list[Response] = []
        for u in utterances:
            q = u.refused
            if q is None or u.speaker is None:
                continue
            root = q.root
            drop = {t.i for c in root.children if c.dep_ in {"nsubj", "aux", "punct", "neg"} for t in c.subtree}
            toks = [t for t in root.subtree if t.i not in drop]
            if len(toks) < 2:
                continue
            start, end = self._bounds(toks)
            named = [m.name for m in self.actors.mentions if q.start <= m.start < q.end and m.name != u.speaker]
            to_actor = named[0] if named else self._recent_proposer(u.speaker, q.start_char)
            out.append(self._record(u.speaker, "reject", to_actor, start, end, None))
        return out

    def _refused_concession(self, tok: Token) -> bool:
        """ "it would not withdraw": a negated concession verb."""
        return tok.lemma_.lower() in self.conceding and _negated(tok)

    def _bare_refusal(self, tok: Token) -> list[Response]:
        """A refusal with nothing named as refused ("Y refused.", "Y said it would not withdraw") answers the
        demand just made of Y."""
        conceded = self._refused_concession(tok)
        if not conceded and (self._irrealis(tok) or any(c.dep_ in {"dobj", "xcomp", "ccomp"} for c in tok.children)):
            return []
        responders = self._responders(self._subject(tok))
        if not responders:
            return []
        out = []
        sent_i = self.a.sentence_index(tok.idx)
        for responder in responders:
            demand = next(
                (
                    p
                    for p in reversed(self.proposals)
                    if p.start < tok.idx
                    and p.addressee == responder
                    and p.proposer not in {None, responder}
                    and sent_i - self.a.sentence_index(p.start) <= PROPOSAL_LOOKBACK_SENTENCES
                ),
                None,
            )
            if demand is not None:
                start, end = _text_bounds(self.a.text, demand.text, demand.start)
                out.append(self._record(responder, "reject", demand.proposer, start, end, tok))
        return out

    def _prior_proposal(self, responder: str, at: int) -> Proposal | None:
        sent_i = self.a.sentence_index(at)
        for p in reversed(self.proposals):
            if (
                p.start < at
                and p.proposer
                and p.proposer != responder
                and sent_i - self.a.sentence_index(p.start) <= PROPOSAL_LOOKBACK_SENTENCES
            ):
                return p
        return None

    def _asked(self, cue: Token) -> bool:
        """The cue stands in a question outside any quote ("Has Israel accepted the text?")."""
        quoted = any(u.kind == "direct" and u.start <= cue.idx < u.end for u in self.utterances)
        return not quoted and self.a.is_question(cue.idx)

    def _record(
        self, responder: str, stance: str, to_actor: str | None, start: int, end: int, cue: Token | None
    ) -> Response:
        ev = self.a.evidence(start, end)
        rid = stable_id(self.a.article_id, "response", responder, start, end, stance)
        if cue is not None and self._asked(cue):
            self.questions.add(rid)
        return Response(
            self.a.article_id,
            rid,
            responder,
            stance,
            to_actor,
            self.a.text[start:end],
            cue.text if cue is not None else None,
            ev.evidence_text,
            ev.evidence_start,
            ev.evidence_end,
        )


def _restrictive(clause: Token, obj: Token) -> bool:
    """ "any arrangement that would hand X to Y": a relative clause on the object itself, not set off by a
    comma, says which thing is answered, so it stays in the object."""
    if clause.dep_ != "relcl" or clause.head.i != obj.i or obj.pos_ not in {"NOUN"}:
        return False
    before = clause.left_edge.i - 1
    return before >= obj.i and not obj.doc[before].is_punct


def _progressive(verb: Token) -> bool:
    """ "is studying the proposal": an answer under way, not yet given."""
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)


def _subjunctive(verb: Token) -> bool:
    """ "demanded that X withdraw", and its conjuncts ("that X cease fire and withdraw")."""
    return is_subjunctive(verb) or verb.tag_ == "VB" and not any(c.dep_ == "aux" for c in verb.children)


def _invert(groups: dict[str, frozenset[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for stance, words in groups.items():
        for w in words:
            out.setdefault(w, stance)
    return out


def _text_bounds(text: str, snippet: str, near: int) -> tuple[int, int]:
    """Character bounds of `snippet` in the article, searched from `near` (the proposal's evidence start)."""
    at = text.find(snippet, near)
    if at < 0:
        at = text.find(snippet)
    return (at, at + len(snippet)) if at >= 0 else (near, near)


def _tokens(s: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in s).split() if len(w) > 3}


def _merge(found: list[Response]) -> list[Response]:
    """One record per answer: the same responder and stance on overlapping objects (headline and body)."""
    kept: list[Response] = []
    for r in sorted(found, key=lambda r: -len(r.object_text)):
        twin = next(
            (
                k
                for k in kept
                if k.responder_name == r.responder_name
                and k.stance == r.stance
                and (_tokens(k.object_text) & _tokens(r.object_text) or k.evidence_start == r.evidence_start)
            ),
            None,
        )
        if twin is None:
            kept.append(r)
        elif twin.to_actor_name is None:
            twin.to_actor_name = r.to_actor_name
    return sorted(kept, key=lambda r: (r.evidence_start, r.response_id))


def find_responses(
    article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance], demands: list[Demand], offers: list[Offer]
) -> list[Response]:
    proposals = [Proposal(d.evidence_start, d.demander_name, d.addressee_name, d.demand_text) for d in demands]
    proposals += [Proposal(o.evidence_start, o.offerer_name, o.recipient_name, o.offer_text) for o in offers]
    finder = ResponseFinder(article, actors, proposals, utterances)
    found = (
        finder.from_verbs()
        + finder.from_nouns()
        + finder.from_concession_nouns()
        + finder.from_adjectives()
        + finder.from_conditions(utterances)
        + finder.from_evaluative_clauses()
        + finder.from_refusals(utterances)
    )
    return _merge([r for r in found if r.response_id not in finder.questions])
