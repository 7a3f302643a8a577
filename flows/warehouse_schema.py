"""DDL of the build database's `landing` schema, derived from the record dataclasses.

One table per key of `records.STAGING_TABLES`, columns = dataclass fields in order
(str -> varchar, int -> integer, bool -> boolean, list[str] -> varchar[]; a field typed
`X | None` is nullable, any other is `not null`). `articles` and `rejected_inputs` also get
`run_id` and `loaded_at`; dbt's incremental fact tables rely on `loaded_at` changing
whenever an article's records are (re)loaded.
"""

from __future__ import annotations

import dataclasses
import types
import typing

import duckdb

from flows.records import STAGING_TABLES

LANDING_SCHEMA = "landing"

_SCALAR_TYPES: dict[type, str] = {str: "varchar", int: "integer", bool: "boolean", float: "double"}

# extra columns per table, after the dataclass fields
LOAD_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "articles": [("run_id", "varchar"), ("loaded_at", "timestamp default current_localtimestamp()")],
    "rejected_inputs": [("run_id", "varchar"), ("loaded_at", "timestamp default current_localtimestamp()")],
}


def sql_type(annotation: object) -> tuple[str, bool]:
    """The DuckDB type of a field annotation and whether the column is nullable."""
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        if len(args) != 1:
            raise TypeError(f"unsupported union type {annotation!r}")
        annotation = args[0]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return f"{_SCALAR_TYPES[item]}[]", nullable
    if annotation in _SCALAR_TYPES:
        return _SCALAR_TYPES[annotation], nullable
    raise TypeError(f"no DuckDB type for {annotation!r}")


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
    body = ",\n    ".join(f'"{name}" {definition}' for name, definition in landing_columns(table))
    return f'create table if not exists "{schema}"."{table}" (\n    {body}\n)'


def create_landing_tables(con: duckdb.DuckDBPyConnection, schema: str = LANDING_SCHEMA) -> list[str]:
    """Create the landing schema and all its tables (if missing); return the table names."""
    con.execute(f'create schema if not exists "{schema}"')
    for table in STAGING_TABLES:
        con.execute(landing_ddl(table, schema))
    return list(STAGING_TABLES)
