"""The time bound on one piece of work, in the main thread and in another."""

from __future__ import annotations

import re
import threading
import time

import pytest

from gazette.build.deadline import DeadlineExceeded, deadline


def spin_python(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def in_thread(work):
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - the test looks at what was raised
            outcome["raised"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    return outcome


def test_work_past_its_deadline_is_interrupted_in_the_main_thread():
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        with deadline(0.2):
            spin_python(10)
    assert time.monotonic() - started < 2


def test_a_backtracking_regular_expression_is_interrupted_in_the_main_thread():
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        with deadline(0.2):
            re.match(r"(a+)+$", "a" * 40 + "b")  # exponential: years without the deadline
    assert time.monotonic() - started < 2


def test_work_past_its_deadline_is_interrupted_in_another_thread():
    def work():
        with deadline(0.2):
            spin_python(10)

    started = time.monotonic()
    assert isinstance(in_thread(work).get("raised"), DeadlineExceeded)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("where", ["main", "thread"])
def test_a_deadline_never_fires_after_its_block(where):
    def work():
        for _ in range(300):  # deadlines that end about as their block does, many times over
            try:
                with deadline(0.001):
                    spin_python(0.001)
            except DeadlineExceeded:
                pass  # inside the block: fair
            spin_python(0.002)  # outside it: an exception landing here escapes `work`
        return "done"

    assert (work() if where == "main" else in_thread(work).get("value")) == "done"
