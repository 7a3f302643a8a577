"""Schema of the build database's `landing` tables, derived from the record dataclasses.

One table per key of `records.STAGING_TABLES`, columns = dataclass fields in order
(str -> varchar, int -> integer, bool -> boolean, list[str] -> varchar[]; a field typed
`X | None` is nullable, any other is `not null`). `articles` and `rejected_inputs` also get
`run_id` and `loaded_at`; dbt's incremental fact tables rely on `loaded_at` changing
whenever an article's records are (re)loaded (default: now, in UTC).
`arrow_schema` gives the matching Arrow schema for bulk inserts.
"""

from __future__ import annotations

import dataclasses
import types
import typing

import duckdb
import pyarrow as pa

from flows.records import STAGING_TABLES
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


def landing_columns(table: str) -> list[tuple[str, str]]:
    """(column name, column definition) of a landing table, in order."""
    record_class = STAGING_TABLES[table]
    hints = typing.get_type_hints(record_class)
    columns = []
    for field in dataclasses.fields(record_class):
        type_sql, nullable = sql_type(hints[field.name])
        columns.append((field.name, type_sql if nullable else f"{type_sql} not null"))
    return columns + LOAD_COLUMNS.get(table, [])


def landing_ddl(table: str, schema: str = LANDING_SCHEMA) -> str:
    """`create table if not exists` statement of one landing table."""
    columns = ",\n    ".join(f"{ident(name)} {definition}" for name, definition in landing_columns(table))
    return f"create table if not exists {ident(schema)}.{ident(table)} (\n    {columns}\n)"


def create_landing_tables(con: duckdb.DuckDBPyConnection, schema: str = LANDING_SCHEMA) -> list[str]:
    """Create the landing schema and all its tables (if missing); return the table names."""
    con.execute(f"create schema if not exists {ident(schema)}")
    for table in STAGING_TABLES:
        con.execute(landing_ddl(table, schema))
    return list(STAGING_TABLES)
