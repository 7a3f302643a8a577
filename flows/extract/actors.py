"""Actors: find mentions (gazetteer first, spaCy NER for the rest), canonicalise, resolve.

An `ActorIndex` is built once per article; the other extractors ask it who a noun
phrase or a pronoun refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from flows.extract.document import ParsedArticle
from flows.extract.gazetteer import Gazetteer, load_gazetteer, strip_title
from flows.extract.lexicon import load_lexicon
from flows.records import Actor, ActorMention, stable_id

MAX_NGRAM = 7
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
COLLECTIVE_PRONOUNS = {"they", "them", "their", "it", "its", "we", "our"}
NER_PERSON = {"PERSON"}
NER_ORG = {"ORG"}
# words that spaCy's small model tags as PERSON/ORG but are not actors
_NOT_A_NAME = re.compile(r"^(?:[\W\d_]+|the|a|an|mr|mrs|ms|dr)$", re.IGNORECASE)


@dataclass
class Mention:
    start: int  # token index
    end: int  # token index, exclusive
    start_char: int
    end_char: int
    text: str
    name: str
    type: str
    affiliation: str | None = None
    code: str | None = None
    via: str = "ner"


@dataclass
class ActorInfo:
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    affiliation: str | None = None
    code: str | None = None
    roles: set[str] = field(default_factory=set)  # lower-cased titles seen with a person


def _clean_surface(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–—\"“”‘’'")


def _surname_close(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 2 or a[:3] != b[:3]:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 2


class ActorIndex:
    """The actors of one article and the mentions that refer to them."""

    def __init__(self, article: ParsedArticle, gazetteer: Gazetteer | None = None):
        self.article = article
        self.gaz = gazetteer or load_gazetteer()
        self.lex = load_lexicon()
        self.actors: dict[str, ActorInfo] = {}
        self.mentions: list[Mention] = []
        self._by_token: dict[int, Mention] = {}
        self._find_gazetteer_mentions()
        self._find_ner_mentions()
        self._find_group_mentions()
        self._find_surname_mentions()
        self._find_affiliations()
        self.mentions.sort(key=lambda m: m.start)

    # ---- building -------------------------------------------------------------------
    def _add(self, m: Mention) -> Mention | None:
        if any(i in self._by_token for i in range(m.start, m.end)):
            return None
        for i in range(m.start, m.end):
            self._by_token[i] = m
        self.mentions.append(m)
        info = self.actors.get(m.name)
        if info is None:
            info = self.actors[m.name] = ActorInfo(m.name, m.type, affiliation=m.affiliation, code=m.code)
        surface = _clean_surface(m.text)
        if surface and surface.lower() != m.name.lower():
            info.aliases.add(surface)
        return m

    def _find_gazetteer_mentions(self) -> None:
        doc = self.article.doc
        i = 0
        while i < len(doc):
            hit = None
            for n in range(min(MAX_NGRAM, len(doc) - i), 0, -1):
                span = doc[i : i + n]
                if not any(t.is_alpha for t in span):
                    continue
                entry = self.gaz.lookup(span.text)
                if entry is not None:
                    hit = (span, entry)
                    break
            if hit is None:
                i += 1
                continue
            span, entry = hit
            # "Ukraine's" -> keep the possessive outside the mention
            self._add(Mention(span.start, span.end, span.start_char, span.end_char, span.text,
                              entry.name, entry.type, entry.affiliation, entry.code, entry.via))
            i = span.end

    def _person_name(self, span: Span) -> str | None:
        tokens = [t for t in span if not (t.is_punct or t.tag_ == "POS" or t.lower_ in {"'s", "’s"})]
        while tokens and tokens[0].lower_ in {"the", "a", "an"}:
            tokens = tokens[1:]
        if not tokens:
            return None
        name = strip_title(span.doc[tokens[0].i : tokens[-1].i + 1].text)
        name = _clean_surface(name)
        if not name or _NOT_A_NAME.match(name) or not name[0].isupper():
            return None
        if self.gaz.lookup(name) is not None:
            return None
        return name

    def _canonical_person(self, name: str) -> str:
        """Merge spelling variants and surname-only forms into one person."""
        parts = name.split()
        for known, info in self.actors.items():
            if info.type != "person":
                continue
            kparts = known.split()
            if not _surname_close(parts[-1], kparts[-1]):
                continue
            if len(parts) == 1 or len(kparts) == 1 or parts[0].lower() == kparts[0].lower():
                if len(parts) > len(kparts):  # a fuller form arrives later: rename
                    self._rename(known, name)
                    return name
                return known
        return name

    def _rename(self, old: str, new: str) -> None:
        info = self.actors.pop(old)
        info.aliases.add(old)
        info.name = new
        self.actors[new] = info
        for m in self.mentions:
            if m.name == old:
                m.name = new

    def _find_ner_mentions(self) -> None:
        for ent in self.article.doc.ents:
            if ent.label_ in NER_PERSON:
                name = self._person_name(ent)
                if name:
                    canon = self._canonical_person(name)
                    start, end = self._trim_possessive(ent)
                    self._add(Mention(start, end, ent.doc[start].idx, ent.doc[end - 1].idx + len(ent.doc[end - 1]),
                                      ent.doc[start:end].text, canon, "person", via="ner"))
            elif ent.label_ in NER_ORG:
                start, end = self._trim_possessive(ent)
                span = ent.doc[start:end]
                name = _clean_surface(re.sub(r"^(?:the|a|an)\s+", "", span.text, flags=re.IGNORECASE))
                if len(name) < 2 or _NOT_A_NAME.match(name) or not name[0].isupper():
                    continue
                # an organisation named after a state ("Russian Foreign Ministry") stays an organisation
                self._add(Mention(start, end, span.start_char, span.end_char, span.text, name,
                                  "organization", via="ner"))

    @staticmethod
    def _trim_possessive(ent: Span) -> tuple[int, int]:
        start, end = ent.start, ent.end
        while end > start + 1 and (ent.doc[end - 1].tag_ == "POS" or ent.doc[end - 1].is_punct):
            end -= 1
        while start < end - 1 and ent.doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        return start, end

    def _find_group_mentions(self) -> None:
        """Unnamed collectives: a demonym or state name before a group noun ("Ukrainian officials")."""
        doc = self.article.doc
        for tok in doc:
            if tok.lower_ not in self.gaz.group_nouns or tok.tag_ not in {"NNS", "NNPS"}:
                continue
            mods = [c for c in tok.lefts if c.dep_ in {"amod", "compound", "nmod"} and c.i == tok.i - 1]
            if not mods:
                # "senior Hungarian officials": allow one adjective in between
                mods = [c for c in tok.lefts if c.dep_ in {"amod", "compound", "nmod"} and c.i == tok.i - 2]
            if not mods:
                continue
            mod = mods[0]
            m_prev = self._by_token.get(mod.i)
            state = None
            if m_prev is not None and m_prev.type in {"state", "organization"}:
                state = m_prev.name
            elif self.gaz.demonym_state(mod.text):
                state = self.gaz.demonym_state(mod.text)
            elif mod.ent_type_ in {"NORP"} or mod.text in {"Western", "European", "Arab", "African"}:
                state = None
            else:
                continue
            start = m_prev.start if m_prev is not None else mod.i
            name = f"{doc[start:tok.i].text} {tok.text}"
            name = name[0].upper() + name[1:]
            if m_prev is not None:  # the group replaces the demonym mention
                self._unlink(m_prev)
            self._add(Mention(start, tok.i + 1, doc[start].idx, tok.idx + len(tok), doc[start : tok.i + 1].text,
                              name, "group", affiliation=state, via="group"))

    def _unlink(self, m: Mention) -> None:
        for i in range(m.start, m.end):
            self._by_token.pop(i, None)
        self.mentions.remove(m)
        if not any(x.name == m.name for x in self.mentions):
            self.actors.pop(m.name, None)

    def _find_surname_mentions(self) -> None:
        """Proper nouns spaCy missed that repeat a known person's surname ("Zelenskyy" tagged GPE)."""
        persons = [n for n, a in self.actors.items() if a.type == "person"]
        if not persons:
            return
        for tok in self.article.doc:
            if tok.i in self._by_token or tok.pos_ != "PROPN" or not tok.is_title:
                continue
            for p in persons:
                if _surname_close(tok.text, p.split()[-1]):
                    self._add(Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok), tok.text, p, "person",
                                      via="surname"))
                    break

    def _find_affiliations(self) -> None:
        """A person's state or organisation from the words just before the name or an apposition.

        "Russia's foreign minister Sergei Lavrov", "U.S. Secretary of State Antony Blinken",
        "British Foreign Minister David Cameron", "Andriy Yermak, Zelenskyy's chief of staff".
        """
        doc = self.article.doc
        for m in list(self.mentions):
            if m.type != "person":
                continue
            info = self.actors[m.name]
            window = doc[max(0, m.start - 6) : m.start]
            titles = [t.lower_ for t in window if t.lower_ in self.gaz.titles or t.lower_ in self.gaz.person_roles]
            info.roles.update(titles)
            for t in reversed(window):
                if t.i in self._by_token:
                    other = self._by_token[t.i]
                    if other.type in {"state", "organization"} and info.affiliation is None:
                        info.affiliation = other.name
                    break
                ds = self.gaz.demonym_state(t.text)
                if ds and info.affiliation is None:
                    info.affiliation = ds
                    break
            # apposition after the name: "Yermak, Zelenskyy's chief of staff"
            head = doc[m.end - 1]
            for child in head.children:
                if child.dep_ != "appos":
                    continue
                info.roles.update(t.lower_ for t in child.subtree if t.lower_ in self.gaz.person_roles)
                for t in child.subtree:
                    other = self._by_token.get(t.i)
                    if other is None or other is m:
                        continue
                    if other.type in {"state", "organization"}:
                        info.affiliation = info.affiliation or other.name
                    elif other.type == "person":
                        other_aff = self.actors[other.name].affiliation
                        info.affiliation = info.affiliation or other_aff
                    break

    # ---- queries --------------------------------------------------------------------
    def mention_at(self, token_i: int) -> Mention | None:
        return self._by_token.get(token_i)

    def resolve_phrase(self, head: Token) -> str | None:
        """Canonical actor a noun phrase headed by `head` refers to, or None."""
        m = self._by_token.get(head.i)
        if m is not None:
            return m.name
        if head.lower_ in PERSON_PRONOUNS | COLLECTIVE_PRONOUNS:
            return self.resolve_pronoun(head)
        sub = list(head.subtree)
        lower = head.lower_
        if lower in self.gaz.person_roles or lower in self.gaz.group_nouns or lower in {"ministry", "government",
                                                                                          "office", "administration"}:
            # "the Kremlin spokesman", "a North Korean foreign ministry spokesman", "the ministry"
            for t in sub:
                if t.i < head.i and t.i in self._by_token and self._by_token[t.i].type in {"state", "organization"}:
                    return self._by_token[t.i].name
                ds = self.gaz.demonym_state(t.text) if t.i < head.i else None
                if ds:
                    return ds
            if any(t.lower_ in {"the", "this", "that"} for t in head.lefts):
                return self.resolve_role(head)
        return None

    def _preceding(self, before_char: int) -> list[Mention]:
        return [m for m in self.mentions if m.end_char <= before_char]

    def resolve_pronoun(self, tok: Token) -> str | None:
        """Most recent compatible actor before the pronoun (a salience-based coreference pass)."""
        lower = tok.lower_
        prev = self._preceding(tok.idx)
        if lower in PERSON_PRONOUNS:
            cands = [m for m in prev if m.type == "person"]
        elif lower in {"it", "its"}:
            cands = [m for m in prev if m.type in {"state", "organization"}]
        elif lower in {"we", "our"}:
            return None  # the speaker: resolved by the quote attribution, not here
        else:
            cands = [m for m in prev if m.type in {"group", "state", "organization"}]
        if not cands:
            return None
        # prefer the latest subject in the last three sentences
        sent_i = self.article.sentence_index(tok.idx)
        recent = [m for m in cands if sent_i - self.article.sentence_index(m.start_char) <= 3]
        subjects = [m for m in recent if self.article.doc[m.end - 1].dep_ in {"nsubj", "nsubjpass"}]
        pick = (subjects or recent or cands)[-1]
        return pick.name

    def resolve_role(self, head: Token) -> str | None:
        """"the president", "the spokesman": the latest person seen with that role, else None."""
        lower = head.lower_
        prev = self._preceding(head.idx)
        for m in reversed(prev):
            if m.type == "person" and lower in self.actors[m.name].roles:
                return m.name
        if lower in {"official", "spokesman", "spokeswoman", "spokesperson", "ministry", "government"}:
            for m in reversed(prev):
                if m.type in {"state", "organization"} and self.article.doc[m.end - 1].dep_ in {"nsubj", "poss"}:
                    return m.name
        return None

    # ---- output ---------------------------------------------------------------------
    def is_agentive(self, m: Mention) -> bool:
        """False for places that only locate something ("a summit in Bishkek")."""
        if m.type in {"person", "group"}:
            return True
        head = self.article.doc[m.end - 1]
        if head.dep_ == "pobj":
            prep = head.head.lower_
            if prep in self.lex.words("static_locative_preps"):
                return False
            if m.via == "capital" and prep in self.lex.words("locative_preps"):
                return False
        return not (m.via == "capital" and head.dep_ in {"compound", "appos", "conj"})

    def to_records(self, article_id: str, involved: set[str]) -> tuple[list[Actor], list[ActorMention]]:
        """Actors with at least one agentive mention or a part in an extracted record."""
        keep = {m.name for m in self.mentions if self.is_agentive(m)} | (involved & set(self.actors))
        actors, mentions = [], []
        for name in sorted(keep):
            info = self.actors[name]
            aliases = sorted(a for a in info.aliases if a.lower() != name.lower())
            actors.append(Actor(article_id, name, info.type, aliases, info.affiliation, info.code))
        for m in self.mentions:
            if m.name not in keep:
                continue
            ev = self.article.evidence(m.start_char, m.end_char)
            mention_id = stable_id(article_id, "mention", m.start_char, m.end_char)
            mentions.append(ActorMention(article_id, mention_id, m.name, self.actors[m.name].type, m.text,
                                         m.start_char, m.end_char, ev.evidence_text, ev.evidence_start,
                                         ev.evidence_end))
        return actors, mentions
