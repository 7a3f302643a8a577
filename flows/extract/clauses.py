"""Clause-level helpers shared by the demand and offer extractors.

`Agents` finds the subject of a clause and resolves it through the article's one `Resolver`
(conjoined subjects are each an agent); `action_span` cuts an action clause down to the words
that name the action.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from flows.extract.actors import ActorIndex
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import load_words
from flows.extract.resolver import resolver_for
from flows.extract.statements import Utterance
from flows.extract.syntax import subject_of, trim

WORDS = load_words()

FIRST_PERSON = WORDS.pronouns.first_person
TO_INFINITIVE_DEPS = {"xcomp", "advcl", "ccomp"}
ATTRIBUTION_DEPS = {"parataxis"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl"}
MODALS = WORDS.modality.demand_modals
NEED_VERBS = WORDS.modality.need_verbs
BREAKS = {",", ";", ":", "—", "–"}


class Agents:
    """Subjects and agents of clauses, resolved by the article's one `Resolver`."""

    def __init__(self, article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]):
        self.a = article
        self.actors = actors
        self.utterances = utterances
        self.resolver = resolver_for(actors)
        self.resolver.bind_utterances(utterances)

    def resolve(self, tok: Token | None) -> str | None:
        return self.resolver.resolve(tok)

    def resolve_all(self, tok: Token | None) -> list[str]:
        """Each actor of a possibly conjoined phrase ("Russia and the United States")."""
        return self.resolver.resolve_all(tok)

    def subject(self, verb: Token) -> Token | None:
        """The subject of `verb`; for a participle modifying a noun ("a declaration demanding ..."),
        the subject of the clause that noun belongs to; for a verb misparsed under its own subject
        noun ("The chief called on ..."), that noun."""
        subj = subject_of(verb)
        if subj is not None and subj.pos_ == "VERB":  # "The Red Cross operating in X said": a misparsed participle
            subj = next((c for c in subj.children if c.dep_ == "nsubj"), subj)
        if subj is not None:
            return subj
        if verb.dep_ == "acl":
            noun = verb.head
            if noun.dep_ in {"ROOT", "nsubj"}:
                return noun
            if noun.head.i != noun.i:
                return subject_of(noun.head)
        return None


class ClauseFinder:
    """What the demand and offer finders share: the article, its actors and utterances, the
    agent resolver, the records found so far, and the clause heads and spans already used."""

    def __init__(self, article: ParsedArticle, actors: ActorIndex, utterances: list[Utterance]):
        self.a = article
        self.actors = actors
        self.utterances = utterances
        self.agents = Agents(article, actors, utterances)
        self.resolver = self.agents.resolver
        self.out: list = []
        self.heads: set[int] = set()
        self.spans: list[tuple[int, int]] = []


def in_condition(tok: Token) -> bool:
    """`tok` sits in an if/unless/whether clause (or under one)."""
    for t in [tok, *tok.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in t.children):
            return True
    return False


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def to_infinitive(verb: Token) -> Token | None:
    """A to-infinitive complement of `verb` ("urged them [to withdraw]")."""
    for c in verb.children:
        if (
            c.dep_ in TO_INFINITIVE_DEPS
            and c.pos_ in {"VERB", "AUX"}
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
        ):
            return c
    return None


def modal_of(verb: Token) -> Token | None:
    """The deontic modal governing `verb`: "must/should go", "needs/has to go"."""
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in MODALS:
            return c
    if (
        verb.dep_ == "xcomp"
        and verb.head.lemma_.lower() in NEED_VERBS
        and any(g.dep_ == "aux" and g.lower_ == "to" for g in verb.children)
    ):
        return verb.head
    return None


def is_dated(tok: Token) -> bool:
    """A date or time adjunct: "on Sunday", "last week", "in March"."""
    return tok.dep_ in {"prep", "npadvmod"} and any(g.ent_type_ in {"DATE", "TIME"} for g in [tok, *tok.children])


def action_span(article: ParsedArticle, head: Token, drop: Iterable[Token] = ()) -> tuple[int, int, str]:
    """The clause headed by `head` as (start, end, text): from its subject (or its verb) on, without the
    `drop` subtrees (a subject), fronted adjuncts ("Following the protests, ..."), trailing attributions
    ("..., he said"), the modal, the infinitive marker or complementiser; never across a paragraph."""
    cut: set[int] = set()  # removed material that ends the clause where it stands
    for d in drop:
        cut.update(t.i for t in d.subtree)
    quiet: set[int] = set()  # removed words that do not interrupt it
    first_kept = head.i
    for c in head.children:
        if c.i > head.i and (c.dep_ in ATTRIBUTION_DEPS or (c.dep_ == "prep" and c.lower_ == "according")):
            cut.update(t.i for t in c.subtree)  # "..., he said", "..., according to the statement"
        elif (c.dep_ == "aux" and (c.lower_ in MODALS or c.tag_ == "MD" or c.lower_ == "to")) or (
            c.dep_ == "mark" and c.lower_ in {"that", "to"}
        ):
            quiet.add(c.i)
        if c.i < head.i and ((c.dep_ in SUBJECT_DEPS and c.i not in cut) or c.dep_ in {"aux", "auxpass", "neg"}):
            first_kept = min(first_kept, c.left_edge.i)
    for t in head.subtree:  # "..., dismissing the claims": a participle set off by a comma
        if (
            t.i > head.i
            and t.dep_ in {"advcl", "acl", "npadvmod"}
            and t.tag_ == "VBG"
            and (article.doc[t.left_edge.i - 1].lower_ == ",")
        ):
            cut.update(x.i for x in t.subtree)
    if head.pos_ in {"NOUN", "PROPN"}:  # "a ceasefire on Sunday": when it was offered is not what
        for c in head.children:
            if c.i > head.i and is_dated(c):
                cut.update(t.i for t in c.subtree)
    if head.dep_ == "xcomp" and head.head.lemma_.lower() in NEED_VERBS:
        quiet.add(head.head.i)
    if head.pos_ in {"VERB", "AUX"}:  # fronted adjuncts before the subject are not the action
        cut.update(range(head.left_edge.i, first_kept))
    lo, hi = head.left_edge.i, head.right_edge.i
    first = head.i
    subject = {t.i for c in head.children if c.dep_ in SUBJECT_DEPS and c.i not in cut for t in c.subtree}
    while first - 1 >= lo and first - 1 not in cut and (first - 1 in subject or not _boundary(article.doc[first - 1])):
        first -= 1
    last = head.i
    while last + 1 <= hi and last + 1 not in cut and "\n" not in article.doc[last + 1].text:
        last += 1
    toks = [t for t in article.doc[first : last + 1] if t.i not in quiet]
    while len(toks) > 1 and (toks[-1].dep_ == "cc" or toks[-1].is_punct):
        toks.pop()
    start, end = trim(article.text, toks[0].idx, toks[-1].idx + len(toks[-1]))
    text = "".join(t.text_with_ws for t in toks if start <= t.idx < end).strip()
    start2, end2 = trim(text, 0, len(text))
    return start, end, text[start2:end2]


def _boundary(tok: Token) -> bool:
    """A paragraph break or a dash/colon/semicolon: no action clause reaches back across it."""
    return "\n" in tok.text or tok.text in BREAKS - {","}


def tail_span(article: ParsedArticle, verb: Token, first: Token) -> tuple[int, int, str]:
    """From `first` to the end of `verb`'s clause, leaving out trailing adjuncts set off by a comma
    ("..., warning that ...", "..., he said"): for clauses the parser attached to the wrong head."""
    last = verb.right_edge.i
    for c in verb.children:
        if c.i <= first.i or c.left_edge.i == 0:
            continue
        set_off = article.doc[c.left_edge.i - 1].lower_ in BREAKS
        hard_stop = c.dep_ == "punct" and c.lower_ in BREAKS - {","}
        if (c.dep_ in {"advcl", "parataxis", "npadvmod"} and set_off) or hard_stop:
            last = min(last, c.left_edge.i - 1)
    toks = list(article.doc[first.i : last + 1])
    brk = next((k for k, t in enumerate(toks) if "\n" in t.text), None)
    toks = toks[:brk] if brk is not None else toks
    if not toks:
        return first.idx, first.idx, ""
    start, end = trim(article.text, toks[0].idx, toks[-1].idx + len(toks[-1]))
    return start, end, article.text[start:end]
