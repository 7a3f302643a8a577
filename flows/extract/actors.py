"""Actors: find mentions (gazetteer first, spaCy NER for the rest), canonicalise, resolve.

An `ActorIndex` is built once per article; the other extractors ask it who a noun
phrase, a pronoun or a role noun ("the president", "the ministry") refers to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from flows.extract.document import ParsedArticle
from flows.extract.gazetteer import TITLE_FILLERS, Gazetteer, load_gazetteer
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.mentions import GAZETTEER_SPANS, gazetteer_matches
from flows.extract.names import (
    GENERIC_ORG_HEADS,
    TRANSCRIPT_LABELS,
    acronym_fits,
    dateline_ranges,
    drop_middle_initials,
    has_org_word,
    headline_ranges,
    in_ranges,
    initials_match,
    is_acronym,
    names_non_actor,
)
from flows.records import Actor, ActorMention, stable_id

WORDS = load_words()
OF_PREPS = WORDS.resolver.of_preps

PERSON_PRONOUNS = WORDS.pronouns.person
COLLECTIVE_PRONOUNS = WORDS.pronouns.collective
GROUP_DEPS = {"nsubj", "dobj", "poss", "agent"}
AGENT_PREPS = WORDS.actors.agent_preps
ROLE_WINDOW_SENTENCES = 6
# words that spaCy's small model tags as PERSON/ORG but are not actors
_NOT_A_NAME = re.compile(r"^(?:[\W\d_]+|the|a|an|mr|mrs|ms|dr)$", re.IGNORECASE)
_DETERMINERS = WORDS.pronouns.articles
# supranational adjectives that make "<adj> leaders" a group without a single state
_REGIONAL = WORDS.actors.regional_adjectives
# role nouns that stand for whoever last spoke in an official capacity ("the official said")
_GENERIC_ROLES = WORDS.actors.generic_roles
_COMPASS = WORDS.actors.compass_words
# group nouns too vague to name a collective on their own ("members said", "speakers stressed")
_VAGUE_GROUPS = WORDS.actors.vague_groups
# quantifiers that leave a speaking group its name ("many speakers said" -> Speakers)
_GROUP_QUANTIFIERS = WORDS.actors.group_quantifiers
_PLACE_NOUNS = WORDS.actors.place_nouns
_PREMODIFIERS = WORDS.actors.role_premodifiers
_TOP_ROLES = WORDS.actors.top_roles
_RUN_LINKS = WORDS.actors.run_links
# a transcript turn's label "MR. TORRES:" / "MS. REYES:"
_LABEL = re.compile(r"^\s*([A-Za-z]+)\.?\s+((?:[A-Z][A-Z'’-]+\s+){0,2}([A-Z][A-Z'’-]+))\s*[:(]", re.MULTILINE)
_HONORIFICS = set(WORDS.pronouns.honorific_gender)
# bodies named after the person who leads them ("the Trump administration", "the Netanyahu government")
_LED_BODIES = WORDS.actors.led_bodies
# what an armed group's members are called: "<group> rebels" acts as the group
_MEMBER_NOUNS = WORDS.actors.member_nouns
# bodies only a state has: "the government" is no armed group's
_STATE_ONLY_BODIES = WORDS.actors.state_only_bodies
_BODY_NOUNS = WORDS.actors.body_nouns


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


@dataclass
class RoleRef:
    """An unnamed role phrase resolved to an actor ("a North Korean foreign ministry spokesman")."""

    char: int
    role: str
    name: str


def _clean_surface(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    return re.sub(r"\s+", " ", text).strip(" ,;:.-–—\"“”‘’'()")


def _has_letter(tok: Token) -> bool:
    return any(c.isalpha() for c in tok.text)


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


def of_objects(head: Token) -> list[Token]:
    """The objects of "of/for/from" after `head` ("members [of] the Council", "the envoy [for] Syria"):
    the one definition of the actor a role, body or collective stands for."""
    return [
        g for c in head.children if c.dep_ == "prep" and c.lower_ in OF_PREPS for g in c.children if g.dep_ == "pobj"
    ]


def np_head(tok: Token) -> Token:
    """The first conjunct / the noun an apposition hangs on ("France" in "the UK, France" -> "UK")."""
    for _ in range(6):
        if tok.dep_ in {"conj", "appos"} and tok.head is not tok and tok.head.pos_ in {"PROPN", "NOUN"}:
            tok = tok.head
        else:
            break
    return tok


class ActorIndex:
    """The actors of one article and the mentions that refer to them."""

    def __init__(self, article: ParsedArticle, gazetteer: Gazetteer | None = None):
        self.article = article
        self.gaz = gazetteer or load_gazetteer()
        self.lex = load_lexicon()
        self.actors: dict[str, ActorInfo] = {}
        self.mentions: list[Mention] = []
        self.role_refs: list[RoleRef] = []
        self._by_token: dict[int, Mention] = {}
        self._headlines = headline_ranges(article.text)
        self.datelines = dateline_ranges(article.text, is_org=self._names_organization)
        self._title_words = {w for t in self.gaz.titles | self.gaz.person_roles for w in t.lower().split()}
        self._title_words |= {"undersecretary", "under-secretary", "deputy", "assistant"}
        self._single_titles = {t.lower() for t in self.gaz.titles if " " not in t} | {"undersecretary"}
        self._find_gazetteer_mentions()
        self._find_acronyms()
        self._find_ner_mentions()
        self._find_titled_names()
        self._find_appositive_names()
        self._find_label_names()
        self._find_group_mentions()
        self._find_bare_groups()
        self._find_surname_mentions()
        self.mentions.sort(key=lambda m: m.start)
        self._find_affiliations()
        self._prune_stray_names()
        self._find_role_refs()

    def _names_organization(self, text: str) -> bool:
        entry = self.gaz.lookup(text) or self.gaz.lookup(text.title())
        return entry is not None and entry.type == "organization"

    # ---- building -------------------------------------------------------------------
    def _add(self, m: Mention) -> Mention | None:
        if any(i in self._by_token for i in range(m.start, m.end)) or in_ranges(m.start_char, self.datelines):
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

    def _mention(
        self,
        start: int,
        end: int,
        name: str,
        type_: str,
        via: str,
        affiliation: str | None = None,
        code: str | None = None,
    ) -> Mention | None:
        doc = self.article.doc
        span = doc[start:end]
        return self._add(
            Mention(start, end, span.start_char, span.end_char, span.text, name, type_, affiliation, code, via)
        )

    def _find_gazetteer_mentions(self) -> None:
        """Mentions of gazetteer actors: the `parley_mentions` component's PhraseMatcher spans."""
        doc = self.article.doc
        spans = doc.spans[GAZETTEER_SPANS] if GAZETTEER_SPANS in doc.spans else gazetteer_matches(doc)
        for span in spans:
            entry = self.gaz.lookup(span.text)
            if entry is None:
                continue
            if span.start > 0 and doc[span.start - 1].text in _COMPASS:  # "Northern Irish": a region
                continue
            plural = span[-1].tag_ in {"NNS", "NNPS"} and span.text.endswith("s")
            if entry.via == "demonym" and plural and not (span.start > 0 and doc[span.start - 1].lower_ == "the"):
                # "Palestinians", "Israelis": people of a state, not the state ("the Russians" is Russia)
                self._mention(
                    span.start, span.end, _clean_surface(span.text), "group", "demonym_group", affiliation=entry.name
                )
            else:
                self._mention(span.start, span.end, entry.name, entry.type, entry.via, entry.affiliation, entry.code)

    def _find_acronyms(self) -> None:
        """ "International Longshore and Warehouse Union (ILWU)": the long form, and the acronym everywhere."""
        doc = self.article.doc
        found: dict[str, str] = {}
        for tok in doc:
            if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
                continue
            acr = doc[tok.i + 1].text
            for n in range(2, 9):
                start = tok.i - n
                if start < 0:
                    break
                span = doc[start : tok.i]
                if not span[0].is_title or not initials_match(acr, span.text):
                    continue
                if names_non_actor(span.text):
                    break
                known = self._by_token.get(span[-1].i)
                name = known.name if known is not None and known.type != "group" else _clean_surface(span.text)
                if known is None and self._mention(span.start, span.end, name, "organization", "ner") is None:
                    break  # overlaps another mention: leave it to NER
                found[acr] = name
                break
        for tok in doc:
            if tok.text in found and tok.i not in self._by_token:
                name = found[tok.text]
                self._mention(tok.i, tok.i + 1, name, self.actors[name].type, "acronym")

    def _person_name(self, span: Span) -> str | None:
        tokens = [t for t in span if not (t.is_punct or t.tag_ == "POS" or t.lower_ in {"'s", "’s"})]
        while tokens and tokens[0].lower_ in _DETERMINERS:
            tokens = tokens[1:]
        if not tokens:
            return None
        name = _clean_surface(self.gaz.strip_title(span.doc[tokens[0].i : tokens[-1].i + 1].text))
        if not name or _NOT_A_NAME.match(name) or not name[0].isupper() or any(c.isdigit() for c in name):
            return None
        if name.lower() in TRANSCRIPT_LABELS:
            return None
        if name.isupper() and len(name) > 3:  # "MR MILLER:" in a transcript
            name = name.title()
        if name.split()[0].lower() in self._single_titles or self.gaz.lookup(name) is not None:
            return None
        return name

    def _canonical_person(self, name: str) -> str:
        """Merge spelling variants and surname-only forms into one person."""
        parts = name.split()
        for known, info in list(self.actors.items()):
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
        doc = self.article.doc
        ents = [e for e in doc.ents if e.label_ in {"PERSON", "ORG"} and not in_ranges(e.start_char, self._headlines)]
        org_texts = [e.text for e in ents if e.label_ == "ORG"]
        for ent in sorted(ents, key=lambda e: (e.label_ != "PERSON", e.start)):
            start, end = self._trim(ent)
            if start >= end or self._indefinite(doc[start:end]):
                continue
            if ent.label_ == "PERSON" and not has_org_word(ent.text):
                if not any(ent.text in t and ent.text != t for t in org_texts):
                    self._add_person(start, end)
            else:
                self._add_org(start, end)

    def _trim(self, ent: Span) -> tuple[int, int]:
        doc = ent.doc
        start, end = ent.start, ent.end
        while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct or doc[start].is_space):
            start += 1
        return start, end

    @staticmethod
    def _indefinite(span: Span) -> bool:
        """ "a no-deal Brexit", "an Office": a common noun, not a name."""
        return any(c.lower_ in {"a", "an"} and c.dep_ == "det" for t in span for c in t.children)

    def _add_person(self, start: int, end: int) -> Mention | None:
        span = self.article.doc[start:end]
        name = self._person_name(span)
        if not name:
            return None
        canon = self._canonical_person(drop_middle_initials(name))
        m = self._mention(start, end, canon, "person", "ner")
        if m is not None and name != canon:
            self.actors[canon].aliases.add(name)
        return m

    def _add_org(self, start: int, end: int) -> Mention | None:
        doc = self.article.doc
        span = doc[start:end]
        name = _clean_surface(span.text)
        words = name.split()
        if len(name) < 2 or _NOT_A_NAME.match(name) or not name[0].isupper() or not words:
            return None
        if words[0].lower() in self._single_titles or self._after_title_of(start):
            return None  # "Secretary of State", "Director of Operations": part of a title
        if names_non_actor(name) or self._starts_with_group_noun(name):
            return None  # "Plan of Action", "Heads of State and Government"
        if len(words) == 1 and words[0].lower() in GENERIC_ORG_HEADS:
            known = self._known_org_with(words[0], span.start_char)
            return self._mention(start, end, known, "organization", "short") if known else None
        if is_acronym(name):  # "DUP" after "the Northern Irish Democratic Union Party"
            known = next(
                (n for n, a in self.actors.items() if a.type == "organization" and acronym_fits(name, n)), None
            )
            if known is not None:
                return self._mention(start, end, known, "organization", "acronym")
        person = self._person_by_surname(words[-1])
        if person is not None:
            return self._mention(start, end, person, "person", "surname")
        titled = (start > 0 and doc[start - 1].lower_ in self._single_titles) or (
            span[-1].dep_ == "appos" and span[-1].head.lower_ in self.gaz.person_roles
        )
        if titled and not has_org_word(name) and all(t.pos_ == "PROPN" for t in span) and 2 <= len(words) <= 4:
            return self._add_person(start, end)  # "Personal Envoy Ramtane Lamamra" read as ORG
        return self._mention(start, end, name, "organization", "ner")

    def _starts_with_group_noun(self, name: str) -> bool:
        lower = name.lower()
        return any(lower == g or lower.startswith(g + " ") for g in self.gaz.group_nouns)

    def _after_title_of(self, start: int) -> bool:
        doc = self.article.doc
        return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in self._title_words

    def _known_org_with(self, word: str, before_char: int) -> str | None:
        """The latest organisation already mentioned whose name has `word` ("Council" -> UN Security Council)."""
        w = word.lower()
        for m in sorted(self.mentions, key=lambda x: x.start_char, reverse=True):
            if m.type != "organization" or m.start_char >= before_char:
                continue
            forms = {m.name, *self.actors[m.name].aliases}
            if any(w in f.lower().split() for f in forms):
                return m.name
        return None

    def _person_by_surname(self, word: str) -> str | None:
        for name, info in self.actors.items():
            if info.type == "person" and _surname_close(word, name.split()[-1]):
                return name
        return None

    def _find_titled_names(self) -> None:
        """Names NER missed after a title: "UN High Commissioner for Human Rights Volker Türk"."""
        run: list[Token] = []
        for tok in [*self.article.doc, None]:
            if (
                tok is not None
                and not tok.is_space
                and (tok.is_title or tok.pos_ == "PROPN" or tok.lower_ in _RUN_LINKS)
            ):
                run.append(tok)
                continue
            while run and not run[-1].is_title:
                run.pop()
            if len(run) >= 3 and not in_ranges(run[0].idx, self._headlines):
                self._titled_run(run)
            run = []

    def _titled_run(self, run: list[Token]) -> None:
        doc = self.article.doc
        text = doc[run[0].i : run[-1].i + 1].text
        rest = self.gaz.strip_title(text)
        words = rest.split()
        if rest == text.strip() or not 2 <= len(words) <= 4 or has_org_word(rest) or self.gaz.lookup(rest):
            return
        tail = run[-len(words) :]
        if " ".join(t.text for t in tail) != rest or any(t.pos_ != "PROPN" or t.i in self._by_token for t in tail):
            return
        self._add_person(tail[0].i, tail[-1].i + 1)

    def _find_label_names(self) -> None:
        """A transcript label "MR. TORRES:" names a person the text spells out elsewhere ("Miguel Torres,
        Spokesperson") even when NER missed it: the first "Given Surname" of that surname."""
        doc = self.article.doc
        tried: set[str] = set()
        for m in _LABEL.finditer(self.article.text):
            if m.group(1).lower() not in _HONORIFICS:
                continue
            surname = m.group(3).title()
            if surname in tried or self._person_by_surname(surname) is not None:
                continue
            tried.add(surname)
            if " " in m.group(2).strip():  # "Mr JOHN HARLOW (Canberra):": the label spells the name out
                span = doc.char_span(m.start(2), m.end(2), alignment_mode="contract")
                if span is not None and not any(t.i in self._by_token for t in span):
                    self._add_person(span.start, span.end)
                continue
            for tok in doc:
                prev = doc[tok.i - 1] if tok.i > 0 else None
                if (
                    tok.text == surname
                    and prev is not None
                    and prev.is_title
                    and prev.is_alpha
                    and prev.lower_ not in _HONORIFICS
                    and not self.gaz.lookup(prev.text)
                    and tok.i not in self._by_token
                    and prev.i not in self._by_token
                ):
                    self._add_person(prev.i, tok.i + 1)
                    break

    def _find_appositive_names(self) -> None:
        """Names NER missed beside a role apposition: "Kenzo Oshima, the UN Emergency Relief Coordinator,",
        "Chile's foreign minister, Ana Soto,"."""
        for tok in self.article.doc:
            if tok.pos_ != "PROPN" or not tok.is_title or tok.i in self._by_token:
                continue
            role_after = any(c.dep_ == "appos" and c.lower_ in self.gaz.person_roles for c in tok.children)
            role_before = tok.dep_ == "appos" and tok.head.lower_ in self.gaz.person_roles and tok.head.i < tok.i
            if not (role_after or role_before):
                continue
            start = tok.i
            while (
                start > 0
                and tok.doc[start - 1].dep_ == "compound"
                and tok.doc[start - 1].head.i == tok.i
                and tok.doc[start - 1].pos_ == "PROPN"
                and tok.doc[start - 1].is_title
            ):
                start -= 1
            if (
                2 <= tok.i + 1 - start <= 4
                and not in_ranges(tok.idx, self._headlines)
                and not any(i in self._by_token for i in range(start, tok.i + 1))
                and not has_org_word(tok.doc[start : tok.i + 1].text)
            ):
                self._add_person(start, tok.i + 1)

    def _find_bare_groups(self) -> None:
        """A plural group noun speaking on its own ("diplomats say", "the rebels said")."""
        speech = self.lex.speech_verbs
        for tok in self.article.doc:
            if tok.i in self._by_token or tok.lower_ not in self.gaz.group_nouns or tok.tag_ not in {"NNS", "NNPS"}:
                continue
            if tok.dep_ != "nsubj" or tok.head.lemma_.lower() not in speech or tok.lower_ in _VAGUE_GROUPS:
                continue
            if any(c.dep_ not in {"det", "punct"} and c.lower_ not in _GROUP_QUANTIFIERS for c in tok.lefts) or any(
                c.dep_ == "det" and c.lower_ not in _GROUP_QUANTIFIERS | {"the"} for c in tok.lefts
            ):
                continue
            self._mention(tok.i, tok.i + 1, tok.text[0].upper() + tok.text[1:], "group", "group")

    def _find_group_mentions(self) -> None:
        """Unnamed collectives: a demonym, state or organisation before a group noun ("Ukrainian officials")."""
        doc = self.article.doc
        for tok in doc:
            if self._people_of_state(tok):  # "Bosnian Serbs", "Iraqi Kurds": a people, not the state
                for i in (tok.i - 1, tok.i):
                    if i in self._by_token:
                        self._unlink(self._by_token[i])
                self._mention(tok.i - 1, tok.i + 1, f"{doc[tok.i - 1].text} {tok.text}", "group", "group")
                continue
            if tok.i in self._by_token:
                continue
            if (
                tok.lower_ == "west"
                and tok.text == "West"
                and tok.i > 0
                and doc[tok.i - 1].lower_ == "the"
                and tok.dep_ != "compound"
            ):
                self._mention(tok.i - 1, tok.i + 1, "Western countries", "group", "group")
                continue
            if tok.lower_ not in self.gaz.group_nouns or tok.tag_ not in {"NNS", "NNPS"}:
                continue
            found = self._group_modifier(tok)
            if found is None:
                continue
            state, start, m_prev = found
            if m_prev is not None and tok.lower_ in _MEMBER_NOUNS and self._is_armed_group(m_prev.name):
                self._unlink(m_prev)  # "ELN rebels", "Houthi fighters": the armed group itself
                self._mention(m_prev.start, tok.i + 1, m_prev.name, "organization", m_prev.via, code=m_prev.code)
                continue
            if (
                start >= 2
                and doc[start - 1].lower_ == "and"
                and (self.gaz.demonym_state(doc[start - 2].text) or start - 2 in self._by_token)
            ):
                # "British and European Union officials": one group of both
                first = self._by_token.get(start - 2)
                start, state = (first.start if first is not None else start - 2), None
                if first is not None:
                    self._unlink(first)
            name = f"{doc[start : tok.i].text} {tok.text}"
            name = name[0].upper() + name[1:]
            if m_prev is not None:  # the group replaces the state mention inside it
                self._unlink(m_prev)
            self._mention(start, tok.i + 1, name, "group", "group", affiliation=state)

    def _is_armed_group(self, name: str) -> bool:
        entry = self.gaz.entry(name)
        return entry is not None and entry.kind == "armed_group"

    def _people_of_state(self, tok: Token) -> bool:
        """A capitalised plural people noun after a state's demonym ("Bosnian Serbs", "Turkish Cypriots")."""
        if tok.tag_ != "NNPS" or not tok.is_title or tok.i == 0 or tok.lower_ in self.gaz.group_nouns:
            return False
        prev = tok.doc[tok.i - 1]
        if prev.dep_ not in {"amod", "compound"} or prev.head.i != tok.i or not self.gaz.demonym_state(prev.text):
            return False
        own = [self._by_token.get(i) for i in (prev.i, tok.i)]
        return all(m is None or (m.end - m.start == 1 and m.type in {"state", "group"}) for m in own)

    def _group_modifier(self, tok: Token) -> tuple[str | None, int, Mention | None] | None:
        """(affiliation, start token, state mention) of the word before a group noun, if it names a body.

        "Ukrainian officials", "senior Hungarian officials", "European Union officials", "world leaders".
        """
        doc = self.article.doc
        for j in (tok.i - 1, tok.i - 2):
            if j < 0:
                return None
            t = doc[j]
            m_prev = self._by_token.get(j)
            if m_prev is not None and m_prev.type in {"state", "organization"} and m_prev.end == j + 1:
                return m_prev.name, m_prev.start, m_prev
            if self.gaz.demonym_state(t.text):
                return self.gaz.demonym_state(t.text), j, m_prev
            if t.lower_ in _REGIONAL and (t.is_title or t.lower_ == "world"):
                return None, j, None
            if not (t.is_lower and t.dep_ in {"amod", "compound"}):  # one adjective may stand between
                return None
        return None

    def _unlink(self, m: Mention) -> None:
        for i in range(m.start, m.end):
            self._by_token.pop(i, None)
        self.mentions.remove(m)
        if not any(x.name == m.name for x in self.mentions):
            self.actors.pop(m.name, None)

    def _find_surname_mentions(self) -> None:
        """Proper nouns spaCy missed that repeat a known person's surname ("Zelenskyy" tagged GPE)."""
        for tok in self.article.doc:
            if tok.i in self._by_token or tok.pos_ != "PROPN" or not tok.is_title:
                continue
            if self._indefinite(tok.doc[tok.i : tok.i + 1]):  # "a no-deal Brexit"
                continue
            person = self._person_by_surname(tok.text)
            if person is not None:
                self._mention(tok.i, tok.i + 1, person, "person", "surname")

    def _prune_stray_names(self) -> None:
        """Drop one-word "persons" never used as one ("the Zaporizhzhia plant", "the term Brexit")."""
        for name, info in list(self.actors.items()):
            if info.type != "person" or " " in name or info.roles or info.affiliation:
                continue
            mine = [m for m in self.mentions if m.name == name]
            if not any(self.is_agentive(m) or self._leads_body(m) for m in mine):
                for m in mine:
                    self._unlink(m)

    def _leads_body(self, m: Mention) -> bool:
        """ "the Biden administration": the name stands for the body's leader."""
        last = self.article.doc[m.end - 1]
        return last.dep_ == "compound" and last.head.lower_ in _LED_BODIES

    # ---- affiliations ---------------------------------------------------------------
    def _find_affiliations(self) -> None:
        """A person's state or organisation: a parenthesis, the titles before the name, an apposition.

        "Vassily Nebenzia (Russian Federation)", "Russia's foreign minister Sergei Lavrov",
        "U.S. Secretary of State Antony Blinken", "Andriy Yermak, Zelenskyy's chief of staff",
        "Rosemary DiCarlo, Under-Secretary-General for Political Affairs" (a title that implies its
        body), "President Ana Duarte of Chile" (a titled name followed by "of" its state); people listed
        after a plural title share it ("U.S. Senators A, B and C").
        """
        for m in self.mentions:
            if m.type != "person":
                continue
            info = self.actors[m.name]
            before, aff = self._premodifier_actor(m, info)
            app_text, app_aff = self._apposition_actor(m, info)
            aff = self._parenthesis_actor(m) or aff or app_aff or self.gaz.title_affiliation(f"{before} {app_text}")
            aff = aff or (self._of_actor(self.article.doc[m.end - 1]) if before else None)
            if aff is not None and aff != m.name and info.affiliation is None:
                info.affiliation = aff
        for m in self.mentions:
            info = self.actors[m.name]
            if m.type == "person" and info.affiliation is None:
                info.affiliation = self._listed_after_plural_title(m)

    def _actor_affiliation(self, other: Mention) -> str | None:
        if other.type in {"state", "organization"}:
            return other.name
        return self.actors[other.name].affiliation

    def _premodifier_actor(self, m: Mention, info: ActorInfo) -> tuple[str, str | None]:
        """The run of titles, actors and possessives just before the name, and its leftmost actor."""
        doc = self.article.doc
        i, found = m.start - 1, None
        while i >= 0:
            t = doc[i]
            other = self._by_token.get(i)
            if other is not None and other is not m and other.name != m.name:
                if other.type == "person":  # "Zelenskyy's chief of staff X", but not "Putin and President X"
                    nxt = doc[other.end] if other.end < len(doc) else None
                    return doc[i + 1 : m.start].text, (
                        self._actor_affiliation(other) if nxt is not None and nxt.tag_ == "POS" else found
                    )
                found = self._actor_affiliation(other) or found
                i = other.start - 1
                continue
            if t.lower_ == "and" and doc[i + 1].lower_ in self._title_words:  # "President and CEO"
                i -= 1
                continue
            ds = self.gaz.demonym_state(t.text)
            if ds:
                found = ds
            elif (
                t.lower_ in self._title_words
                or t.tag_ == "POS"
                or t.text in {"-", "–", "'s", "’s", "’", "'"}
                or t.lower_ in _PREMODIFIERS
                or (t.is_title and t.lower_ in TITLE_FILLERS)
            ):
                if t.lower_ in self.gaz.person_roles:
                    info.roles.add(t.lower_)
            else:
                break
            i -= 1
        return doc[i + 1 : m.start].text, found

    def _parenthesis_actor(self, m: Mention) -> str | None:
        """ "Vassily A. Nebenzia (Russian Federation)" -> Russia."""
        doc = self.article.doc
        if m.end + 1 < len(doc) and doc[m.end].text == "(":
            other = self._by_token.get(m.end + 1)
            closed = other is not None and other.end < len(doc) and doc[other.end].text.startswith(")")
            if closed and other.type == "state":
                return other.name
        return None

    def _apposition_actor(self, m: Mention, info: ActorInfo) -> tuple[str, str | None]:
        """ "Yermak, Zelenskyy's chief of staff" / "The head of Britain's Labour Party, Jeremy Corbyn"."""
        doc = self.article.doc
        head = doc[m.end - 1]
        apps = [c for c in head.children if c.dep_ == "appos" and c.i >= m.end]
        if head.dep_ == "appos" and head.head.i < m.start:
            anchor = head.head
            if anchor.dep_ == "pobj" and anchor.head.head.lower_ in self.gaz.person_roles:
                anchor = anchor.head.head  # "The head of Britain's Labour Party, Jeremy Corbyn": attached to Party
            if anchor.lower_ in self.gaz.person_roles:
                apps.append(anchor)
        text = ""
        for app in apps:
            sub = [t for t in app.subtree if (t.i < m.start) == (app.i < m.start) and not m.start <= t.i < m.end]
            text += " " + " ".join(t.text for t in sub)
            # "Spokesperson for the Secretary-General": the role after "for/of" is someone else's
            theirs = {x.i for c in app.children if c.dep_ == "prep" for x in c.subtree}
            info.roles.update(t.lower_ for t in sub if t.lower_ in self.gaz.person_roles and t.i not in theirs)
            of_actor = self._of_actor(app)
            if of_actor is not None:
                return text, of_actor
            for t in sub:
                other = self._by_token.get(t.i)
                if other is not None and other.name != m.name and other.type != "group":
                    return text, self._actor_affiliation(other)
                ds = self.gaz.demonym_state(t.text)
                if ds:
                    return text, ds
        return text, None

    def _of_actor(self, role: Token) -> str | None:
        """ "the head of Britain's main opposition Labour Party" -> Labour Party (the pobj's own actor)."""
        for pobj in of_objects(role):
            other = self._by_token.get(pobj.i)
            if other is not None and other.type in {"state", "organization"}:
                return other.name
        return None

    def _listed_after_plural_title(self, m: Mention) -> str | None:
        """ "U.S. Senators Dianne Feinstein (D-CA), Barbara Boxer (D-CA)": Boxer shares Feinstein's state."""
        doc = self.article.doc
        head = doc[m.end - 1]
        for _ in range(8):
            if head.dep_ not in {"conj", "appos"} or head.head is head:
                return None
            head = head.head
            first = self._by_token.get(head.i)
            if first is None or first.type != "person" or first.name == m.name:
                continue
            title = doc[first.start - 1] if first.start > 0 else None
            if title is not None and title.tag_ in {"NNS", "NNPS"} and title.lower_.rstrip("s") in self._title_words:
                return self.actors[first.name].affiliation
        return None

    def _find_role_refs(self) -> None:
        """Unnamed role phrases tied to an actor ("the Kremlin spokesman", "Iran's representative")."""
        doc = self.article.doc
        for tok in doc:
            lower = tok.lower_
            if tok.i in self._by_token or tok.dep_ == "compound" or tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            if lower not in self.gaz.person_roles and lower not in _BODY_NOUNS:
                continue
            if any(c.dep_ == "appos" and c.i in self._by_token for c in tok.children):
                continue  # "the spokesman, Dmitry Peskov": the person is the referent
            name = self._modifier_actor(tok)
            if name is not None:
                self.role_refs.append(RoleRef(tok.idx, lower, name))

    def _modifier_actor(self, head: Token) -> str | None:
        """The state/organisation among the words before `head` in its phrase, or after it via "of"."""
        for t in head.subtree:
            if t.i >= head.i:
                break
            other = self._by_token.get(t.i)
            if other is not None and other.type in {"state", "organization"}:
                return other.name
            if other is not None and other.type == "person" and t.dep_ == "poss":
                return self.actors[other.name].affiliation
            if other is not None and other.type == "person" and t.dep_ == "compound" and head.lower_ in _LED_BODIES:
                # "the Trump administration": the leader's state when the article names it, else the leader
                return self.actors[other.name].affiliation or other.name
            ds = self.gaz.demonym_state(t.text)
            if ds:
                return ds
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in {"of", "for", "from", "to"}):
            for pobj in prep.children:
                other = self._by_token.get(pobj.i)
                if pobj.dep_ == "pobj" and other is not None and other.type in {"state", "organization"}:
                    return other.name
        return None

    def add_group(self, start: int, end: int, name: str) -> Mention | None:
        """An unnamed source the text cites as one ("two diplomats briefed on the talks"): a group actor."""
        return self._mention(start, end, name, "group", "generic_source")

    # ---- queries --------------------------------------------------------------------
    def mention_at(self, token_i: int) -> Mention | None:
        return self._by_token.get(token_i)

    def resolve_phrase(self, head: Token) -> str | None:
        """Canonical actor a noun phrase headed by `head` refers to, or None."""
        m = self._by_token.get(head.i)
        if m is not None:
            return m.name
        lower = head.lower_
        if lower in PERSON_PRONOUNS | COLLECTIVE_PRONOUNS:
            return self.resolve_pronoun(head)
        if lower in self.gaz.person_roles or lower in self.gaz.group_nouns or lower in _BODY_NOUNS:
            # "the Kremlin spokesman", "a North Korean foreign ministry spokesman", "the ministry"
            name = self._modifier_actor(head)
            if name is not None:
                return self._holder(head, name) or name
            if any(t.lower_ in {"the", "this", "that"} for t in head.lefts):
                return self.resolve_role(head)
        return None

    def _holder(self, head: Token, body: str) -> str | None:
        """The person already named as holding role `head` for `body` ("the UN chief" -> the UN's
        Secretary-General named earlier): one with that very role, else the only person of that
        body for a top role."""
        lower = head.lower_
        if lower not in self.gaz.person_roles:
            return None
        seen = {m.name for m in self._preceding(head.idx) if m.type == "person"}
        staff = [n for n in seen if self.actors[n].affiliation == body]
        titled = [n for n in staff if lower in self.actors[n].roles]
        if len(titled) == 1:
            return titled[0]
        return staff[0] if len(staff) == 1 and lower in _TOP_ROLES else None

    def _preceding(self, before_char: int) -> list[Mention]:
        return [m for m in self.mentions if m.end_char <= before_char]

    def resolve_pronoun(self, tok: Token, agrees: Callable[[str], bool] = lambda name: True) -> str | None:
        """Most recent compatible actor before the pronoun (a salience-based coreference pass); `agrees`
        rules out candidates (a "he" for someone already referred to as "she")."""
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
        cands = [m for m in cands if agrees(m.name)]
        if not cands:
            return None
        # prefer the latest subject in the last three sentences
        sent_i = self.article.sentence_index(tok.idx)
        recent = [m for m in cands if sent_i - self.article.sentence_index(m.start_char) <= 3]
        subjects = [m for m in recent if self.article.doc[m.end - 1].dep_ in {"nsubj", "nsubjpass"}]
        pick = (subjects or recent or cands)[-1]
        return pick.name

    def resolve_role(self, head: Token) -> str | None:
        """ "the president", "the spokesman", "the ministry": the latest actor seen in that role.

        A person introduced with the title ("President Volodymyr Zelenskyy") or an unnamed role
        phrase tied to an actor ("a North Korean foreign ministry spokesman" -> North Korea),
        whichever came last within a few sentences; generic roles ("the official") take any.
        """
        lower = head.lower_
        sent_i = self.article.sentence_index(head.idx)
        best: tuple[int, str] | None = None
        for m in self._preceding(head.idx):
            if m.type == "person" and lower in self.actors[m.name].roles:
                best = (m.start_char, m.name)
        for ref in self.role_refs:
            if ref.char >= head.idx or sent_i - self.article.sentence_index(ref.char) > ROLE_WINDOW_SENTENCES:
                continue
            same = ref.role == lower or (lower in _GENERIC_ROLES and ref.role in _GENERIC_ROLES)
            if same and (best is None or ref.char > best[0]):
                best = (ref.char, ref.name)
        if best is not None:
            return best[1]
        if lower in _GENERIC_ROLES | _BODY_NOUNS:  # a rebel group has no cabinet: "the government" is a state
            kinds = {"state"} if lower in _STATE_ONLY_BODIES else {"state", "organization"}
            for m in reversed(self._preceding(head.idx)):
                if m.type in kinds and self.article.doc[m.end - 1].dep_ in {"nsubj", "poss"}:
                    return m.name
        return None

    # ---- output ---------------------------------------------------------------------
    def is_agentive(self, m: Mention) -> bool:
        """False for places that only locate something ("a summit in Bishkek") and for media sources.

        Groups count as subjects, objects or possessors ("European States", "accused Western
        States"); a one-word person nobody titled must not be a compound or a place ("the Strait
        of Hormuz", "on Twitter").
        """
        if self._is_media(m.name):
            return False
        head = np_head(self.article.doc[m.end - 1])
        prep = head.head.lower_ if head.dep_ == "pobj" else None
        static = self.lex.static_locative_preps
        if m.via == "demonym_group":  # "Palestinians" as people, not as the state
            return head.dep_ in {"nsubj", "poss", "agent"}
        if m.type == "group":
            return head.dep_ in GROUP_DEPS or prep in AGENT_PREPS
        if m.type == "person":
            info = self.actors[m.name]
            if " " in m.name or info.roles or info.affiliation:
                return True
            own = self.article.doc[m.end - 1]
            if own.dep_ in {"compound", "nmod"} or (own.dep_ == "appos" and own.head.pos_ == "NOUN"):
                return False  # "the Zaporizhzhia plant", "the term Brexit"
            return prep not in self.lex.locative_preps | static | {"of", "on"}
        if prep in static or (prep == "of" and head.head.head.lower_ in _PLACE_NOUNS):
            return False  # "a summit in Bishkek", "the capital of Kyrgyzstan"
        if m.via == "capital" and prep in self.lex.locative_preps:
            # "support from Tehran" is Iran acting; "flew from Tehran" is a place
            return prep == "from" and head.head.head.pos_ == "NOUN"
        return not (m.via == "capital" and head.dep_ == "compound")

    def _is_media(self, name: str) -> bool:
        entry = self.gaz.entry(name) if self.actors[name].type == "organization" else None
        return entry is not None and entry.kind == "media"

    def to_records(self, article_id: str, involved: set[str]) -> tuple[list[Actor], list[ActorMention]]:
        """Actors with at least one agentive mention or a part in an extracted record."""
        keep = {m.name for m in self.mentions if self.is_agentive(m)} | (involved & set(self.actors))
        keep -= {n for n in keep if self._is_media(n)}  # a source of the report, never a party
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
            mentions.append(
                ActorMention(
                    article_id,
                    mention_id,
                    m.name,
                    self.actors[m.name].type,
                    m.text,
                    m.start_char,
                    m.end_char,
                    ev.evidence_text,
                    ev.evidence_start,
                    ev.evidence_end,
                )
            )
        # every actor a record names gets an actor row (the marts' relationships rely on it),
        # even one kept out of the mentions (a news outlet quoted as a speaker)
        for name in sorted(involved - keep):
            info = self.actors.get(name)
            entry = self.gaz.entry(name) if info is None else None
            actor_type = info.type if info else (entry.type if entry else "group")
            actors.append(
                Actor(
                    article_id,
                    name,
                    actor_type,
                    sorted(info.aliases) if info else [],
                    info.affiliation if info else None,
                    info.code if info else None,
                )
            )
        return actors, mentions
