"""The files generated from flows/records.py are current (one source for the schema).

Regenerates `_sources.yml`, the landing GX suites and the dbt vars in memory and compares them
with the committed files. When this fails: `.venv/bin/python -m flows.quality.schema_files`.
"""

from __future__ import annotations

import dataclasses
import json

import yaml

from flows.quality import schema_files
from flows.records import LANDING_TABLES, SPEECH_ACTS, Statement, column
from flows.warehouse.landing import landing_table

FIX = f"run `.venv/bin/python -m flows.quality.schema_files` and commit: {schema_files.COMMAND}"


def test_generated_files_are_current():
    stale = [str(p.relative_to(schema_files.PROJECT_ROOT)) for p in schema_files.stale_files()]
    assert stale == [], f"stale generated files {stale}: {FIX}"


def test_every_landing_table_and_column_is_described():
    assert schema_files.missing_descriptions() == [], "give each field a records.column(description, ...)"


def test_sources_yml_lists_every_landing_column_with_its_type_and_vocabulary():
    sources = yaml.safe_load(schema_files.SOURCES_YML.read_text(encoding="utf-8"))["sources"]
    (landing,) = sources
    tables = {t["name"]: t for t in landing["tables"]}
    assert list(tables) == list(LANDING_TABLES)
    for name, table in tables.items():
        assert [c["name"] for c in table["columns"]] == [c.name for c in landing_table(name).columns]
        assert all(c["description"] for c in table["columns"]) and table["description"]
    speech_act = next(c for c in tables["statements"]["columns"] if c["name"] == "speech_act")
    assert speech_act["data_type"] == "varchar"
    assert all(f"`{act}`" in speech_act["description"] for act in SPEECH_ACTS)
    assert "Never null." in speech_act["description"]
    parties = next(c for c in tables["negotiations"]["columns"] if c["name"] == "parties")
    assert parties["data_type"] == "varchar[]"


def test_dbt_vars_are_the_record_vocabularies():
    project = yaml.safe_load(schema_files.DBT_PROJECT_YML.read_text(encoding="utf-8"))
    assert project["name"] == "parley" and project["profile"] == "parley"
    vocabularies = schema_files.vocabularies()
    assert vocabularies["speech_acts"] == SPEECH_ACTS
    assert {name: project["vars"][name] for name in vocabularies} == {k: list(v) for k, v in vocabularies.items()}


def test_suites_on_disk_are_what_the_generator_builds():
    on_disk = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_files.SUITE_DIR.glob("*.json")}
    built = {name: json.loads(text) for name, text in schema_files.suite_files().items()}
    assert on_disk == built
    assert not any(name.startswith("marts_") for name in on_disk), "dbt owns the marts"
    statements = on_disk["landing_statements.json"]
    in_set = {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in statements["expectations"]
        if "value_set" in e["kwargs"]
    }
    assert in_set["speech_act"] == list(SPEECH_ACTS)


def test_a_changed_record_field_changes_the_generated_files(monkeypatch):
    """The generator reads the records, so an edit there is what makes a file stale."""
    before_sources, before_suites = schema_files.sources_yml(), schema_files.suite_files()
    fields = {f.name: f for f in dataclasses.fields(Statement)}
    changed = column("The main speech act, renamed.", values=(*SPEECH_ACTS, "praise"))
    changed.name, changed.type, changed._field_type = (
        "speech_act",
        fields["speech_act"].type,
        fields["speech_act"]._field_type,
    )
    monkeypatch.setitem(Statement.__dataclass_fields__, "speech_act", changed)

    assert "The main speech act, renamed." in schema_files.sources_yml() != before_sources
    after = json.loads(schema_files.suite_files()["landing_statements.json"])
    assert after != json.loads(before_suites["landing_statements.json"])
    assert any(e["kwargs"].get("value_set") == [*SPEECH_ACTS, "praise"] for e in after["expectations"])
