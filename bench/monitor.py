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
    at_peak: list[tuple[str, float]]  # (process, RSS MB) of the tree at its peak sample
    timeline: list[tuple[float, float]]  # (seconds since start, tree RSS MB), about one a second

    def to_dict(self) -> dict:
        return asdict(self)


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def run(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, log: Path | None = None
) -> Measurement:
    """Run `cmd` to completion, polling its process tree; stdout+stderr go to `log` (if given)."""
    load = os.getloadavg()[0]
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    started = time.perf_counter()
    popen = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    root = psutil.Process(popen.pid)
    cpu: dict[tuple[int, float], float] = {}
    peak_rss, peak_n, at_peak, timeline = 0, 0, [], []
    try:
        while popen.poll() is None:
            sample = []
            procs = _tree(root)
            for p in procs:
                try:
                    with p.oneshot():
                        sample.append((_name(p), p.memory_info().rss / 2**20))
                        t = p.cpu_times()
                        cpu[(p.pid, p.create_time())] = t.user + t.system
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            rss = sum(mb for _, mb in sample)
            if rss > peak_rss:
                peak_rss, at_peak = rss, sorted(sample, key=lambda s: -s[1])
            peak_n = max(peak_n, len(procs))
            elapsed = time.perf_counter() - started
            if not timeline or elapsed - timeline[-1][0] >= 1.0:
                timeline.append((round(elapsed, 1), round(rss)))
            time.sleep(POLL_SECONDS)
    finally:
        wall = time.perf_counter() - started
        if log:
            out.close()
    cpu_total = sum(cpu.values())
    tail = log.read_text(errors="replace")[-2000:] if log else ""
    return Measurement(
        wall, cpu_total, peak_rss, peak_n, popen.returncode, load, tail, [(n, round(mb)) for n, mb in at_peak], timeline
    )


def _name(p: psutil.Process) -> str:
    """A short name: the module or script a Python process runs, else the executable."""
    try:
        cmd = p.cmdline()
    except psutil.Error:
        return p.name()
    for i, arg in enumerate(cmd):
        if arg == "-m" and i + 1 < len(cmd):
            return f"{p.pid}:{cmd[i + 1]}"
        if arg == "-c" and i + 1 < len(cmd):
            return f"{p.pid}:{'spawn worker' if 'spawn_main' in cmd[i + 1] else 'python -c'}"
    return f"{p.pid}:{' '.join(Path(c).name for c in cmd[:3])}"
