"""Extraction: a declared spaCy pipeline from a parsed article to the six record types.

The components are in `flows.extract.components` (what each requires and assigns); `extract_doc`
runs them over a Doc the model parsed, `extract_articles` parses and extracts a stream of articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from flows.extract.components import EXTRACTION_PIPES, add_extraction_pipes, article_docs, run_extraction
from flows.extract.lexicon import check_lexicons
from flows.extract.nlp import parse_ready
from flows.records import Article, Extraction

check_lexicons()  # a bad lexicon file fails here, at start-up, never mid-article

__all__ = [
    "EXTRACTION_PIPES",
    "add_extraction_pipes",
    "article_docs",
    "extract_articles",
    "extract_doc",
    "extract_or_quarantine",
]


def extract_doc(article_id: str, text: str, doc: Doc) -> Extraction:
    """All records of one article from its parsed text (the extraction components, run in order)."""
    return run_extraction(doc, article_id, text)


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
