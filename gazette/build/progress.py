"""A progress bar on the terminal for builds that take more than a moment."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Draws `phase [#####     ] done/total` on one line, only on a terminal and only
    once the build has run for `delay` seconds, so quick builds print nothing extra."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, delay: float = 2.0, width: int = 28):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.delay = delay
        self.width = width
        self.phase = ""
        self.total = 0
        self._drawn = False

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total = phase, total
        self.update(0)

    def update(self, done: int) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay or not self.total:
            return
        filled = min(self.width, self.width * done // self.total)
        bar = "#" * filled + " " * (self.width - filled)
        self.stream.write(f"\r{self.phase:<18} [{bar}] {min(done, self.total)}/{self.total}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
