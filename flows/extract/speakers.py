"""Who is speaking: the subject of a cue verb resolved to an actor, pronouns through the speaker chain.

Noun phrases go to the ActorIndex first; a role or collective noun followed by "of X"
("the representative of Greece", "members of the Security Council", "the head of the EU
delegation") is X. Pronoun speakers ("he said", "they warned") are resolved after all
utterances are known, in document order: a pronoun takes the most recent compatible
speaker or subject mention in the last few sentences, so "He added ..." after "Iran's
representative said ..." is Iran, not the last person named somewhere in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from flows.extract.actors import COLLECTIVE_PRONOUNS, PERSON_PRONOUNS, ActorIndex
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
# bodies of an organisation named before them ("the al-Qaeda network", "the Umma party")
ORG_BODIES = WORDS.resolver.org_bodies
_OF_HEADS = WORDS.resolver.of_heads


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


class SpeakerResolver:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        self.person_roles = {r for r in actors.gaz.person_roles if " " not in r}
        self.group_nouns = {g for g in actors.gaz.group_nouns if " " not in g}
        self.gender = self._genders()

    def of_subject(self, subj: Token | None) -> SpeakerRef:
        """The speaker a subject token names (pronouns stay pending until `chain`)."""
        if subj is None:
            return SpeakerRef(None, None, None, None)
        if subj.lower_ in RELATIVE_PRONOUNS and subj.head.dep_ == "relcl" and subj.head.head.pos_ in {"NOUN", "PROPN"}:
            subj = subj.head.head  # "Trump, who tweeted that ...": the relative clause's antecedent
        if subj.pos_ == "PRON" or subj.lower_ in PERSON_PRONOUNS | COLLECTIVE_PRONOUNS:
            return SpeakerRef(None, subj.text, self._pronoun_kind(subj), subj)
        name = self.phrase(subj)
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
        if head.lower_ in self.person_roles and self.actors.mention_at(head.i) is None:
            person = self._named_in(head)
            if person is not None:
                return person
        if head.lower_ in _OF_HEADS or head.lower_ in self.person_roles or head.lower_ in self.group_nouns:
            of = self._of_actor(head)
            if of is not None:
                return of
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
        return self._body_of(head) or self._partial_name(head) or self._definite_body(head)

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

    def _body_of(self, head: Token) -> str | None:
        """A body named by its owner's modifier: "the Azerbaijani parliament" -> Azerbaijan."""
        lower = head.lower_
        if head.pos_ != "NOUN" or lower not in STATE_BODIES | ORG_BODIES:
            return None
        for t in head.subtree:
            if t.i >= head.i:
                break
            m = self.actors.mention_at(t.i)
            if m is not None and (m.type == "organization" or (m.type == "state" and lower in STATE_BODIES)):
                return m.name
        return None

    def _of_actor(self, head: Token) -> str | None:
        """ "the representative of Greece", "members of the Security Council": the actor after 'of'."""
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"of", "for", "from"}):
            for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                name = self.phrase(pobj)
                if name is not None:
                    return name
        return None

    def is_position_holder(self, name: str) -> bool:
        """False for news media relaying others' words ("..., the agency reported")."""
        entry = self.actors.gaz.entry(name)
        return entry is None or entry.kind != "media"

    def _named_in(self, head: Token) -> str | None:
        """A person named inside the role phrase: "China's envoy Wang Guangya", "the minister, Ri"."""
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


def _embedded(subj: Token) -> bool:
    """The subject of a reported clause ("he said [Zelenskyy wants ...]"): a topic, not a speaker."""
    return any(t.dep_ == "ccomp" for t in [subj.head, *subj.head.ancestors])
