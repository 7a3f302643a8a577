"""The declared extraction pipeline: registered components, their order, and Docs carrying records."""

from __future__ import annotations

import importlib

import pytest
from spacy.tokens import Doc

from flows.extract import EXTRACTION_PIPES, add_extraction_pipes, article_docs, extract_doc
from flows.extract.components import Component
from flows.extract.nlp import MODEL_PACKAGES, parse_ready
from flows.records import Article

TEXTS = [
    "Kenya demanded on Monday that Uganda withdraw its troops from the border.",
    "“We are ready to talk,” said Foreign Minister Anna Berg of Norway. Sweden rejected the proposal.",
]


def _articles() -> list[Article]:
    return [Article(f"a{i}", None, None, None, None, t, f"h{i}", "f") for i, t in enumerate(TEXTS)]


@pytest.fixture(scope="module")
def extracting_nlp():
    """A second copy of the model with the extraction components added (the shared one stays bare)."""
    for name in MODEL_PACKAGES:
        try:
            nlp = importlib.import_module(name).load()
        except ImportError:
            continue
        nlp.add_pipe("paragraph_boundaries", before="parser")
        return add_extraction_pipes(nlp)
    pytest.skip("no spaCy English model")


def test_components_follow_the_models_own_in_declared_order(extracting_nlp):
    names = extracting_nlp.pipe_names
    assert names[-len(EXTRACTION_PIPES) :] == list(EXTRACTION_PIPES)
    assert names.index("parser") < names.index("parley_article")
    add_extraction_pipes(extracting_nlp)  # idempotent
    assert extracting_nlp.pipe_names == names


def test_every_requirement_is_assigned_by_an_earlier_component(extracting_nlp):
    analysis = extracting_nlp.analyze_pipes(pretty=False)
    assert not any(analysis["problems"].values()), analysis["problems"]
    meta = extracting_nlp.get_pipe_meta("parley_responses")
    assert "doc._.parley_demands" in meta.requires and "doc._.parley_responses" in meta.assigns


def test_nlp_pipe_yields_docs_carrying_the_same_records_as_extract_doc(extracting_nlp, nlp):
    docs = list(extracting_nlp.pipe(article_docs(extracting_nlp, _articles())))
    for a, doc in zip(_articles(), docs, strict=True):
        assert doc._.parley_error is None
        direct = extract_doc(a.article_id, a.text, nlp(parse_ready(a.text)))
        assert doc._.parley_extraction.to_dict() == direct.to_dict()
        assert doc._.parley_utterances is not None and doc._.parley_actors is not None
    first = docs[0]._.parley_extraction
    assert [d.demander_name for d in first.demands] == ["Kenya"]


def test_a_failing_component_marks_its_doc_and_the_batch_goes_on(extracting_nlp, monkeypatch):
    def broken(self: Component, doc: Doc) -> None:
        if "Kenya" in doc.text:
            raise KeyError("rule bug")
        return original(self, doc)

    cls = type(extracting_nlp.get_pipe("parley_demands"))
    original = cls.step
    monkeypatch.setattr(cls, "step", broken)
    docs = list(extracting_nlp.pipe(article_docs(extracting_nlp, _articles())))
    assert docs[0]._.parley_error == "KeyError: 'rule bug'" and docs[0]._.parley_extraction is None
    assert docs[1]._.parley_error is None and docs[1]._.parley_extraction.responses


def test_gazetteer_mentions_are_spans_of_the_phrase_matcher(nlp):
    text = "The U.S. and the European Union met Côte d'Ivoire in Geneva."
    doc = nlp(text)
    extract_doc("t", text, doc)
    assert [s.label_ for s in doc.spans["parley_gazetteer"]][:2] == ["United States", "European Union"]
