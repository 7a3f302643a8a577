"""Read the articles dropped into the raw directory; quarantine anything bad instead of failing.

Accepted: `.txt`/`.md` (optional `---` front matter), `.html`/`.htm` (main text by trafilatura),
`.json` (one record or a list), `.jsonl` (one record per line, streamed). See `raw/README.md`.

Every bad input becomes exactly one `RejectedInput` (file relative to the raw directory, line where
it applies, a reason code, a sentence). Reason codes:
  empty, whitespace_only, binary, invalid_utf8, nul_byte, too_large, line_too_large, invalid_json,
  bad_record, missing_text, bad_field_type, bad_field_value, bad_front_matter, no_article_text,
  not_english, unsupported_format, unreadable, not_regular_file, symlink_outside_raw_dir,
  broken_symlink, vanished, changed_while_reading, duplicate_article_id.
Silently ignored: hidden files and directories (`.DS_Store`, `.gitkeep`, ...) and a README
(`README.md`, `README.txt`, `README`, any case) directly in the raw directory.
The same text dropped twice (equal after whitespace normalisation) is stored once: the first by sorted
path wins and the others are counted in `IngestResult.duplicates`, not rejected.

Given the records of files read before (`flows.ingest.file_index`), a file whose size and mtime are
unchanged is not read: its record is replayed (article keys and rejections, in file order), so the
de-duplication, counts and rejections are those of a real read, and `IngestResult.unchanged` counts
its articles (which the warehouse holds) instead of listing them.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flows.ingest.file_index import ArticleKey, FileRecord, reader_key, unchanged
from flows.ingest.formats import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    METADATA_FIELDS,
    SUPPORTED_SUFFIXES,
    RawRecord,
    iter_jsonl,
    parse_html_document,
    parse_json_document,
    parse_text_document,
)
from flows.ingest.text import (
    SNIFF_BYTES,
    IngestError,
    check_no_nul,
    content_hash,
    decode_utf8,
    english_share,
    sniff_binary,
    truncate_text,
)
from flows.records import Article, RejectedInput

__all__ = [
    "IngestLimits",
    "IngestResult",
    "RawFile",
    "content_hash",
    "iter_raw_files",
    "read_raw_dir",
    "read_raw_file",
]

README_NAMES = frozenset({"readme", "readme.md", "readme.txt"})
JSON_TYPE_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@dataclass(frozen=True)
class IngestLimits:
    """Limits on what one raw input may be."""

    max_file_bytes: int = 10 * 1024 * 1024  # larger files are rejected unread (.jsonl excepted: streamed)
    max_article_chars: int = 200_000  # longer texts are truncated at a paragraph/sentence boundary
    min_words_for_language: int = 20  # shorter texts are not judged for language
    min_english_share: float = 0.15  # share of English function words below which a text is not English

    @property
    def max_line_bytes(self) -> int:
        """Longest .jsonl line accepted: an article of max_article_chars at 4 bytes per UTF-8 char."""
        return self.max_article_chars * 4


@dataclass
class IngestResult:
    articles: list[Article] = field(default_factory=list)
    rejected: list[RejectedInput] = field(default_factory=list)
    duplicates: int = 0  # inputs whose text was already read from another file or line
    notes: list[str] = field(default_factory=list)  # warnings: truncations, duplicates skipped, ...
    unchanged: int = 0  # articles of unchanged files, replayed from their records (not in `articles`)
    files_read: list[str] = field(default_factory=list)  # files read this run (relative paths)
    files_unchanged: list[str] = field(default_factory=list)  # files replayed from their records
    file_records: list[FileRecord] = field(default_factory=list)  # what reading each file gave, to record


@dataclass(frozen=True)
class RawFile:
    """One entry of the raw directory, as listed (stat follows symlinks; None when it could not)."""

    path: Path
    rel: str
    listed: os.stat_result | None


def iter_raw_files(raw_dir: Path) -> Iterator[RawFile]:
    """Every candidate input under `raw_dir`, sorted by relative path, hidden entries and the
    top-level README skipped. Symlinked directories are listed as entries (not walked into)."""
    raw_dir = Path(raw_dir)
    found: list[RawFile] = []
    unlistable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(raw_dir, onerror=unlistable.append, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names = filenames + [d for d in dirnames if (here / d).is_symlink()]
        for name in names:
            if name.startswith(".") or (here == raw_dir and name.lower() in README_NAMES):
                continue
            path = here / name
            try:
                listed = path.stat()
            except OSError:
                listed = None
            found.append(RawFile(path, path.relative_to(raw_dir).as_posix(), listed))
    for exc in unlistable:  # a directory that could not be listed is an entry of its own (rejected)
        path = Path(exc.filename)
        found.append(RawFile(path, path.relative_to(raw_dir).as_posix(), None))
    yield from sorted(found, key=lambda f: f.rel)


# --- one file ------------------------------------------------------------------------------


def _changed(before: os.stat_result | None, after: os.stat_result) -> bool:
    return before is not None and (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)


def _changed_error(before: os.stat_result | None, after: os.stat_result) -> IngestError:
    was = f"{before.st_size}" if before is not None else "?"
    return IngestError(
        "changed_while_reading",
        f"the file changed while it was being read ({was} -> {after.st_size} bytes); "
        "it is probably still being copied in, and the next run will pick it up",
    )


def _resolve(raw_dir: Path, rf: RawFile) -> Path:
    """The real path to read, refusing symlinks that leave the raw directory."""
    if not rf.path.is_symlink():
        return rf.path
    target = rf.path.resolve()
    if not target.is_relative_to(raw_dir.resolve()):
        raise IngestError(
            "symlink_outside_raw_dir",
            f"symbolic link to {os.readlink(rf.path)!r}, outside the raw directory; it was not followed",
        )
    if not target.exists():
        raise IngestError("broken_symlink", f"symbolic link to {os.readlink(rf.path)!r}, which is missing")
    return target


def _open(path: Path) -> int:
    """Open for reading without blocking on FIFOs, refusing anything but a regular file."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise IngestError("not_regular_file", "not a regular file (a directory, pipe, socket or device)")
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise IngestError("vanished", "the file disappeared before it could be read") from None
    except PermissionError:
        raise IngestError("unreadable", "the file cannot be read: permission denied") from None
    except OSError as exc:
        reason = "vanished" if exc.errno == errno.ENOENT else "unreadable"
        raise IngestError(reason, f"the file cannot be opened: {exc.strerror}") from None


def _read_whole(fd: int, rf: RawFile, limits: IngestLimits) -> bytes:
    """All bytes of a (bounded) file, after checking its size; never reads more than the limit + 1."""
    before = os.fstat(fd)
    if _changed(rf.listed, before):
        raise _changed_error(rf.listed, before)
    if before.st_size > limits.max_file_bytes:
        raise IngestError(
            "too_large",
            f"the file has {before.st_size} bytes, over the limit of {limits.max_file_bytes} "
            "(IngestLimits.max_file_bytes); it was not read",
        )
    with os.fdopen(os.dup(fd), "rb") as fh:
        try:
            data = fh.read(limits.max_file_bytes + 1)
        except OSError as exc:
            raise IngestError("unreadable", f"the file could not be read: {exc.strerror}") from None
    after = os.fstat(fd)
    if len(data) != before.st_size or _changed(before, after):
        raise _changed_error(before, after)
    return data


def _check_bytes(data: bytes) -> None:
    if not data:
        raise IngestError("empty", "the file is empty (0 bytes)")
    what = sniff_binary(data[:SNIFF_BYTES])
    if what:
        raise IngestError("binary", f"this is not a text file: it looks like {what}")
    check_no_nul(data)
    if not data.strip():
        raise IngestError("whitespace_only", "the file contains only whitespace")


def _whole_file_records(data: bytes, suffix: str) -> list[RawRecord]:
    _check_bytes(data)
    if suffix in HTML_SUFFIXES:
        return [parse_html_document(data)]
    text = decode_utf8(data)
    if not text.strip():
        raise IngestError("whitespace_only", "the file contains only whitespace")
    if suffix in JSON_SUFFIXES:
        return parse_json_document(text)
    return [parse_text_document(text)]


def _jsonl_records(fd: int, rf: RawFile, limits: IngestLimits) -> list[RawRecord | IngestError]:
    before = os.fstat(fd)
    if _changed(rf.listed, before):
        raise _changed_error(rf.listed, before)
    with os.fdopen(os.dup(fd), "rb") as fh:
        head = fh.read(SNIFF_BYTES)
        if not head:
            raise IngestError("empty", "the file is empty (0 bytes)")
        what = sniff_binary(head)
        if what:
            raise IngestError("binary", f"this is not a text file: it looks like {what}")
        fh.seek(0)
        items = list(iter_jsonl(fh, limits.max_line_bytes))
    after = os.fstat(fd)
    if _changed(before, after):
        raise _changed_error(before, after)
    if not items:
        raise IngestError("whitespace_only", "the file contains only whitespace")
    return items


def _records(rf: RawFile, raw_dir: Path, limits: IngestLimits) -> list[RawRecord | IngestError]:
    path = _resolve(raw_dir, rf)
    suffix = rf.path.suffix.lower() or path.suffix.lower()
    if path.is_dir():
        if rf.path.is_symlink():
            return []  # a symlink to a directory inside raw_dir: its files are listed under their own path
        raise IngestError("unreadable", "the directory cannot be listed, so nothing in it was read")
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            "unsupported_format",
            f"files ending in {suffix or '(no extension)'!r} are not read; use one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    fd = _open(path)
    try:
        if suffix in JSONL_SUFFIXES:
            return _jsonl_records(fd, rf, limits)
        return _whole_file_records(_read_whole(fd, rf, limits), suffix)
    finally:
        os.close(fd)


# --- one record ----------------------------------------------------------------------------


def _json_type(value: object) -> str:
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _is_iso_date(value: str) -> bool:
    text = value.strip()
    try:
        (datetime if len(text) > 10 else date).fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _check_unicode(name: str, value: str | None) -> None:
    """JSON may escape half of a UTF-16 pair ("\\ud800"): such a string is not text and cannot be stored."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(
            "bad_field_value",
            f"'{name}' holds an unpaired surrogate escape (\\u{ord(value[exc.start]):04x}) at character "
            f"{exc.start}, which is not valid Unicode",
        ) from None


def _validate(record: RawRecord) -> dict:
    """The record's fields, checked: an object with a string `text` and string-or-null metadata."""
    fields = record.fields
    if not isinstance(fields, dict):
        raise IngestError("bad_record", f"expected an object with a 'text' field, got {_json_type(fields)}")
    if fields.get("text") is None:
        raise IngestError("missing_text", "the record has no 'text' field (or it is null)")
    for name in ("text", *METADATA_FIELDS):
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            raise IngestError("bad_field_type", f"'{name}' must be a string or null, got {_json_type(value)}")
        _check_unicode(name, value)
    if fields.get("article_id") is not None and not fields["article_id"].strip():
        raise IngestError("bad_field_value", "'article_id' is blank; give a real id or leave it out")
    published = fields.get("published_at")
    if published and not _is_iso_date(published):
        raise IngestError("bad_field_value", f"'published_at' {published[:40]!r} is not an ISO 8601 date (YYYY-MM-DD)")
    return fields


def build_article(record: RawRecord, rel: str, limits: IngestLimits, notes: list[str]) -> Article:
    """Validate one raw record and make the Article (truncating an over-long text, with a note)."""
    fields = _validate(record)
    text: str = fields["text"]
    check_no_nul(text, line=record.line)
    if not text:
        raise IngestError("empty", "the article text is empty")
    if not text.strip():
        raise IngestError("whitespace_only", "the article text contains only whitespace")
    words, share = english_share(text)
    if words >= limits.min_words_for_language and share < limits.min_english_share:
        raise IngestError(
            "not_english",
            f"the text does not look English: {share:.0%} of its {words} words are English function "
            f"words (at least {limits.min_english_share:.0%} expected); parley reads English articles only",
        )
    truncated = len(text) > limits.max_article_chars
    if truncated:
        original = len(text)
        text = truncate_text(text, limits.max_article_chars)
        notes.append(
            f"{_where(rel, record)}: text truncated from {original} to {len(text)} characters "
            f"(IngestLimits.max_article_chars = {limits.max_article_chars})"
        )
    digest = content_hash(text)
    return Article(
        article_id=fields.get("article_id") or f"a-{digest[:16]}",
        source=fields.get("source"),
        url=fields.get("url"),
        title=fields.get("title"),
        published_at=fields.get("published_at"),
        text=text,
        content_hash=digest,
        source_file=rel,
        source_line=record.line,
        license=fields.get("license"),
        truncated=truncated,
    )


def _where(rel: str, record: RawRecord | None) -> str:
    if record is None:
        return rel
    if record.line is not None:
        return f"{rel}:{record.line}"
    return f"{rel} ({record.label})" if record.label else rel


# --- the directory -------------------------------------------------------------------------


def _reject(rel: str, exc: IngestError, record: RawRecord | None = None, digest: str | None = None):
    line = exc.line if exc.line is not None else (record.line if record else None)
    detail = f"{record.label}: {exc.detail}" if record is not None and record.label else exc.detail
    return RejectedInput(file=rel, line=line, reason=exc.reason, detail=detail, content_hash=digest)


@dataclass(frozen=True)
class _Seen:
    article_id: str
    source_file: str
    source_line: int | None


class _Batch:
    """Collects one run's articles, dropping repeated texts and refusing reused ids."""

    def __init__(self) -> None:
        self.result = IngestResult()
        self.by_hash: dict[str, _Seen] = {}
        self.by_id: dict[str, _Seen] = {}

    def admit(self, article_id: str, digest: str, rel: str, record: RawRecord) -> bool:
        """Whether an article is new to the batch (not a repeated text, not a reused id)."""
        first = self.by_hash.get(digest)
        if first is not None:
            self.result.duplicates += 1
            self.result.notes.append(
                f"{_where(rel, record)}: same text as article {first.article_id!r} from {first.source_file}; "
                "stored once"
            )
            return False
        taken = self.by_id.get(article_id)
        if taken is not None:
            exc = IngestError(
                "duplicate_article_id",
                f"article_id {article_id!r} is already used by {taken.source_file}"
                f"{f':{taken.source_line}' if taken.source_line else ''} for a different text; "
                "the first one was kept",
            )
            self.result.rejected.append(_reject(rel, exc, record, digest))
            return False
        seen = _Seen(article_id, rel, record.line)
        self.by_hash[digest] = seen
        self.by_id[article_id] = seen
        return True

    def add(self, article: Article, record: RawRecord) -> None:
        if self.admit(article.article_id, article.content_hash, article.source_file, record):
            self.result.articles.append(article)

    def replay(self, record: FileRecord) -> None:
        """What reading an unchanged file gave, without reading it."""
        self.result.files_unchanged.append(record.rel)
        self.result.notes.extend(record.notes)
        for item in record.items:
            if isinstance(item, RejectedInput):
                self.result.rejected.append(item)
            elif self.admit(item.article_id, item.content_hash, record.rel, RawRecord(None, item.line, item.label)):
                self.result.unchanged += 1


def read_raw_file(rf: RawFile, raw_dir: Path, limits: IngestLimits = IngestLimits()) -> IngestResult:
    """Read one listed entry on its own (no de-duplication against other files)."""
    batch = _Batch()
    _read_into(batch, rf, Path(raw_dir), limits)
    return batch.result


def _read_into(batch: _Batch, rf: RawFile, raw_dir: Path, limits: IngestLimits) -> None:
    given: list[ArticleKey | RejectedInput] = []  # what the file gave, before de-duplication
    notes: list[str] = []  # the file's own notes (truncations), replayed with its record
    batch.result.files_read.append(rf.rel)

    def reject(r: RejectedInput) -> None:
        given.append(r)
        batch.result.rejected.append(r)

    try:
        items = _records(rf, raw_dir, limits)
    except IngestError as exc:
        reject(_reject(rf.rel, exc))
        items = []
    for item in items:
        if isinstance(item, IngestError):
            reject(_reject(rf.rel, item))
            continue
        try:
            article = build_article(item, rf.rel, limits, notes)
        except IngestError as exc:
            reject(_reject(rf.rel, exc, item))
            continue
        if article.truncated:
            batch.result.notes.append(notes[-1])
        given.append(ArticleKey(article.article_id, article.content_hash, item.line, item.label))
        batch.add(article, item)
    if rf.listed is not None and not rf.path.is_symlink():
        listed, reader = rf.listed, reader_key(limits)
        record = FileRecord(rf.rel, listed.st_size, listed.st_mtime_ns, reader, tuple(given), tuple(notes))
        batch.result.file_records.append(record)


def read_raw_dir(
    raw_dir: Path, limits: IngestLimits = IngestLimits(), known: Mapping[str, FileRecord] | None = None
) -> IngestResult:
    """Read every input under `raw_dir` (see the module docstring); bad inputs are rejected, never fatal.

    `known`: records of files read before (`file_index.usable_records`); an unchanged file is replayed.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw directory {raw_dir} does not exist or is not a directory")
    batch = _Batch()
    reader = reader_key(limits)
    for rf in iter_raw_files(raw_dir):
        record = None
        if known and rf.listed is not None and not rf.path.is_symlink():
            record = unchanged(known, rf.rel, rf.listed.st_size, rf.listed.st_mtime_ns, reader)
        if record is not None:
            batch.replay(record)
        else:
            _read_into(batch, rf, raw_dir, limits)
    return batch.result
