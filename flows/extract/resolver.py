"""The one resolver of noun phrases, pronouns and roles to actors, used by every record type.

Built once per article over its `ActorIndex`; statements, demands, offers, responses and
negotiations all ask it. `phrase` resolves a noun phrase:

1. a role with a person named in it or beside it ("China's envoy Wang Guangya", "the ELN's commander,
   Antonio Garcia,") is the person;
2. a role, body or collective followed by "of/for/from X" ("the representative of Greece", "members of the
   Security Council", "hundreds of the fighters") is X (`of_actor`, the one definition of "of X");
3. the index's mentions, roles and pronouns, a lone surname for the one person of that name, the person
   holding a role;
4. a body named by its owner among its modifiers ("Poland's parliament", "the Hamas movement", "the Israeli
   army", "the Peruvian embassy"), never a news outlet ("an Egyptian newspaper said");
5. "the party", "the group": the organisation named just before.

`resolve` adds what needs the article's statements: first person is the speaker of the quote or
statement holding it, the subject of a reporting verb is whoever the statement is attributed to, and a
pronoun the speaker chain resolved keeps that resolution. Pronoun speakers ("he said", "they warned")
are resolved after all utterances are known, in document order (`chain`): a pronoun takes the most
recent compatible speaker or subject mention in the last few sentences, so "He added ..." after "Iran's
representative said ..." is Iran, not the last person named somewhere in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from flows.extract.actors import COLLECTIVE_PRONOUNS, PERSON_PRONOUNS, ActorIndex, of_objects
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_words

WORDS = load_words()

PERSON, COLLECTIVE = "person", "collective"
SPEAKER_PRONOUNS = WORDS.pronouns.speaker
RELATIVE_PRONOUNS = WORDS.pronouns.relative
FIRST_PERSON = WORDS.pronouns.first_person
CHAIN_SENTENCES = 3
GENDERED = WORDS.pronouns.gender
HONORIFICS = WORDS.pronouns.honorific_gender
REPRESENTATIVE_ROLES = WORDS.resolver.representative_roles
# bodies of a state named by its demonym or name ("the Azerbaijani parliament")
STATE_BODIES = WORDS.resolver.state_bodies
# "the group" and the like, standing for the organisation just named
ANAPHORIC_BODIES = WORDS.resolver.anaphoric_bodies
# bodies only a state has ("the government", "the cabinet")
STATE_ONLY_BODIES = WORDS.actors.state_only_bodies
DOCUMENT_NOUNS = WORDS.resolver.document_nouns
AUTHORING_VERBS = WORDS.resolver.authoring_verbs
# bodies of an organisation named before them ("the al-Qaeda network", "the Umma party")
ORG_BODIES = WORDS.resolver.org_bodies
# heads that stand for the actor after "of": roles, bodies, partitives and collectives
OF_HEADS = (
    WORDS.resolver.of_heads | WORDS.resolver.partitive_heads | WORDS.resolver.collectives | WORDS.responses.partitives
)
OWNER_DEPS = {"poss", "compound", "nmod", "amod"}
MEDIA_NOUNS = WORDS.resolver.media_nouns
PARTY_PEOPLE = WORDS.resolver.party_people
PARTY_BODIES = WORDS.resolver.party_bodies
PARTY_DETERMINERS = WORDS.resolver.party_determiners
PARTY_SENTENCES = 8
# what a state or organisation owns: its bodies ("the Azerbaijani parliament"), forces ("the Israeli army")
OWNED = (
    WORDS.resolver.state_bodies
    | WORDS.resolver.org_bodies
    | WORDS.resolver.owned_nouns
    | WORDS.actors.body_nouns
    | WORDS.statements.military_nouns
)
THIRD_PERSON = WORDS.pronouns.third_person_subjects
# "they", "them": a plural subject named before
PLURAL_PRONOUNS = WORDS.pronouns.plural_anaphors


@dataclass
class SpeakerRef:
    """A resolved (or pending) speaker: canonical name, surface form and person/collective kind."""

    name: str | None
    mention: str | None
    kind: str | None
    token: Token | None  # the subject token (pronouns are resolved later from it)

    @property
    def pending(self) -> bool:
        return self.name is None and self.token is not None and self.token.lower_ in SPEAKER_PRONOUNS


class Resolver:
    """Who a noun phrase, pronoun or role of one article refers to (one behaviour for every record type)."""

    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        self.utterances: list = []  # the article's statements, once found (`bind_utterances`)
        self.person_roles = {r for r in actors.gaz.person_roles if " " not in r}
        self.group_nouns = {g for g in actors.gaz.group_nouns if " " not in g}
        self.gender = self._genders()
        self._governments: dict[int, str | None] = {}  # "the Government" at a token -> its state (memo)

    def of_subject(self, subj: Token | None) -> SpeakerRef:
        """The speaker a subject token names (pronouns stay pending until `chain`)."""
        if subj is None:
            return SpeakerRef(None, None, None, None)
        if subj.lower_ in RELATIVE_PRONOUNS and subj.head.dep_ == "relcl" and subj.head.head.pos_ in {"NOUN", "PROPN"}:
            subj = subj.head.head  # "Trump, who tweeted that ...": the relative clause's antecedent
        if subj.pos_ == "PRON" or subj.lower_ in PERSON_PRONOUNS | COLLECTIVE_PRONOUNS:
            return SpeakerRef(None, subj.text, self._pronoun_kind(subj), subj)
        parties = self.parties(subj)  # "the two leaders said": each party (see statements' _per_party)
        name = parties[0] if parties else self.phrase(subj)
        return SpeakerRef(name, self._surface(subj), self._noun_kind(subj, name), subj)

    def _surface(self, head: Token) -> str:
        """The subject's words, up to a clause hung on it ("Two officials[, speaking on condition of ...]")."""
        end = head.right_edge.i
        clause = next((c for c in head.rights if c.dep_ in {"acl", "relcl", "advcl"}), None)
        if clause is not None:
            end = clause.left_edge.i - 1
            while end > head.i and self.a.doc[end].is_punct:
                end -= 1
        return self.a.doc[head.left_edge.i : end + 1].text

    def phrase(self, head: Token) -> str | None:
        """Canonical actor of a noun phrase, looking through "<role> of <actor>" and role holders."""
        if head.lemma_.lower() in DOCUMENT_NOUNS and self.actors.mention_at(head.i) is None:
            authors = self.document_authors(head)
            if authors:
                return authors[0]
        if head.lower_ in self.person_roles and self.actors.mention_at(head.i) is None:
            person = self._named_in(head)
            if person is not None:
                return person
        if head.lower_ in OF_HEADS or head.lower_ in self.person_roles or head.lower_ in self.group_nouns:
            of = self.of_actor(head)
            if of is not None:
                return of
        if any(c.dep_ == "compound" and c.lower_ in STATE_ONLY_BODIES for c in head.children):
            owner = self._owner(head)  # "the Government delegation": the government's, not the last party's
            if owner is not None:
                return owner
        name = self.actors.resolve_phrase(head)
        if (
            name is not None
            and " " not in name
            and self.actors.actors.get(name) is not None
            and self.actors.actors[name].type == "person"
        ):
            name = self._partial_name(head) or name  # "Pak" named alone for Pak Chol-Min
        if name is not None:
            if head.lower_ in self.person_roles and self.actors.mention_at(head.i) is None:
                return self._role_holder(head.lower_, name) or name
            return name
        return (
            self._speakers_body(head)
            or self._owner(head)
            or self._partial_name(head)
            or self._definite_body(head)
            or self._apposed_actor(head)
            or self._bare_government(head)
        )

    def _speakers_body(self, head: Token) -> str | None:
        """ "X said his government would not accept ...", "our government will ...": inside a statement, the
        speaker's own government is the speaker, who speaks for it."""
        if head.lower_ not in STATE_ONLY_BODIES:
            return None
        poss = next((c for c in head.children if c.dep_ == "poss" and c.tag_ == "PRP$"), None)
        if poss is None or poss.lower_ not in FIRST_PERSON | set(GENDERED):
            return None
        speaker = self.speaker_at(head.idx)
        if speaker is None:
            return None
        info = self.actors.actors.get(speaker)
        person = info is not None and info.type == "person"
        if poss.lower_ not in FIRST_PERSON and not (person and self._agrees(poss, speaker)):
            return None
        return speaker

    def _bare_government(self, head: Token) -> str | None:
        """ "the Government" with no owner: the state whose government the article last named as such
        ("the Government of X", "X's government"), when it named one."""
        if head.lower_ not in STATE_ONLY_BODIES or any(c.dep_ in OWNER_DEPS | {"prep"} for c in head.children):
            return None
        if head.i in self._governments:
            return self._governments[head.i]
        self._governments[head.i] = None
        for t in reversed(self.a.doc[: head.i]):
            if t.lemma_.lower() == head.lemma_.lower() and t.i != head.i:
                name = self.actors.resolve_phrase(t) or (self.of_actor(t) if of_objects(t) else None)
                info = self.actors.actors.get(name) if name else None
                if info is not None and info.type == "state":
                    self._governments[head.i] = name
                    return name
        return None

    def _partial_name(self, head: Token) -> str | None:
        """A lone name token that is the first or last word of exactly one person named in the article
        ("Ri" for Ri Hung-Sik, family name first; "Merkel" for Angela Merkel)."""
        if head.pos_ != "PROPN" or any(c.dep_ == "compound" for c in head.children) or len(head.text) < 2:
            return None
        word = head.text.lower()
        people = {
            n
            for n, a in self.actors.actors.items()
            if a.type == "person" and " " in n and word in {n.split()[0].lower(), n.split()[-1].lower()}
        }
        return people.pop() if len(people) == 1 else None

    def _definite_body(self, head: Token) -> str | None:
        """ "the party", "the movement": the latest organisation named before whose name ends in that noun."""
        lower = head.lower_
        if lower not in ORG_BODIES or not any(c.lower_ == "the" for c in head.lefts):
            return None
        orgs = [m for m in self.actors.mentions if m.end_char <= head.idx and m.type == "organization"]
        named = [m for m in orgs if m.name.lower().split()[-1] in {lower, lower + "s"}]
        if named:
            return named[-1].name
        # "the group", "the militia": the organisation named in the last few sentences
        sent_i = self.a.sentence_index(head.idx)
        recent = [m for m in orgs if sent_i - self.a.sentence_index(m.start_char) <= CHAIN_SENTENCES]
        return recent[-1].name if recent and lower in ANAPHORIC_BODIES else None

    def _owner(self, head: Token) -> str | None:
        """A body named by the state or organisation before it that owns it: "Poland's parliament", "the
        Hamas movement", "the Azerbaijani parliament", "the Israeli army", "its embassy"; organisations before
        states ("Osama bin Laden's al-Qaeda network" is al-Qaeda). Not roles (the index resolves those) and not
        news outlets ("an Egyptian newspaper" relays others' words, it is not Egypt)."""
        lower, lemma = head.lower_, head.lemma_.lower()
        owned = lower in OWNED or lemma in OWNED
        if head.pos_ not in {"NOUN", "PROPN"} or not owned or lower in MEDIA_NOUNS or lower in self.person_roles:
            return None
        found: dict[str, str] = {}
        for t in head.subtree:
            if t.i >= head.i:
                break
            m = self.actors.mention_at(t.i)
            if m is not None and m.type in {"state", "organization", "person"}:
                if m.type == "state" and lower in ORG_BODIES and lower not in STATE_BODIES:
                    continue  # "the Umma party" is an organisation's, not a state's
                found.setdefault(m.type, m.name)
            elif t.dep_ == "poss" and t.head.i == head.i:
                owner = self.actors.resolve_phrase(t)  # "its army", "their forces"
                info = self.actors.actors.get(owner) if owner else None
                if info is not None:
                    found.setdefault(info.type, owner)
            elif t.dep_ in OWNER_DEPS and (state := self.actors.gaz.demonym_state(t.text)):
                found.setdefault("state", state)
            elif t.dep_ == "compound" and t.head.i == head.i and (owner := self._bare_government(t)):
                found.setdefault("state", owner)  # "the Government delegation": the government's
        return found.get("organization") or found.get("state")

    def _apposed_actor(self, head: Token) -> str | None:
        """An actor named in apposition to an unresolved phrase ("the group, Hamas,")."""
        return next(
            (m.name for c in head.children if c.dep_ == "appos" and (m := self.actors.mention_at(c.i)) is not None),
            None,
        )

    def of_actor(self, head: Token) -> str | None:
        """ "the representative of Greece", "members of the Security Council": the actor after 'of'."""
        for pobj in of_objects(head):
            name = self.phrase(pobj)
            if name is not None:
                return name
        return None

    def is_position_holder(self, name: str) -> bool:
        """False for news media relaying others' words ("..., the agency reported")."""
        entry = self.actors.gaz.entry(name)
        return entry is None or entry.kind != "media"

    def _named_in(self, head: Token) -> str | None:
        """A person named inside the role phrase or beside it: "China's envoy Wang Guangya", "the minister, Ri"."""
        for t in head.subtree:
            m = self.actors.mention_at(t.i)
            if m is not None and m.type == "person" and t.i != head.i:
                return m.name
        return None

    def _role_holder(self, role: str, org: str) -> str | None:
        """The one person of `org` the article names with this role ("China's ambassador" -> Wang)."""
        people = [a for a in self.actors.actors.values() if a.type == "person" and a.affiliation == org]
        for group in ({role}, REPRESENTATIVE_ROLES if role in REPRESENTATIVE_ROLES else set()):
            holders = [a.name for a in people if a.roles & group]
            if len(holders) == 1:
                return holders[0]
        return None

    def stranded_subject(self, verb: Token) -> Token | None:
        """A misparsed main clause's subject: the last actor mention before the verb that is no object."""
        for t in reversed(list(verb.sent[: verb.i - verb.sent.start])):
            m = self.actors.mention_at(t.i)
            if m is None or t.i != m.end - 1:
                continue
            if t.dep_ not in {"pobj", "dobj", "poss", "compound", "amod", "nmod", "appos", "conj"}:
                return t
        return None

    def _pronoun_kind(self, tok: Token) -> str:
        return PERSON if tok.lower_ in {"he", "she", "i"} else COLLECTIVE

    def _noun_kind(self, head: Token, name: str | None) -> str | None:
        lower = head.lower_
        if lower in self.person_roles:
            return PERSON
        if lower in self.group_nouns:
            return COLLECTIVE
        if name is not None and name in self.actors.actors:
            return PERSON if self.actors.actors[name].type == "person" else COLLECTIVE
        return None

    # ---- pronoun chain --------------------------------------------------------------
    def chain(self, refs: list[tuple[int, SpeakerRef]]) -> None:
        """Resolve pending pronoun speakers in document order (`refs`: (char offset, ref), sorted)."""
        history: list[tuple[int, SpeakerRef]] = []
        for pos, ref in refs:
            if ref.pending:
                self._resolve_pronoun(pos, ref, history)
                gender = GENDERED.get(ref.token.lower_) if ref.token is not None else None
                if ref.name is not None and gender is not None:
                    self.gender.setdefault(ref.name, gender)  # "She said ..." after "Vera Grabe told ..."
            if ref.name is not None:
                history.append((pos, ref))

    def _genders(self) -> dict[str, str]:
        """People whose honorific tells their gender ("Mr. Guterres", "Ms. DiCarlo")."""
        out: dict[str, str] = {}
        for m in self.actors.mentions:
            if m.type == "person" and m.start > 0:
                gender = HONORIFICS.get(self.a.doc[m.start - 1].lower_.rstrip("."))
                if gender is not None:
                    out.setdefault(m.name, gender)
        return out

    def _agrees(self, pronoun: Token, name: str | None) -> bool:
        """ "he" cannot be someone already known as "she", and the reverse."""
        gender = GENDERED.get(pronoun.lower_)
        return gender is None or name is None or self.gender.get(name, gender) == gender

    def _resolve_pronoun(self, pos: int, ref: SpeakerRef, history: list[tuple[int, SpeakerRef]]) -> None:
        tok = ref.token
        assert tok is not None
        sent_i = self.a.sentence_index(tok.idx)
        recent = [
            (p, r)
            for p, r in history
            if r.kind == ref.kind
            and sent_i - self.a.sentence_index(p) <= CHAIN_SENTENCES
            and p < tok.idx
            and (r.token is None or not _embedded(r.token))
            and self._agrees(tok, r.name)
        ]
        latest_speaker = recent[-1] if recent else None
        latest_subject = self._latest_subject_mention(tok, ref.kind)
        if latest_speaker is not None and (latest_subject is None or latest_subject[0] <= latest_speaker[0]):
            ref.name = latest_speaker[1].name
        elif latest_subject is not None:
            ref.name = latest_subject[1]
        else:
            ref.name = self.actors.resolve_pronoun(tok, agrees=lambda name: self._agrees(tok, name))

    def _latest_subject_mention(self, tok: Token, kind: str | None) -> tuple[int, str] | None:
        """The latest actor mention that is a clause subject, of the pronoun's kind, a few sentences back."""
        sent_i = self.a.sentence_index(tok.idx)
        best = None
        for m in self.actors.mentions:
            if m.end_char > tok.idx or sent_i - self.a.sentence_index(m.start_char) > CHAIN_SENTENCES:
                continue
            head = self.a.doc[m.end - 1]
            if head.dep_ not in {"nsubj", "nsubjpass"} or _embedded(head):
                continue
            m_kind = PERSON if m.type == "person" else COLLECTIVE
            if m_kind == kind and self._agrees(tok, m.name):
                best = (m.start_char, m.name)
        return best

    # ---- with the article's statements ---------------------------------------------------
    def bind_utterances(self, utterances: list) -> None:
        """The statements found, so first person and reporting subjects resolve to their speakers."""
        self.utterances = list(utterances)

    def speaker_at(self, char: int) -> str | None:
        """The speaker of the quote or statement holding character `char`."""
        return next((u.speaker for u in self.utterances if u.start <= char < u.end and u.speaker), None)

    def chained_speaker(self, pronoun: Token) -> str | None:
        """The speaker the statement chain resolved this pronoun to ("Rejecting the plan, he stressed ...")."""
        return next(
            (
                u.speaker
                for u in self.utterances
                if u.ref is not None and u.ref.token is not None and u.ref.token.i == pronoun.i
            ),
            None,
        )

    def resolve(self, tok: Token | None) -> str | None:
        """The actor a subject, object or owner token refers to, statements considered."""
        if tok is None:
            return None
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.pos_ in {"NOUN", "PROPN"}:
            tok = tok.head.head  # "spoke with the President of X, who welcomed ...": the antecedent
        if tok.dep_ == "nsubj":  # the subject of a reporting verb is whoever the statement is attributed to
            u = next((u for u in self.utterances if u.cue is not None and u.cue.i == tok.head.i), None)
            if u is not None and u.speaker is not None:
                return u.speaker
        lower = tok.lower_
        if lower in FIRST_PERSON:
            return self.speaker_at(tok.idx)
        if lower in THIRD_PERSON:
            chained = self.chained_speaker(tok)
            if chained is not None:
                return chained
        if lower in SPEAKER_PRONOUNS and tok.dep_ in {"nsubj", "nsubjpass"}:
            own = self._reporting_subject(tok)
            if own is not None:
                return own
        return self.phrase(tok)

    def _reporting_subject(self, pronoun: Token) -> str | None:
        """ "X said it was studying the proposal": the subject pronoun of the reported clause is the speaker
        (when they agree: "it" a state or organisation, "he"/"she" a person)."""
        clause = pronoun.head
        cue = clause.head if clause.dep_ == "ccomp" else None
        if cue is None:
            return None
        u = next((u for u in self.utterances if u.cue is not None and u.cue.i == cue.i and u.speaker), None)
        info = self.actors.actors.get(u.speaker) if u is not None else None
        if info is None:
            return None
        # "X's prime minister said he ...": an unnamed office holder speaks for X, and "he" is that holder
        person = info.type == "person" or (
            u.ref is not None and u.ref.token is not None and u.ref.token.lower_ in self.person_roles
        )
        if pronoun.lower_ == "it" and person or pronoun.lower_ in GENDERED and not person:
            return None
        if not self._agrees(pronoun, u.speaker):
            return None
        return u.speaker

    def parties(self, tok: Token) -> list[str]:
        """ "The two leaders", "the delegations", "both sides": the actors they stand for.

        "the delegations of X and Y" names them; otherwise the last phrase that joined two or more actors of
        the kind ("X and Y", "between X and Y"), else the most recent distinct actors of the kind (people
        for leaders and presidents; states and organisations for delegations and sides) a few sentences back.
        """
        lower = tok.lower_
        if tok.lemma_.lower() in DOCUMENT_NOUNS:  # "a joint statement by X and Y said": each author
            authors = self.document_authors(tok)
            return authors if len(authors) >= 2 else []
        if lower in PLURAL_PRONOUNS:  # "The two leaders met ... They will meet again": the same parties
            ante = self._plural_antecedent(tok)
            if ante is None:
                return []
            joined = self._joined([ante, *ante.conjuncts], {"person", "state", "organization"})
            return joined if len(joined) >= 2 else self.parties(ante)
        people = lower in PARTY_PEOPLE
        if not (people or lower in PARTY_BODIES) or tok.tag_ not in {"NNS", "NNPS"}:
            return []
        dets = [c for c in tok.children if c.dep_ in {"det", "predet", "nummod"}]
        if not any(c.lower_ in PARTY_DETERMINERS or c.like_num for c in dets):
            return []
        kinds = {"person"} if people else {"state", "organization"}
        # "the delegations of X and Y" here, or where the article first said so
        for t in [tok, *(t for t in self.a.doc[: tok.i] if t.lemma_ == tok.lemma_)]:
            # "the delegations of X and Y" (the parser may hang "and Y" on "delegations" itself)
            named = self._joined([*(g for pobj in of_objects(t) for g in pobj.subtree), *t.conjuncts], kinds)
            if len(named) >= 2:
                return named
        sent_i = self.a.sentence_index(tok.idx)
        for t in reversed(self.a.doc[: tok.i]):
            if sent_i - self.a.sentence_index(t.idx) > CHAIN_SENTENCES:
                break
            if t.lemma_ == tok.lemma_ and not any(c.like_num for c in t.children):
                # "ASEAN foreign ministers met ... the ministers said": the body named with them before
                m = self.actors.mention_at(t.i)
                owner = m.name if m is not None else self._owner(t) or self.of_actor(t)
                if owner is not None:
                    return [owner]
        for t in reversed(self.a.doc[: tok.i]):
            if t.dep_ == "conj" or t.conjuncts == ():
                continue
            joined = self._joined([t, *t.conjuncts], kinds)
            if len(joined) >= 2 and self.a.sentence_index(tok.idx) - self.a.sentence_index(t.idx) <= PARTY_SENTENCES:
                return joined
        sent_i = self.a.sentence_index(tok.idx)
        recent: list[str] = []
        for m in reversed(self.actors.mentions):
            if m.end_char > tok.idx or sent_i - self.a.sentence_index(m.start_char) > PARTY_SENTENCES:
                continue
            if m.type in kinds and m.name not in recent:
                recent.append(m.name)
        count = next((_number(c) for c in dets if c.like_num), None) or 2
        return sorted(recent[:count], key=lambda n: self._first_seen(n)) if len(recent) >= count else []

    def document_authors(self, head: Token, depth: int = 0) -> list[str]:
        """Who a document speaks for: "X's statement", "a statement by/from X", "a joint statement issued by
        X and Y", "the communique, signed by the ministers of X and Y"; a bare "the statement" is the one
        named before it."""
        if head.lemma_.lower() not in DOCUMENT_NOUNS:
            return []
        kinds = {"person", "state", "organization", "group"}
        sources: list[Token] = [c for c in head.children if c.dep_ in {"poss", "compound"}]
        sources += [g for c in head.children if c.dep_ == "prep" and c.lower_ in {"by", "from"} for g in c.children]
        for acl in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in AUTHORING_VERBS):
            sources += [g for c in acl.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if head.dep_ == "dobj" and head.head.lemma_.lower() in AUTHORING_VERBS:
            # "X and Y issued a joint statement": its authors are who issued it
            sources += [c for c in head.head.children if c.dep_ == "nsubj"]
        toks: list[Token] = []
        for g in sources:
            toks += [g, *g.conjuncts]
            toks += [x for pobj in of_objects(g) for x in (pobj, *pobj.conjuncts)]  # "the ministers of X and Y"
        authors = [a for a in self._joined(toks, kinds) if self.is_position_holder(a)]
        if authors or depth or not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children):
            return authors
        sent_i = self.a.sentence_index(head.idx)
        for t in reversed(self.a.doc[: head.i]):  # "the statement" : the one named before
            if sent_i - self.a.sentence_index(t.idx) > PARTY_SENTENCES:
                break
            if t.lemma_ == head.lemma_ and (found := self.document_authors(t, depth + 1)):
                return found
        return []

    def _plural_antecedent(self, pronoun: Token) -> Token | None:
        """The nearest plural subject before "they" in the last few sentences (not another "they")."""
        sent_i = self.a.sentence_index(pronoun.idx)
        for t in reversed(self.a.doc[: pronoun.i]):
            if sent_i - self.a.sentence_index(t.idx) > CHAIN_SENTENCES:
                return None
            if t.dep_ in {"nsubj", "nsubjpass"} and (t.tag_ in {"NNS", "NNPS"} or t.conjuncts):
                return t if t.lower_ not in PLURAL_PRONOUNS else None
        return None

    def _joined(self, toks: list[Token], kinds: set[str]) -> list[str]:
        out: list[str] = []
        for t in toks:
            m = self.actors.mention_at(t.i)
            name = m.name if m is not None and m.type in kinds else None
            if name is None and t.pos_ in {"NOUN", "PROPN"}:
                name = self.phrase(t)
                info = self.actors.actors.get(name) if name else None
                name = name if info is not None and info.type in kinds else None
            if name and name not in out:
                out.append(name)
        return out

    def _first_seen(self, name: str) -> int:
        return next((m.start_char for m in self.actors.mentions if m.name == name), 0)

    def resolve_all(self, tok: Token | None, *, parties: bool = True) -> list[str]:
        """Each actor of a possibly conjoined phrase ("Russia and the United States"), or (`parties`) of a
        collective that stands for the parties ("the two leaders")."""
        if tok is None:
            return []
        parties = self.parties(tok) if parties else []
        if parties:
            return parties
        out: list[str] = []
        for t in [tok, *tok.conjuncts]:
            name = self.resolve(t)
            if name and name not in out:
                out.append(name)
        return out


def _number(tok: Token) -> int | None:
    """The value of a small numeral ("two", "3")."""
    words = WORDS.resolver.number_words
    text = tok.lower_
    return int(text) if text.isdigit() else (words.index(text) if text in words else None)


def _embedded(subj: Token) -> bool:
    """The subject of a reported clause ("he said [Zelenskyy wants ...]"): a topic, not a speaker."""
    return any(t.dep_ == "ccomp" for t in [subj.head, *subj.head.ancestors])


def resolver_for(actors: ActorIndex) -> Resolver:
    """The article's one resolver (made on first use, then shared by every finder)."""
    found = getattr(actors, "_resolver", None)
    if found is None:
        found = Resolver(actors.article, actors)
        actors._resolver = found
    return found
