"""Run settings: where things live, from flags, then environment variables, then defaults.

- raw directory: `--raw-dir`, `PARLEY_RAW_DIR`, default `raw/`
- serving file (what SQL users and dashboards open, read-only): `--serving`,
  `PARLEY_SERVING`, default `warehouse/parley.duckdb`
- state directory (build database, run logs, dbt target, GX Data Docs, lock):
  `--state-dir`, `PARLEY_STATE_DIR`, default `.parley/` beside the serving file
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# the checkout: dbt_project/ and expectations/ sit beside the package (an editable install)
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RAW_DIR = "raw"
DEFAULT_SERVING = "warehouse/parley.duckdb"


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    serving: Path
    state_dir: Path
    workers: int = 1
    batch_size: int = 64
    strict: bool = False
    lock_wait_seconds: float = 0.0

    @property
    def build_db(self) -> Path:
        return self.state_dir / "build.duckdb"

    @property
    def lock_file(self) -> Path:
        return self.state_dir / "run.lock"

    @property
    def published_marker(self) -> Path:
        return self.state_dir / "published.json"

    def run_dir(self, run_id: str) -> Path:
        return self.state_dir / "runs" / run_id

    @property
    def parquet_dir(self) -> Path:
        return self.serving.parent / "parquet"

    @classmethod
    def resolve(
        cls,
        raw_dir: str | os.PathLike | None = None,
        serving: str | os.PathLike | None = None,
        state_dir: str | os.PathLike | None = None,
        **kw,
    ) -> Settings:
        raw = Path(raw_dir or os.environ.get("PARLEY_RAW_DIR") or DEFAULT_RAW_DIR)
        serve = Path(serving or os.environ.get("PARLEY_SERVING") or DEFAULT_SERVING)
        state = Path(state_dir or os.environ.get("PARLEY_STATE_DIR") or serve.parent / ".parley")
        if "workers" not in kw or kw["workers"] is None:
            kw["workers"] = int(os.environ.get("PARLEY_WORKERS") or default_workers())
        return cls(raw.resolve(), serve.resolve(), state.resolve(), **kw)
