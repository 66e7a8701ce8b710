"""A load in progress: the step it has reached, for whoever watches it, and a way to stop it before it commits.

The load calls `step` as it reaches each part of its work and `settle` just before it commits; the watcher reads
`describe` and may `cancel` from another thread. A cancel stops the load at its next step, interrupts the query it is
running, or kills the worker reading a workbook; once the load has settled, a cancel changes nothing, so a load
either commits whole or leaves the store as it was, and says which.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# A load's steps in the order it takes them (a CSV skips the first): how far along a load is.
STEPS = (
    "reading the workbook",
    "copying the file",
    "waiting for another load to finish",
    "reading every row",
    "checking every key",
    "writing the rows",
    "saving",
    "working out the weekly review",
)
REVIEW_STEP = STEPS[-1]  # after the commit: the review's findings for the data the load leaves


class LoadCancelledError(Exception):
    """The person loading stopped the load before it committed: nothing changed."""


class LoadProgress:
    """`on_step` hears each new step as the load reaches it (the command line prints them)."""

    def __init__(self, on_step: Callable[[LoadProgress], None] | None = None) -> None:
        self.step_name = "starting"
        self._on_step = on_step
        self.fraction: float | None = None  # of the current step, when it can tell
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._cancelled = False
        self._settled = False
        self._interrupt: Callable[[], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def step(self, name: str, fraction: float | None = None) -> None:
        """The load reached step `name`; stop here if a cancel was asked for."""
        self.raise_if_cancelled()
        self._enter(name, fraction)

    def raise_if_cancelled(self) -> None:
        if self._cancelled:
            raise LoadCancelledError("the load was cancelled before it changed anything")

    def watch(self, interrupt: Callable[[], None] | None) -> None:
        """What a cancel calls to stop the query running now (the load's connection's `interrupt`); None once the
        load has ended, before its connection closes."""
        with self._lock:
            self._interrupt = interrupt

    def settle(self, name: str) -> None:
        """The load is about to commit: from here on it finishes, whatever is asked."""
        with self._lock:
            self.raise_if_cancelled()
            self._settled = True
        self._enter(name, None)

    def _enter(self, name: str, fraction: float | None) -> None:
        new = name != self.step_name
        self.step_name, self.fraction = name, fraction
        if new and self._on_step is not None:
            self._on_step(self)

    def cancel(self) -> bool:
        """Ask the load to stop; whether it will (False once it has settled)."""
        with self._lock:
            if self._settled:
                return False
            self._cancelled = True
            if self._interrupt is not None:
                self._interrupt()
            return True

    def done(self) -> float:
        """How far along the load is, from 0 to 1: its step's place among STEPS, and the step's own fraction."""
        place = STEPS.index(self.step_name) if self.step_name in STEPS else 0
        return min((place + (self.fraction or 0.0)) / len(STEPS), 1.0)

    def describe(self, share: bool = True) -> str:
        """The step and how long the load has taken, for a status line: "reading every row (12 s)", with the step's
        share done when it can tell and `share` asks for it (a status line redrawn as it moves, not a log line)."""
        seconds = time.monotonic() - self.started
        share_text = f", {self.fraction:.0%}" if share and self.fraction is not None else ""
        return f"{self.step_name} ({seconds:.0f} s{share_text})"
