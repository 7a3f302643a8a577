"""Quotation spans in every common typography, paragraph by paragraph.

Straight and curly double quotes (mixed too: `"Let me be clear,” he added`), quotes
split around "he said", quotes spanning sentences. An opening mark that is never
closed ends its quote at the paragraph's end (the newswire convention for quotes that
run on into the next paragraph), so an unbalanced mark never swallows the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN_MARKS = {"“", "„", "«"}
CLOSE_MARKS = {"”", "»"}
STRAIGHT = '"'
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
MAX_QUOTE_CHARS = 3000


@dataclass(frozen=True)
class Quote:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    closed: bool


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _PARAGRAPH.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if b > a]


def _role(text: str, i: int) -> str:
    """'open', 'close' or 'none' for the quote mark at text[i]."""
    ch = text[i]
    if ch in OPEN_MARKS:
        return "open"
    if ch in CLOSE_MARKS:
        return "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/") and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return "close"
    return "ambiguous"


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    for p_start, p_end in _paragraphs(text):
        open_at: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
            if ch not in OPEN_MARKS and ch not in CLOSE_MARKS and ch != STRAIGHT:
                continue
            role = _role(text, i)
            if role == "ambiguous":
                role = "close" if open_at is not None else "open"
            if role == "open":
                if open_at is not None and ch != STRAIGHT:
                    open_at = None  # a second opening mark: the first was never closed
                if open_at is None:
                    open_at = i + 1
                else:  # straight mark read as open while one is pending: treat it as the close
                    quotes.append(Quote(open_at, i, True))
                    open_at = None
            elif open_at is not None:
                if i - open_at <= MAX_QUOTE_CHARS and i > open_at:
                    quotes.append(Quote(open_at, i, True))
                open_at = None
        if open_at is not None and p_end - open_at <= MAX_QUOTE_CHARS:
            end = p_end
            while end > open_at and text[end - 1].isspace():
                end -= 1
            if end > open_at:
                quotes.append(Quote(open_at, end, False))
    return quotes


def inside(quotes: list[Quote], char: int) -> Quote | None:
    for q in quotes:
        if q.start <= char < q.end:
            return q
    return None
