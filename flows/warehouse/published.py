"""The publish marker, `<state>/published.json`: which landing batch and run the serving file holds.

Written last by a publish (after the swap), so a marker that names the serving file means that file
is the checked warehouse of `batch_id`. This module is its one reader and writer.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from flows.config import Settings


@dataclass(frozen=True)
class Published:
    batch_id: str  # the latest landing batch the serving file holds
    run_id: str  # the run that published it (its Data Docs are kept)
    serving: str  # the serving file it was published to
    published_at: str  # UTC, ISO 8601
    serving_sha256: str | None = None  # of the file as written: the next run's preflight trusts a file that matches

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def last_publish(settings: Settings) -> Published | None:
    """The marker as the last publish wrote it (to whichever serving file), or None: none, or unreadable."""
    try:
        data = json.loads(settings.published_marker.read_text())
        return Published(**{f.name: data[f.name] for f in fields(Published) if f.name in data})
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None  # TypeError: a marker without a required field


def publish_of_serving(settings: Settings) -> Published | None:
    """The last publish when it was to `settings.serving` and that file is still there, else None."""
    marker = last_publish(settings)
    if marker is None or marker.serving != str(settings.serving) or not settings.serving.exists():
        return None
    return marker


def record_publish(settings: Settings, batch_id: str, run_id: str, serving_sha256: str | None) -> Published:
    """Write the marker of a publish of `batch_id` to `settings.serving` (atomically: temporary file, rename)."""
    marker = Published(
        batch_id=batch_id,
        run_id=run_id,
        serving=str(settings.serving),
        published_at=datetime.now(timezone.utc).isoformat(),
        serving_sha256=serving_sha256,
    )
    path: Path = settings.published_marker
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(marker.as_dict(), indent=2))
    os.replace(tmp, path)
    return marker
