"""Run a command and measure it: wall time, CPU time and peak RSS of its whole process tree."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

POLL_SECONDS = 0.1


@dataclass
class Measurement:
    wall_s: float
    cpu_s: float  # user + system of every process of the tree (last sample of each)
    peak_rss_mb: float  # largest sum of RSS over the tree at one sample
    peak_processes: int
    returncode: int
    load_before: float  # 1-minute load average when the command started
    stdout_tail: str

    def to_dict(self) -> dict:
        return asdict(self)


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        log: Path | None = None) -> Measurement:
    """Run `cmd` to completion, polling its process tree; stdout+stderr go to `log` (if given)."""
    load = os.getloadavg()[0]
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    started = time.perf_counter()
    popen = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    root = psutil.Process(popen.pid)
    cpu: dict[tuple[int, float], float] = {}
    peak_rss, peak_n = 0, 0
    try:
        while popen.poll() is None:
            rss = 0
            procs = _tree(root)
            for p in procs:
                try:
                    with p.oneshot():
                        rss += p.memory_info().rss
                        t = p.cpu_times()
                        cpu[(p.pid, p.create_time())] = t.user + t.system
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            peak_rss, peak_n = max(peak_rss, rss), max(peak_n, len(procs))
            time.sleep(POLL_SECONDS)
    finally:
        wall = time.perf_counter() - started
        if log:
            out.close()
    # the root's own final figure, from the kernel (includes the children it waited for)
    cpu_total = sum(cpu.values())
    tail = log.read_text(errors="replace")[-2000:] if log else ""
    return Measurement(wall, cpu_total, peak_rss / 2**20, peak_n, popen.returncode, load, tail)
