"""Measuring tools for the benchmark: medians of repeated calls, subprocesses with peak memory, the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("duckdb", "pandas", "pyarrow", "streamlit", "playwright")
GIB = 1024**3


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of each run; the median is the figure quoted (the machine is shared and noisy)."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def time_calls(call: Callable[[], Any], repeat: int) -> Timing:
    """Run `call` `repeat` times and keep each wall time; the caller warms it up first if it should be warm."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    return Timing(tuple(runs))


def time_rounds(calls: Mapping[str, Callable[[], object]], repeat: int) -> dict[str, Timing]:
    """Time several calls in rounds (a, b, c, a, b, c, …), so that a burst of noise hits each of them alike."""
    runs: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            runs[name].append(time.perf_counter() - started)
    return {name: Timing(tuple(seconds)) for name, seconds in runs.items()}


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    peak_rss_bytes: int
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the process and its threads


class ProcessFailedError(Exception):
    """A measured command exited non-zero; the message carries its output for the person running the bench."""


def run_measured(command: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> ProcessRun:
    """Run a command to completion; its wall time, CPU time and peak resident memory (from wait4's rusage, this
    child only)."""
    with subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd, text=True
    ) as process:
        started = time.perf_counter()
        output = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise ProcessFailedError(f"{' '.join(command)} exited with {process.returncode}:\n{output}")
    # Linux reports ru_maxrss in kilobytes.
    return ProcessRun(seconds, usage.ru_maxrss * 1024, output, usage.ru_utime + usage.ru_stime)


def rss_bytes(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a running process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown"


def _memory_total() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    """What the figures were measured on, for the results file."""
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": _cpu_model(),
        "cores (nproc)": str(len(os.sched_getaffinity(0))),
        "memory": f"{_memory_total() / GIB:.1f} GiB",
        "os": platform.platform(),
        "python": sys.version.split()[0],
        **{package: _version(package) for package in PACKAGES},
    }
