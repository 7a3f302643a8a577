"""Bad input is quarantined, never fatal; hostile text stays data — through a real `parley run`.

One raw directory mixes good articles with every kind of bad input of issue 4 (run as root, the
run drops the capabilities that let root read any file, so a mode-000 file is unreadable).
The workspace path itself holds a quote, `$(...)` and `{{ }}`, and so do an article and a file name.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.reliability import ARTICLE_A, REPO, Workspace, assert_ok, query, read_snapshot

MB = 1024 * 1024


def english(place: str) -> str:
    return (
        f"Talks resumed on Monday in {place}. The foreign minister said that his government was ready to "
        f"discuss a ceasefire if the other side withdrew its troops from {place}. The opposition rejected "
        "the offer and called it a trap, but the mediators said they were hopeful that an agreement could "
        "be reached within weeks."
    )


FRENCH = (
    "Les négociations entre les deux pays ont repris lundi à Genève, sous l'égide des Nations unies. "
    "Le ministre des Affaires étrangères a déclaré que son gouvernement était prêt à discuter d'un "
    "cessez-le-feu, à condition que les troupes ennemies se retirent des territoires occupés."
)
NAV_ONLY_HTML = (
    "<!DOCTYPE html><html lang='en'><head><title>Example News</title></head><body><nav><ul>"
    "<li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
    "<footer><p>Copyright Example News.</p></footer></body></html>"
)

HOSTILE_FILE = "o'brien $(touch PWNED) {{ x }}.md"
HOSTILE_ID = "o'brien'); drop table landing.articles; --"
HOSTILE_TITLE = "{{ 7 * 7 }} {% do run_query('drop schema marts cascade') %} '; DROP TABLE dim_articles; --"
HOSTILE_TEXT = (
    english("Geneva") + "\n\n"
    "Robert'); DROP TABLE landing.articles; -- said on Monday that the talks would resume. The minister "
    "wrote '; DROP TABLE marts.fct_statements; -- and {{ run_query('drop table marts.dim_actors') }} and "
    "{% do run_query('drop schema marts cascade') %} into the form, and the officials said that "
    "$(touch PWNED) and `touch PWNED` and %s %(name)s {0} ${HOME} were only text to them."
)
HOSTILE_REJECT = "notes %s {0} '; drop table rejected_inputs; -- $(touch PWNED).xyz"


def _jsonl(*lines: object) -> bytes:
    return b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in lines)


GOOD_IDS = {"voa-2019-01-09-us-china-trade-talks", "jl-good-1", "jl-good-3", "json-good", "big-good", HOSTILE_ID}
EXPECTED_REJECTIONS = {
    ("empty.txt", None, "empty"),
    ("blank.md", None, "whitespace_only"),
    ("image.txt", None, "binary"),
    ("latin1.txt", 3, "invalid_utf8"),
    ("nul.txt", 2, "nul_byte"),
    ("huge.txt", None, "too_large"),
    ("big.jsonl", 2, "line_too_large"),
    ("lines.jsonl", 2, "invalid_json"),
    ("lines.jsonl", 4, "missing_text"),
    ("lines.jsonl", 5, "bad_field_type"),
    ("lines.jsonl", 6, "bad_record"),
    ("lines.jsonl", 7, "bad_field_value"),
    ("lines.jsonl", 8, "invalid_json"),
    ("lines.jsonl", 9, "invalid_json"),
    ("records.json", None, "missing_text"),
    ("records.json", None, "bad_field_type"),
    ("nav-only.html", None, "no_article_text"),
    ("french.txt", None, "not_english"),
    (HOSTILE_REJECT, None, "unsupported_format"),
    ("secret.txt", None, "unreadable"),
    ("outside-link.txt", None, "symlink_outside_raw_dir"),
    ("dangling.txt", None, "broken_symlink"),
    ("pipe.txt", None, "not_regular_file"),
}


def _mixed_workspace(root: Path) -> Workspace:
    front = f'---\narticle_id: "{HOSTILE_ID}"\ntitle: "{HOSTILE_TITLE}"\n---\n\n'
    ws = Workspace.create(root, {ARTICLE_A: REPO / "raw" / ARTICLE_A, HOSTILE_FILE: front + HOSTILE_TEXT})
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.md": b"  \n\t\n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        "latin1.txt": "Headline\n\nCaf\xe9 diplomacy in Vienna.".encode("latin-1"),
        "nul.txt": (english("Rome") + "\nA damaged\x00 line.").encode(),
        "lines.jsonl": _jsonl(
            {"article_id": "jl-good-1", "text": english("Minsk")},
            b'{"article_id": "jl-broken", "text": ',
            {"article_id": "jl-good-3", "text": english("Baku")},
            {"article_id": "jl-no-text", "title": "no text"},
            {"article_id": "jl-number", "text": 42},
            [1, 2],
            b'{"article_id": "jl-surrogate", "text": "Talks \\ud800 resumed."}',  # not Unicode
            b"[" * 100_000 + b"]" * 100_000,  # too deep for the JSON parser
            b'{"text": "Talks resumed.", "n": ' + b"7" * 5000 + b"}",
        ),  # too long an int
        "records.json": json.dumps(
            [
                {"article_id": "json-good", "text": english("Oslo")},
                {"article_id": "json-no-text"},
                {"text": ["a", "list"]},
            ]
        ).encode(),
        "nav-only.html": NAV_ONLY_HTML.encode(),
        "french.txt": FRENCH.encode(),
        HOSTILE_REJECT: b"some notes",
        "secret.txt": english("Berlin").encode(),
    }
    for name, data in files.items():
        (ws.raw / name).write_bytes(data)
    with open(ws.raw / "huge.txt", "wb") as fh:  # 50 MB of real English text
        paragraph = (english("Vienna") + "\n\n").encode()
        for _ in range(50 * MB // len(paragraph) + 1):
            fh.write(paragraph)
    with open(ws.raw / "big.jsonl", "wb") as fh:  # a 20 MB line between two good ones
        fh.write(_jsonl({"article_id": "big-good", "text": english("Accra")}))
        fh.write(b'{"text": "' + b"word " * (4 * MB) + b'"}\n')
    outside = root / "outside.txt"
    outside.write_text(english("Nowhere"))
    (ws.raw / "outside-link.txt").symlink_to(outside)
    (ws.raw / "dangling.txt").symlink_to("no-such-file.txt")
    os.mkfifo(ws.raw / "pipe.txt")
    (ws.raw / "secret.txt").chmod(0o000)
    return ws


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, prefect_server_url):
    root = tmp_path_factory.mktemp("bad-input") / "it's $(touch PWNED) {{ x }}"
    root.mkdir()
    ws = _mixed_workspace(root)
    first = ws.run(prefect_server_url, unprivileged=True)
    strict = ws.run(prefect_server_url, "--strict", unprivileged=True)
    yield ws, first, strict
    (ws.raw / "huge.txt").unlink()  # pytest keeps the last temporary directories: not 70 MB of them
    (ws.raw / "big.jsonl").unlink()


def test_run_with_bad_inputs_exits_0_and_says_how_many_were_rejected(mixed):
    _, first, _ = mixed
    assert_ok(first)
    assert f"{len(EXPECTED_REJECTIONS)} rejected ({len(EXPECTED_REJECTIONS)} new)" in first.output
    assert f"rejected: {HOSTILE_REJECT} [unsupported_format]" in first.output
    assert "published:" in first.output


def test_each_bad_input_is_one_published_rejected_inputs_row(mixed):
    ws, _, _ = mixed
    rows = query(ws.serving, "select file, line, reason, detail from rejected_inputs")
    assert len(rows) == len(EXPECTED_REJECTIONS)
    assert {(f, line, reason) for f, line, reason, _ in rows} == EXPECTED_REJECTIONS
    assert all(len(detail) > 20 and "Traceback" not in detail for *_, detail in rows)


def test_every_good_article_is_processed(mixed):
    ws, _, _ = mixed
    assert {r[0] for r in query(ws.serving, "select article_id from dim_articles")} == GOOD_IDS
    (mentions,) = query(
        ws.serving,
        "select count(*) from fct_actor_mentions where article_id = ?",
        ["voa-2019-01-09-us-china-trade-talks"],
    )[0]
    assert mentions > 0


def test_strict_exits_non_zero_when_inputs_were_rejected(mixed):
    ws, first, strict = mixed
    assert strict.rc == 3, strict.output[-3000:]
    assert f"--strict: {len(EXPECTED_REJECTIONS)} input(s) rejected" in strict.output
    assert query(ws.serving, "select count(*) from rejected_inputs") == [(len(EXPECTED_REJECTIONS),)]


def test_hostile_text_lands_verbatim_and_executes_nothing(mixed):
    ws, _, _ = mixed
    row = query(ws.serving, "select title, source_file, n_chars from dim_articles where article_id = ?", [HOSTILE_ID])
    assert row == [(HOSTILE_TITLE, HOSTILE_FILE, len(HOSTILE_TEXT))]
    assert query(ws.build_db, "select text from landing.articles where article_id = ?", [HOSTILE_ID]) == [
        (HOSTILE_TEXT,)
    ]
    assert query(ws.serving, "select count(*) from rejected_inputs where file = ?", [HOSTILE_REJECT]) == [(1,)]
    snap = read_snapshot(ws.serving)  # every mart is still there
    assert snap["dim_articles"] and snap["fct_actor_mentions"]
    tables = {
        r[0] for r in query(ws.build_db, "select table_schema || '.' || table_name from information_schema.tables")
    }
    assert {"landing.articles", "marts.dim_actors", "marts.fct_statements", "marts.dim_articles"} <= tables
    assert not [p for p in ws.root.parent.rglob("PWNED")] and not (REPO / "PWNED").exists()
