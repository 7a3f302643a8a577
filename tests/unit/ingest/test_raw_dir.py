"""Ingest: every accepted format read, every kind of bad input quarantined with one precise rejection."""

from __future__ import annotations

import json
import os
import pwd
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from flows.ingest.formats import guess_title, split_front_matter
from flows.ingest.raw_dir import IngestLimits, iter_raw_files, read_raw_dir, read_raw_file
from flows.ingest.text import IngestError, content_hash, english_share, normalise_ws, truncate_text

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO.parent / "shared" / "corpus"
MB = 1024 * 1024

FRENCH = (
    "Les négociations entre les deux pays ont repris lundi à Genève, sous l'égide des Nations unies. "
    "Le ministre des Affaires étrangères a déclaré que son gouvernement était prêt à discuter d'un "
    "cessez-le-feu, à condition que les troupes ennemies se retirent des territoires occupés. "
    "L'opposition a rejeté cette proposition, qu'elle juge inacceptable."
)
GERMAN = (
    "Die Verhandlungen zwischen den beiden Ländern wurden am Montag in Genf unter der Schirmherrschaft "
    "der Vereinten Nationen wieder aufgenommen. Der Außenminister erklärte, seine Regierung sei bereit, "
    "über einen Waffenstillstand zu sprechen, sofern die gegnerischen Truppen sich aus den besetzten "
    "Gebieten zurückziehen. Die Opposition wies den Vorschlag als inakzeptabel zurück."
)
RUSSIAN = (
    "Переговоры между двумя странами возобновились в понедельник в Женеве под эгидой Организации "
    "Объединённых Наций. Министр иностранных дел заявил, что его правительство готово обсудить "
    "прекращение огня при условии, что войска противника покинут оккупированные территории. "
    "Оппозиция отвергла это предложение как неприемлемое."
)


def english(place: str) -> str:
    """A short English news paragraph, different for each place."""
    return (
        f"Talks resumed on Monday in {place}. The foreign minister said that his government was ready to "
        f"discuss a ceasefire if the other side withdrew its troops from {place}. The opposition rejected "
        "the offer and called it a trap, but the mediators said they were hopeful that an agreement could "
        "be reached within weeks."
    )


def html_page(paragraphs: list[str], article_id: str | None = None) -> str:
    meta = f'<meta name="parley:article_id" content="{article_id}">' if article_id else ""
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    article = f"<article><h1>Ceasefire talks in Doha</h1>\n{body}</article>" if paragraphs else ""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Ceasefire talks in Doha | Example News</title>
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://news.example.org/2024/05/doha-talks">
<meta property="article:published_time" content="2024-05-02">{meta}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main>{article}
<aside><h2>Related stories</h2><ul><li><a href="/a/1">Markets rally after the vote</a></li>
<li><a href="/a/2">Storm closes airport</a></li></ul></aside></main>
<footer><p>Subscribe to our newsletter.</p><p>Copyright Example News. All rights reserved.</p></footer>
</body></html>"""


def jsonl(*lines: object) -> bytes:
    encoded = (x if isinstance(x, bytes) else json.dumps(x, ensure_ascii=False).encode() for x in lines)
    return b"".join(line + b"\n" for line in encoded)


TITLED = "Geneva talks resume\n\n" + english("Geneva")
LONG = "\n\n".join(english(f"round {i}") for i in range(700))  # ~250,000 characters


@pytest.fixture()
def mixed_dir(tmp_path: Path) -> Path:
    """A raw directory with good articles in every format and every kind of bad input."""
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / ".hidden").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text(english("Nowhere"))
    files: dict[str, str | bytes] = {
        # good
        "a-title.txt": TITLED,
        "b-front.md": '---\narticle_id: fm-1\nsource: "Example Wire"\npublished_at: 2024-05-01\n'
        "title: 'Talks: day one'\n---\n\n" + english("Cairo") + "\n",
        "c-page.html": html_page([english("Doha"), english("Qatar")], "html-1"),
        "d-records.json": json.dumps(
            [{"article_id": "json-1", "text": english("Oslo")}, {"article_id": "json-2"}, {"text": 42}, [1]]
        ),
        "e-lines.jsonl": jsonl(
            {"article_id": "jl-1", "source": "Wire", "text": english("Minsk")},
            b'{"article_id": "jl-2", "text": ',
            b"   ",
            {"article_id": "jl-4", "title": "no text"},
            {"article_id": "jl-5", "text": english("Kyiv"), "published_at": 20240101},
            {"article_id": "jl-6", "text": "Talks \u0000 resumed."},
            b'{"text": "Caf\xe9 talks"}',
            {"text": "x" * (IngestLimits().max_line_bytes + 100_000)},
            {"article_id": "jl-9", "text": FRENCH},
            {"article_id": "jl-1", "text": english("Baku")},
            {"article_id": "jl-3", "text": english("Vienna")},
            {"article_id": "jl-dup", "text": " Geneva talks resume " + english("Geneva").replace(" ", "\n")},
            {"text": english("Tbilisi"), "published_at": "last Tuesday"},
            {"article_id": " ", "text": english("Yerevan")},
        ),
        "f-copy.txt": TITLED.replace(". ", ".\n"),
        "g-long.txt": LONG,
        "h-crlf.txt": "---\r\narticle_id: crlf-1\r\n---\r\n\r\nQuito talks\r\n\r\n" + english("Quito"),
        "sub/nested.md": "---\narticle_id: nested-1\n---\n" + english("Ankara"),
        # bad
        "empty.txt": b"",
        "blank.md": "  \n\t\n",
        "blank-lines.jsonl": "\n  \n\n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        "latin1.txt": "Headline\n\nCaf\xe9 diplomacy in Vienna.".encode("latin-1"),
        "nul.txt": english("Rome") + "\nA damaged\x00 line.",
        "french.txt": FRENCH,
        "german.md": GERMAN,
        "russian.json": json.dumps({"article_id": "ru-1", "text": RUSSIAN}, ensure_ascii=False),
        "report.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "letter.docx": b"PK\x03\x04" + bytes(40),
        "table.csv": "article_id,text\nx,hello\n",
        "nav-only.html": html_page([]),
        "bad-front.md": "---\narticle_id: never-closed\n\n" + english("Lima"),
        "empty-list.json": "[]",
        "broken.json": '{"article_id": "b-1",\n "text": "abc",\n}',
        # ignored
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        ".gitkeep": "",
        "README.md": "# my notes about this folder\n\n" + english("Bern"),
        ".hidden/secret.txt": english("Hidden"),
    }
    for rel, content in files.items():
        path = raw / rel
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with open(raw / "huge.txt", "wb") as fh:  # 50 MB, sparse: reading it would find NULs (binary)
        fh.truncate(50 * MB)
    (raw / "link-nested.md").symlink_to("sub/nested.md")
    (raw / "outside-link.txt").symlink_to(outside)
    (raw / "dangling.txt").symlink_to("no-such-file.txt")
    (raw / "inside-dir").symlink_to("sub")  # its files are read once, under sub/
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.txt").write_text(english("Elsewhere"))
    (raw / "outside-dir").symlink_to(tmp_path / "elsewhere")
    os.mkfifo(raw / "pipe.txt")
    return raw


EXPECTED_REJECTIONS = {
    ("d-records.json", None, "missing_text"),
    ("d-records.json", None, "bad_field_type"),
    ("d-records.json", None, "bad_record"),
    ("e-lines.jsonl", 2, "invalid_json"),
    ("e-lines.jsonl", 4, "missing_text"),
    ("e-lines.jsonl", 5, "bad_field_type"),
    ("e-lines.jsonl", 6, "nul_byte"),
    ("e-lines.jsonl", 7, "invalid_utf8"),
    ("e-lines.jsonl", 8, "line_too_large"),
    ("e-lines.jsonl", 9, "not_english"),
    ("e-lines.jsonl", 10, "duplicate_article_id"),
    ("e-lines.jsonl", 13, "bad_field_value"),
    ("e-lines.jsonl", 14, "bad_field_value"),
    ("empty.txt", None, "empty"),
    ("blank.md", None, "whitespace_only"),
    ("blank-lines.jsonl", None, "whitespace_only"),
    ("image.txt", None, "binary"),
    ("latin1.txt", 3, "invalid_utf8"),
    ("nul.txt", 2, "nul_byte"),
    ("huge.txt", None, "too_large"),
    ("french.txt", None, "not_english"),
    ("german.md", None, "not_english"),
    ("russian.json", None, "not_english"),
    ("report.pdf", None, "unsupported_format"),
    ("letter.docx", None, "unsupported_format"),
    ("table.csv", None, "unsupported_format"),
    ("nav-only.html", None, "no_article_text"),
    ("bad-front.md", 1, "bad_front_matter"),
    ("empty-list.json", None, "empty"),
    ("broken.json", 3, "invalid_json"),
    ("outside-link.txt", None, "symlink_outside_raw_dir"),
    ("dangling.txt", None, "broken_symlink"),
    ("outside-dir", None, "symlink_outside_raw_dir"),
    ("pipe.txt", None, "not_regular_file"),
}


def test_mixed_directory_reads_good_articles_and_rejects_each_bad_input_once(mixed_dir: Path) -> None:
    result = read_raw_dir(mixed_dir)

    got = [(r.file, r.line, r.reason) for r in result.rejected]
    assert len(got) == len(EXPECTED_REJECTIONS)
    assert set(got) == EXPECTED_REJECTIONS
    assert all(len(r.detail) > 20 for r in result.rejected)

    by_id = {a.article_id: a for a in result.articles}
    titled_id = "a-" + content_hash(TITLED)[:16]
    long_id = "a-" + content_hash(truncate_text(LONG, IngestLimits().max_article_chars))[:16]
    assert sorted(by_id) == sorted(
        [titled_id, "fm-1", "html-1", "json-1", "jl-1", "jl-3", long_id, "crlf-1", "nested-1"]
    )
    # the same text under two names (and re-wrapped in a .jsonl line, and behind a symlink) is stored once
    assert result.duplicates == 3
    assert by_id[titled_id].source_file == "a-title.txt"
    assert by_id["nested-1"].source_file == "link-nested.md"
    assert sum(n.endswith("stored once") for n in result.notes) == 3

    assert by_id[titled_id].title == "Geneva talks resume"
    assert by_id[titled_id].text == TITLED
    front = by_id["fm-1"]
    assert (front.source, front.published_at, front.title) == ("Example Wire", "2024-05-01", "Talks: day one")
    assert front.text == english("Cairo")
    line = by_id["jl-1"]
    assert (line.source_file, line.source_line, line.source) == ("e-lines.jsonl", 1, "Wire")
    assert by_id["jl-3"].source_line == 11
    crlf = by_id["crlf-1"]
    assert (crlf.title, crlf.text) == ("Quito talks", "Quito talks\n\n" + english("Quito"))


def test_html_main_text_without_boilerplate(mixed_dir: Path) -> None:
    article = next(a for a in read_raw_dir(mixed_dir).articles if a.article_id == "html-1")
    assert article.text == "\n\n".join(["Ceasefire talks in Doha", english("Doha"), english("Qatar")])
    for boilerplate in ("Subscribe", "Related stories", "Business", "Copyright"):
        assert boilerplate not in article.text
    assert article.title == "Ceasefire talks in Doha"
    assert article.published_at == "2024-05-02"
    assert article.url == "https://news.example.org/2024/05/doha-talks"
    assert article.source == "Example News"


def test_long_article_truncated_at_paragraph_boundary_with_a_note(mixed_dir: Path) -> None:
    result = read_raw_dir(mixed_dir)
    (article,) = [a for a in result.articles if a.source_file == "g-long.txt"]
    limit = IngestLimits().max_article_chars
    assert article.truncated and len(article.text) <= limit < len(LONG)
    assert LONG.startswith(article.text) and LONG[len(article.text) : len(article.text) + 2] == "\n\n"
    assert not any(a.truncated for a in result.articles if a is not article)
    assert any(n.startswith("g-long.txt: text truncated") for n in result.notes)


def test_details_name_the_offending_byte_and_line(mixed_dir: Path) -> None:
    details = {(r.file, r.line): r.detail for r in read_raw_dir(mixed_dir).rejected}
    assert "0xe9 at byte offset 13" in details[("latin1.txt", 3)]
    data = (mixed_dir / "e-lines.jsonl").read_bytes()
    bad_byte = data.index(b"\xe9")
    assert f"byte offset {bad_byte} " in details[("e-lines.jsonl", 7)]
    assert f"{50 * MB} bytes" in details[("huge.txt", None)]


def test_too_large_file_is_not_read_and_jsonl_is_streamed(tmp_path: Path) -> None:
    with open(tmp_path / "huge.txt", "wb") as fh:
        fh.truncate(50 * MB)
    good = {"article_id": "ok", "text": english("Accra")}
    with open(tmp_path / "big.jsonl", "wb") as fh:  # 12 MB: over max_file_bytes, but .jsonl is streamed
        fh.write(jsonl(good))
        fh.write(b'{"text": "' + b"y" * (12 * MB) + b'"}\n')
        fh.write(jsonl({"article_id": "ok-2", "text": english("Lagos")}))
    english_share("load the word list before measuring")
    tracemalloc.start()
    try:
        result = read_raw_dir(tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.file, r.line, r.reason) for r in result.rejected] == [
        ("big.jsonl", 2, "line_too_large"),
        ("huge.txt", None, "too_large"),
    ]
    assert [a.article_id for a in result.articles] == ["ok", "ok-2"]
    assert peak < 4 * MB


def test_file_that_vanishes_or_changes_after_listing_is_rejected(tmp_path: Path) -> None:
    for name in ("gone.txt", "growing.txt", "steady.txt"):
        (tmp_path / name).write_text(english(name))
    (tmp_path / "growing.jsonl").write_bytes(jsonl({"text": english("Tallinn")}))
    listed = {rf.rel: rf for rf in iter_raw_files(tmp_path)}
    (tmp_path / "gone.txt").unlink()
    for name in ("growing.txt", "growing.jsonl"):
        with open(tmp_path / name, "ab") as fh:
            fh.write(jsonl({"text": "still being copied in"}))

    expected = {
        "gone.txt": ["vanished"],
        "growing.txt": ["changed_while_reading"],
        "growing.jsonl": ["changed_while_reading"],
        "steady.txt": [],
    }
    for rel, reasons in expected.items():
        result = read_raw_file(listed[rel], tmp_path)
        assert [r.reason for r in result.rejected] == reasons, rel
        assert len(result.articles) == (0 if reasons else 1)


def _read_as_nobody(raw: Path) -> list[tuple[str, int | None, str]]:
    """Run read_raw_dir in a forked child that dropped root privileges to `nobody`."""
    nobody = pwd.getpwnam("nobody")
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        status = 1
        try:
            os.close(rfd)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            result = read_raw_dir(raw)
            rows = [[r.file, r.line, r.reason] for r in result.rejected]
            os.write(wfd, json.dumps({"rejected": rows, "articles": len(result.articles)}).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as fh:
        out = fh.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    data = json.loads(out)
    assert data["articles"] == 1
    return [tuple(r) for r in data["rejected"]]


def test_unreadable_file_is_rejected() -> None:
    # root reads files whatever their mode, so as root the read runs in a child turned into `nobody`
    with tempfile.TemporaryDirectory(prefix="parley-unreadable-") as tmp:
        raw = Path(tmp)
        raw.chmod(0o755)
        (raw / "ok.txt").write_text("Short note that is readable.")
        (raw / "ok.txt").chmod(0o644)
        (raw / "secret.txt").write_text(english("Berlin"))
        (raw / "secret.txt").chmod(0o000)
        (raw / "locked").mkdir(mode=0o700)
        (raw / "locked" / "inner.txt").write_text(english("Prague"))
        if os.geteuid() == 0:
            rejected = _read_as_nobody(raw)
        else:
            result = read_raw_dir(raw)
            assert len(result.articles) == 1
            rejected = [(r.file, r.line, r.reason) for r in result.rejected]
    assert sorted(rejected) == [("locked", None, "unreadable"), ("secret.txt", None, "unreadable")]


def test_raw_dir_holds_the_21_corpus_articles() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    corpus = {}
    for name in ("seed.articles.jsonl", "dev.articles.jsonl"):
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            corpus[record["article_id"]] = record
    result = read_raw_dir(REPO / "raw")
    assert (result.rejected, result.duplicates, result.notes) == ([], 0, [])
    assert len(corpus) == len(result.articles) == 21
    assert {a.article_id for a in result.articles} == set(corpus)
    formats = {Path(a.source_file).suffix for a in result.articles}
    assert formats == {".jsonl", ".json", ".md", ".txt", ".html"}
    for article in result.articles:
        gold = corpus[article.article_id]
        assert normalise_ws(article.text) == normalise_ws(gold["text"]), article.source_file
        assert (article.url, article.published_at) == (gold["url"], gold["published_at"])


@pytest.mark.parametrize("text", [FRENCH, GERMAN, RUSSIAN])
def test_foreign_paragraphs_rejected_but_short_or_english_texts_kept(tmp_path: Path, text: str) -> None:
    (tmp_path / "foreign.txt").write_text(text)
    (tmp_path / "short.txt").write_text(" ".join(text.split()[:12]))  # too short to judge
    (tmp_path / "quoted.txt").write_text(english("Paris") + " " + text[:80])  # English with a quote
    result = read_raw_dir(tmp_path)
    assert [(r.file, r.reason) for r in result.rejected] == [("foreign.txt", "not_english")]
    assert sorted(a.source_file for a in result.articles) == ["quoted.txt", "short.txt"]


def test_content_hash_ignores_layout_and_ids_derive_from_it() -> None:
    assert content_hash("a  b\n\nc ") == content_hash("a b c") != content_hash("a b c d")
    assert len(content_hash("x")) == 64


def test_front_matter_and_title_rules() -> None:
    meta, body, start = split_front_matter('---\ntitle: "A \\"quoted\\" title"\nurl: null\n# note\n---\nBody')
    assert (meta, body, start) == ({"title": 'A "quoted" title', "url": None}, "Body", 6)
    with pytest.raises(IngestError) as err:
        split_front_matter("---\ntitle ok\n---\nBody")
    assert (err.value.reason, err.value.line) == ("bad_front_matter", 2)
    assert guess_title("Short headline\n\nBody text.") == "Short headline"
    assert guess_title("A first sentence.\n\nBody text.") is None
    assert guess_title("Line one\nline two") is None
    assert guess_title("x" * 300 + "\n\nBody") is None


def test_truncation_prefers_paragraph_then_sentence_boundaries() -> None:
    assert truncate_text("short", 10) == "short"
    assert truncate_text("First para here.\n\nSecond para is long.", 30) == "First para here."
    assert truncate_text("One sentence here. Another sentence that is long.", 30) == "One sentence here."
    assert truncate_text("x" * 50, 20) == "x" * 20


def test_missing_raw_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_raw_dir(tmp_path / "nope")
