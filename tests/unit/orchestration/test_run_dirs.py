"""Per-run directories do not grow without bound; the published run's Data Docs are kept."""

from __future__ import annotations

from flows.config import Settings
from flows.orchestration import steps
from flows.warehouse.published import record_publish


def test_oldest_run_dirs_are_pruned_but_the_published_one_stays(tmp_path):
    settings = Settings.resolve(tmp_path / "raw", tmp_path / "w" / "parley.duckdb", workers=1)
    names = [f"20261125T1200{i:02d}-abc" for i in range(30)]
    for name in names:
        (settings.run_dir(name) / "gx").mkdir(parents=True)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    record_publish(settings, "batch-1", names[0], None)
    removed = steps.prune_run_dirs(settings, keep=5)
    left = sorted(p.name for p in (settings.state_dir / "runs").iterdir())
    assert left == [names[0], *names[-5:]]
    assert len(removed) == 24
