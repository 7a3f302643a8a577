"""Negotiations: talks, rounds, meetings, plans, frameworks and proposals between parties.

Two sources:
- noun phrases headed by a negotiation noun ("talks", "28-point peace framework", "cease-fire deal");
  parties come from the phrase itself ("US-China trade talks"), its "between/with" complements and
  the subject of its verb (unless that verb only comments on it: "X welcomed the deal");
- meeting verbs ("X met Y", "X and Y discussed ...", "X visited Y", "X hosted Y", "X telephoned Y").

Mentions of one track merge within an article: a bare definite mention ("the deal", "the plan")
joins the latest track of its kind (`track_kinds`), and mentions of a kind with overlapping parties
join too. The mediator comes from "brokered/mediated/hosted by" or "mediation of"; the venue from
"in/at <place>"; the status from the governing verb and the sentence's tense and cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_lexicon, load_words
from flows.extract.resolver import resolver_for
from flows.extract.syntax import subject_of, trim
from flows.records import Negotiation, stable_id

WORDS = load_words()

_DET = re.compile(r"^(?:the|a|an|this|that|these|those|its|their|his|her|our|any|such|new)\s+", re.IGNORECASE)
PARTY_PREPS = WORDS.negotiations.party_preps
TOPIC_PREPS = WORDS.negotiations.topic_preps
DEFINITE = WORDS.negotiations.definite_determiners
MAX_TOPIC_TOKENS = 12
# prepositions through which a verb's subject takes part in the track it governs ("agreed to the deal")
PARTICIPATION_PREPS = WORDS.negotiations.participation_preps
# verbs whose object must be an actor for a meeting ("met the president", not "meet the needs")
ACTOR_OBJECT_VERBS = WORDS.negotiations.actor_object_verbs
# kinds (indices in `track_kinds`) that name the same track in one article: a deal, the plan, the ceasefire
COMPATIBLE_KINDS = {0, 1, 3}
# meeting verbs -> the noun that names the encounter
MEETING_VERBS = WORDS.negotiations.meeting_verbs
# meeting verbs whose object must itself be an actor or a delegation of one ("received the minister",
# "welcomed a delegation from X"), not a thing an actor owns ("welcomed Israel's decision")
FIRST_PERSON = WORDS.pronouns.first_person
WITH_ONLY_VERBS = WORDS.negotiations.with_only_verbs
STRICT_OBJECT_VERBS = WORDS.negotiations.strict_object_verbs
HOSTING_VERBS = WORDS.negotiations.hosting_verbs
ASSEMBLY_VERBS = WORDS.negotiations.assembly_verbs
ORDINALS = WORDS.negotiations.ordinals
CONDITION_PREPS = WORDS.negotiations.condition_preps
MODALS = WORDS.modality.modals
MEDIATING_PARTICIPLES = WORDS.negotiations.mediating_participles
# heads of "a group of X", "members of X": the actor is X
COLLECTIVES = WORDS.resolver.collectives
# modifiers of a track still to come, told apart from a dated one
FUTURE = WORDS.negotiations.future_modifiers
# verbs whose subject comments on a track rather than taking part in it


@dataclass
class Track:
    kind: int
    name: str
    parties: list[str]
    mediator: str | None
    venue: str | None
    status: str
    cue: str
    start: int
    end: int
    mentions: int = 1
    provisions: list[str] = field(default_factory=list)
    # parties read from around a specific mention that names none of its own ("a proposed ceasefire")
    context: list[str] = field(default_factory=list)
    proper: bool = False  # a name of its own: "the Black Sea Grain Initiative"
    encounter: bool = False  # told by a meeting verb ("X met Y", "X spoke with Y")


class NegotiationFinder:
    def __init__(self, article: ParsedArticle, actors: ActorIndex):
        self.a = article
        self.actors = actors
        self.resolver = resolver_for(actors)
        lex = load_lexicon()
        self.nouns = lex.negotiation_nouns_strong
        self.qualifiers = lex.negotiation_qualifiers
        self.status_cues = lex.status_cues
        self.mediator_pat = lex.pattern(lex.mediator_cues)
        self.kind_of = {w.lower(): i for i, kind in enumerate(lex.track_kinds) for w in kind}
        self.offer_heads = lex.offer_verbs | WORDS.offers.readiness_words
        self.delegations = lex.negotiation_delegation_nouns
        self.hosting = lex.negotiation_hosting_nouns
        stance = lex.stance_verbs
        self.observer_verbs = (
            stance["welcome"]
            | stance["skeptical"]
            | lex.demand_verbs
            | lex.speech_verbs
            | lex.negotiation_observer_verbs
            | {"be"}
        ) - lex.negotiation_party_verbs

    # ---- noun phrases ------------------------------------------------------------------
    def _chunk(self, head: Token) -> Span:
        """The head with its pre-modifiers, not crossing a line break (headlines run into ledes)."""
        toks = [t for left in head.lefts for t in left.subtree] + [head]
        start = min(t.i for t in toks)
        for t in self.a.doc[start : head.i]:
            if "\n" in t.text_with_ws:
                start = t.i + 1
        return self.a.doc[start : head.i + 1]

    def _topic(self, head: Token) -> Span | None:
        """ "talks on North Korea's nuclear programme", "an agreement to pause the tariffs", "Plan of
        Action": the on/over/about complement, an infinitive, or a proper name's "of" part, short."""
        for acl in (
            c
            for c in head.children
            if c.dep_ == "acl" and c.i > head.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ):
            toks = list(acl.subtree)
            if len(toks) <= MAX_TOPIC_TOKENS and not any("\n" in t.text_with_ws for t in toks[:-1]):
                return self.a.doc[toks[0].i : toks[-1].i + 1]
        # "Plan of Action", and "a new round of talks", "the seventh cycle of the Peace Table": of a track
        of_track = any(
            g.dep_ == "pobj" and g.lower_ in self.nouns for c in head.children if c.lower_ == "of" for g in c.children
        )
        preps = TOPIC_PREPS | ({"of"} if of_track or head.is_title and not self._title_line(head) else set())
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in preps):
            if (
                prep.lower_ == "of"
                and not of_track
                and not all(t.is_title or t.lower_ in {"the", "of", "and"} for t in list(prep.subtree)[1:])
            ):
                continue
            if any(g.ent_type_ in {"DATE", "TIME"} for g in prep.children):
                continue  # "met on Thursday": a date, not a topic
            clauses = {x.i for t in prep.subtree if t.dep_ in {"acl", "relcl"} for x in t.subtree}
            toks = [t for t in prep.subtree if t.i not in clauses]
            if len(toks) <= MAX_TOPIC_TOKENS and not any("\n" in t.text_with_ws for t in toks[:-1]):
                return self.a.doc[toks[0].i : toks[-1].i + 1]
        return None

    def _title_line(self, tok: Token) -> bool:
        """The token sits in a headline-style line where most words are capitalised."""
        start = self.a.text.rfind("\n", 0, tok.idx) + 1
        end = self.a.text.find("\n", tok.idx)
        words = [w for w in self.a.text[start : end if end >= 0 else None].split() if w[:1].isalpha()]
        return len(words) > 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6

    def _proper(self, head: Token, chunk: Span) -> bool:
        """ "the Black Sea Grain Initiative", "the Pact for the Future": a capitalised name, not a headline."""
        if not (head.is_title or head.is_upper) or self._title_line(head) or head.i == head.sent.start:
            return False
        run = 0
        for t in reversed(chunk[:-1]):
            if not (t.is_title or t.is_upper) or t.lower_ in DEFINITE:
                break
            run += 1
        named_of = any(
            c.dep_ == "prep"
            and c.lower_ in {"of", "for"}
            and c.i == head.i + 1
            and all(
                t.is_title or t.is_upper or t.is_stop or not t.is_alpha
                for t in self.a.doc[c.i + 1 : c.right_edge.i + 1]
            )
            for c in head.children
        )
        return run >= 1 or named_of

    def _context_parties(self, head: Token, sent: Span) -> list[str]:
        """Parties of a mention that names none: the actors of its own phrase ("a ceasefire that ended
        strikes by X on Y"), else the states and organisations its sentence names as agents."""
        names: list[str] = []
        self._add_mentions(names, [t for t in head.subtree if t.i != head.i])
        if names:
            return names
        for m in self.actors.mentions:
            if (
                sent.start <= m.start < sent.end
                and m.name not in names
                and self.actors.is_agentive(m)
                and self.actors.actors.get(m.name) is not None
                and self.actors.actors[m.name].type in {"state", "organization"}
            ):
                names.append(m.name)
        return names

    def _add_mentions(self, names: list[str], toks, skip: set[int] = frozenset()) -> None:
        for t in toks:
            if t.i in skip:
                continue
            m = self.actors.mention_at(t.i)
            if m is not None and m.name not in names and self.actors.actors.get(m.name) is not None:
                names.append(m.name)

    def _add_phrase(self, names: list[str], tok: Token | None) -> None:
        if tok is None:
            return
        parties = self.resolver.parties(tok)  # "the two leaders", "they" after them: the parties
        if len(parties) >= 2:
            names += [p for p in parties if p not in names and self.actors.actors.get(p) is not None]
            return
        for t in [tok, *tok.conjuncts]:
            name = self.resolver.phrase(t)
            if name is None:
                m = next(
                    (
                        self.actors.mention_at(c.i)
                        for c in t.children
                        if c.dep_ in {"compound", "amod", "poss"} and self.actors.mention_at(c.i)
                    ),
                    None,
                )
                name = m.name if m is not None else None
            if name is None and t.lower_ in COLLECTIVES | self.delegations:  # "a group of Moroccan diplomats"
                for g in (
                    g
                    for c in t.children
                    if c.dep_ == "prep" and c.lower_ in {"of", "from"}
                    for g in c.children
                    if g.dep_ == "pobj"
                ):
                    self._add_phrase(names, g)
            if name and name not in names and self.actors.actors.get(name) is not None:
                names.append(name)

    def _add_guest(self, names: list[str], tok: Token) -> None:
        """An actor received or welcomed: named by the phrase itself or a delegation of one."""
        name = self.resolver.phrase(tok)
        if name is not None and name not in names and self.actors.actors.get(name) is not None:
            names.append(name)
        elif name is None and tok.lemma_.lower() in self.delegations | COLLECTIVES:
            self._add_phrase(names, tok)

    def _governor(self, head: Token) -> Token | None:
        verb = head.head if head.dep_ in {"dobj", "nsubj", "nsubjpass", "pobj", "attr"} else None
        if verb is not None and verb.dep_ == "prep" and head.dep_ == "pobj":
            verb = verb.head if verb.lower_ in PARTICIPATION_PREPS else None
        return verb if verb is not None and verb.pos_ in {"VERB", "AUX"} else None

    def _is_observer(self, verb: Token) -> bool:
        return verb.lemma_.lower() in self.observer_verbs

    def _between(self, head: Token) -> Span | None:
        """ "talks between X and Y": the parties' complement belongs to the track's name."""
        prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "between" and c.i > head.i), None)
        if prep is None:
            return None
        toks = list(prep.subtree)
        if len(toks) > MAX_TOPIC_TOKENS or any("\n" in t.text_with_ws for t in toks[:-1]):
            return None
        return self.a.doc[head.i + 1 : toks[-1].i + 1] if toks[0].i == head.i + 1 else None

    def _hyphen_mediator(self, chunk: Span) -> str | None:
        """ "a Qatari-brokered truce": the actor before "-brokered/-facilitated/-mediated" brokers it."""
        for t in chunk:
            if t.lemma_.lower() in MEDIATING_PARTICIPLES and t.i >= 2 and self.a.doc[t.i - 1].text == "-":
                m = self.actors.mention_at(t.i - 2)
                if m is not None:
                    return m.name
        return None

    def _named_places(self, chunk: Span) -> list[Token]:
        """A capital in a track's own name ("the Pretoria agreement"): where, not who; but two places
        named together ("the Lima-Quito talks") stand for the two sides."""
        found = [(t, m) for t in chunk if (m := self.actors.mention_at(t.i)) is not None]
        if len({m.name for _, m in found}) != 1:
            return []
        return [t for t, m in found if m.via == "capital" and t.dep_ == "compound"]  # not "Moscow's plan"

    def _parties(self, head: Token, chunk: Span) -> list[str]:
        names: list[str] = []
        self._add_mentions(names, chunk, skip={head.i} | {t.i for t in self._named_places(chunk)})
        preps = PARTY_PREPS | ({"of"} if self._kind(head) == self.kind_of.get("meeting") else set())
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in preps):
            self._add_mentions(names, prep.subtree)
        verb = self._governor(head)
        if self._said_at_meeting(head):  # "members demanded in an emergency meeting": they took part
            self._add_phrase(names, subject_of(head.head.head))
        elif verb is not None and head.dep_ != "nsubj":
            self._verb_parties(names, verb, head)
        return names

    def _said_at_meeting(self, head: Token) -> bool:
        return (
            self._kind(head) == self.kind_of.get("meeting")
            and head.dep_ == "pobj"
            and head.head.lower_ in {"in", "at", "during"}
            and head.head.head.pos_ in {"VERB", "AUX"}
        )

    def _verb_parties(self, names: list[str], verb: Token, exclude: Token | None = None) -> None:
        """The subject of a verb that takes part ("X and Y signed the deal"), and its "with" complements."""
        if self._is_observer(verb):
            return
        gov = verb
        while gov.dep_ == "xcomp" and gov.head is not gov:
            gov = gov.head
            obj = next((c for c in gov.children if c.dep_ == "dobj"), None)
            if obj is not None:
                # "urged the warring parties to (continue to) respect the ceasefire": the object takes part
                self._add_phrase(names, obj)
                break
        else:
            subj = subject_of(verb)
            if subj is None and gov.dep_ == "acomp":  # "X was ready to open talks": the ready one
                subj = subject_of(gov.head)
            if subj is not None and (exclude is None or subj.i != exclude.i):
                self._add_phrase(names, subj)
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"with", "between"}):
            self._add_mentions(names, prep.subtree)

    def _venue(self, head: Token) -> str | None:
        anchors = [head] + ([head.head] if head.head.pos_ in {"VERB", "AUX"} else [])
        for anchor in anchors:
            for prep in (c for c in anchor.children if c.dep_ == "prep" and c.lower_ in {"in", "at"}):
                for g in prep.children:
                    if g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC", "FAC"}:
                        ent = next((e for e in self.a.doc.ents if e.start <= g.i < e.end), None)
                        return ent.text if ent is not None else g.text
        return None

    def _status(self, head: Token, sent: Span) -> str:
        words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
        verb = head.head
        lemma = verb.lemma_.lower()
        text = sent.text.lower()
        # "want to reach an agreement", "could sign the deal": wished for or possible, not done
        unrealised = any(c.dep_ == "aux" and (c.lower_ == "to" or c.lower_ in MODALS) for c in verb.children)
        for status in ("rejected", "stalled", "amended", "concluded"):
            cues = self.status_cues[status]
            if status == "concluded" and unrealised:
                continue
            if lemma in cues or verb.lower_ in cues or any(" " in c and c in text for c in cues):
                return status
        if (
            self._offered(verb)  # "ready to open talks", "offered to host a round": on offer
            or head.lower_ in {"proposal", "plan", "framework", "draft"}
            or "draft" in words
            or any(c.lower_ in FUTURE | {"proposed"} for c in head.children if c.dep_ == "amod")
            or lemma in self.status_cues["proposed"]  # "X proposed talks with Y"
        ):
            return "proposed"
        scheduled = self.status_cues["scheduled"]
        if words & scheduled or any(" " in c and c in text for c in scheduled):
            return "scheduled"
        if verb.tag_ in {"VBD", "VBN"} and lemma in {"hold", "end", "conclude", "reach", "sign", "agree", "meet"}:
            return "concluded"
        return "ongoing"

    def _offered(self, verb: Token) -> bool:
        """The track's verb is what someone offers or stands ready to do ("is ready to open talks")."""
        gov = verb
        while gov.dep_ == "xcomp" and gov.head is not gov:
            gov = gov.head
            if gov.lemma_.lower() in self.offer_heads:
                return True
        return False

    def _mediator(self, sent: Span, parties: list[str]) -> str | None:
        m = self.mediator_pat.search(sent.text)
        if not m:
            return None
        at = sent.start_char + m.end()
        for mention in self.actors.mentions:
            if mention.start_char >= at and mention.start_char - at < 60 and mention.name not in parties:
                return mention.name
        return None

    def _is_bare(self, head: Token, chunk: Span) -> bool:
        """ "the deal", "this plan": a definite mention with no modifier of its own."""
        return len(chunk) <= 2 and any(t.lower_ in DEFINITE for t in chunk[:-1]) or len(chunk) == 1

    def _proposed(self, head: Token, chunk: Span) -> bool:
        """A draft or a resolution being presented, circulated or voted on."""
        if any(t.lower_ in {"draft", "proposed"} for t in chunk):
            return True
        verb = self._governor(head)
        return verb is not None and verb.lemma_.lower() in self.status_cues["proposed"] | {"circulate", "vote"}

    def _kind(self, tok: Token) -> int:
        return self.kind_of.get(tok.lower_, self.kind_of.get(tok.lemma_.lower(), -1))

    # ---- collecting ---------------------------------------------------------------------
    def from_nouns(self) -> list[tuple[Track, bool]]:
        out: list[tuple[Track, bool]] = []
        for tok in self.a.doc:
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.lower_ not in self.nouns or tok.dep_ == "compound":
                continue
            if self._in_source_name(tok):
                continue  # "officials familiar with the talks": the source's description, not a track
            if _future_condition(tok):
                continue  # "will lay down its arms only after direct negotiations": a condition, not a track
            chunk = self._chunk(tok)
            if tok.lemma_.lower() == "resolution" and not self._proposed(tok, chunk):
                continue  # an adopted resolution is a text, not a track under discussion
            parties = self._parties(tok, chunk)
            broker = self._hyphen_mediator(chunk)
            parties = [p for p in parties if p != broker]
            qualified = any(t.lower_ in self.qualifiers or t.like_num or t.lower_ in ORDINALS for t in chunk)
            bare = self._is_bare(tok, chunk)
            topic = self._topic(tok) or self._between(tok)
            start, end = trim(self.a.text, chunk.start_char, (topic or chunk).end_char)
            name = _DET.sub("", self.a.text[start:end]).strip()
            if not name:
                continue
            sent = self.a.sentence_at(tok.idx)
            track = Track(
                self._kind(tok),
                name,
                parties,
                broker or self._mediator(sent, parties),
                self._venue(tok) or next((t.text for t in self._named_places(chunk)), None),
                self._status(tok, sent),
                tok.text,
                start,
                end,
            )
            track.proper = self._proper(tok, chunk)
            if not parties and not bare:
                if not (qualified or track.proper or topic is not None):
                    continue
                track.context = self._context_parties(tok, sent)
                # "an agreement to secure a ceasefire": specific enough to stand without parties
                track.proper = track.proper or topic is not None and any(t.lower_ in self.qualifiers for t in topic)
            out.append((track, bare))
        return out

    def _in_source_name(self, tok: Token) -> bool:
        """The noun is inside the name of an unnamed group actor that it describes."""
        m = self.actors.mention_at(tok.i)
        info = self.actors.actors.get(m.name) if m is not None else None
        return info is not None and info.type == "group" and m.start < tok.i

    def from_verbs(self) -> list[tuple[Track, bool]]:
        """ "X met Y", "X and Y discussed ...", "X visited Y", "X telephoned Y to discuss ..."."""
        out: list[tuple[Track, bool]] = []
        for tok in self.a.doc:
            lemma = tok.lemma_.lower()
            dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            # "gave a warm welcome to X", "granted an audience to X": hosting X
            hosting = dobj is not None and dobj.lemma_.lower() in self.hosting and lemma in HOSTING_VERBS
            noun = "meeting" if hosting else MEETING_VERBS.get(lemma)
            if noun is None or tok.pos_ != "VERB":
                continue
            preps = [c for c in tok.children if c.dep_ == "prep"]
            preps += [c for p in preps for g in p.children for c in g.children if c.dep_ == "prep"]  # "by phone with"
            with_party = [g for c in preps if c.lower_ == "with" for g in c.children if g.dep_ == "pobj"]
            if lemma in WITH_ONLY_VERBS and not any(self.resolver.phrase(g) for g in with_party):
                continue  # "spoke to reporters", "spoke about the plan": no one met
            if lemma in WITH_ONLY_VERBS and any(
                g.lower_ in {"telephone", "phone"} for c in tok.children if c.dep_ == "prep" for g in c.children
            ):
                noun = "telephone call"
            subj = subject_of(tok)
            if subj is None:
                continue
            names: list[str] = []
            if subj.lower_ in FIRST_PERSON:  # "I met X": the speaker of the turn or quote, if known
                speaker = self.resolver.speaker_at(subj.idx)
                if speaker is None:
                    continue
                names.append(speaker)
            else:
                self._add_phrase(names, subj)
            if not names and not (subj.lower_ in self.resolver.person_roles and with_party):
                continue  # "the minister spoke with X": an unnamed office holder still met X
            if hosting or dobj is not None:
                before = len(names)
                guests = (
                    [
                        g
                        for c in (*tok.children, *dobj.children)
                        if c.dep_ == "prep" and c.lower_ == "to"
                        for g in c.children
                        if g.dep_ == "pobj"
                    ]
                    if hosting
                    else [dobj]
                )
                for g in guests:
                    if hosting or lemma in STRICT_OBJECT_VERBS:
                        self._add_guest(names, g)
                    else:
                        self._add_phrase(names, g)
                if (hosting or lemma in ACTOR_OBJECT_VERBS | STRICT_OBJECT_VERBS) and len(names) == before:
                    continue  # "meet the needs", "host a dinner", "welcomed the decision"
            elif lemma in {"visit", "host", "telephone", "phone"} | STRICT_OBJECT_VERBS:
                continue
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in PARTY_PREPS:
                    self._add_mentions(names, c.subtree)
            for g in with_party:
                self._add_phrase(names, g)
            if not names or lemma == "discuss" and len(names) < 2:
                continue
            if len(names) < 2 and not with_party and dobj is None and lemma not in ASSEMBLY_VERBS:
                continue  # "we will not negotiate in public": no one across the table
            sent = self.a.sentence_at(tok.idx)
            subj_text = names[0] if subj.pos_ == "PRON" else self.a.doc[subj.left_edge.i : subj.right_edge.i + 1].text
            others = [
                g
                for g in (with_party or ([dobj] if dobj is not None and not hosting else []))
                if self.resolver.phrase(g) is not None
            ]
            start, end = trim(self.a.text, sent.start_char, sent.end_char)
            status = (
                "scheduled"
                if any(c.lower_ in {"will", "to"} for c in tok.children if c.dep_ == "aux")
                else ("concluded" if tok.tag_ in {"VBD", "VBN"} else "ongoing")
            )
            topic = self._topic(tok)
            # "met X in A and Y in B": two meetings, one per guest and place
            guests = [dobj, *dobj.conjuncts] if dobj is not None and not hosting and not with_party else []
            if guests:  # "met X in A and Y in B" parsed with Y joined to the place A
                guests += [
                    g
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ in {"in", "at"}
                    for pobj in c.children
                    if pobj.dep_ == "pobj" and pobj.ent_type_ in {"GPE", "LOC", "FAC"}
                    for g in pobj.conjuncts
                    if not g.ent_type_ and self.resolver.phrase(g) is not None
                ]
            places = [self._guest_venue(g) or (self._venue(tok) if g is dobj else None) for g in guests]
            if len(guests) > 1 and len({p for p in places if p}) > 1:
                host = [n for n in names if not any(n == self.resolver.phrase(g) for g in guests)][:1]
                encounters = [
                    (g, p, host + [n for n in [self.resolver.phrase(g)] if n])
                    for g, p in zip(guests, places, strict=True)
                ]
            else:
                guest = others[0] if others else None
                venue = self._venue(tok) or (self._guest_venue(guest) if guest is not None else None)
                encounters = [(guest, venue, names)]
            for guest, venue, parties in encounters:
                if guest is not None:  # the whole encounter: "call between X and Y", not a fragment "X call"
                    name = _DET.sub("", f"{noun} between {subj_text} and {_np_text(guest)}").strip()
                elif subj.pos_ == "PRON" and len(parties) >= 2:  # "they met": between the parties it stands for
                    name = f"{noun} between {', '.join(parties[:-1])} and {parties[-1]}"
                else:
                    name = _DET.sub("", f"{subj_text} {noun}").strip()
                if topic is not None:
                    name += " " + topic.text
                elif venue and len(encounters) > 1 and venue not in name:
                    name += f" in {venue}"
                if len(encounters) > 1:  # each its own record: cite the guest's phrase
                    start, end = trim(self.a.text, guest.left_edge.idx, guest.idx + len(guest))
                track = Track(
                    self.kind_of.get("meeting", -1),
                    name,
                    parties,
                    self._mediator(sent, parties),
                    venue,
                    status,
                    tok.text,
                    start,
                    end,
                )
                track.encounter = guest is not None  # one with a guest across the table
                out.append((track, False))
        return out

    def _guest_venue(self, guest: Token) -> str | None:
        """The place a guest was met, said inside the guest's own phrase ("the governor of X in Y")."""
        skip = {t.i for c in guest.children if c.dep_ in {"conj", "cc"} for t in c.subtree}
        for t in guest.subtree:
            if t.i in skip or t.dep_ != "prep" or t.lower_ not in {"in", "at"}:
                continue
            for g in t.children:
                if g.dep_ == "pobj" and g.ent_type_ in {"GPE", "LOC", "FAC"}:
                    ent = next((e for e in self.a.doc.ents if e.start <= g.i < e.end), None)
                    return ent.text if ent is not None else g.text
        return None

    def find(self) -> list[Negotiation]:
        tracks: list[Track] = []
        pending: list[Track] = []  # specific mentions with no parties of their own
        found = sorted(self.from_nouns() + self.from_verbs(), key=lambda tb: tb[0].start)
        for track, bare in found:
            same = self._same_track(tracks, track, bare)
            if same is None:
                if self.a.is_question(track.start):
                    continue  # "Is X's plan acceptable to you?": a question puts no track on the table
                if track.parties:
                    tracks.append(track)
                elif not bare:
                    pending.append(track)
                continue
            self._join(same, track, bare)
        for track in pending:  # a track named before its parties are: join it, else read them from context
            same = self._same_track(tracks, track, False)
            if same is not None and (same.kind == track.kind or not track.proper):
                self._join(same, track, False)
            elif track.context or track.proper:
                track.parties = list(track.context)
                tracks.append(track)
            elif (sibling := _other_round(tracks, track)) is not None:
                # "The fifth round will be held in Geneva": the next round of the parties' track
                track.parties, track.mediator = list(sibling.parties), track.mediator or sibling.mediator
                tracks.append(track)
        tracks = self._rounds_held(tracks)
        return [self._record(t) for t in sorted(tracks, key=lambda t: t.start)]

    def _rounds_held(self, tracks: list[Track]) -> list[Track]:
        """'X and Y met in Lima for the fourth round of talks': the meeting is that round taking place,
        one record under the round's name, with the meeting's status and venue."""
        talks, meeting = self.kind_of.get("talks"), self.kind_of.get("meeting")
        out = list(tracks)
        for held in [t for t in tracks if t.kind == meeting]:
            inner = next(
                (
                    t
                    for t in out
                    if t.kind == talks
                    and held.start <= t.start
                    and t.end <= held.end
                    and set(t.parties) <= set(held.parties)
                ),
                None,
            )
            if inner is None:
                continue
            inner.status, inner.parties = held.status, list(held.parties)
            inner.venue, inner.mediator = inner.venue or held.venue, inner.mediator or held.mediator
            out.remove(held)
        return out

    @staticmethod
    def _join(same: Track, track: Track, bare: bool) -> None:
        if same.status == "ongoing" and track.status == "concluded" and track.kind == same.kind:
            same.status = "concluded"  # "Readout of the meeting ..." then "X met Y on Tuesday": it took place
        same.mentions += 1
        same.parties += [p for p in track.parties if p not in same.parties]
        same.venue = same.venue or track.venue
        same.mediator = same.mediator or track.mediator
        if (len(track.name) > len(same.name) or track.proper and not same.proper) and not bare:
            same.name = track.name
            same.proper = same.proper or track.proper

    def _same_track(self, tracks: list[Track], track: Track, bare: bool) -> Track | None:
        """The earlier track this mention continues: one article rarely runs two tracks of one kind, so
        a mention joins the latest of its kind unless they are told apart (different years or numbers,
        or two disjoint sets of parties)."""
        for t in reversed(tracks):
            same_kind = t.kind == track.kind or {t.kind, track.kind} <= COMPATIBLE_KINDS
            if not same_kind or track.kind < 0 and t.cue.lower() != track.cue.lower():
                continue
            if t.proper and track.proper and not _words(t.name) & _words(track.name):
                continue  # two names of their own: "the Pact for the Future", "the Grain Initiative"
            if _words(t.name) & FUTURE and _numbers(track.name) or _words(track.name) & FUTURE and _numbers(t.name):
                continue  # "a future peace treaty" is not "the 2020 agreement"
            if {t.status, track.status} == {"concluded", "scheduled"} and t.cue != track.cue and t.kind == track.kind:
                continue  # a call that took place and one expected: two meetings
            if t.encounter and track.encounter and not set(t.parties) & set(track.parties):
                continue  # "X spoke with Y. X also spoke with Z": two calls
            same_sentence = self.a.sentence_index(t.start) == self.a.sentence_index(track.start)
            if same_sentence and t.venue and track.venue and t.venue != track.venue:
                continue  # "met X in A and Y in B": two meetings told in one sentence
            if _ordinals(t.name) and _ordinals(track.name) and _ordinals(t.name) != _ordinals(track.name):
                continue  # "the fourth round" and "the fifth round": two rounds of one track
            if bare or not track.parties or set(track.parties) & set(t.parties):
                return t
            if _numbers(t.name) and _numbers(track.name) and _numbers(t.name) != _numbers(track.name):
                continue
            if len(t.parties) >= 2 and len(track.parties) >= 2:
                continue
            return t
        return None

    def _represented(self, parties: list[str]) -> list[str]:
        """A person at the table stands for the state or organisation they act for, when the article says."""
        out: list[str] = []
        for p in parties:
            info = self.actors.actors.get(p)
            owner = info.affiliation if info is not None and info.type == "person" else None
            owner_info = self.actors.actors.get(owner) if owner else None
            name = owner if owner_info is not None and owner_info.type in {"state", "organization"} else p
            if name not in out:
                out.append(name)
        return out

    def _record(self, t: Track) -> Negotiation:
        ev = self.a.evidence(t.start, t.end)
        return Negotiation(
            self.a.article_id,
            stable_id(self.a.article_id, "negotiation", t.start, t.end),
            t.name,
            self._represented(t.parties),
            t.mediator if t.mediator not in t.parties else None,
            t.venue,
            t.status,
            t.provisions,
            t.cue,
            ev.evidence_text,
            ev.evidence_start,
            ev.evidence_end,
        )


def _np_text(head: Token) -> str:
    """A noun phrase's words without conjoined phrases, relative clauses or trailing asides."""
    skip = {t.i for c in head.children if c.dep_ in {"conj", "cc", "relcl", "acl", "appos", "punct"} for t in c.subtree}
    skip |= {t.i for c in head.children if c.dep_ == "prep" and c.lower_ in {"in", "at", "on"} for t in c.subtree}
    toks = [t for t in head.subtree if t.i not in skip]
    text = "".join(t.text_with_ws for t in toks).strip(" ,;")
    return re.sub(r"\s+", " ", text) if toks else head.text


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", name.lower())}


def _future_condition(tok: Token) -> bool:
    """The noun is the time condition of a future or hypothetical deed ("will disarm only after talks")."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in CONDITION_PREPS or prep.dep_ != "prep":
        return False
    verb = prep.head
    return verb.pos_ in {"VERB", "AUX"} and any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)


def _other_round(tracks: list[Track], track: Track) -> Track | None:
    """The latest track with parties that is another numbered round of the same kind of talks."""
    own = _ordinals(track.name)
    return next(
        (t for t in reversed(tracks) if own and t.parties and _ordinals(t.name) and _ordinals(t.name) != own),
        None,
    )


def _ordinals(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name.lower()) if w in ORDINALS} | set(
        re.findall(r"\d+(?=st|nd|rd|th)", name)
    )


def _numbers(name: str) -> set[str]:
    return set(re.findall(r"\d+", name))


def find_negotiations(article: ParsedArticle, actors: ActorIndex) -> list[Negotiation]:
    return NegotiationFinder(article, actors).find()
