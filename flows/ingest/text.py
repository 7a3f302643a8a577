"""Text-level checks used by ingest: hashing, binary sniffing, strict decoding, language, truncation."""

from __future__ import annotations

import hashlib
import re
from functools import cache

# leading bytes of common non-text files people drop by mistake
BINARY_MAGIC: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx/.epub)",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a legacy Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
SNIFF_BYTES = 8192
MAX_CONTROL_SHARE = 0.05  # share of control bytes (other than tab/newline/cr/ff) above which a file is binary
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")

WORD = re.compile(r"[^\W\d_]+")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


class IngestError(Exception):
    """One input that cannot be ingested: a reason code, a sentence for people, maybe a line."""

    def __init__(self, reason: str, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.line = line


def normalise_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


def content_hash(text: str) -> str:
    """sha256 (hex) of the whitespace-normalised text: one article laid out differently hashes the same."""
    return hashlib.sha256(normalise_ws(text).encode("utf-8")).hexdigest()


def sniff_binary(head: bytes) -> str | None:
    """What binary thing `head` (the first bytes of a file) looks like, or None if it looks like text."""
    for magic, what in BINARY_MAGIC.items():
        if head.startswith(magic):
            return what
    if not head:
        return None
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    if controls / len(head) > MAX_CONTROL_SHARE:
        return f"binary data ({controls} control bytes in the first {len(head)})"
    return None


def line_of(data: bytes | str, offset: int) -> int:
    """1-based line number of the byte or character at `offset`."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1


def decode_utf8(data: bytes, base_offset: int = 0, line: int | None = None) -> str:
    """Strict UTF-8 decode (a leading BOM is dropped); an invalid byte raises IngestError with its offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = base_offset + exc.start
        bad = data[exc.start : exc.start + 1].hex()
        raise IngestError(
            "invalid_utf8",
            f"the file is not valid UTF-8: byte 0x{bad} at byte offset {offset} ({exc.reason}); "
            "save it as UTF-8 and drop it again",
            line if line is not None else line_of(data, exc.start),
        ) from None


def check_no_nul(data: bytes | str, base_offset: int = 0, line: int | None = None) -> None:
    """Raise IngestError if the bytes or text contain a NUL (offsets count from `base_offset`)."""
    nul = b"\x00" if isinstance(data, bytes) else "\x00"
    pos = data.find(nul)
    if pos >= 0:
        unit = "byte" if isinstance(data, bytes) else "character"
        raise IngestError(
            "nul_byte",
            f"the text contains a NUL byte at {unit} offset {base_offset + pos}; real text never does",
            line if line is not None else line_of(data, pos),
        )


@cache
def _english_function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def english_share(text: str) -> tuple[int, float]:
    """(number of word tokens, share of them that are English function words) in the first 20k chars."""
    words = WORD.findall(text[:20_000].lower())
    if not words:
        return 0, 0.0
    stop = _english_function_words()
    return len(words), sum(w in stop for w in words) / len(words)


def truncate_text(text: str, max_chars: int) -> str:
    """Cut `text` to at most `max_chars`, at the last paragraph, line, sentence or word boundary
    in the second half of the allowance (a hard cut only if there is none)."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    floor = max_chars // 2
    for sep in ("\n\n", "\n"):
        cut = head.rfind(sep)
        if cut >= floor:
            return head[:cut].rstrip()
    ends = [m.end() for m in SENTENCE_END.finditer(head, floor)]
    if ends:
        return head[: ends[-1]].rstrip()
    cut = max(head.rfind(" "), head.rfind("\t"))
    return (head[:cut] if cut >= floor else head).rstrip()
