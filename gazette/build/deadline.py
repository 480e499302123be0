"""Bound how long one piece of work may run: `with deadline(5): ...` raises `DeadlineExceeded`
inside the work once 5 seconds have passed.

Python-Markdown can backtrack for minutes on a hostile body; the build must stop it and name
the file instead of hanging. In the main thread (a build, its forked workers) a timer signal
interrupts even a long regular-expression match. In another thread (the preview server
rebuilds in one) signals cannot be used, so the exception is sent to that thread
(`PyThreadState_SetAsyncExc`); it lands at the next Python bytecode, which is where
Python-Markdown's slow loops spend their time.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DeadlineExceeded(BaseException):
    """Not an Exception: the libraries we interrupt must not catch and swallow it."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise DeadlineExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(DeadlineExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["armed"] = False
            fired = state["fired"]
        if fired:
            # The exception may still be pending (not yet delivered): clear it, so that it
            # can never land after this block, and raise it here instead.
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)
            raise DeadlineExceeded
