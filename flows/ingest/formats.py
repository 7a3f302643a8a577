"""Parsers for the file formats parley ingests; each turns one file (or one line) into raw records.

A raw record is the article fields as found (not yet validated); problems with the file itself raise
`IngestError`. Field validation, language checks and truncation happen in `flows.ingest.raw_dir`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

from flows.ingest.text import IngestError, check_no_nul, decode_utf8

METADATA_FIELDS = ("article_id", "source", "url", "title", "published_at", "license")
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES
MAX_TITLE_CHARS = 200
HTML_META_PREFIX = "parley:"  # <meta name="parley:article_id" content="...">, parley:source, ...


@dataclass
class RawRecord:
    """One article as found in a file: a JSON value (should be an object with `text`) and where it was."""

    fields: object
    line: int | None = None
    label: str = ""  # how to name it in messages when there is no line, e.g. "record 3"


# --- .txt / .md -------------------------------------------------------------------------------


def _front_matter_value(raw: str) -> str | None:
    value = raw.strip()
    if value in ("", "~", "null"):
        return None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def split_front_matter(text: str) -> tuple[dict[str, str | None], str, int]:
    """(metadata, body, line number where the body starts) of a text with an optional `---` block.

    The block is `key: value` lines between a first line `---` and the next line `---`; values may
    be quoted; `#` lines and blank lines are skipped. Unknown keys are kept (and ignored later).
    """
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text, 1
    close = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
    if close is None:
        raise IngestError(
            "bad_front_matter", "front matter opened by '---' on line 1 is never closed by a '---' line", 1
        )
    meta: dict[str, str | None] = {}
    for number, line in enumerate(lines[1:close], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, colon, value = stripped.partition(":")
        if not colon or not key.strip():
            raise IngestError(
                "bad_front_matter",
                f"front matter line {number} is not a 'key: value' line: {stripped[:60]!r}",
                number,
            )
        meta[key.strip()] = _front_matter_value(value)
    return meta, "\n".join(lines[close + 1 :]), close + 2


def guess_title(body: str) -> str | None:
    """The first line, if it is short, is followed by a blank line and does not end like a sentence."""
    first, _, rest = body.partition("\n")
    first = first.strip()
    if not first or len(first) > MAX_TITLE_CHARS or first.endswith("."):
        return None
    second = rest.split("\n", 1)[0]
    return first if second.strip() == "" and rest.strip() else None


def parse_text_document(text: str) -> RawRecord:
    """A .txt/.md article: optional front matter, then the text (kept whole, title line included;
    Windows/old Mac line ends become newlines)."""
    meta, body, _ = split_front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    body = body.strip()
    fields: dict[str, object] = dict(meta)
    if fields.get("title") is None:
        fields["title"] = guess_title(body)
    fields["text"] = body
    return RawRecord(fields)


# --- .html / .htm ------------------------------------------------------------------------------


def _parley_meta(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name.startswith(HTML_META_PREFIX):
            key = name[len(HTML_META_PREFIX) :]
            if key in METADATA_FIELDS and meta.get("content") is not None:
                found.setdefault(key, meta.get("content"))
    return found


def parse_html_document(data: bytes) -> RawRecord:
    """The main text of a web page via trafilatura, with its title, date, url and site name;
    `parley:*` meta tags (article_id, source, license, ...) take precedence over what it finds."""
    import trafilatura

    tree = trafilatura.load_html(data)
    if tree is None:
        raise IngestError("no_article_text", "the file could not be parsed as an HTML page")
    parley = _parley_meta(tree)
    # favor_precision: a page without an article yields nothing rather than its menus and footers
    doc = trafilatura.bare_extraction(
        tree, with_metadata=True, favor_precision=True, include_comments=False, include_images=False
    )
    # trafilatura puts one block (paragraph, heading, list item) per line; keep a blank line between
    # blocks like the other formats do, so paragraph-aware steps see the same layout
    blocks = (doc.text or "").splitlines() if doc is not None else []
    text = "\n\n".join(b.strip() for b in blocks if b.strip())
    if not text:
        raise IngestError(
            "no_article_text", "no article text was found in the HTML page (only navigation or boilerplate)"
        )
    fields: dict[str, object] = {
        "source": doc.sitename or doc.hostname,
        "url": doc.url,
        "title": doc.title,
        "published_at": doc.date,
        "license": doc.license,
    }
    fields.update(parley)
    fields["text"] = text
    return RawRecord(fields)


# --- .json / .jsonl ----------------------------------------------------------------------------


def _json_error(exc: json.JSONDecodeError, line: int | None = None) -> IngestError:
    line = line or exc.lineno
    return IngestError("invalid_json", f"malformed JSON at line {line}, column {exc.colno}: {exc.msg}", line)


def _loads(text: str, line: int | None = None) -> object:
    """json.loads, every failure an IngestError: malformed, nested too deeply, or a number too long to convert."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(exc, line) from None
    except RecursionError:
        raise IngestError("invalid_json", "the JSON is nested too deeply to be read", line) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise IngestError("invalid_json", f"the JSON cannot be read: {exc}", line) from None


def parse_json_document(text: str) -> list[RawRecord]:
    """A .json file: one record (an object) or a list of records."""
    value = _loads(text)
    if isinstance(value, list):
        if not value:
            raise IngestError("empty", "the JSON file holds an empty list: there is no article in it")
        return [RawRecord(item, None, f"record {i}") for i, item in enumerate(value, start=1)]
    return [RawRecord(value)]


def iter_jsonl(fh: IO[bytes], max_line_bytes: int) -> Iterator[RawRecord | IngestError]:
    """Stream a .jsonl file line by line (never more than `max_line_bytes` + 1 bytes in memory);
    yields a RawRecord per good line and an IngestError per bad line. Blank lines are skipped."""
    offset = 0
    for number in itertools.count(1):
        raw = fh.readline(max_line_bytes + 1)
        if not raw:
            return
        start, offset = offset, offset + len(raw)
        content = raw.rstrip(b"\r\n")
        if len(content) > max_line_bytes:
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line without keeping it
                raw = fh.readline(max_line_bytes + 1)
                offset += len(raw)
            yield IngestError(
                "line_too_large",
                f"line {number} is longer than the limit of {max_line_bytes} bytes per line",
                number,
            )
            continue
        if number == 1 and content.startswith(b"\xef\xbb\xbf"):
            content, start = content[3:], start + 3
        if not content.strip():
            continue
        try:
            check_no_nul(content, start, number)
            text = decode_utf8(content, start, number)
        except IngestError as exc:
            yield exc
            continue
        try:
            value = _loads(text, number)
        except IngestError as exc:
            yield exc
            continue
        yield RawRecord(value, number)
