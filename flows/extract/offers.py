"""Offers: an actor offers, proposes or commits to an action.

Sources (one record per offered action):
- an offer verb with what it offers: "X offered to Z", "X offered/proposed Z (to Y)",
  "X pledged that ...", and for weaker verbs only proposal-like objects ("X unveiled a plan",
  "the proposal put forward by X");
- assent: "X agreed to Z", "X and Y agreed on a pact", "X accepted an invitation" (not the terms of an
  earlier deal: "under which X agreed to Z");
- readiness: "X is ready/prepared/willing/open to Z", "X expressed a willingness to Z";
- an owned proposal noun: "X's offer of Z", "a proposal by X";
- a commitment inside a statement, by the speaker's own side: "we will release ...",
  "Iraq said it would allow ...";
- a statement whose act is `offer` that none of the above covers.
"""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.actors import ActorIndex
from flows.extract.clauses import (
    FIRST_PERSON,
    ClauseFinder,
    action_span,
    in_condition,
    is_passive,
    to_infinitive,
)
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.names import headline_ranges, in_ranges, title_line
from flows.extract.speech_acts import phrase_acts
from flows.extract.statements import Utterance
from flows.extract.syntax import agent_of, has_negation, trim
from flows.records import Offer, stable_id

WORDS = load_words()

OWNER_PREPS = WORDS.offers.owner_preps
BARE_NP_READINESS = WORDS.offers.readiness_words
CONTINUATIVE = WORDS.offers.continuative_verbs


class OfferFinder(ClauseFinder):
    def __init__(self, article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]):
        super().__init__(article, actors, utterances)
        lex = load_lexicon()
        self.verbs = lex.offer_verbs
        self.weak_verbs = lex.offer_verbs_weak
        self.assent_verbs = lex.offer_verbs_assent
        self.accepted = lex.offer_accepted_objects
        self.objects = lex.offer_object_nouns
        self.stop = lex.offer_object_stop
        self.adjectives = lex.offer_adjectives
        self.nouns = lex.offer_nouns
        self.commit_verbs = lex.commitment_verbs
        self.commit_modals = lex.commitment_modals
        self.conditions = lex.condition_markers
        self.acceptances = lex.stance_verbs["accept"] | lex.stance_verbs["welcome"]
        self.asking_verbs = lex.demand_verbs
        self.out: list[Offer]
        self.at: dict[str, int] = {}  # offer id -> offset of its text
        self.title = title_line(article.text)
        self.headlines = headline_ranges(article.text)

    # ---- assent: "X agreed to Z", "X and Y agreed on a truce", "X accepted an invitation" ----
    def from_assent(self) -> None:
        """A commitment by agreeing, not the terms of an existing agreement ("a deal under which X
        agreed to Z", "under the 2005 accord, X agreed to Z") nor agreeing to another's terms."""
        for tok in self.a.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "VERB" or has_negation(tok) or is_passive(tok) or tok.dep_ == "relcl" or in_condition(tok):
                continue
            if tok.dep_ in {"xcomp", "ccomp"} and tok.head.lemma_.lower() in self.asking_verbs:
                continue  # "urged X to agree on ...": asked for, not offered
            if lemma in self.assent_verbs:
                if any(c.dep_ == "prep" and c.lower_ == "under" for c in tok.children):
                    continue
                action = to_infinitive(tok)
                if action is None:
                    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"}), None)
                    obj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
                    action = obj if obj is not None and self._offerable(obj, True) else None
            elif lemma == "accept":
                action = next((c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in self.accepted), None)
            else:
                continue
            if action is not None and action.pos_ in {"VERB", "AUX"} and action.lemma_.lower() in self.acceptances:
                continue  # "agreed to accept the monitors that Y proposed": an answer to Y, not an offer
            subj = self.agents.subject(tok)
            offerers = self.agents.resolve_all(subj)
            # "the Turkish and Greek sides": a group named by its own modifiers acts as one
            mention = self.actors.mention_at(subj.i) if subj is not None else None
            named_group = mention is not None and mention.start < subj.i
            if _mutual_deed(lemma in self.assent_verbs, action, offerers, subj, named_group):
                self._block(action)  # "X and Y agreed to extend the truce": a deal between them (their negotiation)
                continue
            if action is not None and offerers:
                self._add(offerers, None, action, [], tok)

    def _block(self, action: Token) -> None:
        """No offer inside a deal the parties agreed together ("agreed to extend their truce")."""
        start, end = trim(self.a.text, action.left_edge.idx, action.right_edge.idx + len(action.right_edge))
        self.out = [o for o in self.out if not start <= self.at[o.offer_id] < end]
        self.spans.append((start, end))

    # ---- offer verbs ---------------------------------------------------------------------
    def from_verbs(self) -> None:
        for tok in self.a.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "VERB" or lemma not in self.verbs | self.weak_verbs or has_negation(tok):
                continue
            weak = lemma not in self.verbs
            if is_passive(tok) or tok.dep_ == "acl" and tok.tag_ == "VBN":
                self._passive(tok, weak)
                continue
            offerers = self.agents.resolve_all(self.agents.subject(tok))
            if not offerers:
                continue
            recipient = self._recipient(tok, offerers)
            action = to_infinitive(tok) if not weak else None
            if (
                action is not None
                and action.dep_ == "advcl"
                and action.i > tok.i
                and any(c.dep_ == "dobj" and self._offerable(c, weak) for c in tok.children)
            ):
                action = None  # "offered a ceasefire to allow aid deliveries": the object is offered, for a purpose
            if action is not None and "threat" not in phrase_acts(self._text(action)):
                self._add(offerers, recipient, action, [], tok)
                continue
            obj = next((c for c in tok.children if c.dep_ == "dobj" or (c.dep_ == "ccomp" and c.pos_ == "NOUN")), None)
            if obj is not None and self._offerable(obj, weak):
                self._add(offerers, recipient, obj, [], tok, self._with_condition(tok, obj))
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            # "proposed to Y that Z (be done)": the that-clause is the proposal
            that_clause = comp is not None and any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children)
            if comp is not None and not weak and (lemma != "propose" or that_clause):
                self._add(offerers, recipient, comp, self._own_subject(comp, offerers), tok)

    def _text(self, head: Token) -> str:
        return self.a.text[head.left_edge.idx : head.right_edge.idx + len(head.right_edge)]

    def _passive(self, verb: Token, weak: bool) -> None:
        """ "the proposal put forward by X", "a plan was unveiled by X"."""
        offerers = self.agents.resolve_all(agent_of(verb))
        theme = verb.head if verb.dep_ == "acl" else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if offerers and theme is not None and self._offerable(theme, weak):
            self._add(offerers, None, theme, [verb], verb)

    def _with_condition(self, verb: Token, obj: Token) -> tuple[int, int, str] | None:
        """ "offering dialogue if the West is willing to ...": the offer keeps its condition."""
        cond = next(
            (
                c
                for c in verb.children
                if c.dep_ == "advcl"
                and c.i > obj.i
                and any(g.dep_ == "mark" and g.lower_ in self.conditions for g in c.children)
            ),
            None,
        )
        if cond is None:
            return None
        start, end, _ = action_span(self.a, obj)
        end = trim(self.a.text, start, cond.right_edge.idx + len(cond.right_edge))[1]
        return start, end, self.a.text[start:end]

    def _offerable(self, noun: Token, weak: bool) -> bool:
        lemma = noun.lemma_.lower()
        if lemma in self.stop or self.resolver.phrase(noun) is not None:
            return False
        return not weak or lemma in self.objects or noun.lower_ in self.objects

    def _recipient(self, verb: Token, offerers: list[str]) -> str | None:
        """ "offered Y Z", "offered Z to Y", "proposed a plan to Y"."""
        objects = [c for c in verb.children if c.dep_ in {"dobj", "ccomp"} and c.pos_ == "NOUN"]
        for c in [*verb.children, *(g for o in objects for g in o.children)]:
            target = None
            if c.dep_ in {"dative", "iobj"}:
                target = next((g for g in c.children if g.dep_ == "pobj"), c)
            elif c.dep_ == "prep" and c.lower_ == "to":
                target = next((g for g in c.children if g.dep_ == "pobj"), None)
            name = self.agents.resolve(target) if target is not None else None
            if name and name not in offerers:
                return name
        return None

    def _own_subject(self, clause: Token, offerers: list[str]) -> list[Token]:
        """Drop the clause subject when it is the offerer itself ("pledged that it would ...")."""
        subj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if subj is not None and (subj.pos_ == "PRON" or self.agents.resolve(subj) in offerers):
            return [subj]
        return []

    # ---- readiness -----------------------------------------------------------------------
    def from_readiness(self) -> None:
        for tok in self.a.doc:
            lower = tok.lower_
            if lower in self.adjectives and tok.pos_ in {"ADJ", "VERB"} and tok.dep_ in {"acomp", "oprd"}:
                holder = tok.head
                if has_negation(tok) or has_negation(holder):
                    continue
                self._readiness(tok, self.agents.subject(holder), tok)
            elif tok.lemma_.lower() in self.nouns and tok.pos_ == "NOUN":
                self._owned_noun(tok)

    def _readiness(self, word: Token, subject: Token | None, cue: Token) -> None:
        """Not in a condition ("if the West is willing to ...") nor in a threat ("prepared to respond")."""
        offerers = self.agents.resolve_all(subject)
        if not offerers or in_condition(word) or self._in_threat(word):
            return
        voiced = next((c for c in word.children if c.dep_ == "acl" and agent_of(c) is not None), None)
        action = (
            to_infinitive(word)
            or (to_infinitive(voiced) if voiced is not None else None)  # "readiness expressed by X to allow ..."
            or next((c for c in word.children if c.dep_ in {"acl", "xcomp"} and c is not voiced), None)
        )
        if action is None:
            prep = next((c for c in word.children if c.dep_ == "prep" and c.lower_ in {"to", "for"}), None)
            deps = {"pcomp"} | ({"pobj"} if word.lower_ in BARE_NP_READINESS else set())
            action = next((g for g in prep.children if g.dep_ in deps or g.tag_ == "VBG"), None) if prep else None
        if action is not None:
            self._add(offerers, None, action, [], cue)

    def _in_threat(self, tok: Token) -> bool:
        return any(u.act == "threat" and u.start <= tok.idx < u.end for u in self.utterances)

    def _owned_noun(self, noun: Token) -> None:
        """ "X's offer of Z", "a proposal by X", "X expressed a willingness to Z"."""
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in OWNER_PREPS), None)
        if owner is None and by is not None:
            # the last object: a possessive the parser split off ("by United States' President X") comes first
            owner = next((g for g in reversed(list(by.children)) if g.dep_ == "pobj"), None)
        voiced = next((c for c in noun.children if c.dep_ == "acl" and agent_of(c) is not None), None)
        if owner is None and voiced is not None:
            owner = agent_of(voiced)  # "the readiness expressed by X to ...": X's, not the welcomer's
        if owner is None and noun.dep_ == "dobj" and noun.lemma_.lower() in {"willingness", "readiness"}:
            owner = self.agents.subject(noun.head)
        offerers = self.agents.resolve_all(owner)
        if not offerers or (owner is not None and owner.lower_ in FIRST_PERSON - {"we", "our"}):
            return
        if noun.lemma_.lower() in {"willingness", "readiness"}:
            self._readiness(noun, owner if owner.dep_ != "poss" else owner, noun)
            return
        drop = [c for c in noun.children if c.dep_ == "poss" or (by is not None and c.i == by.i)]
        self._add(offerers, None, noun, drop, noun)

    # ---- commitments inside statements ----------------------------------------------------
    def from_commitments(self) -> None:
        """Inside statements (will/would), and in the narrative, where only "will" commits."""
        spans = [(u, self.a.doc.char_span(u.start, u.end, alignment_mode="expand")) for u in self.utterances]
        inside = {t.i for _, span in spans if span is not None for t in span}
        narrative = [t for t in self.a.doc if t.i not in inside]
        for u, span in [*spans, (None, narrative)]:
            if span is None:
                continue
            modals = self.commit_modals if u is not None else self.commit_modals - {"would"}
            for verb in span:
                if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.commit_verbs or has_negation(verb):
                    continue
                # "will release ...", "will continue to engage ..."
                host = verb.head if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in CONTINUATIVE else verb
                if not any(c.dep_ == "aux" and c.lower_ in modals for c in host.children):
                    continue
                if in_condition(verb) or has_negation(host) or self._in_threat(verb):
                    continue
                subj = next((c for c in host.children if c.dep_ == "nsubj"), None)
                # "X will release ..., according to officials": the source only reports X's commitment
                speaker = u.speaker if u is not None and not _reported_by_source(u) else None
                # "they will ...": each party the pronoun stands for
                offerers = [o for o in self.agents.resolve_all(subj) if self._same_side(o, speaker, verb)]
                if not offerers:
                    continue
                self._add(offerers, None, host, [subj], verb)

    def _same_side(self, actor: str, speaker: str | None, verb: Token | None = None) -> bool:
        """A commitment inside a statement is the speaker's own (or its state's); one a body reports of a
        named other ("X will visit Y in June, the embassy said") is X's, reported."""
        if speaker is None or actor == speaker:
            return True
        speaker_info = self.actors.actors.get(speaker)
        if verb is not None and speaker_info is not None and speaker_info.type in {"state", "organization"}:
            actor_info = self.actors.actors.get(actor)
            if actor_info is not None and actor_info.type == "person" and actor_info.affiliation != speaker:
                return True
        info = self.actors.actors.get(speaker)
        return info is not None and info.affiliation == actor

    # ---- statements whose act is offer ------------------------------------------------------
    def from_offer_statements(self) -> None:
        for u in self.utterances:
            if u.act != "offer" or u.speaker is None or _reported_by_source(u):
                continue  # an 'according to' source reports another's offer; the clause's own agent offers
            if (
                u.cue is not None
                and u.cue.lemma_.lower() in self.verbs | self.weak_verbs
                and any(c.dep_ in {"dobj", "xcomp"} for c in u.cue.children)
            ):
                continue  # "X offered Z": the offer verb pass has judged it
            if any(s < u.end and u.start < e for s, e in self.spans):
                continue
            if any(
                v is not u and v.speaker not in {None, u.speaker} and u.start <= v.start < v.end <= u.end
                for v in self.utterances
            ):
                continue  # "X said Y intends to ...": the offer is Y's, in Y's own (inner) statement
            self._record([u.speaker], None, u.text, u.start, u.end, u.cue)

    # ---- records ---------------------------------------------------------------------------
    def _add(
        self,
        offerers: list[str],
        recipient: str | None,
        head: Token,
        drop: list[Token],
        cue: Token | None,
        span: tuple[int, int, str] | None = None,
    ) -> None:
        if span is None and head.tag_ in {"WDT", "WP"} and head.head.dep_ == "relcl":
            # "the committee that Y proposed": what is offered is the antecedent, not "that"
            noun = head.head.head
            skip = {t.i for t in head.head.subtree}
            toks = [t for t in noun.subtree if t.i not in skip]
            start, end = trim(self.a.text, toks[0].idx, toks[-1].idx + len(toks[-1]))
            head, span = noun, (start, end, self.a.text[start:end])
        if head.i in self.heads:
            return
        start, end, text = span or action_span(self.a, head, drop)
        if end <= start or any(s <= start and end <= e for s, e in self.spans):
            return
        self.heads.add(head.i)
        self._record(offerers, recipient, text, start, end, cue)

    def _record(
        self, offerers: list[str], recipient: str | None, text: str, start: int, end: int, cue: Token | None
    ) -> None:
        quoted = any(u.kind == "direct" and u.start <= start < u.end for u in self.utterances)
        if self.a.is_question(start) and not quoted:
            return  # "Is X's proposal acceptable to you?": a question offers nothing
        if self.title is not None and start < self.title[1] or in_ranges(start, self.headlines):
            return  # a headline sums up what the body reports
        self.spans.append((start, end))
        ev = self.a.evidence(start, end)
        for offerer in offerers:
            oid = stable_id(self.a.article_id, "offer", offerer, start, end)
            self.at[oid] = start
            self.out.append(
                Offer(
                    self.a.article_id,
                    oid,
                    offerer,
                    recipient,
                    text,
                    cue.text if cue is not None else None,
                    ev.evidence_text,
                    ev.evidence_start,
                    ev.evidence_end,
                )
            )


def find_offers(article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]) -> list[Offer]:
    finder = OfferFinder(article, actors, utterances)
    finder.from_verbs()
    finder.from_assent()
    finder.from_readiness()
    finder.from_commitments()
    finder.from_offer_statements()
    return sorted(_drop_back_references(finder.out), key=lambda o: (o.evidence_start, o.offer_id))


def _content(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 3}


def _drop_back_references(offers: list[Offer]) -> list[Offer]:
    """ "accepted the observers that X proposed": a short mention of what X offered elsewhere in full is
    the same offer, not a second one (its words are all in the fuller offer of the same offerer)."""
    out = []
    for o in offers:
        words = _content(o.offer_text)
        fuller = any(
            p is not o
            and p.offerer_name == o.offerer_name
            and len(_content(p.offer_text)) > len(words)
            and words <= _content(p.offer_text)
            for p in offers
        )
        # "agreed to extend the truce" and "the truce": the same offer, once, in its fuller words
        inside = any(
            p is not o
            and p.offerer_name == o.offerer_name
            and p.evidence_start == o.evidence_start
            and len(p.offer_text) > len(o.offer_text)
            and o.offer_text in p.offer_text
            for p in offers
        )
        if not (words and len(words) <= 3 and fuller) and not inside:
            out.append(o)
    return out


def _mutual_deed(
    assent: bool, action: Token | None, offerers: list[str], subj: Token | None, named_group: bool = False
) -> bool:
    """Several parties agreeing together to a deed ("X and Y agreed to extend ...", "the sides agreed to
    ...") conclude a deal between them, not an offer of each; agreeing on a named pact stays each party's
    commitment ("X and Y agreed on a pact")."""
    return (
        assent
        and action is not None
        and action.pos_ in {"VERB", "AUX"}
        and subj is not None
        and subj.lower_ not in FIRST_PERSON
        and (len(offerers) > 1 or not named_group and _party_collective(subj))
    )


def _party_collective(subj: Token) -> bool:
    """ "the delegations", "both sides", "the two leaders": the parties together, however many the
    article lets us name."""
    return (
        subj.tag_ in {"NNS", "NNPS"}
        and subj.lower_ in WORDS.resolver.party_bodies | WORDS.resolver.party_people
        and any(
            c.lower_ in WORDS.resolver.party_determiners or c.like_num
            for c in subj.children
            if c.dep_ in {"det", "predet", "nummod"}
        )
    )


def _reported_by_source(u: Utterance) -> bool:
    """A report 'according to' a source: the source relays the clause, whose own subject acts."""
    return u.cue is not None and u.cue.lower_ == "according"
