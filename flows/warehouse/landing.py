"""Schema of the build database's `landing` tables, derived from the record dataclasses.

One table per key of `records.LANDING_TABLES`, columns = dataclass fields in order
(str -> varchar, int -> integer, bool -> boolean, list[str] -> varchar[]; a field typed
`X | None` is nullable, any other is `not null`). `articles` and `rejected_inputs` also get
`run_id` and `loaded_at`; dbt's incremental fact tables rely on `loaded_at` changing
whenever an article's records are (re)loaded (default: now, in UTC).
`arrow_schema` gives the matching Arrow schema for bulk inserts; `landing_table` the documented
columns (descriptions and checks from `records.column` metadata) that `flows.quality.schema_files`
turns into dbt's `_sources.yml` and the landing GX suites.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from flows.records import LANDING_TABLES
from flows.warehouse.sql import ident

LANDING_SCHEMA = "landing"

_SQL_TYPES: dict[type, str] = {str: "varchar", int: "integer", bool: "boolean", float: "double"}
_ARROW_TYPES: dict[type, pa.DataType] = {
    str: pa.string(),
    int: pa.int32(),
    bool: pa.bool_(),
    float: pa.float64(),
}

_LOADED_AT = "timestamp default timezone('UTC', current_timestamp)"
# extra columns per table, after the dataclass fields
LOAD_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [("run_id", "varchar"), ("loaded_at", _LOADED_AT)],
    "rejected_inputs": [("run_id", "varchar"), ("loaded_at", _LOADED_AT)],
}
LOAD_COLUMN_DESCRIPTIONS = {
    "run_id": "Id of the pipeline run that loaded the row.",
    "loaded_at": "When the pipeline loaded the row (UTC); changes whenever an article is reloaded.",
}


@dataclass(frozen=True)
class LandingColumn:
    """One documented column of a landing table."""

    name: str
    sql_type: str  # e.g. "varchar[]", without the null constraint
    nullable: bool
    is_list: bool
    description: str | None  # None: the record field has no description yet (a generated-files test names it)
    checks: Mapping[str, Any]  # the other `records.column` metadata: values, key, pattern, minimum, not_before
    loaded: bool = False  # added by the loader (LOAD_COLUMNS), not a record field


@dataclass(frozen=True)
class LandingTable:
    name: str
    description: str | None  # the record class docstring
    columns: list[LandingColumn]


def field_type(annotation: object) -> tuple[type, bool, bool]:
    """(scalar type, is a list, is nullable) of a field annotation such as `list[str]` or `int | None`."""
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        if len(args) != 1:
            raise TypeError(f"unsupported union type {annotation!r}")
        annotation = args[0]
    is_list = typing.get_origin(annotation) is list
    scalar = typing.get_args(annotation)[0] if is_list else annotation
    if scalar not in _SQL_TYPES:
        raise TypeError(f"no column type for {annotation!r}")
    return scalar, is_list, nullable


def sql_type(annotation: object) -> tuple[str, bool]:
    """The DuckDB type of a field annotation and whether the column is nullable."""
    scalar, is_list, nullable = field_type(annotation)
    return _SQL_TYPES[scalar] + ("[]" if is_list else ""), nullable


def arrow_schema(record_class: type) -> pa.Schema:
    """Arrow schema of a record dataclass (its fields only), matching the landing column types."""
    hints = typing.get_type_hints(record_class)
    schema_fields = []
    for field in dataclasses.fields(record_class):
        scalar, is_list, nullable = field_type(hints[field.name])
        arrow_type = pa.list_(_ARROW_TYPES[scalar]) if is_list else _ARROW_TYPES[scalar]
        schema_fields.append(pa.field(field.name, arrow_type, nullable=nullable))
    return pa.schema(schema_fields)


def landing_table(table: str) -> LandingTable:
    """A landing table's columns, in order, with their types, descriptions and checks."""
    record_class = LANDING_TABLES[table]
    hints = typing.get_type_hints(record_class)
    columns = []
    for field in dataclasses.fields(record_class):
        type_sql, nullable = sql_type(hints[field.name])
        checks = {k: v for k, v in field.metadata.items() if k != "description"}
        description = field.metadata.get("description")
        columns.append(LandingColumn(field.name, type_sql, nullable, type_sql.endswith("[]"), description, checks))
    for name, definition in LOAD_COLUMNS.get(table, []):
        description = LOAD_COLUMN_DESCRIPTIONS[name]
        columns.append(LandingColumn(name, definition.split()[0], True, False, description, {}, loaded=True))
    doc = inspect.getdoc(record_class) or ""
    generated = doc.startswith(f"{record_class.__name__}(")  # dataclass's own signature, not a description
    return LandingTable(table, None if generated or not doc else " ".join(doc.split()), columns)


def landing_columns(table: str) -> list[tuple[str, str]]:
    """(column name, column definition) of a landing table, in order."""
    load_definitions = dict(LOAD_COLUMNS.get(table, []))
    return [
        (c.name, load_definitions[c.name] if c.loaded else c.sql_type if c.nullable else f"{c.sql_type} not null")
        for c in landing_table(table).columns
    ]


def landing_ddl(table: str, schema: str = LANDING_SCHEMA) -> str:
    """`create table if not exists` statement of one landing table."""
    columns = ",\n    ".join(f"{ident(name)} {definition}" for name, definition in landing_columns(table))
    return f"create table if not exists {ident(schema)}.{ident(table)} (\n    {columns}\n)"


def create_landing_tables(con: duckdb.DuckDBPyConnection, schema: str = LANDING_SCHEMA) -> list[str]:
    """Create the landing schema and all its tables (if missing); return the table names."""
    con.execute(f"create schema if not exists {ident(schema)}")
    for table in LANDING_TABLES:
        con.execute(landing_ddl(table, schema))
    return list(LANDING_TABLES)
