"""Run work over shards in forked worker processes, with a shared progress counter.

Forking lets workers inherit the parsed site and compiled templates for free
instead of pickling them; only results travel back. Where fork is unavailable
(Windows, or one job), the work runs in this process.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from gazette.errors import GazetteError, Problem

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int], None]  # called with the number of items done so far


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def shard(items: Sequence[T], count: int) -> list[list[T]]:
    """Interleave so that every worker gets a similar mix of small and large items."""
    return [list(items[index::count]) for index in range(count) if items[index::count]]


def run_sharded(
    items: Sequence[T],
    work: Callable[[list[T], Callable[[], None]], R],
    jobs: int,
    on_progress: Progress | None = None,
    min_items_per_job: int = 200,
) -> list[R]:
    """Apply `work(shard, tick)` to shards of `items`; `tick()` marks one item done.

    Returns one result per shard. GazetteErrors raised by any worker are
    gathered and raised together here; any other exception a worker raises (a disk
    fault's OSError, say) is raised here as it was, with the worker's traceback as its cause."""
    jobs = max(1, min(jobs, len(items) // min_items_per_job or 1))
    if jobs > 1:  # imported here: an edit in place renders a few pages in this process
        import multiprocessing
        from multiprocessing.connection import wait
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if on_progress and done % 50 == 0:
                on_progress(done)

        return [work(list(items), tick)]

    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    children = []
    for part in shard(items, jobs):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(work, part, sender, counter), daemon=True)
        process.start()
        sender.close()
        children.append((process, receiver))

    results: dict[int, Any] = {}
    problems: list[Problem] = []
    error_type: type[GazetteError] = GazetteError
    raised: list[tuple[BaseException, str]] = []
    failures: list[str] = []
    pending = {receiver: index for index, (_, receiver) in enumerate(children)}
    try:
        while pending:
            for receiver in wait(list(pending), timeout=0.2):
                index = pending.pop(receiver)
                try:
                    status, payload = receiver.recv()
                except EOFError:
                    failures.append(f"worker {index} stopped unexpectedly")
                    continue
                if status == "ok":
                    results[index] = payload
                elif status == "problems":
                    kind, shard_problems = payload
                    problems.extend(shard_problems)
                    error_type = kind if kind is not GazetteError else error_type
                elif status == "raised":
                    raised.append(payload)
                else:
                    failures.append(payload)
            if on_progress:
                on_progress(counter.value)
    finally:
        for process, receiver in children:
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    if problems:
        raise error_type(problems)
    if raised:
        error, worker_traceback = raised[0]
        raise error from RuntimeError("in a build worker:\n" + worker_traceback)
    if failures:
        raise RuntimeError("a build worker failed:\n" + "\n".join(failures))
    return [results[index] for index in range(len(children))]


def _child(work, part, sender, counter) -> None:
    pending_ticks = 0

    def tick() -> None:
        nonlocal pending_ticks
        pending_ticks += 1
        if pending_ticks == 25:  # touching the shared counter on every item would serialize workers
            with counter.get_lock():
                counter.value += pending_ticks
            pending_ticks = 0

    try:
        result = work(part, tick)
        sender.send(("ok", result))
    except GazetteError as exc:
        sender.send(("problems", (type(exc), exc.problems)))
    except Exception as exc:  # noqa: BLE001 - raised again in the parent
        try:
            sender.send(("raised", (exc, traceback.format_exc())))
        except (pickle.PicklingError, TypeError, AttributeError):
            sender.send(("failed", traceback.format_exc()))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()
        os._exit(0)  # skip atexit handlers and buffers inherited from the parent
