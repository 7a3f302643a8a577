"""Hostile text stays data: no value is ever formatted into SQL text (issue 4, item 6).

A static audit of every SQL f-string in `flows/`: each interpolation must be an identifier or
path quoted by `flows.warehouse.sql.ident`/`literal`, an UPPER_CASE constant of the code, or one of the
reviewed expressions below (identifiers or SQL fragments that come from the code, never from
data). SQL built with `%` or `.format()` is refused outright. The end-to-end half (hostile
article text, titles, ids and file names landing verbatim) is in test_reliability_bad_input.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flows.warehouse.sql import ident, literal

FLOWS = Path(__file__).resolve().parents[3] / "flows"
SQL_START = re.compile(
    r"^\s*(with|select|insert|update|delete|create|drop|alter|attach|detach|copy|describe|"
    r"pragma|set|install|load|export|import|from)\s",
    re.IGNORECASE,
)
QUOTING = {"ident", "literal"}

# (module, expression) -> where its text comes from; reviewed, all code constants
REVIEWED = {
    ("warehouse/landing.py", "columns"): "ident(column) + a type from _SQL_TYPES, per record dataclass field",
    ("dashboard/queries.py", "name"): "record type labels: keys of the RECORD_TABLES constant",
    ("dashboard/queries.py", "table"): "mart names: values of the RECORD_TABLES / ACTOR_SECTIONS constants",
    ("dashboard/queries.py", "per_type"): "union of the per-mart selects built from RECORD_TABLES",
    ("dashboard/queries.py", "columns"): "column lists of the ACTOR_SECTIONS constant",
    ("dashboard/queries.py", "belongs"): "where clauses of ACTOR_SECTIONS; the actor id is bound as $actor",
}


def _literal_text(node: ast.JoinedStr) -> str:
    return "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def _approved(expr: ast.expr) -> bool:
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in QUOTING:
        return True
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    return bool(name) and name.isupper()


def sql_interpolations(root: Path = FLOWS) -> list[tuple[str, int, str]]:
    """(module, line, expression) of every value formatted into SQL text that is not quoted or a constant."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and SQL_START.match(_literal_text(node)):
                found += [
                    (module, node.lineno, ast.unparse(v.value))
                    for v in node.values
                    if isinstance(v, ast.FormattedValue) and not _approved(v.value)
                ]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _is_sql(node.left):
                found.append((module, node.lineno, "% formatting"))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and _is_sql(node.func.value)
            ):
                found.append((module, node.lineno, ".format()"))
    return found


def _is_sql(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(SQL_START.match(node.value))


def test_sql_text_interpolates_only_quoted_identifiers_paths_and_constants():
    unreviewed = [(m, line, e) for m, line, e in sql_interpolations() if (m, e) not in REVIEWED]
    assert unreviewed == [], "values formatted into SQL; bind them as parameters, or quote with flows.warehouse.sql"


def test_the_audit_catches_formatted_values(tmp_path):
    (tmp_path / "bad.py").write_text(
        "def f(con, title, table):\n"
        "    con.execute(f\"select * from t where title = '{title}'\")\n"
        "    con.execute(f'select * from {ident(table)} where x = ?', [title])\n"
        "    con.execute('delete from t where id = %s' % title)\n"
        "    con.execute('select {}'.format(title))\n"
        "    print(f'selected {title}')\n"
    )
    assert sql_interpolations(tmp_path) == [
        ("bad.py", 2, "title"),
        ("bad.py", 4, "% formatting"),
        ("bad.py", 5, ".format()"),
    ]


def test_quoting_helpers_escape_what_would_end_the_quote():
    assert ident('fct_"x"') == '"fct_""x"""'
    assert literal(Path("/tmp/it's here")) == "'/tmp/it''s here'"
