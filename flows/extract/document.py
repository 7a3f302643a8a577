"""A parsed article: the spaCy doc plus helpers to cite evidence by character offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from flows.records import Evidence


@dataclass
class ParsedArticle:
    article_id: str
    text: str
    doc: Doc
    sentences: list[Span] = field(init=False)
    _starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.sentences = [s for s in self.doc.sents if s.text.strip()]
        self._starts = [s.start_char for s in self.sentences]

    def sentence_index(self, char: int) -> int:
        """Index of the sentence holding character offset `char`."""
        return max(0, bisect.bisect_right(self._starts, char) - 1)

    def is_question(self, char: int) -> bool:
        """The sentence holding `char` asks rather than states ("Has Israel agreed to the text?")."""
        return self.sentence_at(char).text.rstrip().rstrip("\"”’'").endswith("?")

    def sentence_at(self, char: int) -> Span:
        return self.sentences[self.sentence_index(char)]

    def evidence(self, start_char: int, end_char: int) -> Evidence:
        """The sentence(s) covering [start_char, end_char), trimmed, with their offsets."""
        first = self.sentences[self.sentence_index(start_char)]
        last = self.sentences[self.sentence_index(max(start_char, end_char - 1))]
        start, end = first.start_char, last.end_char
        raw = self.text[start:end]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        return Evidence(evidence_text=body, evidence_start=start + lead, evidence_end=start + lead + len(body))
