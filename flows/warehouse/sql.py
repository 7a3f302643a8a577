"""Quoting for the only things parley formats into SQL text: identifiers and file paths.

Values (article text, ids, names, anything read from raw/) are never formatted into SQL: they
are bound as parameters (`?`, `$name`) or inserted from registered Arrow tables.
`tests/test_reliability_sql.py` checks every SQL f-string in `flows/` against this rule.
"""

from __future__ import annotations

import os


def ident(name: str) -> str:
    """A double-quoted SQL identifier: `ident('a"b')` -> `"a""b"`."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str | os.PathLike) -> str:
    """A single-quoted SQL string, for statements that take no parameters (ATTACH, COPY ... TO)."""
    return "'" + os.fspath(text).replace("'", "''") + "'"
