"""The publish marker: one reader and writer; a marker for another serving file, or a broken one, is no publish."""

from __future__ import annotations

import json

import pytest

from flows.config import Settings
from flows.warehouse.published import last_publish, publish_of_serving, record_publish


@pytest.fixture
def settings(tmp_path) -> Settings:
    s = Settings.resolve(tmp_path / "raw", tmp_path / "w" / "parley.duckdb", workers=1)
    s.state_dir.mkdir(parents=True)
    return s


def test_a_recorded_publish_reads_back_for_its_serving_file(settings):
    settings.serving.write_bytes(b"x")
    written = record_publish(settings, "b1", "r1", "abc")
    assert last_publish(settings) == written == publish_of_serving(settings)
    assert (written.batch_id, written.run_id, written.serving_sha256) == ("b1", "r1", "abc")
    assert not settings.published_marker.with_suffix(".tmp").exists()


def test_a_publish_to_another_file_or_of_a_vanished_file_is_not_this_serving_files(settings, tmp_path):
    record_publish(settings, "b1", "r1", None)  # serving file not there
    assert last_publish(settings) is not None and publish_of_serving(settings) is None
    other = Settings.resolve(tmp_path / "raw", tmp_path / "elsewhere.duckdb", state_dir=settings.state_dir)
    other.serving.write_bytes(b"x")
    assert publish_of_serving(other) is None


@pytest.mark.parametrize("text", ["", "{not json", json.dumps({"run_id": "r1"})])
def test_no_marker_an_unreadable_or_incomplete_one_is_no_publish(settings, text):
    assert last_publish(settings) is None
    settings.published_marker.write_text(text)
    assert last_publish(settings) is None
