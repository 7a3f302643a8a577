"""The extraction as one declared spaCy pipeline: registered components that state what they need and give.

Each component is a `@Language.factory`; they run after the model's own components (tagger, parser,
NER and `paragraph_boundaries`) in this order, each reading what the ones before it assigned:

| component | requires | assigns |
|---|---|---|
| `parley_article` | `token.dep`, `doc.ents`, `doc.sents` | `doc._.parley_article` (text, sentences, evidence) |
| `parley_mentions` | `doc._.parley_article` | `doc.spans["parley_gazetteer"]` (gazetteer matches) |
| `parley_actors` | `doc.spans["parley_gazetteer"]` | `doc._.parley_actors` (mentions, actors, the one resolver) |
| `parley_utterances` | `doc._.parley_actors` | `doc._.parley_utterances` (quotes and reported speech) |
| `parley_demands` | `doc._.parley_utterances` | `doc._.parley_demands` |
| `parley_offers` | `doc._.parley_utterances` | `doc._.parley_offers` |
| `parley_responses` | `doc._.parley_demands`, `doc._.parley_offers` | `doc._.parley_responses` |
| `parley_negotiations` | `doc._.parley_actors` | `doc._.parley_negotiations` |
| `parley_records` | all of the above | `doc._.parley_extraction` (the article's `Extraction`) |

`add_extraction_pipes(nlp)` adds them (by name, from `EXTRACTION_PIPES`) after the model's components,
so `nlp.pipe(article_docs(nlp, articles))` yields Docs carrying their records; a component that fails
marks the Doc (`doc._.parley_error`) and the later ones skip it, so one bad article never ends a batch.
`run_extraction(doc)` runs the same components over a Doc parsed without them (errors propagate).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from flows.extract.actors import ActorIndex
from flows.extract.demands import find_demands
from flows.extract.document import ParsedArticle
from flows.extract.mentions import GAZETTEER_SPANS, gazetteer_matches
from flows.extract.negotiations import find_negotiations
from flows.extract.nlp import parse_ready
from flows.extract.offers import find_offers
from flows.extract.responses import find_responses
from flows.extract.statements import find_utterances
from flows.extract.statements import to_records as statement_records
from flows.records import Article, Extraction

EXTENSIONS = (
    "parley_article_id",
    "parley_text",
    "parley_article",
    "parley_actors",
    "parley_utterances",
    "parley_demands",
    "parley_offers",
    "parley_responses",
    "parley_negotiations",
    "parley_extraction",
    "parley_error",
)
for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class Component:
    """A parley extraction step: `step(doc)` does the work (and may raise); calling the component in a
    spaCy pipeline records a failure on the Doc instead, and skips Docs an earlier step marked."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def step(self, doc: Doc) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        if doc._.parley_error is None:
            try:
                self.step(doc)
            except Exception as exc:  # noqa: BLE001 - a bug in the rules costs one article, not the batch
                doc._.parley_error = f"{type(exc).__name__}: {exc}"[:500]
        return doc


@Language.factory(
    "parley_article",
    requires=["token.dep", "doc.ents", "doc.sents"],
    assigns=["doc._.parley_article"],
)
class ArticleComponent(Component):
    def step(self, doc: Doc) -> None:
        text = doc._.parley_text if doc._.parley_text is not None else doc.text
        doc._.parley_article = ParsedArticle(doc._.parley_article_id or "", text, doc)


@Language.factory(
    "parley_mentions",
    requires=["doc._.parley_article"],
    assigns=["doc.spans"],
)
class MentionComponent(Component):
    def step(self, doc: Doc) -> None:
        doc.spans[GAZETTEER_SPANS] = gazetteer_matches(doc)


@Language.factory("parley_actors", requires=["doc.spans", "doc._.parley_article"], assigns=["doc._.parley_actors"])
class ActorComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_actors = ActorIndex(doc._.parley_article)


@Language.factory("parley_utterances", requires=["doc._.parley_actors"], assigns=["doc._.parley_utterances"])
class UtteranceComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_utterances = find_utterances(doc._.parley_article, doc._.parley_actors)


@Language.factory("parley_demands", requires=["doc._.parley_utterances"], assigns=["doc._.parley_demands"])
class DemandComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_demands = find_demands(doc._.parley_article, doc._.parley_actors, doc._.parley_utterances)


@Language.factory("parley_offers", requires=["doc._.parley_utterances"], assigns=["doc._.parley_offers"])
class OfferComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_offers = find_offers(doc._.parley_article, doc._.parley_actors, doc._.parley_utterances)


@Language.factory(
    "parley_responses",
    requires=["doc._.parley_demands", "doc._.parley_offers"],
    assigns=["doc._.parley_responses"],
)
class ResponseComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_responses = find_responses(
            doc._.parley_article,
            doc._.parley_actors,
            doc._.parley_utterances,
            doc._.parley_demands,
            doc._.parley_offers,
        )


@Language.factory("parley_negotiations", requires=["doc._.parley_actors"], assigns=["doc._.parley_negotiations"])
class NegotiationComponent(Component):
    def step(self, doc: Doc) -> None:
        doc._.parley_negotiations = find_negotiations(doc._.parley_article, doc._.parley_actors)


@Language.factory(
    "parley_records",
    requires=[
        "doc._.parley_utterances",
        "doc._.parley_demands",
        "doc._.parley_offers",
        "doc._.parley_responses",
        "doc._.parley_negotiations",
    ],
    assigns=["doc._.parley_extraction"],
)
class RecordComponent(Component):
    def step(self, doc: Doc) -> None:
        article, actors, utterances = doc._.parley_article, doc._.parley_actors, doc._.parley_utterances
        demands, offers = doc._.parley_demands, doc._.parley_offers
        responses, negotiations = doc._.parley_responses, doc._.parley_negotiations
        involved = {u.speaker for u in utterances}
        involved |= {n for d in demands for n in (d.demander_name, d.addressee_name)}
        involved |= {n for o in offers for n in (o.offerer_name, o.recipient_name)}
        involved |= {n for r in responses for n in (r.responder_name, r.to_actor_name)}
        involved |= {p for n in negotiations for p in [*n.parties, n.mediator_name]}
        involved.discard(None)
        actor_recs, mentions = actors.to_records(article.article_id, involved)
        doc._.parley_extraction = Extraction(
            article.article_id,
            actor_recs,
            mentions,
            _unique(statement_records(article, utterances)),
            _unique(demands),
            _unique(offers),
            _unique(responses),
            _unique(negotiations),
        )


# the declared order: what `add_extraction_pipes` adds after the model's own components
EXTRACTION_PIPES = (
    "parley_article",
    "parley_mentions",
    "parley_actors",
    "parley_utterances",
    "parley_demands",
    "parley_offers",
    "parley_responses",
    "parley_negotiations",
    "parley_records",
)


def _unique(records: list) -> list:
    """Drop records whose id repeats (two rules finding the same span): the first found wins."""
    seen: set[str] = set()
    out = []
    for r in records:
        key = next(v for k, v in vars(r).items() if k.endswith("_id") and k != "article_id")
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def add_extraction_pipes(nlp: Language) -> Language:
    """Add the extraction components after the model's own (once; returns `nlp`)."""
    for name in EXTRACTION_PIPES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


@functools.lru_cache(maxsize=1)
def _steps() -> tuple[Component, ...]:
    """The components, made once per process from a blank pipeline holding only them (for Docs that
    were parsed without them)."""
    holder = add_extraction_pipes(Language())
    return tuple(proc for _, proc in holder.pipeline)


def run_extraction(doc: Doc, article_id: str, text: str) -> Extraction:
    """Run the extraction components over a parsed Doc of `text`; a failing rule raises."""
    doc._.parley_article_id, doc._.parley_text = article_id, text
    for comp in _steps():
        comp.step(doc)
    return doc._.parley_extraction


def article_docs(nlp: Language, articles: Iterable[Article]) -> Iterator[Doc]:
    """Unparsed Docs of the articles, carrying their ids and texts, for `nlp.pipe` with the extraction pipes."""
    for a in articles:
        doc = nlp.make_doc(parse_ready(a.text))
        doc._.parley_article_id, doc._.parley_text = a.article_id, a.text
        yield doc
