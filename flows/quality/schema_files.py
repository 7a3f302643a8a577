"""The files generated from the record definitions (`flows/records.py`): one source for the schema.

From each landing table's record dataclass (field types, `records.column` descriptions and checks):

- `dbt_project/models/staging/_sources.yml`: the `landing` source, every column with its type
  and description (vocabulary and nullability spelled out). No not_null/accepted_values tests:
  the landing DDL enforces the null constraints at load and GX gates the vocabularies before dbt
  runs (`flows.quality.validate`), so dbt would check the same rows a second time. The one test
  here (`SOURCE_TESTS`) checks a mart: every landed article reaches `dim_articles`;
- `expectations/gx/expectations/*.json`: the landing GX suites (`flows.quality.suites`);
- the `vars:` block of `dbt_project/dbt_project.yml`: the vocabularies the marts' accepted_values tests use.

The Arrow schema and the landing DDL are derived at run time (`flows.warehouse.landing`).

    .venv/bin/python -m flows.quality.schema_files          # (re)write the files
    .venv/bin/python -m flows.quality.schema_files --check  # exit 1 and name the stale files

`tests/unit/test_generated_files.py` fails while a generated file is stale.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import yaml

from flows import records
from flows.config import PROJECT_ROOT
from flows.records import LANDING_TABLES
from flows.warehouse.landing import LANDING_SCHEMA, LandingColumn, landing_table

SOURCES_YML = PROJECT_ROOT / "dbt_project" / "models" / "staging" / "_sources.yml"
SUITE_DIR = PROJECT_ROOT / "expectations" / "gx" / "expectations"
DBT_PROJECT_YML = PROJECT_ROOT / "dbt_project" / "dbt_project.yml"
COMMAND = "python -m flows.quality.schema_files"
HEADER = f"# Generated from flows/records.py by `{COMMAND}`: edit the records, not this file.\n"
VARS_COMMENT = f"  # the record vocabularies, generated from flows/records.py by `{COMMAND}`\n"
SOURCE_DESCRIPTION = (
    "Records extracted by the parley pipeline, loaded as-is into the build DuckDB file (one table per "
    "record dataclass in flows/records.py). An article's records are replaced together when it is "
    "re-extracted; `articles.loaded_at` tells when. The GX landing suites check these rows before dbt runs."
)


# dbt tests on source columns: checks of the marts that read from the landing side (dbt owns them)
SOURCE_TESTS: dict[tuple[str, str], list[dict]] = {
    # every landed article reaches dim_articles (a whole mart lost to a broken build is not published)
    ("articles", "article_id"): [
        {"relationships": {"arguments": {"to": "ref('dim_articles')", "field": "article_id"}}}
    ],
}


def missing_descriptions() -> list[str]:
    """`table.column` of every landing column, and `table` of every record class, without a description."""
    missing = []
    for table in LANDING_TABLES:
        spec = landing_table(table)
        missing += [table] if spec.description is None else []
        missing += [f"{table}.{c.name}" for c in spec.columns if not c.description]
    return missing


def vocabularies() -> dict[str, tuple[str, ...]]:
    """dbt var name -> vocabulary, for each `flows.records` constant used as a field's `values`, in first use."""
    constants = {id(v): k for k, v in vars(records).items() if k.isupper() and isinstance(v, tuple)}
    found: dict[str, tuple[str, ...]] = {}
    for record_class in LANDING_TABLES.values():
        for f in dataclasses.fields(record_class):
            values = f.metadata.get("values")
            if values is not None and id(values) in constants:
                found.setdefault(constants[id(values)].lower(), values)
    return found


def _column_description(column: LandingColumn) -> str:
    text = column.description or ""
    if "values" in column.checks:
        text += " One of " + ", ".join(f"`{v}`" for v in column.checks["values"]) + "."
    if not column.nullable:
        text += " Never null."
    return text.strip()


def sources_yml() -> str:
    """The text of `_sources.yml`."""
    tables = []
    for table in LANDING_TABLES:
        spec = landing_table(table)
        columns = []
        for c in spec.columns:
            columns.append({"name": c.name, "data_type": c.sql_type, "description": _column_description(c)})
            if (table, c.name) in SOURCE_TESTS:
                columns[-1]["data_tests"] = SOURCE_TESTS[table, c.name]
        tables.append({"name": table, "description": spec.description or "", "columns": columns})
    document = {
        "version": 2,
        "sources": [{"name": "landing", "schema": LANDING_SCHEMA, "description": SOURCE_DESCRIPTION, "tables": tables}],
    }
    return HEADER + yaml.dump(document, Dumper=_IndentedDumper, sort_keys=False, allow_unicode=True, width=110)


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as dbt's own yml files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def suite_files() -> dict[str, str]:
    """File name -> text of every landing GX suite."""
    from flows.quality.suites import build_suites, suite_json

    return {f"{suite.name}.json": suite_json(suite) for suite in build_suites()}


def dbt_project_yml(current: str) -> str:
    """`dbt_project.yml` with its `vars:` block (up to the next blank line) generated; the rest kept as it is."""
    start = current.index("\nvars:\n") + 1
    end = current.index("\n\n", start)
    block = "vars:\n" + VARS_COMMENT
    block += "".join(f"  {name}: {json.dumps(list(values))}\n" for name, values in vocabularies().items())
    return current[:start] + block.rstrip("\n") + current[end:]


def generated_files() -> dict[Path, str]:
    """Every generated file and the text it should have now."""
    files = {SOURCES_YML: sources_yml(), DBT_PROJECT_YML: dbt_project_yml(DBT_PROJECT_YML.read_text(encoding="utf-8"))}
    files.update({SUITE_DIR / name: text for name, text in suite_files().items()})
    return files


def stale_files() -> list[Path]:
    """Generated files whose text differs from what the records give, plus suite files no longer generated."""
    files = generated_files()
    stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    return stale + sorted(p for p in SUITE_DIR.glob("*.json") if p not in files)


def write() -> list[Path]:
    """(Re)write every generated file; remove suite files no longer generated; return what changed."""
    files = generated_files()
    changed = []
    for path in sorted(p for p in SUITE_DIR.glob("*.json") if p not in files):
        path.unlink()
        changed.append(path)
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    args = parser.parse_args(argv)
    for name in missing_descriptions():
        print(f"warning: {name} has no description (records.column(...) in flows/records.py)", file=sys.stderr)
    paths = stale_files() if args.check else write()
    for path in paths:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(PROJECT_ROOT)}")
    return 1 if args.check and paths else 0


if __name__ == "__main__":
    sys.exit(main())
