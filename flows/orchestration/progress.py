"""Progress lines for long steps: `extract records: 120/500 articles (24%), 9.8/s, ~39 s left`.

Printed at most every `every` seconds and once at the end; inside a Prefect flow with
`log_prints` the lines go to the run's log (terminal and UI) too.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Progress:
    def __init__(
        self,
        label: str,
        total: int,
        unit: str = "articles",
        every: float = 5.0,
        out: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        # print is looked up per line, not bound here: Prefect's log_prints swaps it in during a task run
        self.label, self.total, self.unit, self.every, self.out, self.clock = label, total, unit, every, out, clock
        self.done = 0
        self.started = self.last = clock()

    def line(self) -> str:
        elapsed = self.clock() - self.started
        text = f"{self.label}: {self.done}/{self.total} {self.unit}"
        if self.total:
            text += f" ({100 * self.done // self.total}%)"
        if elapsed > 0 and self.done:
            rate = self.done / elapsed
            text += f", {rate:.1f}/s"
            if self.done < self.total:
                text += f", ~{(self.total - self.done) / rate:.0f} s left"
            else:
                text += f", {elapsed:.1f} s"
        return text

    def advance(self, n: int = 1) -> None:
        """Count `n` more done; print a line if `every` seconds passed since the last, or at the end."""
        self.done += n
        now = self.clock()
        if self.done >= self.total or now - self.last >= self.every:
            self.last = now
            (self.out or print)(self.line())
