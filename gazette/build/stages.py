"""The build's stages, timed (as Zola's `Site::build` times its own): where a build's seconds
go, for `build --timings`, and for anyone asking why a build is slow."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class StageClock:
    """Wall seconds by stage name. A stage timed inside another counts as itself only: the
    outer one is charged what is left, so the stages add up to the build."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._inner: list[float] = []  # for each stage now running, the seconds of the stages inside it

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._seconds.setdefault(name, 0.0)  # listed in the order stages first start
        started = time.perf_counter()
        self._inner.append(0.0)
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            inner = self._inner.pop()
            self._seconds[name] = self._seconds.get(name, 0.0) + elapsed - inner
            if self._inner:
                self._inner[-1] += elapsed

    def timings(self) -> tuple[tuple[str, float], ...]:
        """(stage, seconds) in the order the stages first ran."""
        return tuple(self._seconds.items())


def timing_table(timings: tuple[tuple[str, float], ...]) -> list[str]:
    total = sum(seconds for _, seconds in timings) or 1.0
    return [f"  {name:<24} {seconds:>7.2f} s  {seconds / total:>4.0%}" for name, seconds in timings]
