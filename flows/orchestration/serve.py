"""`parley serve`: keep the pipeline running on a schedule through a Prefect server.

The deployment `parley-scheduled/<name>` runs `flows.pipeline.parley_run_deployment` with
the resolved locations as parameters. `prefect.serve` registers it with the server named
by PREFECT_API_URL (or the active Prefect profile), then polls for its scheduled and
manually triggered runs and executes each in a subprocess, one at a time. prefect.yaml
declares the same flow for work pools and workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.config import Settings

DEFAULT_NAME = "parley"
FLOW_NAME = "parley-scheduled"  # the @flow name of parley_run_deployment


class ServerUnavailable(RuntimeError):
    """No Prefect server is configured or it does not answer."""


@dataclass(frozen=True)
class Schedule:
    cron: str | None = None
    interval: float | None = None  # seconds

    def describe(self) -> str:
        if self.cron:
            return f"cron {self.cron!r}"
        if self.interval:
            return f"every {self.interval:g} s"
        return "no schedule (runs only when triggered)"


def deployment_parameters(settings: Settings, wait_seconds: float) -> dict:
    """The flow parameters of the deployment: absolute locations, so any working directory works."""
    return {
        "raw_dir": str(settings.raw_dir),
        "serving": str(settings.serving),
        "state_dir": str(settings.state_dir),
        "workers": settings.workers,
        "wait_seconds": wait_seconds,
    }


def build_deployment(settings: Settings, schedule: Schedule, *, name: str = DEFAULT_NAME, wait_seconds: float = 300.0):
    """A RunnerDeployment of `parley_run_deployment` (not yet registered)."""
    from prefect.types.entrypoint import EntrypointType

    from flows.pipeline import parley_run_deployment

    return parley_run_deployment.to_deployment(
        name=name,
        cron=schedule.cron,
        interval=schedule.interval,
        parameters=deployment_parameters(settings, wait_seconds),
        description=f"parley pipeline over {settings.raw_dir}, publishing {settings.serving}",
        tags=["parley"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def api_url() -> str:
    """The Prefect API this process talks to; raises ServerUnavailable when none is set or it is down."""
    from prefect.client.orchestration import get_client
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    if not url:
        raise ServerUnavailable(
            "no Prefect server configured: start one with `prefect server start` and "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api` (or `prefect config set PREFECT_API_URL=...`)"
        )
    with get_client(sync_client=True) as client:
        error = client.api_healthcheck()
    if error is not None:
        raise ServerUnavailable(
            f"the Prefect server at {url} does not answer ({error}); is `prefect server start` running?"
        )
    return url


def serve(settings: Settings, schedule: Schedule, *, name: str = DEFAULT_NAME, wait_seconds: float = 300.0) -> None:
    """Register the deployment and run its flow runs until interrupted (Ctrl-C pauses the schedule)."""
    from prefect import serve as prefect_serve

    url = api_url()
    deployment = build_deployment(settings, schedule, name=name, wait_seconds=wait_seconds)
    print(
        f"parley serve: deployment '{FLOW_NAME}/{name}' on {url}, {schedule.describe()}\n"
        f"  raw: {settings.raw_dir}\n  serving: {settings.serving}\n  state: {settings.state_dir}\n"
        f"  trigger a run now: prefect deployment run '{FLOW_NAME}/{name}'",
        flush=True,
    )
    prefect_serve(deployment, limit=1, print_starting_message=False)
