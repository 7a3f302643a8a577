"""Extraction: pure functions from a parsed article to the six record types."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from flows.extract.actors import ActorIndex
from flows.extract.demands import find_demands
from flows.extract.document import ParsedArticle
from flows.extract.lexicon import check_lexicons
from flows.extract.negotiations import find_negotiations
from flows.extract.nlp import parse_ready
from flows.extract.offers import find_offers
from flows.extract.responses import find_responses
from flows.extract.statements import find_utterances
from flows.extract.statements import to_records as statement_records
from flows.records import Article, Extraction

check_lexicons()  # a bad lexicon file fails here, at start-up, never mid-article


def extract_doc(article_id: str, text: str, doc: Doc) -> Extraction:
    """All records of one article from its parsed text."""
    parsed = ParsedArticle(article_id, text, doc)
    actors = ActorIndex(parsed)
    utterances = find_utterances(parsed, actors)
    demands = find_demands(parsed, actors, utterances)
    offers = find_offers(parsed, actors, utterances)
    responses = find_responses(parsed, actors, utterances, demands, offers)
    negotiations = find_negotiations(parsed, actors)
    involved = {u.speaker for u in utterances}
    involved |= {n for d in demands for n in (d.demander_name, d.addressee_name)}
    involved |= {n for o in offers for n in (o.offerer_name, o.recipient_name)}
    involved |= {n for r in responses for n in (r.responder_name, r.to_actor_name)}
    involved |= {p for n in negotiations for p in [*n.parties, n.mediator_name]}
    involved.discard(None)
    actor_recs, mentions = actors.to_records(article_id, involved)
    return Extraction(
        article_id,
        actor_recs,
        mentions,
        _unique(statement_records(parsed, utterances)),
        _unique(demands),
        _unique(offers),
        _unique(responses),
        _unique(negotiations),
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


def extract_articles(
    nlp: Language, articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 32
) -> Iterator[Extraction]:
    """Parse and extract a stream of articles, in order (spaCy multiprocessing when n_process > 1)."""
    pairs = ((parse_ready(a.text), (a.article_id, a.text)) for a in articles)
    for doc, (article_id, text) in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield extract_or_quarantine(article_id, text, doc)


def extract_or_quarantine(article_id: str, text: str, doc: Doc) -> Extraction:
    """`extract_doc`, but a rule that fails on one article marks that article instead of ending the batch."""
    try:
        return extract_doc(article_id, text, doc)
    except Exception as exc:  # noqa: BLE001 - any bug in the rules must cost one article, not the run
        return Extraction(article_id, error=f"{type(exc).__name__}: {exc}"[:500])
